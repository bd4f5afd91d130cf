//! The example receiver's router over real HTTP: a signed delivery is answered 200 and handed
//! to the worker queue; duplicates are acknowledged but not handed on; bad tokens get 401/400.

#![cfg(feature = "webhooks")]

#[allow(dead_code)]
#[path = "../../examples/webhook_receiver.rs"]
mod receiver;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::{
    Event, EventPayload, InMemoryLedger, WebhookEventType, WebhookSigner, WebhookVerifier,
};

const APP_PRIVATE: &[u8] = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM.as_bytes();
const APP_PUBLIC: &[u8] = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM.as_bytes();
const WRONG_PRIVATE: &[u8] = wix_order_payment_requests::testing::WRONG_PRIVATE_KEY_PEM.as_bytes();
const REQUEST_JSON: &str = include_str!("../../fixtures/webhooks/order_payment_request.json");

async fn serve() -> (String, mpsc::Receiver<Event>) {
    let (work, events) = mpsc::channel(16);
    let app = receiver::router(
        WebhookVerifier::from_rsa_pem(APP_PUBLIC).unwrap(),
        Arc::new(InMemoryLedger::default()),
        work,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, events)
}

fn paid_body(key: &[u8]) -> String {
    let request: types::OrderPaymentRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    let payload = EventPayload::new(WebhookEventType::WixEcomV1OrderPaymentRequestPaid, request)
        .with_event_id("evt-http-1")
        .with_sequence(1);
    WebhookSigner::from_rsa_pem(key)
        .unwrap()
        .sign_event(&payload, SystemTime::now())
        .unwrap()
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_signed_delivery_is_answered_200_and_handed_to_the_worker() {
    let (url, mut events) = serve().await;
    let body = paid_body(APP_PRIVATE);
    assert_eq!(post(&url, body.clone()).await, 200);
    let event = tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .unwrap()
        .unwrap();
    let Event::Paid(paid) = event else {
        panic!("expected Paid")
    };
    assert_eq!(paid.metadata.event_id.as_deref(), Some("evt-http-1"));
    assert_eq!(
        paid.order_payment_request.order_id,
        wix_order_payment_requests::testing::DOCS_ORDER_ID
            .parse::<uuid::Uuid>()
            .unwrap()
    );

    // The same delivery again: acknowledged, not handed on.
    assert_eq!(post(&url, body).await, 200);
    assert!(
        tokio::time::timeout(Duration::from_millis(200), events.recv())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_delivery_signed_with_another_key_is_answered_401() {
    let (url, mut events) = serve().await;
    assert_eq!(post(&url, paid_body(WRONG_PRIVATE)).await, 401);
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn a_body_that_is_not_a_jwt_is_answered_400() {
    let (url, _events) = serve().await;
    assert_eq!(post(&url, "{\"data\": \"hello\"}").await, 400);
}

#[tokio::test]
async fn an_oversized_body_is_answered_413() {
    let (url, _events) = serve().await;
    let body = vec![b'a'; wix_order_payment_requests::webhooks::MAX_BODY_BYTES + 1];
    assert_eq!(post(&url, body).await, 413);
}
