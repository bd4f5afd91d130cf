//! The webhook event-type generator on the real spec and on broken copies of it.

use std::path::Path;

use codegen::{generate_from_str, CodegenError, SPEC_PATH};
use serde_json::{json, Value};

fn spec_text() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(SPEC_PATH)).expect("spec/openapi.yaml is readable")
}

fn generated_webhook_events(text: &str) -> Result<String, CodegenError> {
    let files = generate_from_str(text, SPEC_PATH)?;
    Ok(files
        .into_iter()
        .find(|f| f.path.ends_with("webhook_events.rs"))
        .expect("webhook_events.rs is generated")
        .contents)
}

fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut spec: Value = serde_yaml::from_str(&spec_text()).unwrap();
    edit(&mut spec);
    serde_yaml::to_string(&spec).unwrap()
}

#[test]
fn every_listed_event_becomes_a_variant_with_slug_kind_and_body() {
    // prettyplease breaks long arms over lines and into blocks; compare without whitespace and
    // braces.
    let code: String = generated_webhook_events(&spec_text())
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '{' && *c != '}')
        .collect();
    for (variant, wire, slug, kind, body) in [
        (
            "WixEcomV1OrderPaymentRequestCreated",
            "wix.ecom.v1.order_payment_request_created",
            "created",
            "Created",
            "OrderPaymentRequest",
        ),
        (
            "WixEcomV1OrderPaymentRequestUpdated",
            "wix.ecom.v1.order_payment_request_updated",
            "updated",
            "Updated",
            "OrderPaymentRequest",
        ),
        (
            "WixEcomV1OrderPaymentRequestDeleted",
            "wix.ecom.v1.order_payment_request_deleted",
            "deleted",
            "Deleted",
            "OrderPaymentRequest",
        ),
        (
            "WixEcomV1OrderPaymentRequestPaid",
            "wix.ecom.v1.order_payment_request_paid",
            "paid",
            "Action",
            "OrderPaymentRequestPaid",
        ),
        (
            "WixEcomV1OrderPaymentRequestExpired",
            "wix.ecom.v1.order_payment_request_expired",
            "expired",
            "Action",
            "OrderPaymentRequestExpired",
        ),
        (
            "WixEcomV1OrderPaymentRequestVoided",
            "wix.ecom.v1.order_payment_request_voided",
            "voided",
            "Action",
            "OrderPaymentRequestVoided",
        ),
    ] {
        assert!(
            code.contains(&format!("WebhookEventType::{variant}=>\"{wire}\"")),
            "{variant} wire"
        );
        assert!(
            code.contains(&format!("WebhookEventType::{variant}=>Some(\"{slug}\")")),
            "{variant} slug"
        );
        assert!(
            code.contains(&format!(
                "WebhookEventType::{variant}=>Some(WebhookEventKind::{kind})"
            )),
            "{variant} kind"
        );
        assert!(
            code.contains(&format!("WebhookEventType::{variant}=>Some(\"{body}\")")),
            "{variant} body"
        );
    }
    assert!(code.contains("Unknown(String)"));
}

#[test]
fn a_new_event_in_the_spec_appears_in_the_generated_enum() {
    let text = edited(|spec| {
        spec["x-wix-webhooks"].as_array_mut().unwrap().push(json!({
            "eventType": "wix.ecom.v1.order_payment_request_refunded",
            "slug": "refunded",
            "kind": "action",
            "body": "OrderPaymentRequestPaid",
            "description": "Triggered when refunded."
        }));
    });
    let code = generated_webhook_events(&text).unwrap();
    assert!(code.contains("WixEcomV1OrderPaymentRequestRefunded"));
    assert!(code.contains("Some(\"refunded\")"));
}

#[test]
fn a_bad_kind_or_missing_body_schema_is_reported_with_its_pointer() {
    let text = edited(|spec| {
        spec["x-wix-webhooks"][1]["kind"] = json!("renamed");
        spec["x-wix-webhooks"][2]["body"] = json!("NoSuchSchema");
    });
    match generated_webhook_events(&text) {
        Err(CodegenError::Lint { violations, .. }) => {
            let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("/x-wix-webhooks/1") && m.contains("renamed")),
                "{messages:?}"
            );
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("/x-wix-webhooks/2") && m.contains("NoSuchSchema")),
                "{messages:?}"
            );
        }
        other => panic!("expected lint violations, got {other:?}"),
    }
}

