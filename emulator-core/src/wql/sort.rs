//! The `sort` of a query and the total order it gives records: the listed keys, then the id
//! (ascending) to break ties, so that paging is stable.

use std::cmp::Ordering;

use serde_json::{json, Value};
use uuid::Uuid;

use super::fields::{query_field, FieldSpec};
use super::scalar::{self, total_cmp, Scalar};
use super::QueryRecord;
use crate::api_error::Violation;

/// The most sort keys a query may list (the spec's `maxItems` of `CursorQuery.sort`).
pub fn max_sort_keys() -> usize {
    crate::model::model().paging.max_sort_keys
}

/// The field sorted on when a query lists none.
pub const DEFAULT_SORT_FIELD: &str = "createdDate";

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortKey {
    pub(crate) field: &'static FieldSpec,
    pub(crate) desc: bool,
}

/// The keys of a sort, in priority order (the id tie-break is implied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Order {
    pub(crate) keys: Vec<SortKey>,
}

/// Where a record sits in an [`Order`]: its sort values and its id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Position {
    pub(crate) values: Vec<Option<Scalar<'static>>>,
    pub(crate) id: Uuid,
}

impl Order {
    /// `createdDate` descending (only the id tie-break if the spec lacks the field).
    pub(crate) fn default_order() -> Order {
        Order {
            keys: query_field(DEFAULT_SORT_FIELD)
                .map(|field| SortKey { field, desc: true })
                .into_iter()
                .collect(),
        }
    }

    pub(crate) fn value<'r, R: QueryRecord + ?Sized>(
        key: &SortKey,
        record: &'r R,
    ) -> Option<Scalar<'r>> {
        record
            .field(key.field.name)
            .and_then(|v| scalar::coerce(v, key.field.kind))
    }

    /// Orders two records.
    pub(crate) fn cmp_records<R: QueryRecord + ?Sized>(&self, a: &R, b: &R) -> Ordering {
        for key in &self.keys {
            let o = total_cmp(Self::value(key, a).as_ref(), Self::value(key, b).as_ref());
            let o = if key.desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id().cmp(&b.id())
    }

    /// Orders a record against a position.
    pub(crate) fn cmp_position<R: QueryRecord + ?Sized>(&self, a: &R, pos: &Position) -> Ordering {
        for (key, b) in self.keys.iter().zip(&pos.values) {
            let o = total_cmp(Self::value(key, a).as_ref(), b.as_ref());
            let o = if key.desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id().cmp(&pos.id)
    }

    /// The position of a record.
    pub(crate) fn position_of<R: QueryRecord + ?Sized>(&self, record: &R) -> Position {
        Position {
            values: self
                .keys
                .iter()
                .map(|k| Self::value(k, record).map(Scalar::into_owned))
                .collect(),
            id: record.id(),
        }
    }

    /// The sort as the request writes it: `[{fieldName, order}]`.
    #[cfg(test)]
    pub(crate) fn to_json(&self) -> Value {
        Value::Array(
            self.keys
                .iter()
                .map(|k| {
                    json!({"fieldName": k.field.name, "order": if k.desc { "DESC" } else { "ASC" }})
                })
                .collect(),
        )
    }
}

/// Parses the `sort` value found at `path` (`query.sort`); `null` or `[]` is the default sort.
/// Every problem found is added to `errors`.
pub(crate) fn parse(value: &Value, path: &str, errors: &mut Vec<Violation>) -> Order {
    let items = match value {
        Value::Null => return Order::default_order(),
        Value::Array(items) if items.is_empty() => return Order::default_order(),
        Value::Array(items) => items,
        _ => {
            errors.push(Violation::new(
                path,
                "TYPE",
                "`sort` must be an array of `{fieldName, order}`",
            ));
            return Order::default_order();
        }
    };
    let max_sort_keys = max_sort_keys();
    if items.len() > max_sort_keys {
        errors.push(
            Violation::new(
                path,
                "MAX_ITEMS",
                format!("at most {max_sort_keys} sort keys are allowed"),
            )
            .with_data(json!({"threshold": max_sort_keys})),
        );
    }
    let keys = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| parse_key(item, &format!("{path}[{i}]"), errors))
        .collect();
    Order { keys }
}

fn parse_key(item: &Value, path: &str, errors: &mut Vec<Violation>) -> Option<SortKey> {
    let Some(obj) = item.as_object() else {
        errors.push(Violation::new(
            path,
            "TYPE",
            "a sort key must be `{fieldName, order}`",
        ));
        return None;
    };
    let desc = match obj.get("order") {
        None | Some(Value::Null) => Some(false),
        Some(Value::String(s)) if s == "ASC" => Some(false),
        Some(Value::String(s)) if s == "DESC" => Some(true),
        Some(_) => {
            errors.push(Violation::new(
                format!("{path}.order"),
                "INVALID_ENUM_VALUE",
                "`order` must be `ASC` or `DESC`",
            ));
            None
        }
    };
    let name_path = format!("{path}.fieldName");
    let field = match obj.get("fieldName") {
        Some(Value::String(name)) => match query_field(name) {
            Some(f) if f.sortable => Some(f),
            Some(_) => {
                errors.push(Violation::new(
                    name_path,
                    "UNSORTABLE_FIELD",
                    format!("`{name}` cannot be sorted on"),
                ));
                None
            }
            None => {
                errors.push(Violation::new(
                    name_path,
                    "UNSUPPORTED_FIELD",
                    format!("`{name}` is not a queryable field"),
                ));
                None
            }
        },
        None | Some(Value::Null) => {
            errors.push(Violation::new(
                name_path,
                "REQUIRED_FIELD",
                "`fieldName` is required",
            ));
            None
        }
        Some(_) => {
            errors.push(Violation::new(
                name_path,
                "TYPE",
                "`fieldName` must be a string",
            ));
            None
        }
    };
    Some(SortKey {
        field: field?,
        desc: desc?,
    })
}
