//! Every operation over real HTTP against a local server: method, path, headers and the exact
//! JSON on the wire, and decoding of the spec's documented responses (plus fields and enum
//! values the spec does not know yet).

use crate::support;

use serde_json::{json, Value};
use support::{Scripted, TestServer, API_KEY, SITE_ID};
use wix_order_payment_requests::{raw::Client, types, PaymentMethod, SortOrder, Status};

use wix_order_payment_requests::testing::DOCS_ORDER_ID as ORDER_ID;
const REQUEST_ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
const ACCOUNT_ID: &str = "9d1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f";

/// The response example the spec gives for `operation_path` (a JSON pointer into the spec).
fn spec_example(pointer: &str) -> Value {
    let text = include_str!("../../../spec/openapi.yaml");
    let spec: Value = serde_yaml::from_str(text).unwrap();
    spec.pointer(pointer)
        .unwrap_or_else(|| panic!("spec has no example at {pointer}"))
        .clone()
}

fn create_response_example() -> Value {
    spec_example(
        "/paths/~1ecom~1v1~1order-payment-requests/post/responses/200/content/application~1json/example",
    )
}

fn assert_common_headers(recorded: &support::Recorded) {
    assert_eq!(recorded.header("accept"), Some("application/json"));
    // No `api-version`: Wix documents no such header and its JS SDK sends none (the generator's
    // default one, our spec's `info.version`, is left out).
    assert_eq!(recorded.header("api-version"), None);
    assert_eq!(recorded.header("authorization"), Some(API_KEY));
    assert_eq!(recorded.header("wix-site-id"), Some(SITE_ID));
    assert_eq!(recorded.header("wix-account-id"), None);
}

fn assert_json_post(recorded: &support::Recorded, method: &str, path: &str) {
    assert_eq!(recorded.method.as_str(), method);
    assert_eq!(recorded.path, path);
    assert_eq!(recorded.header("content-type"), Some("application/json"));
    assert_common_headers(recorded);
}

/// An order payment request as the API returns it, with the fields it always carries.
fn opr_json(id: &str) -> Value {
    json!({
        "id": id, "status": "UNPAID", "orderId": ORDER_ID, "title": "Balance Due for Order #10052",
        "amount": {"amount": "15.50", "formattedAmount": "$15.50"}, "currency": "USD",
        "createdDate": "2026-06-01T14:22:18.456Z", "updatedDate": "2026-06-01T14:22:18.456Z",
    })
}

/// [`docs_request`] as a Bulk Create item.
fn docs_bulk_item() -> types::NewBulkOrderPaymentRequest {
    serde_json::to_value(docs_request())
        .and_then(serde_json::from_value)
        .unwrap()
}

fn docs_request() -> types::NewOrderPaymentRequest {
    types::NewOrderPaymentRequest {
        description: Some(
            "Remaining balance for your recent purchase"
                .parse()
                .unwrap(),
        ),
        expiration_date: Some("2026-07-15T23:59:59.000Z".parse().unwrap()),
        blocked_payment_methods: vec![PaymentMethod::Manual],
        ..types::NewOrderPaymentRequest::new(
            ORDER_ID.parse().unwrap(),
            "15.50".parse().unwrap(),
            "Balance Due for Order #10052".parse().unwrap(),
        )
    }
    .with_external_id("invoice-10052-1".parse().unwrap())
}

