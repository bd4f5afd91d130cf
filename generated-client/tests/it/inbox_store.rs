//! The `InboxStore` contract, checked once and run against every store: `MemoryStore`, a
//! `SqliteStore` in a temporary file, and a `PostgresStore` in a schema of its own on the
//! server `WIX_TEST_POSTGRES_URL` names (`.ci/postgres.sh start DIR` starts a throwaway one).
//! Without that variable the Postgres tests are skipped with a note, unless
//! `WIX_REQUIRE_POSTGRES=1`, which makes them fail instead.
//!
//! Then what only a SQL store can show: SQLite surviving a restart, refusing a damaged file or
//! foreign tables, and reporting a lock; Postgres shared by two stores, created by several at
//! once, and unreachable without leaking a password.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::future::join_all;
use wix_order_payment_requests::webhooks::inbox::{
    ClaimRequest, EventState, Finish, InboxCounts, InboxStore, Inserted, MemoryStore, Millis,
    NewEvent, StoreError, StoredEvent,
};

/// The start of every test's clock.
const T: Millis = 1_700_000_000_000;

const PAID: &str = "wix.ecom.v1.order_payment_request_paid";

/// A pending event with no entity, received at `at`.
fn event(id: &str, at: Millis) -> NewEvent<'_> {
    NewEvent {
        event_id: id,
        event_type: PAID,
        entity_id: None,
        sequence: None,
        body: "header.payload.signature",
        received_at: at,
    }
}

/// A pending event of `entity` with `sequence`, received at `at`.
fn entity_event<'a>(id: &'a str, entity: &'a str, sequence: u64, at: Millis) -> NewEvent<'a> {
    NewEvent {
        entity_id: Some(entity),
        sequence: Some(sequence),
        ..event(id, at)
    }
}

async fn insert(store: &dyn InboxStore, event: NewEvent<'_>) -> Inserted {
    store.insert(&event).await.unwrap()
}

/// Claims up to `limit` events at `now` for `token`, leased for 30 s.
async fn claim(store: &dyn InboxStore, token: &str, now: Millis, limit: usize) -> Vec<StoredEvent> {
    claim_until(store, token, now, now + 30_000, limit).await
}

async fn claim_until(
    store: &dyn InboxStore,
    token: &str,
    now: Millis,
    lease_until: Millis,
    limit: usize,
) -> Vec<StoredEvent> {
    let request = ClaimRequest {
        token,
        now,
        lease_until,
        limit,
    };
    store.claim(&request).await.unwrap()
}

fn ids(events: &[StoredEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event_id.as_str()).collect()
}

const DONE: Finish<'static> = Finish::Done {
    entity_id: None,
    sequence: None,
};

