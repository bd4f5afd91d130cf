//! What the inbox hands the application: one stored event at a time, to an async handler.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

use super::Millis;
use crate::webhooks::Event;

/// The error a handler returns; its text is kept with the event (`last_error`) and logged.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`Handler`] returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;

/// One stored event, as a worker hands it to the [`Handler`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InboxEvent {
    /// `DomainEvent.id`.
    pub event_id: String,
    /// The verified event, typed.
    pub event: Event,
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

impl InboxEvent {
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
/// Any `Fn(InboxEvent) -> impl Future<Output = Result<(), E>>` is a handler, for any error
/// type `E` that converts into [`HandlerError`]:
///
/// ```
/// use wix_order_payment_requests::webhooks::inbox::{Handler, InboxEvent};
/// use wix_order_payment_requests::webhooks::Event;
///
/// fn handler() -> impl Handler {
///     |delivered: InboxEvent| async move {
///         if let Event::Paid(paid) = &delivered.event {
///             println!("paid: {}", paid.order_payment_request.id);
///         }
///         Ok::<(), std::io::Error>(())
///     }
/// }
/// # let _ = handler();
/// ```
pub trait Handler: Send + Sync + 'static {
    /// Handles one event.
    fn handle(&self, event: InboxEvent) -> HandlerFuture;
}

impl<F, Fut, E> Handler for F
where
    F: Fn(InboxEvent) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError>,
{
    fn handle(&self, event: InboxEvent) -> HandlerFuture {
        let future = self(event);
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}
