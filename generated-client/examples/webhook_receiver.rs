//! A webhook receiver on the inbox: Wix gets a `200` only once an event is stored in a SQLite
//! file, and a worker marks the merchant's invoice paid, retried until it succeeds.
//!
//! Run it with the app's public key (PEM, from the app dashboard):
//!
//! ```sh
//! WIX_WEBHOOK_PUBLIC_KEY_FILE=wix_app_public_key.pem PORT=3000 INBOX=inbox.db \
//!     cargo run -p wix-order-payment-requests --features axum,sqlite --example webhook_receiver
//! ```
//!
//! `WIX_WEBHOOK_PUBLIC_KEY` may hold the PEM itself instead of a file name. Deliveries go to
//! `POST /webhooks`; `GET /inbox` shows how many events are in each state.
//!
//! Answers: `200` once the event is stored (also for a redelivery of a stored one), `401` when
//! the signature, algorithm or token times are wrong, `400` when the payload is malformed, `413`
//! when the body is over the limit, `503` when the inbox cannot store it (Wix delivers again).
//!
//! # Which events to trust
//!
//! Wix delivers out of order and more than once. The inbox drops redeliveries, and skips an
//! event older (lower `entityEventSequence`) than one already handled for the same request. The
//! status a receiver should act on is the one the `paid`, `expired` and `voided` events carry:
//! each is sent when the status changes, with the whole request after the change. `updated`
//! carries the request too, but an `updated` that arrives after the `paid` it preceded is
//! skipped as stale, so never wait for one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use wix_order_payment_requests::webhooks::inbox::{
    Handler, Inbox, InboxCounts, InboxEvent, SqliteStore,
};
use wix_order_payment_requests::webhooks::{Event, WebhookVerifier};
use wix_order_payment_requests::Status;

/// The merchant's own records, keyed by the `externalId` they gave each payment request when
/// creating it (`NewOrderPaymentRequest::with_external_id`). A real backend keeps these in its
/// database; marking one paid twice must be harmless, since an event may be handled again.
#[derive(Debug, Default, Clone)]
pub struct Invoices {
    status: Arc<Mutex<HashMap<String, Status>>>,
}

impl Invoices {
    /// Records the status Wix reports for the invoice `external_id`.
    pub fn set_status(&self, external_id: &str, status: Status) {
        let mut invoices = self.status.lock().unwrap_or_else(|e| e.into_inner());
        invoices.insert(external_id.to_string(), status);
    }

    /// The last status recorded for `external_id`.
    pub fn status(&self, external_id: &str) -> Option<Status> {
        let invoices = self.status.lock().unwrap_or_else(|e| e.into_inner());
        invoices.get(external_id).cloned()
    }
}

/// The worker's handler: maps each status change back to the merchant's invoice through
/// `source.externalId`. An `Err` makes the inbox try the event again later.
pub fn handler(invoices: Invoices) -> impl Handler {
    move |delivered: InboxEvent| {
        let invoices = invoices.clone();
        async move {
            let (Event::Paid(change) | Event::Expired(change) | Event::Voided(change)) =
                &delivered.event
            else {
                // created / updated / deleted: nothing to do here.
                return Ok(());
            };
            let request = &change.order_payment_request;
            let Some(invoice) = request
                .source
                .as_ref()
                .and_then(|source| source.external_id.as_ref())
            else {
                println!("request {} has no externalId; not ours", request.id);
                return Ok(());
            };
            invoices.set_status(invoice.as_str(), request.status.clone());
            println!("invoice {} is now {}", invoice.as_str(), request.status);
            Ok::<(), std::io::Error>(())
        }
    }
}

/// The receiver's routes: `POST /webhooks` (verify, store, answer) and `GET /inbox` (counts).
pub fn app(inbox: &Inbox) -> Router {
    Router::new()
        .route("/webhooks", inbox.receiver())
        .route("/inbox", get(counts).with_state(inbox.clone()))
}

async fn counts(State(inbox): State<Inbox>) -> Result<Json<InboxCounts>, String> {
    inbox.counts().await.map(Json).map_err(|e| e.to_string())
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
    let path = std::env::var("INBOX").unwrap_or_else(|_| "inbox.db".to_string());

    let inbox = Inbox::new(verifier, SqliteStore::open(&path).await?);
    let workers = inbox.spawn_workers(handler(Invoices::default()));

    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    println!("listening on {}, inbox {path}", listener.local_addr()?);
    axum::serve(listener, app(&inbox))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    workers.shutdown().await;
    Ok(())
}
