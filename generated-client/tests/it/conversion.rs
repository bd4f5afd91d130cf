//! Values refused as they are built: the message names the field (by Wix's path when the value
//! goes through the generated builders) and the rule it breaks, with the bound from the rule
//! tables; an answer that breaks one names the member once.

use crate::client_common::{opr_json, OPR_ID, ORDER_ID};
use crate::support::{Scripted, TestServer};

use serde_json::json;
use wix_order_payment_requests::generated::rules::{self, DECIMAL_AMOUNT_RANGE};
use wix_order_payment_requests::{types, Error};

/// A string `n` characters long.
fn chars(n: i64) -> String {
    "é".repeat(usize::try_from(n).unwrap())
}

#[test]
fn a_string_value_names_its_field_and_the_bound_it_breaks() {
    let title = |text: &str| text.parse::<types::PaymentRequestTitle>().unwrap_err();
    assert_eq!(
        title("").to_string(),
        "title: must have at least 1 character"
    );
    let max = rules::PAYMENT_REQUEST_TITLE_MAX_LENGTH;
    assert_eq!(
        title(&chars(max.value + 1)).to_string(),
        format!("title: must have at most {} characters", max.value)
    );
    assert!(chars(max.value)
        .parse::<types::PaymentRequestTitle>()
        .is_ok());
    let description = rules::PAYMENT_REQUEST_DESCRIPTION_MAX_LENGTH;
    assert_eq!(
        chars(description.value + 1)
            .parse::<types::PaymentRequestDescription>()
            .unwrap_err()
            .to_string(),
        format!("description: {}", description.requirement())
    );
    assert_eq!(
        "".parse::<types::SourceExternalId>()
            .unwrap_err()
            .to_string(),
        format!(
            "externalId: {}",
            rules::SOURCE_EXTERNAL_ID_MIN_LENGTH.requirement()
        )
    );
    // A schema written inline is named by its property.
    let cursor = rules::CURSOR_PAGING_CURSOR_MAX_LENGTH;
    assert_eq!(
        chars(cursor.value + 1)
            .parse::<types::CursorPagingCursor>()
            .unwrap_err()
            .to_string(),
        format!("cursor: must have at most {} characters", cursor.value)
    );
    // A decoder hears the rule alone: it names the member by its own path.
    let decoded = serde_json::from_value::<types::PaymentRequestTitle>(json!("")).unwrap_err();
    assert_eq!(decoded.to_string(), "must have at least 1 character");
}

fn create_body(title: &str, amount: &str) -> types::builder::CreateOrderPaymentRequestRequest {
    types::CreateOrderPaymentRequestRequest::builder().order_payment_request(
        types::NewOrderPaymentRequest::builder()
            .order_id(ORDER_ID.parse::<uuid::Uuid>().unwrap())
            .amount(types::NewPrice::builder().amount(amount))
            .title(title),
    )
}

#[tokio::test]
async fn through_the_builders_the_message_names_the_field_path_once() {
    let server = TestServer::start(vec![]).await;
    let low = DECIMAL_AMOUNT_RANGE.gte.unwrap().text;
    for (body, message) in [
        (
            create_body("", "15.50"),
            "orderPaymentRequest.title: must have at least 1 character".to_string(),
        ),
        (
            create_body("Balance due", "-1"),
            format!(
                "orderPaymentRequest.amount.amount: `-1` is out of range: must be at least {low}"
            ),
        ),
        (
            types::CreateOrderPaymentRequestRequest::builder().order_payment_request(
                types::NewOrderPaymentRequest::builder()
                    .order_id(ORDER_ID.parse::<uuid::Uuid>().unwrap())
                    .amount(types::NewPrice::builder().amount("15.50")),
            ),
            "orderPaymentRequest.title: is required".to_string(),
        ),
        (
            types::CreateOrderPaymentRequestRequest::builder(),
            "orderPaymentRequest: is required".to_string(),
        ),
    ] {
        let error = server
            .client()
            .create_order_payment_request()
            .body(body)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!("createOrderPaymentRequest: invalid request: {message}")
        );
        // One violation in the API's shape: the field path apart from the rule.
        let (field, rule) = message.split_once(": ").unwrap();
        let [violation] = error.field_violations() else {
            panic!("one violation: {error:?}");
        };
        assert_eq!(violation.field.as_deref(), Some(field));
        assert_eq!(violation.description.as_deref(), Some(rule));
    }
    // `body_map` and `send_raw` report the same in progenitor's error, and nothing is sent.
    let error = server
        .client()
        .create_order_payment_request()
        .body_map(|_| create_body("", "15.50"))
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid Request: orderPaymentRequest.title: must have at least 1 character"
    );
    assert!(server.recorded().is_empty());
}

#[tokio::test]
async fn an_answer_that_breaks_a_bound_names_the_member_once() {
    let mut request = opr_json(OPR_ID, "ext-1");
    request["title"] = json!("");
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": request}),
    )])
    .await;
    let error = server
        .client()
        .get_order_payment_request()
        .order_payment_request_id(OPR_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err();
    let Error::InvalidResponse { message, .. } = &error else {
        panic!("expected InvalidResponse, got {error:?}");
    };
    assert!(
        message.starts_with("orderPaymentRequest.title: must have at least 1 character"),
        "{message}"
    );
}
