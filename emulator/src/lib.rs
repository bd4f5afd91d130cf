//! A local, stateful emulator of the Wix eCommerce Order Payment Requests API.
//!
//! All ten operations answer at Wix's paths with Wix's JSON, built from the generated client's
//! `types::*`; requests are checked against the rules of `spec/openapi.yaml` and the client's
//! generated rule tables, so the emulator and the client come from the same spec. Around the
//! API: a payment page per request, time control and switches (`/_emulator/*`), signed webhook
//! delivery ([`webhooks`]), fault injection ([`faults`]) and an OAuth token endpoint.
//!
//! The public surface is [`Emulator`] and its builder, the configuration types
//! ([`FaultConfig`], [`Limits`], [`WebhookConfig`], [`Order`], [`Clock`]), the event hooks
//! ([`EventSink`]) and [`testing`] (the engine's parts that tests and benchmarks drive directly).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emulator = wix_opr_emulator::Emulator::start().await?;
//! println!("API at {}", emulator.base_url());
//! emulator.advance_clock(std::time::Duration::from_secs(3600)); // expire what is due
//! # Ok(()) }
//! ```

// The emulator's parts, by role. Public: what a user configures (faults, limits, webhooks) and
// the `testing` module; the rest is this API's own. The Wix platform parts (server layers,
// tenancy, spec checks, the query engine, faults, the clock) are `wix_emulator_core`'s.
mod api_model;
mod domain;
mod http;
mod state;
pub mod testing;
mod webhook_sink;
pub mod webhooks;

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use tokio::task::JoinHandle;
use tower_layer::Layer as _;

pub use domain::events::{Actor, Announcement, EventSink};
pub use domain::orders::{fixture_orders, Order};
pub use faults::{FaultConfig, FaultKind, Faults};
pub use http::api::charge_tokens;
pub use http::oauth::TOKEN_TTL_SECONDS;
pub use limits::Limits;
pub use webhooks::{WebhookConfig, WebhookHub};
pub use wix_emulator_core::clock::Clock;
pub use wix_emulator_core::{faults, limits};

use crate::domain::store::Store;
use crate::domain::{events, orders};
use crate::http::{admin, api, oauth, pages};
use crate::state::{AppState, Shared, Switches};
use wix_emulator_core::{clock, server};

/// Default most payment requests the store holds.
pub const DEFAULT_CAPACITY: usize = 2_000_000;
/// Default delay between an accepted charge and `PAID`.
pub const DEFAULT_CHARGE_SETTLE: Duration = Duration::from_millis(100);
/// Default period of the expiry sweep.
pub const DEFAULT_SWEEP_INTERVAL: Duration = Duration::from_millis(250);

/// How to start an emulator; [`Emulator::builder`] gives the defaults.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    host: String,
    port: u16,
    public_url: Option<String>,
    capacity: usize,
    api_keys: Option<HashSet<String>>,
    orders: Vec<Order>,
    charge_settle: Duration,
    sweep_interval: Duration,
    faults: Option<FaultConfig>,
    webhooks: WebhookConfig,
    page_not_found: bool,
    site_not_published: bool,
    limits: Limits,
    oauth_token_ttl: Duration,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 0,
            public_url: None,
            capacity: DEFAULT_CAPACITY,
            api_keys: None,
            orders: fixture_orders(),
            charge_settle: DEFAULT_CHARGE_SETTLE,
            sweep_interval: DEFAULT_SWEEP_INTERVAL,
            faults: None,
            webhooks: WebhookConfig::default(),
            page_not_found: false,
            site_not_published: false,
            limits: Limits::default(),
            oauth_token_ttl: Duration::from_secs(oauth::TOKEN_TTL_SECONDS),
        }
    }
}

