//! The inbox in one SQLite file: for a single receiver process that must keep its events
//! across restarts and crashes.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::{Sqlite, SqlitePool};

use super::sql::{self, Backend};
use super::store::StoreError;

/// The tables, created in one transaction on first use.
const CREATE: [&str; 5] = [
    "CREATE TABLE wix_webhook_inbox (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        event_type TEXT NOT NULL,
        entity_id TEXT,
        sequence INTEGER,
        body TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'stale', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at INTEGER NOT NULL,
        lease_token TEXT,
        lease_until INTEGER,
        last_error TEXT,
        finished_at INTEGER
    )",
    "CREATE INDEX wix_webhook_inbox_pending ON wix_webhook_inbox (position) \
     WHERE state = 'pending'",
    "CREATE INDEX wix_webhook_inbox_finished ON wix_webhook_inbox (state, finished_at)",
    "CREATE TABLE wix_webhook_inbox_entities (
        entity_id TEXT PRIMARY KEY NOT NULL,
        latest_sequence INTEGER NOT NULL
    )",
    "CREATE TABLE wix_webhook_inbox_schema (version INTEGER NOT NULL)",
];

/// The inbox tables that exist in the file.
const FIND_TABLES: &str = "SELECT name FROM sqlite_master \
     WHERE name IN ('wix_webhook_inbox', 'wix_webhook_inbox_entities', \
     'wix_webhook_inbox_schema')";

/// `$1` token, `$2` lease end, `$3` now, `$4` limit.
const CLAIM: &str = "UPDATE wix_webhook_inbox \
     SET attempts = attempts + 1, lease_token = $1, lease_until = $2 \
     WHERE position IN ( \
         SELECT position FROM wix_webhook_inbox \
         WHERE state = 'pending' AND next_try_at <= $3 \
           AND (lease_until IS NULL OR lease_until <= $3) \
         ORDER BY position LIMIT $4) \
     RETURNING position, event_id, event_type, entity_id, sequence, body, received_at, \
         attempts, last_error";

/// `$1` entity, `$2` sequence.
const RAISE_SEQUENCE: &str = "INSERT INTO wix_webhook_inbox_entities (entity_id, latest_sequence) \
     VALUES ($1, $2) ON CONFLICT (entity_id) DO UPDATE \
     SET latest_sequence = max(wix_webhook_inbox_entities.latest_sequence, \
                               excluded.latest_sequence)";

/// How a [`SqliteStore`] opens its file. `Default` gives the values documented on each
/// setter.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    busy_timeout: Duration,
    max_connections: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            busy_timeout: Duration::from_secs(5),
            max_connections: 4,
        }
    }
}

impl SqliteOptions {
    /// How long a statement waits for another connection (or process) that holds the file's
    /// write lock before it fails with [`StoreError::Locked`]. Default 5 s.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Connections kept open to the file (at least 1). Writes take turns; reads run
    /// alongside them. Default 4.
    pub fn max_connections(mut self, connections: u32) -> Self {
        self.max_connections = connections.max(1);
        self
    }
}

/// An [`InboxStore`] in one SQLite file, in WAL mode with `synchronous=FULL`: an event is on
/// disk when [`InboxStore::insert`] returns, and survives a crash of the process or the
/// machine.
///
/// The file holds the tables `wix_webhook_inbox`, `wix_webhook_inbox_entities` and
/// `wix_webhook_inbox_schema`; other tables in it are left alone. Several processes may open
/// the same file (writes take turns), but a file on a network share is not safe: use
/// `PostgresStore` for several replicas. Cheap to clone: clones share the connections.
///
/// [`InboxStore`]: super::InboxStore
/// [`InboxStore::insert`]: super::InboxStore::insert
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("connections", &self.pool.size())
            .finish()
    }
}

impl SqliteStore {
    /// Opens the store in the file at `path` with the default [`SqliteOptions`], creating
    /// the file and its tables if missing.
    ///
    /// Fails with [`StoreError::Corrupt`] when the file is not a SQLite database, or holds
    /// tables of these names that the inbox did not create, or was written by a newer version
    /// of this crate; with [`StoreError::Unreachable`] when it cannot be opened (missing
    /// directory, no permission).
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        Self::open_with(path, SqliteOptions::default()).await
    }

    /// [`SqliteStore::open`] with `options`.
    pub async fn open_with(
        path: impl AsRef<Path>,
        options: SqliteOptions,
    ) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let pool = crate::sql::sqlite::open_pool(
            &path,
            options.busy_timeout,
            options.max_connections,
            "the inbox file",
        )
        .await?;
        let store = SqliteStore { pool, path };
        if let Err(error) = store.migrate().await {
            store.pool.close().await;
            return Err(error);
        }
        Ok(store)
    }

    /// The file the store is in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits for the statements running now, then closes the file. Calls made after it fail
    /// with [`StoreError::Unreachable`].
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Creates the tables, or checks the ones there, in one write transaction.
    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|error| map("opening the inbox tables", error))?;
        sql::create_or_check::<Sqlite>(&mut tx, Backend::Sqlite, FIND_TABLES, &CREATE).await?;
        tx.commit()
            .await
            .map_err(|error| map("creating the inbox tables", error))
    }
}

fn map(action: &str, error: sqlx::Error) -> StoreError {
    crate::sql::sqlite::map(action, error).into()
}

sql::impl_inbox_store!(SqliteStore {
    claim: CLAIM,
    raise_sequence: RAISE_SEQUENCE,
    begin: |pool| pool.begin_with("BEGIN IMMEDIATE"),
    map: map,
});
