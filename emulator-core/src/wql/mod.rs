//! The query engine behind Query Order Payment Requests: Wix's query language (WQL) over the
//! records of one tenant, with keyset cursor paging.
//!
//! Pure: no HTTP and no store. The store implements [`QueryRecord`] for its records; the query
//! handler parses the request's `query` with [`Query::parse`] (every error is a `400` whose
//! field paths start at `query.`) and calls [`Query::run`] with the tenant's records.
//!
//! The queryable fields, their types and which may be sorted on are read from the spec's
//! `x-wix-query-fields`, each type's operators (string, date, enum, decimal) from
//! `x-wix-query-operators` (see [`fields`]), and how values compare from each field's
//! `format` in the entity schema. An operator that is not in the field's set (`$hasSome` and
//! `$hasAll` are in none) is a `400` naming the field's path, e.g. `query.filter.status`.

//! # Semantics
//! - Filter: `{"field": value}` is `$eq`, `{"field": {"$op": value}}` applies the operator;
//!   `$and`, `$or` (arrays) and `$not` (object) combine filters. Dates compare as instants,
//!   `amount.amount` as exact decimals (given as strings or numbers), GUID fields as their
//!   lower-case text (a filter value that is a GUID in any case or form matches), everything
//!   else as strings (byte order, case-sensitive, except `$startsWith`, which ignores case).
//!   A missing field never matches, except under `$exists: false`, `$ne`, `$nin` and
//!   `$isEmpty: true`. `null` is not accepted as a value.
//! - `$isEmpty`: `true` matches a field that is absent or `""`; `false` a field holding text.
//!   Wix's query language article says `$isEmpty` "matches strings or arrays that are empty or
//!   not empty"; it does not say what an absent field is. Wix's SDK runtime calls a field
//!   without a value empty (its builder's `isEmpty(field)` sends `{field: null}`), so both count
//!   (the spec's `CursorQuery` description gives the evidence; unverified against Wix).
//! - Sort: up to 5 keys, default `createdDate` `DESC`; ties are broken by `id` ascending.
//!   A missing value sorts before every present one (first in `ASC`, last in `DESC`).
//! - Paging: `cursorPaging.limit` 0..=100 (default 100); a cursor carries the filter, the sort
//!   and the keyset position, so a request with a cursor must not send a (non-empty) `filter`
//!   or `sort`. `next` and `prev` cursors are returned exactly when records lie after or before
//!   the page. Paging stays consistent while records are added or removed: each page starts
//!   right after (or before) the last record the client saw.
//! - Total results: Wix's text says a query returns "up to 1,000 results in all". This engine
//!   does **not** cap the total: the only limit is the page size (at most 100), and cursors
//!   page through every match. The phrase is read as the response array's documented bound
//!   (`maxItems: 1000` in the spec), which a page of at most 100 items always meets; capping
//!   the total would make records past the 1,000th unreachable, which no documented rule or
//!   error code describes.

mod cursor;
pub mod fields;
mod filter;
mod plan;
mod scalar;
mod select;
mod sort;

#[cfg(test)]
mod tests;

use serde_json::{json, Map, Value};

use crate::api_error::{ApiError, Violation};
use cursor::{Bound, Dir};
use filter::Filter;
use sort::Order;

pub use plan::IndexedRecords;
pub use scalar::Scalar;

/// Page size when `cursorPaging.limit` is not sent.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest `cursorPaging.limit` (the spec's `maximum`, from the generated rule table).
pub fn max_limit() -> usize {
    crate::model::model().paging.max_limit
}

/// Longest `cursorPaging.cursor`, in characters (the spec's `maxLength`).
pub fn max_cursor_chars() -> usize {
    crate::model::model().paging.max_cursor_chars
}

const CURSOR_PATH: &str = "query.cursorPaging.cursor";
const LIMIT_PATH: &str = "query.cursorPaging.limit";

/// What the store implements for its records.
pub trait QueryRecord {
    /// The value of a queryable field (dotted name, e.g. `amount.amount`, and also `id`; every
    /// name of the query field table (`rules::QUERY_FIELDS`) may be asked); `None` when the record has no value for it.
    /// Dates should be [`Scalar::Time`] and amounts [`Scalar::Decimal`]; text is accepted and
    /// parsed, at a cost. Return borrowed text where possible: this is called in the
    /// hot path of every query.
    fn field(&self, name: &str) -> Option<Scalar<'_>>;

    /// The record's id (the final sort key, so paging is stable).
    fn id(&self) -> uuid::Uuid;
}

