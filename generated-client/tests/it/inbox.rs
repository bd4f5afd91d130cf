//! The webhook inbox on the in-memory store: what `accept` stores and refuses, and what the
//! workers do with stored events (handled once, retried, parked, replayed, skipped as stale,
//! re-claimed after a lease ends). The SQL stores' own checks are in `inbox_store`; the crash
//! tests, with real processes killed, are the CLI's.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::inbox::{
    AcceptError, Accepted, ClaimRequest, EventState, Finish, Handler, Inbox, InboxConfig,
    InboxCounts, InboxEvent, InboxStore, MemoryStore,
};
use wix_order_payment_requests::webhooks::{
    EventPayload, WebhookError, WebhookEventType, WebhookSigner, WebhookVerifier,
};

const APP_PRIVATE: &[u8] = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM.as_bytes();
const APP_PUBLIC: &[u8] = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM.as_bytes();
const WRONG_PRIVATE: &[u8] = wix_order_payment_requests::testing::WRONG_PRIVATE_KEY_PEM.as_bytes();
const REQUEST_JSON: &str = include_str!("../../fixtures/webhooks/order_payment_request.json");

/// How long a test waits for workers before failing instead of hanging.
const PATIENCE: Duration = Duration::from_secs(10);

/// A signed delivery of `event_type` with this event id, entity and sequence.
fn delivery(event_type: WebhookEventType, event_id: &str, entity: &str, sequence: u64) -> String {
    let request: types::OrderPaymentRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    let payload = EventPayload::new(event_type, request)
        .with_event_id(event_id)
        .with_entity_id(entity)
        .with_sequence(sequence);
    WebhookSigner::from_rsa_pem(APP_PRIVATE)
        .unwrap()
        .sign_event(&payload, SystemTime::now())
        .unwrap()
}

/// A `paid` delivery with this event id, signed with `key`.
fn paid_signed_with(key: &[u8], event_id: &str) -> String {
    let payload = EventPayload::new(
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        serde_json::from_str(REQUEST_JSON).unwrap(),
    )
    .with_event_id(event_id);
    WebhookSigner::from_rsa_pem(key)
        .unwrap()
        .sign_event(&payload, SystemTime::now())
        .unwrap()
}

fn paid(event_id: &str) -> String {
    delivery(
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        event_id,
        "opr-1",
        1,
    )
}

/// Quick retries, short leases and polls, so that tests take milliseconds.
fn quick() -> InboxConfig {
    let mut config = InboxConfig::default();
    config.initial_backoff = Duration::from_millis(5);
    config.max_backoff = Duration::from_millis(20);
    config.lease = Duration::from_millis(300);
    config.poll_interval = Duration::from_millis(10);
    config
}

fn inbox_with(store: Arc<dyn InboxStore>, config: InboxConfig) -> Inbox {
    Inbox::with_shared_store(WebhookVerifier::from_rsa_pem(APP_PUBLIC).unwrap(), store)
        .with_config(config)
}

/// One call of the handler: the event id, which try it was, the previous try's error.
type Call = (String, u32, Option<String>);

/// Every event the handler was given, with the try it was.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Call>>>);

impl Seen {
    fn record(&self, event: &InboxEvent) {
        self.0.lock().unwrap().push((
            event.event_id.clone(),
            event.attempt,
            event.previous_error.clone(),
        ));
    }

    fn ids(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().map(|s| s.0.clone()).collect()
    }

    fn all(&self) -> Vec<Call> {
        self.0.lock().unwrap().clone()
    }

    /// A handler that records each event here and succeeds.
    fn handler(&self) -> impl Handler {
        let seen = self.clone();
        move |event: InboxEvent| {
            seen.record(&event);
            std::future::ready(Ok::<(), std::io::Error>(()))
        }
    }
}

