//! Webhook verification, the same for every Wix API (feature `webhooks`): a delivery is an RS256
//! JWT whose claim `data` holds the event. [`WebhookVerifier`] checks the body's size and shape,
//! the algorithm (only `RS256`), critical extensions, the signature with the app's public key
//! and the times (`exp`, `iat`, `nbf`, with a leeway, against a [`Clock`]), then decodes the
//! claims into the API's typed event through [`FromClaims`], which a client crate implements.

mod error;
#[cfg(feature = "signer")]
mod sign;
mod verify;

pub use error::{json_type, WebhookError};
#[cfg(feature = "signer")]
pub use sign::{SignableEvent, WebhookSigner};
pub use verify::{
    decode_verified_token, unix_seconds, Clock, FixedClock, FromClaims, SystemClock,
    WebhookVerifier, DEFAULT_LEEWAY, MAX_BODY_BYTES,
};
