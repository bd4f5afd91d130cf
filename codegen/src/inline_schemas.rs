//! Named schemas that typify would only wrap, written inline where they are used, for the
//! typed document that progenitor and typify read.
//!
//! A property shared by several schemas is named once in `components/schemas`
//! (`BlockedPaymentMethods`, `SourceAppId`), so its bounds are stated once and the rule tables
//! name them by that schema. For two kinds of schema typify's named type would be a bare
//! newtype that checks none of those bounds: an array (a newtype around `Vec`, held in an
//! `Option`) and a string whose `format` typify maps to a library type (a newtype around
//! `uuid::Uuid` or `chrono` times). Written inline, each use stays a plain `Vec` (left out of
//! a body when empty) or a plain `Uuid`, as before. [`inline`] copies each such schema into
//! every reference to it (the referring node's own keywords, such as a `description` beside an
//! `allOf: [$ref]`, win) and drops it from the copy. The raw document, which the lint and the
//! rule tables read, keeps the named schema. A string schema without such a format (a title
//! with its lengths) stays named: typify's newtype checks its lengths.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_yaml::Mapping;

/// String formats that typify maps to a library type (`uuid::Uuid`, `chrono` times).
pub const LIBRARY_FORMATS: [&str; 3] = ["uuid", "date-time", "date"];

/// Whether typify's type for a named `schema` would only wrap: an array, or a string with one
/// of the [`LIBRARY_FORMATS`].
pub fn only_wrapped(schema: &Value) -> bool {
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    match text("type") {
        Some("array") => true,
        Some("string") => text("format").is_some_and(|f| LIBRARY_FORMATS.contains(&f)),
        _ => false,
    }
}

/// The names of the component schemas that [`only_wrapped`] picks, in document order.
pub fn inlined_schema_names(raw: &Value) -> Vec<String> {
    raw.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| only_wrapped(schema))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Writes every schema of [`inlined_schema_names`] (read from `raw`) inline at its references
/// in `doc`, the same document as YAML (which keeps the document's order, as progenitor's
/// output does), and removes it from `doc`'s `components/schemas`.
pub fn inline(raw: &Value, doc: &mut serde_yaml::Value) {
    let mut schemas = BTreeMap::new();
    for name in inlined_schema_names(raw) {
        let Some(schema) = raw.pointer(&format!("/components/schemas/{name}")) else {
            continue;
        };
        let Ok(serde_yaml::Value::Mapping(schema)) = serde_yaml::to_value(schema) else {
            continue;
        };
        schemas.insert(name, schema);
    }
    if let Some(components) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(serde_yaml::Value::as_mapping_mut)
    {
        for name in schemas.keys() {
            components.shift_remove(name.as_str());
        }
    }
    replace_references(doc, &schemas);
}

/// The component a YAML schema node refers to, as [`crate::spec::referenced_schema`] reads it.
fn yaml_reference(node: &serde_yaml::Value) -> Option<&str> {
    let reference = match node.get("allOf").and_then(serde_yaml::Value::as_sequence) {
        Some(all) if all.len() == 1 => all[0].get("$ref"),
        _ => node.get("$ref"),
    };
    reference?.as_str()?.strip_prefix("#/components/schemas/")
}

/// Replaces, anywhere under `node`, each reference to one of `schemas` by its content.
fn replace_references(node: &mut serde_yaml::Value, schemas: &BTreeMap<String, Mapping>) {
    if let Some(target) = yaml_reference(node).and_then(|name| schemas.get(name)) {
        let mut merged = target.clone();
        if let Some(own) = node.as_mapping() {
            for (key, value) in own {
                if !matches!(key.as_str(), Some("$ref" | "allOf")) {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
        *node = serde_yaml::Value::Mapping(merged);
    }
    match node {
        serde_yaml::Value::Mapping(map) => map
            .values_mut()
            .for_each(|v| replace_references(v, schemas)),
        serde_yaml::Value::Sequence(items) => items
            .iter_mut()
            .for_each(|v| replace_references(v, schemas)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// `raw` after [`inline`], back as JSON.
    fn inlined(raw: &Value) -> Value {
        let mut doc = serde_yaml::to_value(raw).unwrap();
        inline(raw, &mut doc);
        serde_json::to_value(doc).unwrap()
    }

    #[test]
    fn the_document_keeps_its_order() {
        let text = "components:\n  schemas:\n    Zeta: {type: string, description: z}\n    \
                    Ids: {type: array, items: {type: string, format: uuid}}\n    \
                    Alpha: {type: object, properties: {ids: {$ref: '#/components/schemas/Ids'}}}\n";
        let raw: Value = serde_yaml::from_str(text).unwrap();
        let mut doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        inline(&raw, &mut doc);
        let names: Vec<&str> = doc["components"]["schemas"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(serde_yaml::Value::as_str)
            .collect();
        assert_eq!(names, ["Zeta", "Alpha"]);
        assert_eq!(
            doc["components"]["schemas"]["Alpha"]["properties"]["ids"]["type"].as_str(),
            Some("array")
        );
    }

    #[test]
    fn a_named_array_is_written_at_each_use_and_the_use_keeps_its_description() {
        let raw = json!({
            "components": {"schemas": {
                "Methods": {"type": "array", "maxItems": 1, "description": "shared",
                            "items": {"$ref": "#/components/schemas/Method"}},
                "Method": {"type": "string", "enum": ["MANUAL"]},
                "Holder": {"type": "object", "properties": {
                    "plain": {"$ref": "#/components/schemas/Methods"},
                    "described": {"allOf": [{"$ref": "#/components/schemas/Methods"}],
                                  "description": "own"},
                    "other": {"$ref": "#/components/schemas/Method"}
                }}
            }}
        });
        let out = inlined(&raw);
        let schemas = &out["components"]["schemas"];
        assert!(schemas.get("Methods").is_none());
        assert_eq!(schemas["Method"], raw["components"]["schemas"]["Method"]);
        let holder = &schemas["Holder"]["properties"];
        assert_eq!(holder["plain"], raw["components"]["schemas"]["Methods"]);
        assert_eq!(holder["described"]["description"], "own");
        assert_eq!(holder["described"]["maxItems"], 1);
        assert_eq!(
            holder["described"]["items"],
            json!({"$ref": "#/components/schemas/Method"})
        );
        assert_eq!(
            holder["other"],
            json!({"$ref": "#/components/schemas/Method"})
        );
    }

    #[test]
    fn strings_with_a_library_format_are_inlined_and_others_stay_named() {
        let raw = json!({
            "components": {"schemas": {
                "AppId": {"type": "string", "format": "uuid", "maxLength": 100},
                "Title": {"type": "string", "maxLength": 200},
                "Amount": {"type": "string", "format": "decimal"},
                "Holder": {"type": "object", "properties": {
                    "appId": {"$ref": "#/components/schemas/AppId"},
                    "title": {"$ref": "#/components/schemas/Title"},
                    "amount": {"$ref": "#/components/schemas/Amount"}
                }}
            }}
        });
        assert_eq!(inlined_schema_names(&raw), ["AppId"]);
        let out = inlined(&raw);
        let holder = &out["components"]["schemas"]["Holder"]["properties"];
        assert_eq!(holder["appId"], raw["components"]["schemas"]["AppId"]);
        assert_eq!(
            holder["title"],
            json!({"$ref": "#/components/schemas/Title"})
        );
        assert_eq!(
            holder["amount"],
            json!({"$ref": "#/components/schemas/Amount"})
        );
    }
}
