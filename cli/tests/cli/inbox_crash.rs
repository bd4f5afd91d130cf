//! `listen` on a durable inbox, killed with SIGKILL at random moments while the emulator
//! delivers hundreds of events: every event Wix got a `200` for reaches the application, and
//! each kill repeats at most one. Then two replicas on one Postgres inbox behind a round-robin
//! proxy, every event delivered three times: each event reaches the application through one
//! replica only.
//!
//! SQLite always runs. Postgres runs when `WIX_TEST_POSTGRES_URL` names a server (each test
//! creates its own database there); without it those tests are skipped with a note, unless
//! `WIX_REQUIRE_POSTGRES=1`, which makes them fail. `WIX_TEST_SEED` repeats a run's choice of
//! kill moments and application delays.

use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Router;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use tokio::sync::oneshot;
use uuid::Uuid;
use wix_opr_emulator::webhooks::{EmitEvents as _, WebhookConfig, WebhookEventType, WebhookHub};
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::testing::unpaid_request;
use wix_order_payment_requests::webhooks::inbox::{open_store, InboxCounts};
use wix_order_payment_requests::webhooks::WebhookVerifier;

use crate::support::{command, public_key_file, Database, Random, SITE};

/// Events the emulator emits in a crash test.
const EVENTS: usize = 320;
/// Times listen is killed in a crash test.
const KILLS: usize = 6;
/// Events the emulator emits in the replica test (each delivered twice).
const REPLICA_EVENTS: usize = 200;
/// `--lease` of every listen: short, so that a restarted listen claims the event its killed
/// predecessor held soon.
const LEASE: &str = "2s";
/// How long any one wait may last before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);
/// Wix's retry schedule divided by this: 1 min becomes 3 ms, 12 h about 2 s; every retry of a
/// delivery lands within about 11 s.
const RETRY_COMPRESSION: f64 = 20_000.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_inbox_loses_nothing_when_listen_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = format!("sqlite:{}", dir.path().join("inbox.db").display());
    kill_and_restart(&inbox).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_inbox_loses_nothing_when_listen_is_killed() {
    let Some(database) = Database::create("listen_killed").await else {
        return;
    };
    kill_and_restart(&database.url).await;
    database.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_replicas_behind_a_balancer_handle_each_event_once() {
    let Some(database) = Database::create("replicas").await else {
        return;
    };
    two_replicas(&database.url).await;
    database.drop().await;
}

/// Emits [`EVENTS`] while killing listen [`KILLS`] times, then checks what the application got.
async fn kill_and_restart(inbox: &str) {
    let started = Instant::now();
    let mut random = Random::from_env();
    let app = App::start(random.next()).await;
    let port = free_port();
    let key = public_key_file();
    let forward_to = format!("{}/app", app.url);
    let log = Log::default();
    let listen = || Listen::start(port, inbox, &forward_to, key.to_str().unwrap(), &log);
    let mut running = listen().await;
    let emulator = emulator_for(format!("http://127.0.0.1:{port}/webhooks")).await;
    let hub = Arc::clone(emulator.webhooks());

    let emitter = tokio::spawn(emit(Arc::clone(&hub), EVENTS, Duration::from_millis(20)));
    let mut kills = 0;
    while kills < KILLS {
        tokio::time::sleep(Duration::from_millis(random.below(300, 1200))).await;
        running.kill().await;
        kills += 1;
        running = listen().await;
    }
    let emitted = within("the emitter to finish", emitter)
        .await
        .unwrap()
        .event_ids;
    within("the emulator's deliveries to settle", hub.idle()).await;

    let delivered = delivered_ids(&hub);
    let failed_attempts = hub
        .deliveries()
        .iter()
        .filter(|d| !d.outcome.is_delivered())
        .count();
    let counts = settled(inbox, &app, &delivered).await;
    running.kill().await;

    let seen = app.counts();
    let duplicates = seen.values().filter(|&&n| n >= 2).count();
    report_log(&log);
    let missing: Vec<_> = delivered.difference(&app.ids()).cloned().collect();
    let unknown: Vec<_> = app.ids().difference(&emitted).cloned().collect();
    eprintln!(
        "{}: {} events emitted, {} delivered (answered 200), {failed_attempts} failed \
         attempts, {} given up by the emulator, {} reached the app ({} forwards), {kills} \
         kills, {duplicates} duplicates, inbox {counts:?}, {:.1?} (seed {})",
        redacted(inbox),
        emitted.len(),
        delivered.len(),
        emitted.difference(&delivered).count(),
        seen.len(),
        seen.values().sum::<usize>(),
        started.elapsed(),
        random.seed,
    );
    assert!(app.errors().is_empty(), "{:?}", app.errors());
    assert!(
        missing.is_empty(),
        "delivered but never forwarded: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "forwarded but never emitted: {unknown:?}"
    );
    assert!(
        duplicates <= kills,
        "{duplicates} events forwarded more than once with {kills} kills: {:?}",
        seen.iter().filter(|(_, &n)| n >= 2).collect::<Vec<_>>()
    );
    assert_eq!(counts.dead, 0, "{counts:?}");
    assert!(
        delivered.len() * 2 > emitted.len(),
        "too few deliveries got through to test anything: {} of {}",
        delivered.len(),
        emitted.len()
    );
}

/// Two replicas on one inbox behind [`Balancer`]; every event is delivered three times.
async fn two_replicas(inbox: &str) {
    let started = Instant::now();
    let random = Random::from_env();
    let app = App::start(random.seed).await;
    let key = public_key_file();
    let ports = [free_port(), free_port()];
    let log = Log::default();
    let mut replicas = Vec::new();
    for (port, path) in ports.iter().zip(["a", "b"]) {
        let forward_to = format!("{}/{path}", app.url);
        let replica = Listen::start(*port, inbox, &forward_to, key.to_str().unwrap(), &log);
        replicas.push(replica.await);
    }
    let balancer = Balancer::start(ports).await;
    let emulator = emulator_for(format!("{}/webhooks", balancer.url)).await;
    let hub = Arc::clone(emulator.webhooks());

    // Each event is delivered three times: twice at once (the two deliveries race to store
    // it, through different replicas), and once more after every delivery settled.
    let Emitted {
        event_ids: emitted,
        delivery_ids: first_round,
    } = emit(Arc::clone(&hub), REPLICA_EVENTS, Duration::ZERO).await;
    for delivery_id in &first_round {
        hub.redeliver(*delivery_id)
            .expect("the emulator remembers the delivery");
    }
    within("the first deliveries to settle", hub.idle()).await;
    for delivery_id in &first_round {
        hub.redeliver(*delivery_id)
            .expect("the emulator remembers the delivery");
    }
    within("the redeliveries to settle", hub.idle()).await;

    let delivered = delivered_ids(&hub);
    let counts = settled(inbox, &app, &delivered).await;
    for replica in &mut replicas {
        replica.kill().await;
    }

    report_log(&log);
    let by_path = app.ids_by_path();
    let a = by_path.get("/a").cloned().unwrap_or_default();
    let b = by_path.get("/b").cloned().unwrap_or_default();
    let both: Vec<_> = a.intersection(&b).cloned().collect();
    let seen = app.counts();
    let repeated: Vec<_> = seen.iter().filter(|(_, &n)| n >= 2).collect();
    let missing: Vec<_> = delivered.difference(&app.ids()).cloned().collect();
    let reached_both = balancer.events_that_reached_both_replicas();
    eprintln!(
        "{}: {} events emitted, {} delivered, {} deliveries to the balancer, {} events \
         delivered to both replicas; app /a {} and /b {}, {} on both, {} repeated; inbox \
         {counts:?}, {:.1?}",
        redacted(inbox),
        emitted.len(),
        delivered.len(),
        balancer.requests(),
        reached_both,
        a.len(),
        b.len(),
        both.len(),
        repeated.len(),
        started.elapsed(),
    );
    assert!(app.errors().is_empty(), "{:?}", app.errors());
    assert!(both.is_empty(), "handled by both replicas: {both:?}");
    assert!(
        missing.is_empty(),
        "delivered but never forwarded: {missing:?}"
    );
    assert!(
        repeated.is_empty(),
        "forwarded more than once: {repeated:?}"
    );
    assert!(
        reached_both * 4 > emitted.len(),
        "too few events reached both replicas to test anything: {reached_both}"
    );
    assert!(
        !a.is_empty() && !b.is_empty(),
        "one replica handled nothing"
    );
}

/// A running `wix-opr listen --forward-to`.
struct Listen {
    child: Child,
}

/// The stderr lines of every listen process of a test.
type Log = Arc<Mutex<Vec<String>>>;

impl Listen {
    /// Starts listen on `port` and waits until it listens. A port the previous process held
    /// may take a moment to be free again: binding is tried a few times.
    async fn start(port: u16, inbox: &str, forward_to: &str, key: &str, log: &Log) -> Self {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(listen) = Self::try_start(port, inbox, forward_to, key, log, deadline).await
            {
                return listen;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "listen did not start on port {port} within {PATIENCE:?}:\n{}",
            lock(log).join("\n")
        );
    }

    async fn try_start(
        port: u16,
        inbox: &str,
        forward_to: &str,
        key: &str,
        log: &Log,
        deadline: Instant,
    ) -> Option<Self> {
        let port = port.to_string();
        let args = [
            "listen",
            "--port",
            &port,
            "--public-key",
            key,
            "--inbox",
            inbox,
            "--forward-to",
            forward_to,
            "--lease",
            LEASE,
        ];
        let mut child = command(&args, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let (ready, listening) = oneshot::channel();
        let kept = Arc::clone(log);
        tokio::spawn(async move {
            let mut ready = Some(ready);
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if line.starts_with("listening on ") {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                }
                lock(&kept).push(line);
            }
        });
        match tokio::time::timeout_at(deadline.into(), listening).await {
            Ok(Ok(())) => Some(Self { child }),
            _ => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                None
            }
        }
    }

    /// SIGKILL, and waits until the process is gone.
    async fn kill(&mut self) {
        self.child.start_kill().expect("listen is killed");
        within("listen to die", self.child.wait())
            .await
            .expect("listen's exit status");
    }
}

