//! What the inbox hands the application: one stored event at a time, to an async handler.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

use super::Millis;
use crate::webhooks::FromClaims;

/// An API's typed webhook event, as the inbox needs to know it: decoded from verified claims
/// ([`FromClaims`]), with the id it is deduplicated by, its type, and the entity and sequence
/// that order it.
pub trait InboxRecord: FromClaims + std::fmt::Debug + Clone + Send + Sync + 'static {
    /// `DomainEvent.id`, which deduplicates redeliveries.
    fn event_id(&self) -> Option<&str>;
    /// The event type (`wix.ecom.v1.order_payment_request_paid`).
    fn event_type(&self) -> &str;
    /// The id of the entity the event is about.
    fn entity_id(&self) -> Option<&str>;
    /// `entityEventSequence`: the order of the entity's events.
    fn entity_event_sequence(&self) -> Option<u64>;
}

/// The error a handler returns; its text is kept with the event (`last_error`) and logged.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`Handler`] returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;

/// One stored event of the API's events `E`, as a worker hands it to the [`Handler`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InboxEvent<E> {
    /// `DomainEvent.id`.
    pub event_id: String,
    /// The verified event, typed.
    pub event: E,
    /// The delivery's body as Wix sent it (the signed JWT), for passing on. Its `exp` may have
    /// passed by the time a retry runs: whoever verifies it again checks its times as of
    /// [`received_at`](Self::received_at), with
    /// [`WebhookVerifier::verify_at`](crate::webhooks::WebhookVerifier::verify_at).
    pub body: String,
    /// Which try this is: 1 the first time.
    pub attempt: u32,
    /// The previous try's error, on a retry.
    pub previous_error: Option<String>,
    /// When the receiver stored it.
    pub received_at: DateTime<Utc>,
}

impl<E> InboxEvent<E> {
    pub(crate) fn received_at_from(millis: Millis) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

/// The application's work for one event. `Ok` marks the event done; `Err` (or a panic) marks
/// the try failed: the event is tried again with backoff, and parked as dead after
/// [`InboxConfig::max_attempts`](super::InboxConfig::max_attempts) tries.
///
/// Handlers must be idempotent in effect: an event is handled again when a worker dies (or
/// loses its lease) after the handler ran and before the event was marked done.
///
/// Any `Fn(InboxEvent<E>) -> impl Future<Output = Result<(), Err>>` is a handler, for any
/// error type `Err` that converts into [`HandlerError`].
pub trait Handler<E>: Send + Sync + 'static {
    /// Handles one event.
    fn handle(&self, event: InboxEvent<E>) -> HandlerFuture;
}

impl<F, Fut, Err, E> Handler<E> for F
where
    F: Fn(InboxEvent<E>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), Err>> + Send + 'static,
    Err: Into<HandlerError>,
{
    fn handle(&self, event: InboxEvent<E>) -> HandlerFuture {
        let future = self(event);
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}
