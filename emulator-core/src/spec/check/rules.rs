//! The scalar rules of a schema: type, enum, string length and format, number bounds, item
//! counts. Each returns the violations it finds at one path.

use serde_json::{json, Value};

use crate::api_error::Violation;

use super::decimal;

/// The JSON type a schema expects: its `type`, or `object`/`array` when it only declares
/// properties or items.
pub(super) fn expected_type(schema: &Value) -> Option<&str> {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return Some(t);
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        return Some("object");
    }
    schema.get("items").map(|_| "array")
}

/// Whether `value` has the JSON type `expected` (an integral float counts as an integer).
pub(super) fn has_type(value: &Value, expected: &str) -> bool {
    match expected {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => is_integral(value),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn is_integral(value: &Value) -> bool {
    value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// `TYPE`: the value is not of the expected JSON type.
pub(super) fn type_violation(path: &str, expected: &str) -> Violation {
    let article = if expected.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let description = if path.is_empty() {
        format!("the request body must be {article} {expected}")
    } else {
        format!("must be {article} {expected}")
    };
    Violation::new(path, "TYPE", description).with_data(json!({ "expected": expected }))
}

/// `REQUIRED_FIELD`: the field is missing.
pub(super) fn required_violation(path: &str) -> Violation {
    Violation::new(path, "REQUIRED_FIELD", "is required")
}

/// `ENUM`: the value is not one of the schema's `enum` values.
pub(super) fn enum_violation(schema: &Value, value: &Value, path: &str) -> Option<Violation> {
    let allowed = schema.get("enum")?.as_array()?;
    if allowed.contains(value) {
        return None;
    }
    let names: Vec<String> = allowed.iter().map(display).collect();
    Some(
        Violation::new(
            path,
            "ENUM",
            format!("must be one of: {}", names.join(", ")),
        )
        .with_data(json!({ "allowed": allowed })),
    )
}

/// A value as it appears in a message (strings without quotes).
fn display(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

/// Length (in characters), format, decimal range and pattern of a string.
pub(super) fn string_violations(schema: &Value, s: &str, path: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(length_violation(schema, s.chars().count(), path));
    let format = schema.get("format").and_then(Value::as_str);
    if format == Some("decimal") {
        // The decimal check covers the spec's decimal `pattern` (digits with an optional
        // fraction, bounded by `x-wix-decimal-range`).
        out.extend(decimal::violation(schema, s, path));
        return out;
    }
    if let Some(format) = format {
        out.extend(format_violation(format, s, path));
    }
    out
}

/// `MIN_LENGTH` / `MAX_LENGTH` for a string of `len` characters.
fn length_violation(schema: &Value, len: usize, path: &str) -> Option<Violation> {
    let min = bound(schema, "minLength");
    let max = bound(schema, "maxLength");
    if let Some(min) = min.filter(|&m| (len as u64) < m) {
        let unit = plural(min, "character");
        return Some(threshold_violation(
            path,
            "MIN_LENGTH",
            format!("must have at least {min} {unit}"),
            min,
        ));
    }
    let max = max.filter(|&m| (len as u64) > m)?;
    let unit = plural(max, "character");
    Some(threshold_violation(
        path,
        "MAX_LENGTH",
        format!("must have at most {max} {unit}"),
        max,
    ))
}

/// `FORMAT` for the string formats the spec uses (`uuid`, `date-time`, `uri`).
fn format_violation(format: &str, s: &str, path: &str) -> Option<Violation> {
    let (ok, what) = match format {
        "uuid" => (is_guid(s), "a GUID"),
        "date-time" => (
            chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            "an RFC 3339 date-time",
        ),
        "uri" => (url::Url::parse(s).is_ok(), "an absolute URI"),
        _ => (true, ""),
    };
    (!ok).then(|| format_violation_of(path, format, what))
}

/// A `FORMAT` violation for `format`, described as "must be {what}".
pub(super) fn format_violation_of(path: &str, format: &str, what: &str) -> Violation {
    Violation::new(path, "FORMAT", format!("must be {what}")).with_data(json!({ "format": format }))
}

/// A GUID in its hyphenated form (`8-4-4-4-12` hexadecimal digits).
fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// Integer format range (`int32`/`int64`) and `minimum`/`maximum` of a number.
pub(super) fn number_violations(schema: &Value, value: &Value, path: &str) -> Vec<Violation> {
    let Some(n) = value.as_f64() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.extend(integer_format_violation(schema, value, path));
    out.extend(minimum_violation(schema, n, path));
    out.extend(maximum_violation(schema, n, path));
    out
}

/// `FORMAT`: an `int32` or `int64` out of its range.
fn integer_format_violation(schema: &Value, value: &Value, path: &str) -> Option<Violation> {
    let format = schema.get("format").and_then(Value::as_str)?;
    let fits = match format {
        "int32" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "int64" => value.as_i64().is_some(),
        _ => return None,
    };
    let what = format!("a {}-bit integer", &format[3..]);
    (!fits).then(|| format_violation_of(path, format, &what))
}

/// `MIN`: below `minimum` (or equal to it when `exclusiveMinimum` is true).
fn minimum_violation(schema: &Value, n: f64, path: &str) -> Option<Violation> {
    let min = schema.get("minimum")?;
    let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    let limit = min.as_f64()?;
    let bad = if exclusive { n <= limit } else { n < limit };
    let word = if exclusive {
        "greater than"
    } else {
        "at least"
    };
    bad.then(|| {
        Violation::new(path, "MIN", format!("must be {word} {min}"))
            .with_data(json!({ "threshold": min }))
    })
}

/// `MAX`: above `maximum` (or equal to it when `exclusiveMaximum` is true).
fn maximum_violation(schema: &Value, n: f64, path: &str) -> Option<Violation> {
    let max = schema.get("maximum")?;
    let exclusive = schema.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true);
    let limit = max.as_f64()?;
    let bad = if exclusive { n >= limit } else { n > limit };
    let word = if exclusive { "less than" } else { "at most" };
    bad.then(|| {
        Violation::new(path, "MAX", format!("must be {word} {max}"))
            .with_data(json!({ "threshold": max }))
    })
}

/// `MIN_ITEMS` / `MAX_ITEMS` for an array of `len` items.
pub(super) fn item_count_violations(schema: &Value, len: usize, path: &str) -> Option<Violation> {
    let len = len as u64;
    if let Some(min) = bound(schema, "minItems").filter(|&m| len < m) {
        let unit = plural(min, "item");
        return Some(threshold_violation(
            path,
            "MIN_ITEMS",
            format!("must have at least {min} {unit}"),
            min,
        ));
    }
    let max = bound(schema, "maxItems").filter(|&m| len > m)?;
    let unit = plural(max, "item");
    Some(threshold_violation(
        path,
        "MAX_ITEMS",
        format!("must have at most {max} {unit}"),
        max,
    ))
}

/// A non-negative integer keyword of a schema.
fn bound(schema: &Value, keyword: &str) -> Option<u64> {
    schema.get(keyword).and_then(Value::as_u64)
}

/// A violation with `{"threshold": n}`.
fn threshold_violation(path: &str, rule: &str, description: String, n: u64) -> Violation {
    Violation::new(path, rule, description).with_data(json!({ "threshold": n }))
}

/// `word` or `words` for `n`.
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
