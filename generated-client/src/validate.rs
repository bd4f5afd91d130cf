//! Client-side validation against the spec's constraints, run before a request is sent.
//!
//! typify's newtypes already refuse strings that are too long or malformed when they are
//! built, and GUIDs are `uuid::Uuid`; this module checks what types cannot: fields required on
//! create or update, item counts, the decimal range of amounts, query limits, cursor length and
//! the number of sorts. Violations use Wix's field paths and the API's `FieldViolation` shape.

use rust_decimal::Decimal;

use crate::generated::client::types;

/// Most items a bulk create accepts.
pub const MAX_BULK_ITEMS: usize = 100;
/// Largest `cursorPaging.limit`.
pub const MAX_QUERY_LIMIT: i32 = 100;
/// Longest cursor.
pub const MAX_CURSOR_LEN: usize = 16000;
/// Most sort criteria in one query.
pub const MAX_SORTS: usize = 5;
/// Most blocked payment methods.
pub const MAX_BLOCKED_PAYMENT_METHODS: usize = 1;

/// The largest amount Wix accepts.
pub fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_000i64)
}

/// One violation in the API's shape.
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

fn common(prefix: &str, opr: &types::OrderPaymentRequest, out: &mut Vec<types::FieldViolation>) {
    if let Some(amount) = opr.amount.as_ref().and_then(|p| p.amount.as_ref()) {
        let value = amount.value();
        if value < Decimal::ZERO || value > max_amount() {
            out.push(violation(
                format!("{prefix}.amount.amount"),
                "DECIMAL_RANGE",
                "must be between 0 and 1000000000000000",
            ));
        }
    }
    if opr.blocked_payment_methods.len() > MAX_BLOCKED_PAYMENT_METHODS {
        out.push(violation(
            format!("{prefix}.blockedPaymentMethods"),
            "MAX_ITEMS",
            "at most 1 item",
        ));
    }
}

fn required_on_create(
    prefix: &str,
    opr: &types::OrderPaymentRequest,
    external_id_required: bool,
    out: &mut Vec<types::FieldViolation>,
) {
    if opr.title.is_none() {
        out.push(violation(
            format!("{prefix}.title"),
            "REQUIRED_FIELD",
            "is required",
        ));
    }
    if opr.order_id.is_none() {
        out.push(violation(
            format!("{prefix}.orderId"),
            "REQUIRED_FIELD",
            "is required",
        ));
    }
    match &opr.amount {
        Some(types::Price {
            amount: Some(_), ..
        }) => {}
        Some(_) => out.push(violation(
            format!("{prefix}.amount.amount"),
            "REQUIRED_FIELD",
            "is required",
        )),
        None => out.push(violation(
            format!("{prefix}.amount"),
            "REQUIRED_FIELD",
            "is required",
        )),
    }
    if external_id_required
        && opr
            .source
            .as_ref()
            .and_then(|s| s.external_id.as_ref())
            .is_none()
    {
        out.push(violation(
            format!("{prefix}.source.externalId"),
            "REQUIRED_FIELD",
            "is required",
        ));
    }
    common(prefix, opr, out);
}

/// Checks a create request.
pub fn create(body: &types::CreateOrderPaymentRequestRequest) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    required_on_create(
        "orderPaymentRequest",
        &body.order_payment_request,
        false,
        &mut out,
    );
    out
}

/// Checks a bulk create request: 1 to 100 items, each complete with `source.externalId`.
pub fn bulk_create(
    body: &types::BulkCreateOrderPaymentRequestsRequest,
) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let n = body.order_payment_requests.len();
    if !(1..=MAX_BULK_ITEMS).contains(&n) {
        out.push(violation(
            "orderPaymentRequests",
            "ITEMS_RANGE",
            format!("must hold 1 to {MAX_BULK_ITEMS} items, has {n}"),
        ));
    }
    for (i, opr) in body.order_payment_requests.iter().enumerate() {
        required_on_create(&format!("orderPaymentRequests[{i}]"), opr, true, &mut out);
    }
    out
}

/// Checks an update: the body's id must be set and equal the path id; immutable fields can't
/// change.
pub fn update(
    path_id: uuid::Uuid,
    body: &types::UpdateOrderPaymentRequestRequest,
) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    let opr = &body.order_payment_request;
    match opr.id {
        None => out.push(violation(
            "orderPaymentRequest.id",
            "REQUIRED_FIELD",
            "is required",
        )),
        Some(id) if id != path_id => out.push(violation(
            "orderPaymentRequest.id",
            "PATH_MISMATCH",
            "must equal the path's order payment request id",
        )),
        Some(_) => {}
    }
    if opr.amount.is_some() {
        out.push(violation(
            "orderPaymentRequest.amount",
            "IMMUTABLE",
            "can't be changed after create",
        ));
    }
    common("orderPaymentRequest", opr, &mut out);
    out
}

/// Checks a query: limit 0..=100, cursor at most 16000 characters, at most 5 sorts, and no
/// filter or sort beside a cursor.
pub fn query(query: &types::CursorQuery) -> Vec<types::FieldViolation> {
    let mut out = Vec::new();
    if let Some(paging) = &query.cursor_paging {
        if let Some(limit) = paging.limit {
            if !(0..=MAX_QUERY_LIMIT).contains(&limit) {
                out.push(violation(
                    "query.cursorPaging.limit",
                    "RANGE",
                    format!("must be between 0 and {MAX_QUERY_LIMIT}"),
                ));
            }
        }
        if let Some(cursor) = &paging.cursor {
            if cursor.len() > MAX_CURSOR_LEN {
                out.push(violation(
                    "query.cursorPaging.cursor",
                    "MAX_LENGTH",
                    format!("at most {MAX_CURSOR_LEN} characters"),
                ));
            }
            if !query.filter.is_empty() || !query.sort.is_empty() {
                out.push(violation(
                    "query.cursorPaging.cursor",
                    "CURSOR_WITH_FILTER",
                    "a cursor carries the filter and sort; don't send them with it",
                ));
            }
        }
    }
    if query.sort.len() > MAX_SORTS {
        out.push(violation(
            "query.sort",
            "MAX_ITEMS",
            format!("at most {MAX_SORTS} items"),
        ));
    }
    out
}
