//! Values of queryable fields: how they compare, how filter literals are read, and how values
//! are written into and read back from cursors.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::fields::FieldKind;

/// A value of a queryable field of one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// A string field (titles, status, ...).
    Str(Cow<'a, str>),
    /// A GUID field, compared as its lower-case hyphenated text without allocating it.
    Uuid(uuid::Uuid),
    /// A decimal field (`amount.amount`).
    Decimal(Decimal),
    /// A date-time field (`createdDate`, ...).
    Time(DateTime<Utc>),
    /// A date-time field as milliseconds since the epoch: what a store keeps, compared without
    /// building a calendar date.
    Millis(i64),
}

impl Scalar<'_> {
    /// The kind of the value.
    pub fn kind(&self) -> FieldKind {
        match self {
            Scalar::Str(_) | Scalar::Uuid(_) => FieldKind::Str,
            Scalar::Decimal(_) => FieldKind::Decimal,
            Scalar::Time(_) | Scalar::Millis(_) => FieldKind::Time,
        }
    }

    /// The value, owning its text.
    pub fn into_owned(self) -> Scalar<'static> {
        match self {
            Scalar::Str(s) => Scalar::Str(Cow::Owned(s.into_owned())),
            Scalar::Uuid(u) => Scalar::Uuid(u),
            Scalar::Decimal(d) => Scalar::Decimal(d),
            Scalar::Time(t) => Scalar::Time(t),
            Scalar::Millis(ms) => Scalar::Millis(ms),
        }
    }
}

/// The lower-case hyphenated text of a GUID, on the stack.
fn uuid_text(id: &uuid::Uuid) -> UuidText {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    id.hyphenated().encode_lower(&mut buf);
    UuidText(buf)
}

/// A GUID's text in a stack buffer.
struct UuidText([u8; uuid::fmt::Hyphenated::LENGTH]);

impl UuidText {
    fn as_str(&self) -> &str {
        // Hex digits and hyphens only: always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Orders two values of the same kind; `None` when the kinds differ.
pub(crate) fn compare(a: &Scalar<'_>, b: &Scalar<'_>) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Str(a), Scalar::Str(b)) => Some(a.as_ref().cmp(b.as_ref())),
        // Byte order of GUIDs is the order of their lower-case hex text.
        (Scalar::Uuid(a), Scalar::Uuid(b)) => Some(a.cmp(b)),
        (Scalar::Uuid(a), Scalar::Str(b)) => Some(uuid_text(a).as_str().cmp(b.as_ref())),
        (Scalar::Str(a), Scalar::Uuid(b)) => Some(a.as_ref().cmp(uuid_text(b).as_str())),
        (Scalar::Decimal(a), Scalar::Decimal(b)) => Some(a.cmp(b)),
        (Scalar::Time(a), Scalar::Time(b)) => Some(a.cmp(b)),
        (Scalar::Millis(a), Scalar::Millis(b)) => Some(a.cmp(b)),
        (Scalar::Millis(a), Scalar::Time(b)) => Some(millis_cmp(*a, b)),
        (Scalar::Time(a), Scalar::Millis(b)) => Some(millis_cmp(*b, a).reverse()),
        _ => None,
    }
}

/// Orders an instant given in milliseconds against a full-precision one.
fn millis_cmp(ms: i64, t: &DateTime<Utc>) -> Ordering {
    let sub_ms_nanos = t.timestamp_subsec_nanos() % 1_000_000;
    (ms, 0).cmp(&(t.timestamp_millis(), sub_ms_nanos))
}

/// The instant of milliseconds since the epoch (out-of-range values clamp to the epoch).
fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A total order over optional values for sorting: absent first, then by kind, then by value.
pub(crate) fn total_cmp(a: Option<&Scalar<'_>>, b: Option<&Scalar<'_>>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => compare(a, b).unwrap_or_else(|| rank(a).cmp(&rank(b))),
    }
}

fn rank(s: &Scalar<'_>) -> u8 {
    match s {
        Scalar::Str(_) | Scalar::Uuid(_) => 0,
        Scalar::Decimal(_) => 1,
        Scalar::Time(_) | Scalar::Millis(_) => 2,
    }
}

