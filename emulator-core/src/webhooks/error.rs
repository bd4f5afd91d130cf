//! Errors of setting up webhook deliveries.

use std::fmt;

/// Why a [`WebhookHub`](super::WebhookHub) could not be built as configured, or a subscriber
/// was refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookSetupError {
    /// The private key is not a usable RSA private key (the message never contains the key).
    InvalidKey {
        /// What is wrong with it.
        reason: String,
    },
    /// A subscriber URL is not an absolute `http`/`https` URL.
    InvalidSubscriber {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `retry_compression` is not finite and above zero.
    InvalidCompression {
        /// The value given.
        value: f64,
    },
    /// The hub was built outside a Tokio runtime, so it cannot start its delivery worker.
    NoRuntime,
    /// The HTTP client for deliveries could not be built.
    HttpClient {
        /// What failed.
        reason: String,
    },
}

impl fmt::Display for WebhookSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidKey { reason } => write!(f, "unusable webhook signing key: {reason}"),
            Self::InvalidSubscriber { url, reason } => {
                write!(f, "invalid webhook subscriber URL {url:?}: {reason}")
            }
            Self::InvalidCompression { value } => write!(
                f,
                "webhook retry compression must be finite and above zero, got {value}"
            ),
            Self::NoRuntime => f.write_str(
                "the webhook hub must be created inside a Tokio runtime (it spawns its delivery worker)",
            ),
            Self::HttpClient { reason } => {
                write!(f, "could not build the webhook HTTP client: {reason}")
            }
        }
    }
}

impl std::error::Error for WebhookSetupError {}
