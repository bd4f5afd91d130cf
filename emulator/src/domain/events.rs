//! Where state changes are announced: every sink (the webhook hub, test recorders) hears of
//! each created, updated, deleted, paid, expired and voided payment request, and of who made
//! the change ([`Actor`]).

use std::sync::{Arc, RwLock};

use uuid::Uuid;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;

use crate::domain::record::Record;

/// Who triggered a state change: the envelope's `identity` of the webhook event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Actor {
    /// The app, through the API (and the emulator itself: expiry, settled charges).
    #[default]
    App,
    /// A site visitor who has not logged in, e.g. the customer paying on the payment page;
    /// the `anonymousVisitorId`.
    Visitor(Uuid),
}

/// One announced state change.
#[derive(Debug, Clone, Copy)]
pub struct Announcement<'a> {
    /// The site (tenant) of the payment request.
    pub site: &'a str,
    /// What happened.
    pub event: &'a WebhookEventType,
    /// The payment request as it is after the change.
    pub opr: &'a types::OrderPaymentRequest,
    /// Who made the change.
    pub actor: Actor,
    /// The request's `entityEventSequence` for this event: 1 for its first event, then one
    /// more for each event after it. Kept on the record, so it costs no memory elsewhere.
    pub sequence: u64,
}

/// Something that hears of state changes. `emit` is called while the payment request is
/// locked, so events of one request arrive in the order of its changes; it must not block.
pub trait EventSink: Send + Sync {
    /// One event.
    fn emit(&self, announcement: &Announcement<'_>);
}

/// The sinks of one emulator.
#[derive(Default)]
pub struct Events {
    sinks: RwLock<Vec<Arc<dyn EventSink>>>,
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("sinks", &self.sinks.read().map(|s| s.len()).unwrap_or(0))
            .finish()
    }
}

impl Events {
    /// Adds a sink.
    pub fn add(&self, sink: Arc<dyn EventSink>) {
        self.sinks
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(sink);
    }

    /// Tells every sink of one event about `record` (its tenant locked by the caller), giving
    /// the event the record's next sequence number.
    pub fn emit(&self, site: &str, event: WebhookEventType, record: &mut Record, actor: Actor) {
        self.emit_all(site, &[event], record, actor);
    }

    /// Tells every sink of `events`, in order, about `record` as it is now: one wire form for
    /// all of them, and the record's next sequence number for each.
    fn emit_all(&self, site: &str, events: &[WebhookEventType], record: &mut Record, actor: Actor) {
        let sinks = self.sinks.read().unwrap_or_else(|e| e.into_inner());
        let opr = (!sinks.is_empty()).then(|| record.to_wire());
        for event in events {
            let sequence = record.next_event_sequence();
            let Some(opr) = &opr else { continue };
            let announcement = Announcement {
                site,
                event,
                opr,
                actor,
                sequence,
            };
            for sink in sinks.iter() {
                sink.emit(&announcement);
            }
        }
    }

    /// A status change: `updated`, then the action event (`paid`, `expired`, `voided`), both
    /// triggered by `actor`.
    pub fn emit_action(
        &self,
        site: &str,
        action: WebhookEventType,
        record: &mut Record,
        actor: Actor,
    ) {
        self.emit_all(
            site,
            &[
                WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
                action,
            ],
            record,
            actor,
        );
    }
}
