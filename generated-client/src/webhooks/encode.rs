//! Building and signing webhook deliveries exactly as Wix nests them.
//!
//! The inverse of [`WebhookVerifier::verify`](super::WebhookVerifier::verify): an
//! [`EventPayload`] (event type, order payment request, metadata) becomes a `DomainEvent` that
//! embeds the request as a JSON object (`createdEvent.entity`, `actionEvent.body`, ...), whose
//! JSON string goes into a `WebhookEnvelope`, whose JSON string goes into the `data` claim of a
//! `WebhookJwtClaims`, which [`WebhookSigner`](super::WebhookSigner) signs RS256 with a PEM private key. The result is
//! the body of the HTTP POST.
//!
//! ```
//! # fn demo(private_key_pem: &[u8]) -> Result<(), wix_order_payment_requests::webhooks::WebhookError> {
//! use wix_order_payment_requests::types;
//! use wix_order_payment_requests::webhooks::{EventPayload, WebhookEventType, WebhookSigner};
//!
//! let signer = WebhookSigner::from_rsa_pem(private_key_pem)?.with_kid("test-key");
//! let request: types::OrderPaymentRequest = serde_json::from_value(serde_json::json!({
//!     "id": uuid::Uuid::new_v4(), "orderId": uuid::Uuid::new_v4(), "title": "Balance due",
//!     "status": "PAID", "amount": {"amount": "15.50", "formattedAmount": "$15.50"},
//!     "currency": "USD", "createdDate": "2026-06-01T14:22:18Z", "updatedDate": "2026-06-02T09:00:00Z",
//! }))
//! .expect("a complete order payment request");
//! let payload = EventPayload::new(WebhookEventType::WixEcomV1OrderPaymentRequestPaid, request)
//!     .with_sequence(3);
//! let body: String = signer.sign_event(&payload, std::time::SystemTime::now())?;
//! # Ok(()) }
//! ```

use std::time::{Duration, SystemTime};

use super::WebhookError;
use super::{WebhookEventKind, WebhookEventType};
use crate::types;
use wix_runtime::webhooks::{unix_seconds, SignableEvent};

/// The entity FQDN of this API's events.
pub const ENTITY_FQDN: &str = "wix.ecom.v1.order_payment_request";

/// Everything one delivery says, before nesting and signing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EventPayload {
    /// The event type. An unknown type is encoded with the order payment request as an
    /// `actionEvent` body.
    pub event_type: WebhookEventType,
    /// The request the event carries (the entity, or the action body's `orderPaymentRequest`).
    pub order_payment_request: types::OrderPaymentRequest,
    /// `DomainEvent.id` (default: a new random GUID).
    pub event_id: String,
    /// `DomainEvent.entityId` (default: the request's `id`).
    pub entity_id: Option<String>,
    /// `DomainEvent.eventTime` (default: now).
    pub event_time: chrono::DateTime<chrono::Utc>,
    /// `DomainEvent.entityEventSequence` (written as a string holding the integer).
    pub entity_event_sequence: Option<u64>,
    /// The envelope's `instanceId`.
    pub instance_id: Option<uuid::Uuid>,
    /// The envelope's `identity` (encoded as a JSON string).
    pub identity: Option<types::IdentificationData>,
    /// The envelope's `accountInfo`.
    pub account_info: Option<types::AccountInfo>,
    /// `DomainEvent.originatedFrom`.
    pub originated_from: Option<String>,
}

impl EventPayload {
    /// A payload for `event_type` carrying `order_payment_request`, with a random event id, the
    /// request's id as entity id, the current time, and no sequence, instance or identity.
    pub fn new(
        event_type: WebhookEventType,
        order_payment_request: types::OrderPaymentRequest,
    ) -> Self {
        Self {
            entity_id: Some(order_payment_request.id.to_string()),
            event_type,
            order_payment_request,
            event_id: uuid::Uuid::new_v4().to_string(),
            event_time: chrono::Utc::now(),
            entity_event_sequence: None,
            instance_id: None,
            identity: None,
            account_info: None,
            originated_from: None,
        }
    }

    /// Sets the event id.
    pub fn with_event_id(mut self, id: impl Into<String>) -> Self {
        self.event_id = id.into();
        self
    }

    /// Sets the entity id.
    pub fn with_entity_id(mut self, id: impl Into<String>) -> Self {
        self.entity_id = Some(id.into());
        self
    }

    /// Sets the event time.
    pub fn with_event_time(mut self, time: chrono::DateTime<chrono::Utc>) -> Self {
        self.event_time = time;
        self
    }

