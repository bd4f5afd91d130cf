//! Webhooks: event types, slugs, entity or action events and their body shapes; and the
//! delivery's envelope and domain event.

use serde_json::Value;

use crate::upstream::compare::schemas::{Direction, Walker};
use crate::upstream::diff::Kind;
use crate::upstream::spec::child;

/// The schemas of the delivery and the SDK types they are compared with.
const DELIVERY: [(&str, &str); 2] = [
    ("WebhookEnvelope", "MessageEnvelope"),
    ("DomainEvent", "DomainEvent"),
];

/// Compares `x-wix-webhooks` with the SDK's `@webhook` functions.
pub fn compare(walker: &mut Walker<'_>) {
    let spec = walker.spec;
    let model = walker.model;
    let list: Vec<&Value> = spec
        .at("/x-wix-webhooks")
        .and_then(Value::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    let field = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    for (i, entry) in list.iter().enumerate() {
        let at = format!("/x-wix-webhooks/{i}");
        let event_type = field(entry, "eventType").unwrap_or_default();
        let context = format!("webhook {event_type}");
        let Some(hook) = model
            .webhooks
            .iter()
            .find(|w| w.event_type.as_deref() == Some(event_type.as_str()))
        else {
            let sdk = "no @webhook function with this @eventType".to_string();
            walker.add(
                at,
                Kind::MissingThere,
                Some(&event_type),
                sdk,
                None,
                &context,
            );
            continue;
        };
        if hook.internal {
            let sdk = format!("{} is @internal", hook.source);
            walker.add(
                at.clone(),
                Kind::InternalThere,
                Some(&event_type),
                sdk,
                None,
                &context,
            );
        }
        let slug = field(entry, "slug");
        if slug != hook.slug {
            let sdk = format!(
                "{}: @slug {}",
                hook.source,
                hook.slug.as_deref().unwrap_or("(none)")
            );
            walker.add(child(&at, "slug"), Kind::Value, None, sdk, slug, &context);
        }
        let kind = field(entry, "kind");
        let spec_kind = match kind.as_deref() {
            Some("action") => Some("action"),
            Some(_) => Some("entity"),
            None => None,
        };
        if spec_kind != hook.kind.as_deref() {
            let sdk = format!(
                "{}: {} event",
                hook.source,
                hook.kind.as_deref().unwrap_or("(unknown)")
            );
            walker.add(child(&at, "kind"), Kind::Value, None, sdk, kind, &context);
        }
        let body = field(entry, "body");
        match (&body, &hook.body_type) {
            (Some(body), Some(sdk_body)) if body == sdk_body => {
                let ctx = format!("{context} body ");
                walker.object(
                    &format!("/components/schemas/{body}"),
                    sdk_body,
                    Direction::Response,
                    &ctx,
                );
            }
            _ => {
                let sdk = format!(
                    "{}: body {}",
                    hook.source,
                    hook.body_type.as_deref().unwrap_or("(none)")
                );
                walker.add(child(&at, "body"), Kind::Type, None, sdk, body, &context);
            }
        }
    }
    for hook in &model.webhooks {
        let Some(event_type) = hook.event_type.as_deref() else {
            continue;
        };
        let listed = list
            .iter()
            .any(|e| e.get("eventType").and_then(Value::as_str) == Some(event_type));
        if !listed {
            let kind = if hook.internal {
                Kind::MissingHereInternal
            } else {
                Kind::MissingHere
            };
            let context = format!("webhook {event_type}");
            walker.add(
                "/x-wix-webhooks".into(),
                kind,
                Some(event_type),
                hook.source.clone(),
                None,
                &context,
            );
        }
    }
    for (schema, sdk_type) in DELIVERY {
        let at = format!("/components/schemas/{schema}");
        let context = format!("{schema} ");
        match (spec.at(&at).is_some(), model.types.contains_key(sdk_type)) {
            (true, true) => walker.object(&at, sdk_type, Direction::Response, &context),
            (true, false) => {
                let sdk = format!("no interface {sdk_type} in the REST typings");
                walker.add(at, Kind::MissingThere, None, sdk, None, &context);
            }
            (false, true) => {
                let source = model.types[sdk_type].source().to_string();
                let sdk = format!("{source} {sdk_type}");
                walker.add(at, Kind::MissingHere, None, sdk, None, &context);
            }
            (false, false) => {}
        }
    }
}
