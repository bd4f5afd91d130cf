//! What `WixClient::create_once` costs beside a plain `create`, against the in-process
//! emulator: without a shared lock (the in-process lock and the lookup by `externalId`), with
//! a SQLite lock, and with a Postgres lock.
//!
//! Each round times `CALLS` calls of every side in turn, each call with a fresh `externalId`
//! (so every `create_once` looks up, finds nothing and creates). A ratio is the median over
//! rounds of (side p50 / create p50), with the lowest and highest round as its spread.
//!
//! ```text
//! cargo bench -p integration-tests --bench create_once
//! WIX_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5433/postgres ROUNDS=10 CALLS=100 \
//!     cargo bench -p integration-tests --bench create_once
//! ```
//!
//! Without `WIX_TEST_POSTGRES_URL` the Postgres side is left out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::create_lock::{open_lock, CreateLock};
use wix_order_payment_requests::testing::{API_KEY, DOCS_ORDER_ID, SITE_ID};
use wix_order_payment_requests::{types, WixClient};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn new_request() -> types::NewOrderPaymentRequest {
    types::NewOrderPaymentRequest::new(
        DOCS_ORDER_ID.parse().unwrap(),
        "1.00".parse().unwrap(),
        "Balance".parse().unwrap(),
    )
}

/// One side: how it creates.
struct Side {
    name: &'static str,
    client: WixClient,
    /// `false`: plain `create` with the `externalId` in the request.
    once: bool,
    p50_per_round: Vec<Duration>,
    all: Vec<Duration>,
}

impl Side {
    async fn round(&mut self, round: usize, calls: usize) {
        let mut times = Vec::with_capacity(calls);
        for n in 0..calls {
            let external_id: types::SourceExternalId =
                format!("{}-{round}-{n}", self.name).parse().unwrap();
            let start = Instant::now();
            if self.once {
                self.client
                    .create_once(&external_id, new_request())
                    .await
                    .unwrap();
            } else {
                self.client
                    .create(new_request().with_external_id(external_id))
                    .await
                    .unwrap();
            }
            times.push(start.elapsed());
        }
        self.all.extend_from_slice(&times);
        times.sort();
        self.p50_per_round.push(times[times.len() / 2]);
    }
}

async fn postgres_lock() -> Option<Arc<dyn CreateLock>> {
    use sqlx::Connection;
    let url = std::env::var("WIX_TEST_POSTGRES_URL").ok()?;
    let name = format!("create_once_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    Some(open_lock(&format!("{base}/{name}")).await.unwrap())
}

fn main() {
    let rounds = env_or("ROUNDS", 10);
    let calls = env_or("CALLS", 100);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let emulator = Emulator::builder()
            .capacity(1_000_000)
            .start()
            .await
            .unwrap();
        let client = WixClient::builder()
            .base_url(emulator.base_url())
            .api_key(API_KEY)
            .site_id(SITE_ID)
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let sqlite = open_lock(&format!("sqlite:{}", dir.path().join("locks.db").display()))
            .await
            .unwrap();
        let wait = Duration::from_secs(10);
        let mut sides = vec![
            ("create", client.clone(), false),
            ("once", client.clone(), true),
            ("sqlite", client.with_create_lock(sqlite, wait), true),
        ];
        match postgres_lock().await {
            Some(lock) => sides.push(("postgres", client.with_create_lock(lock, wait), true)),
            None => eprintln!("WIX_TEST_POSTGRES_URL is not set: no Postgres side"),
        }
        let mut sides: Vec<Side> = sides
            .into_iter()
            .map(|(name, client, once)| Side {
                name,
                client,
                once,
                p50_per_round: Vec::new(),
                all: Vec::new(),
            })
            .collect();
        for side in &mut sides {
            side.round(usize::MAX, 10).await;
            side.p50_per_round.clear();
            side.all.clear();
        }
        for round in 0..rounds {
            for side in &mut sides {
                side.round(round, calls).await;
            }
        }
        println!("create against create_once: {rounds} rounds x {calls} calls per side");
        println!(
            "{:<9} {:>9} {:>9} {:>15} {:>16}",
            "side", "p50 µs", "p99 µs", "p50 / create", "spread (min–max)"
        );
        let base: Vec<Duration> = sides[0].p50_per_round.clone();
        for side in &mut sides {
            side.all.sort();
            let mut ratios: Vec<f64> = side
                .p50_per_round
                .iter()
                .zip(&base)
                .map(|(s, b)| s.as_secs_f64() / b.as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            let p = |q: f64| side.all[((side.all.len() - 1) as f64 * q) as usize];
            println!(
                "{:<9} {:>9.0} {:>9.0} {:>15.2} {:>7.2}–{:<8.2}",
                side.name,
                p(0.5).as_secs_f64() * 1e6,
                p(0.99).as_secs_f64() * 1e6,
                ratios[ratios.len() / 2],
                ratios[0],
                ratios[ratios.len() - 1]
            );
        }
    });
}
