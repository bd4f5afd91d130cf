//! The inbox itself: [`Inbox::accept`] verifies a delivery and stores it before Wix gets its
//! `200`; workers hand what is due to the application's [`Handler`], with leases, retries with
//! backoff, and dead events kept for [`Inbox::replay`].

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::handler::{Handler, InboxRecord};
use super::worker::{self, Workers};
use super::{
    ClaimRequest, EventState, EventSummary, InboxCounts, InboxStore, Inserted, NewEvent,
    StoreError, StoredEvent,
};
use crate::millis;
use crate::retry::RetryPolicy;
use crate::webhooks::{WebhookError, WebhookVerifier};

/// How the inbox retries, leases and polls. `Default` gives the values documented on each
/// field.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct InboxConfig {
    /// Tries before an event is parked as dead; `None` tries until the handler succeeds.
    /// Default `Some(10)`.
    pub max_attempts: Option<u32>,
    /// Wait before the second try; it doubles at each further try. Default 1 s.
    pub initial_backoff: Duration,
    /// Longest wait between tries. Default 5 min.
    pub max_backoff: Duration,
    /// How long a claimed event is reserved to its worker; the worker extends it every third
    /// of its length while the handler runs. A dead worker's events are claimed again once it
    /// ends. Default 30 s.
    pub lease: Duration,
    /// Handlers running at once per [`Workers`]. Default 4; 1 handles events one at a time,
    /// in the order they were received (retries aside).
    pub concurrency: usize,
    /// How often idle workers look for due events (retries, events another replica stored).
    /// Events accepted by the same [`Inbox`] wake them at once. Default 500 ms.
    pub poll_interval: Duration,
    /// How long done and stale events are kept to drop Wix's redeliveries of them. Default 7
    /// days (Wix retries for about two).
    pub retention: Duration,
}

impl Default for InboxConfig {
    fn default() -> Self {
        Self {
            max_attempts: Some(10),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            lease: Duration::from_secs(30),
            concurrency: 4,
            poll_interval: Duration::from_millis(500),
            retention: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl InboxConfig {
    /// The wait after `attempts` failed tries: exponential up to [`InboxConfig::max_backoff`],
    /// drawn between half and all of it so that many failed events do not come due together.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let capped = RetryPolicy::default()
            .with_backoff(self.initial_backoff, self.max_backoff)
            .without_jitter()
            .backoff(attempts);
        capped.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// What [`Inbox::accept`] did with a verified delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// Stored; a worker will hand it to the handler.
    Stored {
        /// `DomainEvent.id`.
        event_id: String,
    },
    /// Already stored by an earlier delivery: nothing to do.
    Duplicate {
        /// `DomainEvent.id`.
        event_id: String,
    },
}

/// Why [`Inbox::accept`] did not store a delivery.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// The body is not a valid webhook of this app (signature, times, shape), or it has no
    /// event id to deduplicate by.
    #[error(transparent)]
    Refused(#[from] WebhookError),
    /// The body is valid but could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AcceptError {
    /// The status a receiver answers: the verifier's ([`WebhookError::http_status`]) for a
    /// refused body, `503` when the store failed (Wix delivers again later).
    pub fn http_status(&self) -> u16 {
        match self {
            AcceptError::Refused(error) => error.http_status(),
            AcceptError::Store(_) => 503,
        }
    }
}

/// The inbox of an API's events `E`: a verifier and a store, shared by the receiver and the
/// workers. Cheap to clone.
pub struct Inbox<E> {
    pub(super) verifier: WebhookVerifier<E>,
    pub(super) store: Arc<dyn InboxStore>,
    pub(super) config: InboxConfig,
    pub(super) wake: Arc<Notify>,
}

// By hand: a derived impl would ask `E: Clone` of the events, which the inbox never clones.
impl<E> Clone for Inbox<E> {
    fn clone(&self) -> Self {
        Self {
            verifier: self.verifier.clone(),
            store: self.store.clone(),
            config: self.config,
            wake: self.wake.clone(),
        }
    }
}

impl<E> std::fmt::Debug for Inbox<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("verifier", &self.verifier)
            .field("store", &self.store)
            .field("config", &self.config)
            .finish()
    }
}

impl<E: InboxRecord> Inbox<E> {
    /// An inbox that verifies with `verifier` and keeps events in `store`, with the default
    /// [`InboxConfig`].
    pub fn new(verifier: WebhookVerifier<E>, store: impl InboxStore + 'static) -> Self {
        Self::with_shared_store(verifier, Arc::new(store))
    }

