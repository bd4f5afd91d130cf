//! Webhooks in the shape of Wix's published examples decode into the right typed events.
//!
//! The fixtures in `fixtures/webhooks/wix_examples/` follow Wix's published webhook examples
//! (the JWT payload `{"data": {eventType, instanceId, data, identity}}` and the domain event
//! with the entity or action body as an embedded object), with this API's entity and event
//! types. Wix's documentation says `data.data` and `data.identity` travel as stringified JSON,
//! and the JWT's `data` claim is a string too; [`wire_claims`] does exactly that, and the result
//! is signed at test time with the test-only key and verified by `WebhookVerifier`.

#![cfg(feature = "webhooks")]

use serde_json::{json, Value};
use wix_order_payment_requests::webhooks::{
    Event, FixedClock, WebhookError, WebhookEventType, WebhookSigner, WebhookVerifier,
};

const APP_PRIVATE: &[u8] = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM.as_bytes();
const APP_PUBLIC: &[u8] = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM.as_bytes();

/// The fixed "now" of these tests: 2026-07-02T12:00:00Z.
const NOW: u64 = 1_782_993_600;

fn example(name: &str) -> Value {
    let example = wix_order_payment_requests::testing::WIX_EXAMPLE_WEBHOOKS
        .iter()
        .find(|example| example.file == name)
        .unwrap_or_else(|| panic!("no example {name}"));
    serde_json::from_str(example.json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The six event fixtures, one per event type, by file name.
const EVENT_EXAMPLES: [&str; 6] = [
    "created.json",
    "updated.json",
    "deleted.json",
    "paid.json",
    "expired.json",
    "voided.json",
];

/// The JWT claims Wix sends for a documented payload: `data.data` and `data.identity` as
/// stringified JSON, and the whole of `data` as a string claim.
fn wire_claims(documented: &Value) -> Value {
    let mut envelope = documented["data"].clone();
    for member in ["data", "identity"] {
        if let Some(value) = envelope.get(member).filter(|v| !v.is_string()) {
            envelope[member] = json!(value.to_string());
        }
    }
    json!({ "data": envelope.to_string(), "iat": NOW - 2, "exp": NOW + 298 })
}

fn verify(documented: &Value) -> Result<Event, WebhookError> {
    let token = WebhookSigner::from_rsa_pem(APP_PRIVATE)
        .unwrap()
        .with_kid("test-only")
        .sign_json(&wire_claims(documented))
        .unwrap();
    WebhookVerifier::from_rsa_pem(APP_PUBLIC)
        .unwrap()
        .with_clock(FixedClock::at_unix(NOW))
        .verify(token.as_bytes())
}

/// Where Wix's examples put the body of each kind of event: the domain event's member, the
/// body's member, and, for action events, the member of the body that holds the request.
fn body_location(event_type: &WebhookEventType) -> (&'static str, &'static str, Option<&str>) {
    match event_type.slug() {
        Some("created") => ("createdEvent", "entity", None),
        Some("updated") => ("updatedEvent", "currentEntity", None),
        Some("deleted") => ("deletedEvent", "deletedEntity", None),
        _ => ("actionEvent", "body", Some("orderPaymentRequest")),
    }
}

/// The order payment request in a documented payload, as JSON.
fn documented_request(documented: &Value, event_type: &WebhookEventType) -> Value {
    let (event_member, body_member, inner) = body_location(event_type);
    let body = &documented["data"]["data"][event_member][body_member];
    match inner {
        Some(inner) => body[inner].clone(),
        None => body.clone(),
    }
}

/// `value` without members that hold an empty list: the typed model reads `[]` as an empty
/// list and does not write it back.
fn without_empty_lists(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), without_empty_lists(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn variant_matches(event: &Event, event_type: &WebhookEventType) -> bool {
    matches!(
        (event, event_type),
        (
            Event::Created(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated
        ) | (
            Event::Updated(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestUpdated
        ) | (
            Event::Deleted(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestDeleted
        ) | (
            Event::Paid(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestPaid
        ) | (
            Event::Expired(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestExpired
        ) | (
            Event::Voided(_),
            WebhookEventType::WixEcomV1OrderPaymentRequestVoided
        )
    )
}

fn event_type_of(documented: &Value) -> WebhookEventType {
    WebhookEventType::from(documented["data"]["eventType"].as_str().unwrap())
}

#[test]
fn there_is_one_example_for_every_event_type_of_the_spec() {
    let mut covered: Vec<WebhookEventType> = EVENT_EXAMPLES
        .iter()
        .map(|name| event_type_of(&example(name)))
        .collect();
    covered.sort();
    let mut known = WebhookEventType::KNOWN.to_vec();
    known.sort();
    assert_eq!(covered, known);
}

#[test]
fn every_example_decodes_into_its_typed_event_with_every_field() {
    for name in EVENT_EXAMPLES {
        let documented = example(name);
        let event_type = event_type_of(&documented);
        let event = verify(&documented).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(variant_matches(&event, &event_type), "{name}: {event:?}");
        assert_eq!(event.event_type(), &event_type, "{name}");

        let request = event.order_payment_request().unwrap();
        assert_eq!(
            serde_json::to_value(request).unwrap(),
            without_empty_lists(&documented_request(&documented, &event_type)),
            "{name}: the request, field by field"
        );

        let domain = &documented["data"]["data"];
        let meta = event.metadata();
        assert_eq!(meta.event_id.as_deref(), domain["id"].as_str(), "{name}");
        assert_eq!(
            meta.entity_id.as_deref(),
            domain["entityId"].as_str(),
            "{name}"
        );
        assert_eq!(
            meta.entity_fqdn.as_deref(),
            domain["entityFqdn"].as_str(),
            "{name}"
        );
        assert_eq!(meta.slug.as_deref(), domain["slug"].as_str(), "{name}");
        assert_eq!(meta.slug.as_deref(), event_type.slug(), "{name}");
        assert_eq!(
            meta.event_time,
            Some(domain["eventTime"].as_str().unwrap().parse().unwrap()),
            "{name}"
        );
        assert_eq!(
            meta.entity_event_sequence_raw.as_deref(),
            domain["entityEventSequence"].as_str(),
            "{name}"
        );
        assert_eq!(
            meta.entity_event_sequence.map(|s| s.to_string()).as_deref(),
            domain["entityEventSequence"].as_str(),
            "{name}"
        );
        assert_eq!(
            meta.triggered_by_anonymize_request,
            domain["triggeredByAnonymizeRequest"].as_bool(),
            "{name}"
        );
        assert_eq!(
            meta.instance_id.map(|id| id.to_string()).as_deref(),
            documented["data"]["instanceId"].as_str(),
            "{name}"
        );
        assert_eq!(
            serde_json::to_value(meta.identity.as_ref().unwrap()).unwrap(),
            documented["data"]["identity"],
            "{name}: the identity"
        );
        assert_eq!(
            meta.account_info
                .as_ref()
                .map(|info| serde_json::to_value(info).unwrap()),
            documented["data"].get("accountInfo").cloned(),
            "{name}: the account info"
        );
    }
}

/// `documented` with its body member replaced by `edit(body member name, body)`.
fn with_body(documented: &Value, edit: impl Fn(&str, Value) -> (String, Value)) -> Value {
    let (event_member, body_member, _) = body_location(&event_type_of(documented));
    let mut changed = documented.clone();
    let carrier = changed["data"]["data"][event_member]
        .as_object_mut()
        .unwrap();
    let body = carrier.remove(body_member).unwrap();
    let (name, value) = edit(body_member, body);
    carrier.insert(name, value);
    changed
}

#[test]
fn a_body_sent_as_a_json_string_gives_the_same_event() {
    for name in EVENT_EXAMPLES {
        let documented = example(name);
        let as_object = verify(&documented).unwrap();
        let stringified = with_body(&documented, |member, body| {
            (member.to_string(), json!(body.to_string()))
        });
        assert_eq!(verify(&stringified).unwrap(), as_object, "{name}");
    }
}

#[test]
fn the_string_form_fixture_decodes_like_its_object_form() {
    let documented = example("paid_body_as_json_string.json");
    assert!(documented["data"]["data"]["actionEvent"]["body"].is_string());
    let event = verify(&documented).unwrap();
    assert!(matches!(event, Event::Paid(_)), "{event:?}");
    assert_eq!(event, verify(&example("paid.json")).unwrap());
}

#[test]
fn the_as_json_alternate_names_give_the_same_event_in_either_form() {
    for name in EVENT_EXAMPLES {
        let documented = example(name);
        let expected = verify(&documented).unwrap();
        let renamed = with_body(&documented, |member, body| {
            (format!("{member}AsJson"), body)
        });
        assert_eq!(verify(&renamed).unwrap(), expected, "{name}: object");
        let renamed_string = with_body(&documented, |member, body| {
            (format!("{member}AsJson"), json!(body.to_string()))
        });
        assert_eq!(verify(&renamed_string).unwrap(), expected, "{name}: string");
    }
}

#[test]
fn a_body_string_that_is_not_json_names_its_member() {
    let broken = with_body(&example("created.json"), |member, _| {
        (member.to_string(), json!("{\"id\": "))
    });
    let err = verify(&broken).unwrap_err();
    assert!(
        matches!(&err, WebhookError::MalformedJson { path, source }
            if path == "data.data.createdEvent.entity" && source.is_eof()),
        "{err:?}"
    );
    assert_eq!(err.http_status(), 400);
}

#[test]
fn a_malformed_field_inside_the_body_names_its_path() {
    for form in ["object", "string"] {
        let broken = with_body(&example("updated.json"), |member, mut body| {
            body["createdDate"] = json!(1_751_364_000);
            let value = if form == "string" {
                json!(body.to_string())
            } else {
                body
            };
            (member.to_string(), value)
        });
        let err = verify(&broken).unwrap_err();
        assert!(
            matches!(&err, WebhookError::MalformedJson { path, .. }
                if path == "data.data.updatedEvent.currentEntity.createdDate"),
            "{form}: {err:?}"
        );
    }
}

#[test]
fn an_entity_without_a_guaranteed_field_names_it() {
    let broken = with_body(&example("created.json"), |member, mut body| {
        body.as_object_mut().unwrap().remove("id");
        (member.to_string(), body)
    });
    let err = verify(&broken).unwrap_err();
    assert!(
        matches!(&err, WebhookError::MalformedJson { path, .. }
            if path == "data.data.createdEvent.entity"),
        "{err:?}"
    );
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    assert_eq!(err.http_status(), 400);
}

#[test]
fn an_action_body_without_its_request_is_refused() {
    let empty = with_body(&example("voided.json"), |member, _| {
        (member.to_string(), json!({}))
    });
    let err = verify(&empty).unwrap_err();
    assert!(
        matches!(&err, WebhookError::Missing { path }
            if path == "data.data.actionEvent.body.orderPaymentRequest"),
        "{err:?}"
    );
}
