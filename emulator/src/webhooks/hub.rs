//! [`WebhookHub`]: subscribers, event building and the hand-off to the delivery worker.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{mpsc, watch, Semaphore};
use uuid::Uuid;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::{EventPayload, WebhookEventType};
use wix_order_payment_requests::WebhookIdentityType;

use super::config::WebhookConfig;
use super::delivery::{run_worker, Deliverer, InFlight, Job};
use super::error::WebhookSetupError;
use super::keys::{AppKeys, DEFAULT_PUBLIC_KEY_PEM};
use super::log::{DeliveryLog, DeliveryRecord};
use wix_emulator_core::clock::Clock;

/// What [`WebhookHub::emit`] queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmittedEvent {
    /// `DomainEvent.id` of the event.
    pub event_id: String,
    /// `DomainEvent.entityId` (the request's id), if the request has one.
    pub entity_id: Option<String>,
    /// `DomainEvent.entityEventSequence` given to the event.
    pub sequence: u64,
    /// The delivery ids, one per subscriber the event was queued for.
    pub delivery_ids: Vec<Uuid>,
}

/// The emulator's webhook sender: one per emulator, playing the app's side of Wix.
///
/// Shared as `Arc<WebhookHub>`. Dropping the last `Arc` stops the delivery worker and abandons
/// pending retries.
pub struct WebhookHub {
    deliverer: Arc<Deliverer>,
    queue: Option<mpsc::UnboundedSender<Job>>,
    subscribers: Mutex<Vec<String>>,
    sequences: Mutex<HashMap<(String, String), u64>>,
    instances: Mutex<HashMap<String, Uuid>>,
    jobs: Mutex<JobStore>,
    public_key_pem: String,
    config: WebhookConfig,
    _shutdown: watch::Sender<()>,
}

impl std::fmt::Debug for WebhookHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookHub")
            .field("config", &self.config)
            .field("subscribers", &self.subscribers())
            .field("in_flight", &self.in_flight())
            .finish_non_exhaustive()
    }
}

impl WebhookHub {
    /// A hub for `config`, with its delivery worker started.
    ///
    /// Never panics. Problems are logged (`tracing::error!`) and worked around: an unusable
    /// private key falls back to the built-in throwaway key, invalid subscriber URLs are
    /// skipped, an unusable `retry_compression` counts as `1.0`, and outside a Tokio runtime no
    /// worker runs, so emitted events are dropped. Use [`WebhookHub::try_new`] to get these as
    /// errors instead.
    pub fn new(config: WebhookConfig, clock: Clock) -> Arc<Self> {
        let (hub, problems) = Self::build(config, clock);
        for problem in problems {
            tracing::error!("webhooks: {problem}");
        }
        hub
    }

    /// A hub for `config`, with its delivery worker started; fails on an unusable key,
    /// subscriber URL or compression, or outside a Tokio runtime.
    pub fn try_new(config: WebhookConfig, clock: Clock) -> Result<Arc<Self>, WebhookSetupError> {
        let (hub, mut problems) = Self::build(config, clock);
        if problems.is_empty() {
            Ok(hub)
        } else {
            Err(problems.swap_remove(0))
        }
    }

