//! Retries: which failures are worth repeating, which operations are safe to repeat, and how
//! long to wait between attempts.
//!
//! The classification follows aws-sdk-rust: transient transport failures, throttling (`429`)
//! and the server errors `500`, `502`, `503` and `504` are retried; everything else is final.
//! Waits grow exponentially up to a cap and are drawn with full jitter, except that a
//! `Retry-After` header (seconds or an HTTP date) sets the wait. A call stops after
//! [`RetryPolicy::max_attempts`] attempts or when the next wait would pass its total deadline.
//!
//! Only operations that are safe to repeat are retried by the transport hook (see
//! [`is_retry_safe`]); create is made safe one level up, by [`crate::WixClient::create`],
//! which looks a request up by `source.externalId` before repeating it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// Operations (by progenitor operation id) that can be repeated without changing the outcome:
/// reads, void (voiding a voided request succeeds without change), delete, update extended
/// fields (replaces one namespace), and charge (at most one successful charge is processed per
/// order payment request). Create, bulk create and update are never repeated blindly.
pub fn is_retry_safe(operation_id: &str) -> bool {
    matches!(
        operation_id,
        "get_order_payment_request"
            | "query_order_payment_requests"
            | "get_order_payment_request_url"
            | "void_order_payment_request"
            | "delete_order_payment_request"
            | "update_extended_fields"
            | "charge_order_payment_request"
    )
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

/// Waits between attempts. The default uses `tokio::time::sleep`; tests inject one that records
/// the waits instead of waiting.
pub trait Sleeper: Send + Sync {
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default [`Sleeper`]: `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// How a call is retried: attempts, backoff and total deadline.
#[derive(Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    jitter: bool,
    sleeper: Arc<dyn Sleeper>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("deadline", &self.deadline)
            .field("jitter", &self.jitter)
            .finish_non_exhaustive()
    }
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms capped at 20 s with full jitter, 60 s total.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            deadline: Some(Duration::from_secs(60)),
            jitter: true,
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl RetryPolicy {
    /// A policy that makes a single attempt.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// At most `attempts` attempts in total (at least one).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff and its cap.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// A total deadline for a call, attempts and waits included (`None`: no deadline).
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Turns full jitter off, so waits are the capped exponential values (for tests).
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// Replaces how waits are performed.
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Maximum attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Total deadline per call.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The backoff before attempt `attempt + 1`, after `attempt` failed attempts (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let capped = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        if self.jitter {
            capped.mul_f64(fastrand::f64())
        } else {
            capped
        }
    }

    /// Waits the backoff after `attempt` failed attempts, with this policy's sleeper.
    pub(crate) async fn pause(&self, attempt: u32) {
        self.sleeper.sleep(self.backoff(attempt)).await;
    }

    /// Runs `future` with this policy instead of the client's for every call it makes.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CALL_POLICY.scope(self, future).await
    }
}

tokio::task_local! {
    static CALL_POLICY: RetryPolicy;
}

/// The policy of the call in progress: a [`RetryPolicy::scope`] override, else `default`.
pub(crate) fn effective(default: &RetryPolicy) -> RetryPolicy {
    CALL_POLICY
        .try_with(Clone::clone)
        .unwrap_or_else(|_| default.clone())
}

/// Sends `request`, repeating it as `policy` allows when `retry_safe`. Returns the last
/// outcome and the number of attempts made.
pub(crate) async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    retry_safe: bool,
    policy: &RetryPolicy,
) -> (reqwest::Result<reqwest::Response>, u32) {
    let started = Instant::now();
    // Time the sleeper reported, minus real time spent inside it: keeps deadline accounting
    // right when the sleeper does not really wait.
    let mut sleep_correction = Duration::ZERO;
    let mut slept_total = Duration::ZERO;
    let elapsed = |correction: Duration, slept: Duration| {
        started.elapsed().saturating_sub(correction) + slept
    };
    let mut next = Some(request);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let mut current = next.take().expect("a request for every attempt");
        if retry_safe && attempt < policy.max_attempts {
            next = current.try_clone();
        }
        if let Some(deadline) = policy.deadline {
            let remaining = deadline
                .saturating_sub(elapsed(sleep_correction, slept_total))
                .max(Duration::from_millis(1));
            let timeout = current.timeout_mut();
            if timeout.is_none_or(|t| t > remaining) {
                *timeout = Some(remaining);
            }
        }
        let result = client.execute(current).await;
        let kind = classify(&result);
        tracing::debug!(attempt, ?kind, "wix.attempt");
        if !kind.is_retryable() || next.is_none() {
            return (result, attempt);
        }
        let wait = match &result {
            Ok(response) => {
                retry_after(response.headers()).unwrap_or_else(|| policy.backoff(attempt))
            }
            Err(_) => policy.backoff(attempt),
        };
        if let Some(deadline) = policy.deadline {
            if elapsed(sleep_correction, slept_total) + wait >= deadline {
                return (result, attempt);
            }
        }
        drop(result);
        let before = Instant::now();
        policy.sleeper.sleep(wait).await;
        sleep_correction += before.elapsed();
        slept_total += wait;
    }
}
