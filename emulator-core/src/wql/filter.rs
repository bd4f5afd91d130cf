//! The `filter` of a query: parsed once into a tree, then tested against each record.
//!
//! `{"field": value}` means `$eq`, `{"field": {"$op": value, ..}}` applies every listed operator,
//! and `$and` / `$or` (arrays of filters) and `$not` (a filter) combine them. Several keys in one
//! object must all hold.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::fields::{query_field, FieldKind, FieldSpec, Op};
use super::scalar::{self, compare, literal, LiteralError, Scalar};
use super::QueryRecord;
use crate::api_error::Violation;

/// A checked filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    /// Every record matches (the empty filter).
    All,
    /// Every part matches.
    And(Vec<Filter>),
    /// At least one part matches.
    Or(Vec<Filter>),
    /// The part does not match.
    Not(Box<Filter>),
    /// One test of one field.
    Test(&'static FieldSpec, Test),
}

/// The test applied to one field's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// Present and ordered against the literal as the predicate says.
    Cmp(CmpOp, Scalar<'static>),
    /// Absent, or present and not equal.
    Ne(Scalar<'static>),
    /// Present and equal to one of the literals (`$in`).
    AnyOf(Vec<Scalar<'static>>),
    /// Absent, or present and equal to none of the literals (`$nin`).
    NoneOf(Vec<Scalar<'static>>),
    /// Present (`true`) or absent (`false`).
    Exists(bool),
    /// Absent or the empty string (`true`), or present and not empty (`false`).
    IsEmpty(bool),
    /// Present and its text starts with the (lower-cased) needle, ignoring case.
    StartsWith(String),
}

/// An ordering predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `$eq`.
    Eq,
    /// `$lt`.
    Lt,
    /// `$lte`.
    Lte,
    /// `$gt`.
    Gt,
    /// `$gte`.
    Gte,
}

impl CmpOp {
    fn accepts(self, o: Ordering) -> bool {
        match self {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Lte => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Gte => o != Ordering::Less,
        }
    }
}

impl Filter {
    /// Whether the record matches. Allocates nothing for records whose values have the
    /// field's kind.
    pub(crate) fn matches<R: QueryRecord + ?Sized>(&self, record: &R) -> bool {
        match self {
            Filter::All => true,
            Filter::And(parts) => parts.iter().all(|p| p.matches(record)),
            Filter::Or(parts) => parts.iter().any(|p| p.matches(record)),
            Filter::Not(part) => !part.matches(record),
            Filter::Test(field, test) => {
                let value = record
                    .field(field.name)
                    .and_then(|v| scalar::coerce(v, field.kind));
                test.holds(value.as_ref())
            }
        }
    }
}

impl Test {
    fn holds(&self, value: Option<&Scalar<'_>>) -> bool {
        let eq = |v: &Scalar<'_>, lit: &Scalar<'_>| compare(v, lit) == Some(Ordering::Equal);
        match (self, value) {
            (Test::Exists(want), v) => v.is_some() == *want,
            (Test::IsEmpty(want), v) => v.is_none_or(scalar::is_empty_text) == *want,
            (Test::Ne(_) | Test::NoneOf(_), None) => true,
            (_, None) => false,
            (Test::Cmp(op, lit), Some(v)) => compare(v, lit).is_some_and(|o| op.accepts(o)),
            (Test::Ne(lit), Some(v)) => !eq(v, lit),
            (Test::AnyOf(lits), Some(v)) => lits.iter().any(|l| eq(v, l)),
            (Test::NoneOf(lits), Some(v)) => !lits.iter().any(|l| eq(v, l)),
            (Test::StartsWith(needle), Some(v)) => scalar::starts_with_ci(v, needle),
        }
    }
}

/// Parses the `filter` value found at `path` (`query.filter`); `null` is the empty filter.
/// Every problem found is added to `errors`.
pub(crate) fn parse(value: &Value, path: &str, errors: &mut Vec<Violation>) -> Filter {
    match value {
        Value::Null => Filter::All,
        Value::Object(map) => parse_object(map, path, errors),
        _ => {
            errors.push(Violation::new(
                path,
                "TYPE",
                "a filter must be a JSON object",
            ));
            Filter::All
        }
    }
}

fn parse_object(map: &Map<String, Value>, path: &str, errors: &mut Vec<Violation>) -> Filter {
    let mut parts: Vec<Filter> = map
        .iter()
        .map(|(key, value)| parse_entry(key, value, &format!("{path}.{key}"), errors))
        .filter(|f| *f != Filter::All)
        .collect();
    match parts.len() {
        0 => Filter::All,
        1 => parts.pop().unwrap_or(Filter::All),
        _ => Filter::And(parts),
    }
}

fn parse_entry(key: &str, value: &Value, path: &str, errors: &mut Vec<Violation>) -> Filter {
    match key {
        "$and" | "$or" => {
            let Some(items) = value.as_array() else {
                errors.push(Violation::new(
                    path,
                    "TYPE",
                    format!("`{key}` takes an array of filters"),
                ));
                return Filter::All;
            };
            let parts = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let item_path = format!("{path}[{i}]");
                    match item {
                        Value::Object(map) => parse_object(map, &item_path, errors),
                        _ => {
                            errors.push(Violation::new(
                                item_path,
                                "TYPE",
                                "each item must be a filter object",
                            ));
                            Filter::All
                        }
                    }
                })
                .collect();
            if key == "$and" {
                Filter::And(parts)
            } else {
                Filter::Or(parts)
            }
        }
        "$not" => match value {
            Value::Object(map) => Filter::Not(Box::new(parse_object(map, path, errors))),
            _ => {
                errors.push(Violation::new(path, "TYPE", "`$not` takes a filter object"));
                Filter::All
            }
        },
        _ if key.starts_with('$') => {
            errors.push(Violation::new(
                path,
                "UNSUPPORTED_OPERATOR",
                format!("`{key}` is not a supported logical operator (use `$and`, `$or`, `$not`)"),
            ));
            Filter::All
        }
        _ => parse_field(key, value, path, errors),
    }
}

