//! [`RetryPolicy`]: attempts, backoff and total deadline; how it is chosen for a call; and
//! how much of the deadline a call has used.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

    /// A total deadline for a call, attempts, lookups and waits included (`None`: no
    /// deadline).
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
    /// any client (see the [module documentation](super) for the precedence).
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CALL_POLICY.scope(self, future).await
    }
}

tokio::task_local! {
    static CALL_POLICY: RetryPolicy;
}

/// The policy of the call in progress: a [`RetryPolicy::scope`] override, else `default`.
pub fn effective(default: &RetryPolicy) -> RetryPolicy {
    CALL_POLICY
        .try_with(Clone::clone)
        .unwrap_or_else(|_| default.clone())
}

/// The time one call has used against its policy's total deadline, attempts, lookups and
/// waits included.
///
/// Waits are counted as the sleeper reported them, not as the wall clock saw them, so a
/// sleeper that does not really wait (in tests) still uses up the deadline.
#[derive(Debug)]
pub struct Budget {
    started: Instant,
    deadline: Option<Duration>,
    /// Real time spent inside the sleeper.
    sleep_correction: Duration,
    /// Time the sleeper was asked to wait.
    slept: Duration,
}

impl Budget {
    /// Starts counting a call under `policy`.
    pub fn start(policy: &RetryPolicy) -> Self {
        Self {
            started: Instant::now(),
            deadline: policy.deadline,
            sleep_correction: Duration::ZERO,
            slept: Duration::ZERO,
        }
    }

    /// The time used by `now`.
    fn elapsed_at(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.started)
            .saturating_sub(self.sleep_correction)
            + self.slept
    }

    fn elapsed(&self) -> Duration {
        self.elapsed_at(Instant::now())
    }

    /// Time left before the deadline at `now` (at least 1 ms), or `None` without a deadline.
    fn remaining_at(&self, now: Instant) -> Option<Duration> {
        self.deadline.map(|deadline| {
            deadline
                .saturating_sub(self.elapsed_at(now))
                .max(Duration::from_millis(1))
        })
    }

    /// Whether waiting `wait` still leaves time before the deadline.
    pub fn allows(&self, wait: Duration) -> bool {
        self.deadline
            .is_none_or(|deadline| self.elapsed() + wait < deadline)
    }

    /// Waits `wait` with `policy`'s sleeper and counts it.
    pub async fn sleep(&mut self, policy: &RetryPolicy, wait: Duration) {
        let before = Instant::now();
        policy.sleeper.sleep(wait).await;
        self.sleep_correction += before.elapsed();
        self.slept += wait;
    }

    /// The deadline of a step that starts now (an attempt or a lookup): what is left of
    /// this one.
    pub fn step(&self, policy: &RetryPolicy) -> Deadline {
        // One reading of the clock gives both what is left and when the step starts.
        let now = Instant::now();
        Deadline {
            policy: policy.clone(),
            left: self.remaining_at(now),
            started: now,
        }
    }
}

/// What is left of a call's deadline for one step of it (an attempt, or a lookup made of
/// several calls), counted from the step's start.
#[derive(Debug, Clone)]
pub struct Deadline {
    policy: RetryPolicy,
    left: Option<Duration>,
    started: Instant,
}

impl Deadline {
    /// Time left (at least 1 ms), or `None` without a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.left.map(|left| {
            left.saturating_sub(self.started.elapsed())
                .max(Duration::from_millis(1))
        })
    }

    /// Runs `calls` with the call's policy, its deadline cut to what is left now: every call
    /// made inside, its own retries included, ends within the outer deadline.
    pub async fn run<F: Future>(&self, calls: F) -> F::Output {
        self.policy
            .clone()
            .with_deadline(self.remaining())
            .scope(calls)
            .await
    }
}
