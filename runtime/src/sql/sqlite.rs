//! Opening a SQLite file the way every user of it in this crate does.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::{Backend, DbError};

/// Opens a pool on the file at `path`, creating the file if missing, in WAL mode with
/// `synchronous=FULL` (a committed write survives a crash of the process or the machine).
///
/// A statement waits up to `busy_timeout` for another connection (or process) that holds the
/// write lock; waiting for a pooled connection means waiting for the others' statements, so
/// that wait is bounded by twice the busy timeout and a second. `what` names the file in
/// errors (`"the inbox file"`).
pub(crate) async fn open_pool(
    path: &Path,
    busy_timeout: Duration,
    max_connections: u32,
    what: &str,
) -> Result<SqlitePool, DbError> {
    let connect = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(busy_timeout);
    SqlitePoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(busy_timeout.saturating_mul(2) + Duration::from_secs(1))
        .connect_with(connect)
        .await
        .map_err(|error| map(&format!("opening {what} {}", path.display()), error))
}

/// Sorts an error SQLite gave while doing `action`.
pub(crate) fn map(action: &str, error: sqlx::Error) -> DbError {
    DbError::from_sqlx(Backend::Sqlite, action, error)
}
