//! Client-side validation against the spec's constraints, run before a request is sent.
//!
//! typify's newtypes already refuse strings that are too long or malformed when they are
//! built, GUIDs are `uuid::Uuid`, and the fields required on create or update are plain fields
//! of the input types (from the spec's `required`); this module checks what types cannot: item
//! counts, the decimal range of amounts, query limits, cursor length and
//! the number of sorts. Violations use Wix's field paths and the API's `FieldViolation` shape,
//! with the rule names and data the API (and the local emulator) report:
//!
//! | rule | when | data |
//! |---|---|---|
//! | `MIN_LENGTH` / `MAX_LENGTH` | string length, counted in characters | `{"threshold": N}` |
//! | `DECIMAL_RANGE` | an amount outside 0..=1000000000000000 | `{"gte": "0", "lte": "1000000000000000"}` |
//! | `MIN_ITEMS` / `MAX_ITEMS` | array length | `{"threshold": N}` |
//! | `MIN` / `MAX` | number bounds (`cursorPaging.limit`) | `{"threshold": N}` |
//! | `MATCHES_PATH` | an update body's id differs from the path id | |
//! | `NOT_ALLOWED_WITH_CURSOR` | a query sends `filter` or `sort` beside a cursor | |
//! | `IMMUTABLE_FIELD` | an update sends `amount`, which can't change after create | |

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::generated::client::types;

/// Most items a bulk create accepts.
pub const MAX_BULK_ITEMS: usize = 100;
/// Largest `cursorPaging.limit`.
pub const MAX_QUERY_LIMIT: i32 = 100;
/// Longest cursor, in characters.
pub const MAX_CURSOR_LEN: usize = 16000;
/// Most sort criteria in one query.
pub const MAX_SORTS: usize = 5;
/// Most blocked payment methods.
pub const MAX_BLOCKED_PAYMENT_METHODS: usize = 1;
/// Longest `paymentToken` of a charge, in characters.
pub const MAX_PAYMENT_TOKEN_LEN: usize = 100;

/// The largest amount Wix accepts.
pub fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_000i64)
}

/// One violation in the API's shape, without rule data.
pub fn violation(
    field: impl Into<String>,
    rule: &str,
    description: impl Into<String>,
) -> types::FieldViolation {
    types::FieldViolation {
        field: Some(field.into()),
        description: Some(description.into()),
        rule_name: Some(rule.to_string()),
        violated_rule: Some(rule.to_string()),
        data: Default::default(),
    }
}

/// One violation in the API's shape with rule data (an object such as `{"threshold": 100}`;
/// anything else is dropped).
pub fn violation_with_data(
    field: impl Into<String>,
    rule: &str,
    description: impl Into<String>,
    data: Value,
) -> types::FieldViolation {
    let mut v = violation(field, rule, description);
    if let Value::Object(map) = data {
        v.data = map;
    }
    v
}

/// A violation of a bound, with the API's `{"threshold": N}` data.
fn threshold(
    field: impl Into<String>,
    rule: &str,
    description: impl Into<String>,
    n: impl Into<Value>,
) -> types::FieldViolation {
    violation_with_data(field, rule, description, json!({ "threshold": n.into() }))
}

/// Checks a charge's payment token: at most 100 characters.
pub fn payment_token(token: &str) -> Vec<types::FieldViolation> {
    if token.chars().count() > MAX_PAYMENT_TOKEN_LEN {
        vec![threshold(
            "paymentToken",
            "MAX_LENGTH",
            format!("must have at most {MAX_PAYMENT_TOKEN_LEN} characters"),
            MAX_PAYMENT_TOKEN_LEN,
        )]
    } else {
        Vec::new()
    }
}

/// The checks every input entity shares: the amount's decimal range and the number of blocked
/// payment methods.
fn common(
    prefix: &str,
    amount: Option<&types::NewPrice>,
    blocked_payment_methods: &[crate::PaymentMethod],
    out: &mut Vec<types::FieldViolation>,
) {
    if let Some(price) = amount {
        let value = price.amount.value();
        if value < Decimal::ZERO || value > max_amount() {
            out.push(violation_with_data(
                format!("{prefix}.amount.amount"),
                "DECIMAL_RANGE",
                "must be between 0 and 1000000000000000",
                json!({"gte": "0", "lte": "1000000000000000"}),
            ));
        }
    }
    if blocked_payment_methods.len() > MAX_BLOCKED_PAYMENT_METHODS {
        out.push(threshold(
            format!("{prefix}.blockedPaymentMethods"),
            "MAX_ITEMS",
            format!("must have at most {MAX_BLOCKED_PAYMENT_METHODS} item"),
            MAX_BLOCKED_PAYMENT_METHODS,
        ));
    }
}

