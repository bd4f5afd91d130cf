//! The webhook inbox: Wix gets a `200` only for an event that is stored, and the application's
//! handler gets every stored event, retried until it succeeds.
//!
//! ```text
//!   Wix ──POST──▶ receiver: verify ─▶ store (deduplicated by event id) ─▶ 200
//!                                        │
//!                 workers: claim (lease) ─▶ your async handler ─▶ done
//!                                        └─ failed: retry with backoff ─▶ … ─▶ dead (replayable)
//! ```
//!
//! # What it guarantees
//!
//! An event that got a `200` reaches the handler **at least once**, and **exactly once**
//! unless a worker dies (or loses its lease) while the handler runs, after which the event is
//! handled again. Precisely:
//!
//! - [`Inbox::accept`] verifies the body, then stores it in one atomic step that also drops a
//!   redelivery (same `DomainEvent.id`). It returns only once the store has the event durably;
//!   a receiver answers `200` only then. When the store is unreachable, full, locked or
//!   corrupt it answers `503`, and Wix delivers again later.
//! - Workers claim due events with a lease ([`InboxConfig::lease`]), which they extend while
//!   the handler runs. A worker that dies stops extending it; when it ends, another worker
//!   claims the event.
//! - An event is marked done only after the handler returned `Ok`. A handler that fails or
//!   panics is tried again with exponential backoff; after [`InboxConfig::max_attempts`]
//!   tries the event is parked as dead with its error ([`Inbox::dead`]), until
//!   [`Inbox::replay`].
//! - An event older than one already handled for the same order payment request
//!   (`entityEventSequence` lower than the entity's latest handled), of any type, is skipped,
//!   not handled. Wix delivers out of order: a `paid` event may come before the `updated`
//!   that preceded it. The check is against events already done, so two events of one
//!   request handled at the same moment (concurrency above 1) both run. The `paid`, `expired`
//!   and `voided` events each carry the request's status after the change; trust them, and
//!   never wait for a `created` or `updated`.
//!
//! # Stores
//!
//! | store | feature | for |
//! |---|---|---|
//! | [`MemoryStore`] | always | tests; nothing survives a restart |
//! | `SqliteStore` | `sqlite` | one receiver process: one file, survives restarts and crashes |
//! | `PostgresStore` | `postgres` | many replicas sharing one database |
//!
//! [`open_store`] opens one from a URL (`memory:`, `sqlite:PATH`, `postgres://…`). The SQL
//! stores create (or migrate) their tables on first use.
//!
//! # A receiver in a few lines
//!
//! With the feature `axum`, `Inbox::receiver` is the whole HTTP side:
//!
//! ```no_run
//! # #[cfg(feature = "axum")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use wix_order_payment_requests::webhooks::inbox::{Inbox, InboxEvent, MemoryStore};
//! use wix_order_payment_requests::webhooks::{Event, WebhookVerifier};
//!
//! let verifier = WebhookVerifier::from_rsa_pem(&std::fs::read("wix_app_public_key.pem")?)?;
//! // `SqliteStore::open("inbox.db")` (feature `sqlite`) keeps events across restarts.
//! let inbox = Inbox::new(verifier, MemoryStore::default());
//! let workers = inbox.spawn_workers(|delivered: InboxEvent| async move {
//!     if let Event::Paid(paid) = &delivered.event {
//!         // Map the request back to your own record through `source.externalId`.
//!         let invoice = paid.order_payment_request.source.as_ref()
//!             .and_then(|source| source.external_id.as_ref());
//!         println!("paid: {} (invoice {invoice:?})", paid.order_payment_request.id);
//!     }
//!     Ok::<(), std::io::Error>(())
//! });
//! let app = axum::Router::new().route("/webhooks", inbox.receiver());
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
//! axum::serve(listener, app)
//!     .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
//!     .await?;
//! workers.shutdown().await; // lets the handlers running now finish and be recorded
//! # Ok(()) }
//! ```
//!
//! # Testing a handler
//!
//! With the feature `test-util`, `WebhookSigner` signs deliveries as Wix does, and
//! [`Inbox::process_due`] runs what is due on the current task, so a handler's unit test needs
//! no server and no sleeping (a test that runs `spawn_workers` instead can wait until
//! [`Inbox::counts`] shows nothing pending). The handler shares state with the test through an
//! `Arc` it clones into each call:
//!
//! ```
//! # #[cfg(feature = "test-util")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::{Arc, Mutex};
//! use wix_order_payment_requests::testing::{APP_PRIVATE_KEY_PEM, APP_PUBLIC_KEY_PEM};
//! use wix_order_payment_requests::webhooks::inbox::{Inbox, InboxEvent, MemoryStore};
//! use wix_order_payment_requests::webhooks::{
//!     Event, EventPayload, WebhookEventType, WebhookSigner, WebhookVerifier,
//! };
//!
//! // The handler under test: records the invoices it marks paid.
//! let paid_invoices = Arc::new(Mutex::new(Vec::<String>::new()));
//! let marked = Arc::clone(&paid_invoices);
//! let handler = move |delivered: InboxEvent| {
//!     let marked = Arc::clone(&marked);
//!     async move {
//!         if let Event::Paid(paid) = &delivered.event {
//!             let source = paid.order_payment_request.source.as_ref();
//!             if let Some(invoice) = source.and_then(|s| s.external_id.as_ref()) {
//!                 marked.lock().unwrap().push(invoice.to_string());
//!             }
//!         }
//!         Ok::<(), std::io::Error>(())
//!     }
//! };
//!
//! // A `paid` delivery as Wix would sign it (test key pair from `testing`).
//! let request = serde_json::from_value(serde_json::json!({
//!     "id": "0d9bc7e8-1b43-4a6b-9d0f-2f7f1a1c9e11",
//!     "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
//!     "amount": {"amount": "15.50", "formattedAmount": "$15.50"},
//!     "title": "Balance Due for Order #10052",
//!     "status": "PAID",
//!     "currency": "USD",
//!     "source": {"externalId": "invoice-10052"},
//!     "createdDate": "2026-01-01T00:00:00Z",
//!     "updatedDate": "2026-01-02T00:00:00Z"
//! }))?;
//! let payload = EventPayload::new(WebhookEventType::WixEcomV1OrderPaymentRequestPaid, request);
//! let body = WebhookSigner::from_rsa_pem(APP_PRIVATE_KEY_PEM.as_bytes())?
//!     .sign_event(&payload, std::time::SystemTime::now())?;
//!
//! let verifier = WebhookVerifier::from_rsa_pem(APP_PUBLIC_KEY_PEM.as_bytes())?;
//! let inbox = Inbox::new(verifier, MemoryStore::default());
//! inbox.accept(body.as_bytes()).await?;
//! inbox.accept(body.as_bytes()).await?; // Wix's redelivery: dropped
//! assert_eq!(inbox.process_due(&handler).await?, 1);
//! assert_eq!(*paid_invoices.lock().unwrap(), ["invoice-10052"]);
//! # Ok(()) }
//! # #[cfg(not(feature = "test-util"))]
//! # fn main() {}
//! ```

