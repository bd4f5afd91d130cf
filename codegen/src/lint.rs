//! The project's own rules for the spec, on top of what openapiv3 and progenitor check.
//!
//! Every operation has an `operationId`, summary, description, docs link, the full set of
//! error responses and an `x-wix-application-errors` list with unique codes, each saying where
//! its HTTP status comes from (`statusSource: documented`, or `inferred` with a `statusBasis`
//! named in the top-level `x-wix-error-status-bases`); every schema and every property is
//! described; every name in a schema's `required` is one of its properties (what the API
//! guarantees, and what a request must carry, is said with `required` and nothing else);
//! `x-wix-json-of` sits on string properties and names a schema; the query table
//! (`x-wix-query-fields`, `x-wix-query-operators`) agrees with the queried schema (see
//! [`crate::query_fields::read`]); an enum whose description lists its values
//! (`` - `PAID`: ... ``) lists each of them with the words of its `x-enum-descriptions`, so
//! the two cannot drift apart. Each failure names a JSON pointer into the document.

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

/// Name of the top-level extension that names the reasons an inferred HTTP status rests on.
pub const STATUS_BASES_EXTENSION: &str = "x-wix-error-status-bases";

/// `statusSource` of an application error whose status its reference page gives.
pub const STATUS_DOCUMENTED: &str = "documented";

/// `statusSource` of an application error whose status no Wix source gives.
pub const STATUS_INFERRED: &str = "inferred";

/// Runs every rule; returns all violations at once rather than stopping at the first.
pub fn check(spec: &LoadedSpec) -> Result<(), CodegenError> {
    let mut found = Vec::new();
    check_operations(spec, &mut found);
    check_status_bases(spec, &mut found);
    check_schemas(spec, &mut found);
    check_enum_value_lists(spec, &mut found);
    if let Err(query) = crate::query_fields::read(spec) {
        found.extend(query);
    }
    if let Err(rules) = crate::rules::read(spec) {
        found.extend(rules);
    }
    found.extend(crate::wire_types::check(spec));
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
        check_application_errors(spec, op, &at, found);
    }
}

fn check_status_bases(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) {
    let at = pointer([STATUS_BASES_EXTENSION]);
    let Some(bases) = spec.at(&at) else {
        return;
    };
    let Some(bases) = bases.as_object() else {
        violation(found, at, "must map each basis name to its explanation");
        return;
    };
    for (name, text) in bases {
        if text.as_str().is_none_or(|t| t.trim().is_empty()) {
            violation(
                found,
                format!("{at}/{}", pointer_token(name)),
                "basis has no explanation",
            );
        }
    }
}

/// Where an application error's HTTP status comes from, as the spec says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusSource {
    /// The operation's reference page (its `externalDocs`) gives it.
    Documented,
    /// No Wix source gives it; the text explains the basis of the inference.
    Inferred {
        /// Name of the basis in `x-wix-error-status-bases`.
        basis: String,
        /// Its explanation.
        explanation: String,
    },
}

/// Reads an application error's `statusSource` (and `statusBasis`), or says what is wrong.
pub fn status_source(spec: &LoadedSpec, entry: &Value) -> Result<StatusSource, String> {
    match entry.get("statusSource").and_then(Value::as_str) {
        Some(STATUS_DOCUMENTED) if entry.get("statusBasis").is_some() => Err(format!(
            "a `{STATUS_DOCUMENTED}` status needs no statusBasis: its source is the operation's reference page"
        )),
        Some(STATUS_DOCUMENTED) => Ok(StatusSource::Documented),
        Some(STATUS_INFERRED) => {
            let basis = non_empty_str(entry, "statusBasis").ok_or_else(|| {
                format!("an `{STATUS_INFERRED}` status needs a statusBasis from {STATUS_BASES_EXTENSION}")
            })?;
            let explanation = spec
                .at(&pointer([STATUS_BASES_EXTENSION, basis]))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    format!("statusBasis `{basis}` is not named in {STATUS_BASES_EXTENSION}")
                })?;
            Ok(StatusSource::Inferred {
                basis: basis.to_string(),
                explanation: explanation.trim().to_string(),
            })
        }
        _ => Err(format!(
            "entry has no statusSource (`{STATUS_DOCUMENTED}` or `{STATUS_INFERRED}`)"
        )),
    }
}

fn check_application_errors(
    spec: &LoadedSpec,
    op: &Value,
    at: &str,
    found: &mut Vec<SpecViolation>,
) {
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
        if let Err(message) = status_source(spec, entry) {
            violation(found, entry_at.clone(), message);
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

/// The `` - `VALUE`: text `` items of a description, each item's text with its continuation
/// lines, whitespace collapsed.
pub fn listed_values(description: &str) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = Vec::new();
    for line in description.lines() {
        let item = line
            .strip_prefix("- `")
            .and_then(|rest| rest.split_once("`: "));
        match item {
            Some((value, text)) => items.push((value.to_string(), text.to_string())),
            None => match items.last_mut() {
                Some((_, text)) if line.starts_with("  ") => {
                    text.push(' ');
                    text.push_str(line);
                }
                _ => {}
            },
        }
    }
    items
        .into_iter()
        .map(|(value, text)| (value, text.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect()
}

/// An enum's description that lists its values says what its `x-enum-descriptions` says, for
/// every value: the per-value words are read from `x-enum-descriptions`, the list is for
/// readers of the enum as a whole.
fn check_enum_value_lists(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) {
    for e in crate::enums::spec_enums(spec) {
        let listed = listed_values(&e.description);
        if listed.is_empty() {
            continue;
        }
        let at = pointer(["components", "schemas", &e.name, "description"]);
        let values: Vec<&str> = e.values.iter().map(|(v, _)| v.as_str()).collect();
        let listed_names: Vec<&str> = listed.iter().map(|(v, _)| v.as_str()).collect();
        if listed_names != values {
            violation(
                found,
                at.clone(),
                format!("lists the values {listed_names:?}, but the enum is {values:?}"),
            );
        }
        for (value, text) in &listed {
            let documented = e
                .values
                .iter()
                .find(|(v, _)| v == value)
                .and_then(|(_, doc)| doc.as_deref())
                .map(|doc| doc.split_whitespace().collect::<Vec<_>>().join(" "));
            if documented.as_deref() != Some(text.as_str()) {
                violation(
                    found,
                    at.clone(),
                    format!("says of `{value}` what its x-enum-descriptions does not"),
                );
            }
        }
    }
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
    check_required(node, at, found);
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

/// Each name in `required` is a declared property: a misspelt one would make a guarantee (or a
/// request's requirement) that no field carries.
fn check_required(node: &Value, at: &str, found: &mut Vec<SpecViolation>) {
    let Some(required) = node.get("required") else {
        return;
    };
    let properties = node.get("properties").and_then(Value::as_object);
    let Some(names) = required.as_array() else {
        violation(
            found,
            format!("{at}/required"),
            "`required` must be a list of property names",
        );
        return;
    };
    for (i, name) in names.iter().enumerate() {
        let declared = name
            .as_str()
            .is_some_and(|n| properties.is_some_and(|p| p.contains_key(n)));
        if !declared {
            violation(
                found,
                format!("{at}/required/{i}"),
                format!("required {name} is not a property of this schema"),
            );
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