impl EmulatorBuilder {
    /// Interface to listen on (default `127.0.0.1`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// Port to listen on (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Base URL that payment-page links start with (default: the bound address).
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    /// Most payment requests held; creates beyond it answer 429.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// Accepts only these API keys (default: any non-empty key).
    pub fn api_keys(mut self, keys: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.api_keys = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Adds an order beside the fixture's.
    pub fn order(mut self, order: Order) -> Self {
        self.orders.push(order);
        self
    }

    /// Delay between an accepted charge and `PAID` (default 100 ms).
    pub fn charge_settle(mut self, delay: Duration) -> Self {
        self.charge_settle = delay;
        self
    }

    /// Period of the background expiry sweep (default 250 ms).
    pub fn sweep_interval(mut self, interval: Duration) -> Self {
        self.sweep_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// Injects faults from the start (default: none).
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = Some(faults);
        self
    }

    /// Webhook delivery settings (default: no subscribers). Subscribers added before with
    /// [`EmulatorBuilder::webhook_subscriber`] are kept.
    pub fn webhooks(mut self, mut config: WebhookConfig) -> Self {
        let earlier = std::mem::take(&mut self.webhooks.subscribers);
        for url in earlier {
            if !config.subscribers.contains(&url) {
                config.subscribers.push(url);
            }
        }
        self.webhooks = config;
        self
    }

    /// Adds a webhook subscriber URL.
    pub fn webhook_subscriber(mut self, url: impl Into<String>) -> Self {
        self.webhooks.subscribers.push(url.into());
        self
    }

    /// Starts with creates failing `ORDER_PAYMENT_REQUEST_PAGE_NOT_FOUND`.
    pub fn page_not_found(mut self, on: bool) -> Self {
        self.page_not_found = on;
        self
    }

    /// Starts with creates failing `SITE_NOT_PUBLISHED`.
    pub fn site_not_published(mut self, on: bool) -> Self {
        self.site_not_published = on;
        self
    }

    /// Time and size bounds (default [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Lifetime of the access tokens `POST /oauth2/token` hands out (default 4 hours, as
    /// Wix's). It runs on real time, not on the emulator's clock.
    pub fn oauth_token_ttl(mut self, ttl: Duration) -> Self {
        self.oauth_token_ttl = ttl;
        self
    }

    /// Binds, starts serving and the expiry sweep; both stop when the [`Emulator`] is dropped.
    ///
    /// Fails, before binding, when the compiled-in spec and the generated rule table disagree
    /// on an operation.
    pub async fn start(self) -> std::io::Result<Emulator> {
        api_model::install().map_err(std::io::Error::other)?;
        let listener = tokio::net::TcpListener::bind((self.host.as_str(), self.port)).await?;
        let addr = listener.local_addr()?;
        let clock = Clock::default();
        let hub = WebhookHub::try_new(self.webhooks, clock.clone())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
        let state: Shared = Arc::new(AppState {
            store: Store::new(self.capacity),
            orders: orders::OrderBook::new(self.orders),
            clock,
            events: events::Events::default(),
            switches: Switches::default(),
            api_keys: self.api_keys,
            charge_settle: self.charge_settle,
            base_url: OnceLock::new(),
            tokens: wix_emulator_core::tokens::TokenBook::new(self.oauth_token_ttl),
            limits: self.limits,
        });
        state
            .switches
            .page_not_found
            .store(self.page_not_found, Ordering::SeqCst);
        state
            .switches
            .site_not_published
            .store(self.site_not_published, Ordering::SeqCst);
        let base_url = self.public_url.unwrap_or_else(|| format!("http://{addr}"));
        let _ = state.base_url.set(base_url.clone());
        state.events.add(hub.clone());
        let faults = Faults::new(self.faults);
        let app = router(state.clone(), faults.clone(), hub.clone());

        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(server::serve(listener, app, self.limits, async move {
            let _ = rx.await;
        }));
        let sweeper = tokio::spawn(sweep_forever(state.clone(), self.sweep_interval));
        Ok(Emulator {
            addr,
            base_url,
            state,
            faults,
            hub,
            shutdown: Some(tx),
            tasks: vec![server, sweeper],
        })
    }
}

/// Builds the whole app: API (with faults), payment pages, OAuth, admin; bodies read within
/// the state's limits, every error in Wix's shape, every answer with an `X-Wix-Request-Id`.
pub fn router(
    state: Shared,
    faults: Faults,
    hub: Arc<WebhookHub>,
) -> impl tower_service::Service<
    axum::extract::Request,
    Response = axum::response::Response,
    Error = Infallible,
    Future: Send + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    let limits = state.limits;
    // Faults fall on the API's routes and the token endpoint, whatever the method.
    let api_paths = api::route_paths().chain([oauth::TOKEN_PATH.to_string()]);
    let inject = faults::InjectLayer::on_paths(faults.clone(), api_paths);
    let routes = Router::new()
        .merge(api::routes())
        .merge(oauth::routes())
        .merge(pages::routes())
        .merge(admin::routes())
        .with_state(state)
        .merge(faults::admin_router(faults))
        .merge(webhooks::admin_router(hub));
    server::layered(inject.layer(routes), limits)
}