    /// Sets the entity event sequence.
    pub fn with_sequence(mut self, sequence: u64) -> Self {
        self.entity_event_sequence = Some(sequence);
        self
    }

    /// Sets the app instance id.
    pub fn with_instance_id(mut self, id: uuid::Uuid) -> Self {
        self.instance_id = Some(id);
        self
    }

    /// Sets who triggered the event.
    pub fn with_identity(mut self, identity: types::IdentificationData) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Sets the account info.
    pub fn with_account_info(mut self, info: types::AccountInfo) -> Self {
        self.account_info = Some(info);
        self
    }

    /// Sets `DomainEvent.originatedFrom`.
    pub fn with_originated_from(mut self, origin: impl Into<String>) -> Self {
        self.originated_from = Some(origin.into());
        self
    }

    /// The domain event, with the request as an embedded object in the member the event type's
    /// kind selects (`createdEvent.entity`, `updatedEvent.currentEntity`,
    /// `deletedEvent.deletedEntity` or `actionEvent.body` = `{"orderPaymentRequest": ...}`), as
    /// Wix sends it. The alternate `*AsJson` names are never written.
    pub fn domain_event(&self) -> types::DomainEvent {
        let entity = Some(self.order_payment_request.clone());
        let mut event = types::DomainEvent {
            id: Some(self.event_id.clone()),
            entity_fqdn: Some(ENTITY_FQDN.to_string()),
            slug: self.event_type.slug().map(str::to_string).or_else(|| {
                self.event_type
                    .as_str()
                    .rsplit('_')
                    .next()
                    .map(str::to_string)
            }),
            entity_id: self.entity_id.clone(),
            event_time: Some(self.event_time),
            entity_event_sequence: self.entity_event_sequence.map(|s| s.to_string()),
            originated_from: self.originated_from.clone(),
            ..Default::default()
        };
        match self.event_type.kind() {
            Some(WebhookEventKind::Created) => {
                event.created_event = Some(types::EntityCreatedEvent {
                    entity,
                    ..Default::default()
                });
            }
            Some(WebhookEventKind::Updated) => {
                event.updated_event = Some(types::EntityUpdatedEvent {
                    current_entity: entity,
                    ..Default::default()
                });
            }
            Some(WebhookEventKind::Deleted) => {
                event.deleted_event = Some(types::EntityDeletedEvent {
                    deleted_entity: entity,
                    ..Default::default()
                });
            }
            Some(WebhookEventKind::Action) | None => {
                event.action_event = Some(types::ActionEvent {
                    body: Some(types::OrderPaymentRequestPaid {
                        order_payment_request: entity,
                    }),
                    ..Default::default()
                });
            }
        }
        event
    }

    /// The envelope: event type, instance, identity (JSON string), account info and the domain
    /// event (JSON string).
    pub fn envelope(&self) -> Result<types::WebhookEnvelope, WebhookError> {
        Ok(types::WebhookEnvelope {
            event_type: Some(self.event_type.as_str().parse().map_err(
                |e: types::error::ConversionError| WebhookError::Encode {
                    reason: format!("eventType: {e}"),
                },
            )?),
            instance_id: self.instance_id,
            identity: self.identity.as_ref().map(to_json).transpose()?,
            account_info: self.account_info.clone(),
            data: Some(to_json(&self.domain_event())?),
        })
    }

    /// The JWT claims: the envelope's JSON in `data`, `iat` = `issued_at`, `exp` = `iat + ttl`.
    pub fn claims(
        &self,
        issued_at: SystemTime,
        ttl: Duration,
    ) -> Result<types::WebhookJwtClaims, WebhookError> {
        let iat = unix_seconds(issued_at);
        Ok(types::WebhookJwtClaims {
            data: to_json(&self.envelope()?)?,
            iat: Some(iat),
            exp: Some(iat.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX))),
        })
    }
}

impl SignableEvent for EventPayload {
    fn claims(
        &self,
        issued_at: SystemTime,
        ttl: Duration,
    ) -> Result<types::WebhookJwtClaims, WebhookError> {
        EventPayload::claims(self, issued_at, ttl)
    }

    fn event_id(&self) -> &str {
        &self.event_id
    }

    fn event_type(&self) -> &str {
        self.event_type.as_str()
    }

    fn entity_id(&self) -> Option<&str> {
        self.entity_id.as_deref()
    }
}

fn encode_error(e: serde_json::Error) -> WebhookError {
    WebhookError::Encode {
        reason: e.to_string(),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, WebhookError> {
    serde_json::to_string(value).map_err(encode_error)
}
