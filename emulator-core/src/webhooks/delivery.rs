//! The delivery worker: POSTs signed events to subscribers and retries on Wix's schedule.
//!
//! The worker takes jobs (one event for one subscriber) from a queue and runs each on its own
//! task, so a retry waiting for hours never holds up other deliveries. Each attempt is signed
//! afresh (`iat` = the emulator clock at that attempt) from the same payload, so the event id,
//! event time and sequence stay the same while the token does not expire between retries.
//! Waits for retries follow the emulator clock: advancing it releases retries that became due.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch, Notify, Semaphore};
use uuid::Uuid;
use wix_runtime::webhooks::WebhookSigner;

use super::log::{AttemptOutcome, DeliveryLog, DeliveryRecord};
use super::HubEvent;
use crate::clock::Clock;

/// Longest single sleep while waiting for a retry, so that clock advances are noticed.
const CLOCK_POLL: Duration = Duration::from_millis(50);

/// One event for one subscriber.
#[derive(Debug)]
pub(crate) struct Job<E> {
    /// Shared by every attempt of this job.
    pub(crate) delivery_id: Uuid,
    /// What to sign and send.
    pub(crate) payload: Arc<E>,
    /// The site the event belongs to.
    pub(crate) site_id: Arc<str>,
    /// The sequence written in the payload.
    pub(crate) sequence: u64,
    /// The subscriber.
    pub(crate) url: String,
    /// The delivery this job repeats, if it is a redelivery.
    pub(crate) redelivery_of: Option<Uuid>,
}

impl<E> Clone for Job<E> {
    fn clone(&self) -> Self {
        Self {
            delivery_id: self.delivery_id,
            payload: Arc::clone(&self.payload),
            site_id: Arc::clone(&self.site_id),
            sequence: self.sequence,
            url: self.url.clone(),
            redelivery_of: self.redelivery_of,
        }
    }
}

/// How one attempt went.
struct Attempt {
    outcome: AttemptOutcome,
    /// Emulator time the attempt was signed and sent at.
    at: DateTime<Utc>,
    /// Wall time of the HTTP exchange.
    elapsed_ms: u64,
}

/// What every delivery task needs.
#[derive(Debug)]
pub(crate) struct Deliverer {
    /// `None` when the HTTP client could not be built: every attempt fails.
    pub(crate) http: Option<reqwest::Client>,
    /// `None` when no key could be loaded: every delivery fails unsigned.
    pub(crate) signer: Option<WebhookSigner>,
    pub(crate) clock: Clock,
    pub(crate) retry_delays: Vec<Duration>,
    pub(crate) timeout: Duration,
    pub(crate) log: DeliveryLog,
    pub(crate) in_flight: InFlight,
    pub(crate) requests: Semaphore,
}

/// Counts jobs not yet final, and wakes waiters when none is left.
#[derive(Debug, Default)]
pub(crate) struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

impl InFlight {
    pub(crate) fn add(&self, n: usize) {
        self.count.fetch_add(n, Ordering::SeqCst);
    }

    pub(crate) fn done(&self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    pub(crate) fn get(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits until no job is in flight.
    pub(crate) async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.get() == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Takes jobs off `queue` and runs each on its own task until the queue closes or `shutdown`
/// fires (when the hub is dropped).
pub(crate) async fn run_worker<E: HubEvent>(
    mut queue: mpsc::UnboundedReceiver<Job<E>>,
    deliverer: Arc<Deliverer>,
    shutdown: watch::Receiver<()>,
) {
    while let Some(job) = queue.recv().await {
        let deliverer = Arc::clone(&deliverer);
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = deliverer.deliver(job) => {}
                // `changed` fails once the hub (the sender) is gone.
                _ = shutdown.changed() => {}
            }
        });
    }
}

impl Deliverer {
    /// Tries `job` until it is delivered or the schedule is used up, logging every attempt.
    async fn deliver<E: HubEvent>(&self, job: Job<E>) {
        let attempts = self.retry_delays.len() + 1;
        for (index, attempt) in (1..=attempts).enumerate() {
            let Attempt {
                outcome,
                at,
                elapsed_ms,
            } = self.attempt(&job).await;
            let retry_in = match &outcome {
                AttemptOutcome::Delivered { .. } | AttemptOutcome::SigningFailed { .. } => None,
                _ => self.retry_delays.get(index).copied(),
            };
            let next_attempt_at = retry_in.map(|delay| add(self.clock.now(), delay));
            self.report(&job, attempt, &outcome, elapsed_ms);
            self.log.push(DeliveryRecord {
                delivery_id: job.delivery_id,
                event_id: job.payload.event_id().to_string(),
                event_type: job.payload.event_type().to_string(),
                entity_id: job.payload.entity_id().map(str::to_string),
                site_id: job.site_id.to_string(),
                entity_event_sequence: job.sequence,
                url: job.url.clone(),
                attempt: u32::try_from(attempt).unwrap_or(u32::MAX),
                outcome,
                at,
                elapsed_ms,
                is_final: next_attempt_at.is_none(),
                next_attempt_at,
                redelivery_of: job.redelivery_of,
            });
            match next_attempt_at {
                Some(due) => self.wait_until(due).await,
                None => break,
            }
        }
        self.in_flight.done();
    }

