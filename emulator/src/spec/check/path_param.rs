//! The operations' path parameters, prepared once from the spec: each with its Wix field name,
//! its schema and, when the schema asks no more of a string than a type, a GUID format and
//! length bounds, those demands read out of it ([`QuickString`]). A value that meets them has no
//! violation, so a request pays only the comparison; any other value is walked along the schema
//! for its violations, the same walk that gives every other check its messages.

use std::sync::LazyLock;

use serde_json::Value;

use crate::http::api_error::Violation;
use crate::spec::document::{operations, resolve};

use super::walk::{FieldPath, Mode, Walker};

/// One path parameter of one operation.
#[derive(Debug)]
pub(super) struct PathParam {
    operation_id: &'static str,
    name: &'static str,
    /// The field a violation names: `x-wix-path-name`, or else the parameter's name.
    field: &'static str,
    schema: &'static Value,
    quick: Option<QuickString>,
}

/// What a string schema asks of a value, when it asks nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct QuickString {
    guid: bool,
    min_chars: Option<u64>,
    max_chars: Option<u64>,
}

impl QuickString {
    /// The demands of `schema`, or `None` when it has a keyword the quick check does not know
    /// (then every value is walked).
    fn of(schema: &'static Value) -> Option<Self> {
        let mut quick = Self {
            guid: false,
            min_chars: None,
            max_chars: None,
        };
        for (keyword, value) in resolve(schema).as_object()? {
            match keyword.as_str() {
                "type" if value == "string" => {}
                "format" if value == "uuid" => quick.guid = true,
                "minLength" => quick.min_chars = Some(value.as_u64()?),
                "maxLength" => quick.max_chars = Some(value.as_u64()?),
                "description" | "example" | "title" => {}
                _ => return None,
            }
        }
        Some(quick)
    }

    /// Whether `value` meets every demand (and so has no violation).
    fn accepts(&self, value: &str) -> bool {
        if self.guid && !(value.len() == 36 && uuid::Uuid::try_parse(value).is_ok()) {
            return false;
        }
        if self.min_chars.is_none() && self.max_chars.is_none() {
            return true;
        }
        let chars = value.chars().count() as u64;
        self.min_chars.is_none_or(|min| chars >= min)
            && self.max_chars.is_none_or(|max| chars <= max)
    }
}

impl PathParam {
    /// Every violation of `value`.
    pub(super) fn violations(&self, value: &str) -> Vec<Violation> {
        if self.quick.is_some_and(|quick| quick.accepts(value)) {
            return Vec::new();
        }
        self.walk(value)
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

    /// The quick check, if the schema allows one.
    #[cfg(test)]
    pub(super) fn quick(&self) -> Option<QuickString> {
        self.quick
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
                quick: QuickString::of(schema),
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
