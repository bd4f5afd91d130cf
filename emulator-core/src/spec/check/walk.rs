//! Walks a JSON value along its schema and collects every violation.

use serde_json::{Map, Value};

use crate::api_error::Violation;
use crate::spec::document::resolve;

use super::node::Node;
use super::rules;

/// Deepest schema nesting followed; deeper values are not checked (guards against cycles).
const MAX_DEPTH: usize = 64;

/// Whether a value is a request (input) or a response (output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Request bodies: read-only properties are ignored.
    Input,
    /// Responses and path parameters: every property is checked.
    Output,
}

/// Collects violations while walking values along schemas.
pub(super) struct Walker {
    mode: Mode,
    depth: usize,
    out: Vec<Violation>,
}

impl Walker {
    /// A walker with no violations yet.
    pub(super) fn new(mode: Mode) -> Self {
        Self {
            mode,
            depth: 0,
            out: Vec::new(),
        }
    }

    /// The violations found so far.
    pub(super) fn into_violations(self) -> Vec<Violation> {
        self.out
    }

    /// Records a violation.
    pub(super) fn push(&mut self, violation: Violation) {
        self.out.push(violation);
    }

    /// Checks `value` (at `path`) against `schema`; `null` counts as absent.
    pub(super) fn check(&mut self, schema: &'static Value, value: &Value, path: &FieldPath<'_>) {
        if value.is_null() || self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let node = Node::of(schema);
        for member in node.all_of {
            self.check(member, value, path);
        }
        self.check_own(&node, value, path);
        self.depth -= 1;
    }

    /// Checks the keywords of the schema itself (not its `allOf`).
    fn check_own(&mut self, node: &Node, value: &Value, path: &FieldPath<'_>) {
        if let Some(expected) = node.expected {
            if !rules::has_type(value, expected) {
                self.push(rules::type_violation(&path.to_string(), expected));
                return;
            }
        }
        if node.has_enum {
            self.out
                .extend(rules::enum_violation(node.schema, value, &path.to_string()));
        }
        match value {
            Value::String(s) if node.has_string_rules => {
                self.out
                    .extend(rules::string_violations(node.schema, s, &path.to_string()))
            }
            Value::Number(_) if node.has_number_rules => self.out.extend(rules::number_violations(
                node.schema,
                value,
                &path.to_string(),
            )),
            Value::Array(items) => self.check_array(node, items, path),
            Value::Object(map) => self.check_object(node, map, path),
            _ => {}
        }
    }

    /// Checks the item count and each item of an array.
    fn check_array(&mut self, node: &Node, items: &[Value], path: &FieldPath<'_>) {
        if node.has_item_counts {
            self.out.extend(rules::item_count_violations(
                node.schema,
                items.len(),
                &path.to_string(),
            ));
        }
        if let Some(item_schema) = node.items {
            for (i, item) in items.iter().enumerate() {
                self.check(item_schema, item, &FieldPath::Item(path, i));
            }
        }
    }

    /// Checks the declared properties, the required ones and the map entries of an object.
    fn check_object(&mut self, node: &Node, map: &Map<String, Value>, path: &FieldPath<'_>) {
        for property in &node.properties {
            let Some(value) = map.get(property.name) else {
                continue;
            };
            if self.mode == Mode::Input && property.read_only {
                continue;
            }
            self.check(
                property.schema,
                value,
                &FieldPath::Member(path, property.name),
            );
        }
        self.check_required(node, map, path);
        self.check_map_entries(node, map, path);
    }

    /// Reports the `required` properties that are missing or `null`.
    fn check_required(&mut self, node: &Node, map: &Map<String, Value>, path: &FieldPath<'_>) {
        for name in &node.required {
            if map.get(*name).is_none_or(Value::is_null) {
                self.push(rules::required_violation(
                    &FieldPath::Member(path, name).to_string(),
                ));
            }
        }
    }

    /// Checks the entries not declared in `properties` against an `additionalProperties` schema.
    fn check_map_entries(&mut self, node: &Node, map: &Map<String, Value>, path: &FieldPath<'_>) {
        let Some(entry_schema) = node.entries else {
            return;
        };
        for (key, value) in map {
            if node.declared.is_some_and(|p| p.contains_key(key)) {
                continue;
            }
            self.check(entry_schema, value, &FieldPath::Member(path, key));
        }
    }
}

/// Whether a property schema (or the schema it refers to) is `readOnly`.
pub(super) fn is_read_only(schema: &'static Value) -> bool {
    let flag = |s: &Value| s.get("readOnly").and_then(Value::as_bool) == Some(true);
    flag(schema) || flag(resolve(schema))
}

/// Where a value is in the body, written out only when a violation names it: dotted from the
/// root, with array items as `name[i]` and map entries as `name.key` (a member of an empty path
/// is its bare name).
#[derive(Debug, Clone, Copy)]
pub(super) enum FieldPath<'a> {
    /// The root: the body's (empty), or a path parameter's field name.
    Root(&'a str),
    /// A member (or map entry) of an object.
    Member(&'a FieldPath<'a>, &'a str),
    /// An item of an array.
    Item(&'a FieldPath<'a>, usize),
}

impl FieldPath<'_> {
    /// Whether the path is written as the empty text.
    fn is_empty(&self) -> bool {
        match self {
            Self::Root(name) => name.is_empty(),
            Self::Member(parent, name) => parent.is_empty() && name.is_empty(),
            Self::Item(..) => false,
        }
    }
}

impl std::fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Root(name) => f.write_str(name),
            Self::Member(parent, name) if parent.is_empty() => f.write_str(name),
            Self::Member(parent, name) => write!(f, "{parent}.{name}"),
            Self::Item(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}
