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
