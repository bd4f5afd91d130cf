//! The typed WQL queries of a generated client: [`Filter`], and [`QueryField`], the type of
//! each generated field constant, which has an operator's method only when the spec gives the
//! field's type that operator ([`operator`]), and sorts only when the spec lets the field be
//! sorted on ([`Sortable`]). The [`Query`] builder puts them in the API's `CursorQuery`, which
//! the generated crate connects through [`CursorQueryWire`]; [`crate::paging`] follows the
//! cursors of its answers.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{json, Map, Value};

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

/// One sort key of a [`Query`]: a field's WQL name and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    /// The field's name in WQL (`createdDate`).
    pub field: &'static str,
    /// `DESC` when `true`, `ASC` when `false`.
    pub descending: bool,
}

/// An API's WQL request body (`CursorQuery`), as the generated crate builds it: codegen
/// implements this for the spec's `CursorQuery` type.
pub trait CursorQueryWire: Sized {
    /// A first page's body: the filter, the sorts and the page size.
    fn first_page(filter: Map<String, Value>, sort: &[SortKey], limit: Option<i32>) -> Self;
    /// A following page's body: the cursor (which carries filter and sort) and the page size.
    /// `None` when `cursor` is not a value the type holds (longer than the spec allows).
    fn next_page(cursor: &str, limit: Option<i32>) -> Option<Self>;
}

/// A query: conditions (combined with `$and`), sorts and a page size, for the API whose
/// request body is `W`.
pub struct Query<W> {
    filters: Vec<Filter>,
    sort: Vec<SortKey>,
    limit: Option<i32>,
    wire: PhantomData<fn() -> W>,
}

impl<W> fmt::Debug for Query<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("filters", &self.filters)
            .field("sort", &self.sort)
            .field("limit", &self.limit)
            .finish()
    }
}

impl<W> Clone for Query<W> {
    fn clone(&self) -> Self {
        Self {
            filters: self.filters.clone(),
            sort: self.sort.clone(),
            limit: self.limit,
            wire: PhantomData,
        }
    }
}

impl<W> PartialEq for Query<W> {
    fn eq(&self, other: &Self) -> bool {
        (&self.filters, &self.sort, self.limit) == (&other.filters, &other.sort, other.limit)
    }
}

impl<W> Default for Query<W> {
    fn default() -> Self {
        Self {
            filters: Vec::new(),
            sort: Vec::new(),
            limit: None,
            wire: PhantomData,
        }
    }
}

impl<W: CursorQueryWire> Query<W> {
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
        self.sort(field.name(), false)
    }

    /// Sorts descending on a sortable field (at most 5 sorts; checked before sending).
    pub fn sort_desc<Ops, V>(self, field: QueryField<Ops, V, Sortable>) -> Self {
        self.sort(field.name(), true)
    }

    fn sort(mut self, field: &'static str, descending: bool) -> Self {
        self.sort.push(SortKey { field, descending });
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
    pub fn to_cursor_query(&self) -> W {
        W::first_page(self.filter_json(), &self.sort, self.limit)
    }

    /// The page size asked for, if any.
    pub fn page_size(&self) -> Option<i32> {
        self.limit
    }
}

fn to_json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("query values serialize to JSON")
}

fn list<T: Serialize, V: Into<T>>(values: impl IntoIterator<Item = V>) -> Value {
    Value::Array(values.into_iter().map(|v| to_json(v.into())).collect())
}

/// One marker trait per WQL operator. A field type's operator set (a generated marker type
/// such as a client crate's `generated::query_fields::StringOperators`) implements the trait of each
/// operator the spec gives that type, and [`QueryField`] has an operator's method only when its
/// set implements that operator's trait.
pub mod operator {
    /// `$eq`: [`QueryField::eq`](super::QueryField::eq).
    pub trait Eq {}
    /// `$ne`: [`QueryField::ne`](super::QueryField::ne).
    pub trait Ne {}
    /// `$gt`: [`QueryField::gt`](super::QueryField::gt).
    pub trait Gt {}
    /// `$gte`: [`QueryField::gte`](super::QueryField::gte).
    pub trait Gte {}
    /// `$lt`: [`QueryField::lt`](super::QueryField::lt).
    pub trait Lt {}
    /// `$lte`: [`QueryField::lte`](super::QueryField::lte).
    pub trait Lte {}
    /// `$in`: [`QueryField::is_in`](super::QueryField::is_in).
    pub trait In {}
    /// `$nin`: [`QueryField::nin`](super::QueryField::nin).
    pub trait Nin {}
    /// `$exists`: [`QueryField::exists`](super::QueryField::exists).
    pub trait Exists {}
    /// `$isEmpty`: [`QueryField::is_empty`](super::QueryField::is_empty).
    pub trait IsEmpty {}
    /// `$startsWith`: [`QueryField::starts_with`](super::QueryField::starts_with).
    pub trait StartsWith {}
}

