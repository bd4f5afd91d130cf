//! [`SqliteLock`]: a lease per key in one SQLite file, for processes on one machine.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::SqlitePool;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::{CreateLock, LockError, LockGuard};
use crate::millis;
use crate::sql::poll_for;
use crate::sql::sqlite::{map, open_pool};

/// How long a statement waits for another connection or process that holds the file's
/// write lock (as the inbox's default).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections kept open to the file.
const MAX_CONNECTIONS: u32 = 4;

/// The shortest lease [`SqliteLock::open_with`] takes.
const SHORTEST_LEASE: Duration = Duration::from_millis(50);

/// The table, created on first use.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS wix_create_locks (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
)";

/// Fails unless the table has the columns the lock uses.
const PROBE: &str = "SELECT key, holder, expires_at FROM wix_create_locks WHERE 1 = 0";

/// `$1` key, `$2` holder, `$3` lease end, `$4` now: changes a row only when the key was free
/// (no row, or a lease that ended).
const TAKE: &str = "INSERT INTO wix_create_locks (key, holder, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
     WHERE wix_create_locks.expires_at <= $4";

/// `$1` key, `$2` holder, `$3` new lease end.
const RENEW: &str = "UPDATE wix_create_locks SET expires_at = $3 WHERE key = $1 AND holder = $2";

/// `$1` key, `$2` holder.
const DELETE: &str = "DELETE FROM wix_create_locks WHERE key = $1 AND holder = $2";

/// A [`CreateLock`] for processes on one machine: a key is a row of the table
/// `wix_create_locks` in a SQLite file (WAL mode, `synchronous=FULL`), leased to its holder.
///
/// While a guard lives, a background task renews its lease every third of it; releasing the
/// guard deletes the row. A holder that dies (process killed) frees its keys when their
/// leases end, at most one lease (10 s by default) later; a guard dropped without
/// [`release`](LockGuard::release) frees its key at once when a Tokio runtime is there to
/// delete the row, else when the lease ends. The file may be the webhook inbox's (their
/// tables do not clash); a file on a network share is not safe. Cheap to clone: clones share
/// the connections.
#[derive(Clone)]
pub struct SqliteLock {
    pool: SqlitePool,
    path: PathBuf,
    lease: Duration,
}

impl fmt::Debug for SqliteLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteLock")
            .field("path", &self.path)
            .field("lease", &self.lease)
            .finish()
    }
}

impl SqliteLock {
    /// How long a key stays held by a holder that stopped renewing it, by default.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(10);

    /// Opens the lock in the file at `path`, creating the file and its table if missing,
    /// with leases of [`SqliteLock::DEFAULT_LEASE`].
    ///
    /// Fails with [`LockError::Unreachable`] when the file cannot be opened (missing
    /// directory, no permission), and [`LockError::Other`] when it is not a SQLite database
    /// or holds a `wix_create_locks` table that this lock did not create.
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteLock, LockError> {
        Self::open_with(path, Self::DEFAULT_LEASE).await
    }

    /// [`SqliteLock::open`] with leases of `lease` (at least 50 ms): how long a key stays
    /// held after its holder died. A holder renews its lease every `lease / 3`, so a holder
    /// whose process stalls for longer than the lease may lose its key.
    pub async fn open_with(
        path: impl AsRef<Path>,
        lease: Duration,
    ) -> Result<SqliteLock, LockError> {
        let path = path.as_ref().to_path_buf();
        let pool = open_pool(&path, BUSY_TIMEOUT, MAX_CONNECTIONS, "the lock file").await?;
        let lock = SqliteLock {
            pool,
            path,
            lease: lease.max(SHORTEST_LEASE),
        };
        if let Err(error) = lock.create_table().await {
            lock.pool.close().await;
            return Err(error);
        }
        Ok(lock)
    }

