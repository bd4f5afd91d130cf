//! Fields an operation requires beyond JSON Schema's `required`: the request schema's
//! `x-wix-required-on-create` and `x-wix-required-on-update` lists.
//!
//! The lists name fields of the entity (or, in a bulk body, of each item), possibly dotted
//! (`source.externalId`). The entities of a body are its top-level properties that are objects,
//! or the object items of its top-level arrays. A dotted field is reported at its full path when
//! it or any parent is missing, unless that missing parent is itself listed (and so already
//! reported).

use serde_json::{Map, Value};

use crate::spec_doc::resolve;

use super::rules;
use super::walk::{field_path, is_read_only, item_path, Mode, Walker};

/// The vendor extensions that list required fields.
const EXTENSIONS: [&str; 2] = ["x-wix-required-on-create", "x-wix-required-on-update"];

/// Every field the request schema's extensions list, relative to the entity.
pub(super) fn listed_fields(body_schema: &'static Value) -> Vec<&'static str> {
    let body_schema = resolve(body_schema);
    EXTENSIONS
        .iter()
        .filter_map(|ext| body_schema.get(*ext).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Reports the listed fields missing from each entity of `body`, and checks listed read-only
/// fields (which the input walk skips) against their schema.
pub(super) fn check_extensions(body_schema: &'static Value, body: &Value, walker: &mut Walker) {
    let fields = listed_fields(body_schema);
    if fields.is_empty() {
        return;
    }
    for (entity_schema, entity, path) in entities(resolve(body_schema), body) {
        for field in &fields {
            check_field(entity_schema, entity, &path, field, &fields, walker);
        }
    }
}

/// The entities of a body: `(schema, value, path)` of each top-level object property and of
/// each object item of a top-level array property.
fn entities<'v>(
    body_schema: &'static Value,
    body: &'v Value,
) -> Vec<(&'static Value, &'v Map<String, Value>, String)> {
    let mut out = Vec::new();
    let properties = body_schema.get("properties").and_then(Value::as_object);
    for (name, prop_schema) in properties.into_iter().flatten() {
        let prop_schema = resolve(prop_schema);
        match body.get(name) {
            Some(Value::Object(map)) => out.push((prop_schema, map, name.clone())),
            Some(Value::Array(items)) => {
                let Some(item_schema) = prop_schema.get("items").map(resolve) else {
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(map) = item {
                        out.push((item_schema, map, item_path(name, i)));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Checks one listed (possibly dotted) field of one entity.
fn check_field(
    entity_schema: &'static Value,
    entity: &Map<String, Value>,
    entity_path: &str,
    field: &str,
    listed: &[&str],
    walker: &mut Walker,
) {
    let parts: Vec<&str> = field.split('.').collect();
    let mut schema = entity_schema;
    let mut map = entity;
    for (i, part) in parts.iter().enumerate() {
        let prop_schema = property_schema(schema, part);
        let Some(value) = map.get(*part).filter(|v| !v.is_null()) else {
            let missing = parts[..=i].join(".");
            let is_parent = i + 1 < parts.len();
            if !(is_parent && listed.contains(&missing.as_str())) {
                walker.push(rules::required_violation(&field_path(entity_path, field)));
            }
            return;
        };
        let is_leaf = i + 1 == parts.len();
        if is_leaf {
            check_listed_read_only(prop_schema, value, &field_path(entity_path, field), walker);
            return;
        }
        // A parent of the wrong type is already reported by the schema walk.
        let (Value::Object(inner), Some(inner_schema)) = (value, prop_schema) else {
            return;
        };
        schema = resolve(inner_schema);
        map = inner;
    }
}

/// The schema of property `name` of an object schema.
fn property_schema(schema: &'static Value, name: &str) -> Option<&'static Value> {
    schema.get("properties")?.get(name)
}

/// A listed field whose schema is read-only was skipped by the input walk: check it now.
fn check_listed_read_only(
    prop_schema: Option<&'static Value>,
    value: &Value,
    path: &str,
    walker: &mut Walker,
) {
    let Some(prop_schema) = prop_schema.filter(|s| is_read_only(s)) else {
        return;
    };
    let mut inner = Walker::new(Mode::Output);
    inner.check(prop_schema, value, path);
    for violation in inner.into_violations() {
        walker.push(violation);
    }
}
