//! `WixClient::create_once` against the emulator, within one process: repeated and concurrent
//! calls with one `externalId` give one request, whichever client makes them; a create lock
//! that cannot be taken sends nothing. Separate processes racing through a shared lock are
//! the CLI's tests (`cli/tests/cli/create_once.rs`).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use wix_opr_emulator::{Emulator, FaultConfig, FaultKind};
use wix_order_payment_requests::create_lock::{open_lock, LockError};
use wix_order_payment_requests::{Error, RetryPolicy, WixClient};

use crate::emulator_support::{client, emulator, new_request, ORDER_ID};

fn external_id(text: &str) -> wix_order_payment_requests::types::SourceExternalId {
    text.parse().unwrap()
}

#[tokio::test]
async fn repeated_calls_with_one_external_id_create_one_request() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::default());
    let id = external_id("invoice-repeat");
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(
            wix.create_once(&id, new_request(ORDER_ID, "Balance", None))
                .await
                .unwrap(),
        );
    }
    assert_eq!(
        answers.iter().map(|a| a.created).collect::<Vec<_>>(),
        [true, false, false]
    );
    assert!(answers
        .iter()
        .all(|a| a.request.id == answers[0].request.id));
    assert!(answers.iter().all(|a| !a.url.as_str().is_empty()));
    assert_eq!(emu.payment_request_count(), 1);
    assert_eq!(
        answers[0]
            .request
            .source
            .as_ref()
            .and_then(|s| s.external_id.as_ref()),
        Some(&id),
        "the externalId argument is the request's source.externalId"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_tasks_of_one_process_create_one_request_per_external_id() {
    // Every answer held back 50 ms: without the lock, the tasks' lookups would all run before
    // any create is stored.
    let slow = FaultConfig::new(1.0, 1, vec![FaultKind::Slow], Duration::from_millis(50))
        .expect("a valid fault configuration");
    let emu = Emulator::builder().faults(slow).start().await.unwrap();
    // Half the tasks share one client, the others each build their own: the in-process lock
    // is the process's, not a client's.
    let shared = client(&emu, RetryPolicy::default());
    let mut tasks = Vec::new();
    for n in 0..40 {
        let wix = if n % 2 == 0 {
            shared.clone()
        } else {
            client(&emu, RetryPolicy::default())
        };
        let key = format!("invoice-race-{}", n % 4);
        tasks.push(tokio::spawn(async move {
            let once = wix
                .create_once(&external_id(&key), new_request(ORDER_ID, "Balance", None))
                .await
                .unwrap();
            (key, once.request.id, once.created)
        }));
    }
    let mut ids_per_key: std::collections::HashMap<String, HashSet<uuid::Uuid>> =
        Default::default();
    let mut created = 0;
    for task in tasks {
        let (key, id, was_created) = task.await.unwrap();
        ids_per_key.entry(key).or_default().insert(id);
        created += usize::from(was_created);
    }
    assert_eq!(ids_per_key.len(), 4);
    assert!(
        ids_per_key.values().all(|ids| ids.len() == 1),
        "{ids_per_key:?}"
    );
    assert_eq!(created, 4, "one call per key created it");
    assert_eq!(emu.payment_request_count(), 4);
}

#[tokio::test]
async fn a_request_whose_external_id_differs_from_the_argument_is_refused_unsent() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::default());
    let request = new_request(ORDER_ID, "Balance", Some("invoice-a"));
    let error = wix
        .create_once(&external_id("invoice-b"), request)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("invoice-a"), "{error}");
    assert_eq!(emu.payment_request_count(), 0);
    // The same id in both places is fine.
    let request = new_request(ORDER_ID, "Balance", Some("invoice-b"));
    let once = wix
        .create_once(&external_id("invoice-b"), request)
        .await
        .unwrap();
    assert!(once.created);
}

#[tokio::test]
async fn an_unreachable_create_lock_fails_the_call_before_anything_is_sent() {
    let emu = emulator().await;
    // Nothing listens on port 1; the URL's password must not show in the error.
    let lock = open_lock("postgres://app:hunter2@127.0.0.1:1/locks")
        .await
        .map(Ok)
        .unwrap_or_else(Err);
    let wix = match lock {
        Ok(lock) => {
            client(&emu, RetryPolicy::default()).with_create_lock(lock, Duration::from_secs(5))
        }
        Err(error) => {
            // Refusing to open it at all is as good: nothing can be sent either.
            assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
            assert!(!error.to_string().contains("hunter2"), "{error}");
            return;
        }
    };
    let error = wix
        .create_once(
            &external_id("invoice-locked"),
            new_request(ORDER_ID, "Balance", None),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotSent { .. }), "{error:?}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn a_shared_sqlite_lock_guards_create_once_and_is_given_back() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("locks.db").display());
    let lock = open_lock(&url).await.unwrap();
    let wix = client(&emu, RetryPolicy::default())
        .with_create_lock(Arc::clone(&lock), Duration::from_secs(5));
    for _ in 0..2 {
        wix.create_once(
            &external_id("invoice-shared"),
            new_request(ORDER_ID, "Balance", None),
        )
        .await
        .unwrap();
    }
    assert_eq!(emu.payment_request_count(), 1);
    // Each call gave the key back: it can be taken at once.
    let key = wix.create_lock_key(&"invoice-shared".parse().unwrap());
    assert!(key.contains(crate::emulator_support::SITE_ID), "{key}");
    let key_taken = lock.acquire(&key, Duration::from_millis(100)).await;
    assert!(key_taken.is_ok(), "{key_taken:?}");
}

#[tokio::test]
async fn find_by_external_id_returns_the_oldest_of_several_and_find_all_returns_them_all() {
    let emu = emulator().await;
    let wix: WixClient = client(&emu, RetryPolicy::default());
    // Two plain creates with one externalId: what create_once prevents.
    let first = wix
        .create(new_request(ORDER_ID, "First", Some("invoice-twice")))
        .await
        .unwrap();
    emu.advance_clock(Duration::from_secs(1));
    let second = wix
        .create(new_request(ORDER_ID, "Second", Some("invoice-twice")))
        .await
        .unwrap();
    let found = wix
        .find_by_external_id(&"invoice-twice".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(found.map(|r| r.id), Some(first.request.id));
    let all = wix
        .find_all_by_external_id(&"invoice-twice".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        [first.request.id, second.request.id]
    );
}
