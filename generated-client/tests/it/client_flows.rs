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

fn new_request() -> types::OrderPaymentRequest {
    types::OrderPaymentRequest {
        order_id: Some(ORDER_ID.parse().unwrap()),
        amount: Some(types::Price {
            amount: Some("15.50".parse().unwrap()),
            formatted_amount: None,
        }),
        title: Some("Balance Due for Order #10052".parse().unwrap()),
        source: Some(types::Source {
            app_id: None,
            external_id: Some("invoice-10052-1".parse().unwrap()),
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_keeps_the_url_and_amounts_stay_exact() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "invoice-10052-1"), "orderPaymentRequestUrl": URL}),
    )])
    .await;
    let created = wix(&server).create(new_request()).await.unwrap();
    assert_eq!(
        created
            .order_payment_request_url
            .as_ref()
            .unwrap()
            .to_string(),
        URL
    );
    let sent = server.single().json();
    assert_eq!(
        sent["orderPaymentRequest"]["amount"]["amount"],
        json!("15.50")
    );
    let amount = created
        .order_payment_request
        .as_ref()
        .unwrap()
        .amount
        .as_ref()
        .unwrap()
        .amount
        .unwrap();
    assert_eq!(amount.to_string(), "15.50");
    assert_eq!(
        serde_json::to_value(&created).unwrap()["orderPaymentRequest"]["amount"]["amount"],
        json!("15.50")
    );
}

#[tokio::test]
async fn create_missing_required_fields_is_refused_before_sending() {
    let server = TestServer::start(vec![]).await;
    let error = wix(&server)
        .create(types::OrderPaymentRequest {
            order_id: Some(ORDER_ID.parse().unwrap()),
            amount: Some(types::Price::default()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let fields: Vec<_> = error
        .field_violations()
        .iter()
        .map(|v| v.field.clone().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "orderPaymentRequest.title",
            "orderPaymentRequest.amount.amount"
        ]
    );
    assert_eq!(
        error.to_string(),
        "createOrderPaymentRequest: invalid request: orderPaymentRequest.title: is required; \
         orderPaymentRequest.amount.amount: is required"
    );
    assert!(server.recorded().is_empty());
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
        .bulk_create(vec![new_request(); 101], true)
        .await
        .unwrap_err();
    assert_eq!(error.field_violations().len(), 1);
    let mut no_external = new_request();
    no_external.source = None;
    let error = wix
        .bulk_create(vec![new_request(), no_external], true)
        .await
        .unwrap_err();
    assert_eq!(
        error.field_violations()[0].field.as_deref(),
        Some("orderPaymentRequests[1].source.externalId")
    );
    assert!(server.recorded().is_empty());
}

#[tokio::test]
async fn update_fills_the_path_and_the_body_id() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "e")}),
    )])
    .await;
    let patch = types::OrderPaymentRequest {
        title: Some("New title".parse().unwrap()),
        ..Default::default()
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
        .update(OPR_ID.parse().unwrap(), new_request())
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
    let url = wix.get_url(unpaid[0].id.unwrap()).await.unwrap();
    assert_eq!(url, URL);
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
