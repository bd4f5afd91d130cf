//! Client-side validation against the spec's constraints, run before a request is sent.
//!
//! typify's newtypes already refuse strings that are too long or malformed when they are
//! built (a cursor over its `maxLength`, say), [`crate::Amount`] refuses a value outside the
//! spec's decimal range, GUIDs are `uuid::Uuid`, and the fields required on create or update
//! are plain fields of the input types (from the spec's `required`); this module checks what
//! types cannot: item counts, query limits and the number of sorts.
//! Every bound comes from the generated rule tables ([`crate::generated::rules`]), so the
//! spec states it once. What the client cannot know it leaves to the API: an update's
//! `amount` is sent, and the API refuses it only when it differs from the stored one
//! (`CANNOT_UPDATE_ORDER_PAYMENT_REQUEST_AMOUNT`). Violations use Wix's field paths and the
//! API's `FieldViolation` shape, with the rule names and data the API (and the local emulator)
//! report:
//!
//! | rule | when | data |
//! |---|---|---|
//! | `MIN_LENGTH` / `MAX_LENGTH` | string length, counted in characters | `{"threshold": N}` |
//! | `MIN_ITEMS` / `MAX_ITEMS` | array length | `{"threshold": N}` |
//! | `MIN` / `MAX` | number bounds (`cursorPaging.limit`) | `{"threshold": N}` |
//! | `MATCHES_PATH` | an update body's id differs from the path id | |
//! | `NOT_ALLOWED_WITH_CURSOR` | a query sends `filter` or `sort` beside a cursor | |

use serde_json::{json, Value};

use crate::generated::client::types;
use crate::generated::rules::{self, Bound};

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

/// The violation of `bound` by a value of size (or value) `n`, if it breaks it.
fn check_bound(field: impl Into<String>, bound: &Bound, n: i64) -> Option<types::FieldViolation> {
    let broken = if bound.kind.is_lower() {
        n < bound.value
    } else {
        n > bound.value
    };
    broken.then(|| {
        violation_with_data(
            field,
            bound.kind.rule_name(),
            bound.requirement(),
            json!({ "threshold": bound.value }),
        )
    })
}

/// A count as the bounds' integer type (saturating: no collection is that large).
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Checks a charge's payment token length (in characters).
pub fn payment_token(token: &str) -> Vec<types::FieldViolation> {
    check_bound(
        "paymentToken",
        &rules::CHARGE_ORDER_PAYMENT_REQUEST_REQUEST_PAYMENT_TOKEN_MAX_LENGTH,
        count(token.chars().count()),
    )
    .into_iter()
    .collect()
}

/// The check every input entity shares: the number of blocked payment methods, against the
/// bound of the one schema they all refer to (`BlockedPaymentMethods`).
fn common(
    prefix: &str,
    blocked_payment_methods: &[crate::PaymentMethod],
    out: &mut Vec<types::FieldViolation>,
) {
    out.extend(check_bound(
        format!("{prefix}.blockedPaymentMethods"),
        &rules::BLOCKED_PAYMENT_METHODS_MAX_ITEMS,
        count(blocked_payment_methods.len()),
    ));
}

/// Checks a create request (its required fields are required by its type).
pub fn create(body: &types::CreateOrderPaymentRequestRequest) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    common(
        "orderPaymentRequest",
        &body.order_payment_request.blocked_payment_methods,
        &mut out,
    );
    out
}

/// Checks a bulk create request: its item count (each item's required fields, `source.externalId`
/// included, are required by its type).
pub fn bulk_create(
    body: &types::BulkCreateOrderPaymentRequestsRequest,
) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let n = count(body.order_payment_requests.len());
    for bound in [
        rules::BULK_CREATE_ORDER_PAYMENT_REQUESTS_REQUEST_ORDER_PAYMENT_REQUESTS_MIN_ITEMS,
        rules::BULK_CREATE_ORDER_PAYMENT_REQUESTS_REQUEST_ORDER_PAYMENT_REQUESTS_MAX_ITEMS,
    ] {
        out.extend(check_bound("orderPaymentRequests", &bound, n));
    }
    for (i, opr) in body.order_payment_requests.iter().enumerate() {
        common(
            &format!("orderPaymentRequests[{i}]"),
            &opr.blocked_payment_methods,
            &mut out,
        );
    }
    out
}

/// Checks an update: the body's id must equal the path id (`MATCHES_PATH`). An `amount` is
/// sent as it is: only the API knows whether it differs from the stored one.
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
    common(
        "orderPaymentRequest",
        &opr.blocked_payment_methods,
        &mut out,
    );
    out
}

/// Checks a query: its limit and number of sorts within the spec's bounds, and no filter or
/// sort beside a cursor.
pub fn query(query: &types::CursorQuery) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    if let Some(paging) = &query.cursor_paging {
        if let Some(limit) = paging.limit {
            for bound in [
                rules::CURSOR_PAGING_LIMIT_MINIMUM,
                rules::CURSOR_PAGING_LIMIT_MAXIMUM,
            ] {
                out.extend(check_bound(
                    "query.cursorPaging.limit",
                    &bound,
                    i64::from(limit),
                ));
            }
        }
        if paging.cursor.is_some() {
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
    out.extend(check_bound(
        "query.sort",
        &rules::CURSOR_QUERY_SORT_MAX_ITEMS,
        count(query.sort.len()),
    ));
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
    fn update_id_must_match_the_path_and_its_amount_is_left_to_the_api() {
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
        assert!(update(path, &with_amount).is_empty());
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
    fn a_cursor_excludes_filter_and_sort() {
        let with_cursor = |cursor: String| types::CursorQuery {
            cursor_paging: Some(types::CursorPaging {
                cursor: Some(cursor.parse().unwrap()),
                limit: None,
            }),
            filter: Default::default(),
            sort: Vec::new(),
        };
        assert!(query(&with_cursor("abc".into())).is_empty());
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
