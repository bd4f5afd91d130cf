//! The example receiver over real HTTP, on a SQLite inbox: a signed delivery is answered 200
//! once stored and its invoice is marked paid by the worker; a redelivery is answered 200 and
//! not handled again; bad tokens get 401/400/413; a store that cannot take the event gets 503.

#![cfg(all(feature = "axum", feature = "sqlite"))]

#[allow(dead_code)]
#[path = "../../examples/webhook_receiver.rs"]
mod receiver;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::inbox::{Inbox, MemoryStore, SqliteStore, Workers};
use wix_order_payment_requests::webhooks::{
    EventPayload, WebhookEventType, WebhookSigner, WebhookVerifier,
};
use wix_order_payment_requests::Status;

const APP_PRIVATE: &[u8] = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM.as_bytes();
const APP_PUBLIC: &[u8] = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM.as_bytes();
const WRONG_PRIVATE: &[u8] = wix_order_payment_requests::testing::WRONG_PRIVATE_KEY_PEM.as_bytes();
const REQUEST_JSON: &str = include_str!("../../fixtures/webhooks/order_payment_request.json");

/// The receiver on 127.0.0.1:0 with its workers, and the invoices they update.
struct Served {
    url: String,
    inbox: Inbox,
    invoices: receiver::Invoices,
    workers: Workers,
    _dir: tempfile::TempDir,
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("inbox.db"))
        .await
        .unwrap();
    serve_inbox(Inbox::new(verifier(), store), dir).await
}

async fn serve_inbox(inbox: Inbox, dir: tempfile::TempDir) -> Served {
    let invoices = receiver::Invoices::default();
    let workers = inbox.spawn_workers(receiver::handler(invoices.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let app = receiver::app(&inbox);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served {
        url,
        inbox,
        invoices,
        workers,
        _dir: dir,
    }
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_rsa_pem(APP_PUBLIC).unwrap()
}

/// A `paid` delivery for a request created with `externalId` `invoice`.
fn paid_body(key: &[u8], event_id: &str, invoice: &str) -> String {
    let mut request: types::OrderPaymentRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    request.status = Status::Paid;
    request.source = Some(types::Source {
        app_id: None,
        external_id: Some(invoice.parse().unwrap()),
    });
    let payload = EventPayload::new(WebhookEventType::WixEcomV1OrderPaymentRequestPaid, request)
        .with_event_id(event_id)
        .with_sequence(1);
    WebhookSigner::from_rsa_pem(key)
        .unwrap()
        .sign_event(&payload, SystemTime::now())
        .unwrap()
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn until_paid(invoices: &receiver::Invoices, invoice: &str) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while invoices.status(invoice) != Some(Status::Paid) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the worker marks the invoice paid");
}

#[tokio::test]
async fn a_signed_delivery_is_stored_answered_200_and_marks_its_invoice_paid() {
    let served = serve().await;
    let body = paid_body(APP_PRIVATE, "evt-http-1", "invoice-10052");
    assert_eq!(
        post(&served.url, body.clone()).await,
        (200, "stored".into())
    );
    until_paid(&served.invoices, "invoice-10052").await;

    // The same delivery again: acknowledged, not handled again.
    assert_eq!(post(&served.url, body).await, (200, "duplicate".into()));
    let counts = served.inbox.counts().await.unwrap();
    assert_eq!((counts.pending, counts.done), (0, 1));
    served.workers.shutdown().await;
}

#[tokio::test]
async fn a_delivery_signed_with_another_key_is_answered_401_and_not_stored() {
    let served = serve().await;
    let body = paid_body(WRONG_PRIVATE, "evt-forged", "invoice-1");
    assert_eq!(post(&served.url, body).await.0, 401);
    let counts = served.inbox.counts().await.unwrap();
    assert_eq!(counts.pending + counts.done, 0);
}

#[tokio::test]
async fn a_body_that_is_not_a_jwt_is_answered_400() {
    let served = serve().await;
    assert_eq!(post(&served.url, "{\"data\": \"hello\"}").await.0, 400);
}

#[tokio::test]
async fn an_oversized_body_is_answered_413() {
    let served = serve().await;
    let body = vec![b'a'; wix_order_payment_requests::webhooks::MAX_BODY_BYTES + 1];
    assert_eq!(post(&served.url, body).await.0, 413);
}

#[tokio::test]
async fn a_store_that_cannot_take_the_event_is_answered_503_and_wix_may_retry() {
    // Capacity 1 and no worker progress between the posts: the second cannot be stored.
    let inbox = Inbox::with_shared_store(verifier(), Arc::new(MemoryStore::new(1)));
    let served = serve_inbox(inbox, tempfile::tempdir().unwrap()).await;
    served.workers.shutdown().await;
    let first = paid_body(APP_PRIVATE, "evt-1", "invoice-1");
    assert_eq!(post(&served.url, first).await.0, 200);
    let second = paid_body(APP_PRIVATE, "evt-2", "invoice-2");
    assert_eq!(
        post(&served.url, second.clone()).await,
        (503, "store unavailable".into())
    );

    // Once there is room, Wix's next try is stored.
    let workers = served
        .inbox
        .spawn_workers(receiver::handler(served.invoices.clone()));
    until_paid(&served.invoices, "invoice-1").await;
    assert_eq!(post(&served.url, second).await.0, 200);
    until_paid(&served.invoices, "invoice-2").await;
    workers.shutdown().await;
}
