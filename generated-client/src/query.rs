//! A typed builder for Query Order Payment Requests (WQL).
//!
//! Each filterable field is its own type, reached as a constant of [`Field`]. Its operator
//! methods exist only when the API supports them for that field (`x-wix-query-fields` on
//! `CursorQuery`): every field but `amount.amount` supports all operators; `amount.amount`
//! supports only `$eq`, `$gt`, `$gte`, `$lt`, `$lte`. Only sortable fields can be passed to
//! [`Query::sort_asc`] and [`Query::sort_desc`], so an unsupported combination does not compile:
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::Amount.starts_with("1"); // amount.amount has no $startsWith
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::{Field, Query};
//! let _ = Query::new().sort_desc(Field::OrderId); // orderId is not sortable
//! ```
//!
//! ```
//! use wix_order_payment_requests::{Field, Query, Status};
//! let order_id: uuid::Uuid = "a931e280-254a-49a7-9641-22ef64c444ae".parse().unwrap();
//! let query = Query::new()
//!     .filter(Field::OrderId.eq(order_id))
//!     .filter(Field::Status.is_in([Status::Unpaid]))
//!     .sort_desc(Field::CreatedDate)
//!     .limit(50);
//! let wql = serde_json::to_value(query.to_cursor_query()).unwrap();
//! assert_eq!(
//!     wql,
//!     serde_json::json!({
//!         "cursorPaging": {"limit": 50},
//!         "filter": {"orderId": "a931e280-254a-49a7-9641-22ef64c444ae", "status": {"$in": ["UNPAID"]}},
//!         "sort": [{"fieldName": "createdDate", "order": "DESC"}],
//!     })
//! );
//! ```

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::generated::client::types;
use crate::generated::enums::{SortOrder, Status};
use crate::money::Amount;

/// A filter condition in WQL.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Value);

impl Filter {
    /// All conditions hold (`$and`).
    pub fn and(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter(json!({ "$and": filters.into_iter().map(|f| f.0).collect::<Vec<_>>() }))
    }

    /// Any condition holds (`$or`).
    pub fn or(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter(json!({ "$or": filters.into_iter().map(|f| f.0).collect::<Vec<_>>() }))
    }

    /// The condition does not hold (`$not`).
    #[allow(clippy::should_implement_trait)]
    pub fn not(filter: Filter) -> Filter {
        Filter(json!({ "$not": filter.0 }))
    }

    /// The WQL JSON of this condition.
    pub fn to_json(&self) -> &Value {
        &self.0
    }

    fn op(field: &str, op: &str, value: Value) -> Filter {
        let mut inner = Map::new();
        inner.insert(op.to_string(), value);
        let mut outer = Map::new();
        outer.insert(field.to_string(), Value::Object(inner));
        Filter(Value::Object(outer))
    }
}

fn to_json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("query values serialize to JSON")
}

fn list<T: Serialize, V: Into<T>>(values: impl IntoIterator<Item = V>) -> Value {
    Value::Array(values.into_iter().map(|v| to_json(v.into())).collect())
}

/// A filterable field: its WQL name and the type of its values. Its operator methods are
/// inherent: `$eq`, `$gt`, `$gte`, `$lt`, `$lte` on every field; `$ne`, `$in`, `$exists`,
/// `$startsWith`, `$hasSome`, `$hasAll` on every field but `amount.amount`.
pub trait QueryField: Copy {
    /// The field's name in WQL, for example `source.externalId`.
    const NAME: &'static str;
    /// The type of the field's values.
    type Value: Serialize;
}

/// Fields the API can sort on.
pub trait Sortable: QueryField {}

/// The field types, one per filterable field of `x-wix-query-fields`.
pub mod fields {
    use super::*;

