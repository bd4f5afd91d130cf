//! The shared create locks, `SqliteLock` in a temporary file and `PostgresLock` on the server
//! `WIX_TEST_POSTGRES_URL` names (skipped with a note without it, unless
//! `WIX_REQUIRE_POSTGRES=1`). Each check runs with two locks on one store, as two processes
//! would have them: one key has one holder at a time across both, a waiter gives up after its
//! wait or gets the key soon after it is released, and a holder that vanishes frees its key.
//! Then what only one kind shows: SQLite's leases, and stores that cannot be reached.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use wix_order_payment_requests::create_lock::{
    open_lock, CreateLock, LockError, PostgresLock, SqliteLock,
};

/// Two locks on one store, and how soon a key whose holder vanished is free at the latest.
struct Locks {
    first: Arc<dyn CreateLock>,
    second: Arc<dyn CreateLock>,
    freed_within: Duration,
    _dir: Option<tempfile::TempDir>,
}

/// A key no other test uses (the Postgres server is shared by every test).
fn unique(name: &str) -> String {
    format!("{name}-{}", uuid::Uuid::new_v4().simple())
}

/// The lease of the SQLite locks in the shared checks.
const SQLITE_LEASE: Duration = Duration::from_millis(600);

async fn sqlite_locks(lease: Duration) -> Locks {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locks.db");
    Locks {
        first: Arc::new(SqliteLock::open_with(&path, lease).await.unwrap()),
        second: Arc::new(SqliteLock::open_with(&path, lease).await.unwrap()),
        freed_within: lease + Duration::from_millis(500),
        _dir: Some(dir),
    }
}

/// The test server, if any; panics when it is required and missing.
fn server_url() -> Option<String> {
    let url = std::env::var("WIX_TEST_POSTGRES_URL").unwrap_or_default();
    if !url.is_empty() {
        return Some(url);
    }
    let required = std::env::var("WIX_REQUIRE_POSTGRES").as_deref() == Ok("1");
    assert!(
        !required,
        "WIX_REQUIRE_POSTGRES=1 but WIX_TEST_POSTGRES_URL is not set"
    );
    eprintln!("skipped: set WIX_TEST_POSTGRES_URL (`.ci/postgres.sh start DIR` prints one)");
    None
}

async fn postgres_locks() -> Option<Locks> {
    let url = server_url()?;
    Some(Locks {
        first: Arc::new(PostgresLock::connect(&url).await.unwrap()),
        second: Arc::new(PostgresLock::connect(&url).await.unwrap()),
        freed_within: Duration::from_secs(1),
        _dir: None,
    })
}

/// Many tasks on both locks want one key while it is held: none gets it before its release,
/// then they hold it one at a time; another key is free all the while.
async fn one_holder_at_a_time_and_other_keys_stay_free(locks: &Locks) {
    let key = unique("invoice");
    let held = locks.first.acquire(&key, Duration::ZERO).await.unwrap();
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let entered = Arc::new(AtomicUsize::new(0));
    const TASKS: usize = 12;
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let lock = Arc::clone(if i % 2 == 0 {
                &locks.first
            } else {
                &locks.second
            });
            let (key, inside, most, entered) = (
                key.clone(),
                Arc::clone(&inside),
                Arc::clone(&most),
                Arc::clone(&entered),
            );
            tokio::spawn(async move {
                let guard = lock.acquire(&key, Duration::from_secs(30)).await.unwrap();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
                entered.fetch_add(1, Ordering::SeqCst);
                guard.release().await.unwrap();
            })
        })
        .collect();

    // Another key is free at once, from either lock, while the first is held and wanted.
    let other = unique("other-invoice");
    let other_held = locks.second.acquire(&other, Duration::ZERO).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(entered.load(Ordering::SeqCst), 0, "a task got a held key");
    assert_eq!(inside.load(Ordering::SeqCst), 0, "a task got a held key");
    other_held.release().await.unwrap();
    held.release().await.unwrap();

    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(entered.load(Ordering::SeqCst), TASKS);
    assert_eq!(
        most.load(Ordering::SeqCst),
        1,
        "two tasks held one key at once"
    );
}

