//! `wix-opr send --external-id ID --lock URL` as separate processes: started together in
//! rounds, they create exactly one request per `externalId`, with a SQLite lock and with a
//! real Postgres lock; and a `send` SIGKILLed while it holds the lock (its create answered
//! slowly by the emulator) leaves one request, which the next `send` finds.
//!
//! Postgres runs when `WIX_TEST_POSTGRES_URL` names a server (a database of its own per
//! test), and is skipped with a note otherwise, unless `WIX_REQUIRE_POSTGRES=1`.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;

use futures::future::join_all;
use wix_opr_emulator::Emulator;
use wix_opr_emulator::{FaultConfig, FaultKind};
use wix_order_payment_requests::WixClient;

use crate::support::{command, env_for, run, Database, Random, ORDER, SITE};

/// Processes started together per round.
const RACERS: usize = 6;
/// Rounds, one `externalId` each.
const ROUNDS: usize = 6;
/// Holders killed, one `externalId` each (with SQLite, each waits out a lease of 10 s).
const KILL_ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_with_a_sqlite_lock_create_one_request_per_external_id() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("locks.db").display());
    race_in_rounds(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_with_a_postgres_lock_create_one_request_per_external_id() {
    let Some(database) = Database::create("the Postgres send race").await else {
        return;
    };
    race_in_rounds(&database.url).await;
    database.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_killed_while_holding_a_sqlite_lock_leaves_one_request() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("locks.db").display());
    kill_the_holder(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_killed_while_holding_a_postgres_lock_leaves_one_request() {
    let Some(database) = Database::create("the Postgres send kill").await else {
        return;
    };
    kill_the_holder(&database.url).await;
    database.drop().await;
}

/// `send` with `--external-id` and `--lock` against `emulator`.
fn send_args<'a>(external_id: &'a str, lock: &'a str) -> Vec<&'a str> {
    vec![
        "send",
        "--order-id",
        ORDER,
        "--amount",
        "1.00",
        "--title",
        "Balance",
        "--external-id",
        external_id,
        "--lock",
        lock,
    ]
}

fn env(emulator: &Emulator) -> Vec<(&'static str, String)> {
    env_for(emulator)
}

async fn race_in_rounds(lock: &str) {
    // Every answer held back 100 ms, so that without the shared lock the processes' lookups
    // would all run before any create is stored.
    let slow = FaultConfig::new(1.0, 3, vec![FaultKind::Slow], Duration::from_millis(100))
        .expect("a valid fault configuration");
    let emulator = Emulator::builder().faults(slow).start().await.unwrap();
    let env = env(&emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for round in 0..ROUNDS {
        let external_id = format!("race-{round}");
        let args = send_args(&external_id, lock);
        let runs = join_all((0..RACERS).map(|_| run(&args, &env, ""))).await;
        let answers: Vec<serde_json::Value> = runs.into_iter().map(|r| r.ok().json()).collect();
        let ids: HashSet<&str> = answers.iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(ids.len(), 1, "round {round}: {answers:#?}");
        let created = answers.iter().filter(|a| a["created"] == true).count();
        assert_eq!(created, 1, "round {round}: {answers:#?}");
    }
    let wix = client(&emulator);
    for round in 0..ROUNDS {
        let held = wix
            .find_all_by_external_id(&format!("race-{round}").parse().unwrap())
            .await
            .unwrap();
        assert_eq!(held.len(), 1, "race-{round}: {held:#?}");
    }
    assert_eq!(emulator.payment_request_count(), ROUNDS);
}

/// Rounds of: a `send` that is SIGKILLed at a random moment of its lookup or its create
/// (every answer held back 400 ms; a create is stored before its answer is held), then
/// another `send` with the same `externalId`, which must end with the one request.
async fn kill_the_holder(lock: &str) {
    let slow = FaultConfig::new(1.0, 7, vec![FaultKind::Slow], Duration::from_millis(400))
        .expect("a valid fault configuration");
    let emulator = Emulator::builder().faults(slow).start().await.unwrap();
    let env = env(&emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut random = Random::from_env();
    eprintln!("kill moments from seed {} (WIX_TEST_SEED)", random.seed);
    let mut killed_after_create = 0;
    for round in 0..KILL_ROUNDS {
        let external_id = format!("kill-{round}");
        let before = emulator.payment_request_count();
        let mut holder = command(&send_args(&external_id, lock), &env)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The lookup takes 400 ms, the create's answer another 400 ms.
        tokio::time::sleep(Duration::from_millis(random.below(150, 1000))).await;
        holder.start_kill().unwrap();
        let status = holder.wait().await.unwrap();
        if status.success() {
            eprintln!("round {round}: the holder finished before the kill");
        } else if emulator.payment_request_count() > before {
            killed_after_create += 1;
        }
        let next = tokio::time::timeout(
            Duration::from_secs(60),
            run(&send_args(&external_id, lock), &env, ""),
        )
        .await
        .expect("the next send gets the lock once the holder is gone")
        .ok()
        .json();
        let held = client(&emulator)
            .find_all_by_external_id(&external_id.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(held.len(), 1, "{external_id}: {held:#?}");
        assert_eq!(next["id"], held[0].id.to_string());
    }
    eprintln!(
        "{killed_after_create} of {KILL_ROUNDS} holders were killed after their create was stored"
    );
}

fn client(emulator: &Emulator) -> WixClient {
    WixClient::builder()
        .base_url(emulator.base_url())
        .api_key("test-key")
        .site_id(SITE)
        .build()
        .unwrap()
}
