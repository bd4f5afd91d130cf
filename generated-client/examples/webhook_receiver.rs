//! A webhook receiver: verifies each delivery, answers at once, and processes the event on a
//! separate task.
//!
//! Wix waits 1250 ms for a `200` and otherwise delivers again (up to 12 more times), so the
//! handler does only what must happen before answering: verify the JWT (well under a
//! millisecond), drop duplicates and stale updates, queue the event. Everything slow (database
//! writes, calls back to Wix, e-mails) happens on the worker task.
//!
//! Run it with the app's public key (PEM, from the app dashboard):
//!
//! ```sh
//! WIX_WEBHOOK_PUBLIC_KEY_FILE=wix_app_public_key.pem PORT=3000 \
//!     cargo run -p wix-order-payment-requests --example webhook_receiver
//! ```
//!
//! `WIX_WEBHOOK_PUBLIC_KEY` may hold the PEM itself instead of a file name. Deliveries go to
//! `POST /webhooks`.
//!
//! Answers: `200` for a verified event (also for a duplicate or stale one, so Wix stops
//! retrying it), `401` when the signature, algorithm or token times are wrong, `400` when the
//! payload is malformed, `413` when the body is over the limit, `503` when the work queue is full
//! (Wix will retry).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use tokio::sync::mpsc;
use wix_order_payment_requests::webhooks::{
    Event, EventLedger, InMemoryLedger, LedgerOutcome, WebhookVerifier,
};

/// What the handler needs: the verifier, the ledger and the queue of the worker task.
#[derive(Clone)]
pub struct ReceiverState {
    verifier: WebhookVerifier,
    ledger: Arc<dyn EventLedger>,
    work: mpsc::Sender<Event>,
}

/// The receiver's routes: `POST /webhooks`. Verified new events go to `work`.
pub fn router(
    verifier: WebhookVerifier,
    ledger: Arc<dyn EventLedger>,
    work: mpsc::Sender<Event>,
) -> Router {
    let limit = verifier.max_body_bytes();
    Router::new()
        .route("/webhooks", post(receive))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(ReceiverState {
            verifier,
            ledger,
            work,
        })
}

async fn receive(State(state): State<ReceiverState>, body: Bytes) -> (StatusCode, &'static str) {
    let event = match state.verifier.verify(&body) {
        Ok(event) => event,
        Err(error) => {
            // The message names what failed and never contains key material.
            eprintln!("refused webhook: {error}");
            let status =
                StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            return (status, "refused");
        }
    };
    match state.ledger.check_event(&event) {
        LedgerOutcome::New => {}
        LedgerOutcome::Duplicate | LedgerOutcome::Stale { .. } => {
            return (StatusCode::OK, "ignored")
        }
    }
    match state.work.try_send(event) {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
    }
}

/// The worker: where the slow part of handling an event belongs.
async fn process(mut events: mpsc::Receiver<Event>) {
    while let Some(event) = events.recv().await {
        let meta = event.metadata();
        match &event {
            Event::Paid(paid) => println!(
                "order payment request {} of order {} was paid",
                paid.order_payment_request.id, paid.order_payment_request.order_id
            ),
            Event::Expired(e) | Event::Voided(e) => println!(
                "order payment request {} is now {}",
                e.order_payment_request.id, e.order_payment_request.status
            ),
            other => println!(
                "{} for {} (event {}, sequence {})",
                other.event_type(),
                meta.entity_id.as_deref().unwrap_or("-"),
                meta.event_id.as_deref().unwrap_or("-"),
                meta.entity_event_sequence
                    .map_or_else(|| "-".to_string(), |n| n.to_string())
            ),
        }
    }
}

fn public_key() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    if let Ok(pem) = std::env::var("WIX_WEBHOOK_PUBLIC_KEY") {
        return Ok(pem.into_bytes());
    }
    let path = std::env::var("WIX_WEBHOOK_PUBLIC_KEY_FILE").map_err(|_| {
        "set WIX_WEBHOOK_PUBLIC_KEY (PEM) or WIX_WEBHOOK_PUBLIC_KEY_FILE (path to the PEM)"
    })?;
    Ok(std::fs::read(path)?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = WebhookVerifier::from_rsa_pem(&public_key()?)?;
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let (work, events) = mpsc::channel(1024);
    tokio::spawn(process(events));
    let app = router(verifier, Arc::new(InMemoryLedger::default()), work);
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
