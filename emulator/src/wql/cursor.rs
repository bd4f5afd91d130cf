//! Paging cursors: opaque to clients, base64url (no padding) of a small JSON document that
//! carries the filter, the sort and the keyset bound of the page to fetch.
//!
//! `{"v": 1, "f": <filter as sent>, "s": [{fieldName, order}], "b": null | {"d": "a"|"b",
//! "i": <inclusive>, "k": [<sort values, null when absent>], "id": "<record id>"}}`.
//! The filter and sort are checked again when a cursor is read, so a forged cursor is held to
//! the same rules as a request.
//!
//! A filter longer than [`INLINE_FILTER_MAX`] characters (a long `$in` list, say) would make
//! every cursor of the query too long to send back (cursors are at most 16,000 characters), so
//! it is kept in a bounded in-process memo instead and the cursor carries its key (`"fk"`). A
//! cursor whose memo entry is gone (evicted, or the emulator restarted) is refused as expired.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use uuid::Uuid;

use super::filter::{self, Filter};
use super::scalar;
use super::sort::{self, Order, Position};
use crate::api_error::Violation;

const VERSION: u64 = 1;

/// Longest filter (as JSON text) carried inside a cursor.
pub(crate) const INLINE_FILTER_MAX: usize = 4_000;
/// How many long filters the memo keeps; the oldest go first.
const MEMO_CAPACITY: usize = 10_000;

/// Long filters by key, oldest first.
#[derive(Default)]
struct FilterMemo {
    filters: HashMap<Uuid, Value>,
    order: VecDeque<Uuid>,
}

static LONG_FILTERS: LazyLock<Mutex<FilterMemo>> = LazyLock::new(Mutex::default);

/// Keeps a long filter and gives its key.
fn remember(filter_json: &Value) -> Uuid {
    let key = Uuid::new_v4();
    let mut memo = LONG_FILTERS.lock().unwrap_or_else(|e| e.into_inner());
    if memo.order.len() >= MEMO_CAPACITY {
        if let Some(oldest) = memo.order.pop_front() {
            memo.filters.remove(&oldest);
        }
    }
    memo.filters.insert(key, filter_json.clone());
    memo.order.push_back(key);
    key
}

/// The long filter kept under `key`, if still kept.
fn recall(key: Uuid) -> Option<Value> {
    let memo = LONG_FILTERS.lock().unwrap_or_else(|e| e.into_inner());
    memo.filters.get(&key).cloned()
}

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
    let mut doc = json!({"v": VERSION, "s": order.to_json(), "b": bound});
    if filter_json.to_string().chars().count() > INLINE_FILTER_MAX {
        doc["fk"] = json!(remember(filter_json));
    } else {
        doc["f"] = filter_json.clone();
    }
    URL_SAFE_NO_PAD.encode(doc.to_string())
}

/// Reads a cursor; any problem is one violation on `path` (`query.cursorPaging.cursor`).
pub(crate) fn decode(text: &str, path: &str) -> Result<Cursor, Violation> {
    read(text).ok_or_else(|| {
        Violation::new(
            path,
            "INVALID_CURSOR",
            "the cursor is not one this API returned, or it has expired: run the query again",
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
    let filter_json = match doc.get("fk") {
        Some(key) => recall(Uuid::parse_str(key.as_str()?).ok()?)?,
        None => doc.get("f").cloned().unwrap_or(Value::Null),
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_filters_travel_by_key_and_unknown_keys_are_refused() {
        let ids: Vec<String> = (0..200).map(|_| Uuid::new_v4().to_string()).collect();
        let filter = json!({"id": {"$in": ids}});
        let order = Order::default_order();
        let text = encode(&filter, &order, None);
        assert!(text.len() < 500, "{} characters", text.len());
        assert_eq!(decode(&text, "c").unwrap().filter_json, filter);

        let forged = URL_SAFE_NO_PAD.encode(
            json!({"v": VERSION, "fk": Uuid::new_v4(), "s": order.to_json(), "b": null})
                .to_string(),
        );
        assert_eq!(decode(&forged, "c").unwrap_err().rule, "INVALID_CURSOR");

        let short = json!({"title": "x"});
        let inline = encode(&short, &order, None);
        let doc: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(inline).unwrap()).unwrap();
        assert_eq!(doc["f"], short);
    }
}
