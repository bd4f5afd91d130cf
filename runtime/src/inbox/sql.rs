//! What the SQL stores share: table names, the statements that read the same in SQLite and
//! Postgres, the creation and check of the tables, row decoding, the mapping of database
//! errors to [`StoreError`], and [`impl_inbox_store!`], which writes the [`InboxStore`] impl
//! of both stores.
//!
//! Both dialects accept `$N` parameters (SQLite binds `$N` by its number), so only the table
//! definitions, the claim, the sequence upsert and how a write transaction begins differ
//! between the two stores.
//!
//! [`InboxStore`]: super::InboxStore

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Row, Type};

use super::store::{EventState, EventSummary, InboxCounts, StoreError, StoredEvent};
pub(super) use crate::sql::Backend;
use crate::sql::{DbError, DbErrorKind};

/// The version of the tables this build writes, kept in `wix_webhook_inbox_schema`.
pub(super) const SCHEMA_VERSION: i32 = 1;

/// The events.
pub(super) const EVENTS_TABLE: &str = "wix_webhook_inbox";
/// The latest handled sequence per entity.
pub(super) const ENTITIES_TABLE: &str = "wix_webhook_inbox_entities";
/// The schema version.
pub(super) const SCHEMA_TABLE: &str = "wix_webhook_inbox_schema";

/// `$1`..`$6`: event id, type, entity id, sequence, body, received at (also the first due
/// time).
pub(super) const INSERT: &str = "INSERT INTO wix_webhook_inbox \
     (event_id, event_type, entity_id, sequence, body, received_at, state, attempts, next_try_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6) \
     ON CONFLICT (event_id) DO NOTHING";

/// `$1` event id, `$2` token, `$3` new lease end.
pub(super) const EXTEND_LEASE: &str = "UPDATE wix_webhook_inbox SET lease_until = $3 \
     WHERE event_id = $1 AND state = 'pending' AND lease_token = $2";

/// `$1` event id, `$2` token, `$3` now.
pub(super) const FINISH_DONE: &str = "UPDATE wix_webhook_inbox \
     SET state = 'done', lease_token = NULL, lease_until = NULL, finished_at = $3 \
     WHERE event_id = $1 AND state = 'pending' AND lease_token = $2";

/// `$1` event id, `$2` token, `$3` now.
pub(super) const FINISH_STALE: &str = "UPDATE wix_webhook_inbox \
     SET state = 'stale', lease_token = NULL, lease_until = NULL, finished_at = $3 \
     WHERE event_id = $1 AND state = 'pending' AND lease_token = $2";

/// `$1` event id, `$2` token, `$3` next due time, `$4` error.
pub(super) const FINISH_RETRY: &str = "UPDATE wix_webhook_inbox \
     SET lease_token = NULL, lease_until = NULL, next_try_at = $3, last_error = $4 \
     WHERE event_id = $1 AND state = 'pending' AND lease_token = $2";

/// `$1` event id, `$2` token, `$3` now, `$4` error.
pub(super) const FINISH_DEAD: &str = "UPDATE wix_webhook_inbox \
     SET state = 'dead', lease_token = NULL, lease_until = NULL, finished_at = $3, \
         last_error = $4 \
     WHERE event_id = $1 AND state = 'pending' AND lease_token = $2";

/// `$1` entity id.
pub(super) const LATEST_SEQUENCE: &str =
    "SELECT latest_sequence FROM wix_webhook_inbox_entities WHERE entity_id = $1";

/// `$1` state, `$2` limit; decoded by [`summary`].
pub(super) const LIST: &str = "SELECT event_id, event_type, entity_id, sequence, state, \
     attempts, last_error, received_at \
     FROM wix_webhook_inbox WHERE state = $1 ORDER BY position LIMIT $2";

/// `$1` event id, `$2` now.
pub(super) const REPLAY: &str = "UPDATE wix_webhook_inbox \
     SET state = 'pending', attempts = 0, next_try_at = $2, finished_at = NULL, \
         lease_token = NULL, lease_until = NULL \
     WHERE event_id = $1 AND state = 'dead'";

/// Decoded by [`counts`].
pub(super) const COUNTS: &str = "SELECT state, COUNT(*) AS n FROM wix_webhook_inbox GROUP BY state";

/// `$1` before.
pub(super) const PURGE: &str = "DELETE FROM wix_webhook_inbox \
     WHERE state IN ('done', 'stale') AND finished_at < $1";

