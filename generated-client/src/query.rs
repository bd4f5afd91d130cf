//! A typed builder for Query Order Payment Requests (WQL): the runtime's `Query` over this
//! API's `CursorQuery`.
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

use crate::generated::client::types;
pub use crate::generated::query_fields::Field;
pub use wix_runtime::query::{operator, Filter, QueryField, Sortable, Unsortable};

/// A query of this API: conditions (combined with `$and`), sorts and a page size, built into
/// its `CursorQuery` (the runtime's builder, [`wix_runtime::query::Query`]).
pub type Query = wix_runtime::query::Query<types::CursorQuery>;
