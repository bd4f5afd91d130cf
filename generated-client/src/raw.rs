//! The low-level client, one call per operation as the spec defines it: what [`WixClient`]
//! is built on, for what it does not wrap.
//!
//! [`Client`] has one method per operation, which returns that operation's request builder
//! ([`builder`]); the builder's `send()` answers with the crate's [`crate::Error`] and the
//! operation's typed application error code, like every [`WixClient`] method. The request and
//! answer types are the crate's [`crate::types`].
//!
//! A [`Client`] carries the same credentials, retry policy and hooks as the [`WixClient`] it
//! comes from ([`WixClient::raw`]); it does not check inputs against the spec before sending
//! (the types' own conversions still do), nor settle a create's unknown outcome.
//!
//! ```no_run
//! use wix_order_payment_requests::{raw, types, WixClient};
//!
//! # async fn demo(client: WixClient) -> Result<(), Box<dyn std::error::Error>> {
//! let raw: &raw::Client = client.raw();
//! let answer = raw
//!     .get_order_payment_request()
//!     .order_payment_request_id(uuid::Uuid::nil())
//!     .send()
//!     .await?;
//! let request: types::OrderPaymentRequest = answer.into_inner().order_payment_request;
//! # let _ = request; Ok(()) }
//! ```
//!
//! Each builder also has `send_raw()`, which returns progenitor's [`Error`] undecoded; the
//! `wix-opr` CLI uses it.
//!
//! The crate's root names only the high-level client:
//!
//! ```compile_fail
//! use wix_order_payment_requests::Client; // it is `raw::Client`
//! ```
//!
//! [`WixClient`]: crate::WixClient
//! [`WixClient::raw`]: crate::WixClient::raw

#[doc(inline)]
pub use crate::generated::client::{builder, Client, ResponseValue};
pub use progenitor_client::Error;