/// The inbox's version, read once the schema table is known to exist.
pub(super) const READ_VERSION: &str = "SELECT version FROM wix_webhook_inbox_schema";

/// `$1` version.
pub(super) const WRITE_VERSION: &str = "INSERT INTO wix_webhook_inbox_schema (version) VALUES ($1)";

/// Statements that fail unless each table has the columns the inbox uses: run after the
/// schema is created or found, to refuse tables of the same name made by something else.
pub(super) const PROBES: [(&str, &str); 3] = [
    (
        EVENTS_TABLE,
        "SELECT position, event_id, event_type, entity_id, sequence, body, received_at, state, \
         attempts, next_try_at, lease_token, lease_until, last_error, finished_at \
         FROM wix_webhook_inbox WHERE 1 = 0",
    ),
    (
        ENTITIES_TABLE,
        "SELECT entity_id, latest_sequence FROM wix_webhook_inbox_entities WHERE 1 = 0",
    ),
    (
        SCHEMA_TABLE,
        "SELECT version FROM wix_webhook_inbox_schema WHERE 1 = 0",
    ),
];

/// What a store found of its tables before its first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Schema {
    /// None of them: create them.
    Missing,
    /// All of them: check the version.
    Present,
}

/// Decides from the names of the inbox tables that exist whether to create them; refuses a
/// partial set, which the inbox never leaves (it creates them in one transaction).
pub(super) fn schema_state(found: &[String]) -> Result<Schema, StoreError> {
    let has = |name: &str| found.iter().any(|found| found == name);
    let ours = [EVENTS_TABLE, ENTITIES_TABLE, SCHEMA_TABLE];
    if ours.iter().all(|name| has(name)) {
        return Ok(Schema::Present);
    }
    if !ours.iter().any(|name| has(name)) {
        return Ok(Schema::Missing);
    }
    let missing: Vec<&str> = ours.iter().copied().filter(|name| !has(name)).collect();
    let present: Vec<&str> = ours.iter().copied().filter(|name| has(name)).collect();
    Err(StoreError::Corrupt(format!(
        "found the table(s) {} but not {}: they were not created by the webhook inbox, or \
         were partly dropped",
        present.join(", "),
        missing.join(", ")
    )))
}

/// Checks the rows of `wix_webhook_inbox_schema`: exactly one, with a version this build
/// knows.
pub(super) fn check_version(versions: &[i32]) -> Result<(), StoreError> {
    match versions {
        [version] if *version == SCHEMA_VERSION => Ok(()),
        [version] if *version > SCHEMA_VERSION => Err(StoreError::Corrupt(format!(
            "the inbox tables have schema version {version}, newer than this build knows \
             ({SCHEMA_VERSION}): they were written by a newer version of this crate"
        ))),
        [version] => Err(StoreError::Corrupt(format!(
            "the inbox tables have an unknown schema version {version}"
        ))),
        _ => Err(StoreError::Corrupt(format!(
            "{SCHEMA_TABLE} holds {} rows instead of one",
            versions.len()
        ))),
    }
}

/// The error of a probe or version query that failed: the table is not the inbox's when the
/// database refused the query; otherwise the usual mapping.
pub(super) fn foreign_table(backend: Backend, table: &str, error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::Database(error) => StoreError::Corrupt(format!(
            "the table {table} does not have the columns of the webhook inbox ({}); it was not \
             created by it",
            error.message()
        )),
        error => DbError::from_sqlx(backend, "checking the inbox tables", error).into(),
    }
}

impl From<DbError> for StoreError {
    fn from(error: DbError) -> Self {
        let DbError { kind, message } = error;
        match kind {
            DbErrorKind::Unreachable => StoreError::Unreachable(message),
            DbErrorKind::Full => StoreError::Full(message),
            DbErrorKind::Locked => StoreError::Locked(message),
            DbErrorKind::Corrupt => StoreError::Corrupt(message),
            DbErrorKind::InvalidUrl => StoreError::InvalidUrl(message),
            DbErrorKind::Other => StoreError::Other(message),
        }
    }
}

