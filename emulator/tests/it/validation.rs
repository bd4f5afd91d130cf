//! Validation, authentication and tenancy as Wix does them: every bad field named in one 400,
//! 401 without `Authorization`, an error for both tenant headers, one site never sees another's.

use crate::common;

use common::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{raw::Client, ClientContext, Credentials};

const CREATE: &str = "/ecom/v1/order-payment-requests";

#[tokio::test]
async fn create_names_every_bad_field_at_once() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let (status, body, headers) = raw(
        &emu,
        Method::POST,
        CREATE,
        &site,
        Some(json!({"orderPaymentRequest": {
            "orderId": "not-a-guid",
            "title": "x".repeat(201),
            "description": "d".repeat(301),
            "amount": {"amount": "1000000000000000.01"},
            "blockedPaymentMethods": ["MANUAL", "MANUAL"],
            "image": {"altText": "a".repeat(201)},
        }})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(headers.contains_key("x-wix-request-id"));
    let mut fields = violated_fields(&body);
    fields.sort();
    assert_eq!(
        fields,
        [
            "orderPaymentRequest.amount.amount",
            "orderPaymentRequest.blockedPaymentMethods",
            "orderPaymentRequest.description",
            "orderPaymentRequest.image.altText",
            "orderPaymentRequest.orderId",
            "orderPaymentRequest.title",
        ]
    );
    assert_eq!(emu.payment_request_count(), 0, "nothing stored");

    let (status, body, _) = raw(
        &emu,
        Method::POST,
        CREATE,
        &site,
        Some(json!({"orderPaymentRequest": {}})),
    )
    .await;
    assert_eq!(status, 400);
    let mut fields = violated_fields(&body);
    fields.sort();
    assert_eq!(
        fields,
        [
            "orderPaymentRequest.amount",
            "orderPaymentRequest.orderId",
            "orderPaymentRequest.title",
        ]
    );
}

#[tokio::test]
async fn the_decimal_range_and_exact_amounts() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    for bad in ["-1", "1e3", "12.3.4", "abc", "10000000000000000"] {
        let (status, body, _) = raw(
            &emu,
            Method::POST,
            CREATE,
            &site,
            Some(json!({"orderPaymentRequest": {
            "orderId": ORDER, "title": "t", "amount": {"amount": bad}}})),
        )
        .await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(
            violated_fields(&body),
            ["orderPaymentRequest.amount.amount"],
            "{bad}"
        );
    }
    for good in ["0", "1000000000000000", "0.10", "15.50"] {
        let opr = create(&c, json!({"amount": {"amount": good}})).await;
        assert_eq!(opr.amount.amount.to_string(), good);
    }
}

#[tokio::test]
async fn bulk_limits_and_item_paths() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let path = "/ecom/v1/bulk/order-payment-requests/create";
    let item = json!({"orderId": ORDER, "title": "t", "amount": {"amount": "1"}, "source": {"externalId": "e"}});
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        path,
        &site,
        Some(json!({"orderPaymentRequests": []})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequests"]);
    let many: Vec<_> = (0..101).map(|_| item.clone()).collect();
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        path,
        &site,
        Some(json!({"orderPaymentRequests": many})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequests"]);
    let mut bad = item.clone();
    bad["title"] = json!("");
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        path,
        &site,
        Some(json!({"orderPaymentRequests": [item, bad]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequests[1].title"]);
    let hundred: Vec<_> = (0..100).map(|_| json!({"orderId": ORDER, "title": "t", "amount": {"amount": "1"}, "source": {"externalId": "e"}})).collect();
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        path,
        &site,
        Some(json!({"orderPaymentRequests": hundred})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["bulkActionMetadata"]["totalSuccesses"], 100);
}

#[tokio::test]
async fn path_ids_limits_and_cursors_are_checked() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let (status, body, _) = raw(
        &emu,
        Method::GET,
        "/ecom/v1/order-payment-requests/not-a-guid",
        &site,
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequestId"]);
    let query = "/ecom/v1/order-payment-requests/query";
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        query,
        &site,
        Some(json!({"query": {"cursorPaging": {"limit": 101}}})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["query.cursorPaging.limit"]);
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        query,
        &site,
        Some(json!({"query": {"cursorPaging": {"cursor": "c".repeat(16001)}}})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["query.cursorPaging.cursor"]);
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/void",
        &site,
        Some(json!({"orderPaymentRequestId": "nope"})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequestId"]);
    let (status, _, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/void",
        &site,
        Some(json!("not an object")),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn malformed_json_is_a_wix_shaped_400() {
    let emu = Emulator::start().await.unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}{CREATE}", emu.base_url()))
        .header("authorization", "k")
        .header("wix-site-id", Uuid::new_v4().to_string())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.headers().contains_key("x-wix-request-id"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn authentication_and_tenant_headers() {
    let emu = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!(
        "{}/ecom/v1/order-payment-requests/{}",
        emu.base_url(),
        Uuid::new_v4()
    );
    let res = http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.headers().contains_key("x-wix-request-id"));
    let res = http
        .get(&url)
        .header("authorization", "k")
        .header("wix-site-id", Uuid::new_v4().to_string())
        .header("wix-account-id", Uuid::new_v4().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(violated_fields(&body), ["wix-site-id"]);
}

#[tokio::test]
async fn restricted_keys_refuse_others() {
    let emu = Emulator::builder()
        .api_keys(["good-key"])
        .start()
        .await
        .unwrap();
    let site = Uuid::new_v4().to_string();
    let good = Client::new(
        &emu.base_url(),
        ClientContext::new(Credentials::api_key_for_site("good-key", &site).unwrap()),
    );
    let bad = Client::new(
        &emu.base_url(),
        ClientContext::new(Credentials::api_key_for_site("other", &site).unwrap()),
    );
    create(&good, json!({})).await;
    let err = bad
        .create_order_payment_request()
        .body(
            wix_order_payment_requests::types::CreateOrderPaymentRequestRequest {
                order_payment_request: opr(json!({})),
            },
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 401);
}

#[tokio::test]
async fn each_site_is_its_own_tenant() {
    let emu = Emulator::start().await.unwrap();
    let (a, _) = site_client(&emu);
    let (b, b_site) = site_client(&emu);
    let id = create(&a, json!({})).await.id;
    let err = b
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 404);
    let err = b
        .void_order_payment_request()
        .body(
            wix_order_payment_requests::types::VoidOrderPaymentRequestRequest {
                order_payment_request_id: id,
            },
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 404);
    let (_, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/query",
        &b_site,
        Some(json!({"query": {}})),
    )
    .await;
    assert_eq!(
        body["orderPaymentRequests"].as_array().map_or(0, Vec::len),
        0,
        "{body}"
    );
    assert_eq!(body["pagingMetadata"]["count"], 0);
    assert_eq!(get(&a, id).await.id, id);
}
