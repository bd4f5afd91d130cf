//! The inbox in Postgres: one inbox shared by many receiver replicas.

use std::fmt;
use std::time::Duration;

use sqlx::{Connection, PgConnection, PgPool, Postgres};

use super::sql::{self, Backend};
use super::store::StoreError;
use crate::sql::postgres::PgTarget;

/// How long a call waits for a connection (and [`PostgresStore::connect`] for its first one)
/// before it fails with [`StoreError::Unreachable`]: a receiver then answers `503` while Wix
/// still waits for its answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Connections [`PostgresStore::connect`] keeps at most.
const MAX_CONNECTIONS: u32 = 10;

/// The key of the transaction-scoped advisory lock that serializes the first use of the
/// tables by several replicas starting at once.
const MIGRATION_LOCK: i64 = 0x7769_785f_696e_6278;

/// The tables, created in one transaction on first use.
const CREATE: [&str; 5] = [
    "CREATE TABLE wix_webhook_inbox (
        position BIGSERIAL PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        event_type TEXT NOT NULL,
        entity_id TEXT,
        sequence BIGINT,
        body TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'stale', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at BIGINT NOT NULL,
        lease_token TEXT,
        lease_until BIGINT,
        last_error TEXT,
        finished_at BIGINT
    )",
    "CREATE INDEX wix_webhook_inbox_pending ON wix_webhook_inbox (position) \
     WHERE state = 'pending'",
    "CREATE INDEX wix_webhook_inbox_finished ON wix_webhook_inbox (state, finished_at)",
    "CREATE TABLE wix_webhook_inbox_entities (
        entity_id TEXT PRIMARY KEY,
        latest_sequence BIGINT NOT NULL
    )",
    "CREATE TABLE wix_webhook_inbox_schema (version INTEGER NOT NULL)",
];

/// The inbox tables (or anything else of their names) in the schema new tables go to, the
/// first of the `search_path`.
const FIND_TABLES: &str = "SELECT c.relname::text FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = current_schema() \
       AND c.relname IN ('wix_webhook_inbox', 'wix_webhook_inbox_entities', \
                         'wix_webhook_inbox_schema')";

/// `$1` token, `$2` lease end, `$3` now, `$4` limit. The due rows are locked once, skipping
/// those another claim is taking right now.
const CLAIM: &str = "WITH due AS MATERIALIZED ( \
         SELECT position FROM wix_webhook_inbox \
         WHERE state = 'pending' AND next_try_at <= $3 \
           AND (lease_until IS NULL OR lease_until <= $3) \
         ORDER BY position LIMIT $4 \
         FOR UPDATE SKIP LOCKED) \
     UPDATE wix_webhook_inbox AS inbox \
     SET attempts = inbox.attempts + 1, lease_token = $1, lease_until = $2 \
     FROM due WHERE inbox.position = due.position \
     RETURNING inbox.position, inbox.event_id, inbox.event_type, inbox.entity_id, \
         inbox.sequence, inbox.body, inbox.received_at, inbox.attempts, inbox.last_error";

/// `$1` entity, `$2` sequence.
const RAISE_SEQUENCE: &str = "INSERT INTO wix_webhook_inbox_entities (entity_id, latest_sequence) \
     VALUES ($1, $2) ON CONFLICT (entity_id) DO UPDATE \
     SET latest_sequence = GREATEST(wix_webhook_inbox_entities.latest_sequence, \
                                    EXCLUDED.latest_sequence)";

