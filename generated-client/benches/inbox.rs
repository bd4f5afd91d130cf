//! The webhook inbox: how long `Inbox::accept` takes on each store beside the bare
//! `WebhookVerifier::verify` it starts with, and how many stored events the workers hand to a
//! handler per second.
//!
//! Accept latency runs in rounds; each round times `CALLS` calls of every side in turn
//! (verify, memory, SQLite, Postgres), each call with a fresh pre-signed delivery, so the
//! sides share the machine's state minute by minute. It reports each side's p50/p99 over all
//! rounds and, per side, the median over rounds of (side p50 / verify p50) with its spread.
//!
//! Throughput stores `EVENTS` events in each store, then starts workers (default
//! `InboxConfig`, a handler that does nothing) and times until all are done.
//!
//! ```text
//! cargo bench -p wix-order-payment-requests --features sqlite,postgres --bench inbox
//! WIX_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5433/postgres ROUNDS=10 CALLS=200 EVENTS=2000 \
//!     cargo bench -p wix-order-payment-requests --features sqlite,postgres --bench inbox
//! ```
//!
//! Without `WIX_TEST_POSTGRES_URL` the Postgres side is left out. Each run uses a fresh SQLite
//! file in a temporary directory and a fresh Postgres database.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use wix_order_payment_requests::testing::{APP_PRIVATE_KEY_PEM, APP_PUBLIC_KEY_PEM};
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::inbox::{
    open_store, Inbox, InboxEvent, InboxStore, MemoryStore,
};
use wix_order_payment_requests::webhooks::{
    EventPayload, WebhookEventType, WebhookSigner, WebhookVerifier,
};

const REQUEST_JSON: &str = include_str!("../fixtures/webhooks/order_payment_request.json");

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` deliveries with distinct event ids, signed now.
fn deliveries(prefix: &str, n: usize) -> Vec<String> {
    let signer = WebhookSigner::from_rsa_pem(APP_PRIVATE_KEY_PEM.as_bytes()).unwrap();
    let request: types::OrderPaymentRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    (0..n)
        .map(|i| {
            let payload = EventPayload::new(
                WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
                request.clone(),
            )
            .with_event_id(format!("{prefix}-{i}"))
            .with_entity_id(format!("opr-{prefix}-{i}"))
            .with_sequence(1);
            signer.sign_event(&payload, SystemTime::now()).unwrap()
        })
        .collect()
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_rsa_pem(APP_PUBLIC_KEY_PEM.as_bytes()).unwrap()
}

/// One side of the accept comparison.
struct Side {
    name: &'static str,
    /// `None` is the bare verify.
    inbox: Option<Inbox>,
    latencies: Vec<Duration>,
    p50_per_round: Vec<Duration>,
}

impl Side {
    async fn run_round(&mut self, round: usize, calls: usize) {
        let bodies = deliveries(&format!("{}-{round}", self.name), calls);
        let verifier = verifier();
        let mut round_latencies = Vec::with_capacity(calls);
        for body in &bodies {
            let start = Instant::now();
            match &self.inbox {
                None => {
                    std::hint::black_box(verifier.verify(body.as_bytes()).unwrap());
                }
                Some(inbox) => {
                    std::hint::black_box(inbox.accept(body.as_bytes()).await.unwrap());
                }
            }
            round_latencies.push(start.elapsed());
        }
        self.latencies.extend_from_slice(&round_latencies);
        round_latencies.sort();
        self.p50_per_round.push(percentile(&round_latencies, 0.50));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// A fresh Postgres database on the server `url` names; its URL.
async fn fresh_postgres(url: &str) -> String {
    use sqlx::Connection;
    let name = format!("inbox_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{name}")
}

async fn stores(dir: &std::path::Path) -> Vec<(&'static str, Arc<dyn InboxStore>)> {
    let mut stores: Vec<(&'static str, Arc<dyn InboxStore>)> = vec![
        ("memory", Arc::new(MemoryStore::new(1_000_000))),
        (
            "sqlite",
            open_store(&format!("sqlite:{}", dir.join("bench.db").display()))
                .await
                .unwrap(),
        ),
    ];
    if let Ok(url) = std::env::var("WIX_TEST_POSTGRES_URL") {
        let db = fresh_postgres(&url).await;
        stores.push(("postgres", open_store(&db).await.unwrap()));
    } else {
        eprintln!("WIX_TEST_POSTGRES_URL is not set: no Postgres side");
    }
    stores
}

async fn accept_latency(dir: &std::path::Path, rounds: usize, calls: usize) {
    let mut sides = vec![Side {
        name: "verify",
        inbox: None,
        latencies: Vec::new(),
        p50_per_round: Vec::new(),
    }];
    for (name, store) in stores(dir).await {
        sides.push(Side {
            name,
            inbox: Some(Inbox::with_shared_store(verifier(), store)),
            latencies: Vec::new(),
            p50_per_round: Vec::new(),
        });
    }
    // One warm-up round, not counted.
    for side in &mut sides {
        side.run_round(usize::MAX, calls.min(20)).await;
        side.latencies.clear();
        side.p50_per_round.clear();
    }
    for round in 0..rounds {
        for side in &mut sides {
            side.run_round(round, calls).await;
        }
    }
    println!("accept latency: {rounds} rounds x {calls} calls per side");
    println!(
        "{:<8} {:>10} {:>10} {:>14} {:>18}",
        "side", "p50 µs", "p99 µs", "p50 / verify", "spread (min–max)"
    );
    let verify_p50s = sides[0].p50_per_round.clone();
    for side in &mut sides {
        side.latencies.sort();
        let mut ratios: Vec<f64> = side
            .p50_per_round
            .iter()
            .zip(&verify_p50s)
            .map(|(side, verify)| side.as_secs_f64() / verify.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        println!(
            "{:<8} {:>10.0} {:>10.0} {:>14.2} {:>8.2}–{:<8.2}",
            side.name,
            micros(percentile(&side.latencies, 0.50)),
            micros(percentile(&side.latencies, 0.99)),
            median,
            ratios[0],
            ratios[ratios.len() - 1]
        );
    }
}

async fn throughput(dir: &std::path::Path, events: usize) {
    println!("\nhandled events per second: {events} stored events, default InboxConfig (4 handlers), no-op handler");
    let bodies = deliveries("throughput", events);
    for (name, store) in stores(&dir.join("throughput")).await {
        let inbox = Inbox::with_shared_store(verifier(), store);
        for body in &bodies {
            inbox.accept(body.as_bytes()).await.unwrap();
        }
        let start = Instant::now();
        let workers =
            inbox.spawn_workers(|_event: InboxEvent| async { Ok::<(), std::io::Error>(()) });
        loop {
            if inbox.counts().await.unwrap().done as usize >= events {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let elapsed = start.elapsed();
        workers.shutdown().await;
        println!(
            "{name:<8} {:>10.0} events/s ({events} in {:.2} s)",
            events as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64()
        );
    }
}

fn main() {
    let rounds = env_or("ROUNDS", 10);
    let calls = env_or("CALLS", 200);
    let events = env_or("EVENTS", 2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("throughput")).unwrap();
    runtime.block_on(async {
        let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        if only.as_deref().is_none_or(|o| o == "accept") {
            accept_latency(dir.path(), rounds, calls).await;
        }
        if only.as_deref().is_none_or(|o| o == "throughput") {
            throughput(dir.path(), events).await;
        }
    });
}
