//! A typed builder for Query Order Payment Requests (WQL).
//!
//! Each filterable field is a constant of [`Field`], generated from the spec's
//! `x-wix-query-fields`. A field has a type (string, date, enum or decimal), and its type's
//! operator set (`x-wix-query-operators`) decides which operator methods it has; each
//! constant's documentation names its type and whether it sorts. This module holds no field
//! list of its own: the generated constants are the list.
//!
//! No field has `has_some` or `has_all` (array operators). Only sortable fields can be passed
//! to [`Query::sort_asc`] and [`Query::sort_desc`]. So an unsupported combination does not
//! compile:
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::Status.starts_with("UN"); // an enum has no $startsWith
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::{Field, Status};
//! let _ = Field::Status.gt(Status::Paid); // an enum has no ranges
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::CreatedDate.starts_with("2026"); // a date has no $startsWith
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::UpdatedDate.is_empty(true); // a date has no $isEmpty
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::Amount.ne("1".parse::<wix_order_payment_requests::Amount>().unwrap()); // no $ne on amount.amount
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::Field;
//! let _ = Field::Title.has_some(["a"]); // no field has $hasSome
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
//!     .filter(Field::Status.nin([Status::Paid, Status::Voided]))
//!     .filter(Field::Description.is_empty(false))
//!     .sort_desc(Field::CreatedDate)
//!     .limit(50);
//! let wql = serde_json::to_value(query.to_cursor_query()).unwrap();
//! assert_eq!(
//!     wql,
//!     serde_json::json!({
//!         "cursorPaging": {"limit": 50},
//!         "filter": {
//!             "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
//!             "status": {"$nin": ["PAID", "VOIDED"]},
//!             "description": {"$isEmpty": false},
//!         },
//!         "sort": [{"fieldName": "createdDate", "order": "DESC"}],
//!     })
//! );
//! ```

use serde_json::{Map, Value};

use crate::generated::client::types;
use crate::generated::enums::SortOrder;
pub use crate::generated::query_fields::Field;
pub use wix_runtime::query::{operator, Filter, QueryField, Sortable, Unsortable};

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
    pub fn sort_asc<Ops, V>(self, field: QueryField<Ops, V, Sortable>) -> Self {
        self.sort(field.name(), SortOrder::Asc)
    }

    /// Sorts descending on a sortable field (at most 5 sorts; checked before sending).
    pub fn sort_desc<Ops, V>(self, field: QueryField<Ops, V, Sortable>) -> Self {
        self.sort(field.name(), SortOrder::Desc)
    }

    fn sort(mut self, name: &'static str, order: SortOrder) -> Self {
        self.sort.push(types::Sorting {
            field_name: Some(name.parse().expect("field names are short")),
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
            let Value::Object(map) = filter.to_json() else {
                continue;
            };
            for (key, value) in map {
                if key.starts_with('$') || merged.contains_key(key) {
                    return match Filter::and(self.filters.iter().cloned()).to_json() {
                        Value::Object(map) => map.clone(),
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
