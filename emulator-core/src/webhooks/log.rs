//! The delivery log: one record per HTTP attempt.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum AttemptOutcome {
    /// The receiver answered `200` in time.
    Delivered {
        /// Always 200.
        status: u16,
    },
    /// The receiver answered in time with another status.
    Rejected {
        /// The status it answered.
        status: u16,
    },
    /// No answer within the delivery timeout.
    TimedOut,
    /// The request could not be sent (connection refused, DNS, TLS...).
    ConnectionFailed {
        /// What failed.
        error: String,
    },
    /// The delivery could not be signed; it is not tried again.
    SigningFailed {
        /// What failed.
        error: String,
    },
}

impl AttemptOutcome {
    /// Whether the receiver took the event (answered `200` in time).
    pub fn is_delivered(&self) -> bool {
        matches!(self, Self::Delivered { .. })
    }

    /// The HTTP status the receiver answered, if it answered in time.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Delivered { status } | Self::Rejected { status } => Some(*status),
            _ => None,
        }
    }

    /// Why the attempt failed, if it did not reach the receiver or timed out.
    pub fn error(&self) -> Option<String> {
        match self {
            Self::Delivered { .. } | Self::Rejected { .. } => None,
            Self::TimedOut => Some("timed out".to_string()),
            Self::ConnectionFailed { error } | Self::SigningFailed { error } => Some(error.clone()),
        }
    }
}

/// One attempt to deliver one event to one subscriber.
///
/// JSON (camelCase): `deliveryId, eventId, eventType, entityId, siteId, entityEventSequence,
/// url, attempt, outcome, status?, error?, at, elapsedMs, final, nextAttemptAt?, redeliveryOf?`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRecord {
    /// Shared by every attempt of one event to one subscriber; the key for redelivery.
    pub delivery_id: Uuid,
    /// `DomainEvent.id` (the same in every attempt and redelivery of the event).
    pub event_id: String,
    /// The event type, e.g. `wix.ecom.v1.order_payment_request_paid`.
    pub event_type: String,
    /// `DomainEvent.entityId`: the entity the event is about.
    pub entity_id: Option<String>,
    /// The site the event belongs to.
    pub site_id: String,
    /// `DomainEvent.entityEventSequence`.
    pub entity_event_sequence: u64,
    /// The subscriber.
    pub url: String,
    /// 1 for the first attempt, up to 13.
    pub attempt: u32,
    /// How the attempt ended.
    #[serde(flatten)]
    pub outcome: AttemptOutcome,
    /// When the attempt was signed and sent (emulator clock; the token's `iat`).
    pub at: DateTime<Utc>,
    /// How long the HTTP exchange took, in milliseconds (wall time).
    pub elapsed_ms: u64,
    /// Whether no attempt follows: delivered, or given up after the last try.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// When the next attempt is due (emulator clock), unless this one is final.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The delivery this one repeats, for deliveries started by a redelivery request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redelivery_of: Option<Uuid>,
}

impl DeliveryRecord {
    /// Whether this attempt was the last one and the event never got through.
    pub fn gave_up(&self) -> bool {
        self.is_final && !self.outcome.is_delivered()
    }
}

/// A bounded log of attempts, oldest first; the oldest are dropped when it is full.
#[derive(Debug)]
pub(crate) struct DeliveryLog {
    records: Mutex<VecDeque<DeliveryRecord>>,
    capacity: usize,
}

impl DeliveryLog {
    /// An empty log keeping at most `capacity` records (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            records: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<DeliveryRecord>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends a record, dropping the oldest if the log is full.
    pub(crate) fn push(&self, record: DeliveryRecord) {
        let mut records = self.lock();
        while records.len() >= self.capacity {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// Every record, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<DeliveryRecord> {
        self.lock().iter().cloned().collect()
    }

    /// Empties the log.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(attempt: u32, outcome: AttemptOutcome, is_final: bool) -> DeliveryRecord {
        DeliveryRecord {
            delivery_id: Uuid::nil(),
            event_id: "e".into(),
            event_type: "wix.ecom.v1.order_payment_request_paid".into(),
            entity_id: Some("x".into()),
            site_id: "s".into(),
            entity_event_sequence: 1,
            url: "http://127.0.0.1:1/".into(),
            attempt,
            outcome,
            at: Utc::now(),
            elapsed_ms: 3,
            is_final,
            next_attempt_at: None,
            redelivery_of: None,
        }
    }

    #[test]
    fn keeps_the_newest_records() {
        let log = DeliveryLog::new(2);
        for attempt in 1..=3 {
            log.push(record(attempt, AttemptOutcome::TimedOut, false));
        }
        let attempts: Vec<u32> = log.snapshot().iter().map(|r| r.attempt).collect();
        assert_eq!(attempts, vec![2, 3]);
        log.clear();
        assert!(log.snapshot().is_empty());
    }

    #[test]
    fn serializes_flat_camel_case() {
        let json = serde_json::to_value(record(2, AttemptOutcome::Rejected { status: 500 }, false))
            .unwrap();
        assert_eq!(json["outcome"], "rejected");
        assert_eq!(json["status"], 500);
        assert_eq!(json["final"], false);
        assert_eq!(json["entityEventSequence"], 1);
        assert!(json.get("nextAttemptAt").is_none());
        let timed_out = serde_json::to_value(record(1, AttemptOutcome::TimedOut, true)).unwrap();
        assert_eq!(timed_out["outcome"], "timedOut");
    }

    #[test]
    fn outcome_helpers() {
        let delivered = record(1, AttemptOutcome::Delivered { status: 200 }, true);
        assert!(!delivered.gave_up());
        assert_eq!(delivered.outcome.status(), Some(200));
        let failed = record(
            13,
            AttemptOutcome::ConnectionFailed {
                error: "refused".into(),
            },
            true,
        );
        assert!(failed.gave_up());
        assert_eq!(failed.outcome.error().as_deref(), Some("refused"));
        assert_eq!(AttemptOutcome::TimedOut.status(), None);
    }
}
