//! Chaos: the client's `create` and `void` against the in-process emulator while 30% of API
//! requests fail (seeded: `429`, `503`, slow answers that pass the client's timeout, dropped
//! connections after the change was stored).
//!
//! Which request meets which fault depends on how the concurrent calls interleave, so the
//! number of retries, lookups and errors varies from run to run. What must hold on every run,
//! checked afterwards with faults off:
//!
//! - nothing is lost: every `Ok` create is stored, under the id it returned;
//! - nothing is doubled: each `externalId` is stored at most once;
//! - an error that means "not created" (every error but "outcome unknown" and "URL unknown")
//!   is never given for a request that was stored; "URL unknown" is only given for one that
//!   was;
//! - every `Ok` create carries its payment URL;
//! - every `Ok` void left its request `VOIDED`; a void error is a transient failure;
//! - a caller who re-runs every failed create as the errors say (create again after "not
//!   created", look up first after "outcome unknown", fetch the URL after "URL unknown")
//!   ends with each `externalId` stored exactly once and a URL for each.

#[path = "it/emulator_support.rs"]
mod emulator_support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use emulator_support::{new_request, ORDER_ID, SITE_ID};
use futures::{StreamExt, TryStreamExt};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use wix_opr_emulator::{Emulator, FaultConfig, FaultKind};
use wix_order_payment_requests::error_codes::CreateOrderPaymentRequestErrorCode;
use wix_order_payment_requests::{types, Error, Query, RetryPolicy, Status, WixClient};

/// Creates made under faults.
const CREATES: usize = 1_000;
/// Calls in flight at once.
const CONCURRENCY: usize = 64;
/// Every `VOID_EVERY`-th created request is voided under faults too.
const VOID_EVERY: usize = 3;
/// The fault seed: the same decisions for the n-th request on every run.
const SEED: u64 = 20_240_610;
/// Each attempt's timeout: far above what the emulator takes to store a request, so a
/// timeout means the answer was held back after the change was stored (a slow fault), never
/// that the change is still on its way (a lookup cannot see a create that has not landed yet).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a slow fault holds its answer back: past the attempt timeout.
const SLOW: Duration = Duration::from_secs(4);

type CreateResult =
    Result<wix_order_payment_requests::Created, Error<CreateOrderPaymentRequestErrorCode>>;

/// What one create (and maybe its void) answered under faults.
struct Run {
    external_id: String,
    created: CreateResult,
    voided: Option<Result<(), String>>,
}

/// Counts the client's calls by operation (its `wix.call` spans).
#[derive(Clone, Default)]
struct CallCounter(Arc<HashMap<&'static str, AtomicUsize>>);

impl CallCounter {
    fn new() -> Self {
        let ops = [
            "create_order_payment_request",
            "query_order_payment_requests",
            "get_order_payment_request_url",
            "void_order_payment_request",
        ];
        Self(Arc::new(
            ops.into_iter()
                .map(|op| (op, AtomicUsize::new(0)))
                .collect(),
        ))
    }

    fn get(&self, op: &str) -> usize {
        self.0[op].load(Ordering::Relaxed)
    }
}

struct OperationField<'a>(&'a CallCounter);

impl tracing::field::Visit for OperationField<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "operation" {
            if let Some(count) = self.0 .0.get(value) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> Layer<S> for CallCounter {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        if attrs.metadata().name() == "wix.call" {
            attrs.record(&mut OperationField(self));
        }
    }
}

fn chaos_client(emu: &Emulator) -> WixClient {
    // Three attempts (the default) with millisecond backoff: failures stay possible, so the
    // "failed" and "outcome unknown" answers and the re-run are exercised too.
    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
        .with_deadline(Some(Duration::from_secs(20)));
    WixClient::builder()
        .base_url(emu.base_url())
        .api_key(emulator_support::API_KEY)
        .site_id(SITE_ID)
        .timeout(ATTEMPT_TIMEOUT)
        .retry_policy(policy)
        .build()
        .expect("a valid client configuration")
}

