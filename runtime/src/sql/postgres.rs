//! Connecting to Postgres from a URL without ever showing its password.

use std::fmt;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

use super::{Backend, DbError, DbErrorKind};
use crate::redact::{redact_url, url_passwords};

/// A Postgres URL parsed for connecting, with what errors about it may show of it. Its
/// `Debug` shows the URL without password or parameters.
#[derive(Clone)]
pub(crate) struct PgTarget {
    options: PgConnectOptions,
    shown: String,
    secrets: Vec<String>,
}

impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PgTarget").field(&self.shown).finish()
    }
}

impl PgTarget {
    /// Parses `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?…`, with sqlx's
    /// parameters); a malformed one fails with [`DbErrorKind::InvalidUrl`].
    pub(crate) fn parse(url: &str) -> Result<PgTarget, DbError> {
        let shown = shown(url);
        let secrets = secrets(url);
        match url.parse::<PgConnectOptions>() {
            Ok(options) => Ok(PgTarget {
                options,
                shown,
                secrets,
            }),
            Err(error) => Err(DbError::new(
                DbErrorKind::InvalidUrl,
                clean(&secrets, format!("`{shown}`: {error}")),
            )),
        }
    }

    /// The URL as errors show it: without its password and without its parameters (which
    /// may carry one).
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// `message` with every spelling of the URL's password (in the user part or a
    /// `password` parameter, raw or percent-decoded) replaced by `***`.
    pub(crate) fn clean(&self, message: String) -> String {
        clean(&self.secrets, message)
    }

    /// One connection of its own, made within `timeout`; otherwise
    /// [`DbErrorKind::Unreachable`] (or another kind the server's answer shows).
    pub(crate) async fn connect(&self, timeout: Duration) -> Result<PgConnection, DbError> {
        tokio::time::timeout(timeout, PgConnection::connect_with(&self.options))
            .await
            .map_err(|_| {
                DbError::new(
                    DbErrorKind::Unreachable,
                    format!(
                        "no connection to {} within {} s",
                        self.shown,
                        timeout.as_secs()
                    ),
                )
            })?
            .map_err(|error| {
                let error = map(&format!("connecting to {}", self.shown), error);
                DbError::new(error.kind, self.clean(error.message))
            })
    }

    /// A pool of up to `max_connections` that connects when first used; a call waits at most
    /// `acquire_timeout` for a connection.
    pub(crate) fn lazy_pool(&self, max_connections: u32, acquire_timeout: Duration) -> PgPool {
        PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .connect_lazy_with(self.options.clone())
    }
}

/// Sorts an error Postgres gave while doing `action`.
pub(crate) fn map(action: &str, error: sqlx::Error) -> DbError {
    DbError::from_sqlx(Backend::Postgres, action, error)
}

/// `url` as errors show it: without its password and without its parameters.
fn shown(url: &str) -> String {
    let redacted = redact_url(url);
    match redacted.find(['?', '#']) {
        Some(end) => redacted[..end].to_string(),
        None => redacted,
    }
}

fn clean(secrets: &[String], message: String) -> String {
    secrets.iter().fold(message, |message, secret| {
        message.replace(secret.as_str(), "***")
    })
}

/// The passwords `url` carries, raw and percent-decoded, longest first.
fn secrets(url: &str) -> Vec<String> {
    let mut all: Vec<String> = url_passwords(url)
        .into_iter()
        .flat_map(|secret| {
            [
                secret.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_the_password_is_cleaned() {
        let url = "postgres://app:p%40ss+w0rd@db:5432/inbox?sslmode=require&password=other";
        let target = PgTarget::parse(url).unwrap();
        let message = target.clean("p%40ss+w0rd p@ss w0rd other at postgres://x".into());
        assert!(!message.contains("p%40ss"), "{message}");
        assert!(!message.contains("p@ss"), "{message}");
        assert!(!message.contains("other"), "{message}");
        assert_eq!(target.shown(), "postgres://app:***@db:5432/inbox");
        let debug = format!("{target:?}");
        assert!(
            !debug.contains("p%40ss") && !debug.contains("p@ss"),
            "{debug}"
        );
    }

    #[test]
    fn a_malformed_url_is_invalid_without_the_password() {
        let error = PgTarget::parse("postgres://app:s3cr3t@db:notaport/inbox").unwrap_err();
        assert_eq!(error.kind, DbErrorKind::InvalidUrl);
        assert!(!error.message.contains("s3cr3t"), "{}", error.message);
    }
}