/// Checks a create request (its required fields are required by its type).
pub fn create(body: &types::CreateOrderPaymentRequestRequest) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let opr = &body.order_payment_request;
    common(
        "orderPaymentRequest",
        Some(&opr.amount),
        &opr.blocked_payment_methods,
        &mut out,
    );
    out
}

/// Checks a bulk create request: 1 to 100 items (each item's required fields, `source.externalId`
/// included, are required by its type).
pub fn bulk_create(
    body: &types::BulkCreateOrderPaymentRequestsRequest,
) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let n = body.order_payment_requests.len();
    if n < 1 {
        out.push(threshold(
            "orderPaymentRequests",
            "MIN_ITEMS",
            "must have at least 1 item",
            1,
        ));
    } else if n > MAX_BULK_ITEMS {
        out.push(threshold(
            "orderPaymentRequests",
            "MAX_ITEMS",
            format!("must have at most {MAX_BULK_ITEMS} items"),
            MAX_BULK_ITEMS,
        ));
    }
    for (i, opr) in body.order_payment_requests.iter().enumerate() {
        common(
            &format!("orderPaymentRequests[{i}]"),
            Some(&opr.amount),
            &opr.blocked_payment_methods,
            &mut out,
        );
    }
    out
}

/// Checks an update: the body's id must equal the path id (`MATCHES_PATH`); the amount can't
/// change after create.
pub fn update(
    path_id: uuid::Uuid,
    body: &types::UpdateOrderPaymentRequestRequest,
) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let opr = &body.order_payment_request;
    if opr.id != path_id {
        out.push(violation(
            "orderPaymentRequest.id",
            "MATCHES_PATH",
            "must equal the id in the path",
        ));
    }
    if opr.amount.is_some() {
        out.push(violation(
            "orderPaymentRequest.amount",
            "IMMUTABLE_FIELD",
            "can't be changed after the order payment request is created",
        ));
    }
    common(
        "orderPaymentRequest",
        None,
        &opr.blocked_payment_methods,
        &mut out,
    );
    out
}

