//! Webhook event types.
//!
//! The top-level `x-wix-webhooks` list names every event Wix delivers: its `eventType`, the
//! domain event's `slug`, its `kind` (`created`, `updated`, `deleted` or `action`) and the schema
//! of its body. This generator turns the list into `WebhookEventType`, a forward-compatible enum
//! (one variant per event plus `Unknown(String)`) that also answers `slug()`, `kind()` and
//! `body_schema()`, and `WebhookEventKind`. It also writes `EMBEDDED_OBJECT_MEMBERS`, the
//! members of the domain event that carry an embedded JSON object (see [`crate::webhook_bodies`]).
//! The client's hand-written `webhooks` module decodes payloads with them.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::enums::{catch_all_variant, doc_lines, forward_compatible_enum};
use crate::naming::{pointer, variant_name};
use crate::spec::LoadedSpec;
use crate::webhook_bodies::{check_event_bodies, embedded_members};
use crate::{CodegenError, SpecViolation};

/// Name of the top-level extension that lists the webhook events.
pub const WEBHOOKS_EXTENSION: &str = "x-wix-webhooks";

/// The kinds an event may have, with the doc line each gets.
const KINDS: [(&str, &str); 4] = [
    (
        "created",
        "`DomainEvent.createdEvent.entity` is the created entity.",
    ),
    (
        "updated",
        "`DomainEvent.updatedEvent.currentEntity` is the entity after the update.",
    ),
    (
        "deleted",
        "`DomainEvent.deletedEvent.deletedEntity` is the deleted entity.",
    ),
    (
        "action",
        "`DomainEvent.actionEvent.body` is the action body, such as `{orderPaymentRequest}`.",
    ),
];

/// Whether `kind` is one of the kinds an event may have.
pub fn is_kind(kind: &str) -> bool {
    KINDS.iter().any(|(known, _)| *known == kind)
}

/// One entry of `x-wix-webhooks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSpec {
    /// Event type, e.g. `wix.ecom.v1.order_payment_request_paid`.
    pub event_type: String,
    /// Domain event slug, e.g. `paid`.
    pub slug: String,
    /// `created`, `updated`, `deleted` or `action`.
    pub kind: String,
    /// Name of the component schema of the body.
    pub body: String,
    /// Published description.
    pub description: String,
}

/// Reads `x-wix-webhooks`; every entry must name an event type, a slug, a known kind and a
/// component schema that exists.
pub fn webhooks(spec: &LoadedSpec) -> Result<Vec<WebhookSpec>, CodegenError> {
    let mut violations = Vec::new();
    let hooks = read_entries(spec, &mut violations);
    lint_result(spec, violations, hooks)
}

fn lint_result<T>(
    spec: &LoadedSpec,
    violations: Vec<SpecViolation>,
    value: T,
) -> Result<T, CodegenError> {
    if violations.is_empty() {
        Ok(value)
    } else {
        Err(CodegenError::Lint {
            spec: spec.name.clone(),
            violations,
        })
    }
}

fn read_entries(spec: &LoadedSpec, violations: &mut Vec<SpecViolation>) -> Vec<WebhookSpec> {
    let Some(list) = spec.at(&pointer([WEBHOOKS_EXTENSION])) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, entry) in list.as_array().into_iter().flatten().enumerate() {
        let index_text = index.to_string();
        let at = pointer([WEBHOOKS_EXTENSION, index_text.as_str()]);
        let field = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let webhook = WebhookSpec {
            event_type: field("eventType"),
            slug: field("slug"),
            kind: field("kind"),
            body: field("body"),
            description: field("description"),
        };
        for (key, value) in [
            ("eventType", &webhook.event_type),
            ("slug", &webhook.slug),
            ("body", &webhook.body),
        ] {
            if value.is_empty() {
                violations.push(SpecViolation {
                    pointer: at.clone(),
                    message: format!("webhook entry has no `{key}`"),
                });
            }
        }
        if !is_kind(&webhook.kind) {
            violations.push(SpecViolation {
                pointer: at.clone(),
                message: format!(
                    "webhook kind `{}` is not one of created, updated, deleted, action",
                    webhook.kind
                ),
            });
        }
        if !webhook.body.is_empty()
            && spec
                .at(&pointer(["components", "schemas", webhook.body.as_str()]))
                .is_none()
        {
            violations.push(SpecViolation {
                pointer: at.clone(),
                message: format!("webhook body schema `{}` does not exist", webhook.body),
            });
        }
        out.push(webhook);
    }
    out
}

