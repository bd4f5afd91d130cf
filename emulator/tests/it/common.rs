//! Helpers shared by the emulator's tests: a client per site, request bodies, raw HTTP.
#![allow(dead_code)]

use serde_json::{json, Value};
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{raw::Client, types, ClientContext, Credentials};

/// The docs' order: number 10052, USD, unpaid balance.
pub use wix_order_payment_requests::testing::DOCS_ORDER_ID as ORDER;
/// A subscription order in status INITIALIZED, total 20.00.
pub const SUBSCRIPTION_ORDER: &str = "5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/// A subscription order in status APPROVED.
pub const APPROVED_SUBSCRIPTION_ORDER: &str = "0c6a7f0e-8d3b-4b8e-9a51-3f2d7c1e9b40";

/// A generated client for a fresh site of `emu`, and the site id.
pub fn site_client(emu: &Emulator) -> (Client, String) {
    let site = Uuid::new_v4().to_string();
    (client_for(emu, &site), site)
}

/// A generated client for `site`.
pub fn client_for(emu: &Emulator, site: &str) -> Client {
    Client::new(
        &emu.base_url(),
        ClientContext::new(
            Credentials::api_key_for_site("test-key", site).expect("a GUID site id"),
        ),
    )
}

/// A `NewOrderPaymentRequest` for the docs' order with `extra` fields merged in.
pub fn opr(extra: Value) -> types::NewOrderPaymentRequest {
    let mut v = json!({"orderId": ORDER, "amount": {"amount": "15.50"}, "title": "Balance Due for Order #10052"});
    for (k, val) in extra.as_object().expect("object") {
        v[k] = val.clone();
    }
    serde_json::from_value(v).expect("valid order payment request")
}

/// A Bulk Create item for the docs' order with `extra` fields merged in (`extra` must carry
/// `source.externalId`).
pub fn bulk_opr(extra: Value) -> types::NewBulkOrderPaymentRequest {
    serde_json::to_value(opr(extra))
        .and_then(serde_json::from_value)
        .expect("a valid bulk item")
}

/// Creates a payment request through the client and returns it.
pub async fn create(c: &Client, extra: Value) -> types::OrderPaymentRequest {
    c.create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: opr(extra),
        })
        .send()
        .await
        .expect("create")
        .into_inner()
        .order_payment_request
}

/// Voids a payment request through the client (it must succeed).
pub async fn void(c: &Client, id: Uuid) {
    c.void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .expect("void");
}

/// Reads a payment request through the client.
pub async fn get(c: &Client, id: Uuid) -> types::OrderPaymentRequest {
    c.get_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .expect("get")
        .into_inner()
        .order_payment_request
}

/// A raw HTTP call with the test credentials of `site`; returns status and JSON body.
pub async fn raw(
    emu: &Emulator,
    method: reqwest::Method,
    path: &str,
    site: &str,
    body: Option<Value>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let http = reqwest::Client::new();
    let mut req = http
        .request(method, format!("{}{path}", emu.base_url()))
        .header("authorization", "test-key")
        .header("wix-site-id", site);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

/// Pays a request through its payment page's form; returns the HTTP status.
pub async fn pay_on_page(emu: &Emulator, id: Uuid) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/_emulator/pay/{id}", emu.base_url()))
        .form(&[("method", "CARD")])
        .send()
        .await
        .expect("pay")
        .status()
        .as_u16()
}

/// The field paths of a 400's violations.
pub fn violated_fields(body: &Value) -> Vec<String> {
    body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The application error code of an error body.
pub fn app_code(body: &Value) -> Option<&str> {
    body["details"]["applicationError"]["code"].as_str()
}
