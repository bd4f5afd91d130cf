//! Paging cursors: opaque to clients, base64url (no padding) of a small JSON document that
//! carries the filter, the sort and the keyset bound of the page to fetch.
//!
//! `{"v": 1, "f": <filter as sent>, "s": [{fieldName, order}], "b": null | {"d": "a"|"b",
//! "i": <inclusive>, "k": [<sort values, null when absent>], "id": "<record id>"}}`.
//! The filter and sort are checked again when a cursor is read, so a forged cursor is held to
//! the same rules as a request.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use uuid::Uuid;

use super::filter::{self, Filter};
use super::scalar;
use super::sort::{self, Order, Position};
use crate::api_error::Violation;

const VERSION: u64 = 1;

/// Which side of a position a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// The records after the position (a "next" page).
    After,
    /// The records before the position (a "prev" page).
    Before,
}

/// A keyset bound: the page holds the records strictly after (or before) `pos`, or also the
/// record at `pos` when `inclusive`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bound {
    pub(crate) dir: Dir,
    pub(crate) pos: Position,
    pub(crate) inclusive: bool,
}

/// What a cursor carries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cursor {
    /// The filter JSON, as first sent (`null` for none).
    pub(crate) filter_json: Value,
    /// The checked filter.
    pub(crate) filter: Filter,
    /// The sort.
    pub(crate) order: Order,
    /// Where the page starts; `None` is the first page.
    pub(crate) bound: Option<Bound>,
}

/// Writes a cursor.
pub(crate) fn encode(filter_json: &Value, order: &Order, bound: Option<&Bound>) -> String {
    let bound = bound.map(|b| {
        json!({
            "d": if b.dir == Dir::After { "a" } else { "b" },
            "i": b.inclusive,
            "k": b.pos.values.iter().map(|v| scalar::to_cursor_json(v.as_ref())).collect::<Vec<_>>(),
            "id": b.pos.id.to_string(),
        })
    });
    let doc = json!({"v": VERSION, "f": filter_json, "s": order.to_json(), "b": bound});
    URL_SAFE_NO_PAD.encode(doc.to_string())
}

/// Reads a cursor; any problem is one violation on `path` (`query.cursorPaging.cursor`).
pub(crate) fn decode(text: &str, path: &str) -> Result<Cursor, Violation> {
    read(text).ok_or_else(|| {
        Violation::new(
            path,
            "INVALID_CURSOR",
            "the cursor is not one this API returned",
        )
    })
}

fn read(text: &str) -> Option<Cursor> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()?;
    let doc: Value = serde_json::from_slice(&bytes).ok()?;
    if doc.get("v")?.as_u64()? != VERSION {
        return None;
    }
    let mut errors = Vec::new();
    let filter_json = doc.get("f").cloned().unwrap_or(Value::Null);
    let filter = filter::parse(&filter_json, "cursor.filter", &mut errors);
    let order = sort::parse(doc.get("s")?, "cursor.sort", &mut errors);
    if !errors.is_empty() {
        return None;
    }
    let bound = match doc.get("b")? {
        Value::Null => None,
        b => Some(read_bound(b, &order)?),
    };
    Some(Cursor {
        filter_json,
        filter,
        order,
        bound,
    })
}

fn read_bound(b: &Value, order: &Order) -> Option<Bound> {
    let dir = match b.get("d")?.as_str()? {
        "a" => Dir::After,
        "b" => Dir::Before,
        _ => return None,
    };
    let inclusive = b.get("i")?.as_bool()?;
    let raw = b.get("k")?.as_array()?;
    if raw.len() != order.keys.len() {
        return None;
    }
    let values = raw
        .iter()
        .zip(&order.keys)
        .map(|(v, key)| scalar::from_cursor_json(v, key.field.kind).ok())
        .collect::<Option<Vec<_>>>()?;
    let id = Uuid::parse_str(b.get("id")?.as_str()?).ok()?;
    Some(Bound {
        dir,
        pos: Position { values, id },
        inclusive,
    })
}

impl Bound {
    /// Whether a record ordered `o` against the bound's position lies in the page's window.
    pub(crate) fn admits(&self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match (self.dir, o) {
            (_, Equal) => self.inclusive,
            (Dir::After, Greater) | (Dir::Before, Less) => true,
            _ => false,
        }
    }
}