    /// Builds a hub, working around every problem, and lists the problems.
    fn build(mut config: WebhookConfig, clock: Clock) -> (Arc<Self>, Vec<WebhookSetupError>) {
        let mut problems = Vec::new();

        if !config.compression_is_valid() {
            problems.push(WebhookSetupError::InvalidCompression {
                value: config.retry_compression,
            });
            config.retry_compression = 1.0;
        }

        let mut subscribers = Vec::new();
        for url in &config.subscribers {
            match normalize_url(url) {
                Ok(url) if !subscribers.contains(&url) => subscribers.push(url),
                Ok(_) => {}
                Err(e) => problems.push(e),
            }
        }
        config.subscribers.clone_from(&subscribers);

        let configured = config
            .private_key_pem
            .as_deref()
            .map(|pem| AppKeys::from_private_pem(pem, &config.key_id));
        let keys = match configured {
            Some(Ok(keys)) => Ok(keys),
            Some(Err(e)) => {
                problems.push(e);
                tracing::warn!("webhooks: signing with the built-in throwaway key instead");
                AppKeys::throwaway(&config.key_id)
            }
            None => AppKeys::throwaway(&config.key_id),
        };
        let (signer, public_key_pem) = match keys {
            Ok(keys) => (Some(keys.signer), keys.public_key_pem),
            Err(e) => {
                problems.push(e);
                (None, DEFAULT_PUBLIC_KEY_PEM.to_string())
            }
        };

        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("wix-opr-emulator/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                problems.push(WebhookSetupError::HttpClient {
                    reason: e.to_string(),
                })
            })
            .ok();

        let deliverer = Arc::new(Deliverer {
            http,
            signer,
            clock,
            retry_delays: config.retry_delays(),
            timeout: config.delivery_timeout,
            log: DeliveryLog::new(config.log_capacity),
            in_flight: InFlight::default(),
            requests: Semaphore::new(config.max_concurrent_requests.max(1)),
        });

        let (shutdown, shutdown_rx) = watch::channel(());
        let queue = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let (tx, rx) = mpsc::unbounded_channel();
                runtime.spawn(run_worker(rx, Arc::clone(&deliverer), shutdown_rx));
                Some(tx)
            }
            Err(_) => {
                problems.push(WebhookSetupError::NoRuntime);
                None
            }
        };

        let hub = Arc::new(Self {
            deliverer,
            queue,
            subscribers: Mutex::new(subscribers),
            sequences: Mutex::new(HashMap::new()),
            instances: Mutex::new(HashMap::new()),
            jobs: Mutex::new(JobStore::new(config.log_capacity)),
            public_key_pem,
            config,
            _shutdown: shutdown,
        });
        (hub, problems)
    }

    /// Queues an event about `opr` for every subscriber and returns at once. The event's
    /// identity is the app (`{identityType: APP, appId}`); see [`WebhookHub::emit_as`].
    ///
    /// `entityEventSequence` increases by one per event of the same request on the same site,
    /// starting at 1; `eventTime` and each attempt's `iat` come from the emulator clock.
    pub fn emit(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
    ) -> EmittedEvent {
        self.emit_as(site_id, event_type, opr, self.app_identity())
    }

    /// The identity of events the app triggers: `{identityType: APP, appId}`.
    pub fn app_identity(&self) -> types::IdentificationData {
        types::IdentificationData {
            identity_type: Some(WebhookIdentityType::App),
            app_id: Some(self.config.app_id),
            ..Default::default()
        }
    }

    /// Like [`WebhookHub::emit`], with `identity` as who triggered the event (e.g. an anonymous
    /// visitor paying on the payment page).
    pub fn emit_as(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
    ) -> EmittedEvent {
        let entity_id = Some(opr.id.to_string());
        let sequence = self.next_sequence(site_id, entity_id.as_deref());
        self.emit_numbered(site_id, event_type, opr, identity, sequence)
    }

    /// Like [`WebhookHub::emit_as`], with the `entityEventSequence` given by the caller (the
    /// emulator keeps it on each payment request, so the hub holds no counter per request).
    /// With no subscriber nothing is built or queued.
    pub fn emit_numbered(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
        sequence: u64,
    ) -> EmittedEvent {
        let entity_id = Some(opr.id.to_string());
        let subscribers = self.subscribers();
        if subscribers.is_empty() {
            return EmittedEvent {
                event_id: Uuid::new_v4().to_string(),
                entity_id,
                sequence,
                delivery_ids: Vec::new(),
            };
        }
        let payload = EventPayload::new(event_type, opr.clone())
            .with_event_time(self.deliverer.clock.now())
            .with_sequence(sequence)
            .with_instance_id(self.instance_id(site_id))
            .with_identity(identity)
            .with_account_info(types::AccountInfo {
                site_id: site_id.parse().ok(),
                ..Default::default()
            });
        let payload = Arc::new(payload);
        let site: Arc<str> = Arc::from(site_id);
        let mut delivery_ids = Vec::new();
        for url in subscribers {
            let job = Job {
                delivery_id: Uuid::new_v4(),
                payload: Arc::clone(&payload),
                site_id: Arc::clone(&site),
                sequence,
                url,
                redelivery_of: None,
            };
            if let Some(id) = self.enqueue(job) {
                delivery_ids.push(id);
            }
        }
        EmittedEvent {
            event_id: payload.event_id.clone(),
            entity_id,
            sequence,
            delivery_ids,
        }
    }

    /// Sends the event of delivery `delivery_id` again to the same URL, as a new delivery with
    /// the same event id (what a receiver sees when Wix delivers twice). Returns the new
    /// delivery id, or `None` when the delivery is unknown (or too old to be remembered).
    pub fn redeliver(&self, delivery_id: Uuid) -> Option<Uuid> {
        let original = lock(&self.jobs).get(delivery_id)?;
        let job = Job {
            delivery_id: Uuid::new_v4(),
            redelivery_of: Some(delivery_id),
            ..original
        };
        self.enqueue(job)
    }

    fn enqueue(&self, job: Job) -> Option<Uuid> {
        let Some(queue) = &self.queue else {
            tracing::error!(event_id = %job.payload.event_id, "no delivery worker (no Tokio runtime): webhook dropped");
            return None;
        };
        let id = job.delivery_id;
        lock(&self.jobs).insert(job.clone());
        self.deliverer.in_flight.add(1);
        if queue.send(job).is_err() {
            self.deliverer.in_flight.done();
            tracing::error!("the webhook delivery worker has stopped: webhook dropped");
            return None;
        }
        Some(id)
    }

    fn next_sequence(&self, site_id: &str, entity_id: Option<&str>) -> u64 {
        let Some(entity_id) = entity_id else {
            return 1;
        };
        let mut sequences = lock(&self.sequences);
        let next = sequences
            .entry((site_id.to_string(), entity_id.to_string()))
            .or_insert(0);
        *next = next.saturating_add(1);
        *next
    }

    /// The app instance id of `site_id` (the envelope's `instanceId`): the configured one, else
    /// the site id when it is a GUID, else a random GUID kept for the life of the hub.
    pub fn instance_id(&self, site_id: &str) -> Uuid {
        if let Some(id) = self.config.instance_id {
            return id;
        }
        if let Ok(id) = site_id.parse() {
            return id;
        }
        *lock(&self.instances)
            .entry(site_id.to_string())
            .or_insert_with(Uuid::new_v4)
    }

    /// Adds a subscriber. Returns whether it was new; fails on a URL that is not absolute
    /// `http`/`https`.
    pub fn subscribe(&self, url: String) -> Result<bool, WebhookSetupError> {
        let url = normalize_url(&url)?;
        let mut subscribers = lock(&self.subscribers);
        if subscribers.contains(&url) {
            return Ok(false);
        }
        subscribers.push(url);
        Ok(true)
    }

    /// Removes a subscriber; returns whether it was subscribed. Deliveries already queued for
    /// it go on.
    pub fn unsubscribe(&self, url: &str) -> bool {
        let url = normalize_url(url).unwrap_or_else(|_| url.to_string());
        let mut subscribers = lock(&self.subscribers);
        let before = subscribers.len();
        subscribers.retain(|s| *s != url);
        subscribers.len() != before
    }

    /// The subscribers, in the order they were added (URLs normalized, e.g. `http://h:1/`).
    pub fn subscribers(&self) -> Vec<String> {
        lock(&self.subscribers).clone()
    }

    /// The app's public key (SPKI PEM) that verifies every delivery.
    pub fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    /// The delivery log: one record per attempt, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.deliverer.log.snapshot()
    }

    /// Empties the delivery log (deliveries under way go on and keep logging).
    pub fn clear_deliveries(&self) {
        self.deliverer.log.clear();
    }

    /// How many deliveries are not final yet (being sent or waiting for a retry).
    pub fn in_flight(&self) -> usize {
        self.deliverer.in_flight.get()
    }

    /// Waits until every queued delivery is final (delivered or given up).
    pub async fn idle(&self) {
        self.deliverer.in_flight.wait_idle().await;
    }

    /// The configuration in effect (invalid parts dropped or replaced, see
    /// [`WebhookHub::new`]; subscribers as configured at start).
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }

    /// The waits before each retry, compression applied.
    pub fn retry_delays(&self) -> &[Duration] {
        &self.deliverer.retry_delays
    }
}

