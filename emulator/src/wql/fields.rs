//! The queryable fields, read from the spec's `x-wix-query-fields` and `x-wix-query-operators`
//! extensions on `CursorQuery`.
//!
//! Each field of `x-wix-query-fields` names its type (`string`, `date`, `enum`, `decimal`) and
//! whether it sorts; `x-wix-query-operators` gives each type its operators. How values compare
//! (string, decimal, date-time) and whether they are GUIDs comes from the field's schema in
//! `OrderPaymentRequest`, by walking the dotted path through `properties` and `$ref`s (codegen's
//! lint checks that the two agree). Nothing here is hard-coded, so the spec and the emulator
//! cannot drift.

use std::sync::LazyLock;

use serde_json::Value;

use crate::spec_doc::{resolve, schema};

/// How the values of a field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Plain strings, compared byte-wise (which is code-point order).
    Str,
    /// Exact decimals (`format: decimal`), compared numerically.
    Decimal,
    /// RFC 3339 timestamps (`format: date-time`), compared as instants.
    Time,
}

/// One filter operator of the query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `$eq`: equal.
    Eq,
    /// `$ne`: not equal (a missing field matches).
    Ne,
    /// `$lt`: less than.
    Lt,
    /// `$lte`: less than or equal.
    Lte,
    /// `$gt`: greater than.
    Gt,
    /// `$gte`: greater than or equal.
    Gte,
    /// `$in`: equal to one of the listed values.
    In,
    /// `$nin`: equal to none of the listed values (a missing field matches).
    Nin,
    /// `$exists`: the field is present (`true`) or absent (`false`).
    Exists,
    /// `$isEmpty`: the field is absent or `""` (`true`), or holds text (`false`).
    IsEmpty,
    /// `$startsWith`: the field's text starts with the value, ignoring case.
    StartsWith,
}

impl Op {
    /// Every operator this engine knows.
    pub const ALL: [Op; 11] = [
        Op::Eq,
        Op::Ne,
        Op::Lt,
        Op::Lte,
        Op::Gt,
        Op::Gte,
        Op::In,
        Op::Nin,
        Op::Exists,
        Op::IsEmpty,
        Op::StartsWith,
    ];

    /// The operator's name in a filter, e.g. `$startsWith`.
    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "$eq",
            Op::Ne => "$ne",
            Op::Lt => "$lt",
            Op::Lte => "$lte",
            Op::Gt => "$gt",
            Op::Gte => "$gte",
            Op::In => "$in",
            Op::Nin => "$nin",
            Op::Exists => "$exists",
            Op::IsEmpty => "$isEmpty",
            Op::StartsWith => "$startsWith",
        }
    }

    /// The operator with this name, if it is one.
    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of operators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpSet(u16);

impl OpSet {
    /// Whether the set holds `op`.
    pub fn contains(self, op: Op) -> bool {
        self.0 & op.bit() != 0
    }

    /// The set with `op` added.
    pub fn with(self, op: Op) -> OpSet {
        OpSet(self.0 | op.bit())
    }
}

/// One queryable field as the spec lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's dotted name in filters and sorts, e.g. `amount.amount`.
    pub name: &'static str,
    /// How its values compare.
    pub kind: FieldKind,
    /// The operators a filter may use on it.
    pub operators: OpSet,
    /// Whether a sort may use it.
    pub sortable: bool,
    /// Whether it holds GUIDs (`format: uuid`): filter values that are GUIDs are compared in
    /// their lower-case form, as records hold them.
    pub guid: bool,
}

static FIELDS: LazyLock<Vec<FieldSpec>> = LazyLock::new(load);

/// Every queryable field, in the spec's order (empty if the spec has no table).
pub fn query_fields() -> &'static [FieldSpec] {
    &FIELDS
}

/// The queryable field with this name.
pub fn query_field(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.name == name)
}

fn load() -> Vec<FieldSpec> {
    let Some(cursor_query) = schema("CursorQuery") else {
        return Vec::new();
    };
    let Some(table) = cursor_query
        .get("x-wix-query-fields")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let sets = cursor_query.get("x-wix-query-operators");
    table.iter().filter_map(|row| entry(row, sets)).collect()
}

/// The operator set named `type_name` in `x-wix-query-operators` (empty when it has none).
fn operator_set(sets: Option<&'static Value>, type_name: &str) -> OpSet {
    sets.and_then(|s| s.get(type_name))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(Op::from_name)
        .fold(OpSet::default(), OpSet::with)
}

fn entry(row: &'static Value, sets: Option<&'static Value>) -> Option<FieldSpec> {
    let name = row.get("field")?.as_str()?;
    let type_name = row.get("type").and_then(Value::as_str).unwrap_or_default();
    let sortable = row
        .get("sortable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Some(FieldSpec {
        name,
        kind: kind_of(name),
        operators: operator_set(sets, type_name),
        sortable,
        guid: format_of(name) == Some("uuid"),
    })
}

/// The `format` of a dotted field of `OrderPaymentRequest`, if the path and format exist.
fn format_of(path: &str) -> Option<&'static str> {
    let mut node = resolve(schema("OrderPaymentRequest")?);
    for part in path.split('.') {
        node = resolve(node.get("properties")?.get(part)?);
    }
    node.get("format").and_then(Value::as_str)
}

/// The kind of a dotted field of `OrderPaymentRequest`; `Str` when the path or format is unknown.
fn kind_of(path: &str) -> FieldKind {
    match format_of(path) {
        Some("date-time") => FieldKind::Time,
        Some("decimal") => FieldKind::Decimal,
        _ => FieldKind::Str,
    }
}
