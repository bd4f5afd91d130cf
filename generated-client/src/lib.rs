//! Typed Rust client for the Wix eCommerce **Order Payment Requests** API.
//!
//! A merchant's backend creates a payment request for an existing order, gets a payment-page
//! URL, sends it to the customer, and learns through webhooks when the request is paid, expired
//! or voided.
//!
//! Start with [`WixClient`]: credentials from the environment, checks before sending,
//! retries where they are safe, typed errors, queries that page for you, and
//! [`WixClient::create_once`], which makes one payment request per invoice however often it
//! is called.
//!
//! ```no_run
//! use wix_order_payment_requests::{types, WixClient};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // WIX_API_KEY with WIX_SITE_ID (a GUID) or WIX_ACCOUNT_ID; WIX_BASE_URL for the emulator.
//! let client = WixClient::from_env()?;
//! let request = types::NewOrderPaymentRequest::new(
//!     "a931e280-254a-49a7-9641-22ef64c444ae".parse()?,
//!     "15.50".parse()?,
//!     "Balance Due for Order #10052".parse()?,
//! );
//! let once = client.create_once(&"invoice-10052".parse()?, request).await?;
//! println!("send this link: {}", once.url);
//! # Ok(()) }
//! ```
//!
//! Webhooks (feature `webhooks`): `webhooks::inbox` stores each verified delivery before Wix
//! gets its `200` and hands it to your handler, retried until it succeeds.
//!
//! Below it, [`raw::Client`] is the generated low-level client (one builder per operation),
//! reachable from a `WixClient` through [`WixClient::raw`].
//!
//! Requests and answers have their own types, from the spec's `required` lists: a create takes
//! a [`types::NewOrderPaymentRequest`] whose required fields are plain fields ([`input`]), and
//! what Wix always fills in a [`types::OrderPaymentRequest`] it returns is a plain field too.
//!
//! Layout: [`generated`] is produced from `spec/openapi.yaml` by `cargo xtask generate` and never
//! edited by hand; the other modules are hand-written around it.
//!
//! # Features
//!
//! - `webhooks` (off): `webhooks`, verified and typed webhook events, and the
//!   `webhooks::inbox` that stores them before Wix gets its `200`.
//! - `axum` (off): `webhooks::inbox::Inbox::receiver`, the inbox's HTTP side.
//! - `sqlite`, `postgres` (off): the inbox's SQL stores and the shared locks of
//!   [`WixClient::create_once`] ([`create_lock`]), over sqlx.
//! - `schemars` (off): `schemars::JsonSchema` for every request, answer and enum type.
//! - `type-builders` (off): a field-by-field builder for every type (`X::builder()`) and each
//!   operation builder's `body_map`, which the `wix-opr` CLI fills bodies with.
//! - `test-util` (off): helpers for tests and emulators, kept out of the default API: the
//!   webhook signer (`webhooks::WebhookSigner`, `webhooks::encode`), forged tokens
//!   (`webhooks::testing`), and `testing`: shared fixtures (site id, the docs' order, throwaway
//!   keys, webhooks in the shape of Wix's examples) and a retry sleeper that records its waits.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub use wix_runtime::context;
pub use wix_runtime::error;
#[allow(missing_docs)]
pub mod generated;
pub mod input;
pub mod money;
pub mod query;
pub mod raw;
pub mod retry;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod validate;
#[cfg(feature = "webhooks")]
pub mod webhooks;
mod wix_client;

pub use context::{ClientContext, Credentials, Tenant};
pub use error::{ApiError, ApplicationErrorCode, Error, StatusSource};
#[doc(inline)]
pub use generated::client::types;
pub use generated::enums::{PaymentMethod, SortOrder, Status, WebhookIdentityType};
pub use generated::error_codes;
pub use money::Amount;
pub use query::{Field, Filter, Query};
pub use retry::RetryPolicy;
/// The id type of payment requests and orders (GUIDs on the wire).
pub use uuid::Uuid;
pub use wix_client::{ClientBuilder, Created, CreatedOnce, QueryRun, WixClient, DEFAULT_BASE_URL};
/// What every generated Wix client shares (credentials, errors, retries, decimals, the
/// webhook verifier and inbox), for what this crate does not re-export itself: for example
/// `wix_runtime::inbox::Handler<Event>`, to write an inbox handler as a type.
pub use wix_runtime;
pub use wix_runtime::build_error::{BuildError, Origin};
pub use wix_runtime::create_lock;

/// Compiles the README's code blocks as doctests, so the usage shown there keeps working.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