/// A checked query, from the request's `query` object (or from the cursor it carries).
#[derive(Debug, Clone)]
pub struct Query {
    filter_json: Value,
    filter: Filter,
    order: Order,
    limit: usize,
    bound: Option<Bound>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The records of the page, in sort order.
    pub items: Vec<T>,
    /// Whether records follow this page (`pagingMetadata.hasNext`).
    pub has_next: bool,
    /// Cursor of the following page; present exactly when `has_next`.
    pub next_cursor: Option<String>,
    /// Cursor of the preceding page; present exactly when records precede this page.
    pub prev_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page with each item mapped (e.g. records to their response JSON).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_next: self.has_next,
            next_cursor: self.next_cursor,
            prev_cursor: self.prev_cursor,
        }
    }

    /// `pagingMetadata` of the response: `{count, cursors: {next?, prev?}, hasNext}`.
    pub fn paging_metadata(&self) -> Value {
        let mut cursors = Map::new();
        if let Some(next) = &self.next_cursor {
            cursors.insert("next".into(), Value::String(next.clone()));
        }
        if let Some(prev) = &self.prev_cursor {
            cursors.insert("prev".into(), Value::String(prev.clone()));
        }
        json!({"count": self.items.len(), "cursors": cursors, "hasNext": self.has_next})
    }
}

impl Query {
    /// Checks the request's `query` object. Every problem found is reported in one `400`, each
    /// violation naming its path (`query.filter.title`, `query.sort[0].fieldName`,
    /// `query.cursorPaging.limit`, ...).
    ///
    /// # Errors
    /// `ApiError::Validation` when the query breaks a rule: an unknown field, an operator the
    /// field does not support, a value of the wrong type or format, an unsortable or unknown
    /// sort field, more than `max_sort_keys()` sort keys, a limit outside `0..=100`, a cursor
    /// longer than [`max_cursor_chars`] or not issued by this engine, or a cursor sent with a
    /// non-empty `filter` or `sort`.
    pub fn parse(query: &Value) -> Result<Query, ApiError> {
        let obj = match query {
            Value::Object(obj) => obj,
            Value::Null => {
                return Err(ApiError::invalid(
                    "query",
                    "REQUIRED_FIELD",
                    "`query` is required",
                ))
            }
            _ => {
                return Err(ApiError::invalid(
                    "query",
                    "TYPE",
                    "`query` must be an object",
                ))
            }
        };
        let mut errors = Vec::new();
        let (limit, cursor_text) = paging(obj.get("cursorPaging"), &mut errors);
        let filter_json = obj.get("filter").unwrap_or(&Value::Null);
        let sort_json = obj.get("sort").unwrap_or(&Value::Null);
        let parsed = match cursor_text {
            Some(text) => {
                for (value, path, what) in [
                    (filter_json, "query.filter", "filter"),
                    (sort_json, "query.sort", "sort"),
                ] {
                    if !is_empty(value) {
                        errors.push(Violation::new(
                            path,
                            "NOT_ALLOWED_WITH_CURSOR",
                            format!(
                                "`{what}` must not be sent with a cursor: the cursor carries it"
                            ),
                        ));
                    }
                }
                match cursor::decode(text, CURSOR_PATH) {
                    Ok(c) => Some(Query {
                        filter_json: c.filter_json,
                        filter: c.filter,
                        order: c.order,
                        limit,
                        bound: c.bound,
                    }),
                    Err(v) => {
                        errors.push(v);
                        None
                    }
                }
            }
            None => Some(Query {
                filter_json: filter_json.clone(),
                filter: filter::parse(filter_json, "query.filter", &mut errors),
                order: sort::parse(sort_json, "query.sort", &mut errors),
                limit,
                bound: None,
            }),
        };
        match parsed {
            Some(q) if errors.is_empty() => Ok(q),
            _ => Err(ApiError::Validation(errors)),
        }
    }

