//! Every error answer has Wix's shape (`{"message", "details": {}}` and `X-Wix-Request-Id`), also
//! for unknown routes, wrong methods, malformed HTTP and oversized bodies; slow or unfinished
//! requests are cut off instead of holding a connection forever.

use crate::common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use uuid::Uuid;
use wix_opr_emulator::{Emulator, Limits};

/// Far more than any timeout under test; only a hung connection reaches it.
const GENEROUS: Duration = Duration::from_secs(30);

/// Asserts a Wix-shaped error answer: JSON `{"message": <string>, "details": {}}` and a request id.
fn assert_wix_shaped(status: u16, body: &Value, headers: &reqwest::header::HeaderMap) {
    assert!(
        headers.contains_key("x-wix-request-id"),
        "{status}: no request id"
    );
    assert!(
        headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "{status}: {headers:?}"
    );
    assert!(body["message"].is_string(), "{status}: {body}");
    assert_eq!(body["details"], json!({}), "{status}: {body}");
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_in_wix_shape() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let (status, body, headers) =
        raw(&emu, Method::GET, "/ecom/v1/nothing-here", &site, None).await;
    assert_eq!(status, 404);
    assert_wix_shaped(status, &body, &headers);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("/ecom/v1/nothing-here"),
        "{body}"
    );

    let (status, body, headers) = raw(
        &emu,
        Method::PUT,
        "/ecom/v1/order-payment-requests/void",
        &site,
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 405);
    assert_wix_shaped(status, &body, &headers);
    assert!(headers.contains_key("allow"), "{headers:?}");

    // An extractor's own refusal (a path segment that is not a GUID on the payment page).
    let (status, body, headers) =
        raw(&emu, Method::GET, "/_emulator/pay/not-a-guid", "", None).await;
    assert_eq!(status, 400);
    assert_wix_shaped(status, &body, &headers);

    // Bodies that are not JSON, or too large, in Wix's shape too.
    let (status, body, headers) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests",
        &site,
        Some(json!({"orderPaymentRequest": {"orderId": ORDER, "title": "x".repeat(3 << 20)}})),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_wix_shaped(status, &body, &headers);
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn messages_of_unknown_routes_and_wrong_methods_name_the_route() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let (status, body, _) = raw(&emu, Method::DELETE, "/ecom/v1/nothing-here", &site, None).await;
    assert_eq!(status, 404);
    assert_eq!(
        body["message"],
        "No such route: DELETE /ecom/v1/nothing-here."
    );
    let (status, body, headers) = raw(
        &emu,
        Method::PUT,
        "/ecom/v1/order-payment-requests/void?x=1",
        &site,
        None,
    )
    .await;
    assert_eq!(status, 405);
    assert_eq!(
        body["message"],
        "/ecom/v1/order-payment-requests/void does not accept PUT; the Allow header lists what \
         it accepts."
    );
    assert_eq!(headers["allow"], "POST");
}

#[tokio::test]
async fn every_answer_carries_its_own_request_id() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4().to_string();
    let mut seen = std::collections::HashSet::new();
    for path in [
        "/_emulator/clock",
        "/ecom/v1/nothing-here",
        "/ecom/v1/order-payment-requests/3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f",
        "/ecom/v1/order-payment-requests/not-a-guid",
    ] {
        let (status, _, headers) = raw(&emu, Method::GET, path, &site, None).await;
        let id = headers
            .get("x-wix-request-id")
            .unwrap_or_else(|| panic!("{path} ({status}): no request id"))
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{path}: {id}"
        );
        assert!(seen.insert(id), "{path}: a request id came twice");
    }
}

