//! Unit tests of the query engine, over a small record type.

mod errors;
mod filter;
mod paging;
mod sort;

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{Page, Query, QueryRecord, Scalar};
use crate::api_error::{ApiError, Violation};

/// A record with every queryable field; `None` fields are absent.
#[derive(Debug, Clone)]
pub(super) struct Rec {
    pub id: Uuid,
    pub title: Option<String>,
    pub status: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub amount: Option<Decimal>,
    pub description: Option<String>,
    pub order_number: Option<String>,
    pub expiration: Option<DateTime<Utc>>,
    pub order_id: String,
    pub external_id: Option<String>,
    /// When set, `amount.amount` is handed out as text (as a store keeping strings would).
    pub amount_as_text: bool,
}

fn text(s: &Option<String>) -> Option<Scalar<'_>> {
    s.as_deref().map(|s| Scalar::Str(Cow::Borrowed(s)))
}

impl QueryRecord for Rec {
    fn field(&self, name: &str) -> Option<Scalar<'_>> {
        match name {
            "id" => Some(Scalar::Str(Cow::Owned(self.id.to_string()))),
            "title" => text(&self.title),
            "status" => Some(Scalar::Str(Cow::Borrowed(&self.status))),
            "createdDate" => Some(Scalar::Time(self.created)),
            "updatedDate" => Some(Scalar::Time(self.updated)),
            "amount.amount" if self.amount_as_text => {
                self.amount.map(|a| Scalar::Str(Cow::Owned(a.to_string())))
            }
            "amount.amount" => self.amount.map(Scalar::Decimal),
            "description" => text(&self.description),
            "orderNumber" => text(&self.order_number),
            "expirationDate" => self.expiration.map(Scalar::Time),
            "orderId" => Some(Scalar::Str(Cow::Borrowed(&self.order_id))),
            "source.externalId" => text(&self.external_id),
            _ => None,
        }
    }

    fn id(&self) -> Uuid {
        self.id
    }
}

pub(super) fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("bad test time {s}: {e}"))
}

pub(super) fn dec(s: &str) -> Decimal {
    s.parse()
        .unwrap_or_else(|e| panic!("bad test decimal {s}: {e}"))
}

/// Record `n`: id `n`, created `n` minutes after 2026-06-01T00:00Z, title `Title n`.
pub(super) fn rec(n: u128) -> Rec {
    let base = time("2026-06-01T00:00:00Z");
    let minutes = i64::try_from(n).unwrap_or(0);
    Rec {
        id: Uuid::from_u128(n),
        title: Some(format!("Title {n}")),
        status: "UNPAID".into(),
        created: base + chrono::Duration::minutes(minutes),
        updated: base + chrono::Duration::minutes(minutes),
        amount: Some(Decimal::from(u64::try_from(n).unwrap_or(0))),
        description: None,
        order_number: Some(format!("{}", 10000 + n)),
        expiration: None,
        order_id: format!("order-{n}"),
        external_id: None,
        amount_as_text: false,
    }
}

/// Parses a `query` object, panicking on errors.
pub(super) fn q(query: Value) -> Query {
    Query::parse(&query).unwrap_or_else(|e| panic!("query {query} refused: {e:?}"))
}

/// The ids (as numbers) of a page.
pub(super) fn ids(page: &Page<&Rec>) -> Vec<u128> {
    page.items.iter().map(|r| r.id.as_u128()).collect()
}

/// Ids of the records matching a filter, in id order.
pub(super) fn matching(filter: Value, recs: &[Rec]) -> Vec<u128> {
    let query = q(json!({"filter": filter, "sort": [{"fieldName": "orderNumber"}]}));
    let mut out = ids(&query.run(recs));
    out.sort_unstable();
    out
}

/// The violations of a refused query.
pub(super) fn violations(query: Value) -> Vec<Violation> {
    match Query::parse(&query) {
        Err(ApiError::Validation(v)) => v,
        other => panic!("query {query} should be a 400, got {other:?}"),
    }
}

/// The single violation of a refused query, as `(field, rule)`.
pub(super) fn violation(query: Value) -> (String, String) {
    let v = violations(query.clone());
    assert_eq!(v.len(), 1, "one violation expected for {query}: {v:?}");
    (v[0].field.clone(), v[0].rule.clone())
}
