//! Removal of read-only properties from request bodies.

use serde_json::{Map, Value};

use crate::spec::document::resolve;

use super::walk::is_read_only;

/// Deepest schema nesting followed.
const MAX_DEPTH: usize = 64;

/// Removes every read-only property of `body`, at any depth.
pub(super) fn strip_body(body_schema: &'static Value, body: &mut Value) {
    Stripper.node(body_schema, body, 0);
}

/// Walks a body along its schema, removing read-only properties.
struct Stripper;

impl Stripper {
    /// Strips `value` along `schema`.
    fn node(&self, schema: &'static Value, value: &mut Value, depth: usize) {
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
            self.node(member, value, depth + 1);
        }
        match value {
            Value::Object(map) => self.object(schema, map, depth),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.node(item_schema, item, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Strips the declared properties and the map entries of an object.
    fn object(&self, schema: &'static Value, map: &mut Map<String, Value>, depth: usize) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, prop_schema) in properties.into_iter().flatten() {
            if is_read_only(prop_schema) {
                map.remove(name);
            } else if let Some(child) = map.get_mut(name) {
                self.node(prop_schema, child, depth + 1);
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
            self.node(entry_schema, child, depth + 1);
        }
    }
}