fn parse_field(name: &str, value: &Value, path: &str, errors: &mut Vec<Violation>) -> Filter {
    let Some(field) = query_field(name) else {
        errors.push(Violation::new(
            path,
            "UNSUPPORTED_FIELD",
            format!("`{name}` is not a queryable field"),
        ));
        return Filter::All;
    };
    let ops = match value {
        Value::Object(map) if map.keys().any(|k| k.starts_with('$')) && !is_date_literal(map) => {
            map
        }
        _ => return parse_test(field, Op::Eq, value, path, errors),
    };
    let mut tests: Vec<Filter> = Vec::with_capacity(ops.len());
    for (op_name, operand) in ops {
        match Op::from_name(op_name) {
            Some(op) => tests.push(parse_test(field, op, operand, path, errors)),
            None => errors.push(Violation::new(
                path,
                "UNSUPPORTED_OPERATOR",
                format!("`{op_name}` is not a supported operator"),
            )),
        }
    }
    match tests.len() {
        0 => Filter::All,
        1 => tests.pop().unwrap_or(Filter::All),
        _ => Filter::And(tests),
    }
}

fn is_date_literal(map: &Map<String, Value>) -> bool {
    map.len() == 1 && map.contains_key("$date")
}

fn parse_test(
    field: &'static FieldSpec,
    op: Op,
    operand: &Value,
    path: &str,
    errors: &mut Vec<Violation>,
) -> Filter {
    if !field.operators.contains(op) {
        errors.push(Violation::new(
            path,
            "UNSUPPORTED_OPERATOR",
            format!(
                "operator `{}` is not supported on field `{}`",
                op.name(),
                field.name
            ),
        ));
        return Filter::All;
    }
    let test = match op {
        Op::Eq => one(field, operand, path, errors).map(|v| Test::Cmp(CmpOp::Eq, v)),
        Op::Lt => one(field, operand, path, errors).map(|v| Test::Cmp(CmpOp::Lt, v)),
        Op::Lte => one(field, operand, path, errors).map(|v| Test::Cmp(CmpOp::Lte, v)),
        Op::Gt => one(field, operand, path, errors).map(|v| Test::Cmp(CmpOp::Gt, v)),
        Op::Gte => one(field, operand, path, errors).map(|v| Test::Cmp(CmpOp::Gte, v)),
        Op::Ne => one(field, operand, path, errors).map(Test::Ne),
        Op::In => list(field, op, operand, path, errors).map(Test::AnyOf),
        Op::Nin => list(field, op, operand, path, errors).map(Test::NoneOf),
        Op::Exists => flag(op, operand, path, errors).map(Test::Exists),
        Op::IsEmpty => flag(op, operand, path, errors).map(Test::IsEmpty),
        Op::StartsWith => match operand {
            Value::String(s) => Some(Test::StartsWith(scalar::lower(s))),
            _ => {
                errors.push(Violation::new(path, "TYPE", "`$startsWith` takes a string"));
                None
            }
        },
    };
    test.map_or(Filter::All, |t| Filter::Test(field, t))
}

/// The boolean operand of `$exists` or `$isEmpty`.
fn flag(op: Op, operand: &Value, path: &str, errors: &mut Vec<Violation>) -> Option<bool> {
    match operand {
        Value::Bool(b) => Some(*b),
        _ => {
            errors.push(Violation::new(
                path,
                "TYPE",
                format!("`{}` takes `true` or `false`", op.name()),
            ));
            None
        }
    }
}

fn one(
    field: &FieldSpec,
    operand: &Value,
    path: &str,
    errors: &mut Vec<Violation>,
) -> Option<Scalar<'static>> {
    match literal(operand, field.kind) {
        Ok(Scalar::Str(text)) if field.guid => Some(scalar::normalize_guid(text)),
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(literal_violation(field, e, path));
            None
        }
    }
}

fn list(
    field: &FieldSpec,
    op: Op,
    operand: &Value,
    path: &str,
    errors: &mut Vec<Violation>,
) -> Option<Vec<Scalar<'static>>> {
    let Some(items) = operand.as_array() else {
        errors.push(Violation::new(
            path,
            "TYPE",
            format!("`{}` takes an array of values", op.name()),
        ));
        return None;
    };
    let before = errors.len();
    let values: Vec<_> = items
        .iter()
        .filter_map(|item| one(field, item, path, errors))
        .collect();
    (errors.len() == before).then_some(values)
}

fn literal_violation(field: &FieldSpec, error: LiteralError, path: &str) -> Violation {
    let (rule, expected) = match (error, field.kind) {
        (LiteralError::Type, FieldKind::Str) => ("TYPE", "a string"),
        (LiteralError::Type, FieldKind::Decimal) => ("TYPE", "a decimal (string or number)"),
        (LiteralError::Type, FieldKind::Time) => ("TYPE", "an RFC 3339 date-time string"),
        (LiteralError::Format, FieldKind::Decimal) => ("FORMAT", "a decimal such as \"15.50\""),
        (LiteralError::Format, _) => (
            "FORMAT",
            "an RFC 3339 date-time such as \"2026-06-01T14:22:18.456Z\"",
        ),
    };
    Violation::new(
        path,
        rule,
        format!("`{}` must be compared with {expected}", field.name),
    )
}