/// Generates the `webhook_events` module.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let mut violations = Vec::new();
    let hooks = read_entries(spec, &mut violations);
    let members = embedded_members(spec, &mut violations);
    check_event_bodies(spec, &hooks, &members, &mut violations);
    let (hooks, members) = lint_result(spec, violations, (hooks, members))?;
    let embedded: Vec<TokenStream> = members
        .iter()
        .map(|m| {
            let event_member = Literal::string(&m.event_member);
            let body_member = Literal::string(&m.body_member);
            quote! { (#event_member, #body_member) }
        })
        .collect();
    let values: Vec<(String, String)> = hooks
        .iter()
        .map(|w| (w.event_type.clone(), w.description.clone()))
        .collect();
    let event_type = forward_compatible_enum(
        "WebhookEventType",
        "A webhook event type, as listed in the spec's `x-wix-webhooks`.",
        &values,
    );
    let catch_all = catch_all_variant(&values);
    let variants: Vec<_> = hooks
        .iter()
        .map(|w| format_ident!("{}", variant_name(&w.event_type)))
        .collect();
    let slugs: Vec<_> = hooks.iter().map(|w| Literal::string(&w.slug)).collect();
    let bodies: Vec<_> = hooks.iter().map(|w| Literal::string(&w.body)).collect();
    let kinds: Vec<_> = hooks
        .iter()
        .map(|w| format_ident!("{}", variant_name(&w.kind)))
        .collect();
    let kind_variants: Vec<_> = KINDS
        .iter()
        .map(|(k, _)| format_ident!("{}", variant_name(k)))
        .collect();
    let kind_docs: Vec<_> = KINDS.iter().map(|(_, d)| doc_lines(d)).collect();
    let kind_wires: Vec<_> = KINDS.iter().map(|(k, _)| Literal::string(k)).collect();
    Ok(quote! {
        #![allow(clippy::all)]

        #event_type

        impl WebhookEventType {
            /// The domain event's `slug` for this event type, or `None` for an unknown type.
            pub fn slug(&self) -> Option<&'static str> {
                match self {
                    #(WebhookEventType::#variants => Some(#slugs),)*
                    WebhookEventType::#catch_all(_) => None,
                }
            }

            /// Which part of the domain event carries the body, or `None` for an unknown type.
            pub fn kind(&self) -> Option<WebhookEventKind> {
                match self {
                    #(WebhookEventType::#variants => Some(WebhookEventKind::#kinds),)*
                    WebhookEventType::#catch_all(_) => None,
                }
            }

            /// Name of the spec schema of the body (a `types::*` type), or `None` for an unknown
            /// type.
            pub fn body_schema(&self) -> Option<&'static str> {
                match self {
                    #(WebhookEventType::#variants => Some(#bodies),)*
                    WebhookEventType::#catch_all(_) => None,
                }
            }
        }

        /// Which member of the domain event carries an event's body.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum WebhookEventKind {
            #(
                #kind_docs
                #kind_variants,
            )*
        }

        impl WebhookEventKind {
            /// The kind as the spec's `x-wix-webhooks` writes it.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(WebhookEventKind::#kind_variants => #kind_wires,)*
                }
            }
        }

        /// The members of the domain event that carry an embedded JSON object (the entity or
        /// the action body), as `(domain event member, body member)`: the members the spec
        /// marks `x-wix-accepts-json-string`. Wix sends an object there; a receiver also
        /// accepts a JSON string holding the same object.
        pub const EMBEDDED_OBJECT_MEMBERS: &[(&str, &str)] = &[#(#embedded,)*];
    })
}
