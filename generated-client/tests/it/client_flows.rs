//! The high-level calls of the documented flows, client-side validation, money on the wire,
//! error display, and the tracing span of each call.

use crate::client_common;
use crate::support;

use std::sync::Arc;

use client_common::{client, opr_json, policy, RecordingSleeper, OPR_ID, ORDER_ID, URL};
use serde_json::json;
use support::{Scripted, TestServer};
use wix_order_payment_requests::error_codes::UpdateOrderPaymentRequestErrorCode;
use wix_order_payment_requests::{types, Error, WixClient};

fn wix(server: &TestServer) -> WixClient {
    client(server, policy(2, &Arc::new(RecordingSleeper::default())))
}

fn new_request() -> types::NewOrderPaymentRequest {
    client_common::new_request(Some("invoice-10052-1"))
}

#[tokio::test]
async fn create_keeps_the_url_and_amounts_stay_exact() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "invoice-10052-1"), "orderPaymentRequestUrl": URL}),
    )])
    .await;
    let created = wix(&server).create(new_request()).await.unwrap();
    assert_eq!(created.url.to_string(), URL);
    let sent = server.single().json();
    assert_eq!(
        sent["orderPaymentRequest"]["amount"]["amount"],
        json!("15.50")
    );
    let amount = created.request.amount.amount;
    assert_eq!(amount.to_string(), "15.50");
    assert_eq!(
        serde_json::to_value(&created.request).unwrap()["amount"]["amount"],
        json!("15.50")
    );
}

#[test]
fn the_generated_builder_refuses_a_create_body_without_its_required_fields() {
    let incomplete: Result<types::NewOrderPaymentRequest, _> =
        types::NewOrderPaymentRequest::builder()
            .order_id(ORDER_ID.parse::<uuid::Uuid>().unwrap())
            .amount(types::NewPrice {
                amount: "15.50".parse().unwrap(),
            })
            .try_into();
    let error = incomplete.unwrap_err().to_string();
    assert!(error.contains("title"), "{error}");
    let complete: types::NewOrderPaymentRequest = types::NewOrderPaymentRequest::builder()
        .order_id(ORDER_ID.parse::<uuid::Uuid>().unwrap())
        .amount(types::NewPrice {
            amount: "15.50".parse().unwrap(),
        })
        .title("Balance Due for Order #10052")
        .try_into()
        .unwrap();
    assert_eq!(complete, new_request_without_source());
}

fn new_bulk_item() -> types::NewBulkOrderPaymentRequest {
    types::NewBulkOrderPaymentRequest::new(
        ORDER_ID.parse().unwrap(),
        "15.50".parse().unwrap(),
        "Balance Due for Order #10052".parse().unwrap(),
        "invoice-10052-1".parse().unwrap(),
    )
}

fn new_request_without_source() -> types::NewOrderPaymentRequest {
    types::NewOrderPaymentRequest {
        source: None,
        ..new_request()
    }
}

#[tokio::test]
async fn bulk_create_counts_and_external_ids_are_checked() {
    let server = TestServer::start(vec![]).await;
    let wix = wix(&server);
    let error = wix.bulk_create(vec![], true).await.unwrap_err();
    assert_eq!(
        error.field_violations()[0].field.as_deref(),
        Some("orderPaymentRequests")
    );
    let error = wix
        .bulk_create(vec![new_bulk_item(); 101], true)
        .await
        .unwrap_err();
    assert_eq!(error.field_violations().len(), 1);
    assert!(server.recorded().is_empty());
}

#[tokio::test]
async fn update_fills_the_path_and_the_body_id() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "e")}),
    )])
    .await;
    let patch = types::OrderPaymentRequestPatch {
        title: Some("New title".parse().unwrap()),
        ..types::OrderPaymentRequestPatch::new(uuid::Uuid::nil())
    };
    wix(&server)
        .update(OPR_ID.parse().unwrap(), patch)
        .await
        .unwrap();
    let request = server.single();
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        request.path,
        format!("/ecom/v1/order-payment-requests/{OPR_ID}")
    );
    assert_eq!(
        request.json(),
        json!({"orderPaymentRequest": {"id": OPR_ID, "title": "New title"}})
    );
}

