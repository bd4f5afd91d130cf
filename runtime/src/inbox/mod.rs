//! The webhook inbox of any Wix API: Wix gets a `200` only for an event that is stored, and
//! the application's handler gets every stored event, retried until it succeeds. `Inbox`
//! (feature `webhooks`) is generic over the API's typed event (`InboxRecord`); a client crate
//! names it for its events and documents it for its users (`webhooks::inbox` of
//! `wix-order-payment-requests`).
//!
//! Events are kept in an [`InboxStore`] ([`MemoryStore`]; `SqliteStore` with the feature
//! `sqlite`; `PostgresStore` with the feature `postgres`), opened from a URL with
//! [`open_store`]. A store holds each delivery as received (the signed body, with the event id,
//! type, entity id and sequence read from it) and the state of its handling.

#[cfg(feature = "webhooks")]
mod handler;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "axum")]
mod receiver;
#[cfg(feature = "webhooks")]
mod service;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;
mod store_url;
#[cfg(feature = "webhooks")]
mod worker;

#[cfg(feature = "webhooks")]
pub use handler::{Handler, HandlerError, HandlerFuture, InboxEvent, InboxRecord};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "webhooks")]
pub use service::{AcceptError, Accepted, Inbox, InboxConfig};
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteOptions, SqliteStore};
pub use store::{
    ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted, Millis,
    NewEvent, StoreError, StoredEvent,
};
pub use store_url::open_store;
#[cfg(feature = "webhooks")]
pub use worker::Workers;
