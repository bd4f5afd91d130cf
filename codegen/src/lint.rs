//! The project's own rules for the spec, on top of what openapiv3 and progenitor check.
//!
//! Every operation has an `operationId`, summary, description, docs link, the full set of
//! error responses and an `x-wix-application-errors` list with unique codes; every schema and
//! every property is described; `x-wix-json-of` sits on string properties and names a schema.
//! Each failure names a JSON pointer into the document.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::naming::{pointer, pointer_token};
use crate::spec::LoadedSpec;
use crate::{CodegenError, SpecViolation};

/// Error responses every operation must declare.
pub const REQUIRED_ERROR_RESPONSES: [&str; 7] = ["400", "401", "403", "404", "428", "429", "5XX"];

/// Name of the vendor extension listing an operation's application error codes.
pub const APPLICATION_ERRORS_EXTENSION: &str = "x-wix-application-errors";

/// Name of the vendor extension that names the schema whose JSON a string property holds.
pub const JSON_OF_EXTENSION: &str = "x-wix-json-of";

/// Runs every rule; returns all violations at once rather than stopping at the first.
pub fn check(spec: &LoadedSpec) -> Result<(), CodegenError> {
    let mut found = Vec::new();
    check_operations(spec, &mut found);
    check_schemas(spec, &mut found);
    if found.is_empty() {
        Ok(())
    } else {
        Err(CodegenError::Lint {
            spec: spec.name.clone(),
            violations: found,
        })
    }
}

fn violation(found: &mut Vec<SpecViolation>, pointer: String, message: impl Into<String>) {
    found.push(SpecViolation {
        pointer,
        message: message.into(),
    });
}

fn non_empty_str<'a>(node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn check_operations(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) {
    let mut operation_ids = BTreeSet::new();
    for (path, method, op) in spec.operations() {
        let at = pointer(["paths", path, method]);
        match non_empty_str(op, "operationId") {
            None => violation(found, at.clone(), "operation has no operationId"),
            Some(id) if !operation_ids.insert(id.to_string()) => violation(
                found,
                format!("{at}/operationId"),
                format!("operationId `{id}` is used twice"),
            ),
            Some(_) => {}
        }
        for key in ["summary", "description"] {
            if non_empty_str(op, key).is_none() {
                violation(found, at.clone(), format!("operation has no {key}"));
            }
        }
        if op
            .pointer("/externalDocs/url")
            .and_then(Value::as_str)
            .is_none_or(|u| !u.starts_with("https://"))
        {
            violation(
                found,
                at.clone(),
                "operation has no externalDocs.url linking the reference page",
            );
        }
        for status in REQUIRED_ERROR_RESPONSES {
            if op.pointer(&format!("/responses/{status}")).is_none() {
                violation(
                    found,
                    format!("{at}/responses"),
                    format!("missing the {status} error response"),
                );
            }
        }
        for (i, param) in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if param.get("$ref").is_none() && non_empty_str(param, "description").is_none() {
                violation(
                    found,
                    format!("{at}/parameters/{i}"),
                    "parameter has no description",
                );
            }
        }
        check_application_errors(op, &at, found);
    }
}

fn check_application_errors(op: &Value, at: &str, found: &mut Vec<SpecViolation>) {
    let ext_at = format!("{at}/{}", pointer_token(APPLICATION_ERRORS_EXTENSION));
    let Some(entries) = op.get(APPLICATION_ERRORS_EXTENSION) else {
        violation(
            found,
            at.to_string(),
            format!("operation has no {APPLICATION_ERRORS_EXTENSION} list (use [] when none are published)"),
        );
        return;
    };
    let Some(entries) = entries.as_array() else {
        violation(found, ext_at, "must be a list");
        return;
    };
    let mut codes = BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let entry_at = format!("{ext_at}/{i}");
        match non_empty_str(entry, "code") {
            None => violation(found, entry_at.clone(), "entry has no code"),
            Some(code) if !is_error_code(code) => violation(
                found,
                format!("{entry_at}/code"),
                format!("`{code}` is not an UPPER_SNAKE_CASE code"),
            ),
            Some(code) if !codes.insert(code) => violation(
                found,
                format!("{entry_at}/code"),
                format!("code `{code}` is listed twice for this operation"),
            ),
            Some(_) => {}
        }
        match entry.get("httpStatus").and_then(Value::as_u64) {
            Some(400..=599) => {}
            _ => violation(
                found,
                entry_at.clone(),
                "entry has no httpStatus between 400 and 599",
            ),
        }
        if non_empty_str(entry, "description").is_none() {
            violation(found, entry_at, "entry has no description");
        }
    }
}

fn is_error_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn check_schemas(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) {
    for (name, schema) in spec.component_schemas() {
        let at = pointer(["components", "schemas", name]);
        if non_empty_str(schema, "description").is_none() {
            violation(found, at.clone(), "schema has no description");
        }
        check_schema_node(spec, schema, &at, found);
    }
}

/// Checks the properties (and nested schemas) of one schema node.
fn check_schema_node(spec: &LoadedSpec, node: &Value, at: &str, found: &mut Vec<SpecViolation>) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        check_reference(spec, reference, at, found);
        return;
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (prop, schema) in properties {
            let prop_at = format!("{at}/properties/{}", pointer_token(prop));
            if schema.get("$ref").is_none() && non_empty_str(schema, "description").is_none() {
                violation(found, prop_at.clone(), "property has no description");
            }
            check_json_of(spec, schema, &prop_at, found);
            check_schema_node(spec, schema, &prop_at, found);
        }
    }
    if let Some(items) = node.get("items") {
        check_schema_node(spec, items, &format!("{at}/items"), found);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        check_schema_node(spec, extra, &format!("{at}/additionalProperties"), found);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, sub) in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            check_schema_node(spec, sub, &format!("{at}/{key}/{i}"), found);
        }
    }
}

/// `x-wix-json-of` belongs on a string property and names a component schema.
fn check_json_of(spec: &LoadedSpec, node: &Value, at: &str, found: &mut Vec<SpecViolation>) {
    let Some(target) = node.get(JSON_OF_EXTENSION) else {
        return;
    };
    if node.get("type").and_then(Value::as_str) != Some("string") {
        violation(
            found,
            at.to_string(),
            format!("{JSON_OF_EXTENSION} is only for `type: string` properties that hold JSON"),
        );
    }
    let exists = target
        .as_str()
        .is_some_and(|name| spec.at(&pointer(["components", "schemas", name])).is_some());
    if !exists {
        violation(
            found,
            format!("{at}/{}", pointer_token(JSON_OF_EXTENSION)),
            format!("{JSON_OF_EXTENSION} must name a component schema, not {target}"),
        );
    }
}

fn check_reference(spec: &LoadedSpec, reference: &str, at: &str, found: &mut Vec<SpecViolation>) {
    match reference.strip_prefix('#') {
        Some(target) if spec.at(target).is_some() => {}
        _ => violation(
            found,
            format!("{at}/$ref"),
            format!("`{reference}` does not resolve in this document"),
        ),
    }
}