mod handler;
#[cfg(feature = "axum")]
mod receiver;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use wix_runtime::millis;

pub use handler::{Handler, HandlerError, HandlerFuture, InboxEvent};
#[cfg(feature = "postgres")]
pub use wix_runtime::inbox::PostgresStore;
pub use wix_runtime::inbox::{
    open_store, ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted,
    MemoryStore, Millis, NewEvent, StoreError, StoredEvent,
};
#[cfg(feature = "sqlite")]
pub use wix_runtime::inbox::{SqliteOptions, SqliteStore};
pub use wix_runtime::redact_url;
pub use worker::Workers;

use super::{WebhookError, WebhookVerifier};
use crate::retry::RetryPolicy;

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

/// The inbox: a verifier and a store, shared by the receiver and the workers. Cheap to clone.
#[derive(Clone)]
pub struct Inbox {
    verifier: WebhookVerifier,
    store: Arc<dyn InboxStore>,
    config: InboxConfig,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Inbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inbox")
            .field("verifier", &self.verifier)
            .field("store", &self.store)
            .field("config", &self.config)
            .finish()
    }
}

impl Inbox {
    /// An inbox that verifies with `verifier` and keeps events in `store`, with the default
    /// [`InboxConfig`].
    pub fn new(verifier: WebhookVerifier, store: impl InboxStore + 'static) -> Self {
        Self::with_shared_store(verifier, Arc::new(store))
    }

    /// [`Inbox::new`] with a store that is already shared (as [`open_store`] returns it).
    pub fn with_shared_store(verifier: WebhookVerifier, store: Arc<dyn InboxStore>) -> Self {
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
    pub fn verifier(&self) -> &WebhookVerifier {
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
        let meta = event.metadata();
        let event_id = meta
            .event_id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| WebhookError::Missing {
                path: "data.data.id".into(),
            })?;
        // `verify` succeeded, so the body is UTF-8.
        let body = std::str::from_utf8(body).unwrap_or_default().trim();
        let new = NewEvent {
            event_id: &event_id,
            event_type: meta.event_type.as_str(),
            entity_id: meta.entity_id.as_deref(),
            sequence: meta.entity_event_sequence,
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
    pub fn spawn_workers(&self, handler: impl Handler) -> Workers {
        Workers::spawn(self.clone(), Arc::new(handler))
    }

    /// Runs workers on the current task until `stop` completes, then waits for the handlers
    /// running at that moment.
    pub async fn run_workers(&self, handler: impl Handler, stop: impl std::future::Future) {
        let workers = self.spawn_workers(handler);
        stop.await;
        workers.shutdown().await;
    }

    /// Hands every event due now to `handler`, one at a time, and returns how many were
    /// claimed. For tests and batch jobs; long-running receivers use
    /// [`Inbox::spawn_workers`].
    pub async fn process_due(&self, handler: &dyn Handler) -> Result<usize, StoreError> {
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
    async fn claim(&self, limit: usize) -> Result<(String, Vec<StoredEvent>), StoreError> {
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
    async fn purge_expired(&self) {
        let before = millis::now().saturating_sub(millis::of(self.config.retention));
        match self.store.purge_finished(before).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(purged = n, "webhook inbox: old finished events forgotten"),
            Err(error) => tracing::warn!(%error, "webhook inbox: cannot purge old events"),
        }
    }
}
