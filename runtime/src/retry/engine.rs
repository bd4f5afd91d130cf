//! The one retry engine. [`run`] makes the attempts of one call under a [`RetryPolicy`] and
//! the operation's [`RetryStrategy`]; [`send`] runs it for one HTTP request of a generated
//! client (its `exec` hook); [`run_call`] runs it for one typed call, with the operation's
//! lookup (a client's create supplies one, by `source.externalId`). Both take the strategy
//! from the generated rule table, by operation.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use futures::future::Either;

use super::classify::{classify, classify_status, retry_after, RetryKind};
use super::policy::{Budget, Deadline, RetryPolicy};
use super::RetryStrategy;
use crate::error::{ApplicationErrorCode, Error};

/// What one attempt's outcome means for the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Success, or a failure that repeating will not fix: the call's answer.
    Final,
    /// A failure that left nothing behind (`429`, a refused connection): it may be repeated
    /// as it is.
    NotApplied {
        /// The wait the API asked for.
        retry_after: Option<Duration>,
    },
    /// A failure after which the request may or may not have taken effect (dropped
    /// connection, timeout, `500`/`502`/`503`/`504`).
    Unknown {
        /// The wait the API asked for.
        retry_after: Option<Duration>,
    },
}

/// What a lookup after an attempt with an unknown outcome settled.
#[derive(Debug)]
pub enum Reconciled<O> {
    /// The call's answer: what the attempt did, as the lookup found it, or an outcome that
    /// says the lookup could not tell.
    Answer(O),
    /// The attempt took no effect; this is its outcome, and it may be repeated.
    Absent(O),
}

/// Makes the attempts of one call and returns its answer and the number of attempts.
///
/// Each attempt gets what is left of the policy's deadline. After a failed attempt,
/// `verdict` decides whether it may be repeated; the `strategy` whether it will be:
/// [`RetryStrategy::Never`] answers at once; [`RetryStrategy::Retry`] repeats;
/// [`RetryStrategy::Reconcile`] repeats a failure that left nothing behind, and after one
/// whose outcome is unknown calls `lookup` (even after the last attempt) and repeats only
/// when the lookup proves the attempt took no effect. A reconciling call without a lookup
/// is sent once. Repeats wait `Retry-After` or the backoff, and stop at the attempt limit or
/// when the wait would pass the deadline.
// Not an `async fn`: the `async move` block uses the arguments where it captured them, where
// an `async fn` would also keep a moved copy of each (the attempt closure holds the request's
// template) in its future; 0.4 k fewer instructions a call (BENCHMARKS.md).
#[allow(clippy::manual_async_fn)]
pub fn run<O, A, AF, V, L, LF>(
    policy: RetryPolicy,
    strategy: RetryStrategy,
    mut attempt: A,
    verdict: V,
    mut lookup: Option<L>,
) -> impl Future<Output = (O, u32)>
where
    A: FnMut(Deadline) -> AF,
    AF: Future<Output = O>,
    V: Fn(&O) -> Verdict,
    L: FnMut(O, Deadline) -> LF,
    LF: Future<Output = Reconciled<O>>,
{
    async move {
        let strategy = match (strategy, &lookup) {
            (RetryStrategy::Reconcile, None) => RetryStrategy::Never,
            (strategy, _) => strategy,
        };
        let policy = &policy;
        let mut budget = Budget::start(policy);
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let outcome = attempt(budget.step(policy)).await;
            let (retry_after, unknown) = match verdict(&outcome) {
                Verdict::Final => return (outcome, attempts),
                Verdict::NotApplied { retry_after } => (retry_after, false),
                Verdict::Unknown { retry_after } => (retry_after, true),
            };
            tracing::debug!(attempt = attempts, unknown, "wix.attempt failed");
            let outcome = match (strategy, lookup.as_mut()) {
                (RetryStrategy::Never, _) => return (outcome, attempts),
                (RetryStrategy::Reconcile, Some(lookup)) if unknown => {
                    match lookup(outcome, budget.step(policy)).await {
                        Reconciled::Answer(answer) => return (answer, attempts),
                        Reconciled::Absent(outcome) => outcome,
                    }
                }
                _ => outcome,
            };
            if attempts >= policy.max_attempts() {
                return (outcome, attempts);
            }
            let wait = policy.wait_after(attempts, retry_after);
            if !budget.allows(wait) {
                return (outcome, attempts);
            }
            drop(outcome);
            budget.sleep(policy, wait).await;
        }
    }
}