#[tokio::test]
async fn update_sends_an_amount_and_lets_the_api_answer() {
    let server = TestServer::start(vec![Scripted::json(
        428,
        json!({"message": "amount can't change", "details": {"applicationError": {
            "code": "CANNOT_UPDATE_ORDER_PAYMENT_REQUEST_AMOUNT",
            "description": "amount can't change"
        }}}),
    )])
    .await;
    let error = wix(&server)
        .update(
            OPR_ID.parse().unwrap(),
            types::OrderPaymentRequestPatch {
                amount: Some(
                    "15.50"
                        .parse::<wix_order_payment_requests::Amount>()
                        .unwrap()
                        .into(),
                ),
                ..types::OrderPaymentRequestPatch::new(OPR_ID.parse().unwrap())
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(&UpdateOrderPaymentRequestErrorCode::CannotUpdateOrderPaymentRequestAmount)
    );
    let request = server.single();
    assert_eq!(
        request.json()["orderPaymentRequest"]["amount"]["amount"],
        "15.50"
    );
}

#[tokio::test]
async fn retrieve_and_resend_flow() {
    let server = TestServer::start(vec![
        Scripted::json(
            200,
            json!({"orderPaymentRequests": [opr_json(OPR_ID, "e")], "pagingMetadata": {"count": 1, "hasNext": false}}),
        ),
        Scripted::json(200, json!({"orderPaymentRequestUrl": URL})),
    ])
    .await;
    let wix = wix(&server);
    let unpaid = wix
        .find_unpaid_for_order(ORDER_ID.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(unpaid.len(), 1);
    let url = wix.get_url(unpaid[0].id).await.unwrap();
    assert_eq!(url.as_str(), URL);
    let recorded = server.recorded();
    assert_eq!(
        recorded[0].json(),
        json!({"query": {
            "filter": {"orderId": ORDER_ID, "status": "UNPAID"},
            "sort": [{"fieldName": "createdDate", "order": "DESC"}],
        }})
    );
}

#[tokio::test]
async fn void_delete_and_charge_send_the_documented_requests() {
    let server = TestServer::start(vec![
        Scripted::json(200, json!({})),
        Scripted::json(200, json!({})),
        Scripted::json(200, json!({"paymentResponseToken": "prt-1"})),
    ])
    .await;
    let wix = wix(&server);
    let id = OPR_ID.parse().unwrap();
    wix.void(id).await.unwrap();
    wix.delete(id).await.unwrap();
    assert_eq!(
        wix.charge(id, "tok").await.unwrap().as_deref(),
        Some("prt-1")
    );
    let recorded = server.recorded();
    assert_eq!(recorded[0].path, "/ecom/v1/order-payment-requests/void");
    assert_eq!(recorded[0].json(), json!({"orderPaymentRequestId": OPR_ID}));
    assert_eq!(recorded[1].method.as_str(), "DELETE");
    assert_eq!(
        recorded[2].json(),
        json!({"orderPaymentRequestId": OPR_ID, "paymentToken": "tok"})
    );
}

#[tokio::test]
async fn api_errors_display_one_line_with_the_request_id() {
    let server = TestServer::start(vec![Scripted::json(
        404,
        json!({"message": "not found", "details": {"applicationError": {
            "code": "ORDER_PAYMENT_REQUEST_NOT_FOUND", "description": "Order payment request not found"}}}),
    )])
    .await;
    let error = wix(&server).get(OPR_ID.parse().unwrap()).await.unwrap_err();
    let text = error.to_string();
    assert!(!text.contains('\n'));
    assert!(text.contains("(request id req-1234567890)"), "{text}");
    assert!(matches!(error, Error::Api(_)));
    assert_eq!(
        error.code().unwrap().to_string(),
        "ORDER_PAYMENT_REQUEST_NOT_FOUND"
    );
}

/// The `InvalidResponse` parts of `error`: status, request id, message and raw body.
fn invalid_response<C: wix_order_payment_requests::ApplicationErrorCode>(
    error: Error<C>,
) -> (u16, Option<String>, String, String) {
    match error {
        Error::InvalidResponse {
            status,
            request_id,
            message,
            body,
            ..
        } => (
            status.as_u16(),
            request_id,
            message,
            String::from_utf8(body.to_vec()).unwrap(),
        ),
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_response_without_a_guaranteed_field_is_an_error_naming_it() {
    let mut without_id = opr_json(OPR_ID, "invoice-10052-1");
    without_id.as_object_mut().unwrap().remove("id");
    let body = json!({ "orderPaymentRequest": without_id });
    let server = TestServer::start(vec![Scripted::json(200, body.clone())]).await;
    let error = wix(&server).get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("req-1234567890"));
    let shown = error.to_string();
    let (status, request_id, message, raw) = invalid_response(error);
    assert_eq!(
        (status, request_id.as_deref()),
        (200, Some("req-1234567890"))
    );
    assert!(
        message.starts_with("orderPaymentRequest: missing field `id`"),
        "{message}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&raw).unwrap(),
        body
    );
    assert!(
        shown.starts_with(
            "getOrderPaymentRequest: HTTP 200 OK response does not match the spec: \
             orderPaymentRequest: missing field `id`"
        ) && shown.ends_with("(request id req-1234567890)"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_missing_nested_or_top_level_guarantee_is_named_by_its_path() {
    let mut no_formatted_amount = opr_json(OPR_ID, "invoice-10052-1");
    no_formatted_amount["amount"]
        .as_object_mut()
        .unwrap()
        .remove("formattedAmount");
    let server = TestServer::start(vec![
        Scripted::json(200, json!({ "orderPaymentRequest": no_formatted_amount })),
        Scripted::json(200, json!({})),
        Scripted::json(200, json!({})),
    ])
    .await;
    let wix = wix(&server);
    let (_, _, message, _) = invalid_response(
        wix.update(
            OPR_ID.parse().unwrap(),
            types::OrderPaymentRequestPatch::new(OPR_ID.parse().unwrap()),
        )
        .await
        .unwrap_err(),
    );
    assert!(
        message.starts_with("orderPaymentRequest.amount: missing field `formattedAmount`"),
        "{message}"
    );
    let (_, _, message, raw) =
        invalid_response(wix.get_url(OPR_ID.parse().unwrap()).await.unwrap_err());
    assert!(
        message.starts_with("missing field `orderPaymentRequestUrl`"),
        "{message}"
    );
    assert_eq!(raw, "{}");
    let (_, _, message, _) = invalid_response(wix.get(OPR_ID.parse().unwrap()).await.unwrap_err());
    assert!(
        message.starts_with("missing field `orderPaymentRequest`"),
        "{message}"
    );
    assert_eq!(
        server.recorded().len(),
        3,
        "an invalid answer is not retried"
    );
}