async fn sweep_forever(state: Shared, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        state.sweep();
    }
}

/// A running emulator. Dropping it stops the server, the sweep and webhook delivery.
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    state: Shared,
    faults: Faults,
    hub: Arc<WebhookHub>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Emulator {
    /// The settings to start one with.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts with the defaults on an ephemeral localhost port.
    pub async fn start() -> std::io::Result<Self> {
        Self::builder().start().await
    }

    /// Starts with the defaults on the given localhost port (0 for any free port).
    pub async fn start_on(port: u16) -> std::io::Result<Self> {
        Self::builder().port(port).start().await
    }

    /// The base URL to give to the client.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The emulator's clock.
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// Moves the clock forward and expires, at once, every request that became due. The clock
    /// stops at the latest time it shows (`latest()`, the end of year 9999).
    pub fn advance_clock(&self, by: Duration) {
        self.state.advance_clock(time_delta(by));
    }

    /// Moves the clock forward like [`Emulator::advance_clock`], or refuses (and leaves it) when
    /// that would pass the latest time the clock can show.
    pub fn try_advance_clock(&self, by: Duration) -> Result<(), clock::PastTheLatestTime> {
        self.state.try_advance_clock(time_delta(by))
    }

    /// Adds (or replaces) an order every site can create payment requests for.
    pub fn add_order(&self, order: Order) {
        self.state.orders.upsert(order);
    }

    /// The order with this id, as it is now (its balance drops when requests are paid).
    pub fn order(&self, id: uuid::Uuid) -> Option<Order> {
        self.state.orders.find(id).map(|(_, order)| order)
    }

    /// Makes creates fail `ORDER_PAYMENT_REQUEST_PAGE_NOT_FOUND` (or stop failing).
    pub fn set_page_not_found(&self, on: bool) {
        self.state
            .switches
            .page_not_found
            .store(on, Ordering::SeqCst);
    }

    /// Makes creates fail `SITE_NOT_PUBLISHED` (or stop failing).
    pub fn set_site_not_published(&self, on: bool) {
        self.state
            .switches
            .site_not_published
            .store(on, Ordering::SeqCst);
    }

    /// Fault injection control.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Webhook delivery: subscribers, public key, delivery log.
    pub fn webhooks(&self) -> &Arc<WebhookHub> {
        &self.hub
    }

    /// Hears every state change (besides webhook delivery).
    pub fn add_event_sink(&self, sink: Arc<dyn EventSink>) {
        self.state.events.add(sink);
    }

    /// How many payment requests all sites hold.
    pub fn payment_request_count(&self) -> usize {
        self.state.store.len()
    }

    /// Pays request `id` by card, as a customer does on its payment page (the URL `get_url`
    /// returns): it becomes `PAID`, its order's balance drops, and the `updated` and `paid`
    /// webhooks go out. Refused like the page refuses: a request that is not `UNPAID`, or
    /// whose payment is in progress.
    pub fn pay(&self, id: uuid::Uuid) -> Result<(), PaymentRefused> {
        use http::pages::{pay_as_customer, Paid};
        match pay_as_customer(&self.state, id, &http::payment_page::PayForm::default()) {
            Paid::Yes(_) => Ok(()),
            Paid::Refused(_, reason) => Err(PaymentRefused { id, reason }),
            Paid::NoSuchRequest => Err(PaymentRefused {
                id,
                reason: "no payment request has this id".to_string(),
            }),
        }
    }
}

/// Why [`Emulator::pay`] could not pay a request: the text its payment page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRefused {
    /// The request.
    pub id: uuid::Uuid,
    /// Why, as the payment page says it.
    pub reason: String,
}

impl std::fmt::Display for PaymentRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "payment request {} was not paid: {}",
            self.id, self.reason
        )
    }
}

impl std::error::Error for PaymentRefused {}

/// `by` as a chrono duration, saturating (at about 292 million years).
fn time_delta(by: Duration) -> chrono::Duration {
    chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Compiles the README's code blocks as doctests, so the usage shown there keeps working.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