/// Makes the attempts of one typed call under its operation's `strategy` (from the rule
/// table), with `lookup` to settle an attempt whose outcome is unknown (used when the strategy
/// reconciles). Returns the call's answer.
pub async fn run_call<T, C: ApplicationErrorCode, A, AF, L, LF>(
    policy: &RetryPolicy,
    strategy: RetryStrategy,
    attempt: A,
    lookup: L,
) -> Result<T, Error<C>>
where
    A: FnMut(Deadline) -> AF,
    AF: Future<Output = Result<T, Error<C>>>,
    L: FnMut(Result<T, Error<C>>, Deadline) -> LF,
    LF: Future<Output = Reconciled<Result<T, Error<C>>>>,
{
    let verdict = |outcome: &Result<T, Error<C>>| {
        outcome
            .as_ref()
            .map_or_else(verdict_of_error, |_| Verdict::Final)
    };
    run(policy.clone(), strategy, attempt, verdict, Some(lookup))
        .await
        .0
}

/// The verdict on one typed attempt that failed with `error`.
fn verdict_of_error<C: ApplicationErrorCode>(error: &Error<C>) -> Verdict {
    match error {
        // No connection, nothing sent.
        Error::Transport { source, .. } if source.is_connect() => {
            Verdict::NotApplied { retry_after: None }
        }
        Error::Transport { .. } => Verdict::Unknown { retry_after: None },
        Error::Api(api) => match classify_status(api.status) {
            RetryKind::ThrottlingError => Verdict::NotApplied {
                retry_after: api.retry_after,
            },
            RetryKind::ServerError => Verdict::Unknown {
                retry_after: api.retry_after,
            },
            _ => Verdict::Final,
        },
        _ => Verdict::Final,
    }
}

/// Sends one HTTP request of the generated client through [`run`] (no lookup at this level:
/// a reconciling operation is sent once). Each attempt ends after `attempt_timeout` or at the
/// deadline, whichever comes first. Returns the last outcome and the number of attempts made.
///
/// The attempts' template is made here, before the returned future starts, and only the
/// attempt closure owns it: the future keeps no second copy of the request.
pub fn send(
    client: &reqwest::Client,
    request: reqwest::Request,
    strategy: RetryStrategy,
    policy: RetryPolicy,
    attempt_timeout: Option<Duration>,
) -> impl Future<Output = (reqwest::Result<reqwest::Response>, u32)> + '_ {
    match Resendable::new(request) {
        Ok(template) => Either::Left(run(
            policy,
            strategy,
            move |deadline| client.execute(within(template.request(), &deadline, attempt_timeout)),
            verdict_of_response,
            None::<fn(_, _) -> std::future::Ready<_>>,
        )),
        // A streaming body can be sent only once.
        Err(request) => Either::Right(async move {
            let deadline = Budget::start(&policy).step(&policy);
            let request = within(*request, &deadline, attempt_timeout);
            (client.execute(request).await, 1)
        }),
    }
}

/// `request` with its timeout cut to `attempt_timeout` and to what is left of `deadline`.
/// (A request's own timeout replaces the HTTP client's, so the attempt timeout is applied
/// here rather than to the client.)
fn within(
    mut request: reqwest::Request,
    deadline: &Deadline,
    attempt_timeout: Option<Duration>,
) -> reqwest::Request {
    let timeout = request.timeout_mut();
    for limit in [attempt_timeout, deadline.remaining()]
        .into_iter()
        .flatten()
    {
        if timeout.is_none_or(|t| t > limit) {
            *timeout = Some(limit);
        }
    }
    request
}

/// The verdict on one HTTP attempt.
fn verdict_of_response(result: &reqwest::Result<reqwest::Response>) -> Verdict {
    // Read only for an outcome that may be repeated: a final answer has no use for it.
    let retry_after = || match result {
        Ok(response) => retry_after(response.headers()),
        Err(_) => None,
    };
    match classify(result) {
        RetryKind::Unretryable => Verdict::Final,
        RetryKind::ThrottlingError => Verdict::NotApplied {
            retry_after: retry_after(),
        },
        RetryKind::TransientError if result.as_ref().is_err_and(|e| e.is_connect()) => {
            Verdict::NotApplied {
                retry_after: retry_after(),
            }
        }
        RetryKind::TransientError | RetryKind::ServerError => Verdict::Unknown {
            retry_after: retry_after(),
        },
    }
}

/// A request that can be sent any number of times: the request itself, kept as the template
/// of each attempt's copy, with its body as bytes.
struct Resendable {
    template: reqwest::Request,
    body: Option<Bytes>,
}

impl Resendable {
    /// The template of `request`'s attempts (the request itself: its URL and headers are not
    /// copied here), or the request, untouched, when its body is a stream.
    fn new(request: reqwest::Request) -> Result<Self, Box<reqwest::Request>> {
        let body = match request.body().map(reqwest::Body::as_bytes) {
            None => None,
            Some(Some(bytes)) => Some(Bytes::copy_from_slice(bytes)),
            Some(None) => return Err(Box::new(request)),
        };
        Ok(Self {
            template: request,
            body,
        })
    }

