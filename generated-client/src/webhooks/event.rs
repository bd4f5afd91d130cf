//! Decoding verified claims into typed events.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::embedded::{remove_embedded_objects, unwrap_json_strings};
use super::{WebhookEventKind, WebhookEventType};
use crate::types;
use wix_runtime::webhooks::{json_type, FromClaims, WebhookError};

/// What every event carries besides its body. Serializes with the API's camelCase names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
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
/// Serializes as the metadata's members and `orderPaymentRequest`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EntityEvent {
    /// Event id, entity id, time, sequence, identity, instance.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The order payment request: the entity (`created`, `updated`, `deleted`) or the action
    /// body's `orderPaymentRequest` (`paid`, `expired`, `voided`). It is the type the API's
    /// answers use, so what Wix always fills (`id`, `status`, ...) is a plain field; a payload
    /// without one of those fails to decode with an error naming it.
    pub order_payment_request: types::OrderPaymentRequest,
}

/// An event whose type this version does not know. Nothing beyond the envelope is decoded.
/// Serializes as the metadata's members, `domainEvent` and `rawDomainEvent`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UnknownEvent {
    /// What the envelope and domain event say about it.
    #[serde(flatten)]
    pub metadata: EventMetadata,
    /// The domain event, as decoded from the envelope's `data` (boxed: it embeds whole
    /// requests, and unknown events are rare).
    pub domain_event: Box<types::DomainEvent>,
    /// The envelope's `data` exactly as received.
    pub raw_domain_event: String,
}

/// A verified webhook event, one variant per event type of the spec's `x-wix-webhooks`.
/// Serializes as its variant's content, whose `eventType` names the variant.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
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

impl wix_runtime::inbox::InboxRecord for Event {
    fn event_id(&self) -> Option<&str> {
        self.metadata().event_id.as_deref()
    }

    fn event_type(&self) -> &str {
        self.metadata().event_type.as_str()
    }

    fn entity_id(&self) -> Option<&str> {
        self.metadata().entity_id.as_deref()
    }

    fn entity_event_sequence(&self) -> Option<u64> {
        self.metadata().entity_event_sequence
    }
}

impl FromClaims for Event {
    fn from_claims(claims: &types::WebhookJwtClaims) -> Result<Self, WebhookError> {
        decode_claims(claims)
    }
}

/// Decodes the nested JSON of already verified claims into an [`Event`]. It checks no
/// signature: use [`WebhookVerifier::verify`](super::WebhookVerifier::verify) on request bodies.
///
/// The claim `data`, the envelope's `data` and its `identity` are JSON strings. The entity or
/// action body inside the domain event is an embedded object; a JSON string holding that
/// object is accepted too and gives the same [`Event`].
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
        .map(|text| parse_object(&text, "data.identity"))
        .transpose()?
        .map(|object| {
            from_value::<types::IdentificationData>(Value::Object(object), "data.identity")
        })
        .transpose()?;
    let domain_value = parse_object(&domain_text, "data.data")?;
    let domain_event = if event_type.kind().is_some() {
        decode_domain_event(domain_value)?
    } else {
        // An event type this version does not know may carry a body of another shape; it
        // still decodes, without that body (which stays in `raw_domain_event`).
        decode_domain_event(domain_value.clone()).or_else(|_| {
            let mut metadata_only = domain_value;
            remove_embedded_objects(&mut metadata_only);
            decode_domain_event(metadata_only)
        })?
    };

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

    let (Some(kind), Some(variant)) = (event_type.kind(), entity_variant(&event_type)) else {
        return Ok(Event::Unknown(UnknownEvent {
            metadata,
            domain_event: Box::new(domain_event),
            raw_domain_event: domain_text,
        }));
    };
    Ok(variant(EntityEvent {
        metadata,
        order_payment_request: take_order_payment_request(domain_event, kind)?,
    }))
}

/// The domain event, with embedded objects accepted in their JSON-string form too.
fn decode_domain_event(
    mut domain_event: Map<String, Value>,
) -> Result<types::DomainEvent, WebhookError> {
    unwrap_json_strings(&mut domain_event, "data.data")?;
    from_value(Value::Object(domain_event), "data.data")
}

/// The [`Event`] variant of a known event type.
fn entity_variant(event_type: &WebhookEventType) -> Option<fn(EntityEvent) -> Event> {
    Some(match event_type {
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated => Event::Created,
        WebhookEventType::WixEcomV1OrderPaymentRequestUpdated => Event::Updated,
        WebhookEventType::WixEcomV1OrderPaymentRequestDeleted => Event::Deleted,
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid => Event::Paid,
        WebhookEventType::WixEcomV1OrderPaymentRequestExpired => Event::Expired,
        WebhookEventType::WixEcomV1OrderPaymentRequestVoided => Event::Voided,
        _ => return None,
    })
}

/// The order payment request in the member that `kind` selects: the entity, or the action
/// body's `orderPaymentRequest`. The primary member is read first, then its alternate name.
fn take_order_payment_request(
    domain_event: types::DomainEvent,
    kind: WebhookEventKind,
) -> Result<types::OrderPaymentRequest, WebhookError> {
    let (entity, path) = match kind {
        WebhookEventKind::Created => (
            domain_event
                .created_event
                .and_then(|b| b.entity.or(b.entity_as_json)),
            "data.data.createdEvent.entity",
        ),
        WebhookEventKind::Updated => (
            domain_event
                .updated_event
                .and_then(|b| b.current_entity.or(b.current_entity_as_json)),
            "data.data.updatedEvent.currentEntity",
        ),
        WebhookEventKind::Deleted => (
            domain_event
                .deleted_event
                .and_then(|b| b.deleted_entity.or(b.deleted_entity_as_json)),
            "data.data.deletedEvent.deletedEntity",
        ),
        WebhookEventKind::Action => {
            let path = "data.data.actionEvent.body";
            // Paid, Expired and Voided bodies share one shape, `{orderPaymentRequest}` (codegen
            // checks it), typed as OrderPaymentRequestPaid.
            let body = domain_event
                .action_event
                .and_then(|b| b.body.or(b.body_as_json))
                .ok_or_else(|| missing(path))?;
            (
                body.order_payment_request,
                "data.data.actionEvent.body.orderPaymentRequest",
            )
        }
    };
    entity.ok_or_else(|| missing(path))
}

fn missing(path: &str) -> WebhookError {
    WebhookError::Missing {
        path: path.to_string(),
    }
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

/// Decodes `value`, found at `path`, into `T`; an error names the member that failed, e.g.
/// `data.data.createdEvent.entity.status`.
fn from_value<T: DeserializeOwned>(value: Value, path: &str) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let inner = error.path().to_string();
        WebhookError::MalformedJson {
            path: if inner == "." {
                path.to_string()
            } else {
                format!("{path}.{inner}")
            },
            source: error.into_inner(),
        }
    })
}
