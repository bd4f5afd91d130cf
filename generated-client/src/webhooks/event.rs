//! Decoding verified claims into typed events.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{json_type, WebhookError};
use super::{WebhookEventKind, WebhookEventType};
use crate::types;

/// What every event carries besides its body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EventMetadata {
    /// The envelope's `eventType`.
    pub event_type: WebhookEventType,
    /// `DomainEvent.id`: the event id, the key for dropping duplicates.
    pub event_id: Option<String>,
    /// `DomainEvent.entityId`: the order payment request GUID.
    pub entity_id: Option<String>,
    /// `DomainEvent.entityFqdn`, normally `wix.ecom.v1.order_payment_request`.
    pub entity_fqdn: Option<String>,
    /// `DomainEvent.slug`, e.g. `paid`.
    pub slug: Option<String>,
    /// `DomainEvent.eventTime`.
    pub event_time: Option<chrono::DateTime<chrono::Utc>>,
    /// `DomainEvent.entityEventSequence`, parsed; `None` when absent or not an integer (the raw
    /// text is in [`EventMetadata::entity_event_sequence_raw`]).
    pub entity_event_sequence: Option<u64>,
    /// `DomainEvent.entityEventSequence` as received.
    pub entity_event_sequence_raw: Option<String>,
    /// `DomainEvent.originatedFrom`.
    pub originated_from: Option<String>,
    /// `DomainEvent.triggeredByAnonymizeRequest`.
    pub triggered_by_anonymize_request: Option<bool>,
    /// Who triggered the event (the envelope's `identity`, decoded).
    pub identity: Option<types::IdentificationData>,
    /// The envelope's `instanceId`: the app instance (site) the event belongs to.
    pub instance_id: Option<uuid::Uuid>,
    /// The envelope's `accountInfo`.
    pub account_info: Option<types::AccountInfo>,
}

/// An event about one order payment request, with the request as the event carries it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EntityEvent {
    /// Event id, entity id, time, sequence, identity, instance.
    pub metadata: EventMetadata,
    /// The order payment request: the entity (`created`, `updated`, `deleted`) or the action
    /// body's `orderPaymentRequest` (`paid`, `expired`, `voided`).
    pub order_payment_request: types::OrderPaymentRequest,
}

/// An event whose type this version does not know. Nothing beyond the envelope is decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// What the envelope and domain event say about it.
    pub metadata: EventMetadata,
    /// The domain event, as decoded from the envelope's `data`.
    pub domain_event: types::DomainEvent,
    /// The envelope's `data` exactly as received.
    pub raw_domain_event: String,
}

/// A verified webhook event, one variant per event type of the spec's `x-wix-webhooks`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `wix.ecom.v1.order_payment_request_created`.
    Created(EntityEvent),
    /// `wix.ecom.v1.order_payment_request_updated` (the whole request after the update).
    Updated(EntityEvent),
    /// `wix.ecom.v1.order_payment_request_deleted`.
    Deleted(EntityEvent),
    /// `wix.ecom.v1.order_payment_request_paid`: the status changed to `PAID`.
    Paid(EntityEvent),
    /// `wix.ecom.v1.order_payment_request_expired`: the status changed to `EXPIRED`.
    Expired(EntityEvent),
    /// `wix.ecom.v1.order_payment_request_voided`: the status changed to `VOIDED`.
    Voided(EntityEvent),
    /// An event type this version does not know, kept raw.
    Unknown(UnknownEvent),
}

impl Event {
    /// The event's metadata.
    pub fn metadata(&self) -> &EventMetadata {
        match self {
            Event::Created(e)
            | Event::Updated(e)
            | Event::Deleted(e)
            | Event::Paid(e)
            | Event::Expired(e)
            | Event::Voided(e) => &e.metadata,
            Event::Unknown(e) => &e.metadata,
        }
    }

    /// The event type.
    pub fn event_type(&self) -> &WebhookEventType {
        &self.metadata().event_type
    }

    /// The order payment request the event carries, unless the event is unknown.
    pub fn order_payment_request(&self) -> Option<&types::OrderPaymentRequest> {
        match self {
            Event::Created(e)
            | Event::Updated(e)
            | Event::Deleted(e)
            | Event::Paid(e)
            | Event::Expired(e)
            | Event::Voided(e) => Some(&e.order_payment_request),
            Event::Unknown(_) => None,
        }
    }
}