/// Creates the inbox tables (the `create` statements, then the version row) when
/// `find_tables` finds none of them, or checks their version when it finds all; then probes
/// each for the inbox's columns. Runs in the caller's transaction, on `connection`.
pub(super) async fn create_or_check<DB>(
    connection: &mut DB::Connection,
    backend: Backend,
    find_tables: &str,
    create: &[&str],
) -> Result<(), StoreError>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'r> (i32,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    let map = |action: &str, error| StoreError::from(DbError::from_sqlx(backend, action, error));
    let found: Vec<String> = sqlx::query_scalar(find_tables)
        .fetch_all(&mut *connection)
        .await
        .map_err(|error| map("opening the inbox tables", error))?;
    match schema_state(&found)? {
        Schema::Missing => {
            for statement in create {
                sqlx::query(statement)
                    .execute(&mut *connection)
                    .await
                    .map_err(|error| map("creating the inbox tables", error))?;
            }
            sqlx::query(WRITE_VERSION)
                .bind(SCHEMA_VERSION)
                .execute(&mut *connection)
                .await
                .map_err(|error| map("creating the inbox tables", error))?;
        }
        Schema::Present => {
            let versions: Vec<i32> = sqlx::query_scalar(READ_VERSION)
                .fetch_all(&mut *connection)
                .await
                .map_err(|error| foreign_table(backend, SCHEMA_TABLE, error))?;
            check_version(&versions)?;
        }
    }
    for (table, probe) in PROBES {
        sqlx::query(probe)
            .execute(&mut *connection)
            .await
            .map_err(|error| foreign_table(backend, table, error))?;
    }
    Ok(())
}