    macro_rules! field {
        ($(#[$doc:meta])* $name:ident, $wql:literal, $value:ty, all, $sortable:ident) => {
            field!(@base $(#[$doc])* $name, $wql, $value);
            impl $name {
                /// `$ne`.
                pub fn ne(self, value: impl Into<$value>) -> Filter {
                    Filter::op($wql, "$ne", to_json(value.into()))
                }
                /// `$in`.
                pub fn is_in<V: Into<$value>>(self, values: impl IntoIterator<Item = V>) -> Filter {
                    Filter::op($wql, "$in", list(values))
                }
                /// `$exists`.
                pub fn exists(self, exists: bool) -> Filter {
                    Filter::op($wql, "$exists", Value::Bool(exists))
                }
                /// `$startsWith` (case-insensitive).
                pub fn starts_with(self, prefix: impl Into<String>) -> Filter {
                    Filter::op($wql, "$startsWith", Value::String(prefix.into()))
                }
                /// `$hasSome`.
                pub fn has_some<V: Into<$value>>(self, values: impl IntoIterator<Item = V>) -> Filter {
                    Filter::op($wql, "$hasSome", list(values))
                }
                /// `$hasAll`.
                pub fn has_all<V: Into<$value>>(self, values: impl IntoIterator<Item = V>) -> Filter {
                    Filter::op($wql, "$hasAll", list(values))
                }
            }
            field!(@sort $name $sortable);
        };
        ($(#[$doc:meta])* $name:ident, $wql:literal, $value:ty, compare, $sortable:ident) => {
            field!(@base $(#[$doc])* $name, $wql, $value);
            field!(@sort $name $sortable);
        };
        (@base $(#[$doc:meta])* $name:ident, $wql:literal, $value:ty) => {
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl QueryField for $name {
                const NAME: &'static str = $wql;
                type Value = $value;
            }
            impl $name {
                /// `$eq` (written as a bare value).
                pub fn eq(self, value: impl Into<$value>) -> Filter {
                    let mut outer = Map::new();
                    outer.insert($wql.to_string(), to_json(value.into()));
                    Filter(Value::Object(outer))
                }
                /// `$gt`.
                pub fn gt(self, value: impl Into<$value>) -> Filter {
                    Filter::op($wql, "$gt", to_json(value.into()))
                }
                /// `$gte`.
                pub fn gte(self, value: impl Into<$value>) -> Filter {
                    Filter::op($wql, "$gte", to_json(value.into()))
                }
                /// `$lt`.
                pub fn lt(self, value: impl Into<$value>) -> Filter {
                    Filter::op($wql, "$lt", to_json(value.into()))
                }
                /// `$lte`.
                pub fn lte(self, value: impl Into<$value>) -> Filter {
                    Filter::op($wql, "$lte", to_json(value.into()))
                }
            }
        };
        (@sort $name:ident sortable) => { impl Sortable for $name {} };
        (@sort $name:ident unsortable) => {};
    }

    field!(/// `id`: all operators, not sortable.
        Id, "id", uuid::Uuid, all, unsortable);
    field!(/// `orderId`: all operators, not sortable.
        OrderId, "orderId", uuid::Uuid, all, unsortable);
    field!(/// `paymentGatewayOrderId`: all operators, not sortable.
        PaymentGatewayOrderId, "paymentGatewayOrderId", String, all, unsortable);
    field!(/// `source.appId`: all operators, not sortable.
        SourceAppId, "source.appId", uuid::Uuid, all, unsortable);
    field!(/// `source.externalId`: all operators, not sortable.
        SourceExternalId, "source.externalId", String, all, unsortable);
    field!(/// `createdDate`: all operators, sortable.
        CreatedDate, "createdDate", chrono::DateTime<chrono::Utc>, all, sortable);
    field!(/// `updatedDate`: all operators, sortable.
        UpdatedDate, "updatedDate", chrono::DateTime<chrono::Utc>, all, sortable);
    field!(/// `description`: all operators, sortable.
        Description, "description", String, all, sortable);
    field!(/// `expirationDate`: all operators, sortable.
        ExpirationDate, "expirationDate", chrono::DateTime<chrono::Utc>, all, sortable);
    field!(/// `orderNumber`: all operators, sortable.
        OrderNumber, "orderNumber", String, all, sortable);
    field!(/// `status`: all operators, sortable.
        StatusField, "status", Status, all, sortable);
    field!(/// `title`: all operators, sortable.
        Title, "title", String, all, sortable);
    field!(/// `amount.amount`: `$eq`, `$gt`, `$gte`, `$lt`, `$lte`; sortable.
        AmountAmount, "amount.amount", Amount, compare, sortable);
}

/// The filterable fields: `Field::OrderId.eq(id)`, `Field::Status.is_in([..])`.
#[derive(Debug, Clone, Copy)]
pub struct Field;

#[allow(non_upper_case_globals)]
impl Field {
    /// `id`.
    pub const Id: fields::Id = fields::Id;
    /// `orderId`.
    pub const OrderId: fields::OrderId = fields::OrderId;
    /// `paymentGatewayOrderId`.
    pub const PaymentGatewayOrderId: fields::PaymentGatewayOrderId = fields::PaymentGatewayOrderId;
    /// `source.appId`.
    pub const SourceAppId: fields::SourceAppId = fields::SourceAppId;
    /// `source.externalId`.
    pub const SourceExternalId: fields::SourceExternalId = fields::SourceExternalId;
    /// `createdDate`.
    pub const CreatedDate: fields::CreatedDate = fields::CreatedDate;
    /// `updatedDate`.
    pub const UpdatedDate: fields::UpdatedDate = fields::UpdatedDate;
    /// `description`.
    pub const Description: fields::Description = fields::Description;
    /// `expirationDate`.
    pub const ExpirationDate: fields::ExpirationDate = fields::ExpirationDate;
    /// `orderNumber`.
    pub const OrderNumber: fields::OrderNumber = fields::OrderNumber;
    /// `status`.
    pub const Status: fields::StatusField = fields::StatusField;
    /// `title`.
    pub const Title: fields::Title = fields::Title;
    /// `amount.amount`.
    pub const Amount: fields::AmountAmount = fields::AmountAmount;
}

/// A query: conditions (combined with `$and`), sorts and a page size.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    filters: Vec<Filter>,
    sort: Vec<types::Sorting>,
    limit: Option<i32>,
}

impl Query {
    /// A query matching everything, with the API's default sort and page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a condition; several conditions must all hold.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.push(filter);
        self
    }

    /// Sorts ascending on a sortable field (at most 5 sorts; checked before sending).
    pub fn sort_asc<F: Sortable>(self, field: F) -> Self {
        self.sort(field, SortOrder::Asc)
    }

    /// Sorts descending on a sortable field (at most 5 sorts; checked before sending).
    pub fn sort_desc<F: Sortable>(self, field: F) -> Self {
        self.sort(field, SortOrder::Desc)
    }

    fn sort<F: Sortable>(mut self, _field: F, order: SortOrder) -> Self {
        self.sort.push(types::Sorting {
            field_name: Some(F::NAME.parse().expect("field names are short")),
            order: Some(order),
        });
        self
    }

    /// Page size, 0 to 100 (checked before sending).
    pub fn limit(mut self, limit: i32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The filter as WQL JSON: conditions on distinct fields merged into one object
    /// (`{"orderId": .., "status": ..}`), otherwise combined under `$and`.
    pub fn filter_json(&self) -> Map<String, Value> {
        let mut merged = Map::new();
        for filter in &self.filters {
            let Value::Object(map) = &filter.0 else {
                continue;
            };
            for (key, value) in map {
                if key.starts_with('$') || merged.contains_key(key) {
                    return match Filter::and(self.filters.iter().cloned()).0 {
                        Value::Object(map) => map,
                        _ => Map::new(),
                    };
                }
                merged.insert(key.clone(), value.clone());
            }
        }
        merged
    }

    /// The first page's request body.
    pub fn to_cursor_query(&self) -> types::CursorQuery {
        types::CursorQuery {
            cursor_paging: self.limit.map(|limit| types::CursorPaging {
                cursor: None,
                limit: Some(limit),
            }),
            filter: self.filter_json(),
            sort: self.sort.clone(),
        }
    }

    /// The page size asked for, if any.
    pub fn page_size(&self) -> Option<i32> {
        self.limit
    }
}