    /// The file the lock is in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long a key stays held by a holder that stopped renewing it.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    async fn create_table(&self) -> Result<(), LockError> {
        sqlx::query(CREATE)
            .execute(&self.pool)
            .await
            .map_err(|error| map("creating the lock table", error))?;
        sqlx::query(PROBE)
            .execute(&self.pool)
            .await
            .map_err(|error| match error {
                sqlx::Error::Database(error) => LockError::Other(format!(
                    "the table wix_create_locks in {} does not have the columns of the create \
                     lock ({}); it was not created by it",
                    self.path.display(),
                    error.message()
                )),
                error => map("checking the lock table", error).into(),
            })?;
        Ok(())
    }

    /// One try to lease `key` to `holder`: `None` while another holder's lease lasts.
    async fn try_once(&self, key: &str, holder: &str) -> Result<Option<SqliteGuard>, LockError> {
        // A try cancelled after its insert ran would hold the key: the guard's drop deletes
        // the row then.
        let mut guard = SqliteGuard {
            pool: self.pool.clone(),
            key: key.to_string(),
            holder: holder.to_string(),
            lease: self.lease,
            renewal: None,
            may_hold: true,
        };
        let now = millis::now();
        let taken = sqlx::query(TAKE)
            .bind(key)
            .bind(holder)
            .bind(now.saturating_add(millis::of(self.lease)))
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(|error| map(&format!("taking the key {key:?}"), error))?
            .rows_affected()
            > 0;
        if !taken {
            guard.may_hold = false;
            return Ok(None);
        }
        guard.renewal = Some(tokio::spawn(renew(
            self.pool.clone(),
            guard.key.clone(),
            guard.holder.clone(),
            self.lease,
        )));
        Ok(Some(guard))
    }
}

#[async_trait]
impl CreateLock for SqliteLock {
    async fn acquire(&self, key: &str, wait: Duration) -> Result<Box<dyn LockGuard>, LockError> {
        let started = Instant::now();
        let holder = uuid::Uuid::new_v4().simple().to_string();
        match poll_for(wait, || self.try_once(key, &holder)).await? {
            Some(guard) => Ok(Box::new(guard)),
            None => Err(LockError::Timeout {
                key: key.to_string(),
                waited: started.elapsed(),
            }),
        }
    }
}

/// Renews the lease of `key` held by `holder` every third of it, until aborted or the key is
/// lost.
async fn renew(pool: SqlitePool, key: String, holder: String, lease: Duration) {
    let every = lease / 3;
    loop {
        tokio::time::sleep(every).await;
        let renewed = sqlx::query(RENEW)
            .bind(&key)
            .bind(&holder)
            .bind(millis::now().saturating_add(millis::of(lease)))
            .execute(&pool)
            .await;
        match renewed {
            Ok(done) if done.rows_affected() > 0 => {}
            Ok(_) => {
                tracing::warn!(
                    key,
                    "the create lock's lease ran out before it was renewed; another caller may \
                     hold the key now"
                );
                return;
            }
            Err(error) => {
                tracing::warn!(key, %error, "renewing the create lock's lease failed; retrying");
            }
        }
    }
}

/// A key leased to `holder`: renewed while it lives, deleted when released or dropped.
struct SqliteGuard {
    pool: SqlitePool,
    key: String,
    holder: String,
    lease: Duration,
    renewal: Option<JoinHandle<()>>,
    /// Whether the row may be ours: what a drop must delete.
    may_hold: bool,
}

impl SqliteGuard {
    fn stop_renewal(&mut self) {
        if let Some(renewal) = self.renewal.take() {
            renewal.abort();
        }
    }
}

impl fmt::Debug for SqliteGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteGuard")
            .field("key", &self.key)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl LockGuard for SqliteGuard {
    async fn release(mut self: Box<Self>) -> Result<(), LockError> {
        self.stop_renewal();
        let deleted = delete(&self.pool, &self.key, &self.holder).await;
        self.may_hold = false;
        match deleted {
            Ok(true) => Ok(()),
            Ok(false) => Err(LockError::Other(format!(
                "the lease on the key {:?} ran out before it was released: another caller may \
                 have held the key meanwhile",
                self.key
            ))),
            Err(error) => Err(map(
                &format!("releasing the key {:?} (its lease will lapse)", self.key),
                error,
            )
            .into()),
        }
    }
}

impl Drop for SqliteGuard {
    fn drop(&mut self) {
        self.stop_renewal();
        if !self.may_hold {
            return;
        }
        // Without a runtime the lease runs out instead.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (pool, key, holder) = (self.pool.clone(), self.key.clone(), self.holder.clone());
            runtime.spawn(async move {
                if let Err(error) = delete(&pool, &key, &holder).await {
                    tracing::warn!(
                        key,
                        %error,
                        "a dropped create lock could not delete its row; its lease will lapse"
                    );
                }
            });
        }
    }
}

/// Deletes the row of `key` if `holder` still holds it; `false` when it did not.
async fn delete(pool: &SqlitePool, key: &str, holder: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(DELETE)
        .bind(key)
        .bind(holder)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}
