//! [`PostgresLock`]: a session advisory lock per key, held on a connection of its own.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::{Connection, PgPool, Postgres};
use tokio::time::Instant;

use super::{CreateLock, LockError, LockGuard};
use crate::sql::postgres::{map, PgTarget};
use crate::sql::{poll_for, DbError};

/// How long [`PostgresLock::connect`] waits for its first connection, and a call for a pooled
/// one, before it fails with [`LockError::Unreachable`].
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Connections [`PostgresLock::connect`] keeps at most: each held key keeps one.
const MAX_CONNECTIONS: u32 = 16;

/// `$1` key: `true` when this session now holds it.
const TRY_LOCK: &str = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))";
/// `$1` key: `true` when this session held it.
const UNLOCK: &str = "SELECT pg_advisory_unlock(hashtextextended($1, 0))";

/// A [`CreateLock`] for replicas sharing one Postgres database (11 or newer): a key is a
/// session-level advisory lock on `hashtextextended(key, 0)`, held by a pooled connection
/// taken for as long as the guard lives.
///
/// A holder that dies frees its keys at once: its session ends with its connection (a
/// process killed, a connection lost, a guard dropped without
/// [`release`](LockGuard::release): its connection is closed, never given back to the pool
/// still holding the key). No table is created. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PostgresLock {
    pool: PgPool,
    /// The URL it was connected with, to keep its password out of errors.
    target: Option<PgTarget>,
    /// Connections of the pool that hold a key of this lock now.
    holders: Arc<AtomicUsize>,
}

impl fmt::Debug for PostgresLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("PostgresLock");
        if let Some(target) = &self.target {
            debug.field("url", &target.shown());
        }
        debug
            .field("connections", &self.pool.size())
            .field("held", &self.holders.load(Ordering::Relaxed))
            .finish()
    }
}

impl PostgresLock {
    /// Connects to the database at `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?…`,
    /// with sqlx's parameters such as `sslmode`).
    ///
    /// It keeps up to 16 connections, one per held key (with all of them holding keys, a
    /// caller waits for one as for a held key); a call that cannot get a connection within 3 s
    /// otherwise fails with [`LockError::Unreachable`]. Fails with [`LockError::InvalidUrl`]
    /// for a malformed URL, [`LockError::Unreachable`] when the server cannot be reached
    /// within 3 s or refuses the login, and [`LockError::Other`] for a server older than
    /// Postgres 11. Error messages never show the password.
    pub async fn connect(url: &str) -> Result<PostgresLock, LockError> {
        let target = PgTarget::parse(url)?;
        let mut first = target.connect(CONNECT_TIMEOUT).await?;
        let checked = sqlx::query("SELECT hashtextextended('', 0)")
            .execute(&mut first)
            .await;
        let _ = first.close().await;
        let lock = PostgresLock {
            pool: target.lazy_pool(MAX_CONNECTIONS, CONNECT_TIMEOUT),
            target: Some(target),
            holders: Arc::default(),
        };
        match checked {
            Ok(_) => Ok(lock),
            // undefined_function
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("42883") => {
                Err(LockError::Other(format!(
                    "the lock needs Postgres 11 or newer: {}",
                    error.message()
                )))
            }
            Err(error) => Err(lock.error("checking the lock database", error)),
        }
    }

    /// A lock on a pool the application configured. Each held key keeps one of its
    /// connections; set a short `acquire_timeout` on it, for a down server is noticed once a
    /// call gave up waiting for a connection.
    pub fn from_pool(pool: PgPool) -> PostgresLock {
        PostgresLock {
            pool,
            target: None,
            holders: Arc::default(),
        }
    }

    /// The pool the lock uses.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// `error`, met while doing `action`, as a [`LockError`] without the URL's password.
    fn error(&self, action: &str, error: sqlx::Error) -> LockError {
        let DbError { kind, message } = map(action, error);
        let message = match &self.target {
            Some(target) => target.clean(message),
            None => message,
        };
        DbError::new(kind, message).into()
    }