async fn finish(
    store: &dyn InboxStore,
    id: &str,
    token: &str,
    how: Finish<'_>,
    now: Millis,
) -> bool {
    store.finish(id, token, &how, now).await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// The checks, each run against every store.

async fn insert_is_deduplicated_in_every_state(store: &dyn InboxStore) {
    assert_eq!(insert(store, event("a", T)).await, Inserted::New);
    assert_eq!(insert(store, event("a", T + 5)).await, Inserted::Duplicate);
    assert_eq!(insert(store, event("b", T)).await, Inserted::New);

    let claimed = claim(store, "t1", T, 10).await;
    assert_eq!(ids(&claimed), ["a", "b"]);
    assert!(finish(store, "a", "t1", DONE, T + 1).await);
    assert!(finish(store, "b", "t1", Finish::Dead { error: "no" }, T + 1).await);

    assert_eq!(insert(store, event("a", T + 9)).await, Inserted::Duplicate);
    assert_eq!(insert(store, event("b", T + 9)).await, Inserted::Duplicate);
    let counts = store.counts().await.unwrap();
    assert_eq!(
        counts,
        InboxCounts {
            pending: 0,
            done: 1,
            stale: 0,
            dead: 1
        }
    );
    // A duplicate does not come back to life.
    assert!(claim(store, "t2", T + 100_000, 10).await.is_empty());
}

async fn claim_returns_what_was_stored(store: &dyn InboxStore) {
    let new = NewEvent {
        event_id: "evt-1",
        event_type: "wix.ecom.v1.order_payment_request_updated",
        entity_id: Some("opr-1"),
        sequence: Some(42),
        body: "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30ifQ.c2ln",
        received_at: T,
    };
    assert_eq!(store.insert(&new).await.unwrap(), Inserted::New);
    let claimed = claim(store, "t", T, 1).await;
    assert_eq!(
        claimed,
        [StoredEvent {
            event_id: "evt-1".into(),
            event_type: "wix.ecom.v1.order_payment_request_updated".into(),
            entity_id: Some("opr-1".into()),
            sequence: Some(42),
            body: "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie30ifQ.c2ln".into(),
            received_at: T,
            attempts: 1,
            last_error: None,
        }]
    );
}

async fn claim_is_oldest_first_and_counts_attempts(store: &dyn InboxStore) {
    for (i, id) in ["e1", "e2", "e3", "e4", "e5"].iter().enumerate() {
        insert(store, event(id, T + i as Millis)).await;
    }
    assert!(claim(store, "t0", T + 10, 0).await.is_empty());
    let first = claim(store, "t1", T + 10, 2).await;
    assert_eq!(ids(&first), ["e1", "e2"]);
    assert!(first.iter().all(|e| e.attempts == 1));
    let rest = claim(store, "t2", T + 10, 10).await;
    assert_eq!(ids(&rest), ["e3", "e4", "e5"]);
    assert!(claim(store, "t3", T + 10, 10).await.is_empty());

    // Every lease ended: claimed again, in order, one more try each.
    let again = claim(store, "t4", T + 10 + 30_000, 10).await;
    assert_eq!(ids(&again), ["e1", "e2", "e3", "e4", "e5"]);
    assert!(again.iter().all(|e| e.attempts == 2), "{again:?}");
}

async fn an_event_is_due_from_its_arrival(store: &dyn InboxStore) {
    insert(store, event("later", T + 1_000)).await;
    assert!(claim(store, "t", T + 999, 10).await.is_empty());
    assert_eq!(ids(&claim(store, "t", T + 1_000, 10).await), ["later"]);
}

async fn concurrent_claims_never_share_an_event(store: &dyn InboxStore) {
    const EVENTS: usize = 60;
    let names: Vec<String> = (0..EVENTS).map(|i| format!("c{i:03}")).collect();
    for name in &names {
        insert(store, event(name, T)).await;
    }
    let claimers = (0..8).map(|worker| async move {
        let mut mine = Vec::new();
        for round in 0.. {
            let token = format!("w{worker}-{round}");
            let got = claim(store, &token, T + 1, 3).await;
            if got.is_empty() {
                break;
            }
            mine.extend(got.into_iter().map(|e| e.event_id));
            tokio::task::yield_now().await;
        }
        mine
    });
    let all: Vec<String> = join_all(claimers).await.into_iter().flatten().collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "an event was claimed twice");
    assert_eq!(all.len(), EVENTS);
}

async fn a_leased_event_waits_for_its_lease(store: &dyn InboxStore) {
    insert(store, event("a", T)).await;
    assert_eq!(
        ids(&claim_until(store, "t1", T, T + 1_000, 10).await),
        ["a"]
    );
    assert!(claim(store, "t2", T + 999, 10).await.is_empty());
    let second = claim_until(store, "t2", T + 1_000, T + 2_000, 10).await;
    assert_eq!(ids(&second), ["a"]);
    assert_eq!(second[0].attempts, 2);

    // Extending moves the end of the lease.
    assert!(store.extend_lease("a", "t2", T + 5_000).await.unwrap());
    assert!(claim(store, "t3", T + 4_999, 10).await.is_empty());
    assert_eq!(ids(&claim(store, "t3", T + 5_000, 10).await), ["a"]);
}

async fn a_stale_token_cannot_extend_or_finish(store: &dyn InboxStore) {
    insert(store, event("a", T)).await;
    claim_until(store, "old", T, T + 1_000, 1).await;
    claim_until(store, "new", T + 1_000, T + 2_000, 1).await;

    assert!(!store.extend_lease("a", "old", T + 9_000).await.unwrap());
    for how in [
        DONE,
        Finish::Stale,
        Finish::Retry {
            error: "x",
            at: T + 1,
        },
        Finish::Dead { error: "x" },
    ] {
        assert!(!finish(store, "a", "old", how, T + 1_500).await);
    }
    assert!(!finish(store, "missing", "new", DONE, T + 1_500).await);
    assert_eq!(store.counts().await.unwrap().pending, 1);

    assert!(finish(store, "a", "new", DONE, T + 1_500).await);
    // Finished: the token is spent.
    assert!(!store.extend_lease("a", "new", T + 9_000).await.unwrap());
    assert!(!finish(store, "a", "new", Finish::Dead { error: "x" }, T + 1_600).await);
    assert_eq!(store.counts().await.unwrap().done, 1);
    assert!(store.list(EventState::Dead, 10).await.unwrap().is_empty());
}

