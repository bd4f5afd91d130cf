//! Where the webhook inbox keeps events: the [`InboxStore`] trait and its stores
//! ([`MemoryStore`]; `SqliteStore` with the feature `sqlite`; `PostgresStore` with the feature
//! `postgres`), opened from a URL with [`open_store`].
//!
//! A store holds each delivery as received (the signed body, with the event id, type, entity
//! id and sequence read from it) and the state of its handling. It knows nothing of an API's
//! types: the client crate's `webhooks::inbox` verifies and decodes, and drives a store
//! through this trait.

mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;
mod store_url;

pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::{SqliteOptions, SqliteStore};
pub use store::{
    ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted, Millis,
    NewEvent, StoreError, StoredEvent,
};
pub use store_url::open_store;
