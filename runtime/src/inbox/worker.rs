//! Workers: claim due events, run the handler under a lease, record how it went.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::handler::{Handler, InboxEvent, InboxRecord};
use super::service::Inbox;
use super::{Finish, StoreError, StoredEvent};
use crate::millis;
use crate::webhooks::decode_verified_token;

/// How often finished events older than the retention are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How many times recording a try's outcome is attempted before the lease is left to end.
const FINISH_TRIES: u32 = 3;

/// Workers running on the tokio runtime, started by [`Inbox::spawn_workers`].
///
/// Dropping the handle leaves them running for the life of the runtime; [`Workers::shutdown`]
/// stops them cleanly.
#[derive(Debug)]
#[must_use = "dropping `Workers` leaves them running; call `shutdown` to stop them"]
pub struct Workers {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Workers {
    pub(super) fn spawn<E: InboxRecord>(inbox: Inbox<E>, handler: Arc<dyn Handler<E>>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(inbox, handler, stopped));
        Self { stop, task }
    }

    /// Stops claiming events and waits for the handlers running now to finish and be
    /// recorded.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "webhook inbox workers ended abnormally");
        }
    }
}

/// The claim loop: keeps up to `concurrency` handlers busy until `stop` turns true.
pub(super) async fn run<E: InboxRecord>(
    inbox: Inbox<E>,
    handler: Arc<dyn Handler<E>>,
    mut stop: watch::Receiver<bool>,
) {
    let config = inbox.config;
    let concurrency = config.concurrency.max(1);
    let mut running = JoinSet::new();
    let mut last_purge: Option<Instant> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        while running.try_join_next().is_some() {}
        if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
            last_purge = Some(Instant::now());
            inbox.purge_expired().await;
        }
        let free = concurrency.saturating_sub(running.len());
        if free > 0 {
            match inbox.claim(free).await {
                Ok((token, events)) => {
                    let full = events.len() == free;
                    for event in events {
                        let inbox = inbox.clone();
                        let handler = Arc::clone(&handler);
                        let token = token.clone();
                        running.spawn(async move {
                            process(&inbox, handler.as_ref(), event, &token).await;
                        });
                    }
                    if full {
                        // More may be due: claim again as soon as a handler is free.
                        if running.join_next().await.is_some() {
                            continue;
                        }
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "webhook inbox: cannot claim events; retrying");
                }
            }
        }
        tokio::select! {
            () = inbox.wake.notified() => {}
            () = tokio::time::sleep(config.poll_interval) => {}
            Some(_) = running.join_next(), if !running.is_empty() => {}
            _ = stop.changed() => {}
        }
    }
    while running.join_next().await.is_some() {}
}

/// Handles one claimed event and records the outcome under the claim's `token`.
pub(super) async fn process<E: InboxRecord>(
    inbox: &Inbox<E>,
    handler: &dyn Handler<E>,
    stored: StoredEvent,
    token: &str,
) {
    let event = match decode_verified_token::<E>(&stored.body) {
        Ok(event) => event,
        Err(error) => {
            let error = format!("the stored event does not decode: {error}");
            record(inbox, &stored, token, Finish::Dead { error: &error }).await;
            return;
        }
    };
    if let (Some(entity), Some(sequence)) = (stored.entity_id.as_deref(), stored.sequence) {
        match inbox.store.latest_sequence(entity).await {
            Ok(Some(latest)) if sequence < latest => {
                tracing::debug!(
                    event_id = %stored.event_id,
                    sequence,
                    latest,
                    "webhook inbox: stale event skipped"
                );
                record(inbox, &stored, token, Finish::Stale).await;
                return;
            }
            Ok(_) => {}
            Err(error) => {
                let error = format!("cannot read the entity's latest sequence: {error}");
                fail(inbox, &stored, token, &error).await;
                return;
            }
        }
    }
    let delivered = InboxEvent {
        event_id: stored.event_id.clone(),
        event,
        body: stored.body.clone(),
        attempt: stored.attempts,
        previous_error: stored.last_error.clone(),
        received_at: InboxEvent::<E>::received_at_from(stored.received_at),
    };
    let outcome = run_under_lease(inbox, handler, delivered, &stored.event_id, token).await;
    match outcome {
        Ok(()) => {
            let done = Finish::Done {
                entity_id: stored.entity_id.as_deref(),
                sequence: stored.sequence,
            };
            record(inbox, &stored, token, done).await;
        }
        Err(error) => fail(inbox, &stored, token, &error).await,
    }
}