/// Prints how many warnings and errors the listen processes logged, and the first few.
fn report_log(log: &Log) {
    let log = lock(log);
    let notable: Vec<&String> = log
        .iter()
        .filter(|line| line.contains("WARN") || line.contains("ERROR"))
        .collect();
    eprintln!(
        "listen logged {} lines, {} warnings or errors{}",
        log.len(),
        notable.len(),
        notable
            .iter()
            .take(10)
            .map(|line| format!("\n  {line}"))
            .collect::<String>()
    );
}

/// The application: records the event id of every body POSTed to it (after verifying the
/// body), sometimes after a delay of up to 50 ms, and answers `200`.
struct App {
    url: String,
    state: Arc<AppState>,
}

struct AppState {
    verifier: WebhookVerifier,
    /// `(path, event id)` of every request, in order.
    received: Mutex<Vec<(String, String)>>,
    errors: Mutex<Vec<String>>,
    random: Mutex<Random>,
}

impl App {
    async fn start(seed: u64) -> Self {
        let verifier = WebhookVerifier::from_rsa_pem(
            wix_opr_emulator::webhooks::DEFAULT_PUBLIC_KEY_PEM.as_bytes(),
        )
        .unwrap()
        // A retried forward carries the original token, which may have expired meanwhile.
        .with_leeway(Duration::from_secs(24 * 3600));
        let state = Arc::new(AppState {
            verifier,
            received: Mutex::new(Vec::new()),
            errors: Mutex::new(Vec::new()),
            random: Mutex::new(Random::new(seed)),
        });
        let router = Router::new()
            .fallback(receive)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, state }
    }

    fn ids(&self) -> HashSet<String> {
        lock(&self.state.received)
            .iter()
            .map(|(_, id)| id.clone())
            .collect()
    }

    fn ids_by_path(&self) -> HashMap<String, HashSet<String>> {
        let mut by_path: HashMap<String, HashSet<String>> = HashMap::new();
        for (path, id) in lock(&self.state.received).iter() {
            by_path.entry(path.clone()).or_default().insert(id.clone());
        }
        by_path
    }

    /// How many times each event id arrived.
    fn counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for (_, id) in lock(&self.state.received).iter() {
            *counts.entry(id.clone()).or_default() += 1;
        }
        counts
    }

    fn errors(&self) -> Vec<String> {
        lock(&self.state.errors).clone()
    }
}