    /// One signed POST. Signing (a few milliseconds of CPU) runs on the blocking pool, and only
    /// once a request slot is free, so that a burst of events cannot starve the runtime and make
    /// other attempts miss their timeout.
    async fn attempt<E: HubEvent>(&self, job: &Job<E>) -> Attempt {
        // The semaphore is never closed; should it be, the request simply goes unthrottled.
        let _permit = self.requests.acquire().await.ok();
        let at = self.clock.now();
        let failed = |outcome| Attempt {
            outcome,
            at,
            elapsed_ms: 0,
        };
        let Some(signer) = self.signer.clone() else {
            return failed(AttemptOutcome::SigningFailed {
                error: "no usable signing key".to_string(),
            });
        };
        let payload = Arc::clone(&job.payload);
        let signed =
            tokio::task::spawn_blocking(move || signer.sign_event(&*payload, SystemTime::from(at)))
                .await;
        let body = match signed {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => {
                return failed(AttemptOutcome::SigningFailed {
                    error: e.to_string(),
                })
            }
            Err(e) => {
                return failed(AttemptOutcome::SigningFailed {
                    error: format!("signing task failed: {e}"),
                })
            }
        };
        let Some(http) = &self.http else {
            return failed(AttemptOutcome::ConnectionFailed {
                error: "no HTTP client".to_string(),
            });
        };
        let started = Instant::now();
        let sent = http
            .post(&job.url)
            .header(reqwest::header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(body)
            .timeout(self.timeout)
            .send()
            .await;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let outcome = match sent {
            Ok(response) if response.status() == reqwest::StatusCode::OK => {
                AttemptOutcome::Delivered { status: 200 }
            }
            Ok(response) => AttemptOutcome::Rejected {
                status: response.status().as_u16(),
            },
            Err(e) if e.is_timeout() => AttemptOutcome::TimedOut,
            Err(e) => AttemptOutcome::ConnectionFailed {
                error: error_chain(&e.without_url()),
            },
        };
        Attempt {
            outcome,
            at,
            elapsed_ms,
        }
    }

    fn report<E: HubEvent>(
        &self,
        job: &Job<E>,
        attempt: usize,
        outcome: &AttemptOutcome,
        elapsed_ms: u64,
    ) {
        let event_id = job.payload.event_id();
        let last = attempt > self.retry_delays.len();
        if outcome.is_delivered() {
            tracing::debug!(%event_id, url = %job.url, attempt, elapsed_ms, "webhook delivered");
        } else if last || matches!(outcome, AttemptOutcome::SigningFailed { .. }) {
            tracing::warn!(%event_id, url = %job.url, attempt, ?outcome, "webhook delivery given up");
        } else {
            tracing::debug!(%event_id, url = %job.url, attempt, ?outcome, "webhook delivery failed, will retry");
        }
    }

    /// Sleeps until the emulator clock reaches `due`, checking it at least every
    /// [`CLOCK_POLL`] so that an advanced clock releases the wait early.
    async fn wait_until(&self, due: DateTime<Utc>) {
        loop {
            let Ok(remaining) = (due - self.clock.now()).to_std() else {
                return;
            };
            if remaining.is_zero() {
                return;
            }
            tokio::time::sleep(remaining.min(CLOCK_POLL)).await;
        }
    }
}

/// `time + delay`, saturating far in the future.
fn add(time: DateTime<Utc>, delay: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(delay)
        .ok()
        .and_then(|d| time.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// An error and its sources, `: `-separated.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_saturates() {
        let now = Utc::now();
        assert_eq!(add(now, Duration::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(
            add(now, Duration::from_secs(60)) - now,
            chrono::Duration::seconds(60)
        );
    }

    #[tokio::test]
    async fn in_flight_wakes_waiters() {
        let in_flight = Arc::new(InFlight::default());
        in_flight.wait_idle().await;
        in_flight.add(2);
        let waiter = {
            let in_flight = Arc::clone(&in_flight);
            tokio::spawn(async move { in_flight.wait_idle().await })
        };
        in_flight.done();
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        in_flight.done();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("idle")
            .expect("task");
    }
}
