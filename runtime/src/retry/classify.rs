//! Which failed attempts are worth repeating, and the wait a response asks for.

use std::time::Duration;

use http::{HeaderMap, StatusCode};

/// Why a failed attempt may or may not be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The request got no HTTP answer: connection refused or reset, timeout.
    TransientError,
    /// The API asked the caller to slow down (`429`).
    ThrottlingError,
    /// A server error that is usually temporary (`500`, `502`, `503`, `504`).
    ServerError,
    /// Success, or an error that repeating will not fix.
    Unretryable,
}

impl RetryKind {
    /// Whether an attempt with this outcome may be repeated.
    pub fn is_retryable(self) -> bool {
        !matches!(self, RetryKind::Unretryable)
    }
}

/// Classifies an HTTP status.
pub fn classify_status(status: StatusCode) -> RetryKind {
    match status.as_u16() {
        429 => RetryKind::ThrottlingError,
        500 | 502 | 503 | 504 => RetryKind::ServerError,
        _ => RetryKind::Unretryable,
    }
}

/// Classifies the outcome of one attempt.
pub fn classify(result: &reqwest::Result<reqwest::Response>) -> RetryKind {
    match result {
        Ok(response) => classify_status(response.status()),
        Err(error) if error.is_connect() || error.is_timeout() || error.is_request() => {
            RetryKind::TransientError
        }
        Err(error) => match error.status() {
            Some(status) => classify_status(status),
            None => RetryKind::TransientError,
        },
    }
}

/// Parses `Retry-After`: delay seconds or an HTTP date (a date in the past gives zero).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}