async fn receive(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = headers
        .get("wix-opr-event-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let event_id = match state.verifier.verify(&body) {
        Ok(event) => event.metadata().event_id.clone().unwrap_or_default(),
        Err(error) => {
            lock(&state.errors).push(format!("{header}: {error}"));
            return StatusCode::OK;
        }
    };
    if event_id != header {
        lock(&state.errors).push(format!("header {header} for event {event_id}"));
    }
    let delay = {
        let mut random = lock(&state.random);
        if random.below(0, 3) == 0 {
            Duration::from_millis(random.below(0, 50))
        } else {
            Duration::ZERO
        }
    };
    tokio::time::sleep(delay).await;
    lock(&state.received).push((uri.path().to_string(), event_id));
    StatusCode::OK
}

/// A round-robin HTTP proxy in front of two listen replicas: request `n` goes to replica
/// `n % 2`; `502` when that replica does not answer.
struct Balancer {
    url: String,
    state: Arc<BalancerState>,
}

struct BalancerState {
    replicas: [String; 2],
    next: AtomicUsize,
    http: reqwest::Client,
    /// Event ids of the bodies each replica was sent.
    sent: Mutex<[HashSet<String>; 2]>,
}

impl Balancer {
    async fn start(ports: [u16; 2]) -> Self {
        let state = Arc::new(BalancerState {
            replicas: ports.map(|port| format!("http://127.0.0.1:{port}")),
            next: AtomicUsize::new(0),
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            sent: Mutex::new([HashSet::new(), HashSet::new()]),
        });
        let router = Router::new()
            .fallback(balance)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, state }
    }

    fn requests(&self) -> usize {
        self.state.next.load(Ordering::SeqCst)
    }

    fn events_that_reached_both_replicas(&self) -> usize {
        let sent = lock(&self.state.sent);
        sent[0].intersection(&sent[1]).count()
    }
}

