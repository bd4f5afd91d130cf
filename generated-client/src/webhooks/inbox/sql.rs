//! What the SQL stores share: table names, the statements that read the same in SQLite and
//! Postgres, row decoding, the schema version check and the mapping of database errors to
//! [`StoreError`].
//!
//! Both dialects accept `$N` parameters (SQLite binds `$N` by its number), so only the table
//! definitions, the claim and the sequence upsert differ between the two stores.

use sqlx::{ColumnIndex, Decode, Row, Type};

use super::store::{EventState, EventSummary, InboxCounts, StoreError, StoredEvent};

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
        error => map_error(backend, "checking the inbox tables", error),
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
pub(super) fn stored_event<R>(row: &R) -> Result<(i64, StoredEvent), StoreError>
where
    R: Row,
    &'static str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i32: Decode<'r, R::Database> + Type<R::Database>,
{
    let event = StoredEvent {
        event_id: column(row, "event_id")?,
        event_type: column(row, "event_type")?,
        entity_id: column(row, "entity_id")?,
        sequence: sequence_from_db(column(row, "sequence")?, "sequence")?,
        body: column(row, "body")?,
        received_at: column(row, "received_at")?,
        attempts: attempts_from_db(column(row, "attempts")?)?,
        last_error: column(row, "last_error")?,
    };
    Ok((column(row, "position")?, event))
}

/// Sorts claimed rows oldest first (`RETURNING` keeps no order) and drops the positions.
pub(super) fn oldest_first(mut claimed: Vec<(i64, StoredEvent)>) -> Vec<StoredEvent> {
    claimed.sort_by_key(|(position, _)| *position);
    claimed.into_iter().map(|(_, event)| event).collect()
}

/// A listed row (columns of [`LIST`]).
pub(super) fn summary<R>(row: &R) -> Result<EventSummary, StoreError>
where
    R: Row,
    &'static str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i32: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(EventSummary {
        event_id: column(row, "event_id")?,
        event_type: column(row, "event_type")?,
        entity_id: column(row, "entity_id")?,
        sequence: sequence_from_db(column(row, "sequence")?, "sequence")?,
        state: state(&column::<R, String>(row, "state")?)?,
        attempts: attempts_from_db(column(row, "attempts")?)?,
        last_error: column(row, "last_error")?,
        received_at: column(row, "received_at")?,
    })
}

fn state(name: &str) -> Result<EventState, StoreError> {
    EventState::from_name(name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown event state `{name}` in the inbox")))
}

/// The rows of [`COUNTS`].
pub(super) fn counts<R>(rows: &[R]) -> Result<InboxCounts, StoreError>
where
    R: Row,
    &'static str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let mut counts = InboxCounts::default();
    for row in rows {
        let name: String = column(row, "state")?;
        let n: i64 = column(row, "n")?;
        let n = u64::try_from(n).unwrap_or_default();
        match state(&name)? {
            EventState::Pending => counts.pending = n,
            EventState::Done => counts.done = n,
            EventState::Stale => counts.stale = n,
            EventState::Dead => counts.dead = n,
        }
    }
    Ok(counts)
}

/// Which database an error comes from: their error codes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Backend {
    /// SQLite: numeric (extended) result codes.
    #[cfg(feature = "sqlite")]
    Sqlite,
    /// Postgres: SQLSTATE codes.
    #[cfg(feature = "postgres")]
    Postgres,
}

impl Backend {
    fn database_error(self, code: &str, message: String) -> StoreError {
        match self {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => sqlite_error(code, message),
            #[cfg(feature = "postgres")]
            Backend::Postgres => postgres_error(code, message),
        }
    }

    /// No pooled connection came free in time: for a file, every connection stayed busy
    /// behind the write lock; for a server, it could not be reached.
    fn pool_timed_out(self, message: String) -> StoreError {
        match self {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => StoreError::Locked(format!(
                "{message} (every connection to the file stayed busy)"
            )),
            #[cfg(feature = "postgres")]
            Backend::Postgres => StoreError::Unreachable(message),
        }
    }
}

/// Maps a database error met while doing `action` to the inbox's error kinds.
pub(super) fn map_error(backend: Backend, action: &str, error: sqlx::Error) -> StoreError {
    let message = format!("{action}: {error}");
    match &error {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|code| code.into_owned()).unwrap_or_default();
            backend.database_error(&code, message)
        }
        sqlx::Error::PoolTimedOut => backend.pool_timed_out(message),
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unreachable(message),
        sqlx::Error::Configuration(_) => StoreError::InvalidUrl(message),
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::TypeNotFound { .. } => StoreError::Corrupt(message),
        _ => StoreError::Other(message),
    }
}

/// SQLite's primary result codes (the low byte of an extended code).
#[cfg(feature = "sqlite")]
fn sqlite_error(code: &str, message: String) -> StoreError {
    const CORRUPT: i64 = 11;
    const NOTADB: i64 = 26;
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    let Ok(code) = code.parse::<i64>() else {
        return StoreError::Other(message);
    };
    match code & 0xff {
        BUSY | LOCKED => StoreError::Locked(message),
        FULL => StoreError::Full(message),
        CORRUPT | NOTADB => StoreError::Corrupt(message),
        CANTOPEN => StoreError::Unreachable(message),
        _ => StoreError::Other(message),
    }
}

/// Postgres SQLSTATEs.
#[cfg(feature = "postgres")]
fn postgres_error(code: &str, message: String) -> StoreError {
    match code {
        // disk_full
        "53100" => StoreError::Full(message),
        // lock_not_available (lock_timeout, NOWAIT), deadlock_detected
        "55P03" | "40P01" => StoreError::Locked(message),
        // data_corrupted, index_corrupted
        "XX001" | "XX002" => StoreError::Corrupt(message),
        // too_many_connections, admin/crash shutdown, cannot_connect_now, database missing
        "53300" | "57P01" | "57P02" | "57P03" | "3D000" => StoreError::Unreachable(message),
        // connection_exception, invalid authorization
        code if code.starts_with("08") || code.starts_with("28") => {
            StoreError::Unreachable(message)
        }
        _ => StoreError::Other(message),
    }
}

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

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite_codes_map_to_kinds() {
        let m = String::new;
        assert!(matches!(sqlite_error("5", m()), StoreError::Locked(_)));
        assert!(matches!(sqlite_error("517", m()), StoreError::Locked(_)));
        assert!(matches!(sqlite_error("6", m()), StoreError::Locked(_)));
        assert!(matches!(sqlite_error("13", m()), StoreError::Full(_)));
        assert!(matches!(sqlite_error("11", m()), StoreError::Corrupt(_)));
        assert!(matches!(sqlite_error("26", m()), StoreError::Corrupt(_)));
        assert!(matches!(
            sqlite_error("14", m()),
            StoreError::Unreachable(_)
        ));
        assert!(matches!(sqlite_error("1", m()), StoreError::Other(_)));
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn postgres_codes_map_to_kinds() {
        let m = String::new;
        assert!(matches!(postgres_error("53100", m()), StoreError::Full(_)));
        assert!(matches!(
            postgres_error("55P03", m()),
            StoreError::Locked(_)
        ));
        assert!(matches!(
            postgres_error("08006", m()),
            StoreError::Unreachable(_)
        ));
        assert!(matches!(
            postgres_error("28P01", m()),
            StoreError::Unreachable(_)
        ));
        assert!(matches!(
            postgres_error("XX001", m()),
            StoreError::Corrupt(_)
        ));
        assert!(matches!(postgres_error("23505", m()), StoreError::Other(_)));
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
