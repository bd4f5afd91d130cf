//! Helpers for tests (feature `test-util`, off by default): the fixtures that tests of this
//! crate, of the emulator and of both together share, and a retry sleeper that records its
//! waits instead of waiting.
//!
//! The webhook signer ([`crate::webhooks::WebhookSigner`]) and the token forgery of
//! [`crate::webhooks::testing`] sit behind the same feature. Nothing here is needed to call the
//! API or to verify Wix's webhooks.
//!
//! ```toml
//! [dev-dependencies]
//! wix-order-payment-requests = { version = "0.1", features = ["test-util"] }
//! ```

mod fixtures;
mod sleeper;

pub use fixtures::{
    unpaid_request, WixExampleWebhook, API_KEY, APP_PRIVATE_KEY_PEM, APP_PUBLIC_KEY_PEM,
    DOCS_ORDER_ID, SITE_ID, WIX_EXAMPLE_WEBHOOKS, WRONG_PRIVATE_KEY_PEM, WRONG_PUBLIC_KEY_PEM,
};
pub use sleeper::RecordingSleeper;
