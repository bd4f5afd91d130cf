//! The queryable fields, from the spec's `x-wix-query-fields` and `x-wix-query-operators`
//! extensions on `CursorQuery`, as codegen writes them into the generated crate's rule table
//! (`generated::rules::QUERY_FIELDS`, the same table the typed query builder's `Field`
//! constants come from), installed as [`ApiModel::query_fields`](crate::model::ApiModel).
//!
//! Each field names its type (`string`, `date`, `enum`, `decimal`), its type's operators,
//! whether it sorts, and the `format` of its schema in the entity, which decides how
//! values compare (string, decimal, date-time) and whether they are GUIDs. Nothing here is
//! hard-coded, so the spec and the emulator cannot drift.

use std::sync::LazyLock;

use wix_runtime::rules::QueryFieldRule;

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

/// The queryable field with this name.
pub fn query_field(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.name == name)
}

fn load() -> Vec<FieldSpec> {
    crate::model::model()
        .query_fields
        .iter()
        .map(entry)
        .collect()
}

fn entry(rule: &'static QueryFieldRule) -> FieldSpec {
    FieldSpec {
        name: rule.name,
        kind: match rule.format {
            Some("date-time") => FieldKind::Time,
            Some("decimal") => FieldKind::Decimal,
            _ => FieldKind::Str,
        },
        operators: rule
            .operators
            .iter()
            .filter_map(|name| Op::from_name(name))
            .fold(OpSet::default(), OpSet::with),
        sortable: rule.sortable,
        guid: rule.format == Some("uuid"),
    }
}