/// Reads the columns of an inbox row of either database, each failure a
/// [`StoreError::Corrupt`]: the bounds on the row type are written once, here.
pub(super) trait InboxRow {
    fn text(&self, name: &'static str) -> Result<String, StoreError>;
    fn maybe_text(&self, name: &'static str) -> Result<Option<String>, StoreError>;
    fn int(&self, name: &'static str) -> Result<i32, StoreError>;
    fn big_int(&self, name: &'static str) -> Result<i64, StoreError>;
    fn maybe_big_int(&self, name: &'static str) -> Result<Option<i64>, StoreError>;
}

impl<R> InboxRow for R
where
    R: Row,
    &'static str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i32: Decode<'r, R::Database> + Type<R::Database>,
{
    fn text(&self, name: &'static str) -> Result<String, StoreError> {
        column(self, name)
    }

    fn maybe_text(&self, name: &'static str) -> Result<Option<String>, StoreError> {
        column(self, name)
    }

    fn int(&self, name: &'static str) -> Result<i32, StoreError> {
        column(self, name)
    }

    fn big_int(&self, name: &'static str) -> Result<i64, StoreError> {
        column(self, name)
    }

    fn maybe_big_int(&self, name: &'static str) -> Result<Option<i64>, StoreError> {
        column(self, name)
    }
}

/// Reads one column, mapping a failure to [`StoreError::Corrupt`].
fn column<'r, R, T>(row: &'r R, name: &'static str) -> Result<T, StoreError>
where
    R: Row,
    &'static str: ColumnIndex<R>,
    T: Decode<'r, R::Database> + Type<R::Database>,
{
    row.try_get(name)
        .map_err(|error| StoreError::Corrupt(format!("cannot read the column {name}: {error}")))
}

/// A sequence as stored: `BIGINT` is signed, so values above `i64::MAX` are kept as
/// `i64::MAX` (comparisons stay right; Wix's sequences are far smaller).
pub(super) fn sequence_to_db(sequence: u64) -> i64 {
    i64::try_from(sequence).unwrap_or(i64::MAX)
}

/// A `LIMIT` as bound.
pub(super) fn limit_to_db(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn sequence_from_db(value: Option<i64>, column: &str) -> Result<Option<u64>, StoreError> {
    value
        .map(|value| {
            u64::try_from(value).map_err(|_| {
                StoreError::Corrupt(format!("{column} is negative ({value}) in the inbox store"))
            })
        })
        .transpose()
}

fn attempts_from_db(value: i32) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| {
        StoreError::Corrupt(format!("attempts is negative ({value}) in the inbox store"))
    })
}

/// The stored value of `latest_sequence`.
pub(super) fn latest_sequence_from_db(value: i64) -> Result<u64, StoreError> {
    sequence_from_db(Some(value), "latest_sequence").map(|value| value.unwrap_or_default())
}

/// A row a claim returned (`position, event_id, event_type, entity_id, sequence, body,
/// received_at, attempts, last_error`) and its position, which orders claims.
pub(super) fn stored_event(row: &impl InboxRow) -> Result<(i64, StoredEvent), StoreError> {
    let event = StoredEvent {
        event_id: row.text("event_id")?,
        event_type: row.text("event_type")?,
        entity_id: row.maybe_text("entity_id")?,
        sequence: sequence_from_db(row.maybe_big_int("sequence")?, "sequence")?,
        body: row.text("body")?,
        received_at: row.big_int("received_at")?,
        attempts: attempts_from_db(row.int("attempts")?)?,
        last_error: row.maybe_text("last_error")?,
    };
    Ok((row.big_int("position")?, event))
}

/// Sorts claimed rows oldest first (`RETURNING` keeps no order) and drops the positions.
pub(super) fn oldest_first(mut claimed: Vec<(i64, StoredEvent)>) -> Vec<StoredEvent> {
    claimed.sort_by_key(|(position, _)| *position);
    claimed.into_iter().map(|(_, event)| event).collect()
}

/// A listed row (columns of [`LIST`]).
pub(super) fn summary(row: &impl InboxRow) -> Result<EventSummary, StoreError> {
    Ok(EventSummary {
        event_id: row.text("event_id")?,
        event_type: row.text("event_type")?,
        entity_id: row.maybe_text("entity_id")?,
        sequence: sequence_from_db(row.maybe_big_int("sequence")?, "sequence")?,
        state: state(&row.text("state")?)?,
        attempts: attempts_from_db(row.int("attempts")?)?,
        last_error: row.maybe_text("last_error")?,
        received_at: row.big_int("received_at")?,
    })
}

fn state(name: &str) -> Result<EventState, StoreError> {
    EventState::from_name(name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown event state `{name}` in the inbox")))
}

/// The rows of [`COUNTS`].
pub(super) fn counts(rows: &[impl InboxRow]) -> Result<InboxCounts, StoreError> {
    let mut counts = InboxCounts::default();
    for row in rows {
        let name = row.text("state")?;
        let n = u64::try_from(row.big_int("n")?).unwrap_or_default();
        match state(&name)? {
            EventState::Pending => counts.pending = n,
            EventState::Done => counts.done = n,
            EventState::Stale => counts.stale = n,
            EventState::Dead => counts.dead = n,
        }
    }
    Ok(counts)
}

/// Writes `impl InboxStore for $store`, whose `pool` field is a pool of either database: every
/// method reads the same in both dialects but for the statements and calls given here.
///
/// - `claim`: the claim statement (`$1` token, `$2` lease end, `$3` now, `$4` limit);
/// - `raise_sequence`: the upsert of an entity's latest sequence (`$1` entity, `$2` sequence);
/// - `begin`: how the transaction of a finish that raises a sequence starts, from the pool;
/// - `map`: the store's mapping of `sqlx` errors, `fn(&str, sqlx::Error) -> StoreError`.
macro_rules! impl_inbox_store {
    (
        $store:ty {
            claim: $claim:expr,
            raise_sequence: $raise_sequence:expr,
            begin: |$pool:ident| $begin:expr,
            map: $map:path $(,)?
        }
    ) => {
        const _: () = {
            use $crate::inbox::sql;
            use $crate::inbox::{
                ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted,
                Millis, NewEvent, StoreError, StoredEvent,
            };

            #[::async_trait::async_trait]
            impl InboxStore for $store {
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
                        .map_err(|error| $map("storing an event", error))?;
                    Ok(if done.rows_affected() == 0 {
                        Inserted::Duplicate
                    } else {
                        Inserted::New
                    })
                }

                async fn claim(
                    &self,
                    request: &ClaimRequest<'_>,
                ) -> Result<Vec<StoredEvent>, StoreError> {
                    if request.limit == 0 {
                        return Ok(Vec::new());
                    }
                    let rows = sqlx::query($claim)
                        .bind(request.token)
                        .bind(request.lease_until)
                        .bind(request.now)
                        .bind(sql::limit_to_db(request.limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|error| $map("claiming events", error))?;
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
                        .map_err(|error| $map("extending a lease", error))?;
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
                            let $pool = &self.pool;
                            let mut tx = $begin.await.map_err(|error| $map(action, error))?;
                            let done = sqlx::query(sql::FINISH_DONE)
                                .bind(event_id)
                                .bind(token)
                                .bind(now)
                                .execute(&mut *tx)
                                .await
                                .map_err(|error| $map(action, error))?;
                            if done.rows_affected() == 0 {
                                return Ok(false);
                            }
                            sqlx::query($raise_sequence)
                                .bind(*entity)
                                .bind(sql::sequence_to_db(*sequence))
                                .execute(&mut *tx)
                                .await
                                .map_err(|error| $map(action, error))?;
                            tx.commit().await.map_err(|error| $map(action, error))?;
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
                        .map_err(|error| $map(action, error))?;
                    Ok(done.rows_affected() > 0)
                }

                async fn latest_sequence(
                    &self,
                    entity_id: &str,
                ) -> Result<Option<u64>, StoreError> {
                    let latest: Option<i64> = sqlx::query_scalar(sql::LATEST_SEQUENCE)
                        .bind(entity_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(|error| $map("reading an entity's latest sequence", error))?;
                    latest.map(sql::latest_sequence_from_db).transpose()
                }

                async fn list(
                    &self,
                    state: EventState,
                    limit: usize,
                ) -> Result<Vec<EventSummary>, StoreError> {
                    let rows = sqlx::query(sql::LIST)
                        .bind(state.as_str())
                        .bind(sql::limit_to_db(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|error| $map("listing events", error))?;
                    rows.iter().map(sql::summary).collect()
                }

                async fn replay(&self, event_id: &str, now: Millis) -> Result<bool, StoreError> {
                    let done = sqlx::query(sql::REPLAY)
                        .bind(event_id)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(|error| $map("replaying an event", error))?;
                    Ok(done.rows_affected() > 0)
                }

                async fn counts(&self) -> Result<InboxCounts, StoreError> {
                    let rows = sqlx::query(sql::COUNTS)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|error| $map("counting events", error))?;
                    sql::counts(&rows)
                }

                async fn purge_finished(&self, before: Millis) -> Result<u64, StoreError> {
                    let done = sqlx::query(sql::PURGE)
                        .bind(before)
                        .execute(&self.pool)
                        .await
                        .map_err(|error| $map("forgetting finished events", error))?;
                    Ok(done.rows_affected())
                }
            }
        };
    };
}
pub(super) use impl_inbox_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_state_refuses_a_partial_set() {
        assert_eq!(schema_state(&[]).unwrap(), Schema::Missing);
        let all: Vec<String> = [EVENTS_TABLE, ENTITIES_TABLE, SCHEMA_TABLE]
            .iter()
            .map(|name| name.to_string())
            .collect();
        assert_eq!(schema_state(&all).unwrap(), Schema::Present);
        let error = schema_state(&[EVENTS_TABLE.to_string()]).unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error}");
    }

    #[test]
    fn newer_or_odd_versions_are_refused() {
        check_version(&[SCHEMA_VERSION]).unwrap();
        for versions in [&[SCHEMA_VERSION + 1][..], &[0], &[], &[1, 1]] {
            let error = check_version(versions).unwrap_err();
            assert!(matches!(error, StoreError::Corrupt(_)), "{versions:?}");
        }
        let newer = check_version(&[SCHEMA_VERSION + 1])
            .unwrap_err()
            .to_string();
        assert!(newer.contains("newer"), "{newer}");
    }

    #[test]
    fn database_error_kinds_become_store_errors() {
        let error = |kind| StoreError::from(DbError::new(kind, "storing an event: no"));
        assert!(matches!(
            error(DbErrorKind::Unreachable),
            StoreError::Unreachable(message) if message == "storing an event: no"
        ));
        assert!(matches!(error(DbErrorKind::Full), StoreError::Full(_)));
        assert!(matches!(error(DbErrorKind::Locked), StoreError::Locked(_)));
        assert!(matches!(
            error(DbErrorKind::Corrupt),
            StoreError::Corrupt(_)
        ));
        assert!(matches!(
            error(DbErrorKind::InvalidUrl),
            StoreError::InvalidUrl(_)
        ));
        assert!(matches!(error(DbErrorKind::Other), StoreError::Other(_)));
    }

    #[test]
    fn sequences_and_limits_fit_bigint() {
        assert_eq!(sequence_to_db(7), 7);
        assert_eq!(sequence_to_db(u64::MAX), i64::MAX);
        assert_eq!(limit_to_db(usize::MAX), i64::MAX);
        assert!(sequence_from_db(Some(-1), "sequence").is_err());
        assert_eq!(sequence_from_db(Some(3), "sequence").unwrap(), Some(3));
    }
}
