//! The embedded objects inside a webhook's domain event.
//!
//! The domain event (`DomainEvent`) travels as a JSON string, but the entity or action body
//! inside it (`createdEvent.entity`, `actionEvent.body`, ...) is an embedded JSON object. The
//! spec marks each such member of an event body with `x-wix-accepts-json-string: true`: Wix
//! sends an object there, and a receiver also accepts a JSON string holding the same object.
//!
//! This module finds the marked members (`DomainEvent.<event member>.<body member>`), checks
//! that each is an object schema reached from `DomainEvent`, and ties them to `x-wix-webhooks`:
//! an event of kind `created` has its body in `DomainEvent.createdEvent` (Wix's naming,
//! `<kind>Event`), and that body's marked members must hold the event's body schema, or a
//! schema of the same shape (the three action bodies share one).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::naming::{pointer, pointer_token};
use crate::spec::{referenced_schema, LoadedSpec};
use crate::webhooks::WebhookSpec;
use crate::SpecViolation;

/// Name of the vendor extension that marks an embedded-object member of an event body.
pub const ACCEPTS_JSON_STRING_EXTENSION: &str = "x-wix-accepts-json-string";

/// The component schema of the domain event a webhook carries.
pub const DOMAIN_EVENT_SCHEMA: &str = "DomainEvent";

/// One member of an event body that carries an embedded JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedMember {
    /// The domain event's member that holds the body, e.g. `createdEvent`.
    pub event_member: String,
    /// The body's member that holds the object, e.g. `entity`.
    pub body_member: String,
    /// Name of the component schema of the object, e.g. `OrderPaymentRequest`.
    pub schema: String,
}

fn properties(node: &Value) -> impl Iterator<Item = (&str, &Value)> {
    node.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

fn component<'a>(spec: &'a LoadedSpec, name: &str) -> Option<&'a Value> {
    spec.at(&pointer(["components", "schemas", name]))
}

/// Every marked member reached from `DomainEvent`; violations for markers
/// that are malformed, not on an object schema, or not reached from `DomainEvent`.
pub fn embedded_members(
    spec: &LoadedSpec,
    violations: &mut Vec<SpecViolation>,
) -> Vec<EmbeddedMember> {
    let mut found = Vec::new();
    let mut reached = BTreeSet::new();
    if let Some(domain_event) = component(spec, DOMAIN_EVENT_SCHEMA) {
        for (event_member, node) in properties(domain_event) {
            let Some(body_name) = referenced_schema(node) else {
                continue;
            };
            let Some(body) = component(spec, body_name) else {
                continue;
            };
            for (body_member, member) in properties(body) {
                if member.get(ACCEPTS_JSON_STRING_EXTENSION).is_none() {
                    continue;
                }
                let at = pointer([
                    "components",
                    "schemas",
                    body_name,
                    "properties",
                    body_member,
                ]);
                reached.insert(at.clone());
                if member.get(ACCEPTS_JSON_STRING_EXTENSION) != Some(&Value::Bool(true)) {
                    continue; // reported by the walk below
                }
                match referenced_schema(member) {
                    Some(schema)
                        if component(spec, schema)
                            .and_then(|s| s.get("type"))
                            .and_then(Value::as_str)
                            == Some("object") =>
                    {
                        found.push(EmbeddedMember {
                            event_member: event_member.to_string(),
                            body_member: body_member.to_string(),
                            schema: schema.to_string(),
                        });
                    }
                    _ => violations.push(SpecViolation {
                        pointer: at,
                        message: format!(
                            "{ACCEPTS_JSON_STRING_EXTENSION} marks an embedded object: the member \
                             must refer to an object schema (`$ref`, or `allOf` with one `$ref`)"
                        ),
                    }),
                }
            }
        }
    }
    for (name, schema) in spec.component_schemas() {
        check_markers(
            schema,
            &pointer(["components", "schemas", name]),
            &reached,
            violations,
        );
    }
    found
}

/// Reports markers that are not `true` or that sit where the decoder never looks.
fn check_markers(
    node: &Value,
    at: &str,
    reached: &BTreeSet<String>,
    violations: &mut Vec<SpecViolation>,
) {
    if let Some(marker) = node.get(ACCEPTS_JSON_STRING_EXTENSION) {
        if marker != &Value::Bool(true) {
            violations.push(SpecViolation {
                pointer: at.to_string(),
                message: format!("{ACCEPTS_JSON_STRING_EXTENSION} must be `true`"),
            });
        } else if !reached.contains(at) {
            violations.push(SpecViolation {
                pointer: at.to_string(),
                message: format!(
                    "{ACCEPTS_JSON_STRING_EXTENSION} is only read on the members of the event \
                     bodies that {DOMAIN_EVENT_SCHEMA} refers to"
                ),
            });
        }
    }
    for (name, child) in properties(node) {
        let child_at = format!("{at}/properties/{}", pointer_token(name));
        check_markers(child, &child_at, reached, violations);
    }
    if let Some(items) = node.get("items") {
        check_markers(items, &format!("{at}/items"), reached, violations);
    }
}

/// Ties each `x-wix-webhooks` entry to the embedded members of its kind: they must exist, and
/// the entry's body schema must be the members' schema or have the same properties.
pub fn check_event_bodies(
    spec: &LoadedSpec,
    hooks: &[WebhookSpec],
    members: &[EmbeddedMember],
    violations: &mut Vec<SpecViolation>,
) {
    for (index, hook) in hooks.iter().enumerate() {
        if !crate::webhooks::is_kind(&hook.kind) || component(spec, &hook.body).is_none() {
            continue; // reported with the entry
        }
        let index_text = index.to_string();
        let at = pointer([crate::webhooks::WEBHOOKS_EXTENSION, index_text.as_str()]);
        let event_member = format!("{}Event", hook.kind);
        let of_kind: Vec<&EmbeddedMember> = members
            .iter()
            .filter(|m| m.event_member == event_member)
            .collect();
        if of_kind.is_empty() {
            violations.push(SpecViolation {
                pointer: at,
                message: format!(
                    "kind `{}` needs `{DOMAIN_EVENT_SCHEMA}.{event_member}`, whose body has a \
                     member marked {ACCEPTS_JSON_STRING_EXTENSION}",
                    hook.kind
                ),
            });
            continue;
        }
        let shape = |name: &str| component(spec, name).and_then(|s| s.get("properties"));
        for member in of_kind {
            if member.schema != hook.body && shape(&member.schema) != shape(&hook.body) {
                violations.push(SpecViolation {
                    pointer: at.clone(),
                    message: format!(
                        "body schema `{}` does not have the shape of `{}`, the schema of \
                         `{DOMAIN_EVENT_SCHEMA}.{event_member}.{}`, so it cannot be decoded \
                         from it",
                        hook.body, member.schema, member.body_member
                    ),
                });
            }
        }
    }
}