async fn done_raises_the_latest_sequence(store: &dyn InboxStore) {
    assert_eq!(store.latest_sequence("opr").await.unwrap(), None);
    insert(store, entity_event("s5", "opr", 5, T)).await;
    insert(store, entity_event("s3", "opr", 3, T)).await;
    insert(store, entity_event("s7", "opr", 7, T)).await;
    insert(store, entity_event("s9", "opr", 9, T)).await;
    insert(store, entity_event("x1", "other", 1, T)).await;
    insert(store, event("plain", T)).await;
    assert_eq!(claim(store, "t", T, 10).await.len(), 6);

    let done = |entity, sequence| Finish::Done {
        entity_id: Some(entity),
        sequence: Some(sequence),
    };
    assert!(finish(store, "s5", "t", done("opr", 5), T + 1).await);
    assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(5));
    assert!(finish(store, "s3", "t", done("opr", 3), T + 2).await);
    assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(5));
    assert!(finish(store, "s7", "t", done("opr", 7), T + 3).await);
    assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(7));
    // Stale, and done without a sequence, leave it alone.
    assert!(finish(store, "s9", "t", Finish::Stale, T + 4).await);
    assert!(finish(store, "plain", "t", DONE, T + 4).await);
    assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(7));
    assert_eq!(store.latest_sequence("other").await.unwrap(), None);
    assert!(finish(store, "x1", "t", done("other", 1), T + 5).await);
    assert_eq!(store.latest_sequence("other").await.unwrap(), Some(1));

    // A lost claim does not raise it either.
    insert(store, entity_event("s20", "opr", 20, T)).await;
    claim(store, "t2", T + 10, 1).await;
    assert!(!finish(store, "s20", "not-t2", done("opr", 20), T + 11).await);
    assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(7));

    let counts = store.counts().await.unwrap();
    assert_eq!((counts.done, counts.stale, counts.pending), (5, 1, 1));
}

async fn retry_makes_the_event_due_at_its_time(store: &dyn InboxStore) {
    insert(store, event("a", T)).await;
    claim(store, "t1", T, 1).await;
    let retry = Finish::Retry {
        error: "503 from the ERP",
        at: T + 10_000,
    };
    assert!(finish(store, "a", "t1", retry, T + 5).await);
    // The lease is gone, yet the event waits for its time.
    assert!(claim(store, "t2", T + 9_999, 10).await.is_empty());
    assert!(!finish(store, "a", "t1", DONE, T + 6).await);
    let again = claim(store, "t2", T + 10_000, 10).await;
    assert_eq!(ids(&again), ["a"]);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error.as_deref(), Some("503 from the ERP"));
    let pending = store.list(EventState::Pending, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].attempts, 2);
}

