//! Opening a store from a URL: `memory:`, `sqlite:PATH`, `postgres://…`.

use std::sync::Arc;

use super::memory::MemoryStore;
use super::store::{InboxStore, StoreError};

/// Opens the store a URL names, creating its tables on first use:
///
/// - `memory:` — a [`MemoryStore`] (nothing survives the process);
/// - `sqlite:PATH` (or `sqlite://PATH`) — a `SqliteStore` in the file `PATH`, created if
///   missing (feature `sqlite`);
/// - `postgres://…` or `postgresql://…` — a `PostgresStore` (feature `postgres`).
///
/// Errors never show the URL's password.
pub async fn open_store(url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    if url == "memory:" || url == "memory" {
        return Ok(Arc::new(MemoryStore::default()));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return open_sqlite(path).await;
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return open_postgres(url).await;
    }
    Err(StoreError::InvalidUrl(format!(
        "`{}`: expected `memory:`, `sqlite:PATH` or `postgres://…`",
        redact_url(url)
    )))
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(path: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Ok(Arc::new(super::SqliteStore::open(path).await?))
}

#[cfg(not(feature = "sqlite"))]
async fn open_sqlite(_path: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Err(StoreError::InvalidUrl(
        "`sqlite:` stores need the crate feature `sqlite`".into(),
    ))
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Ok(Arc::new(super::PostgresStore::connect(url).await?))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(_url: &str) -> Result<Arc<dyn InboxStore>, StoreError> {
    Err(StoreError::InvalidUrl(
        "`postgres://` stores need the crate feature `postgres`".into(),
    ))
}

/// `url` with the password of its user part, if any, replaced by `***`: for logs and errors.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let user_info = &authority[..at];
    let Some(colon) = user_info.find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:***{}",
        &url[..scheme_end + 3],
        &user_info[..colon],
        &rest[at..]
    )
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_only_the_password() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/inbox?sslmode=require"),
            "postgres://app:***@db:5432/inbox?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://app@db/inbox"),
            "postgres://app@db/inbox"
        );
        assert_eq!(redact_url("sqlite:/tmp/inbox.db"), "sqlite:/tmp/inbox.db");
        assert_eq!(
            redact_url("postgres://a:b:c@h/db?x=1@2"),
            "postgres://a:***@h/db?x=1@2"
        );
    }
}