/// Creates (and voids every few) under faults, `CONCURRENCY` at a time.
async fn run_under_faults(wix: &WixClient) -> Vec<Run> {
    futures::stream::iter(0..CREATES)
        .map(|n| async move {
            let external_id = format!("chaos-{n:04}");
            let created = wix
                .create(new_request(ORDER_ID, "Chaos", Some(&external_id)))
                .await;
            let voided = match &created {
                Ok(done) if n % VOID_EVERY == 0 => {
                    let id = Some(done.request.id);
                    match id {
                        Some(id) => Some(wix.void(id).await.map_err(|e| {
                            let transient = e.is_transport()
                                || e.status()
                                    .is_some_and(|s| s.as_u16() == 429 || s.is_server_error());
                            assert!(transient, "a void failed for good: {e}");
                            e.to_string()
                        })),
                        None => None,
                    }
                }
                _ => None,
            };
            Run {
                external_id,
                created,
                voided,
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

/// Every stored request of the test site, by `externalId` (faults must be off).
async fn stored_by_external_id(
    wix: &WixClient,
) -> HashMap<String, Vec<types::OrderPaymentRequest>> {
    let all: Vec<types::OrderPaymentRequest> = wix
        .query(Query::new().limit(100))
        .stream()
        .try_collect()
        .await
        .expect("the query succeeds with faults off");
    let mut by_external_id: HashMap<String, Vec<_>> = HashMap::new();
    for request in all {
        let external_id = request
            .source
            .as_ref()
            .and_then(|s| s.external_id.as_ref())
            .map(|id| id.to_string())
            .expect("every chaos request has an externalId");
        by_external_id.entry(external_id).or_default().push(request);
    }
    by_external_id
}

/// What a caller does with a failed create, as its error says; returns the URL.
async fn rerun(
    wix: &WixClient,
    external_id: &str,
    error: &Error<CreateOrderPaymentRequestErrorCode>,
) -> String {
    if let Some(existing) = error.existing_entity() {
        return wix.get_url(existing.id).await.expect("the URL").to_string();
    }
    if error.is_outcome_unknown() {
        if let Some(found) = wix
            .find_by_external_id(&external_id.parse().expect("an externalId"))
            .await
            .expect("the lookup")
        {
            return wix.get_url(found.id).await.expect("the URL").to_string();
        }
    }
    let created = wix
        .create(new_request(ORDER_ID, "Chaos", Some(external_id)))
        .await
        .expect("a create with faults off succeeds");
    created.url.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_void_under_seeded_faults_lose_and_double_nothing() {
    let calls = CallCounter::new();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(calls.clone()))
        .expect("the only subscriber of this test binary");
    let emu = Emulator::start().await.expect("the emulator starts");
    let wix = chaos_client(&emu);

    emu.faults().set(Some(
        FaultConfig::new(0.3, SEED, FaultKind::ALL.to_vec(), SLOW).expect("a valid config"),
    ));
    let runs = run_under_faults(&wix).await;
    emu.faults().set(None);
    assert_eq!(runs.len(), CREATES);
    let [creates, lookups, url_fetches, voids] = [
        "create_order_payment_request",
        "query_order_payment_requests",
        "get_order_payment_request_url",
        "void_order_payment_request",
    ]
    .map(|op| calls.get(op));

    let stored = stored_by_external_id(&wix).await;
    let total: usize = stored.values().map(Vec::len).sum();
    assert_eq!(
        total,
        emu.payment_request_count(),
        "the query saw everything"
    );

    let mut lost = Vec::new();
    let mut not_created_but_stored = Vec::new();
    let mut url_unknown_but_absent = Vec::new();
    let mut ok_without_url = Vec::new();
    let mut void_not_voided = Vec::new();
    let (mut ok, mut not_created, mut outcome_unknown, mut url_unknown) = (0, 0, 0, 0);
    for run in &runs {
        let held = stored.get(&run.external_id).map_or(&[][..], Vec::as_slice);
        match &run.created {
            Ok(created) => {
                ok += 1;
                let id = created.request.id;
                if !held.iter().any(|r| r.id == id) {
                    lost.push(run.external_id.clone());
                }
                if created.url.as_str().is_empty() {
                    ok_without_url.push(run.external_id.clone());
                }
            }
            Err(e) if e.is_outcome_unknown() => outcome_unknown += 1,
            Err(e) if e.existing_entity().is_some() => {
                url_unknown += 1;
                if held.is_empty() {
                    url_unknown_but_absent.push(run.external_id.clone());
                }
            }
            Err(_) => {
                not_created += 1;
                if !held.is_empty() {
                    not_created_but_stored.push(run.external_id.clone());
                }
            }
        }
        if let Some(Ok(())) = run.voided {
            if held.iter().any(|r| r.status != Status::Voided) {
                void_not_voided.push(run.external_id.clone());
            }
        }
    }
    let duplicated: Vec<_> = stored
        .iter()
        .filter(|(_, held)| held.len() > 1)
        .map(|(id, _)| id.clone())
        .collect();
    let voids_failed = runs
        .iter()
        .filter(|r| matches!(r.voided, Some(Err(_))))
        .count();
    println!(
        "chaos: {ok} ok, {not_created} not created, {outcome_unknown} outcome unknown, \
         {url_unknown} URL unknown, {voids_failed} voids failed; calls: {creates} creates, \
         {lookups} lookups, {url_fetches} URL fetches, {voids} voids"
    );

    assert_eq!(lost, Vec::<String>::new(), "reported ok, not stored");
    assert_eq!(
        duplicated,
        Vec::<String>::new(),
        "one externalId stored twice"
    );
    assert_eq!(
        not_created_but_stored,
        Vec::<String>::new(),
        "an error meaning \"not created\" for a stored request"
    );
    assert_eq!(
        url_unknown_but_absent,
        Vec::<String>::new(),
        "\"URL unknown\" for a request that does not exist"
    );
    assert_eq!(ok_without_url, Vec::<String>::new(), "ok without a URL");
    assert_eq!(void_not_voided, Vec::<String>::new(), "void ok, not voided");
    // The faults were met: creates were repeated and unknown outcomes looked up.
    assert!(creates > CREATES, "{creates} create calls");
    assert!(lookups > 0, "{lookups} lookups");

    // The caller re-runs every failed create as its error says, with faults off.
    for run in &runs {
        if let Err(error) = &run.created {
            let url = rerun(&wix, &run.external_id, error).await;
            assert!(!url.is_empty(), "{}", run.external_id);
        }
        if let Some(Err(_)) = &run.voided {
            let id = run.created.as_ref().ok().map(|c| c.request.id);
            wix.void(id.expect("a voided request's id"))
                .await
                .expect("a void with faults off");
        }
    }
    let after = stored_by_external_id(&wix).await;
    assert_eq!(after.len(), CREATES, "every externalId is stored");
    let duplicated: Vec<_> = after
        .iter()
        .filter(|(_, held)| held.len() != 1)
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        duplicated,
        Vec::<String>::new(),
        "the re-run doubled a request"
    );
    assert_eq!(emu.payment_request_count(), CREATES);
}