/// Deliveries remembered for redelivery, bounded like the log.
#[derive(Debug)]
struct JobStore {
    jobs: HashMap<Uuid, Job>,
    order: VecDeque<Uuid>,
    capacity: usize,
}

impl JobStore {
    fn new(capacity: usize) -> Self {
        Self {
            jobs: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn insert(&mut self, job: Job) {
        while self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.jobs.remove(&old);
            }
        }
        self.order.push_back(job.delivery_id);
        self.jobs.insert(job.delivery_id, job);
    }

    fn get(&self, id: Uuid) -> Option<Job> {
        self.jobs.get(&id).cloned()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `url` as an absolute `http`/`https` URL, normalized (`http://h:1` becomes `http://h:1/`).
fn normalize_url(url: &str) -> Result<String, WebhookSetupError> {
    let invalid = |reason: &str| WebhookSetupError::InvalidSubscriber {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the URL has no host"));
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> types::OrderPaymentRequest {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::new_v4(), "orderId": Uuid::nil(), "title": "t", "status": "UNPAID",
            "amount": {"amount": "1", "formattedAmount": "$1"}, "currency": "USD",
            "createdDate": "2026-01-01T00:00:00Z", "updatedDate": "2026-01-01T00:00:00Z",
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn try_new_refuses_bad_config() {
        let clock = Clock::default();
        let bad_url = WebhookConfig {
            subscribers: vec!["ftp://example.com/x".into()],
            ..WebhookConfig::default()
        };
        assert!(matches!(
            WebhookHub::try_new(bad_url.clone(), clock.clone()),
            Err(WebhookSetupError::InvalidSubscriber { .. })
        ));
        let bad_key = WebhookConfig {
            private_key_pem: Some(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".into(),
            ),
            ..WebhookConfig::default()
        };
        let err = WebhookHub::try_new(bad_key.clone(), clock.clone()).unwrap_err();
        assert!(matches!(err, WebhookSetupError::InvalidKey { .. }));
        assert!(!err.to_string().contains("AAAA"));
        let bad_compression = WebhookConfig {
            retry_compression: 0.0,
            ..WebhookConfig::default()
        };
        assert!(matches!(
            WebhookHub::try_new(bad_compression.clone(), clock.clone()),
            Err(WebhookSetupError::InvalidCompression { .. })
        ));

        // The lenient constructor works around all of it.
        let hub = WebhookHub::new(
            WebhookConfig {
                subscribers: vec!["ftp://x/".into(), "http://127.0.0.1:9/a".into()],
                ..bad_key
            },
            clock,
        );
        assert_eq!(hub.subscribers(), vec!["http://127.0.0.1:9/a".to_string()]);
        assert_eq!(hub.public_key_pem(), DEFAULT_PUBLIC_KEY_PEM);
        assert_eq!(hub.config().retry_compression, 1.0);
    }

    #[test]
    fn outside_a_runtime_new_does_not_panic_and_drops_events() {
        assert!(matches!(
            WebhookHub::try_new(WebhookConfig::default(), Clock::default()),
            Err(WebhookSetupError::NoRuntime)
        ));
        let hub = WebhookHub::new(
            WebhookConfig {
                subscribers: vec!["http://127.0.0.1:9/".into()],
                ..WebhookConfig::default()
            },
            Clock::default(),
        );
        let emitted = hub.emit(
            "site",
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
            &request(),
        );
        assert!(emitted.delivery_ids.is_empty());
        assert_eq!(hub.in_flight(), 0);
    }

    #[tokio::test]
    async fn sequences_count_per_site_and_entity() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let (a, b) = (request(), request());
        let paid = WebhookEventType::WixEcomV1OrderPaymentRequestPaid;
        let seq =
            |site: &str, r: &types::OrderPaymentRequest| hub.emit(site, paid.clone(), r).sequence;
        assert_eq!(seq("s1", &a), 1);
        assert_eq!(seq("s1", &a), 2);
        assert_eq!(seq("s1", &b), 1);
        assert_eq!(seq("s2", &a), 1);
        assert_eq!(seq("s1", &a), 3);
        let emitted = hub.emit("s1", paid, &b);
        assert_eq!(
            (emitted.sequence, emitted.entity_id),
            (2, Some(b.id.to_string()))
        );
        // Without subscribers nothing is queued.
        assert!(emitted.delivery_ids.is_empty());
    }

    #[tokio::test]
    async fn subscribers_are_normalized_and_deduplicated() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        assert_eq!(hub.subscribe("http://127.0.0.1:8080".into()), Ok(true));
        assert_eq!(hub.subscribe("http://127.0.0.1:8080/".into()), Ok(false));
        assert!(hub.subscribe("not a url".into()).is_err());
        assert!(hub.subscribe("mailto:a@b.c".into()).is_err());
        assert_eq!(
            hub.subscribers(),
            vec!["http://127.0.0.1:8080/".to_string()]
        );
        assert!(hub.unsubscribe("http://127.0.0.1:8080"));
        assert!(!hub.unsubscribe("http://127.0.0.1:8080"));
        assert!(!hub.unsubscribe("garbage"));
        assert!(hub.subscribers().is_empty());
    }

    #[tokio::test]
    async fn instance_ids() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let site = Uuid::new_v4();
        assert_eq!(hub.instance_id(&site.to_string()), site);
        let named = hub.instance_id("my-site");
        assert_eq!(hub.instance_id("my-site"), named);
        assert_ne!(hub.instance_id("other-site"), named);
        let fixed = Uuid::new_v4();
        let hub = WebhookHub::try_new(
            WebhookConfig {
                instance_id: Some(fixed),
                ..WebhookConfig::default()
            },
            Clock::default(),
        )
        .unwrap();
        assert_eq!(hub.instance_id(&site.to_string()), fixed);
    }

    #[tokio::test]
    async fn redeliver_of_unknown_delivery_is_none() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        assert_eq!(hub.redeliver(Uuid::new_v4()), None);
    }

    #[test]
    fn job_store_is_bounded() {
        let mut store = JobStore::new(2);
        let payload = Arc::new(EventPayload::new(
            WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
            request(),
        ));
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        for id in &ids {
            store.insert(Job {
                delivery_id: *id,
                payload: Arc::clone(&payload),
                site_id: Arc::from("s"),
                sequence: 1,
                url: "http://h/".into(),
                redelivery_of: None,
            });
        }
        assert!(store.get(ids[0]).is_none());
        assert!(store.get(ids[1]).is_some());
        assert!(store.get(ids[2]).is_some());
    }
}
