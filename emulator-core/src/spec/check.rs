//! Request and response validation driven by the JSON schemas of `spec/openapi.yaml`.
//!
//! Nothing here hand-codes a field rule: every check comes from walking the spec's schemas
//! (`$ref`, `allOf`, nested objects, arrays, `additionalProperties` maps, `required`) and its
//! vendor extensions (`x-wix-path-name`); a decimal's range comes from the generated rule table
//! (`x-wix-decimal-range`, the installed model's `decimal_ranges`). What a request requires is
//! the plain `required` of its input schemas.
//!
//! Violations use Wix's shape and names:
//!
//! | rule | when | data |
//! |---|---|---|
//! | `TYPE` | wrong JSON type (also a non-object body) | `{"expected": "string"}` |
//! | `REQUIRED_FIELD` | a `required` property is missing or `null` | |
//! | `FORMAT` | `uuid`, `date-time`, `uri`, `decimal`, `int32`/`int64` | `{"format": "uuid"}` |
//! | `MIN_LENGTH` / `MAX_LENGTH` | string length, counted in characters | `{"threshold": N}` |
//! | `PATTERN` | a `pattern` the checker can evaluate does not match | `{"pattern": ".."}` |
//! | `DECIMAL_RANGE` | a decimal string outside `x-wix-decimal-range` | `{"gte": "0", "lte": ".."}` |
//! | `MIN_ITEMS` / `MAX_ITEMS` | array length | `{"threshold": N}` |
//! | `MIN` / `MAX` | number bounds | `{"threshold": N}` |
//! | `ENUM` | a value outside `enum` | `{"allowed": [..]}` |
//! | `STATUS` | (responses only) a status the operation does not list | |
//!
//! Field paths are dotted from the body root, with array items as `name[i]` and map entries as
//! `name.key`: `orderPaymentRequest.title`, `orderPaymentRequests[3].amount.amount`,
//! `query.cursorPaging.limit`. A body that is not a JSON object is reported at the empty path.
//!
//! On input, read-only properties are ignored (neither checked nor reported), and unknown
//! properties are ignored, as Wix does (the input schemas do not declare the fields Wix sets, so
//! a request carrying them is not refused). `null` counts as absent.

mod decimal;
mod node;
mod path_param;
mod rules;
mod strip;
mod walk;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde_json::Value;

use wix_runtime::operation::ApiOperation;

use crate::api_error::Violation;
use crate::spec::document::{operation, operations, resolve};

use walk::{FieldPath, Mode, Walker};

/// Every violation of the operation's request body schema, in Wix's field-path form.
///
/// Read-only and unknown properties are ignored. An unknown operation, or one without a request
/// body, yields no violations.
pub fn validate_request(operation_id: &str, body: &Value) -> Vec<Violation> {
    let Some(body_schema) = request_schema(operation_id) else {
        return Vec::new();
    };
    let empty = Value::Object(Default::default());
    let body = if body.is_null() { &empty } else { body };
    let mut walker = Walker::new(Mode::Input);
    walker.check(body_schema, body, &FieldPath::Root(""));
    walker.into_violations()
}

/// Checks a path parameter (e.g. a GUID) of an operation.
///
/// The violation's field is the parameter's Wix name (`x-wix-path-name`, e.g.
/// `orderPaymentRequest.id` for Update) or else its name. An unknown operation or parameter
/// yields no violations.
pub fn validate_path_param(operation_id: &str, name: &str, value: &str) -> Vec<Violation> {
    path_param::find(operation_id, name)
        .map(|param| param.violations(value))
        .unwrap_or_default()
}

/// Removes read-only properties from a request body, at any depth (for example the image's
/// `width`): Wix sets them and ignores them in requests. The entity's own read-only fields
/// (`id`, `status`, ...) are not part of the input schemas, so decoding drops them.
pub fn strip_read_only(operation_id: &str, body: &mut Value) {
    if let Some(body_schema) = request_schema(operation_id) {
        strip::strip_body(body_schema, body);
    }
}

/// Violations of a response body against the spec's response schema for that status (for tests).
///
/// The status is looked up exactly, then as its class (`5XX`), then as `default`; a status the
/// operation does not list is a `STATUS` violation, an unknown operation an `OPERATION` one.
/// Read-only properties are checked like any other; unknown properties are ignored.
pub fn validate_response(operation_id: &str, status: u16, body: &Value) -> Vec<Violation> {
    let Some((_, _, op)) = operation(operation_id) else {
        return vec![Violation::new(
            "",
            "OPERATION",
            format!("the spec has no operation `{operation_id}`"),
        )];
    };
    let Some(response) = response_object(op, status) else {
        return vec![Violation::new(
            "",
            "STATUS",
            format!("status {status} is not a response of `{operation_id}`"),
        )];
    };
    let Some(body_schema) = json_schema(response) else {
        return Vec::new();
    };
    let mut walker = Walker::new(Mode::Output);
    walker.check(body_schema, body, &FieldPath::Root(""));
    walker.into_violations()
}

/// The fields the `member` of an operation's request body requires, dotted through required
/// objects: the `required` of the member's schema and of its required object members. For
/// Create's entity, `["title", "orderId", "amount", "amount.amount"]`.
pub fn required_in_request<O: ApiOperation>(member: &str) -> Vec<String> {
    let entity = request_schema(O::RULE.operation_id)
        .map(resolve)
        .and_then(|body| body.pointer(&format!("/properties/{member}")));
    let mut out = Vec::new();
    if let Some(entity) = entity {
        collect_required(entity, "", &mut out);
    }
    out
}

/// Appends the `required` properties of `schema` (prefixed with `prefix`) and, depth first, those
/// of each required object property.
fn collect_required(schema: &'static Value, prefix: &str, out: &mut Vec<String>) {
    let schema = resolve(schema);
    let required = schema.get("required").and_then(Value::as_array);
    for name in required.into_iter().flatten().filter_map(Value::as_str) {
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        out.push(path.clone());
        if let Some(member) = schema.pointer(&format!("/properties/{name}")) {
            collect_required(member, &path, out);
        }
    }
}

/// The statuses the spec lists for an operation's responses (`"200"`, `"400"`, `"5XX"`, ...).
pub fn response_statuses(operation_id: &str) -> Vec<&'static str> {
    operation(operation_id)
        .and_then(|(_, _, op)| op.get("responses"))
        .and_then(Value::as_object)
        .map(|r| r.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The schema of an operation's JSON request body, if it has one.
fn request_schema(operation_id: &str) -> Option<&'static Value> {
    REQUEST_SCHEMAS.get(operation_id).copied()
}

/// The JSON request body schema of each operation that has one, by `operationId`.
static REQUEST_SCHEMAS: LazyLock<FxHashMap<&'static str, &'static Value>> = LazyLock::new(|| {
    operations()
        .filter_map(|(id, op)| Some((id, json_schema(resolve(op.get("requestBody")?))?)))
        .collect()
});

/// The `application/json` schema of a request body or response object.
fn json_schema(holder: &'static Value) -> Option<&'static Value> {
    holder.pointer("/content/application~1json/schema")
}

/// The response object for a status: exact, then its class (`4XX`), then `default`.
fn response_object(op: &'static Value, status: u16) -> Option<&'static Value> {
    let responses = op.get("responses")?;
    let class = format!("{}XX", status / 100);
    [status.to_string(), class.clone(), class.to_lowercase()]
        .iter()
        .find_map(|key| responses.get(key))
        .or_else(|| responses.get("default"))
        .map(resolve)
}