/// Marks a field that a client's `Query::sort_asc` and `Query::sort_desc` accept.
#[derive(Debug, Clone, Copy)]
pub struct Sortable;

/// Marks a field that cannot be sorted on.
#[derive(Debug, Clone, Copy)]
pub struct Unsortable;

/// A filterable field: its WQL name, its operator set `Ops`, the type `V` of its values and
/// whether it sorts (`S` is [`Sortable`] or [`Unsortable`]). The constants of a client crate's
/// generated `Field` are the only values of this type that the API knows.
pub struct QueryField<Ops, V, S> {
    name: &'static str,
    marker: PhantomData<Markers<Ops, V, S>>,
}

/// The type parameters of a [`QueryField`], held without owning values of them (so the field
/// is `Copy`, `Send` and `Sync` whatever they are).
type Markers<Ops, V, S> = fn() -> (Ops, V, S);

impl<Ops, V, S> QueryField<Ops, V, S> {
    /// The field called `name` in WQL (used by the generated `Field` constants).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }

    /// The field's name in WQL, for example `source.externalId`.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<Ops, V, S> Clone for QueryField<Ops, V, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Ops, V, S> Copy for QueryField<Ops, V, S> {}

impl<Ops, V, S> fmt::Debug for QueryField<Ops, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("QueryField").field(&self.name).finish()
    }
}

impl<Ops: operator::Eq, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$eq`, written as a bare value (`{"field": value}`).
    pub fn eq(self, value: impl Into<V>) -> Filter {
        let mut outer = Map::new();
        outer.insert(self.name.to_string(), to_json(value.into()));
        Filter(Value::Object(outer))
    }
}

impl<Ops: operator::Ne, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$ne`: not equal (a record without the field matches).
    pub fn ne(self, value: impl Into<V>) -> Filter {
        Filter::op(self.name, "$ne", to_json(value.into()))
    }
}

impl<Ops: operator::Gt, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$gt`.
    pub fn gt(self, value: impl Into<V>) -> Filter {
        Filter::op(self.name, "$gt", to_json(value.into()))
    }
}

impl<Ops: operator::Gte, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$gte`.
    pub fn gte(self, value: impl Into<V>) -> Filter {
        Filter::op(self.name, "$gte", to_json(value.into()))
    }
}

impl<Ops: operator::Lt, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$lt`.
    pub fn lt(self, value: impl Into<V>) -> Filter {
        Filter::op(self.name, "$lt", to_json(value.into()))
    }
}

impl<Ops: operator::Lte, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$lte`.
    pub fn lte(self, value: impl Into<V>) -> Filter {
        Filter::op(self.name, "$lte", to_json(value.into()))
    }
}

impl<Ops: operator::In, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$in`: equal to one of the values.
    pub fn is_in<T: Into<V>>(self, values: impl IntoIterator<Item = T>) -> Filter {
        Filter::op(self.name, "$in", list::<V, T>(values))
    }
}

impl<Ops: operator::Nin, V: Serialize, S> QueryField<Ops, V, S> {
    /// `$nin`: equal to none of the values (a record without the field matches).
    pub fn nin<T: Into<V>>(self, values: impl IntoIterator<Item = T>) -> Filter {
        Filter::op(self.name, "$nin", list::<V, T>(values))
    }
}

impl<Ops: operator::Exists, V, S> QueryField<Ops, V, S> {
    /// `$exists`: the field is present with a value (`true`) or absent (`false`).
    pub fn exists(self, exists: bool) -> Filter {
        Filter::op(self.name, "$exists", Value::Bool(exists))
    }
}

impl<Ops: operator::IsEmpty, V, S> QueryField<Ops, V, S> {
    /// `$isEmpty`: with `true`, the field is the empty string (the emulator also counts an
    /// absent field as empty; see the spec's `CursorQuery`); with `false`, it holds text.
    pub fn is_empty(self, empty: bool) -> Filter {
        Filter::op(self.name, "$isEmpty", Value::Bool(empty))
    }
}

impl<Ops: operator::StartsWith, V, S> QueryField<Ops, V, S> {
    /// `$startsWith`, ignoring case.
    pub fn starts_with(self, prefix: impl Into<String>) -> Filter {
        Filter::op(self.name, "$startsWith", Value::String(prefix.into()))
    }
}