#[tokio::test]
async fn create_sends_the_documented_body_and_keeps_the_payment_url() {
    let server = TestServer::start(vec![Scripted::json(200, create_response_example())]).await;
    let response = server
        .client()
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: docs_request(),
        })
        .send()
        .await
        .unwrap();

    let sent = server.single();
    assert_json_post(&sent, "POST", "/ecom/v1/order-payment-requests");
    assert_eq!(
        sent.json(),
        json!({
            "orderPaymentRequest": {
                "orderId": ORDER_ID,
                "amount": {"amount": "15.50"},
                "title": "Balance Due for Order #10052",
                "description": "Remaining balance for your recent purchase",
                "expirationDate": "2026-07-15T23:59:59Z",
                "source": {"externalId": "invoice-10052-1"},
                "blockedPaymentMethods": ["MANUAL"]
            }
        })
    );

    assert_eq!(response.status(), 200);
    let created = response.into_inner();
    let url = created.order_payment_request_url;
    assert_eq!(
        url.to_string(),
        "https://www.examplestore.com/payment-request-page/3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f"
    );
    let opr = created.order_payment_request;
    assert_eq!(opr.id.to_string(), REQUEST_ID);
    assert_eq!(opr.status, Status::Unpaid);
    assert_eq!(opr.currency, "USD");
    let amount = opr.amount;
    assert_eq!(amount.amount.to_string(), "15.50");
    assert_eq!(amount.formatted_amount, "$15.50");
    assert_eq!(
        opr.created_date.to_rfc3339(),
        "2026-06-01T14:22:18.456+00:00"
    );
}

#[tokio::test]
async fn responses_with_unknown_fields_and_enum_values_still_decode_and_round_trip() {
    let mut body = create_response_example();
    body["orderPaymentRequest"]["status"] = json!("PARTIALLY_REFUNDED");
    body["orderPaymentRequest"]["blockedPaymentMethods"] = json!(["MANUAL", "CRYPTO"]);
    body["orderPaymentRequest"]["brandNewField"] = json!({"nested": [1, 2, 3]});
    body["somethingElse"] = json!(true);
    let server = TestServer::start(vec![Scripted::json(200, body)]).await;

    let created = server
        .client()
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: docs_request(),
        })
        .send()
        .await
        .expect("unknown fields and values must not break decoding")
        .into_inner();
    let opr = created.order_payment_request;
    assert_eq!(
        opr.status,
        Status::Unknown("PARTIALLY_REFUNDED".to_string())
    );
    assert!(opr.status.is_unknown());
    assert_eq!(
        opr.blocked_payment_methods,
        vec![
            PaymentMethod::Manual,
            PaymentMethod::Unknown("CRYPTO".into())
        ]
    );
    let again = serde_json::to_value(&opr).unwrap();
    assert_eq!(again["status"], "PARTIALLY_REFUNDED");
    assert_eq!(again["blockedPaymentMethods"], json!(["MANUAL", "CRYPTO"]));
}

#[tokio::test]
async fn bulk_create_sends_items_and_return_entity() {
    let answer = json!({
        "results": [
            {"itemMetadata": {"id": REQUEST_ID, "originalIndex": 0, "success": true},
             "item": {"orderPaymentRequest": opr_json(REQUEST_ID),
                      "orderPaymentRequestUrl": "https://example.com/pay/1"}},
            {"itemMetadata": {"originalIndex": 1, "success": false,
                              "error": {"code": "ORDER_NOT_FOUND", "description": "Order not found"}}}
        ],
        "bulkActionMetadata": {"totalSuccesses": 1, "totalFailures": 1, "undetailedFailures": 0}
    });
    let server = TestServer::start(vec![Scripted::json(200, answer)]).await;
    let response = server
        .client()
        .bulk_create_order_payment_requests()
        .body(types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests: vec![docs_bulk_item(), docs_bulk_item()],
            return_entity: true,
        })
        .send()
        .await
        .unwrap()
        .into_inner();

    let sent = server.single();
    assert_json_post(&sent, "POST", "/ecom/v1/bulk/order-payment-requests/create");
    let body = sent.json();
    assert_eq!(body["returnEntity"], true);
    assert_eq!(body["orderPaymentRequests"].as_array().unwrap().len(), 2);
    assert_eq!(body["orderPaymentRequests"][1]["amount"]["amount"], "15.50");

    assert_eq!(response.results.len(), 2);
    let failed = response.results[1].item_metadata.as_ref().unwrap();
    assert_eq!(failed.success, Some(false));
    assert_eq!(
        failed.error.as_ref().unwrap().code.as_deref(),
        Some("ORDER_NOT_FOUND")
    );
    let meta = response.bulk_action_metadata.unwrap();
    assert_eq!(
        (meta.total_successes, meta.total_failures),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn get_puts_the_id_in_the_path() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": create_response_example()["orderPaymentRequest"]}),
    )])
    .await;
    let got = server
        .client()
        .get_order_payment_request()
        .order_payment_request_id(REQUEST_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    let sent = server.single();
    assert_eq!(sent.method.as_str(), "GET");
    assert_eq!(
        sent.path,
        format!("/ecom/v1/order-payment-requests/{REQUEST_ID}")
    );
    assert!(sent.body.is_empty());
    assert_common_headers(&sent);
    assert_eq!(
        got.order_payment_request.title.to_string(),
        "Balance Due for Order #10052"
    );
}

