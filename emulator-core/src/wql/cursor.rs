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
//! it is kept in an in-process memo instead and the cursor carries its key (`"fk"`). The memo
//! holds filters as JSON text and is bounded by bytes ([`MEMO_MAX_BYTES`]): the oldest go first.
//! A cursor whose memo entry is gone (evicted, or the emulator restarted) is refused as expired.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::filter::{self, Filter};
use super::scalar::{self, CursorText};
use super::sort::{self, Order, Position};
use crate::api_error::Violation;

const VERSION: u64 = 1;

/// Longest filter (as JSON text) carried inside a cursor.
pub(crate) const INLINE_FILTER_MAX: usize = 4_000;
/// Most bytes the memo of long filters holds (their JSON text plus [`MEMO_ENTRY_OVERHEAD`]
/// each), for all emulators of the process together: 64 MiB, dozens of the largest filters a
/// request body can carry.
pub const MEMO_MAX_BYTES: usize = 64 << 20;
/// Bytes an entry costs beside its text (key, map slot, queue slot), as counted against the
/// bound.
const MEMO_ENTRY_OVERHEAD: usize = 64;

/// Long filters by key as JSON text, oldest first, bounded by bytes.
struct FilterMemo {
    filters: HashMap<Uuid, Box<str>>,
    order: VecDeque<Uuid>,
    bytes: usize,
    max_bytes: usize,
}

impl FilterMemo {
    fn new(max_bytes: usize) -> Self {
        Self {
            filters: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            max_bytes,
        }
    }

    /// Keeps `text` under a new key, forgetting the oldest entries to make room; `None` when
    /// the text alone is larger than the bound.
    fn insert(&mut self, text: String) -> Option<Uuid> {
        let cost = text.len().saturating_add(MEMO_ENTRY_OVERHEAD);
        if cost > self.max_bytes {
            return None;
        }
        while self.bytes.saturating_add(cost) > self.max_bytes {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.filters.remove(&oldest) {
                self.bytes -= gone.len() + MEMO_ENTRY_OVERHEAD;
            }
        }
        let key = Uuid::new_v4();
        self.filters.insert(key, text.into_boxed_str());
        self.order.push_back(key);
        self.bytes += cost;
        Some(key)
    }

    fn get(&self, key: Uuid) -> Option<&str> {
        self.filters.get(&key).map(|text| &**text)
    }
}

static LONG_FILTERS: LazyLock<Mutex<FilterMemo>> =
    LazyLock::new(|| Mutex::new(FilterMemo::new(MEMO_MAX_BYTES)));

/// Keeps a long filter (its JSON text) and gives its key; `None` if it can't be kept.
fn remember(filter_text: String) -> Option<Uuid> {
    let mut memo = LONG_FILTERS.lock().unwrap_or_else(|e| e.into_inner());
    memo.insert(filter_text)
}

/// The long filter kept under `key`, if still kept.
fn recall(key: Uuid) -> Option<Value> {
    let memo = LONG_FILTERS.lock().unwrap_or_else(|e| e.into_inner());
    serde_json::from_str(memo.get(key)?).ok()
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

/// How a cursor's document carries the filter.
enum FilterOut {
    /// Its JSON text, written as it is (`"f"`).
    Inline(String),
    /// The key of the memo entry that keeps it (`"fk"`).
    Key(Uuid),
}

/// A keyset bound as written (fields in the order of their names).
#[derive(Serialize)]
struct BoundOut<'a> {
    d: &'static str,
    i: bool,
    id: Uuid,
    k: Vec<CursorText<'a>>,
}

/// One key of the sort as written.
#[derive(Serialize)]
struct SortKeyOut {
    #[serde(rename = "fieldName")]
    field_name: &'static str,
    order: &'static str,
}

/// Writes a cursor.
pub(crate) fn encode(filter_json: &Value, order: &Order, bound: Option<&Bound>) -> String {
    let bound = bound.map(|b| BoundOut {
        d: if b.dir == Dir::After { "a" } else { "b" },
        i: b.inclusive,
        id: b.pos.id,
        k: b.pos
            .values
            .iter()
            .map(|v| CursorText(v.as_ref()))
            .collect(),
    });
    let s: Vec<SortKeyOut> = order
        .keys
        .iter()
        .map(|k| SortKeyOut {
            field_name: k.field.name,
            order: if k.desc { "DESC" } else { "ASC" },
        })
        .collect();
    let filter_text = filter_json.to_string();
    // A text of at most that many bytes has at most that many characters.
    let long =
        filter_text.len() > INLINE_FILTER_MAX && filter_text.chars().count() > INLINE_FILTER_MAX;
    let filter = if long {
        // A filter too large to keep gives a key that is never found: the cursor is refused
        // as expired when used.
        FilterOut::Key(remember(filter_text).unwrap_or_else(Uuid::nil))
    } else {
        FilterOut::Inline(filter_text)
    };
    // The document's members in the order of their names, the order in which a
    // `serde_json::Value` object writes them: the text is that of the document built as a
    // `Value`, written without building one, and the filter's text is written once.
    let mut text = Vec::with_capacity(256);
    text.extend_from_slice(b"{\"b\":");
    write_json(&mut text, &bound);
    match &filter {
        FilterOut::Inline(filter_text) => {
            text.extend_from_slice(b",\"f\":");
            text.extend_from_slice(filter_text.as_bytes());
        }
        FilterOut::Key(key) => {
            text.extend_from_slice(b",\"fk\":");
            write_json(&mut text, key);
        }
    }
    text.extend_from_slice(b",\"s\":");
    write_json(&mut text, &s);
    text.extend_from_slice(b",\"v\":");
    write_json(&mut text, &VERSION);
    text.push(b'}');
    URL_SAFE_NO_PAD.encode(text)
}