/// Decodes the nested JSON of already verified claims into an [`Event`]. It checks no
/// signature: use [`WebhookVerifier::verify`](super::WebhookVerifier::verify) on request bodies.
pub fn decode_claims(claims: &types::WebhookJwtClaims) -> Result<Event, WebhookError> {
    let envelope_value = parse_object(&claims.data, "data")?;
    let domain_text =
        string_member(&envelope_value, "data", "data.data")?.ok_or_else(|| missing("data.data"))?;
    let identity_text = string_member(&envelope_value, "identity", "data.identity")?;
    let envelope: types::WebhookEnvelope = from_value(Value::Object(envelope_value), "data")?;
    let event_type = envelope
        .event_type
        .as_ref()
        .map(|t| WebhookEventType::from(t.as_str()))
        .ok_or_else(|| missing("data.eventType"))?;
    let identity = identity_text
        .map(|text| from_str::<types::IdentificationData>(&text, "data.identity"))
        .transpose()?;
    let domain_event: types::DomainEvent = from_str(&domain_text, "data.data")?;

    let sequence_raw = domain_event.entity_event_sequence.clone();
    let metadata = EventMetadata {
        event_type: event_type.clone(),
        event_id: domain_event.id.clone(),
        entity_id: domain_event.entity_id.clone(),
        entity_fqdn: domain_event.entity_fqdn.clone(),
        slug: domain_event.slug.clone(),
        event_time: domain_event.event_time,
        entity_event_sequence: sequence_raw.as_deref().and_then(|s| s.trim().parse().ok()),
        entity_event_sequence_raw: sequence_raw,
        originated_from: domain_event.originated_from.clone(),
        triggered_by_anonymize_request: domain_event.triggered_by_anonymize_request,
        identity,
        instance_id: envelope.instance_id,
        account_info: envelope.account_info,
    };

    let Some(kind) = event_type.kind() else {
        return Ok(Event::Unknown(UnknownEvent {
            metadata,
            domain_event,
            raw_domain_event: domain_text,
        }));
    };
    let order_payment_request = match kind {
        WebhookEventKind::Created => {
            let body = domain_event.created_event.as_ref();
            entity(
                body.and_then(|b| b.entity.as_ref().or(b.entity_as_json.as_ref())),
                "data.data.createdEvent.entity",
            )?
        }
        WebhookEventKind::Updated => {
            let body = domain_event.updated_event.as_ref();
            entity(
                body.and_then(|b| {
                    b.current_entity
                        .as_ref()
                        .or(b.current_entity_as_json.as_ref())
                }),
                "data.data.updatedEvent.currentEntity",
            )?
        }
        WebhookEventKind::Deleted => {
            let body = domain_event.deleted_event.as_ref();
            entity(
                body.and_then(|b| {
                    b.deleted_entity
                        .as_ref()
                        .or(b.deleted_entity_as_json.as_ref())
                }),
                "data.data.deletedEvent.deletedEntity",
            )?
        }
        WebhookEventKind::Action => {
            let path = "data.data.actionEvent.body";
            let text = domain_event
                .action_event
                .as_ref()
                .and_then(|b| b.body.as_ref().or(b.body_as_json.as_ref()))
                .ok_or_else(|| missing(path))?;
            // Paid, Expired and Voided bodies share one shape, `{orderPaymentRequest}`.
            let body: types::OrderPaymentRequestPaid = from_str(text, path)?;
            body.order_payment_request
                .ok_or_else(|| missing(&format!("{path}.orderPaymentRequest")))?
        }
    };
    let event = EntityEvent {
        metadata,
        order_payment_request,
    };
    Ok(match event.metadata.event_type {
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated => Event::Created(event),
        WebhookEventType::WixEcomV1OrderPaymentRequestUpdated => Event::Updated(event),
        WebhookEventType::WixEcomV1OrderPaymentRequestDeleted => Event::Deleted(event),
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid => Event::Paid(event),
        WebhookEventType::WixEcomV1OrderPaymentRequestExpired => Event::Expired(event),
        WebhookEventType::WixEcomV1OrderPaymentRequestVoided => Event::Voided(event),
        _ => Event::Unknown(UnknownEvent {
            metadata: event.metadata,
            domain_event,
            raw_domain_event: domain_text,
        }),
    })
}

fn missing(path: &str) -> WebhookError {
    WebhookError::Missing {
        path: path.to_string(),
    }
}

fn entity(text: Option<&String>, path: &str) -> Result<types::OrderPaymentRequest, WebhookError> {
    from_str(text.ok_or_else(|| missing(path))?, path)
}

fn parse_object(text: &str, path: &str) -> Result<Map<String, Value>, WebhookError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(WebhookError::MalformedJson {
            path: path.to_string(),
            source: <serde_json::Error as serde::de::Error>::custom(format!(
                "expected a JSON object, found {}",
                json_type(&other)
            )),
        }),
        Err(source) => Err(WebhookError::MalformedJson {
            path: path.to_string(),
            source,
        }),
    }
}

/// The member `key` of `object`, which must be a string when present.
fn string_member(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<String>, WebhookError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(WebhookError::NotAString {
            path: path.to_string(),
            found: json_type(other),
        }),
    }
}

fn from_str<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, WebhookError> {
    serde_json::from_str(text).map_err(|source| WebhookError::MalformedJson {
        path: path.to_string(),
        source,
    })
}

fn from_value<T: DeserializeOwned>(value: Value, path: &str) -> Result<T, WebhookError> {
    serde_json::from_value(value).map_err(|source| WebhookError::MalformedJson {
        path: path.to_string(),
        source,
    })
}