async fn dead_events_are_listed_and_replayed(store: &dyn InboxStore) {
    insert(store, entity_event("a", "opr", 4, T)).await;
    insert(store, event("b", T)).await;
    claim(store, "t1", T, 1).await;
    let retry = Finish::Retry {
        error: "first",
        at: T + 10,
    };
    assert!(finish(store, "a", "t1", retry, T + 1).await);
    claim(store, "t2", T + 10, 1).await;
    assert!(finish(store, "a", "t2", Finish::Dead { error: "gave up" }, T + 11).await);

    let dead = store.list(EventState::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    let a = &dead[0];
    assert_eq!(a.event_id, "a");
    assert_eq!(a.event_type, PAID);
    assert_eq!(a.entity_id.as_deref(), Some("opr"));
    assert_eq!(a.sequence, Some(4));
    assert_eq!(a.state, EventState::Dead);
    assert_eq!(a.attempts, 2);
    assert_eq!(a.last_error.as_deref(), Some("gave up"));
    assert_eq!(a.received_at, T);
    // Dead is not claimable; b still is.
    assert_eq!(ids(&claim(store, "t3", T + 100_000, 10).await), ["b"]);

    assert!(!store.replay("b", T + 50).await.unwrap(), "b is not dead");
    assert!(!store.replay("missing", T + 50).await.unwrap());
    assert!(store.replay("a", T + 50).await.unwrap());
    assert!(!store.replay("a", T + 50).await.unwrap(), "already pending");
    assert!(store.list(EventState::Dead, 10).await.unwrap().is_empty());
    assert!(claim(store, "t4", T + 49, 10).await.is_empty());
    let replayed = claim(store, "t4", T + 50, 10).await;
    assert_eq!(ids(&replayed), ["a"]);
    assert_eq!(replayed[0].attempts, 1);
    assert_eq!(replayed[0].last_error.as_deref(), Some("gave up"));
    assert!(finish(store, "a", "t4", DONE, T + 60).await);
}

async fn purge_forgets_old_finished_events(store: &dyn InboxStore) {
    for id in ["done", "stale", "dead", "pending"] {
        insert(store, event(id, T)).await;
    }
    claim(store, "t", T, 3).await;
    assert!(finish(store, "done", "t", DONE, T + 100).await);
    assert!(finish(store, "stale", "t", Finish::Stale, T + 200).await);
    assert!(finish(store, "dead", "t", Finish::Dead { error: "x" }, T + 50).await);

    assert_eq!(
        store.purge_finished(T + 100).await.unwrap(),
        0,
        "before is exclusive"
    );
    assert_eq!(store.purge_finished(T + 150).await.unwrap(), 1);
    assert_eq!(store.purge_finished(T + 150).await.unwrap(), 0);
    assert_eq!(store.purge_finished(T + 1_000_000).await.unwrap(), 1);
    let counts = store.counts().await.unwrap();
    assert_eq!(
        counts,
        InboxCounts {
            pending: 1,
            done: 0,
            stale: 0,
            dead: 1
        }
    );
    // Forgotten ids no longer deduplicate; kept ones still do.
    assert_eq!(insert(store, event("done", T + 2)).await, Inserted::New);
    assert_eq!(
        insert(store, event("dead", T + 2)).await,
        Inserted::Duplicate
    );
    assert_eq!(
        insert(store, event("pending", T + 2)).await,
        Inserted::Duplicate
    );
}

async fn counts_and_lists_by_state(store: &dyn InboxStore) {
    assert_eq!(store.counts().await.unwrap(), InboxCounts::default());
    for i in 0..6 {
        insert(store, event(&format!("e{i}"), T)).await;
    }
    claim(store, "t", T, 4).await;
    assert!(finish(store, "e0", "t", DONE, T + 1).await);
    assert!(finish(store, "e1", "t", Finish::Stale, T + 1).await);
    assert!(finish(store, "e2", "t", Finish::Dead { error: "x" }, T + 1).await);
    let retry = Finish::Retry {
        error: "later",
        at: T + 99,
    };
    assert!(finish(store, "e3", "t", retry, T + 1).await);
    assert_eq!(
        store.counts().await.unwrap(),
        InboxCounts {
            pending: 3,
            done: 1,
            stale: 1,
            dead: 1
        }
    );
    let pending = store.list(EventState::Pending, 2).await.unwrap();
    let names: Vec<&str> = pending.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(names, ["e3", "e4"]);
    assert!(pending.iter().all(|e| e.state == EventState::Pending));
    assert_eq!(pending[0].last_error.as_deref(), Some("later"));
    assert!(store.list(EventState::Pending, 0).await.unwrap().is_empty());
    assert_eq!(
        store.list(EventState::Done, 10).await.unwrap()[0].event_id,
        "e0"
    );
    assert_eq!(
        store.list(EventState::Stale, 10).await.unwrap()[0].event_id,
        "e1"
    );
}

/// Defines, in a module per store, one test per check.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod memory {
            use super::*;
            $(
                #[tokio::test]
                async fn $check() {
                    super::$check(&MemoryStore::default()).await;
                }
            )*
        }

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let (store, _dir) = crate::inbox_store::sqlite::temporary().await;
                    super::$check(&store).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let Some(schema) = crate::inbox_store::postgres::Schema::create().await else {
                        return;
                    };
                    let store = schema.store().await;
                    super::$check(&store).await;
                    store.close().await;
                    schema.drop().await;
                }
            )*
        }
    };
}