/// The lint messages of a spec edited by `edit`.
fn violations_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    match generate_from_str(&edited(edit), SPEC_PATH) {
        Err(CodegenError::Lint { violations, .. }) => {
            violations.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected lint violations, got {other:?}"),
    }
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

#[test]
fn the_marked_body_members_become_the_embedded_object_table() {
    let code: String = generated_webhook_events(&spec_text())
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (event_member, body_member) in [
        ("createdEvent", "entity"),
        ("createdEvent", "entityAsJson"),
        ("updatedEvent", "currentEntity"),
        ("updatedEvent", "currentEntityAsJson"),
        ("deletedEvent", "deletedEntity"),
        ("deletedEvent", "deletedEntityAsJson"),
        ("actionEvent", "body"),
        ("actionEvent", "bodyAsJson"),
    ] {
        assert!(
            code.contains(&format!("(\"{event_member}\",\"{body_member}\")")),
            "{event_member}.{body_member}"
        );
    }
    // Unmarked members, such as `restoreInfo`, are not in it.
    assert!(!code.contains("restoreInfo"));

    let without = edited(|spec| {
        let member = &mut schema(spec, "EntityCreatedEvent")["properties"]["entityAsJson"];
        member
            .as_object_mut()
            .unwrap()
            .remove("x-wix-accepts-json-string");
    });
    let code: String = generated_webhook_events(&without)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(code.contains("(\"createdEvent\",\"entity\")"));
    assert!(!code.contains("(\"createdEvent\",\"entityAsJson\")"));
}

#[test]
fn a_marker_on_a_non_object_member_is_reported() {
    let messages = violations_after(|spec| {
        schema(spec, "ActionEvent")["properties"]["body"] = json!({
            "type": "string",
            "description": "The body as a string.",
            "x-wix-accepts-json-string": true
        });
    });
    assert!(
        messages.iter().any(
            |m| m.contains("/components/schemas/ActionEvent/properties/body")
                && m.contains("object schema")
        ),
        "{messages:?}"
    );
}

#[test]
fn a_marker_where_the_decoder_never_looks_is_reported() {
    let messages = violations_after(|spec| {
        schema(spec, "OrderPaymentRequest")["properties"]["source"] = json!({
            "allOf": [{ "$ref": "#/components/schemas/Source" }],
            "description": "Source.",
            "x-wix-accepts-json-string": true
        });
        schema(spec, "EntityUpdatedEvent")["properties"]["currentEntity"]
            ["x-wix-accepts-json-string"] = json!("yes");
    });
    assert!(
        messages.iter().any(|m| m
            .contains("/components/schemas/OrderPaymentRequest/properties/source")
            && m.contains("only read on the members")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m
            .contains("/components/schemas/EntityUpdatedEvent/properties/currentEntity")
            && m.contains("must be `true`")),
        "{messages:?}"
    );
}

#[test]
fn an_action_body_of_another_shape_is_reported_at_its_webhook() {
    let messages = violations_after(|spec| {
        schema(spec, "OrderPaymentRequestExpired")["properties"]["expiredRequest"] = json!({
            "$ref": "#/components/schemas/OrderPaymentRequest"
        });
    });
    assert!(
        messages.iter().any(|m| m.contains("/x-wix-webhooks/4")
            && m.contains("OrderPaymentRequestExpired")
            && m.contains("actionEvent.body")),
        "{messages:?}"
    );
}

#[test]
fn a_kind_whose_body_has_no_marked_member_is_reported() {
    let messages = violations_after(|spec| {
        for member in ["deletedEntity", "deletedEntityAsJson"] {
            schema(spec, "EntityDeletedEvent")["properties"][member]
                .as_object_mut()
                .unwrap()
                .remove("x-wix-accepts-json-string");
        }
    });
    assert!(
        messages
            .iter()
            .any(|m| m.contains("/x-wix-webhooks/2") && m.contains("DomainEvent.deletedEvent")),
        "{messages:?}"
    );
}

#[test]
fn json_of_must_sit_on_a_string_and_name_a_schema() {
    let messages = violations_after(|spec| {
        schema(spec, "WebhookEnvelope")["properties"]["identity"]["x-wix-json-of"] =
            json!("NoSuchSchema");
        schema(spec, "OrderPaymentRequest")["properties"]["extendedFields"] = json!({
            "type": "object",
            "description": "Extended fields.",
            "x-wix-json-of": "ExtendedFields"
        });
    });
    assert!(
        messages.iter().any(|m| m
            .contains("/components/schemas/WebhookEnvelope/properties/identity/x-wix-json-of")
            && m.contains("NoSuchSchema")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m
            .contains("/components/schemas/OrderPaymentRequest/properties/extendedFields")
            && m.contains("type: string")),
        "{messages:?}"
    );
}