/// Appends the JSON of a plain struct, string, id or number (which cannot fail to write into
/// memory).
fn write_json<T: Serialize + ?Sized>(text: &mut Vec<u8>, value: &T) {
    let _ = serde_json::to_writer(text, value);
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
    use super::super::scalar::Scalar;
    use super::*;
    use serde_json::json;

    #[test]
    fn the_memo_is_bounded_by_bytes_and_forgets_the_oldest_first() {
        let max = 10 * (1_000 + MEMO_ENTRY_OVERHEAD);
        let mut memo = FilterMemo::new(max);
        let keys: Vec<Uuid> = (0..25)
            .map(|i| memo.insert(format!("{i:0>1000}")).unwrap())
            .collect();
        assert!(memo.bytes <= max);
        assert_eq!(memo.filters.len(), 10);
        assert!(memo.get(keys[14]).is_none());
        assert_eq!(memo.get(keys[24]), Some(format!("{:0>1000}", 24).as_str()));
        // One large entry pushes out as many small ones as it needs.
        let big = memo.insert("x".repeat(5_000)).unwrap();
        assert!(memo.bytes <= max);
        assert_eq!(memo.filters.len(), 6);
        assert!(memo.get(big).is_some());
        assert_eq!(memo.insert("x".repeat(max)), None);
        assert!(memo.get(big).is_some(), "a refused entry evicts nothing");
    }

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

    /// The cursor text as it was written through a `serde_json::Value` document: the encoder
    /// must give the same text.
    fn encode_through_value(filter_json: &Value, order: &Order, bound: Option<&Bound>) -> String {
        let bound = bound.map(|b| {
            let k: Vec<Value> = b
                .pos
                .values
                .iter()
                .map(|v| serde_json::to_value(CursorText(v.as_ref())).unwrap())
                .collect();
            json!({
                "d": if b.dir == Dir::After { "a" } else { "b" },
                "i": b.inclusive,
                "k": k,
                "id": b.pos.id.to_string(),
            })
        });
        let mut doc = json!({"v": VERSION, "s": order.to_json(), "b": bound});
        doc["f"] = filter_json.clone();
        URL_SAFE_NO_PAD.encode(doc.to_string())
    }

    #[test]
    fn cursors_are_written_as_their_json_document() {
        use super::super::fields::query_field;
        use super::super::sort::SortKey;
        use std::borrow::Cow;

        let order = Order {
            keys: ["createdDate", "amount.amount", "title", "orderId"]
                .iter()
                .enumerate()
                .map(|(i, name)| SortKey {
                    field: query_field(name).unwrap(),
                    desc: i % 2 == 0,
                })
                .collect(),
        };
        let time = scalar::parse_time("2026-06-01T14:22:18.456Z").unwrap();
        let values = vec![
            Some(Scalar::Time(time)),
            Some(Scalar::Decimal("12.50".parse().unwrap())),
            Some(Scalar::Str(Cow::Owned(
                "a \"quoted\" \u{e9}t\u{e9}\n".into(),
            ))),
            Some(Scalar::Uuid(Uuid::new_v4())),
        ];
        let filter = json!({"orderId": {"$eq": "o-1"}, "status": {"$in": ["UNPAID", "PAID"]}});
        for (dir, inclusive, values) in [
            (Dir::After, false, values.clone()),
            (
                Dir::Before,
                true,
                vec![None, None, Some(Scalar::Millis(1_780_323_738_456)), None],
            ),
        ] {
            let bound = Bound {
                dir,
                pos: Position {
                    values,
                    id: Uuid::new_v4(),
                },
                inclusive,
            };
            let text = encode(&filter, &order, Some(&bound));
            assert_eq!(text, encode_through_value(&filter, &order, Some(&bound)));
        }
        for filter in [Value::Null, json!({})] {
            assert_eq!(
                encode(&filter, &Order::default_order(), None),
                encode_through_value(&filter, &Order::default_order(), None)
            );
        }
    }
}
