//! Schema nodes with the keywords the walk reads looked up once, when the spec is first checked
//! against: a request then pays one lookup by address per schema it meets instead of a search
//! of the schema's keywords for each rule. The scalar rules still read their keywords from the
//! schema itself ([`Node::schema`]); the node says only which of them the schema has.

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use crate::spec::document::{address, for_each_object, resolve};

use super::rules;
use super::walk::is_read_only;

/// A schema (after its `$ref`) and its keywords.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// The schema itself, for the scalar rules.
    pub schema: &'static Value,
    /// The `allOf` members.
    pub all_of: &'static [Value],
    /// The JSON type the schema expects ([`rules::expected_type`]).
    pub expected: Option<&'static str>,
    /// Whether it has an `enum`.
    pub has_enum: bool,
    /// Whether it has a keyword of the string rules (`minLength`, `maxLength`, `format`).
    pub has_string_rules: bool,
    /// Whether it has a keyword of the number rules (`format`, `minimum`, `maximum`).
    pub has_number_rules: bool,
    /// Whether it bounds an array's item count (`minItems`, `maxItems`).
    pub has_item_counts: bool,
    /// The schema of an array's items.
    pub items: Option<&'static Value>,
    /// The declared properties, in the schema's order.
    pub properties: Vec<Property>,
    /// The declared properties as the schema holds them (to tell map entries from them).
    pub declared: Option<&'static Map<String, Value>>,
    /// The `required` property names.
    pub required: Vec<&'static str>,
    /// The schema of entries not declared in `properties` (an object `additionalProperties`).
    pub entries: Option<&'static Value>,
}

/// A declared property.
#[derive(Debug, Clone)]
pub(super) struct Property {
    pub name: &'static str,
    pub schema: &'static Value,
    /// Whether it (or the schema it refers to) is `readOnly`.
    pub read_only: bool,
}

impl Node {
    /// The node of `schema` (a node of the spec, or of its `$ref` target).
    pub(super) fn of(schema: &'static Value) -> Cow<'static, Node> {
        match NODES.get(&address(schema)) {
            Some(node) => Cow::Borrowed(node),
            None => Cow::Owned(Node::read(schema)),
        }
    }

    /// Reads the keywords of `schema` (after its `$ref`).
    fn read(schema: &'static Value) -> Self {
        let schema = resolve(schema);
        let has = |keyword: &str| schema.get(keyword).is_some();
        let declared = schema.get("properties").and_then(Value::as_object);
        Self {
            schema,
            all_of: schema
                .get("allOf")
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice),
            expected: rules::expected_type(schema),
            has_enum: schema.get("enum").and_then(Value::as_array).is_some(),
            has_string_rules: has("minLength") || has("maxLength") || has("format"),
            has_number_rules: has("format") || has("minimum") || has("maximum"),
            has_item_counts: has("minItems") || has("maxItems"),
            items: schema.get("items"),
            properties: declared
                .into_iter()
                .flatten()
                .map(|(name, schema)| Property {
                    name,
                    schema,
                    read_only: is_read_only(schema),
                })
                .collect(),
            declared,
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
            entries: schema.get("additionalProperties").filter(|s| s.is_object()),
        }
    }
}

/// The node of every object of the spec, by its address.
static NODES: LazyLock<FxHashMap<usize, Node>> = LazyLock::new(|| {
    let mut found = FxHashMap::default();
    for_each_object(|value| {
        found.insert(address(value), Node::read(value));
    });
    found
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::document::schema;

    #[test]
    fn a_node_holds_the_keywords_of_its_schema() {
        let body = Node::of(schema("QueryOrderPaymentRequestsRequest").unwrap());
        assert!(matches!(body, Cow::Borrowed(_)), "built once with the spec");
        assert_eq!(body.expected, Some("object"));
        assert_eq!(body.required, ["query"]);
        let names: Vec<&str> = body.properties.iter().map(|p| p.name).collect();
        assert_eq!(names, ["query"]);
        // A `$ref` leads to its target's node.
        let query = Node::of(body.properties[0].schema);
        assert!(std::ptr::eq(query.schema, schema("CursorQuery").unwrap()));
        let filter = query.properties.iter().find(|p| p.name == "filter");
        let filter = Node::of(filter.unwrap().schema);
        assert!(
            filter.entries.is_none(),
            "`additionalProperties: true` checks no entry"
        );

        let paging = Node::of(schema("CursorPaging").unwrap());
        let limit = paging.properties.iter().find(|p| p.name == "limit");
        let limit = Node::of(limit.unwrap().schema);
        assert_eq!(limit.expected, Some("integer"));
        assert!(limit.has_number_rules && !limit.has_enum && !limit.has_item_counts);
        let order = Node::of(schema("SortOrder").unwrap());
        assert!(order.has_enum && !order.has_string_rules);

        let image = Node::of(schema("Image").unwrap());
        let read_only: Vec<&str> = image
            .properties
            .iter()
            .filter(|p| p.read_only)
            .map(|p| p.name)
            .collect();
        assert_eq!(read_only, ["filename", "height", "width"]);
    }
}
