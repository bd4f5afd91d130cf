//! The operations' path parameters, prepared once from the spec: each with its Wix field name,
//! its schema and, when the schema is a plain string schema (a type, a format, length bounds),
//! that schema, whose violations are the string rules' alone ([`rules::string_violations`]), so
//! a request pays only those rules; any other schema is walked, the same walk that gives every
//! other check its messages.

use std::sync::LazyLock;

use serde_json::Value;

use crate::api_error::Violation;
use crate::spec::document::{operations, resolve};

use super::rules;
use super::walk::{FieldPath, Mode, Walker};

/// One path parameter of one operation.
#[derive(Debug)]
pub(super) struct PathParam {
    operation_id: &'static str,
    name: &'static str,
    /// The field a violation names: `x-wix-path-name`, or else the parameter's name.
    field: &'static str,
    schema: &'static Value,
    /// The schema (after its `$ref`), when it is a plain string schema.
    plain_string: Option<&'static Value>,
}

/// `schema` (after its `$ref`) when all it asks of a value is the string rules': a string
/// type, a format, length bounds. For such a schema the walk finds exactly the string rules'
/// violations (a string has the type, and nothing else applies); `None` for any other schema.
fn plain_string_schema(schema: &'static Value) -> Option<&'static Value> {
    let schema = resolve(schema);
    let plain = schema
        .as_object()?
        .iter()
        .all(|(keyword, value)| match keyword.as_str() {
            "type" => value == "string",
            "format" | "minLength" | "maxLength" | "description" | "example" | "title" => true,
            _ => false,
        });
    plain.then_some(schema)
}

impl PathParam {
    /// Every violation of `value`.
    pub(super) fn violations(&self, value: &str) -> Vec<Violation> {
        match self.plain_string {
            Some(schema) => rules::string_violations(schema, value, self.field),
            None => self.walk(value),
        }
    }

    /// The violations of `value`, found by walking the schema.
    pub(super) fn walk(&self, value: &str) -> Vec<Violation> {
        let mut walker = Walker::new(Mode::Output);
        walker.check(
            self.schema,
            &Value::String(value.to_string()),
            &FieldPath::Root(self.field),
        );
        walker.into_violations()
    }

    /// The plain string schema, if the parameter has one.
    #[cfg(test)]
    pub(super) fn plain_string(&self) -> Option<&'static Value> {
        self.plain_string
    }
}

/// Every path parameter of the spec's operations.
static PATH_PARAMS: LazyLock<Vec<PathParam>> = LazyLock::new(|| {
    let mut found = Vec::new();
    for (operation_id, op) in operations() {
        let params = op.get("parameters").and_then(Value::as_array);
        for param in params.into_iter().flatten().map(resolve) {
            let text = |key: &str| param.get(key).and_then(Value::as_str);
            let (Some("path"), Some(name), Some(schema)) =
                (text("in"), text("name"), param.get("schema"))
            else {
                continue;
            };
            found.push(PathParam {
                operation_id,
                name,
                field: text("x-wix-path-name").unwrap_or(name),
                schema,
                plain_string: plain_string_schema(schema),
            });
        }
    }
    found
});

/// The path parameter `name` of an operation.
pub(super) fn find(operation_id: &str, name: &str) -> Option<&'static PathParam> {
    PATH_PARAMS
        .iter()
        .find(|p| p.name == name && p.operation_id == operation_id)
}

/// Every path parameter (for tests).
#[cfg(test)]
pub(super) fn all() -> &'static [PathParam] {
    &PATH_PARAMS
}
