//! Opening a store from a URL: `memory:`, `sqlite:PATH`, `postgres://…`.

use std::sync::Arc;

use super::memory::MemoryStore;
use super::store::{InboxStore, StoreError};
use crate::redact::{redact_url, StoreUrl};

/// Opens the store a URL names, creating its tables on first use:
///
/// - `memory:` — a [`MemoryStore`] (nothing survives the process);
/// - `sqlite:PATH` (or `sqlite://PATH`) — a `SqliteStore` in the file `PATH`, created if
///   missing (feature `sqlite`);
/// - `postgres://…` or `postgresql://…` — a `PostgresStore` (feature `postgres`).
///
/// Errors never show the URL's password.
pub async fn open_store(url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    match StoreUrl::parse(url) {
        Some(StoreUrl::Memory) => Ok(Arc::new(MemoryStore::default())),
        Some(StoreUrl::Sqlite(path)) => open_sqlite(path).await,
        Some(StoreUrl::Postgres(url)) => open_postgres(url).await,
        None => Err(StoreError::InvalidUrl(format!(
            "`{}`: expected `memory:`, `sqlite:PATH` or `postgres://…`",
            redact_url(url)
        ))),
    }
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(path: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Ok(Arc::new(super::SqliteStore::open(path).await?))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_path: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Err(StoreError::FeatureDisabled("sqlite"))
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Ok(Arc::new(super::PostgresStore::connect(url).await?))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Err(StoreError::FeatureDisabled("postgres"))
}