/// An [`InboxStore`] in a Postgres database, shared by any number of receivers and workers:
/// claims lock rows with `FOR UPDATE SKIP LOCKED`, so replicas never take the same event.
///
/// Its tables are `wix_webhook_inbox`, `wix_webhook_inbox_entities` and
/// `wix_webhook_inbox_schema`, in the first schema of the connection's `search_path` (set it
/// with `?options[search_path]=NAME` in the URL to keep them apart); they are created on first
/// use, and other tables are left alone. Needs Postgres 12 or newer. Cheap to clone: clones
/// share the pool.
///
/// [`InboxStore`]: super::InboxStore
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("connections", &self.pool.size())
            .field("idle", &self.pool.num_idle())
            .finish()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?…`,
    /// with sqlx's parameters such as `sslmode`), and creates or checks the inbox tables.
    ///
    /// It keeps up to 10 connections; a call that waits more than 3 s for one fails with
    /// [`StoreError::Unreachable`]. Fails with [`StoreError::InvalidUrl`] for a malformed URL,
    /// [`StoreError::Unreachable`] when the server cannot be reached or refuses the login,
    /// and [`StoreError::Corrupt`] when tables of these names were not created by the inbox
    /// or by a newer version of it. Error messages never show the password.
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let target = PgTarget::parse(url)?;
        let mut first = target.connect(CONNECT_TIMEOUT).await?;
        let migrated = migrate(&mut first).await;
        let _ = first.close().await;
        migrated.map_err(|error| scrub(error, &target))?;
        Ok(PostgresStore {
            pool: target.lazy_pool(MAX_CONNECTIONS, CONNECT_TIMEOUT),
        })
    }

    /// A store on a pool the application configured, after creating or checking the inbox
    /// tables. Set a short `acquire_timeout` on it: a receiver answers `503` only once a call
    /// gave up waiting for a connection.
    pub async fn from_pool(pool: PgPool) -> Result<PostgresStore, StoreError> {
        let mut connection = pool
            .acquire()
            .await
            .map_err(|error| map("connecting to the inbox database", error))?;
        migrate(&mut connection).await?;
        drop(connection);
        Ok(PostgresStore { pool })
    }

    /// The pool the store uses.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Waits for the statements running now, then closes the connections. Calls made after it
    /// fail with [`StoreError::Unreachable`].
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the tables, or checks the ones there, in one transaction that holds the migration
/// lock, so that replicas starting together do not create them twice.
async fn migrate(connection: &mut PgConnection) -> Result<(), StoreError> {
    let action = "opening the inbox tables";
    let mut tx = connection
        .begin()
        .await
        .map_err(|error| map(action, error))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(|error| map(action, error))?;
    sql::create_or_check::<Postgres>(&mut tx, Backend::Postgres, FIND_TABLES, &CREATE).await?;
    tx.commit()
        .await
        .map_err(|error| map("creating the inbox tables", error))
}

fn map(action: &str, error: sqlx::Error) -> StoreError {
    crate::sql::postgres::map(action, error).into()
}

/// `error` without the password of the URL `target` was parsed from.
fn scrub(error: StoreError, target: &PgTarget) -> StoreError {
    match error {
        StoreError::Unreachable(m) => StoreError::Unreachable(target.clean(m)),
        StoreError::Full(m) => StoreError::Full(target.clean(m)),
        StoreError::Locked(m) => StoreError::Locked(target.clean(m)),
        StoreError::Corrupt(m) => StoreError::Corrupt(target.clean(m)),
        StoreError::InvalidUrl(m) => StoreError::InvalidUrl(target.clean(m)),
        StoreError::Other(m) => StoreError::Other(target.clean(m)),
        StoreError::FeatureDisabled(feature) => StoreError::FeatureDisabled(feature),
    }
}

sql::impl_inbox_store!(PostgresStore {
    claim: CLAIM,
    raise_sequence: RAISE_SEQUENCE,
    begin: |pool| pool.begin(),
    map: map,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_every_spelling_of_the_password() {
        let url = "postgres://app:p%40ss+w0rd@db:5432/inbox?sslmode=require&password=other";
        let target = PgTarget::parse(url).unwrap();
        let error = scrub(
            StoreError::Unreachable("p%40ss+w0rd p@ss w0rd other at postgres://x".into()),
            &target,
        );
        let message = error.to_string();
        assert!(!message.contains("p%40ss"), "{message}");
        assert!(!message.contains("p@ss"), "{message}");
        assert!(!message.contains("other"), "{message}");
        assert_eq!(target.shown(), "postgres://app:***@db:5432/inbox");
    }
}
