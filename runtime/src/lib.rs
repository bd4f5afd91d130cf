//! What every client crate generated from a Wix API spec shares, written once.
//!
//! A client crate (such as `wix-order-payment-requests`) holds the code generated from its
//! spec and the hand-written parts particular to its API; this crate holds the parts that are
//! the same for every Wix API:
//!
//! - [`rules`]: the types of the generated rule tables (operations, bounds, decimal ranges,
//!   queryable fields). The tables are data generated from a spec; their types are here.
//! - [`context`]: credentials (API key or an app's OAuth client credentials), the tenant
//!   (site or account) and the client-wide settings; [`build_error`] says why they could not
//!   be put together.
//! - [`hooks`]: what a generated client does around each request (authorize, send through
//!   the retry engine, record the answer), and [`headers`], the platform's headers.
//! - [`error`]: the error of every call ([`error::Error`]), with the operation's typed
//!   application error code, and [`wire`]: the Wix error body it is read from.
//! - [`operation`]: one operation as a type (`ApiOperation`), which codegen emits a marker of
//!   per operation.
//! - [`money`]: exact decimal amounts in a schema's range.
//! - [`query`]: typed WQL filters over the generated query fields.
//! - [`retry`]: which failures are worth repeating, the retry policy and the one engine.
//! - [`last_response`]: the status and request id of a typed call's last answer.
//! - `webhooks` (feature `webhooks`): verification of webhook deliveries (RS256 JWTs).
//! - [`create_lock`]: the locks that make "create once" create one entity per key across
//!   tasks, processes and replicas.
//! - [`inbox`]: where the webhook inbox keeps events (memory, SQLite, Postgres).
//! - [`redact_url`]: store URLs with their passwords hidden, for logs and errors.
//!
//! Users of a client crate reach these through its re-exports (`create_lock`,
//! `webhooks::inbox`), at the paths its docs show.
//!
//! # Features
//!
//! - `sqlite` (off): the SQLite inbox store and create lock, over sqlx with bundled SQLite.
//! - `postgres` (off): the Postgres inbox store and create lock (TLS with rustls).
//! - `schemars` (off): `schemars::JsonSchema` for the [`wire`] types.
//! - `webhooks` (off): the webhook verifier, with aws-lc-rs (which rustls already builds), `pem`
//!   and `base64`.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod build_error;
pub mod context;
pub mod create_lock;
pub mod error;
pub mod headers;
pub mod hooks;
pub mod inbox;
pub mod last_response;
pub mod millis;
pub mod money;
pub mod operation;
pub mod paging;
pub mod query;
mod redact;
pub mod retry;
pub mod rules;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "webhooks")]
pub mod webhooks;
pub mod wire;

pub use redact::redact_url;
/// The exact decimals of the rule tables' ranges, for the generated constants.
pub use rust_decimal;