#[tokio::test]
async fn update_sends_the_id_in_path_and_body_with_only_the_changed_fields() {
    let example = spec_example(
        "/paths/~1ecom~1v1~1order-payment-requests~1{orderPaymentRequestId}/patch/responses/200/content/application~1json/example",
    );
    let server = TestServer::start(vec![Scripted::json(200, example)]).await;
    let id: uuid::Uuid = REQUEST_ID.parse().unwrap();
    let updated = server
        .client()
        .update_order_payment_request()
        .order_payment_request_id(id)
        .body(types::UpdateOrderPaymentRequestRequest {
            order_payment_request: types::OrderPaymentRequestPatch {
                title: Some("Updated Balance Due for Order #10052".parse().unwrap()),
                description: Some(
                    "Please complete your payment at your earliest convenience"
                        .parse()
                        .unwrap(),
                ),
                ..types::OrderPaymentRequestPatch::new(id)
            },
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let sent = server.single();
    assert_json_post(
        &sent,
        "PATCH",
        &format!("/ecom/v1/order-payment-requests/{REQUEST_ID}"),
    );
    assert_eq!(
        sent.json(),
        json!({"orderPaymentRequest": {
            "id": REQUEST_ID,
            "title": "Updated Balance Due for Order #10052",
            "description": "Please complete your payment at your earliest convenience"
        }})
    );
    assert_eq!(
        updated.order_payment_request.title.to_string(),
        "Updated Balance Due for Order #10052"
    );
}

#[tokio::test]
async fn delete_sends_no_body_and_accepts_an_empty_object() {
    let server = TestServer::start(vec![Scripted::json(200, json!({}))]).await;
    server
        .client()
        .delete_order_payment_request()
        .order_payment_request_id(REQUEST_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap();
    let sent = server.single();
    assert_eq!(sent.method.as_str(), "DELETE");
    assert_eq!(
        sent.path,
        format!("/ecom/v1/order-payment-requests/{REQUEST_ID}")
    );
    assert_common_headers(&sent);
}

#[tokio::test]
async fn query_sends_wql_and_decodes_paging_metadata() {
    let answer = json!({
        "orderPaymentRequests": [create_response_example()["orderPaymentRequest"]],
        "pagingMetadata": {"count": 1, "cursors": {"next": "abc"}, "hasNext": true}
    });
    let server = TestServer::start(vec![Scripted::json(200, answer)]).await;
    let mut filter = serde_json::Map::new();
    filter.insert("orderId".into(), json!(ORDER_ID));
    filter.insert("status".into(), json!({"$in": ["UNPAID", "EXPIRED"]}));
    let page = server
        .client()
        .query_order_payment_requests()
        .body(types::QueryOrderPaymentRequestsRequest {
            query: types::CursorQuery {
                filter,
                sort: vec![types::Sorting {
                    field_name: Some("createdDate".parse().unwrap()),
                    order: Some(SortOrder::Desc),
                }],
                cursor_paging: Some(types::CursorPaging {
                    limit: Some(50),
                    cursor: None,
                }),
            },
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let sent = server.single();
    assert_json_post(&sent, "POST", "/ecom/v1/order-payment-requests/query");
    assert_eq!(
        sent.json(),
        json!({"query": {
            "filter": {"orderId": ORDER_ID, "status": {"$in": ["UNPAID", "EXPIRED"]}},
            "sort": [{"fieldName": "createdDate", "order": "DESC"}],
            "cursorPaging": {"limit": 50}
        }})
    );
    assert_eq!(page.order_payment_requests.len(), 1);
    let paging = page.paging_metadata.unwrap();
    assert_eq!(paging.has_next, Some(true));
    assert_eq!(
        paging
            .cursors
            .unwrap()
            .next
            .map(|c| c.to_string())
            .as_deref(),
        Some("abc")
    );
}

#[tokio::test]
async fn get_url_void_and_charge_send_the_id_in_the_body() {
    let server = TestServer::start(vec![
        Scripted::json(
            200,
            json!({"orderPaymentRequestUrl": "https://example.com/pay/1"}),
        ),
        Scripted::json(200, json!({})),
        Scripted::json(200, json!({"paymentResponseToken": "prt-1"})),
    ])
    .await;
    let client = server.client();
    let id: uuid::Uuid = REQUEST_ID.parse().unwrap();

    let url = client
        .get_order_payment_request_url()
        .body(types::GetOrderPaymentRequestUrlRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        url.order_payment_request_url.to_string(),
        "https://example.com/pay/1"
    );
    client
        .void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .unwrap();
    let charged = client
        .charge_order_payment_request()
        .body(types::ChargeOrderPaymentRequestRequest {
            order_payment_request_id: id,
            payment_token: Some("tok-1".parse().unwrap()),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        charged
            .payment_response_token
            .map(|t| t.to_string())
            .as_deref(),
        Some("prt-1")
    );

    let sent = server.recorded();
    assert_json_post(&sent[0], "POST", "/ecom/v1/order-payment-requests/url");
    assert_eq!(sent[0].json(), json!({"orderPaymentRequestId": REQUEST_ID}));
    assert_json_post(&sent[1], "POST", "/ecom/v1/order-payment-requests/void");
    assert_eq!(sent[1].json(), json!({"orderPaymentRequestId": REQUEST_ID}));
    assert_json_post(&sent[2], "POST", "/ecom/v1/order-payment-requests/charge");
    assert_eq!(
        sent[2].json(),
        json!({"orderPaymentRequestId": REQUEST_ID, "paymentToken": "tok-1"})
    );
}

#[tokio::test]
async fn update_extended_fields_posts_namespace_data() {
    let mut entity = opr_json(REQUEST_ID);
    entity["extendedFields"] = json!({"namespaces": {"@my-app/crm": {"ticket": "T-1"}}});
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({ "orderPaymentRequest": entity }),
    )])
    .await;
    let mut data = serde_json::Map::new();
    data.insert("ticket".into(), json!("T-1"));
    let response = server
        .client()
        .update_extended_fields()
        .id(REQUEST_ID)
        .body(types::UpdateExtendedFieldsRequest {
            id: REQUEST_ID.parse().unwrap(),
            namespace: "@my-app/crm".parse().unwrap(),
            namespace_data: data,
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let sent = server.single();
    assert_json_post(
        &sent,
        "POST",
        &format!("/ecom/v1/order-payment-requests/{REQUEST_ID}/update-extended-fields"),
    );
    assert_eq!(
        sent.json(),
        json!({"id": REQUEST_ID, "namespace": "@my-app/crm", "namespaceData": {"ticket": "T-1"}})
    );
    let namespaces = response
        .order_payment_request
        .extended_fields
        .unwrap()
        .namespaces;
    assert_eq!(namespaces["@my-app/crm"]["ticket"], "T-1");
}

#[tokio::test]
async fn account_level_credentials_send_the_account_header_only() {
    use wix_order_payment_requests::{ClientContext, Credentials};
    let server = TestServer::start(vec![Scripted::json(200, json!({}))]).await;
    let client = Client::new(
        &server.base_url,
        ClientContext::new(Credentials::api_key_for_account("acct-key", ACCOUNT_ID).unwrap()),
    );
    client
        .void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: REQUEST_ID.parse().unwrap(),
        })
        .send()
        .await
        .unwrap();
    let sent = server.single();
    assert_eq!(sent.header("authorization"), Some("acct-key"));
    assert_eq!(sent.header("wix-account-id"), Some(ACCOUNT_ID));
    assert_eq!(sent.header("wix-site-id"), None);
}
