//! Locks that make a client's "create once" (`WixClient::create_once` of a generated client
//! crate) create one entity per `externalId` across tasks, processes and replicas.
//!
//! Wix does not refuse a second request with the same `source.externalId`, so "look up, then
//! create" must not run twice at once for one key. Two levels:
//!
//! - **In one process** (always on): calls with the same target, site and `externalId` run one
//!   at a time, whichever client makes them. The table of keys holds
//!   only keys in use, so its memory is bounded by the calls in flight.
//! - **Across processes and replicas** (optional): a [`CreateLock`] held for the whole lookup,
//!   create and settle, given to the client's builder (`ClientBuilder::create_lock`):
//!   `SqliteLock` (feature `sqlite`: processes on one machine, a lease in one file) or
//!   `PostgresLock` (feature `postgres`: replicas sharing one database, a session advisory
//!   lock). A holder that dies releases the key: its Postgres session ends, or its SQLite
//!   lease runs out. [`open_lock`] opens one from a URL.
//!
//! When the shared lock cannot be taken (store unreachable, or held by another caller for
//! longer than the wait), the call fails with `Error::NotSent`
//! before anything is sent: never a silent unguarded create.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use async_trait::async_trait;

use crate::redact::StoreUrl;

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(feature = "postgres")]
pub use postgres::PostgresLock;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteLock;

/// How long a client's `create_once` waits for a shared
/// lock that another caller holds, by default: 60 s (a create with its retries and lookups
/// ends within the default 60 s deadline).
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(60);

/// Why a shared lock could not be taken or given back. Messages never contain credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// The lock's store cannot be reached (connection refused, database down, file not
    /// openable).
    #[error("the lock store is unreachable: {0}")]
    Unreachable(String),
    /// Another caller held the key for longer than the wait.
    #[error("the key {key:?} is still held by another caller after {waited:?}")]
    Timeout {
        /// The key.
        key: String,
        /// How long this caller waited.
        waited: Duration,
    },
    /// The lock URL is not one this build understands.
    #[error("invalid lock URL: {0}")]
    InvalidUrl(String),
    /// The URL names a store whose cargo feature (`sqlite` or `postgres`) this build lacks.
    #[error(
        "{0} locks need the client crate's feature `{0}` \
         (features = [\"{0}\"] in Cargo.toml)"
    )]
    FeatureDisabled(&'static str),
    /// Any other failure of the store.
    #[error("the lock store failed: {0}")]
    Other(String),
}

/// A lock shared by processes: while a caller holds a key, no other caller anywhere gets it.
///
/// Implementations: `SqliteLock` (feature `sqlite`) and `PostgresLock` (feature
/// `postgres`); any `dyn CreateLock` may be given to
/// a client's `ClientBuilder::create_lock`.
#[async_trait]
pub trait CreateLock: Send + Sync + fmt::Debug {
    /// Waits until this caller holds `key`, at most `wait`; then returns the guard that holds
    /// it. A holder that dies (process killed, connection lost) must release the key after a
    /// bounded time.
    async fn acquire(&self, key: &str, wait: Duration) -> Result<Box<dyn LockGuard>, LockError>;
}

/// A held key. [`LockGuard::release`] gives it back; a guard dropped without it releases the
/// key too, possibly a little later (when the store notices).
#[async_trait]
pub trait LockGuard: Send + fmt::Debug {
    /// Gives the key back.
    async fn release(self: Box<Self>) -> Result<(), LockError>;
}

/// Opens the shared lock a URL names, creating its table on first use:
///
/// - `sqlite:PATH` (or `sqlite://PATH`) — a `SqliteLock` in the file `PATH` (feature
///   `sqlite`); it may be the webhook inbox's file;
/// - `postgres://…` or `postgresql://…` — a `PostgresLock` (feature `postgres`).
///
/// It connects at once: a store that cannot be reached now is [`LockError::Unreachable`]
/// here; one that becomes unreachable later makes
/// a client's `create_once` fail with `Error::NotSent`. Errors never show the URL's password.
pub async fn open_lock(url: &str) -> Result<Arc<dyn CreateLock>, LockError> {
    match StoreUrl::parse(url) {
        Some(StoreUrl::Sqlite(path)) => open_sqlite(path).await,
        Some(StoreUrl::Postgres(url)) => open_postgres(url).await,
        Some(StoreUrl::Memory) | None => Err(LockError::InvalidUrl(format!(
            "`{}`: expected `sqlite:PATH` or `postgres://…`",
            crate::redact::redact_url(url)
        ))),
    }
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(path: &str) -> Result<Arc<dyn CreateLock>, LockError> {
    Ok(Arc::new(SqliteLock::open(path).await?))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_path: &str) -> Result<Arc<dyn CreateLock>, LockError> {
    Err(LockError::FeatureDisabled("sqlite"))
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> Result<Arc<dyn CreateLock>, LockError> {
    Ok(Arc::new(PostgresLock::connect(url).await?))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str) -> Result<Arc<dyn CreateLock>, LockError> {
    Err(LockError::FeatureDisabled("postgres"))
}

/// The in-process lock table: one async mutex per key in use, shared by every client of the
/// process. A key's entry goes away with its last holder or waiter.
#[derive(Debug, Default)]
pub struct LocalLocks {
    keys: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

impl LocalLocks {
    /// The table every client of the process shares.
    pub fn global() -> &'static LocalLocks {
        static GLOBAL: OnceLock<LocalLocks> = OnceLock::new();
        GLOBAL.get_or_init(LocalLocks::default)
    }

    /// Waits until this task holds `key` in this process.
    pub async fn lock(&self, key: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let mutex = {
            let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
            match keys.get(key).and_then(Weak::upgrade) {
                Some(mutex) => mutex,
                None => {
                    // Forget the keys nobody holds or waits for any more, so the table stays
                    // as small as the calls in flight.
                    keys.retain(|_, held| held.strong_count() > 0);
                    let mutex = Arc::new(tokio::sync::Mutex::new(()));
                    keys.insert(key.to_string(), Arc::downgrade(&mutex));
                    mutex
                }
            }
        };
        mutex.lock_owned().await
    }

    /// How many keys the table holds (for tests of its bound).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_key_is_held_by_one_task_at_a_time_and_forgotten_after() {
        let locks = Arc::new(LocalLocks::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (locks, inside, most) = (locks.clone(), inside.clone(), most.clone());
                tokio::spawn(async move {
                    let _held = locks.lock("site|invoice-1").await;
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        // Another key is not held up by the first, and the first's entry goes away.
        drop(locks.lock("site|invoice-2").await);
        let _third = locks.lock("site|invoice-3").await;
        assert_eq!(locks.len(), 1);
    }
}