/// Brings a record's value to the field's kind (a store may hand a decimal or date as text).
/// `None` when it cannot be read as that kind; such a value counts as absent.
pub(crate) fn coerce(value: Scalar<'_>, kind: FieldKind) -> Option<Scalar<'_>> {
    if value.kind() == kind {
        return Some(value);
    }
    match (value, kind) {
        (Scalar::Str(s), FieldKind::Decimal) => parse_decimal(&s).map(Scalar::Decimal),
        (Scalar::Str(s), FieldKind::Time) => parse_time(&s).map(Scalar::Time),
        (Scalar::Uuid(u), FieldKind::Decimal | FieldKind::Time) => {
            coerce(Scalar::Str(Cow::Owned(u.to_string())), kind)
        }
        (Scalar::Decimal(d), FieldKind::Str) => Some(Scalar::Str(Cow::Owned(d.to_string()))),
        (Scalar::Time(t), FieldKind::Str) => Some(Scalar::Str(Cow::Owned(time_text(t)))),
        (Scalar::Millis(ms), FieldKind::Str) => {
            Some(Scalar::Str(Cow::Owned(time_text(from_millis(ms)))))
        }
        _ => None,
    }
}

/// A GUID filter value in the lower-case hyphenated form records hold (`A931E280-...` matches
/// `a931e280-...`); text that is not a GUID is kept as it is.
pub(crate) fn normalize_guid(text: Cow<'static, str>) -> Scalar<'static> {
    match uuid::Uuid::parse_str(&text) {
        Ok(id) => Scalar::Uuid(id),
        Err(_) => Scalar::Str(text),
    }
}

/// Reads a decimal written plainly (`15.50`) or in scientific notation (`1.5e1`).
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    Decimal::from_str(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// Reads an RFC 3339 timestamp as an instant.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The text of an instant as the API writes it (`2026-06-01T14:22:18.456Z`); digits beyond
/// milliseconds are kept when present.
fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Why a filter literal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiteralError {
    /// The JSON type does not fit the field (e.g. a number for `title`).
    Type,
    /// The text does not parse (a malformed date or decimal).
    Format,
}

/// Reads a filter literal for a field of `kind`: strings for text fields; RFC 3339 strings
/// (or `{"$date": "..."}`) for dates; strings or numbers for decimals.
pub(crate) fn literal(value: &Value, kind: FieldKind) -> Result<Scalar<'static>, LiteralError> {
    match kind {
        FieldKind::Str => match value {
            Value::String(s) => Ok(Scalar::Str(Cow::Owned(s.clone()))),
            _ => Err(LiteralError::Type),
        },
        FieldKind::Decimal => {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(LiteralError::Type),
            };
            parse_decimal(&text)
                .map(Scalar::Decimal)
                .ok_or(LiteralError::Format)
        }
        FieldKind::Time => {
            let text = match value {
                Value::String(s) => s,
                Value::Object(o) if o.len() == 1 => match o.get("$date") {
                    Some(Value::String(s)) => s,
                    _ => return Err(LiteralError::Type),
                },
                _ => return Err(LiteralError::Type),
            };
            parse_time(text)
                .map(Scalar::Time)
                .ok_or(LiteralError::Format)
        }
    }
}

/// A value as a cursor writes it: its text (every digit kept), or `null` when absent. Written
/// straight to the serializer, without an intermediate `Value`.
pub(crate) struct CursorText<'a>(pub(crate) Option<&'a Scalar<'a>>);

impl Serialize for CursorText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => serializer.serialize_none(),
            Some(Scalar::Str(s)) => serializer.serialize_str(s),
            Some(Scalar::Uuid(u)) => serializer.serialize_str(
                u.hyphenated()
                    .encode_lower(&mut uuid::Uuid::encode_buffer()),
            ),
            Some(Scalar::Decimal(d)) => serializer.collect_str(d),
            Some(Scalar::Time(t)) => serializer.serialize_str(&time_text(*t)),
            Some(Scalar::Millis(ms)) => serializer.serialize_str(&time_text(from_millis(*ms))),
        }
    }
}

