//! The inbox in one SQLite file: for a single receiver process that must keep its events
//! across restarts and crashes.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::SqlitePool;

use super::sql::{self, Backend, Schema};
use super::store::{
    ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted, Millis,
    NewEvent, StoreError, StoredEvent,
};

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
        let connect = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(options.busy_timeout);
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections)
            // Waiting for a connection means waiting for the others' statements, each bounded
            // by the busy timeout.
            .acquire_timeout(options.busy_timeout.saturating_mul(2) + Duration::from_secs(1))
            .connect_with(connect)
            .await
            .map_err(|error| map(&format!("opening the inbox file {}", path.display()), error))?;
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
        let found: Vec<String> = sqlx::query_scalar(FIND_TABLES)
            .fetch_all(&mut *tx)
            .await
            .map_err(|error| map("opening the inbox tables", error))?;
        match sql::schema_state(&found)? {
            Schema::Missing => {
                for statement in CREATE {
                    sqlx::query(statement)
                        .execute(&mut *tx)
                        .await
                        .map_err(|error| map("creating the inbox tables", error))?;
                }
                sqlx::query(sql::WRITE_VERSION)
                    .bind(sql::SCHEMA_VERSION)
                    .execute(&mut *tx)
                    .await
                    .map_err(|error| map("creating the inbox tables", error))?;
            }
            Schema::Present => {
                let versions: Vec<i32> = sqlx::query_scalar(sql::READ_VERSION)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|error| {
                        sql::foreign_table(Backend::Sqlite, sql::SCHEMA_TABLE, error)
                    })?;
                sql::check_version(&versions)?;
            }
        }
        for (table, probe) in sql::PROBES {
            sqlx::query(probe)
                .execute(&mut *tx)
                .await
                .map_err(|error| sql::foreign_table(Backend::Sqlite, table, error))?;
        }
        tx.commit()
            .await
            .map_err(|error| map("creating the inbox tables", error))
    }
}

fn map(action: &str, error: sqlx::Error) -> StoreError {
    sql::map_error(Backend::Sqlite, action, error)
}

#[async_trait]
impl InboxStore for SqliteStore {
    async fn insert(&self, event: &NewEvent<'_>) -> Result<Inserted, StoreError> {
        let done = sqlx::query(sql::INSERT)
            .bind(event.event_id)
            .bind(event.event_type)
            .bind(event.entity_id)
            .bind(event.sequence.map(sql::sequence_to_db))
            .bind(event.body)
            .bind(event.received_at)
            .execute(&self.pool)
            .await
            .map_err(|error| map("storing an event", error))?;
        Ok(if done.rows_affected() == 0 {
            Inserted::Duplicate
        } else {
            Inserted::New
        })
    }

    async fn claim(&self, request: &ClaimRequest<'_>) -> Result<Vec<StoredEvent>, StoreError> {
        if request.limit == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<SqliteRow> = sqlx::query(CLAIM)
            .bind(request.token)
            .bind(request.lease_until)
            .bind(request.now)
            .bind(sql::limit_to_db(request.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|error| map("claiming events", error))?;
        let claimed = rows
            .iter()
            .map(sql::stored_event)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(sql::oldest_first(claimed))
    }

    async fn extend_lease(
        &self,
        event_id: &str,
        token: &str,
        lease_until: Millis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::EXTEND_LEASE)
            .bind(event_id)
            .bind(token)
            .bind(lease_until)
            .execute(&self.pool)
            .await
            .map_err(|error| map("extending a lease", error))?;
        Ok(done.rows_affected() > 0)
    }

    async fn finish(
        &self,
        event_id: &str,
        token: &str,
        finish: &Finish<'_>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let action = "recording an event's outcome";
        let query = match finish {
            Finish::Done {
                entity_id: Some(entity),
                sequence: Some(sequence),
            } => {
                let mut tx = self
                    .pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(|error| map(action, error))?;
                let done = sqlx::query(sql::FINISH_DONE)
                    .bind(event_id)
                    .bind(token)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|error| map(action, error))?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query(RAISE_SEQUENCE)
                    .bind(*entity)
                    .bind(sql::sequence_to_db(*sequence))
                    .execute(&mut *tx)
                    .await
                    .map_err(|error| map(action, error))?;
                tx.commit().await.map_err(|error| map(action, error))?;
                return Ok(true);
            }
            Finish::Done { .. } => sqlx::query(sql::FINISH_DONE)
                .bind(event_id)
                .bind(token)
                .bind(now),
            Finish::Stale => sqlx::query(sql::FINISH_STALE)
                .bind(event_id)
                .bind(token)
                .bind(now),
            Finish::Retry { error, at } => sqlx::query(sql::FINISH_RETRY)
                .bind(event_id)
                .bind(token)
                .bind(*at)
                .bind(*error),
            Finish::Dead { error } => sqlx::query(sql::FINISH_DEAD)
                .bind(event_id)
                .bind(token)
                .bind(now)
                .bind(*error),
        };
        let done = query
            .execute(&self.pool)
            .await
            .map_err(|error| map(action, error))?;
        Ok(done.rows_affected() > 0)
    }

    async fn latest_sequence(&self, entity_id: &str) -> Result<Option<u64>, StoreError> {
        let latest: Option<i64> = sqlx::query_scalar(sql::LATEST_SEQUENCE)
            .bind(entity_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|error| map("reading an entity's latest sequence", error))?;
        latest.map(sql::latest_sequence_from_db).transpose()
    }

    async fn list(&self, state: EventState, limit: usize) -> Result<Vec<EventSummary>, StoreError> {
        let rows: Vec<SqliteRow> = sqlx::query(sql::LIST)
            .bind(state.as_str())
            .bind(sql::limit_to_db(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|error| map("listing events", error))?;
        rows.iter().map(sql::summary).collect()
    }

    async fn replay(&self, event_id: &str, now: Millis) -> Result<bool, StoreError> {
        let done = sqlx::query(sql::REPLAY)
            .bind(event_id)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(|error| map("replaying an event", error))?;
        Ok(done.rows_affected() > 0)
    }

    async fn counts(&self) -> Result<InboxCounts, StoreError> {
        let rows: Vec<SqliteRow> = sqlx::query(sql::COUNTS)
            .fetch_all(&self.pool)
            .await
            .map_err(|error| map("counting events", error))?;
        sql::counts(&rows)
    }

    async fn purge_finished(&self, before: Millis) -> Result<u64, StoreError> {
        let done = sqlx::query(sql::PURGE)
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(|error| map("forgetting finished events", error))?;
        Ok(done.rows_affected())
    }
}
