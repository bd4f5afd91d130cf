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
//! which looks a request up by `source.externalId` before repeating it, and waits and stops
//! by the same rules (`Retry-After`, backoff, attempts, deadline).
//!
//! # Choosing the policy
//!
//! A client's policy is set once, with [`crate::ClientBuilder::retry_policy`]. It can be
//! replaced for some calls in two ways; the second wins when both apply:
//!
//! - [`crate::WixClient::with_retry_policy`]: a copy of the client (cheap: it shares the
//!   connection pool and credentials) whose calls use another policy;
//! - [`RetryPolicy::scope`]: every call made while a future runs uses the policy, whatever
//!   client makes it (also the generated [`crate::Client`]'s builders).
//!
//! ```no_run
//! use std::time::Duration;
//! use wix_order_payment_requests::{RetryPolicy, WixClient};
//!
//! # async fn demo(wix: WixClient, id: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
//! // One attempt, for a call on a latency-sensitive path.
//! let quick = wix.with_retry_policy(RetryPolicy::disabled());
//! let request = quick.get(id).await?;
//!
//! // Up to 6 attempts within 10 s for everything this block does.
//! let patient = RetryPolicy::default()
//!     .with_max_attempts(6)
//!     .with_deadline(Some(Duration::from_secs(10)));
//! let url = patient.scope(async { wix.get_url(id).await }).await?;
//! # let _ = (request, url); Ok(()) }
//! ```

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

    /// The wait after `attempt` failed attempts: the server's `Retry-After` when it sent
    /// one, else the backoff.
    pub fn wait_after(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        retry_after.unwrap_or_else(|| self.backoff(attempt))
    }

    /// Runs `future` with this policy instead of the client's for every call it makes, from
    /// any client (see the [module documentation](self) for the precedence).
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CALL_POLICY.scope(self, future).await
    }
}

/// The time one call has used against its policy's total deadline, attempts and waits
/// included.
///
/// Waits are counted as the sleeper reported them, not as the wall clock saw them, so a
/// sleeper that does not really wait (in tests) still uses up the deadline.
#[derive(Debug)]
pub(crate) struct Budget {
    started: Instant,
    deadline: Option<Duration>,
    /// Real time spent inside the sleeper.
    sleep_correction: Duration,
    /// Time the sleeper was asked to wait.
    slept: Duration,
}

impl Budget {
    /// Starts counting a call under `policy`.
    pub(crate) fn start(policy: &RetryPolicy) -> Self {
        Self {
            started: Instant::now(),
            deadline: policy.deadline,
            sleep_correction: Duration::ZERO,
            slept: Duration::ZERO,
        }
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed().saturating_sub(self.sleep_correction) + self.slept
    }

    /// Time left before the deadline (at least 1 ms), or `None` without a deadline.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.deadline.map(|deadline| {
            deadline
                .saturating_sub(self.elapsed())
                .max(Duration::from_millis(1))
        })
    }

    /// Whether waiting `wait` still leaves time before the deadline.
    pub(crate) fn allows(&self, wait: Duration) -> bool {
        self.deadline
            .is_none_or(|deadline| self.elapsed() + wait < deadline)
    }

    /// Waits `wait` with `policy`'s sleeper and counts it.
    pub(crate) async fn sleep(&mut self, policy: &RetryPolicy, wait: Duration) {
        let before = Instant::now();
        policy.sleeper.sleep(wait).await;
        self.sleep_correction += before.elapsed();
        self.slept += wait;
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
    let mut budget = Budget::start(policy);
    let mut next = Some(request);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let mut current = next.take().expect("a request for every attempt");
        if retry_safe && attempt < policy.max_attempts {
            next = current.try_clone();
        }
        if let Some(remaining) = budget.remaining() {
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
        let server_wait = match &result {
            Ok(response) => retry_after(response.headers()),
            Err(_) => None,
        };
        let wait = policy.wait_after(attempt, server_wait);
        if !budget.allows(wait) {
            return (result, attempt);
        }
        drop(result);
        budget.sleep(policy, wait).await;
    }
}
