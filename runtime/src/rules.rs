//! The types of a generated crate's rule tables (`generated::rules`): operations, bounds,
//! decimal ranges and queryable fields. The tables themselves are data generated from a spec;
//! their types are written once, here.

/// How a client may repeat an operation after a failure worth repeating (`x-wix-retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// `x-wix-retry: safe`: repeating it changes nothing (reads, idempotent writes).
    Safe,
    /// `x-wix-retry: reconcile`: after an unknown outcome, a lookup finds out what the attempt
    /// did before it is repeated (creates that carry a key to look them up by).
    Reconcile,
    /// `x-wix-retry: never`: a second attempt could act twice (charges, state changes).
    Never,
}

impl RetryClass {
    /// Every class, in the order above.
    pub const ALL: [RetryClass; 3] = [RetryClass::Safe, RetryClass::Reconcile, RetryClass::Never];

    /// The spec's value (`safe`, `reconcile` or `never`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryClass::Safe => "safe",
            RetryClass::Reconcile => "reconcile",
            RetryClass::Never => "never",
        }
    }
}

/// One operation of a spec. `Op` is the generated crate's `Operation` enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRule<Op: 'static> {
    /// The operation, as a variant to match on.
    pub operation: Op,
    /// The spec's `operationId` (camelCase).
    pub operation_id: &'static str,
    /// The generated builder's name (the `operationId` in snake_case).
    pub generated_id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Further paths it is served at (`x-wix-alternate-paths`).
    pub alternate_paths: &'static [&'static str],
    /// Its retry class (`x-wix-retry`).
    pub retry: RetryClass,
    /// The property of its `200` answer that holds the entity (`info.x-wix-entity`, or a list
    /// of them), when one does.
    pub entity_field: Option<EntityField>,
}

/// The property of an answer that holds the entity (`info.x-wix-entity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityField {
    /// The property's name.
    pub name: &'static str,
    /// Whether it holds a list of them.
    pub list: bool,
}

/// The keyword a bound comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BoundKind {
    /// `maxItems`.
    MaxItems,
    /// `minItems`.
    MinItems,
    /// `maxLength`.
    MaxLength,
    /// `minLength`.
    MinLength,
    /// `maximum`.
    Maximum,
    /// `minimum`.
    Minimum,
    /// `x-wix-documented-max-length`: a length Wix documents but does not enforce.
    DocumentedMaxLength,
}

impl BoundKind {
    /// Every kind, in the order above.
    pub const ALL: [BoundKind; 7] = [
        BoundKind::MaxItems,
        BoundKind::MinItems,
        BoundKind::MaxLength,
        BoundKind::MinLength,
        BoundKind::Maximum,
        BoundKind::Minimum,
        BoundKind::DocumentedMaxLength,
    ];

    /// The spec's keyword (`maxItems`, ...).
    pub const fn keyword(self) -> &'static str {
        match self {
            BoundKind::MaxItems => "maxItems",
            BoundKind::MinItems => "minItems",
            BoundKind::MaxLength => "maxLength",
            BoundKind::MinLength => "minLength",
            BoundKind::Maximum => "maximum",
            BoundKind::Minimum => "minimum",
            BoundKind::DocumentedMaxLength => "x-wix-documented-max-length",
        }
    }

    /// Whether it bounds from below (`minItems`, `minLength`, `minimum`).
    pub const fn is_lower(self) -> bool {
        matches!(
            self,
            BoundKind::MinItems | BoundKind::MinLength | BoundKind::Minimum
        )
    }

    /// The API's rule name for a violation of it (`MAX_ITEMS`, ...).
    pub const fn rule_name(self) -> &'static str {
        match self {
            BoundKind::MaxItems => "MAX_ITEMS",
            BoundKind::MinItems => "MIN_ITEMS",
            BoundKind::MaxLength | BoundKind::DocumentedMaxLength => "MAX_LENGTH",
            BoundKind::MinLength => "MIN_LENGTH",
            BoundKind::Maximum => "MAX",
            BoundKind::Minimum => "MIN",
        }
    }

    /// What a value must be to meet a bound of this kind at `value`, worded as the API words a
    /// violation: `must have at least 1 character`, `must have at most 100 items`, `must be at
    /// most 100`.
    pub fn requirement(self, value: i64) -> String {
        let side = if self.is_lower() {
            "at least"
        } else {
            "at most"
        };
        let unit = match self {
            BoundKind::MinItems | BoundKind::MaxItems => "item",
            BoundKind::MinLength | BoundKind::MaxLength | BoundKind::DocumentedMaxLength => {
                "character"
            }
            BoundKind::Minimum | BoundKind::Maximum => return format!("must be {side} {value}"),
        };
        let plural = if value == 1 { "" } else { "s" };
        format!("must have {side} {value} {unit}{plural}")
    }
}