/// Waits until the store's counts satisfy `done`.
async fn until(inbox: &Inbox, what: &str, done: impl Fn(&InboxCounts) -> bool) {
    let waited = tokio::time::timeout(PATIENCE, async {
        loop {
            let counts = inbox.counts().await.unwrap();
            if done(&counts) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "timed out waiting for {what}");
}

#[tokio::test]
async fn accept_stores_a_verified_event_once_and_refuses_what_it_cannot_deduplicate() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    assert_eq!(
        inbox.accept(paid("evt-1").as_bytes()).await.unwrap(),
        Accepted::Stored {
            event_id: "evt-1".into()
        }
    );
    // Wix signs every try afresh: another token, the same event id.
    assert_eq!(
        inbox.accept(paid("evt-1").as_bytes()).await.unwrap(),
        Accepted::Duplicate {
            event_id: "evt-1".into()
        }
    );

    let forged = paid_signed_with(WRONG_PRIVATE, "evt-forged");
    let refused = inbox.accept(forged.as_bytes()).await.unwrap_err();
    assert!(
        matches!(
            refused,
            AcceptError::Refused(WebhookError::InvalidSignature)
        ),
        "{refused:?}"
    );
    assert_eq!(refused.http_status(), 401);

    // Without an event id a redelivery cannot be told from a new event.
    let no_id = paid_signed_with(APP_PRIVATE, "");
    let refused = inbox.accept(no_id.as_bytes()).await.unwrap_err();
    assert_eq!(refused.http_status(), 400, "{refused}");
    assert!(refused.to_string().contains("data.data.id"), "{refused}");

    let counts = inbox.counts().await.unwrap();
    assert_eq!((counts.pending, counts.done), (1, 0));
}

#[tokio::test]
async fn a_full_store_refuses_with_503_and_keeps_what_it_has() {
    let inbox = inbox_with(Arc::new(MemoryStore::new(1)), quick());
    inbox.accept(paid("evt-1").as_bytes()).await.unwrap();
    let error = inbox.accept(paid("evt-2").as_bytes()).await.unwrap_err();
    assert!(matches!(error, AcceptError::Store(_)), "{error:?}");
    assert_eq!(error.http_status(), 503);
    // The stored one is still a duplicate, not refused.
    assert!(matches!(
        inbox.accept(paid("evt-1").as_bytes()).await.unwrap(),
        Accepted::Duplicate { .. }
    ));
}

#[tokio::test]
async fn workers_hand_every_stored_event_to_the_handler_once() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    let seen = Seen::default();
    let workers = inbox.spawn_workers(seen.handler());
    for n in 0..50 {
        let body = delivery(
            WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
            &format!("evt-{n}"),
            &format!("opr-{n}"),
            1,
        );
        inbox.accept(body.as_bytes()).await.unwrap();
        // A redelivery of each, too.
        inbox.accept(body.as_bytes()).await.unwrap();
    }
    until(&inbox, "50 done", |c| c.done == 50).await;
    workers.shutdown().await;
    let mut ids = seen.ids();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    assert_eq!(seen.all().len(), 50, "each handled exactly once");
}