/// Checks a query: limit 0..=100, cursor at most 16000 characters, at most 5 sorts, and no
/// filter or sort beside a cursor.
pub fn query(query: &types::CursorQuery) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    if let Some(paging) = &query.cursor_paging {
        match paging.limit {
            Some(limit) if limit < 0 => out.push(threshold(
                "query.cursorPaging.limit",
                "MIN",
                "must be at least 0",
                0,
            )),
            Some(limit) if limit > MAX_QUERY_LIMIT => out.push(threshold(
                "query.cursorPaging.limit",
                "MAX",
                format!("must be at most {MAX_QUERY_LIMIT}"),
                MAX_QUERY_LIMIT,
            )),
            _ => {}
        }
        if let Some(cursor) = &paging.cursor {
            if cursor.chars().count() > MAX_CURSOR_LEN {
                out.push(threshold(
                    "query.cursorPaging.cursor",
                    "MAX_LENGTH",
                    format!("must have at most {MAX_CURSOR_LEN} characters"),
                    MAX_CURSOR_LEN,
                ));
            }
            if !query.filter.is_empty() {
                out.push(violation(
                    "query.filter",
                    "NOT_ALLOWED_WITH_CURSOR",
                    "must not be sent with a cursor: the cursor carries it",
                ));
            }
            if !query.sort.is_empty() {
                out.push(violation(
                    "query.sort",
                    "NOT_ALLOWED_WITH_CURSOR",
                    "must not be sent with a cursor: the cursor carries it",
                ));
            }
        }
    }
    if query.sort.len() > MAX_SORTS {
        out.push(threshold(
            "query.sort",
            "MAX_ITEMS",
            format!("must have at most {MAX_SORTS} items"),
            MAX_SORTS,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(violations: &[types::FieldViolation]) -> Vec<(String, String, Value)> {
        violations
            .iter()
            .map(|v| {
                (
                    v.field.clone().unwrap_or_default(),
                    v.violated_rule.clone().unwrap_or_default(),
                    Value::Object(v.data.clone()),
                )
            })
            .collect()
    }

    fn complete() -> types::NewBulkOrderPaymentRequest {
        types::NewBulkOrderPaymentRequest::new(
            uuid::Uuid::nil(),
            "15.50".parse().unwrap(),
            "Balance".parse().unwrap(),
            "ext-1".parse().unwrap(),
        )
    }

    #[test]
    fn create_reports_blocked_payment_methods_beyond_one() {
        let mut request = types::NewOrderPaymentRequest::new(
            uuid::Uuid::nil(),
            "15.50".parse().unwrap(),
            "Balance".parse().unwrap(),
        );
        let body =
            |request: &types::NewOrderPaymentRequest| types::CreateOrderPaymentRequestRequest {
                order_payment_request: request.clone(),
            };
        assert!(create(&body(&request)).is_empty());
        request.blocked_payment_methods =
            vec![crate::PaymentMethod::Manual, crate::PaymentMethod::Manual];
        assert_eq!(
            rules(&create(&body(&request))),
            [(
                "orderPaymentRequest.blockedPaymentMethods".into(),
                "MAX_ITEMS".into(),
                json!({"threshold": 1})
            )]
        );
    }

    #[test]
    fn bulk_counts_use_min_and_max_items() {
        let body = |n: usize| types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests: vec![complete(); n],
            return_entity: false,
        };
        assert_eq!(
            rules(&bulk_create(&body(0))),
            [(
                "orderPaymentRequests".into(),
                "MIN_ITEMS".into(),
                json!({"threshold": 1})
            )]
        );
        assert_eq!(
            rules(&bulk_create(&body(101))),
            [(
                "orderPaymentRequests".into(),
                "MAX_ITEMS".into(),
                json!({"threshold": 100})
            )]
        );
        assert!(bulk_create(&body(100)).is_empty());
    }

    #[test]
    fn update_id_must_match_the_path_and_keep_the_amount() {
        let path = uuid::Uuid::from_u128(1);
        let body = |id: uuid::Uuid| types::UpdateOrderPaymentRequestRequest {
            order_payment_request: types::OrderPaymentRequestPatch::new(id),
        };
        assert_eq!(
            rules(&update(path, &body(uuid::Uuid::from_u128(2)))),
            [(
                "orderPaymentRequest.id".into(),
                "MATCHES_PATH".into(),
                json!({})
            )]
        );
        assert!(update(path, &body(path)).is_empty());
        let mut with_amount = body(path);
        with_amount.order_payment_request.amount =
            Some("1".parse::<crate::Amount>().unwrap().into());
        assert_eq!(
            rules(&update(path, &with_amount)),
            [(
                "orderPaymentRequest.amount".into(),
                "IMMUTABLE_FIELD".into(),
                json!({})
            )]
        );
    }

    #[test]
    fn query_bounds_use_min_max_and_thresholds() {
        let paged = |limit: i32| types::CursorQuery {
            cursor_paging: Some(types::CursorPaging {
                cursor: None,
                limit: Some(limit),
            }),
            filter: Default::default(),
            sort: Vec::new(),
        };
        assert_eq!(
            rules(&query(&paged(101))),
            [(
                "query.cursorPaging.limit".into(),
                "MAX".into(),
                json!({"threshold": 100})
            )]
        );
        assert_eq!(
            rules(&query(&paged(-1))),
            [(
                "query.cursorPaging.limit".into(),
                "MIN".into(),
                json!({"threshold": 0})
            )]
        );
        assert!(query(&paged(0)).is_empty() && query(&paged(100)).is_empty());
        let mut sorted = paged(10);
        sorted.sort = vec![types::Sorting::default(); 6];
        assert_eq!(
            rules(&query(&sorted)),
            [(
                "query.sort".into(),
                "MAX_ITEMS".into(),
                json!({"threshold": 5})
            )]
        );
    }

    #[test]
    fn cursor_length_is_counted_in_characters() {
        let with_cursor = |cursor: String| types::CursorQuery {
            cursor_paging: Some(types::CursorPaging {
                cursor: Some(cursor.parse().unwrap()),
                limit: None,
            }),
            filter: Default::default(),
            sort: Vec::new(),
        };
        // 16000 two-byte characters: 32000 bytes, but within the limit.
        assert!(query(&with_cursor("é".repeat(MAX_CURSOR_LEN))).is_empty());
        let mut both = with_cursor("abc".into());
        both.filter.insert("status".into(), json!("UNPAID"));
        both.sort = vec![types::Sorting::default()];
        assert_eq!(
            rules(&query(&both)),
            [
                (
                    "query.filter".into(),
                    "NOT_ALLOWED_WITH_CURSOR".into(),
                    json!({})
                ),
                (
                    "query.sort".into(),
                    "NOT_ALLOWED_WITH_CURSOR".into(),
                    json!({})
                ),
            ]
        );
    }

    #[test]
    fn payment_token_length_is_counted_in_characters() {
        assert!(payment_token(&"é".repeat(100)).is_empty());
        assert_eq!(
            rules(&payment_token(&"x".repeat(101))),
            [(
                "paymentToken".into(),
                "MAX_LENGTH".into(),
                json!({"threshold": 100})
            )]
        );
    }
}