    /// Every connection the pool may open holds a key of this lock: a new one comes free only
    /// when one of them is released.
    fn all_held(&self) -> bool {
        let most = self.pool.options().get_max_connections();
        self.holders.load(Ordering::SeqCst) >= usize::try_from(most).unwrap_or(usize::MAX)
    }

    /// One try: takes a connection and the key on it. `None` when another session holds the
    /// key (the connection then goes back to the pool) or every connection holds a key.
    async fn try_once(&self, key: &str) -> Result<Option<PostgresGuard>, LockError> {
        if self.all_held() {
            return Ok(None);
        }
        let connection = match self.pool.acquire().await {
            Ok(connection) => connection,
            Err(sqlx::Error::PoolTimedOut) if self.all_held() => return Ok(None),
            Err(error) => return Err(self.error("connecting to the lock database", error)),
        };
        // From here a cancelled or failed try closes the connection: it might hold the key.
        let mut session = Session(Some(connection));
        let taken: bool = sqlx::query_scalar(TRY_LOCK)
            .bind(key)
            .fetch_one(session.connection())
            .await
            .map_err(|error| self.error(&format!("taking the key {key:?}"), error))?;
        if !taken {
            session.give_back();
            return Ok(None);
        }
        Ok(Some(PostgresGuard {
            key: key.to_string(),
            session,
            holding: Holding::new(&self.holders),
        }))
    }
}

#[async_trait]
impl CreateLock for PostgresLock {
    async fn acquire(&self, key: &str, wait: Duration) -> Result<Box<dyn LockGuard>, LockError> {
        let started = Instant::now();
        match poll_for(wait, || self.try_once(key)).await? {
            Some(guard) => Ok(Box::new(guard)),
            None => Err(LockError::Timeout {
                key: key.to_string(),
                waited: started.elapsed(),
            }),
        }
    }
}

/// A pooled connection that may hold advisory locks: closed when dropped, unless
/// [`Session::give_back`] returned it to the pool first.
struct Session(Option<PoolConnection<Postgres>>);

impl Session {
    fn connection(&mut self) -> &mut sqlx::PgConnection {
        self.0
            .as_mut()
            .expect("a session has its connection until it is given back or dropped")
    }

    /// Returns the connection to the pool: only once it holds no lock.
    fn give_back(&mut self) {
        drop(self.0.take());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(connection) = self.0.take() {
            // Closing the socket ends the session on the server, which frees its locks.
            drop(connection.detach());
        }
    }
}

/// Counts a held key in [`PostgresLock::holders`] while it lives.
struct Holding(Arc<AtomicUsize>);

impl Holding {
    fn new(holders: &Arc<AtomicUsize>) -> Self {
        holders.fetch_add(1, Ordering::SeqCst);
        Holding(Arc::clone(holders))
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A key held by the session of its own connection.
struct PostgresGuard {
    key: String,
    session: Session,
    holding: Holding,
}

impl fmt::Debug for PostgresGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresGuard")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl LockGuard for PostgresGuard {
    async fn release(self: Box<Self>) -> Result<(), LockError> {
        let PostgresGuard {
            key,
            mut session,
            holding: _holding,
        } = *self;
        // Cancelled or failed, the session is closed when dropped, which frees the key too.
        let unlocked = sqlx::query_scalar::<_, bool>(UNLOCK)
            .bind(&key)
            .fetch_one(session.connection())
            .await;
        match unlocked {
            Ok(true) => {
                session.give_back();
                Ok(())
            }
            Ok(false) => Err(LockError::Other(format!(
                "the key {key:?} was no longer held by its session"
            ))),
            Err(error) => Err(LockError::Other(format!(
                "releasing the key {key:?} (its connection is closed instead, which frees it): \
                 {error}"
            ))),
        }
    }
}
