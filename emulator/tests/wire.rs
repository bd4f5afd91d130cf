//! Wire-level rules that the typed client cannot produce: bad input, missing auth, headers.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wix_opr_emulator::Emulator;

/// Sends one raw HTTP/1.1 request; returns (status, raw head, body).
async fn raw(
    emu: &Emulator,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, String, serde_json::Value) {
    let host = emu.base_url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    (
        status,
        head.to_ascii_lowercase(),
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

const AUTH: &str = "Authorization: key\r\nwix-site-id: 6b4c1e2a-0000-4000-8000-000000000001\r\n";

#[tokio::test]
async fn missing_authorization_is_401_with_request_id() {
    let emu = Emulator::start().await.unwrap();
    let (status, head, _) = raw(
        &emu,
        "GET",
        "/ecom/v1/order-payment-requests/3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f",
        "",
        "",
    )
    .await;
    assert_eq!(status, 401);
    assert!(head.contains("x-wix-request-id:"));
}

#[tokio::test]
async fn both_tenant_headers_are_rejected() {
    let emu = Emulator::start().await.unwrap();
    let h = format!("{AUTH}wix-account-id: 6b4c1e2a-0000-4000-8000-000000000002\r\n");
    let (status, _, _) = raw(
        &emu,
        "GET",
        "/ecom/v1/order-payment-requests/3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f",
        &h,
        "",
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn every_bad_field_is_reported_at_once() {
    let emu = Emulator::start().await.unwrap();
    let body = r#"{"orderPaymentRequest":{"orderId":"not-a-guid","title":"","amount":{}}}"#;
    let (status, _, json) = raw(&emu, "POST", "/ecom/v1/order-payment-requests", AUTH, body).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> = json["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "orderPaymentRequest.title",
            "orderPaymentRequest.orderId",
            "orderPaymentRequest.amount.amount"
        ]
    );
}

#[tokio::test]
async fn spec_create_example_gets_a_schema_valid_response() {
    let emu = Emulator::start().await.unwrap();
    let body = r#"{"orderPaymentRequest":{"orderId":"a931e280-254a-49a7-9641-22ef64c444ae","amount":{"amount":"15.50"},"title":"Balance Due for Order #10052","description":"Remaining balance for your recent purchase","expirationDate":"2999-07-15T23:59:59.000Z"}}"#;
    let (status, _, json) = raw(&emu, "POST", "/ecom/v1/order-payment-requests", AUTH, body).await;
    assert_eq!(status, 200);
    let typed: wix_order_payment_requests::types::CreateOrderPaymentRequestResponse =
        serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), json);
}

#[tokio::test]
async fn payment_page_shows_request_and_hides_manual_when_blocked() {
    let emu = Emulator::start().await.unwrap();
    let body = r#"{"orderPaymentRequest":{"orderId":"a931e280-254a-49a7-9641-22ef64c444ae","amount":{"amount":"15.50"},"title":"Balance <Due>","description":"Rest","blockedPaymentMethods":["MANUAL"]}}"#;
    let (_, _, json) = raw(&emu, "POST", "/ecom/v1/order-payment-requests", AUTH, body).await;
    let url = json["orderPaymentRequestUrl"].as_str().unwrap();
    let path = &url[emu.base_url().len()..];
    let host = emu.base_url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"));
    assert!(
        out.contains("Balance &lt;Due&gt;") && out.contains("$15.50") && out.contains("id=\"pay\"")
    );
    assert!(!out.contains("MANUAL"));
}
