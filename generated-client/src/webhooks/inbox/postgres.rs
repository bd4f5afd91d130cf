//! The inbox in Postgres: one inbox shared by many receiver replicas.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{Connection, PgConnection, PgPool};

use super::sql::{self, Backend, Schema};
use super::store::{
    ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted, Millis,
    NewEvent, StoreError, StoredEvent,
};
use super::store_url::redact_url;

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
        let options: PgConnectOptions = url.parse().map_err(|error| {
            scrub(
                StoreError::InvalidUrl(format!("`{}`: {error}", shown(url))),
                url,
            )
        })?;
        let first = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options))
            .await
            .map_err(|_| {
                StoreError::Unreachable(format!(
                    "no connection to {} within {} s",
                    shown(url),
                    CONNECT_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|error| scrub(map(&format!("connecting to {}", shown(url)), error), url))?;
        let mut first = first;
        let migrated = migrate(&mut first).await;
        let _ = first.close().await;
        migrated.map_err(|error| scrub(error, url))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_lazy_with(options);
        Ok(PostgresStore { pool })
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
    let found: Vec<String> = sqlx::query_scalar(FIND_TABLES)
        .fetch_all(&mut *tx)
        .await
        .map_err(|error| map(action, error))?;
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
                .map_err(|error| sql::foreign_table(Backend::Postgres, sql::SCHEMA_TABLE, error))?;
            sql::check_version(&versions)?;
        }
    }
    for (table, probe) in sql::PROBES {
        sqlx::query(probe)
            .execute(&mut *tx)
            .await
            .map_err(|error| sql::foreign_table(Backend::Postgres, table, error))?;
    }
    tx.commit()
        .await
        .map_err(|error| map("creating the inbox tables", error))
}

fn map(action: &str, error: sqlx::Error) -> StoreError {
    sql::map_error(Backend::Postgres, action, error)
}

/// `url` as errors show it: without its password and without its parameters (which may carry
/// one).
fn shown(url: &str) -> String {
    let redacted = redact_url(url);
    match redacted.find(['?', '#']) {
        Some(end) => redacted[..end].to_string(),
        None => redacted,
    }
}

/// `error` with every spelling of the URL's password (in the user part or a `password`
/// parameter, raw or percent-decoded) replaced by `***`.
fn scrub(error: StoreError, url: &str) -> StoreError {
    let secrets = secrets(url);
    let clean = |message: String| {
        secrets.iter().fold(message, |message, secret| {
            message.replace(secret.as_str(), "***")
        })
    };
    match error {
        StoreError::Unreachable(m) => StoreError::Unreachable(clean(m)),
        StoreError::Full(m) => StoreError::Full(clean(m)),
        StoreError::Locked(m) => StoreError::Locked(clean(m)),
        StoreError::Corrupt(m) => StoreError::Corrupt(clean(m)),
        StoreError::InvalidUrl(m) => StoreError::InvalidUrl(clean(m)),
        StoreError::Other(m) => StoreError::Other(clean(m)),
    }
}

/// The passwords `url` carries, raw and percent-decoded, longest first.
fn secrets(url: &str) -> Vec<String> {
    let mut raw = Vec::new();
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        if let Some(at) = authority.rfind('@') {
            if let Some((_, password)) = authority[..at].split_once(':') {
                raw.push(password.to_string());
            }
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split(['&', '#']) {
            if let Some(("password", value)) = pair.split_once('=') {
                raw.push(value.to_string());
            }
        }
    }
    let mut all: Vec<String> = raw
        .iter()
        .flat_map(|secret| {
            [
                secret.clone(),
                percent_decode(secret),
                percent_decode(&secret.replace('+', " ")),
            ]
        })
        .filter(|secret| !secret.is_empty())
        .collect();
    all.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    all.dedup();
    all
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[async_trait]
impl InboxStore for PostgresStore {
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
        let rows: Vec<PgRow> = sqlx::query(CLAIM)
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
                    .begin()
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
        let rows: Vec<PgRow> = sqlx::query(sql::LIST)
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
        let rows: Vec<PgRow> = sqlx::query(sql::COUNTS)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_every_spelling_of_the_password() {
        let url = "postgres://app:p%40ss+w0rd@db:5432/inbox?sslmode=require&password=other";
        let error = scrub(
            StoreError::Unreachable("p%40ss+w0rd p@ss w0rd other at postgres://x".into()),
            url,
        );
        let message = error.to_string();
        assert!(!message.contains("p%40ss"), "{message}");
        assert!(!message.contains("p@ss"), "{message}");
        assert!(!message.contains("other"), "{message}");
        assert_eq!(shown(url), "postgres://app:***@db:5432/inbox");
    }
}
