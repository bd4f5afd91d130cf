//! The docs' sample flow "Send a payment request for an order balance", end to end against an
//! in-process emulator, printing each step:
//!
//! 1. create a payment request for the order's balance, with a unique `source.externalId`;
//! 2. save the payment page URL and send it to the customer;
//! 3. the customer pays on the payment page;
//! 4. the "Order Payment Request Paid" webhook arrives, verified and typed;
//! 5. get the request: `PAID`.
//!
//! Run: `cargo run -p wix-opr-emulator --example send_payment_request`

use std::time::Duration;

use axum::body::Bytes;
use axum::routing::post;
use axum::Router;
use tokio::sync::mpsc;
use wix_opr_emulator::{Emulator, WebhookConfig};
use wix_order_payment_requests::webhooks::{Event, WebhookVerifier};
use wix_order_payment_requests::{raw::Client, types, ClientContext, Credentials};

const ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";
const SITE_ID: &str = "6b4c1e2a-0000-4000-8000-000000000001";

/// Starts a webhook receiver on a free port; verified events go to the returned channel.
async fn start_receiver(
    verifier: WebhookVerifier,
) -> Result<(String, mpsc::UnboundedReceiver<Event>), Box<dyn std::error::Error>> {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/webhooks",
        post(move |body: Bytes| {
            let verifier = verifier.clone();
            let tx = tx.clone();
            async move {
                match verifier.verify(&body) {
                    Ok(event) => {
                        let _ = tx.send(event);
                        axum::http::StatusCode::OK
                    }
                    Err(_) => axum::http::StatusCode::UNAUTHORIZED,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((url, rx))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator signs webhooks with its app key; the receiver verifies with its public key.
    let emu = Emulator::builder()
        .webhooks(WebhookConfig {
            retry_compression: 60_000.0,
            ..WebhookConfig::default()
        })
        .start()
        .await?;
    let verifier = WebhookVerifier::from_rsa_pem(emu.webhooks().public_key_pem().as_bytes())?;
    let (receiver_url, mut events) = start_receiver(verifier).await?;
    emu.webhooks().subscribe(receiver_url.clone())?;
    println!(
        "0. emulator at {}, webhooks to {receiver_url}",
        emu.base_url()
    );

    let client = Client::new(
        &emu.base_url(),
        ClientContext::new(Credentials::api_key_for_site("demo-key", SITE_ID)?),
    );
    let external_id = format!("balance-10052-{}", uuid::Uuid::new_v4().simple());
    let new_request = types::NewOrderPaymentRequest {
        description: Some("Remaining balance for your recent purchase".parse()?),
        ..types::NewOrderPaymentRequest::new(
            ORDER_ID.parse()?,
            "15.50".parse()?,
            "Balance Due for Order #10052".parse()?,
        )
    }
    .with_external_id(external_id.parse()?);
    let created = client
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: new_request,
        })
        .send()
        .await?
        .into_inner();
    let opr = created.order_payment_request;
    let id = opr.id;
    println!(
        "1. created {id}: status {}, amount {}",
        opr.status, opr.amount.formatted_amount
    );

    let url = created.order_payment_request_url.to_string();
    println!("2. saved {url} under externalId {external_id}");
    println!("   sending to the customer: \"Please pay the balance of order #10052: {url}\"");

    let page = reqwest::Client::new()
        .post(&url)
        .form(&[("method", "CARD")])
        .send()
        .await?;
    println!(
        "3. customer paid on the payment page: HTTP {}",
        page.status()
    );

    let paid = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if let Event::Paid(paid) = event {
                return Some(paid);
            }
        }
        None
    })
    .await?
    .ok_or("the receiver stopped")?;
    println!(
        "4. webhook {} verified: request {} is {} (event {}, sequence {})",
        paid.metadata.event_type.as_str(),
        paid.order_payment_request.id,
        paid.order_payment_request.status,
        paid.metadata.event_id.as_deref().unwrap_or("-"),
        paid.metadata
            .entity_event_sequence
            .map_or_else(|| "-".to_string(), |n| n.to_string()),
    );

    let got = client
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await?
        .into_inner()
        .order_payment_request;
    println!("5. get {id} → status {}", got.status);
    Ok(())
}