async fn balance(
    State(state): State<Arc<BalancerState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Bytes) {
    let replica = state.next.fetch_add(1, Ordering::SeqCst) % 2;
    if let Some(id) = unverified_event_id(&body) {
        lock(&state.sent)[replica].insert(id);
    }
    let mut request = state
        .http
        .post(format!("{}{uri}", state.replicas[replica]))
        .body(body);
    if let Some(content_type) = headers.get(reqwest::header::CONTENT_TYPE) {
        request = request.header(reqwest::header::CONTENT_TYPE, content_type.as_bytes());
    }
    match request.send().await {
        Ok(answer) => {
            let status =
                StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            (status, answer.bytes().await.unwrap_or_default())
        }
        Err(_) => (StatusCode::BAD_GATEWAY, Bytes::from_static(b"replica down")),
    }
}

/// The event id in a delivery, read without checking the signature or times.
fn unverified_event_id(body: &[u8]) -> Option<String> {
    let verifier = WebhookVerifier::from_rsa_pem(
        wix_opr_emulator::webhooks::DEFAULT_PUBLIC_KEY_PEM.as_bytes(),
    )
    .ok()?
    .with_leeway(Duration::from_secs(24 * 3600));
    verifier.verify(body).ok()?.metadata().event_id.clone()
}

/// An emulator delivering to `subscriber`, with Wix's retries compressed.
async fn emulator_for(subscriber: String) -> Emulator {
    Emulator::builder()
        .webhooks(WebhookConfig {
            subscribers: vec![subscriber],
            retry_compression: RETRY_COMPRESSION,
            delivery_timeout: Duration::from_millis(1250),
            log_capacity: 100_000,
            ..WebhookConfig::default()
        })
        .start()
        .await
        .unwrap()
}

/// Emits `count` events, each about a request of its own (so that none is stale), `pause`
/// apart; returns their ids and delivery ids.
async fn emit(hub: Arc<WebhookHub>, count: usize, pause: Duration) -> Emitted {
    let kinds = [
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
    ];
    let mut emitted = Emitted::default();
    for n in 0..count {
        let event = hub.emit(SITE, kinds[n % kinds.len()].clone(), &unpaid_request());
        emitted.event_ids.insert(event.event_id);
        emitted.delivery_ids.extend(event.delivery_ids);
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
    }
    emitted
}

/// What [`emit`] emitted.
#[derive(Debug, Default)]
struct Emitted {
    event_ids: HashSet<String>,
    delivery_ids: Vec<Uuid>,
}

/// Waits until the application got every event of `delivered` and nothing is pending in the
/// inbox; returns the inbox's counts then.
async fn settled(inbox: &str, app: &App, delivered: &HashSet<String>) -> InboxCounts {
    let store = within("the test to open the inbox", open_store(inbox))
        .await
        .expect("the test opens the inbox too");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let counts = store.counts().await.expect("the inbox counts");
        let missing = delivered.difference(&app.ids()).count();
        if counts.pending == 0 && missing == 0 {
            return counts;
        }
        assert!(
            Instant::now() < deadline,
            "after {PATIENCE:?}, {missing} delivered events have not reached the application; \
             inbox {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Event ids the emulator's log records as answered `200`.
fn delivered_ids(hub: &WebhookHub) -> HashSet<String> {
    hub.deliveries()
        .into_iter()
        .filter(|d| d.outcome.is_delivered())
        .map(|d| d.event_id)
        .collect()
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn within<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("timed out after {PATIENCE:?} waiting for {what}"))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn redacted(inbox: &str) -> String {
    wix_order_payment_requests::webhooks::inbox::redact_url(inbox)
}
