//! Typed Rust client for the Wix eCommerce **Order Payment Requests** API.
//!
//! A merchant's backend creates a payment request for an existing order, gets a payment-page
//! URL, sends it to the customer, and learns through webhooks when the request is paid, expired
//! or voided.
//!
//! ```no_run
//! use wix_order_payment_requests::{types, Client, ClientContext, Credentials};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let context = ClientContext::new(Credentials::api_key_for_site(
//!     std::env::var("WIX_API_KEY")?,
//!     std::env::var("WIX_SITE_ID")?, // a GUID; anything else is refused here
//! )?);
//! let client = Client::new("https://www.wixapis.com", context);
//!
//! let created = client
//!     .create_order_payment_request()
//!     .body(types::CreateOrderPaymentRequestRequest {
//!         order_payment_request: types::NewOrderPaymentRequest::new(
//!             "a931e280-254a-49a7-9641-22ef64c444ae".parse()?,
//!             "15.50".parse()?,
//!             "Balance Due for Order #10052".parse()?,
//!         ),
//!     })
//!     .send_typed()
//!     .await?;
//! println!("send this link: {}", created.order_payment_request_url.as_str());
//! # Ok(()) }
//! ```
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
//! - `webhooks` (default): [`webhooks`], verified and typed webhook events, and the
//!   [`webhooks::inbox`] that stores them before Wix gets its `200`.
//! - `axum` (off): `webhooks::inbox::Inbox::receiver`, the inbox's HTTP side.
//! - `sqlite`, `postgres` (off): the inbox's SQL stores and the shared locks of
//!   [`WixClient::create_once`] ([`create_lock`]), over sqlx.
//! - `test-util` (off): helpers for tests and emulators, kept out of the default API: the
//!   webhook signer (`webhooks::WebhookSigner`, `webhooks::encode`), forged tokens
//!   (`webhooks::testing`), and `testing`: shared fixtures (site id, the docs' order, throwaway
//!   keys, webhooks in the shape of Wix's examples) and a retry sleeper that records its waits.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod context;
pub mod create_lock;
pub mod error;
#[allow(missing_docs)]
pub mod generated;
mod hooks;
pub mod input;
mod last_response;
pub mod money;
pub mod query;
pub mod redact;
pub mod retry;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod validate;
#[cfg(feature = "webhooks")]
pub mod webhooks;
pub mod wix_client;

pub use context::{ClientContext, Credentials, Tenant};
pub use error::{ApiError, ApplicationErrorCode, Error, StatusSource};
pub use generated::client::{builder, types, Client, ResponseValue};
pub use generated::enums::{PaymentMethod, SortOrder, Status, WebhookIdentityType};
pub use generated::error_codes;
pub use money::Amount;
pub use query::{Field, Filter, Query};
pub use retry::RetryPolicy;
pub use wix_client::{BuildError, ClientBuilder, Created, CreatedOnce, QueryRun, WixClient};

/// Compiles the README's code blocks as doctests, so the usage shown there keeps working.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