/// A key held by one lock is refused to the other, and to another caller of the same lock,
/// once the wait is over.
async fn a_held_key_times_out_after_the_wait(locks: &Locks) {
    let key = unique("invoice");
    let held = locks.first.acquire(&key, Duration::ZERO).await.unwrap();
    for lock in [&locks.second, &locks.first] {
        let wait = Duration::from_millis(300);
        let started = Instant::now();
        let error = lock.acquire(&key, wait).await.unwrap_err();
        let elapsed = started.elapsed();
        match error {
            LockError::Timeout {
                key: ref refused,
                waited,
            } => {
                assert_eq!(refused, &key);
                assert!(waited >= wait, "{waited:?}");
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(elapsed >= wait, "{elapsed:?}");
        assert!(elapsed < wait + Duration::from_secs(2), "{elapsed:?}");
    }
    held.release().await.unwrap();
    // Free again: taken without waiting.
    let again = locks.second.acquire(&key, Duration::ZERO).await.unwrap();
    again.release().await.unwrap();
}

/// A waiter gets the key soon after its holder releases it, and not before.
async fn release_lets_the_next_waiter_in_promptly(locks: &Locks) {
    let key = unique("invoice");
    let held = locks.first.acquire(&key, Duration::ZERO).await.unwrap();
    let waiter = {
        let (lock, key) = (Arc::clone(&locks.second), key.clone());
        tokio::spawn(async move {
            let guard = lock.acquire(&key, Duration::from_secs(20)).await.unwrap();
            (Instant::now(), guard)
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiter.is_finished(), "the waiter got a held key");
    let released = Instant::now();
    held.release().await.unwrap();
    let (got, guard) = waiter.await.unwrap();
    assert!(got >= released);
    let after = got - released;
    assert!(after < Duration::from_millis(750), "{after:?}");
    guard.release().await.unwrap();
}

/// A guard dropped without release (its task ended, its future was cancelled) frees its key.
async fn a_dropped_guard_frees_the_key(locks: &Locks) {
    let key = unique("invoice");
    let held = locks.first.acquire(&key, Duration::ZERO).await.unwrap();
    drop(held);
    let started = Instant::now();
    let guard = locks
        .second
        .acquire(&key, locks.freed_within + Duration::from_secs(2))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed <= locks.freed_within, "{elapsed:?}");
    guard.release().await.unwrap();
}

/// Acquires cancelled at any point leave nothing held for longer than a vanished holder.
async fn a_cancelled_acquire_leaves_the_key_free(locks: &Locks) {
    let key = unique("invoice");
    for micros in [0, 200, 500, 1_000, 2_000, 4_000, 8_000] {
        let attempt = locks.first.acquire(&key, Duration::from_secs(5));
        if let Ok(got) = tokio::time::timeout(Duration::from_micros(micros), attempt).await {
            drop(got.unwrap());
        }
        let guard = locks
            .second
            .acquire(&key, locks.freed_within + Duration::from_secs(2))
            .await
            .unwrap();
        guard.release().await.unwrap();
    }
}

/// Defines, in a module per kind of lock, one test per check.
macro_rules! for_both_locks {
    ($($check:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let locks = super::super::sqlite_locks(super::super::SQLITE_LEASE).await;
                    super::super::$check(&locks).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let Some(locks) = super::super::postgres_locks().await else {
                        return;
                    };
                    super::super::$check(&locks).await;
                }
            )*
        }
    };
}

mod both {
    for_both_locks!(
        one_holder_at_a_time_and_other_keys_stay_free,
        a_held_key_times_out_after_the_wait,
        release_lets_the_next_waiter_in_promptly,
        a_dropped_guard_frees_the_key,
        a_cancelled_acquire_leaves_the_key_free,
    );
}

// ---------------------------------------------------------------------------------------------
// SQLite only.

mod sqlite {
    use std::path::Path;

    use sqlx::Connection;

    use super::*;

    /// Runs `statement` on a plain connection to the file at `path`, as another process
    /// would.
    async fn execute(path: &Path, statement: &str) {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
        let mut raw = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        sqlx::query(statement).execute(&mut raw).await.unwrap();
        raw.close().await.unwrap();
    }

    /// A holder that renews its lease keeps the key for many leases.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_held_lease_is_renewed() {
        let locks = sqlite_locks(Duration::from_millis(300)).await;
        let key = unique("invoice");
        let held = locks.first.acquire(&key, Duration::ZERO).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        let error = locks
            .second
            .acquire(&key, Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(matches!(error, LockError::Timeout { .. }), "{error:?}");
        held.release().await.unwrap();
    }

    /// A dropped guard deletes its row at once while a runtime runs, long before its lease
    /// would end.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_guard_deletes_its_row_at_once() {
        let locks = sqlite_locks(Duration::from_secs(30)).await;
        let key = unique("invoice");
        drop(locks.first.acquire(&key, Duration::ZERO).await.unwrap());
        let started = Instant::now();
        let guard = locks
            .second
            .acquire(&key, Duration::from_secs(5))
            .await
            .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        guard.release().await.unwrap();
    }

    /// A holder killed with its row in the file (no release, no drop) holds the key until
    /// its lease ends, and no longer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_vanished_holder_frees_the_key_when_its_lease_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks.db");
        let lock = SqliteLock::open(&path).await.unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let row = format!(
            "INSERT INTO wix_create_locks (key, holder, expires_at) \
             VALUES ('invoice-1', 'a process that was killed', {})",
            now + 800
        );
        execute(&path, &row).await;

        let started = Instant::now();
        let guard = lock
            .acquire("invoice-1", Duration::from_secs(5))
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1_800), "{elapsed:?}");
        guard.release().await.unwrap();
    }

    /// A guard whose release found its lease taken over says so.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_release_after_the_lease_was_lost_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks.db");
        let lock = SqliteLock::open(&path).await.unwrap();
        let held = lock.acquire("invoice-1", Duration::ZERO).await.unwrap();
        execute(&path, "UPDATE wix_create_locks SET holder = 'someone else'").await;
        let error = held.release().await.unwrap_err();
        assert!(matches!(error, LockError::Other(_)), "{error:?}");
    }

    #[tokio::test]
    async fn a_missing_directory_is_unreachable() {
        let dir = tempfile::tempdir().unwrap();
        let error = SqliteLock::open(dir.path().join("missing").join("locks.db"))
            .await
            .unwrap_err();
        assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
    }

    #[tokio::test]
    async fn open_lock_opens_sqlite_urls_beside_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        // The inbox's file: its tables and the lock's live side by side.
        let store = wix_order_payment_requests::webhooks::inbox::SqliteStore::open(&path)
            .await
            .unwrap();
        let lock = open_lock(&format!("sqlite:{}", path.display()))
            .await
            .unwrap();
        let guard = lock.acquire("invoice-1", Duration::ZERO).await.unwrap();
        guard.release().await.unwrap();
        store.close().await;
        let debug = format!("{lock:?}");
        assert!(debug.starts_with("SqliteLock"), "{debug}");

        let error = open_lock("redis://cache/0").await.unwrap_err();
        assert!(matches!(error, LockError::InvalidUrl(_)), "{error:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Postgres only.

mod postgres {
    use super::*;

    /// A free local port: nothing listens on it.
    fn closed_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }

    /// Needs no server.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn nothing_listening_is_unreachable_quickly_without_the_password() {
        let port = closed_port();
        let url = format!("postgres://app:s3cr3t%2Fpw@127.0.0.1:{port}/app?sslmode=disable");
        let started = Instant::now();
        let error = PostgresLock::connect(&url).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
        }
        assert!(error.to_string().contains(&port.to_string()), "{error}");

        let error = open_lock(&url).await.unwrap_err();
        assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
    }

    /// Needs no server: a lock whose server went away fails its acquires as unreachable,
    /// after the pool's acquire timeout rather than the whole wait.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_server_gone_after_connecting_is_unreachable() {
        let url = format!(
            "postgres://app:s3cr3t@127.0.0.1:{}/app?sslmode=disable",
            closed_port()
        );
        let pool = sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(Duration::from_millis(500))
            .connect_lazy(&url)
            .unwrap();
        let lock = PostgresLock::from_pool(pool);
        let started = Instant::now();
        let error = lock
            .acquire("invoice-1", Duration::from_secs(30))
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        assert!(!format!("{lock:?}").contains("s3cr3t"), "{lock:?}");
    }

    #[tokio::test]
    async fn a_malformed_url_is_invalid_without_the_password() {
        let error = PostgresLock::connect("postgres://app:s3cr3t@127.0.0.1:notaport/app")
            .await
            .unwrap_err();
        assert!(matches!(error, LockError::InvalidUrl(_)), "{error:?}");
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
    }

    /// The test server's URL with `user:password` and `database` in place of its own.
    fn with_login(server: &str, login: &str, database: &str) -> String {
        let rest = server.split_once("://").unwrap().1;
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        let host = host.split(['/', '?']).next().unwrap();
        format!("postgres://{login}@{host}/{database}")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_database_is_unreachable_without_the_password() {
        let Some(server) = server_url() else {
            return;
        };
        let url = with_login(&server, "postgres:Hunter2-secret", "no_such_database_here");
        let error = PostgresLock::connect(&url).await.unwrap_err();
        assert!(matches!(error, LockError::Unreachable(_)), "{error:?}");
        assert!(!error.to_string().contains("Hunter2-secret"), "{error}");
        assert!(
            error.to_string().contains("no_such_database_here"),
            "{error}"
        );
    }

    /// The test server trusts every login, so a URL with a password connects: the lock's
    /// `Debug` shows the URL without it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn debug_never_shows_the_password() {
        let Some(server) = server_url() else {
            return;
        };
        let database = server
            .rsplit_once('/')
            .map(|(_, rest)| rest.split('?').next().unwrap_or_default())
            .unwrap_or("postgres");
        let url = with_login(&server, "postgres:Hunter2-secret", database);
        let lock = PostgresLock::connect(&url).await.unwrap();
        let debug = format!("{lock:?}");
        assert!(debug.starts_with("PostgresLock"), "{debug}");
        assert!(!debug.contains("Hunter2-secret"), "{debug}");
        let guard = lock
            .acquire(&unique("invoice"), Duration::ZERO)
            .await
            .unwrap();
        assert!(!format!("{guard:?}").contains("Hunter2-secret"));
        guard.release().await.unwrap();
    }

    /// Held keys keep one connection each: with every connection of the pool holding a key,
    /// another key waits for one to come free instead of failing as unreachable.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pool_full_of_held_keys_makes_callers_wait() {
        let Some(server) = server_url() else {
            return;
        };
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_millis(300))
            .connect_lazy(&server)
            .unwrap();
        let lock = Arc::new(PostgresLock::from_pool(pool));
        let first = lock.acquire(&unique("a"), Duration::ZERO).await.unwrap();
        let second = lock.acquire(&unique("b"), Duration::ZERO).await.unwrap();
        let error = lock
            .acquire(&unique("c"), Duration::from_millis(500))
            .await
            .unwrap_err();
        assert!(matches!(error, LockError::Timeout { .. }), "{error:?}");

        let third = {
            let lock = Arc::clone(&lock);
            tokio::spawn(async move { lock.acquire(&unique("c"), Duration::from_secs(10)).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        first.release().await.unwrap();
        third.await.unwrap().unwrap().release().await.unwrap();
        second.release().await.unwrap();
    }
}