    /// [`Inbox::new`] with a store that is already shared (as [`open_store`](super::open_store)
    /// returns it).
    pub fn with_shared_store(verifier: WebhookVerifier<E>, store: Arc<dyn InboxStore>) -> Self {
        Self {
            verifier,
            store,
            config: InboxConfig::default(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Replaces the configuration.
    pub fn with_config(mut self, config: InboxConfig) -> Self {
        self.config = config;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &InboxConfig {
        &self.config
    }

    /// The verifier.
    pub fn verifier(&self) -> &WebhookVerifier<E> {
        &self.verifier
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn InboxStore> {
        &self.store
    }

    /// Verifies `body` and stores the event, deduplicated by its id. `Ok` means the event is
    /// durably stored (now or by an earlier delivery): answer `200`. On `Err`, answer
    /// [`AcceptError::http_status`].
    pub async fn accept(&self, body: &[u8]) -> Result<Accepted, AcceptError> {
        let event = self.verifier.verify(body)?;
        let event_id = event
            .event_id()
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| WebhookError::Missing {
                path: "data.data.id".into(),
            })?;
        // `verify` succeeded, so the body is UTF-8.
        let body = std::str::from_utf8(body).unwrap_or_default().trim();
        let new = NewEvent {
            event_id: &event_id,
            event_type: event.event_type(),
            entity_id: event.entity_id(),
            sequence: event.entity_event_sequence(),
            body,
            received_at: millis::now(),
        };
        match self.store.insert(&new).await? {
            Inserted::New => {
                self.wake.notify_one();
                Ok(Accepted::Stored { event_id })
            }
            Inserted::Duplicate => Ok(Accepted::Duplicate { event_id }),
        }
    }

    /// Starts workers on the tokio runtime that hand each due event to `handler`.
    pub fn spawn_workers(&self, handler: impl Handler<E>) -> Workers {
        Workers::spawn(self.clone(), Arc::new(handler))
    }

    /// Runs workers on the current task until `stop` completes, then waits for the handlers
    /// running at that moment.
    pub async fn run_workers(&self, handler: impl Handler<E>, stop: impl std::future::Future) {
        let workers = self.spawn_workers(handler);
        stop.await;
        workers.shutdown().await;
    }

    /// Hands every event due now to `handler`, one at a time, and returns how many were
    /// claimed. For tests and batch jobs; long-running receivers use
    /// [`Inbox::spawn_workers`].
    pub async fn process_due(&self, handler: &dyn Handler<E>) -> Result<usize, StoreError> {
        let mut total = 0;
        loop {
            let (token, events) = self.claim(1).await?;
            let Some(event) = events.into_iter().next() else {
                return Ok(total);
            };
            total += 1;
            worker::process(self, handler, event, &token).await;
        }
    }

    /// Up to `limit` events parked as dead, oldest first, with their last error.
    pub async fn dead(&self, limit: usize) -> Result<Vec<EventSummary>, StoreError> {
        self.store.list(EventState::Dead, limit).await
    }

    /// Makes the dead event `event_id` pending again, due now. `false` when no dead event has
    /// that id.
    pub async fn replay(&self, event_id: &str) -> Result<bool, StoreError> {
        let replayed = self.store.replay(event_id, millis::now()).await?;
        if replayed {
            self.wake.notify_one();
        }
        Ok(replayed)
    }

    /// How many events are in each state.
    pub async fn counts(&self) -> Result<InboxCounts, StoreError> {
        self.store.counts().await
    }

    /// Claims up to `limit` due events under a fresh token.
    pub(super) async fn claim(
        &self,
        limit: usize,
    ) -> Result<(String, Vec<StoredEvent>), StoreError> {
        let token = uuid::Uuid::new_v4().to_string();
        let now = millis::now();
        let request = ClaimRequest {
            token: &token,
            now,
            lease_until: now.saturating_add(millis::of(self.config.lease)),
            limit,
        };
        let events = self.store.claim(&request).await?;
        Ok((token, events))
    }

    /// Forgets finished events older than the retention.
    pub(super) async fn purge_expired(&self) {
        let before = millis::now().saturating_sub(millis::of(self.config.retention));
        match self.store.purge_finished(before).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(purged = n, "webhook inbox: old finished events forgotten"),
            Err(error) => tracing::warn!(%error, "webhook inbox: cannot purge old events"),
        }
    }
}
