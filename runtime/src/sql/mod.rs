//! What every user of the SQL databases shares (the webhook inbox and the create locks):
//! opening a SQLite file with the same durability settings, connecting to Postgres without
//! showing the password, and sorting `sqlx` errors into kinds each user maps to its own error
//! type.

#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

use std::future::Future;
use std::time::Duration;

/// Which database an error comes from: their error codes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// SQLite: numeric (extended) result codes.
    #[cfg(feature = "sqlite")]
    Sqlite,
    /// Postgres: SQLSTATE codes.
    #[cfg(feature = "postgres")]
    Postgres,
}

/// What went wrong, whatever the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DbErrorKind {
    /// The database cannot be reached (connection refused, server down, login refused, file
    /// not openable, closed pool).
    Unreachable,
    /// The database is out of room.
    Full,
    /// Someone else holds a lock for longer than the timeout.
    Locked,
    /// What the database holds or returned cannot be read (damaged file, wrong column types).
    Corrupt,
    /// The connection settings are malformed.
    InvalidUrl,
    /// Anything else.
    Other,
}

/// A database failure: its kind, and a message that names what was being done and never
/// shows credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DbError {
    pub(crate) kind: DbErrorKind,
    pub(crate) message: String,
}

impl DbError {
    pub(crate) fn new(kind: DbErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// Sorts an error met while doing `action` (`"storing an event"`) on `backend`.
    pub(crate) fn from_sqlx(backend: Backend, action: &str, error: sqlx::Error) -> Self {
        let mut message = format!("{action}: {error}");
        let kind = match &error {
            sqlx::Error::Database(db) => {
                backend.database_error(db.code().as_deref().unwrap_or_default())
            }
            sqlx::Error::PoolTimedOut => {
                let (kind, why) = backend.pool_timed_out();
                message.push_str(why);
                kind
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => DbErrorKind::Unreachable,
            sqlx::Error::Configuration(_) => DbErrorKind::InvalidUrl,
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::Decode(_)
            | sqlx::Error::ColumnNotFound(_)
            | sqlx::Error::ColumnIndexOutOfBounds { .. }
            | sqlx::Error::TypeNotFound { .. } => DbErrorKind::Corrupt,
            _ => DbErrorKind::Other,
        };
        Self::new(kind, message)
    }
}

impl From<DbError> for crate::create_lock::LockError {
    fn from(error: DbError) -> Self {
        use crate::create_lock::LockError;
        let DbError { kind, message } = error;
        match kind {
            DbErrorKind::Unreachable => LockError::Unreachable(message),
            DbErrorKind::InvalidUrl => LockError::InvalidUrl(message),
            DbErrorKind::Full | DbErrorKind::Locked | DbErrorKind::Corrupt | DbErrorKind::Other => {
                LockError::Other(message)
            }
        }
    }
}

impl Backend {
    fn database_error(self, code: &str) -> DbErrorKind {
        match self {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => sqlite_error(code),
            #[cfg(feature = "postgres")]
            Backend::Postgres => postgres_error(code),
        }
    }

    /// No pooled connection came free in time: for a file, every connection stayed busy
    /// behind the write lock; for a server, it could not be reached. Also what to add to the
    /// message.
    fn pool_timed_out(self) -> (DbErrorKind, &'static str) {
        match self {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => (
                DbErrorKind::Locked,
                " (every connection to the file stayed busy)",
            ),
            #[cfg(feature = "postgres")]
            Backend::Postgres => (DbErrorKind::Unreachable, ""),
        }
    }
}

/// SQLite's primary result codes (the low byte of an extended code).
#[cfg(feature = "sqlite")]
fn sqlite_error(code: &str) -> DbErrorKind {
    const CORRUPT: i64 = 11;
    const NOTADB: i64 = 26;
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    let Ok(code) = code.parse::<i64>() else {
        return DbErrorKind::Other;
    };
    match code & 0xff {
        BUSY | LOCKED => DbErrorKind::Locked,
        FULL => DbErrorKind::Full,
        CORRUPT | NOTADB => DbErrorKind::Corrupt,
        CANTOPEN => DbErrorKind::Unreachable,
        _ => DbErrorKind::Other,
    }
}

/// Postgres SQLSTATEs.
#[cfg(feature = "postgres")]
fn postgres_error(code: &str) -> DbErrorKind {
    match code {
        // disk_full
        "53100" => DbErrorKind::Full,
        // lock_not_available (lock_timeout, NOWAIT), deadlock_detected
        "55P03" | "40P01" => DbErrorKind::Locked,
        // data_corrupted, index_corrupted
        "XX001" | "XX002" => DbErrorKind::Corrupt,
        // too_many_connections, admin/crash shutdown, cannot_connect_now, database missing
        "53300" | "57P01" | "57P02" | "57P03" | "3D000" => DbErrorKind::Unreachable,
        // connection_exception, invalid authorization
        code if code.starts_with("08") || code.starts_with("28") => DbErrorKind::Unreachable,
        _ => DbErrorKind::Other,
    }
}

/// Runs `attempt` until it gives `Some`, for at most `wait`: the pauses between tries start at
/// 20 ms and grow a little, up to 50 ms, so that a key given back is taken soon. `Ok(None)`
/// when `wait` passed; an error ends the tries.
pub(crate) async fn poll_for<T, E, F, Fut>(wait: Duration, mut attempt: F) -> Result<Option<T>, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
{
    const FIRST_PAUSE: Duration = Duration::from_millis(20);
    const LAST_PAUSE: Duration = Duration::from_millis(50);
    let started = tokio::time::Instant::now();
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(found) = attempt().await? {
            return Ok(Some(found));
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Ok(None);
        }
        tokio::time::sleep(pause.min(wait - waited)).await;
        pause = (pause + pause / 4).min(LAST_PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite_codes_map_to_kinds() {
        assert_eq!(sqlite_error("5"), DbErrorKind::Locked);
        assert_eq!(sqlite_error("517"), DbErrorKind::Locked);
        assert_eq!(sqlite_error("6"), DbErrorKind::Locked);
        assert_eq!(sqlite_error("13"), DbErrorKind::Full);
        assert_eq!(sqlite_error("11"), DbErrorKind::Corrupt);
        assert_eq!(sqlite_error("26"), DbErrorKind::Corrupt);
        assert_eq!(sqlite_error("14"), DbErrorKind::Unreachable);
        assert_eq!(sqlite_error("1"), DbErrorKind::Other);
        assert_eq!(sqlite_error(""), DbErrorKind::Other);
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn postgres_codes_map_to_kinds() {
        assert_eq!(postgres_error("53100"), DbErrorKind::Full);
        assert_eq!(postgres_error("55P03"), DbErrorKind::Locked);
        assert_eq!(postgres_error("08006"), DbErrorKind::Unreachable);
        assert_eq!(postgres_error("28P01"), DbErrorKind::Unreachable);
        assert_eq!(postgres_error("XX001"), DbErrorKind::Corrupt);
        assert_eq!(postgres_error("23505"), DbErrorKind::Other);
    }

    #[test]
    fn a_pool_that_times_out_is_busy_for_a_file_and_unreachable_for_a_server() {
        #[cfg(feature = "sqlite")]
        {
            let error = DbError::from_sqlx(Backend::Sqlite, "storing", sqlx::Error::PoolTimedOut);
            assert_eq!(error.kind, DbErrorKind::Locked);
            assert!(error.message.contains("stayed busy"), "{}", error.message);
        }
        #[cfg(feature = "postgres")]
        {
            let error = DbError::from_sqlx(Backend::Postgres, "storing", sqlx::Error::PoolTimedOut);
            assert_eq!(error.kind, DbErrorKind::Unreachable);
            assert!(error.message.starts_with("storing: "), "{}", error.message);
        }
    }
}