/// One bound of a component schema or of its property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The schema that states it (itself or on its property).
    pub schema: &'static str,
    /// The property (empty for a bound of the schema itself).
    pub property: &'static str,
    /// The keyword.
    pub kind: BoundKind,
    /// The bound (inclusive).
    pub value: i64,
}

impl Bound {
    /// What a value must be to meet it (`must have at most 200 characters`; see
    /// [`BoundKind::requirement`]).
    pub fn requirement(&self) -> String {
        self.kind.requirement(self.value)
    }
}

/// A bound on a writable field of an operation's request body. `Op` is the generated crate's
/// `Operation` enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestBound<Op: 'static> {
    /// The operation, as a variant to match on.
    pub operation: Op,
    /// Its `operationId`.
    pub operation_id: &'static str,
    /// Wix's field path (`query.cursorPaging.limit`); `[]` stands for every item of an array
    /// (`items[].title`).
    pub field: &'static str,
    /// The bound.
    pub bound: Bound,
}

/// One inclusive end of a decimal range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalEnd {
    /// The exact value.
    pub value: rust_decimal::Decimal,
    /// The spec's text (`"1000000000000000"`).
    pub text: &'static str,
}

/// A decimal schema's `x-wix-decimal-range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecimalRange {
    /// The schema that carries it.
    pub schema: &'static str,
    /// Inclusive lower end.
    pub gte: Option<DecimalEnd>,
    /// Inclusive upper end.
    pub lte: Option<DecimalEnd>,
}

impl DecimalRange {
    /// Whether `value` lies within the range.
    pub fn contains(&self, value: rust_decimal::Decimal) -> bool {
        self.gte.is_none_or(|end| value >= end.value)
            && self.lte.is_none_or(|end| value <= end.value)
    }
}

/// One queryable field (`x-wix-query-fields`) with its type's operators
/// (`x-wix-query-operators`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryFieldRule {
    /// Dotted name in filters and sorts (`amount.amount`).
    pub name: &'static str,
    /// Its type (`string`, `date`, `enum` or `decimal`).
    pub type_name: &'static str,
    /// The `format` of its schema in the entity (`uuid`, `date-time`, `decimal`).
    pub format: Option<&'static str>,
    /// Whether it may be sorted on.
    pub sortable: bool,
    /// Its operators (`$eq`, ...), in the spec's order.
    pub operators: &'static [&'static str],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_are_worded_as_the_api_words_violations() {
        assert_eq!(
            BoundKind::MinLength.requirement(1),
            "must have at least 1 character"
        );
        assert_eq!(
            BoundKind::MaxItems.requirement(100),
            "must have at most 100 items"
        );
        assert_eq!(BoundKind::Maximum.requirement(100), "must be at most 100");
        assert_eq!(
            BoundKind::DocumentedMaxLength.requirement(2048),
            "must have at most 2048 characters"
        );
    }

    #[test]
    fn every_kind_and_class_is_listed_once() {
        for (i, kind) in BoundKind::ALL.iter().enumerate() {
            assert!(!BoundKind::ALL[..i].contains(kind), "{kind:?} twice");
        }
        let values: Vec<&str> = RetryClass::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(values, ["safe", "reconcile", "never"]);
    }
}