#[tokio::test]
async fn the_body_limit_is_the_emulators_own() {
    // Above the 2 MiB that extractors apply by default, within the emulator's limit: the body is
    // read and checked (its title is too long), not refused for its size.
    let emu = Emulator::builder()
        .limits(Limits {
            max_body_bytes: 4 << 20,
            ..Limits::default()
        })
        .start()
        .await
        .unwrap();
    let site = Uuid::new_v4().to_string();
    let big = json!({"orderPaymentRequest": {
        "orderId": ORDER, "title": "x".repeat(3 << 20), "amount": {"amount": "1.00"}
    }});
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests",
        &site,
        Some(big),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["details"]["validationError"]["fieldViolations"][0]["field"],
        "orderPaymentRequest.title",
        "{body}"
    );

    // Past a small limit: 413 with the limit in its message, and the connection closes.
    let emu = Emulator::builder()
        .limits(Limits {
            max_body_bytes: 64,
            ..Limits::default()
        })
        .start()
        .await
        .unwrap();
    let (status, body, headers) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/query",
        &site,
        Some(json!({"query": {"filter": {"title": "x".repeat(100)}}})),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["message"], "The request body is larger than 64 bytes.");
    assert_wix_shaped(status, &body, &headers);
    assert_eq!(headers["connection"], "close");
    // Within it, the same route answers.
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/query",
        &site,
        Some(json!({"query": {}})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_payment_page_keeps_its_html_answers() {
    let emu = Emulator::start().await.unwrap();
    let res = reqwest::get(format!(
        "{}/_emulator/pay/{}",
        emu.base_url(),
        Uuid::new_v4()
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

/// Sends raw bytes on a new connection and reads until the server closes it.
async fn exchange(emu: &Emulator, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(emu.local_addr()).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    read_to_close(&mut stream).await
}

/// Everything the server sends until it closes the connection (a reset counts as closed).
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let read = tokio::time::timeout(GENEROUS, async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the connection is still open; received so far: {}",
        String::from_utf8_lossy(&received)
    );
    String::from_utf8_lossy(&received).into_owned()
}

/// Splits an HTTP/1.1 answer into its status, lower-cased head and JSON body.
fn parse_answer(answer: &str) -> (u16, String, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer:?}"));
    (status, head.to_ascii_lowercase(), body)
}

fn assert_raw_wix_shaped(head: &str, body: &Value) {
    assert!(head.contains("\r\nx-wix-request-id: "), "{head}");
    assert!(
        head.contains("\r\ncontent-type: application/json"),
        "{head}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(body["details"], json!({}), "{body}");
}

#[tokio::test]
async fn malformed_http_answers_in_wix_shape() {
    let emu = Emulator::start().await.unwrap();
    for request in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /ecom/v1/order-payment-requests HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
    ] {
        let answer = exchange(&emu, request).await;
        let (status, head, body) = parse_answer(&answer);
        assert_eq!(status, 400, "{answer}");
        assert_raw_wix_shaped(&head, &body);
    }
    // The server still answers well-formed requests afterwards.
    let (status, _, _) = raw(&emu, Method::GET, "/_emulator/clock", "", None).await;
    assert_eq!(status, 200);
}

fn short_timeouts() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_request_whose_head_never_ends_is_cut_off() {
    let emu = Emulator::builder()
        .limits(short_timeouts())
        .start()
        .await
        .unwrap();
    let answer = exchange(
        &emu,
        b"POST /ecom/v1/order-payment-requests HTTP/1.1\r\nHost: x\r\nauthorization: k\r\n",
    )
    .await;
    assert!(!answer.starts_with("HTTP/1.1 2"), "{answer}");
}

#[tokio::test]
async fn a_request_whose_body_never_ends_is_refused_and_cut_off() {
    let emu = Emulator::builder()
        .limits(short_timeouts())
        .start()
        .await
        .unwrap();
    let site = Uuid::new_v4();
    let head = format!(
        "POST /ecom/v1/order-payment-requests HTTP/1.1\r\nHost: x\r\nauthorization: k\r\n\
         wix-site-id: {site}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n"
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(br#"{"orderPay"#);
    let answer = exchange(&emu, &request).await;
    let (status, head, body) = parse_answer(&answer);
    assert_eq!(status, 408, "{answer}");
    assert_raw_wix_shaped(&head, &body);
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn a_request_that_arrives_in_time_is_served_on_a_connection_with_timeouts() {
    let emu = Emulator::builder()
        .limits(short_timeouts())
        .start()
        .await
        .unwrap();
    let answer = exchange(
        &emu,
        b"GET /_emulator/clock HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