/// Runs the handler, extending the lease every third of its length until it returns.
async fn run_under_lease<E: InboxRecord>(
    inbox: &Inbox<E>,
    handler: &dyn Handler<E>,
    delivered: InboxEvent<E>,
    event_id: &str,
    token: &str,
) -> Result<(), String> {
    let lease = inbox.config.lease;
    let mut handled = std::pin::pin!(AssertUnwindSafe(handler.handle(delivered)).catch_unwind());
    // The first beat a third of a lease from now: an interval's immediate first tick still
    // waits for the timer wheel's next millisecond, which would delay every event. (A zero
    // lease would make a zero period, which `interval_at` refuses.)
    let beat = (lease / 3).max(Duration::from_millis(1));
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + beat, beat);
    loop {
        tokio::select! {
            outcome = &mut handled => {
                return match outcome {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(error)) => Err(error.to_string()),
                    Err(panic) => Err(format!("the handler panicked: {}", panic_message(panic.as_ref()))),
                };
            }
            _ = heartbeat.tick() => {
                let until = millis::now().saturating_add(millis::of(lease));
                match inbox.store.extend_lease(event_id, token, until).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(
                        event_id,
                        "webhook inbox: lease lost while the handler runs; \
                         another worker may handle the event too"
                    ),
                    Err(error) => tracing::warn!(
                        event_id,
                        %error,
                        "webhook inbox: cannot extend the lease"
                    ),
                }
            }
        }
    }
}

/// Records a failed try: due again after a backoff, or dead when no try is left.
async fn fail<E>(inbox: &Inbox<E>, stored: &StoredEvent, token: &str, error: &str) {
    let config = &inbox.config;
    if config
        .max_attempts
        .is_some_and(|max| stored.attempts >= max)
    {
        tracing::error!(
            event_id = %stored.event_id,
            attempts = stored.attempts,
            error,
            "webhook inbox: event parked as dead"
        );
        record(inbox, stored, token, Finish::Dead { error }).await;
        return;
    }
    let wait = config.backoff(stored.attempts);
    tracing::warn!(
        event_id = %stored.event_id,
        attempt = stored.attempts,
        retry_in_ms = wait.as_millis() as u64,
        error,
        "webhook inbox: handler failed; will retry"
    );
    let at = millis::now().saturating_add(millis::of(wait));
    record(inbox, stored, token, Finish::Retry { error, at }).await;
}

/// Writes `finish`, trying a few times; when the store stays unavailable the lease ends and
/// the event is claimed again (handled at least once).
async fn record<E>(inbox: &Inbox<E>, stored: &StoredEvent, token: &str, finish: Finish<'_>) {
    let mut last: Option<StoreError> = None;
    for attempt in 0..FINISH_TRIES {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
        }
        match inbox
            .store
            .finish(&stored.event_id, token, &finish, millis::now())
            .await
        {
            Ok(true) => return,
            Ok(false) => {
                tracing::warn!(
                    event_id = %stored.event_id,
                    "webhook inbox: the claim was lost before its outcome was recorded"
                );
                return;
            }
            Err(error) => last = Some(error),
        }
    }
    if let Some(error) = last {
        tracing::error!(
            event_id = %stored.event_id,
            %error,
            "webhook inbox: cannot record the outcome; the event will be claimed again"
        );
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