    /// A fresh copy of the request.
    fn request(&self) -> reqwest::Request {
        let template = &self.template;
        let mut request = reqwest::Request::new(template.method().clone(), template.url().clone());
        *request.headers_mut() = template.headers().clone();
        *request.version_mut() = template.version();
        *request.timeout_mut() = template.timeout().copied();
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        request
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::retry::Sleeper;

    /// Records waits and returns at once.
    #[derive(Default)]
    struct Instant(Mutex<Vec<Duration>>);

    impl Sleeper for Instant {
        fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
            self.0.lock().unwrap().push(duration);
            Box::pin(async {})
        }
    }

    fn policy(attempts: u32) -> (RetryPolicy, Arc<Instant>) {
        let sleeper = Arc::new(Instant::default());
        let policy = RetryPolicy::default()
            .with_max_attempts(attempts)
            .with_backoff(Duration::from_millis(10), Duration::from_millis(10))
            .without_jitter()
            .with_deadline(None)
            .with_sleeper(sleeper.clone());
        (policy, sleeper)
    }

    /// Outcomes named by their verdict: `"final"`, `"not-applied"`, `"unknown"`.
    fn verdict(outcome: &&'static str) -> Verdict {
        match *outcome {
            "not-applied" => Verdict::NotApplied { retry_after: None },
            "unknown" => Verdict::Unknown { retry_after: None },
            _ => Verdict::Final,
        }
    }

    /// What the scripted lookup does.
    #[derive(Clone, Copy)]
    enum Lookup {
        /// There is none.
        Missing,
        /// It always proves the attempt absent.
        Absent,
        /// It finds this answer.
        Finds(&'static str),
    }

    /// Runs the engine over scripted attempt outcomes; returns the answer, the attempts
    /// made and the lookups made.
    async fn script(
        strategy: RetryStrategy,
        attempts: u32,
        outcomes: &[&'static str],
        lookup: Lookup,
    ) -> (&'static str, u32, usize) {
        let (policy, _) = policy(attempts);
        let mut next = outcomes.iter().copied();
        let lookups = Mutex::new(0usize);
        let look_up = |outcome: &'static str, _: Deadline| {
            *lookups.lock().unwrap() += 1;
            std::future::ready(match lookup {
                Lookup::Finds(found) => Reconciled::Answer(found),
                _ => Reconciled::Absent(outcome),
            })
        };
        let (answer, made) = run(
            policy,
            strategy,
            |_| std::future::ready(next.next().unwrap_or("final")),
            verdict,
            (!matches!(lookup, Lookup::Missing)).then_some(look_up),
        )
        .await;
        let lookups = *lookups.lock().unwrap();
        (answer, made, lookups)
    }

    #[tokio::test]
    async fn retry_repeats_up_to_the_attempt_limit() {
        let outcomes = ["unknown", "not-applied", "unknown", "final"];
        assert_eq!(
            script(RetryStrategy::Retry, 3, &outcomes, Lookup::Missing).await,
            ("unknown", 3, 0)
        );
        assert_eq!(
            script(RetryStrategy::Retry, 5, &outcomes, Lookup::Missing).await,
            ("final", 4, 0)
        );
    }

    #[tokio::test]
    async fn never_sends_once() {
        assert_eq!(
            script(RetryStrategy::Never, 5, &["not-applied"], Lookup::Absent).await,
            ("not-applied", 1, 0)
        );
    }

    #[tokio::test]
    async fn reconcile_without_a_lookup_sends_once() {
        assert_eq!(
            script(RetryStrategy::Reconcile, 5, &["unknown"], Lookup::Missing).await,
            ("unknown", 1, 0)
        );
    }

    #[tokio::test]
    async fn reconcile_looks_up_unknown_outcomes_only_even_after_the_last_attempt() {
        // A failure that left nothing behind is repeated without a lookup.
        assert_eq!(
            script(
                RetryStrategy::Reconcile,
                2,
                &["not-applied", "final"],
                Lookup::Absent
            )
            .await,
            ("final", 2, 0)
        );
        // Found after the only attempt: the lookup's answer.
        assert_eq!(
            script(
                RetryStrategy::Reconcile,
                1,
                &["unknown"],
                Lookup::Finds("found")
            )
            .await,
            ("found", 1, 1)
        );
        // Proven absent after each attempt: repeated, then the last attempt's own outcome.
        assert_eq!(
            script(
                RetryStrategy::Reconcile,
                2,
                &["unknown", "unknown"],
                Lookup::Absent
            )
            .await,
            ("unknown", 2, 2)
        );
    }
}
