//! Removal of read-only properties from request bodies.

use serde_json::{Map, Value};

use crate::spec_doc::resolve;

use super::walk::{field_path, is_read_only};

/// Deepest schema nesting followed.
const MAX_DEPTH: usize = 64;

/// Removes every read-only property of `body` (at any depth) except the entity fields in
/// `keep` (paths relative to an entity, such as `id`).
pub(super) fn strip_body(body_schema: &'static Value, body: &mut Value, keep: &[&str]) {
    Stripper { keep }.node(body_schema, body, None, 0);
}

/// The fields to keep while stripping.
struct Stripper<'k> {
    keep: &'k [&'k str],
}

impl Stripper<'_> {
    /// Strips `value` along `schema`; `rel` is the path relative to the entity (`None` above
    /// the entity, at the body root).
    fn node(&self, schema: &'static Value, value: &mut Value, rel: Option<&str>, depth: usize) {
        if depth >= MAX_DEPTH {
            return;
        }
        let schema = resolve(schema);
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.node(member, value, rel, depth + 1);
        }
        match value {
            Value::Object(map) => self.object(schema, map, rel, depth),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.node(item_schema, item, rel, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Strips the declared properties and the map entries of an object.
    fn object(
        &self,
        schema: &'static Value,
        map: &mut Map<String, Value>,
        rel: Option<&str>,
        depth: usize,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, prop_schema) in properties.into_iter().flatten() {
            let child_rel = rel.map_or_else(String::new, |r| field_path(r, name));
            let kept = rel.is_some() && self.keep.contains(&child_rel.as_str());
            if is_read_only(prop_schema) && !kept {
                map.remove(name);
            } else if let Some(child) = map.get_mut(name) {
                self.node(prop_schema, child, Some(&child_rel), depth + 1);
            }
        }
        let Some(entry_schema) = schema.get("additionalProperties").filter(|s| s.is_object())
        else {
            return;
        };
        for (key, child) in map.iter_mut() {
            if properties.is_some_and(|p| p.contains_key(key)) {
                continue;
            }
            let child_rel = rel.map_or_else(String::new, |r| field_path(r, key));
            self.node(entry_schema, child, Some(&child_rel), depth + 1);
        }
    }
}