#[tokio::test]
async fn an_update_older_than_one_handled_is_skipped_as_stale() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    let seen = Seen::default();
    let handler = seen.handler();
    // `paid` (sequence 6) arrives and is handled before the `updated` (5) that preceded it.
    inbox
        .accept(
            delivery(
                WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
                "e6",
                "opr-1",
                6,
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(inbox.process_due(&handler).await.unwrap(), 1);
    inbox
        .accept(
            delivery(
                WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
                "e5",
                "opr-1",
                5,
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // Another request's older sequence is not affected.
    inbox
        .accept(
            delivery(
                WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
                "x1",
                "opr-2",
                1,
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(inbox.process_due(&handler).await.unwrap(), 2);
    assert_eq!(seen.ids(), ["e6", "x1"]);
    let counts = inbox.counts().await.unwrap();
    assert_eq!((counts.done, counts.stale), (2, 1));
    let stale = inbox.store().list(EventState::Stale, 10).await.unwrap();
    assert_eq!(stale[0].event_id, "e5");
}

#[tokio::test]
async fn a_failing_handler_is_retried_with_its_previous_error_until_it_succeeds() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    let seen = Seen::default();
    let record = seen.clone();
    let tries = Arc::new(AtomicU32::new(0));
    let workers = inbox.spawn_workers(move |event: InboxEvent| {
        let seen = record.clone();
        let tries = Arc::clone(&tries);
        async move {
            seen.record(&event);
            if tries.fetch_add(1, Ordering::SeqCst) < 2 {
                return Err(format!("database down (try {})", event.attempt));
            }
            Ok(())
        }
    });
    inbox.accept(paid("evt-r").as_bytes()).await.unwrap();
    until(&inbox, "done", |c| c.done == 1).await;
    workers.shutdown().await;
    assert_eq!(
        seen.all(),
        [
            ("evt-r".to_string(), 1, None),
            (
                "evt-r".to_string(),
                2,
                Some("database down (try 1)".to_string())
            ),
            (
                "evt-r".to_string(),
                3,
                Some("database down (try 2)".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn after_the_last_try_an_event_is_parked_dead_and_can_be_replayed() {
    let mut config = quick();
    config.max_attempts = Some(3);
    let inbox = inbox_with(Arc::new(MemoryStore::default()), config);
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = Seen::default();
    let record = seen.clone();
    let state = Arc::clone(&healthy);
    let workers = inbox.spawn_workers(move |event: InboxEvent| {
        let seen = record.clone();
        let healthy = state.load(Ordering::SeqCst);
        async move {
            seen.record(&event);
            if healthy {
                Ok(())
            } else {
                Err("the invoice service answers 500")
            }
        }
    });
    inbox.accept(paid("evt-d").as_bytes()).await.unwrap();
    until(&inbox, "dead", |c| c.dead == 1).await;
    assert_eq!(seen.all().len(), 3);
    let dead = inbox.dead(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].event_id, "evt-d");
    assert_eq!(dead[0].attempts, 3);
    assert_eq!(
        dead[0].last_error.as_deref(),
        Some("the invoice service answers 500")
    );
    // A dead event is still known: its redelivery is a duplicate, not a new try.
    assert!(matches!(
        inbox.accept(paid("evt-d").as_bytes()).await.unwrap(),
        Accepted::Duplicate { .. }
    ));

    healthy.store(true, Ordering::SeqCst);
    assert!(inbox.replay("evt-d").await.unwrap());
    assert!(
        !inbox.replay("evt-d").await.unwrap(),
        "only dead events replay"
    );
    until(&inbox, "done after replay", |c| c.done == 1 && c.dead == 0).await;
    workers.shutdown().await;
    let last = seen.all().pop().unwrap();
    assert_eq!(last.1, 1, "a replay starts counting tries again");
}

#[tokio::test]
async fn a_panicking_handler_is_a_failed_try_not_a_dead_worker() {
    let mut config = quick();
    config.max_attempts = Some(2);
    let inbox = inbox_with(Arc::new(MemoryStore::default()), config);
    let workers = inbox.spawn_workers(|event: InboxEvent| async move {
        if event.event_id == "evt-panic" {
            panic!("bug in the handler");
        }
        Ok::<(), std::io::Error>(())
    });
    inbox.accept(paid("evt-panic").as_bytes()).await.unwrap();
    until(&inbox, "dead", |c| c.dead == 1).await;
    // The workers go on with other events.
    inbox.accept(paid("evt-fine").as_bytes()).await.unwrap();
    until(&inbox, "done", |c| c.done == 1).await;
    workers.shutdown().await;
    let dead = inbox.dead(10).await.unwrap();
    assert_eq!(
        dead[0].last_error.as_deref(),
        Some("the handler panicked: bug in the handler")
    );
}

#[tokio::test]
async fn an_event_whose_worker_died_is_claimed_again_when_its_lease_ends() {
    let store: Arc<dyn InboxStore> = Arc::new(MemoryStore::default());
    let inbox = inbox_with(Arc::clone(&store), quick());
    inbox.accept(paid("evt-l").as_bytes()).await.unwrap();

    // A worker claims it and dies: nothing extends or finishes its lease.
    let now = now();
    let claimed = store
        .claim(&ClaimRequest {
            token: "dead-worker",
            now,
            lease_until: now + 200,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);

    let seen = Seen::default();
    let workers = inbox.spawn_workers(seen.handler());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(seen.ids().is_empty(), "claimed while the lease still ran");
    until(&inbox, "done", |c| c.done == 1).await;
    workers.shutdown().await;
    assert_eq!(seen.all(), [("evt-l".to_string(), 2, None)]);

    // The dead worker's late answer changes nothing.
    let late = Finish::Dead { error: "late" };
    assert!(!store
        .finish("evt-l", "dead-worker", &late, now + 1000)
        .await
        .unwrap());
    assert_eq!(inbox.counts().await.unwrap().done, 1);
}

#[tokio::test]
async fn a_handler_longer_than_the_lease_keeps_its_event() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    let seen = Seen::default();
    let record = seen.clone();
    let workers = inbox.spawn_workers(move |event: InboxEvent| {
        let seen = record.clone();
        async move {
            seen.record(&event);
            // Three leases long: only the heartbeat keeps other workers off it.
            tokio::time::sleep(Duration::from_millis(900)).await;
            Ok::<(), std::io::Error>(())
        }
    });
    inbox.accept(paid("evt-slow").as_bytes()).await.unwrap();
    until(&inbox, "done", |c| c.done == 1).await;
    workers.shutdown().await;
    assert_eq!(seen.all().len(), 1, "{:?}", seen.all());
}

#[tokio::test]
async fn shutdown_waits_for_the_running_handler_and_records_it() {
    let inbox = inbox_with(Arc::new(MemoryStore::default()), quick());
    let (started, mut running) = tokio::sync::mpsc::channel(1);
    let workers = inbox.spawn_workers(move |_event: InboxEvent| {
        let started = started.clone();
        async move {
            let _ = started.send(()).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            Ok::<(), std::io::Error>(())
        }
    });
    inbox.accept(paid("evt-s").as_bytes()).await.unwrap();
    running.recv().await.unwrap();
    workers.shutdown().await;
    let counts = inbox.counts().await.unwrap();
    assert_eq!((counts.pending, counts.done), (0, 1));
}

#[tokio::test]
async fn an_event_that_no_longer_decodes_is_parked_with_the_reason() {
    let store: Arc<dyn InboxStore> = Arc::new(MemoryStore::default());
    let inbox = inbox_with(Arc::clone(&store), quick());
    let new = wix_order_payment_requests::webhooks::inbox::NewEvent {
        event_id: "evt-broken",
        event_type: "wix.ecom.v1.order_payment_request_paid",
        entity_id: None,
        sequence: None,
        body: "not.a-token",
        received_at: now(),
    };
    store.insert(&new).await.unwrap();
    let never = |_: InboxEvent| async { Err::<(), _>("never called") };
    assert_eq!(inbox.process_due(&never).await.unwrap(), 1);
    let dead = inbox.dead(1).await.unwrap();
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("the stored event does not decode"),
        "{dead:?}"
    );
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
