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
//! [`Inbox::counts`] shows nothing pending; against the emulator, whose deliveries arrive
//! asynchronously, first wait for them with `emulator.webhooks().idle().await`). The handler
//! shares state with the test through an `Arc` it clones into each call:
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

#[cfg(feature = "postgres")]
pub use wix_runtime::inbox::PostgresStore;
pub use wix_runtime::inbox::{
    open_store, AcceptError, Accepted, ClaimRequest, EventState, EventSummary, Finish,
    HandlerError, HandlerFuture, InboxConfig, InboxCounts, InboxStore, Inserted, MemoryStore,
    Millis, NewEvent, StoreError, StoredEvent, Workers,
};
#[cfg(feature = "sqlite")]
pub use wix_runtime::inbox::{SqliteOptions, SqliteStore};
pub use wix_runtime::redact_url;

use super::Event;

/// The inbox of this API's events: a verifier and a store, shared by the receiver and the
/// workers (the runtime's [`Inbox`](wix_runtime::inbox::Inbox) of [`Event`]). Cheap to clone.
pub type Inbox = wix_runtime::inbox::Inbox<Event>;

/// One stored event, as a worker hands it to the [`Handler`].
pub type InboxEvent = wix_runtime::inbox::InboxEvent<Event>;

/// The application's work for one event. `Ok` marks the event done; `Err` (or a panic) marks
/// the try failed: the event is tried again with backoff, and parked as dead after
/// [`InboxConfig::max_attempts`] tries.
///
/// Handlers must be idempotent in effect: an event is handled again when a worker dies (or
/// loses its lease) after the handler ran and before the event was marked done.
///
/// Any `Fn(InboxEvent) -> impl Future<Output = Result<(), E>>` is a handler, for any error
/// type `E` that converts into [`HandlerError`]. `Handler` itself has no methods: to write a
/// handler as a type, implement the runtime's
/// [`Handler<Event>`](wix_runtime::inbox::Handler) (below); every such type is a `Handler`.
///
/// ```
/// use wix_order_payment_requests::webhooks::inbox::{Handler, InboxEvent};
/// use wix_order_payment_requests::webhooks::Event;
///
/// fn handler() -> impl Handler {
///     |delivered: InboxEvent| async move {
///         if let Event::Paid(paid) = &delivered.event {
///             println!("paid: {}", paid.order_payment_request.id);
///         }
///         Ok::<(), std::io::Error>(())
///     }
/// }
/// # let _ = handler();
/// ```
///
/// As a type, with state of its own:
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use wix_order_payment_requests::webhooks::inbox::{HandlerFuture, InboxEvent};
/// use wix_order_payment_requests::webhooks::Event;
/// use wix_order_payment_requests::wix_runtime;
///
/// /// Records the ids of the paid requests.
/// #[derive(Default)]
/// struct RecordPaid(Arc<Mutex<Vec<String>>>);
///
/// impl wix_runtime::inbox::Handler<Event> for RecordPaid {
///     fn handle(&self, delivered: InboxEvent) -> HandlerFuture {
///         let paid = Arc::clone(&self.0);
///         Box::pin(async move {
///             if let Event::Paid(event) = &delivered.event {
///                 paid.lock().unwrap().push(event.order_payment_request.id.to_string());
///             }
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait Handler: wix_runtime::inbox::Handler<Event> {}

impl<T: wix_runtime::inbox::Handler<Event> + ?Sized> Handler for T {}