/// Reads back a value written by [`CursorText`]; `Err` when it does not fit `kind`.
pub(crate) fn from_cursor_json(
    value: &Value,
    kind: FieldKind,
) -> Result<Option<Scalar<'static>>, ()> {
    match value {
        Value::Null => Ok(None),
        Value::String(_) => literal(value, kind).map(Some).map_err(|_| ()),
        _ => Err(()),
    }
}

/// Whether the value's text starts with `needle_lower` (already lower-cased), ignoring case.
/// Only text (strings and GUIDs) has `$startsWith`; other values never match. No heap
/// allocation is made.
pub(crate) fn starts_with_ci(value: &Scalar<'_>, needle_lower: &str) -> bool {
    match value {
        Scalar::Str(s) => text_starts_with_ci(s, needle_lower),
        Scalar::Uuid(u) => text_starts_with_ci(uuid_text(u).as_str(), needle_lower),
        Scalar::Decimal(_) | Scalar::Time(_) | Scalar::Millis(_) => false,
    }
}

/// Whether the value is the empty string (`$isEmpty`); a GUID, decimal or date never is.
pub(crate) fn is_empty_text(value: &Scalar<'_>) -> bool {
    matches!(value, Scalar::Str(s) if s.is_empty())
}

/// Lower-cases a `$startsWith` needle the way [`starts_with_ci`] lower-cases the text.
pub(crate) fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

fn text_starts_with_ci(hay: &str, needle_lower: &str) -> bool {
    if hay.is_ascii() && needle_lower.is_ascii() {
        let (hay, needle) = (hay.as_bytes(), needle_lower.as_bytes());
        return hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle);
    }
    let mut hay = hay.chars().flat_map(char::to_lowercase);
    needle_lower.chars().all(|c| hay.next() == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_compare_as_their_lower_case_text() {
        let low: uuid::Uuid = "0b6c1e2a-0000-4000-8000-000000000001".parse().unwrap();
        let high: uuid::Uuid = "f0000000-0000-4000-8000-000000000000".parse().unwrap();
        let text = |s: &str| Scalar::Str(Cow::Owned(s.to_string()));
        assert_eq!(
            compare(
                &Scalar::Uuid(low),
                &text("0b6c1e2a-0000-4000-8000-000000000001")
            ),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(&Scalar::Uuid(low), &Scalar::Uuid(high)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&text("a"), &Scalar::Uuid(high)),
            Some("a".cmp("f0000000-0000-4000-8000-000000000000"))
        );
        assert!(starts_with_ci(&Scalar::Uuid(high), "f0000000-00"));
        assert!(!starts_with_ci(&Scalar::Uuid(high), "0b"));
        assert_eq!(
            serde_json::to_value(CursorText(Some(&Scalar::Uuid(low)))).unwrap(),
            Value::String(low.to_string())
        );
        assert_eq!(Scalar::Uuid(low).kind(), FieldKind::Str);
    }

    #[test]
    fn milliseconds_compare_with_full_precision_instants() {
        let t = parse_time("2026-06-01T14:22:18.456Z").unwrap();
        let ms = t.timestamp_millis();
        assert_eq!(
            compare(&Scalar::Millis(ms), &Scalar::Time(t)),
            Some(Ordering::Equal)
        );
        let later = parse_time("2026-06-01T14:22:18.456001Z").unwrap();
        assert_eq!(
            compare(&Scalar::Millis(ms), &Scalar::Time(later)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Scalar::Time(later), &Scalar::Millis(ms)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&Scalar::Millis(ms), &Scalar::Millis(ms + 1)),
            Some(Ordering::Less)
        );
        assert_eq!(
            serde_json::to_value(CursorText(Some(&Scalar::Millis(ms)))).unwrap(),
            Value::String("2026-06-01T14:22:18.456Z".into())
        );
        assert_eq!(Scalar::Millis(ms).kind(), FieldKind::Time);
    }
}
