//! Verified, typed webhook events.
//!
//! Wix delivers a webhook as an HTTP POST whose body is a JWT signed RS256 with the app's key
//! pair. Its claim `data` is the JSON of a `WebhookEnvelope` (`{eventType, instanceId, identity,
//! accountInfo, data}`), whose `identity` is the JSON of an `IdentificationData` and whose `data`
//! is the JSON of a `DomainEvent`; those three are JSON strings. Inside the domain event, the
//! entity or action body (`createdEvent.entity`, `updatedEvent.currentEntity`,
//! `deletedEvent.deletedEntity`, `actionEvent.body`) is an embedded JSON object.
//! [`WebhookVerifier::verify`] checks all of it and returns an [`Event`]:
//!
//! 1. the body is at most [`MAX_BODY_BYTES`] (configurable) and has the shape of a JWT;
//! 2. the JWT header says `RS256` (anything else, `none` and `HS256` included, is refused before
//!    any signature check) and lists no critical extensions (`crit`, RFC 7515 §4.1.11);
//! 3. the signature verifies with the app's public key (PEM);
//! 4. `exp` has not passed and neither `iat` nor `nbf` is in the future, each with a leeway,
//!    against a [`Clock`] that tests can replace;
//! 5. the nested JSON strings decode into the spec's `types::*`, and the body of the event into a
//!    typed [`types::OrderPaymentRequest`](crate::types::OrderPaymentRequest). The body is read
//!    as Wix sends it, an object; a JSON string holding the object (the form the SDK package's
//!    typings describe) is accepted too and gives the same [`Event`].
//!
//! Every failure is a specific [`WebhookError`] variant.
//!
//! ```no_run
//! use wix_order_payment_requests::webhooks::{Event, WebhookVerifier};
//!
//! # fn demo(body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = WebhookVerifier::from_rsa_pem(&std::fs::read("wix_app_public_key.pem")?)?;
//! match verifier.verify(body)? {
//!     Event::Paid(paid) => println!("paid: {:?}", paid.order_payment_request.id),
//!     other => println!("{} for {:?}", other.event_type(), other.metadata().entity_id),
//! }
//! # Ok(()) }
//! ```
//!
//! Wix retries a delivery that was not answered 200 within 1250 ms and may deliver an event
//! more than once or out of order. The [`inbox`] answers only once the event is stored, drops
//! redeliveries and stale updates, and hands every stored event to an async handler, retried
//! until it succeeds: receivers should use it rather than [`WebhookVerifier`] alone.
//!
//! With the feature `test-util`, `encode` builds the same nested payload from a
//! `types::OrderPaymentRequest` and signs it with a PEM private key (`WebhookSigner`, for
//! emulators and tests), and `testing` adds helpers for forging deliberately broken tokens.
//! Receivers need neither.

mod embedded;
mod event;
pub mod inbox;

#[cfg(feature = "test-util")]
pub mod encode;
#[cfg(feature = "test-util")]
pub mod testing;

pub use crate::generated::webhook_events::{WebhookEventKind, WebhookEventType};
#[cfg(feature = "test-util")]
pub use encode::EventPayload;
pub use event::{decode_claims, EntityEvent, Event, EventMetadata, UnknownEvent};
pub use wix_runtime::webhooks::{
    Clock, FixedClock, SystemClock, WebhookError, DEFAULT_LEEWAY, MAX_BODY_BYTES,
};
#[cfg(feature = "test-util")]
pub use wix_runtime::webhooks::{SignableEvent, WebhookSigner};

/// Verifies webhook bodies with the app's RS256 public key and decodes them into [`Event`]s:
/// the runtime's verifier of this API's events. Cheap to clone and shareable between threads.
pub type WebhookVerifier = wix_runtime::webhooks::WebhookVerifier<Event>;