mod conformance {
    use super::*;

    conformance!(
        insert_is_deduplicated_in_every_state,
        claim_returns_what_was_stored,
        claim_is_oldest_first_and_counts_attempts,
        an_event_is_due_from_its_arrival,
        concurrent_claims_never_share_an_event,
        a_leased_event_waits_for_its_lease,
        a_stale_token_cannot_extend_or_finish,
        done_raises_the_latest_sequence,
        retry_makes_the_event_due_at_its_time,
        dead_events_are_listed_and_replayed,
        purge_forgets_old_finished_events,
        counts_and_lists_by_state,
    );
}

// ---------------------------------------------------------------------------------------------
// SQLite only.

mod sqlite {
    use std::path::Path;

    use sqlx::Connection;
    use wix_order_payment_requests::webhooks::inbox::{SqliteOptions, SqliteStore};

    use super::*;

    /// A store in a fresh file, and the directory that holds it.
    pub(super) async fn temporary() -> (SqliteStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("inbox.db"))
            .await
            .unwrap();
        (store, dir)
    }

    /// A second, plain connection to the file at `path`, created if missing.
    async fn raw(path: &Path) -> sqlx::SqliteConnection {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn everything_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let store = SqliteStore::open(&path).await.unwrap();
        insert(&store, entity_event("done", "opr", 3, T)).await;
        insert(&store, event("dead", T)).await;
        insert(&store, event("leased", T)).await;
        insert(&store, event("waiting", T)).await;
        claim_until(&store, "t", T, T + 1_000, 3).await;
        let done = Finish::Done {
            entity_id: Some("opr"),
            sequence: Some(3),
        };
        assert!(finish(&store, "done", "t", done, T + 1).await);
        assert!(finish(&store, "dead", "t", Finish::Dead { error: "boom" }, T + 1).await);
        store.close().await;
        drop(store);

        let store = SqliteStore::open(&path).await.unwrap();
        assert_eq!(store.path(), path);
        let mut other = raw(&path).await;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut other)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        other.close().await.unwrap();
        assert_eq!(insert(&store, event("done", T)).await, Inserted::Duplicate);
        assert_eq!(store.latest_sequence("opr").await.unwrap(), Some(3));
        let dead = store.list(EventState::Dead, 10).await.unwrap();
        assert_eq!(dead[0].last_error.as_deref(), Some("boom"));
        assert_eq!(
            store.counts().await.unwrap(),
            InboxCounts {
                pending: 2,
                done: 1,
                stale: 0,
                dead: 1
            }
        );
        // The lease taken before the restart still holds, the unclaimed event is due.
        assert_eq!(ids(&claim(&store, "t2", T + 500, 10).await), ["waiting"]);
        let leased = claim(&store, "t3", T + 1_000, 10).await;
        assert_eq!(ids(&leased), ["leased"]);
        assert_eq!(leased[0].attempts, 2);
        // New events go after the old ones.
        insert(&store, event("new", T)).await;
        let all = store.list(EventState::Pending, 10).await.unwrap();
        let names: Vec<&str> = all.iter().map(|e| e.event_id.as_str()).collect();
        assert_eq!(names, ["leased", "waiting", "new"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_file_of_garbage_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let mut garbage = vec![0u8; 16 * 1024];
        let mut x: u32 = 0x2545_f491;
        for byte in &mut garbage {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *byte = x as u8;
        }
        std::fs::write(&path, &garbage).unwrap();
        let error = match SqliteStore::open(&path).await {
            Err(error) => error,
            Ok(store) => store.insert(&event("a", T)).await.unwrap_err(),
        };
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            garbage,
            "the file was changed"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_directory_is_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let error = SqliteStore::open(dir.path().join("no/such/dir/inbox.db"))
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Unreachable(_)), "{error:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_lock_held_elsewhere_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let options = SqliteOptions::default().busy_timeout(Duration::from_millis(200));
        let store = SqliteStore::open_with(&path, options).await.unwrap();
        insert(&store, event("before", T)).await;

        let mut other = raw(&path).await;
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut other)
            .await
            .unwrap();
        let started = Instant::now();
        let error = store.insert(&event("a", T)).await.unwrap_err();
        assert!(matches!(error, StoreError::Locked(_)), "{error:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // Reads go on beside the writer.
        assert_eq!(store.counts().await.unwrap().pending, 1);

        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
        assert_eq!(insert(&store, event("a", T)).await, Inserted::New);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn foreign_tables_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let mut other = raw(&path).await;
        sqlx::query("CREATE TABLE wix_webhook_inbox (id INTEGER PRIMARY KEY, payload TEXT)")
            .execute(&mut other)
            .await
            .unwrap();
        other.close().await.unwrap();
        let error = SqliteStore::open(&path).await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");

        // All three names, but not the inbox's columns.
        let mut other = raw(&path).await;
        for statement in [
            "CREATE TABLE wix_webhook_inbox_entities (entity_id TEXT, latest_sequence INTEGER)",
            "CREATE TABLE wix_webhook_inbox_schema (version INTEGER)",
            "INSERT INTO wix_webhook_inbox_schema VALUES (1)",
        ] {
            sqlx::query(statement).execute(&mut other).await.unwrap();
        }
        other.close().await.unwrap();
        let error = SqliteStore::open(&path).await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        assert!(error.to_string().contains("wix_webhook_inbox"), "{error}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.db");
        let store = SqliteStore::open(&path).await.unwrap();
        store.close().await;
        let mut other = raw(&path).await;
        sqlx::query("UPDATE wix_webhook_inbox_schema SET version = 99")
            .execute(&mut other)
            .await
            .unwrap();
        other.close().await.unwrap();
        let error = SqliteStore::open(&path).await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        assert!(error.to_string().contains("newer"), "{error}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_store_is_unreachable() {
        let (store, _dir) = temporary().await;
        store.close().await;
        let error = store.insert(&event("a", T)).await.unwrap_err();
        assert!(matches!(error, StoreError::Unreachable(_)), "{error:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn open_store_opens_sqlite_urls() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("inbox.db").display());
        let store = wix_order_payment_requests::webhooks::inbox::open_store(&url)
            .await
            .unwrap();
        assert_eq!(insert(store.as_ref(), event("a", T)).await, Inserted::New);
        assert!(format!("{store:?}").contains("SqliteStore"));
    }
}

// ---------------------------------------------------------------------------------------------
// Postgres only.

mod postgres {
    use std::sync::Arc;

    use sqlx::Connection;
    use wix_order_payment_requests::webhooks::inbox::PostgresStore;

    use super::*;

    /// The server the tests use, if any; panics when it is required and missing.
    fn server_url() -> Option<String> {
        match std::env::var("WIX_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                assert!(
                    std::env::var("WIX_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "WIX_REQUIRE_POSTGRES=1 but WIX_TEST_POSTGRES_URL is not set \
                     (`.ci/postgres.sh start DIR` prints one)"
                );
                eprintln!(
                    "skipped: WIX_TEST_POSTGRES_URL is not set (`.ci/postgres.sh start DIR` \
                     prints one)"
                );
                None
            }
        }
    }

    /// A schema of its own on the test server, so that tests running at once do not see
    /// each other's rows; stores reach it through the URL's `search_path`.
    pub(super) struct Schema {
        server: String,
        name: String,
    }

    impl Schema {
        pub(super) async fn create() -> Option<Schema> {
            let server = server_url()?;
            let name = format!("inbox_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
            Some(Schema { server, name })
        }

        /// The server's URL with this schema first in the `search_path`.
        pub(super) fn url(&self) -> String {
            let separator = if self.server.contains('?') { '&' } else { '?' };
            format!(
                "{}{separator}options[search_path]={}",
                self.server, self.name
            )
        }

        pub(super) async fn store(&self) -> PostgresStore {
            PostgresStore::connect(&self.url()).await.unwrap()
        }

        pub(super) async fn execute(&self, statement: &str) {
            let mut connection = sqlx::PgConnection::connect(&self.url()).await.unwrap();
            sqlx::query(statement)
                .execute(&mut connection)
                .await
                .unwrap();
            connection.close().await.unwrap();
        }

        pub(super) async fn drop(self) {
            let mut admin = sqlx::PgConnection::connect(&self.server).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_stores_on_one_database_never_share_an_event() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let first = schema.store().await;
        let second = schema.store().await;
        const EVENTS: usize = 200;
        for i in 0..EVENTS {
            insert(&first, event(&format!("e{i:04}"), T)).await;
        }
        let stores = [Arc::new(first), Arc::new(second)];
        let tasks: Vec<_> = (0..8)
            .map(|worker| {
                let store = Arc::clone(&stores[worker % 2]);
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    for round in 0.. {
                        let token = format!("w{worker}-{round}");
                        let got = claim(store.as_ref(), &token, T + 1, 4).await;
                        if got.is_empty() {
                            break;
                        }
                        for event in &got {
                            assert!(
                                finish(store.as_ref(), &event.event_id, &token, DONE, T + 2).await
                            );
                        }
                        mine.extend(got.into_iter().map(|e| e.event_id));
                    }
                    mine
                })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let unique: HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "an event was claimed twice");
        assert_eq!(all.len(), EVENTS);
        assert_eq!(stores[1].counts().await.unwrap().done, EVENTS as u64);
        for store in &stores {
            store.close().await;
        }
        schema.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replicas_starting_at_once_create_the_tables_once() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let url = schema.url();
        let stores = join_all((0..6).map(|_| PostgresStore::connect(&url))).await;
        let stores: Vec<PostgresStore> = stores.into_iter().map(Result::unwrap).collect();
        assert_eq!(insert(&stores[0], event("a", T)).await, Inserted::New);
        assert_eq!(insert(&stores[5], event("a", T)).await, Inserted::Duplicate);
        for store in &stores {
            store.close().await;
        }
        // Opening again finds the tables as they are.
        let again = schema.store().await;
        assert_eq!(again.counts().await.unwrap().pending, 1);
        again.close().await;
        schema.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn from_pool_uses_the_applications_pool() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(2))
            .connect(&schema.url())
            .await
            .unwrap();
        let store = PostgresStore::from_pool(pool).await.unwrap();
        assert_eq!(insert(&store, event("a", T)).await, Inserted::New);
        let debug = format!("{store:?}");
        assert!(debug.starts_with("PostgresStore"), "{debug}");
        store.close().await;
        schema.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn foreign_tables_and_newer_schemas_are_refused() {
        let Some(schema) = Schema::create().await else {
            return;
        };
        schema
            .execute("CREATE TABLE wix_webhook_inbox (id BIGINT PRIMARY KEY, payload JSONB)")
            .await;
        let error = PostgresStore::connect(&schema.url()).await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        schema.execute("DROP TABLE wix_webhook_inbox").await;

        let store = schema.store().await;
        store.close().await;
        schema
            .execute("UPDATE wix_webhook_inbox_schema SET version = 99")
            .await;
        let error = PostgresStore::connect(&schema.url()).await.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        assert!(error.to_string().contains("newer"), "{error}");
        schema.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_database_is_unreachable_and_hides_the_password() {
        let Some(server) = server_url() else {
            return;
        };
        // The same server with a password and a database that does not exist.
        let rest = server.split_once("://").unwrap().1;
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        let host = host.split(['/', '?']).next().unwrap();
        let url = format!("postgres://postgres:Hunter2-secret@{host}/no_such_database_here");
        let error = PostgresStore::connect(&url).await.unwrap_err();
        assert!(matches!(error, StoreError::Unreachable(_)), "{error:?}");
        let message = error.to_string();
        assert!(!message.contains("Hunter2-secret"), "{message}");
        assert!(message.contains("no_such_database_here"), "{message}");
    }

    /// Needs no server: nothing listens on the port.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn nothing_listening_is_unreachable_quickly_without_the_password() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let url = format!("postgres://inbox:s3cr3t%2Fpw@127.0.0.1:{port}/inbox?sslmode=disable");
        let started = Instant::now();
        let error = PostgresStore::connect(&url).await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert!(matches!(error, StoreError::Unreachable(_)), "{error:?}");
        let message = error.to_string();
        assert!(!message.contains("s3cr3t"), "{message}");
        assert!(message.contains(&port.to_string()), "{message}");
        let debug = format!("{error:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");

        let error = wix_order_payment_requests::webhooks::inbox::open_store(&url)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Unreachable(_)), "{error:?}");
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
    }

    #[tokio::test]
    async fn a_malformed_url_is_invalid_without_the_password() {
        let error = PostgresStore::connect("postgres://inbox:s3cr3t@127.0.0.1:notaport/inbox")
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::InvalidUrl(_)), "{error:?}");
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
    }
}
