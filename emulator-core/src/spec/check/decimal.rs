//! Decimal strings (`format: decimal`) and their `x-wix-decimal-range`.
//!
//! The spec's one `pattern` (DecimalAmount's) describes an unsigned decimal with an optional
//! fraction, bounded by the range; it is checked here as syntax plus range, without a regular
//! expression engine, the same way the client's `money::Amount` reads amounts:
//! - not digits with an optional `.` and more digits (a sign, an exponent, `1.`, `.5`):
//!   `PATTERN` when the schema has a pattern, else `FORMAT`;
//! - outside the schema's `x-wix-decimal-range` (read from the generated rule table,
//!   `DECIMAL_RANGES`, matched to the schema by its place in the spec): `DECIMAL_RANGE`;
//! - more significant digits than a `Decimal` holds exactly: `FORMAT`.

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use wix_runtime::rules::DecimalRange;

use crate::api_error::Violation;
use crate::spec::document as spec_doc;

use super::rules::format_violation_of;

/// Most integer digits a `Decimal` holds.
const MAX_INTEGER_DIGITS: usize = 28;

/// The violation of a decimal string, if any.
pub(super) fn violation(schema: &Value, s: &str, path: &str) -> Option<Violation> {
    if !is_decimal_syntax(s) {
        return Some(syntax_violation(schema, path));
    }
    let range = range_of(schema);
    match Decimal::from_str_exact(s) {
        Ok(value) => range
            .filter(|r| !r.contains(value))
            .map(|r| range_violation(r, path)),
        Err(_) => match range {
            Some(r) if integer_digits(s) > MAX_INTEGER_DIGITS => Some(range_violation(r, path)),
            _ => Some(format_violation_of(
                path,
                "decimal",
                "a decimal with at most 28 significant digits",
            )),
        },
    }
}

/// Digits, optionally followed by `.` and more digits.
fn is_decimal_syntax(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// The number of integer digits of a decimal string, leading zeros aside.
fn integer_digits(s: &str) -> usize {
    let int = s.split_once('.').map_or(s, |(int, _)| int);
    int.trim_start_matches('0').len()
}

/// `PATTERN` (with the schema's pattern) or `FORMAT`.
fn syntax_violation(schema: &Value, path: &str) -> Violation {
    let what = "a decimal string such as 15.50";
    match schema.get("pattern").and_then(Value::as_str) {
        Some(pattern) => Violation::new(path, "PATTERN", format!("must be {what}"))
            .with_data(json!({ "pattern": pattern })),
        None => format_violation_of(path, "decimal", what),
    }
}

/// The generated range of a schema of the spec (the same node, not an equal copy).
fn range_of(schema: &Value) -> Option<&'static DecimalRange> {
    crate::model::model()
        .decimal_ranges
        .iter()
        .find(|range| spec_doc::schema(range.schema).is_some_and(|node| std::ptr::eq(node, schema)))
}

/// `DECIMAL_RANGE`, described from the range's ends, with the ends as data
/// (`{"gte": "0", "lte": ".."}`).
fn range_violation(range: &DecimalRange, path: &str) -> Violation {
    let low = range.gte.map(|end| end.text);
    let high = range.lte.map(|end| end.text);
    let description = match (low, high) {
        (Some(l), Some(h)) => format!("must be between {l} and {h}"),
        (Some(l), None) => format!("must be at least {l}"),
        (None, Some(h)) => format!("must be at most {h}"),
        (None, None) => "is out of range".to_string(),
    };
    let mut data = Map::new();
    for (key, end) in [("gte", low), ("lte", high)] {
        if let Some(text) = end {
            data.insert(key.to_string(), json!(text));
        }
    }
    Violation::new(path, "DECIMAL_RANGE", description).with_data(Value::Object(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax() {
        for ok in ["0", "15.50", "1000000000000000", "007.0"] {
            assert!(is_decimal_syntax(ok), "{ok}");
        }
        for bad in [
            "", "-1", "-", "1.", ".5", "1e5", "+1", "1_000", " 1", "1,5", "abc", "1.2.3",
        ] {
            assert!(!is_decimal_syntax(bad), "{bad}");
        }
    }

    #[test]
    fn range_precision_and_huge_values() {
        let schema = spec_doc::schema("DecimalAmount").unwrap();
        let rule = |s: &str| violation(schema, s, "a").map(|v| v.rule);
        assert_eq!(rule("1000000000000000"), None);
        assert_eq!(rule("0.1234567890123456789012345678"), None);
        assert_eq!(
            rule("1000000000000000.01").as_deref(),
            Some("DECIMAL_RANGE")
        );
        assert_eq!(rule(&"9".repeat(40)).as_deref(), Some("DECIMAL_RANGE"));
        assert_eq!(
            rule("1.00000000000000000000000000001").as_deref(),
            Some("FORMAT")
        );
        assert_eq!(rule("-0.01").as_deref(), Some("PATTERN"));
    }
}
