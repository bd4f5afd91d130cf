//! Decimal strings (`format: decimal`) and their `x-wix-decimal-range`.
//!
//! The spec's one `pattern` (DecimalAmount's) describes an unsigned decimal with an optional
//! fraction, bounded by the range; it is checked here as syntax plus range, without a regular
//! expression engine. A value that is not a decimal at all is a `PATTERN` violation when the
//! schema has a pattern (else `FORMAT`); a decimal outside the range is `DECIMAL_RANGE`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::api_error::Violation;

use super::rules::format_violation_of;

/// Most significant digits `Decimal` holds.
const MAX_DIGITS: usize = 28;

/// The violation of a decimal string, if any.
pub(super) fn violation(schema: &Value, s: &str, path: &str) -> Option<Violation> {
    if !is_decimal_syntax(s) {
        return Some(syntax_violation(schema, path));
    }
    let range = schema.get("x-wix-decimal-range")?;
    (!in_range(range, s)).then(|| range_violation(range, path))
}

/// An optional `-`, digits, and an optional `.` followed by digits.
fn is_decimal_syntax(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// `PATTERN` (with the schema's pattern) or `FORMAT`.
fn syntax_violation(schema: &Value, path: &str) -> Violation {
    match schema.get("pattern").and_then(Value::as_str) {
        Some(pattern) => Violation::new(path, "PATTERN", "must be a decimal string such as 15.50")
            .with_data(json!({ "pattern": pattern })),
        None => format_violation_of(path, "decimal", "a decimal string such as 15.50"),
    }
}

/// Whether a syntactically valid decimal lies within `gte`/`gt`/`lte`/`lt` of the range.
fn in_range(range: &Value, s: &str) -> bool {
    let value = parse(s);
    let limit = |key: &str| {
        range
            .get(key)
            .and_then(Value::as_str)
            .and_then(|l| Decimal::from_str(l).ok())
    };
    let cmp_ok = |key: &str, ok: fn(&Decimal, &Decimal) -> bool| match (limit(key), &value) {
        (None, _) => true,
        (Some(l), Ok(v)) => ok(v, &l),
        // Too many integer digits for `Decimal`: beyond any bound on its side.
        (Some(_), Err(negative)) => matches!(key, "gte" | "gt") != *negative,
    };
    cmp_ok("gte", |v, l| v >= l)
        && cmp_ok("gt", |v, l| v > l)
        && cmp_ok("lte", |v, l| v <= l)
        && cmp_ok("lt", |v, l| v < l)
}

/// Parses a decimal, dropping fraction digits `Decimal` can't hold; `Err(is_negative)` when
/// the integer part itself is too long.
fn parse(s: &str) -> Result<Decimal, bool> {
    let negative = s.starts_with('-');
    let unsigned = s.trim_start_matches('-');
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let int = int.trim_start_matches('0');
    if int.len() > MAX_DIGITS {
        return Err(negative);
    }
    let frac = &frac[..frac.len().min(MAX_DIGITS - int.len())];
    let int = if int.is_empty() { "0" } else { int };
    let sign = if negative { "-" } else { "" };
    let text = if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    };
    Decimal::from_str(&text).map_err(|_| negative)
}

/// `DECIMAL_RANGE`, described from the range's bounds.
fn range_violation(range: &Value, path: &str) -> Violation {
    let bound = |key: &str| range.get(key).and_then(Value::as_str);
    let low = bound("gte").or(bound("gt"));
    let high = bound("lte").or(bound("lt"));
    let description = match (low, high) {
        (Some(l), Some(h)) => format!("must be between {l} and {h}"),
        (Some(l), None) => format!("must be at least {l}"),
        (None, Some(h)) => format!("must be at most {h}"),
        (None, None) => "is out of range".to_string(),
    };
    Violation::new(path, "DECIMAL_RANGE", description).with_data(range.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax() {
        for ok in ["0", "15.50", "-1", "1000000000000000", "007.0"] {
            assert!(is_decimal_syntax(ok), "{ok}");
        }
        for bad in ["", "-", "1.", ".5", "1e5", "+1", "1_000", " 1", "1,5", "abc", "1.2.3"] {
            assert!(!is_decimal_syntax(bad), "{bad}");
        }
    }

    #[test]
    fn range_handles_huge_and_long_values() {
        let range = json!({"gte": "0", "lte": "1000000000000000"});
        assert!(in_range(&range, "1000000000000000"));
        assert!(in_range(&range, "0.12345678901234567890123456789012345"));
        assert!(!in_range(&range, "1000000000000000.01"));
        assert!(!in_range(&range, &"9".repeat(40)));
        assert!(!in_range(&range, &format!("-{}", "9".repeat(40))));
        assert!(!in_range(&range, "-0.01"));
    }
}