    /// The page size.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Runs the query over every record of the tenant, in any order: the linear pass.
    ///
    /// One linear pass tests the filter and the cursor's bound; only the `limit + 1` records
    /// nearest the bound are kept (a bounded heap), so the cost is `O(n log limit)` time and
    /// `O(limit)` memory. The total number of results is not capped (see the module docs).
    /// [`Query::run_indexed`] gives the same page, using a store's indexes where they help.
    #[must_use]
    pub fn run<'r, R>(&self, records: impl IntoIterator<Item = &'r R>) -> Page<&'r R>
    where
        R: QueryRecord + ?Sized + 'r,
    {
        let (items, outside) = self.select(records);
        self.page(items, outside)
    }

    /// The `limit + 1` matching records nearest the bound, in walk order (sort order, or
    /// reversed for a `prev` page), and whether a matching record lies on the other side of the
    /// bound.
    fn select<'r, R>(&self, records: impl IntoIterator<Item = &'r R>) -> (Vec<&'r R>, bool)
    where
        R: QueryRecord + ?Sized + 'r,
    {
        let order = &self.order;
        let bound = self.bound.as_ref();
        // Whether some matching record lies on the other side of the bound.
        let mut outside = false;
        let window = records
            .into_iter()
            .filter(|r| self.filter.matches(*r))
            .filter(|r| match bound {
                None => true,
                Some(b) => {
                    let inside = b.admits(order.cmp_position(*r, &b.pos));
                    outside |= !inside;
                    inside
                }
            });
        let want = self.limit.saturating_add(1);
        let items = match self.dir() {
            Dir::After => select::smallest(window, want, |a: &R, b: &R| order.cmp_records(a, b)),
            Dir::Before => select::smallest(window, want, |a: &R, b: &R| order.cmp_records(b, a)),
        };
        (items, outside)
    }

    /// Which way the page lies from its bound.
    fn dir(&self) -> Dir {
        self.bound.as_ref().map_or(Dir::After, |b| b.dir)
    }

    /// The page from up to `limit + 1` records in walk order.
    fn page<'r, R>(&self, mut items: Vec<&'r R>, outside: bool) -> Page<&'r R>
    where
        R: QueryRecord + ?Sized + 'r,
    {
        let order = &self.order;
        let bound = self.bound.as_ref();
        let dir = self.dir();
        let more = items.len() > self.limit;
        items.truncate(self.limit);
        if dir == Dir::Before {
            items.reverse();
        }

        let at = |dir: Dir, r: &R| Bound {
            dir,
            pos: order.position_of(r),
            inclusive: false,
        };
        // The bound of the rest, past this page's edge (or, for an empty page, past the bound).
        let beyond = |dir: Dir, edge: Option<&&R>| match (edge, bound) {
            (Some(r), _) => Some(at(dir, r)),
            (None, Some(b)) if b.dir == dir => Some(b.clone()),
            (None, Some(b)) => Some(Bound {
                dir,
                pos: b.pos.clone(),
                inclusive: !b.inclusive,
            }),
            (None, None) => None,
        };
        let (has_next, has_prev) = match dir {
            Dir::After => (more, outside),
            Dir::Before => (outside, more),
        };
        let next_cursor = has_next.then(|| self.cursor(beyond(Dir::After, items.last())));
        let prev_cursor = has_prev.then(|| self.cursor(beyond(Dir::Before, items.first())));
        Page {
            items,
            has_next,
            next_cursor,
            prev_cursor,
        }
    }

    fn cursor(&self, bound: Option<Bound>) -> String {
        cursor::encode(&self.filter_json, &self.order, bound.as_ref())
    }
}

/// Reads `cursorPaging`: the limit (default [`DEFAULT_LIMIT`]) and the cursor, if any.
fn paging<'q>(paging: Option<&'q Value>, errors: &mut Vec<Violation>) -> (usize, Option<&'q str>) {
    let (max_limit, max_cursor_chars) = (max_limit(), max_cursor_chars());
    let obj = match paging {
        None | Some(Value::Null) => return (DEFAULT_LIMIT, None),
        Some(Value::Object(obj)) => obj,
        Some(_) => {
            errors.push(Violation::new(
                "query.cursorPaging",
                "TYPE",
                "`cursorPaging` must be an object",
            ));
            return (DEFAULT_LIMIT, None);
        }
    };
    let limit = match obj.get("limit") {
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                if i < 0 {
                    errors.push(
                        Violation::new(LIMIT_PATH, "MIN", "`limit` must be at least 0")
                            .with_data(json!({"threshold": 0})),
                    );
                }
                usize::try_from(i).unwrap_or(DEFAULT_LIMIT)
            } else if n.as_u64().is_some() {
                usize::MAX
            } else {
                errors.push(Violation::new(
                    LIMIT_PATH,
                    "TYPE",
                    "`limit` must be an integer",
                ));
                DEFAULT_LIMIT
            }
        }
        Some(_) => {
            errors.push(Violation::new(
                LIMIT_PATH,
                "TYPE",
                "`limit` must be an integer",
            ));
            DEFAULT_LIMIT
        }
    };
    if limit > max_limit {
        errors.push(
            Violation::new(
                LIMIT_PATH,
                "MAX",
                format!("`limit` must be at most {max_limit}"),
            )
            .with_data(json!({"threshold": max_limit})),
        );
    }
    let cursor = match obj.get("cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) if s.chars().count() > max_cursor_chars => {
            errors.push(
                Violation::new(
                    CURSOR_PATH,
                    "MAX_LENGTH",
                    format!("`cursor` must be at most {max_cursor_chars} characters"),
                )
                .with_data(json!({"threshold": max_cursor_chars})),
            );
            None
        }
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            errors.push(Violation::new(
                CURSOR_PATH,
                "TYPE",
                "`cursor` must be a string",
            ));
            None
        }
    };
    (limit.min(max_limit), cursor)
}

/// `null`, `{}` and `[]` carry nothing, so they may accompany a cursor.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
