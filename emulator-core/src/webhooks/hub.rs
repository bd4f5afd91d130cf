//! [`WebhookHub`]: subscribers, event building and the hand-off to the delivery worker.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch, Semaphore};
use uuid::Uuid;

use super::config::WebhookConfig;
use super::delivery::{run_worker, Deliverer, InFlight, Job};
use super::error::WebhookSetupError;
use super::keys::{AppKeys, DEFAULT_PUBLIC_KEY_PEM};
use super::log::{DeliveryLog, DeliveryRecord};
use super::HubEvent;
use crate::clock::Clock;

/// What the hub knows when an event is built ([`WebhookHub::emit_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventContext {
    /// The emulator clock's time: the event's `eventTime`.
    pub event_time: DateTime<Utc>,
    /// The site's app instance id ([`WebhookHub::instance_id`]).
    pub instance_id: Uuid,
}

/// What [`WebhookHub::emit_with`] queued.
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

/// The emulator's webhook sender: one per emulator, playing Wix's side towards the app, for
/// events of type `E` (an API's event payload).
///
/// Shared as `Arc<WebhookHub<E>>`. Dropping the last `Arc` stops the delivery worker and
/// abandons pending retries.
pub struct WebhookHub<E> {
    deliverer: Arc<Deliverer>,
    queue: Option<mpsc::UnboundedSender<Job<E>>>,
    subscribers: Mutex<Vec<String>>,
    sequences: Mutex<HashMap<(String, String), u64>>,
    instances: Mutex<HashMap<String, Uuid>>,
    jobs: Mutex<JobStore<E>>,
    public_key_pem: String,
    config: WebhookConfig,
    _shutdown: watch::Sender<()>,
}

impl<E: HubEvent> std::fmt::Debug for WebhookHub<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookHub")
            .field("config", &self.config)
            .field("subscribers", &self.subscribers())
            .field("in_flight", &self.in_flight())
            .finish_non_exhaustive()
    }
}

impl<E: HubEvent> WebhookHub<E> {
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
            .user_agent(concat!("wix-emulator-core/", env!("CARGO_PKG_VERSION")))
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

    /// Queues an event for every subscriber and returns at once: `build` makes the event from
    /// the [`EventContext`] (the emulator clock's time, the site's instance id), and is not
    /// called when there is no subscriber. `entity_id` and `sequence` are the event's
    /// `entityId` and `entityEventSequence` ([`WebhookHub::next_sequence`] counts them when
    /// the caller keeps none).
    pub fn emit_with(
        &self,
        site_id: &str,
        entity_id: Option<String>,
        sequence: u64,
        build: impl FnOnce(EventContext) -> E,
    ) -> EmittedEvent {
        let subscribers = self.subscribers();
        if subscribers.is_empty() {
            return EmittedEvent {
                event_id: Uuid::new_v4().to_string(),
                entity_id,
                sequence,
                delivery_ids: Vec::new(),
            };
        }
        let payload = Arc::new(build(EventContext {
            event_time: self.deliverer.clock.now(),
            instance_id: self.instance_id(site_id),
        }));
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
            event_id: payload.event_id().to_string(),
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

    fn enqueue(&self, job: Job<E>) -> Option<Uuid> {
        let Some(queue) = &self.queue else {
            tracing::error!(event_id = %job.payload.event_id(), "no delivery worker (no Tokio runtime): webhook dropped");
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

    /// The next `entityEventSequence` of `entity_id` on `site_id`: 1, 2, 3... (1 for an event
    /// without an entity).
    pub fn next_sequence(&self, site_id: &str, entity_id: Option<&str>) -> u64 {
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
struct JobStore<E> {
    jobs: HashMap<Uuid, Job<E>>,
    order: VecDeque<Uuid>,
    capacity: usize,
}

impl<E> JobStore<E> {
    fn new(capacity: usize) -> Self {
        Self {
            jobs: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn insert(&mut self, job: Job<E>) {
        while self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.jobs.remove(&old);
            }
        }
        self.order.push_back(job.delivery_id);
        self.jobs.insert(job.delivery_id, job);
    }

    fn get(&self, id: Uuid) -> Option<Job<E>> {
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
    let parsed = url::Url::parse(url.trim()).map_err(|e| invalid(&e.to_string()))?;
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
    use std::time::SystemTime;

    use wix_runtime::webhooks::{SignableEvent, WebhookError};
    use wix_runtime::wire::WebhookJwtClaims;

    use super::*;

    /// An event of no API in particular.
    #[derive(Debug)]
    struct TestEvent {
        id: String,
        entity: Option<String>,
    }

    impl SignableEvent for TestEvent {
        fn claims(
            &self,
            issued_at: SystemTime,
            _ttl: Duration,
        ) -> Result<WebhookJwtClaims, WebhookError> {
            Ok(WebhookJwtClaims {
                data: format!("{{\"id\":\"{}\"}}", self.id),
                iat: Some(wix_runtime::webhooks::unix_seconds(issued_at)),
                exp: None,
            })
        }
        fn event_id(&self) -> &str {
            &self.id
        }
        fn event_type(&self) -> &str {
            "test.event"
        }
        fn entity_id(&self) -> Option<&str> {
            self.entity.as_deref()
        }
    }

    fn event(entity: &str) -> impl FnOnce(EventContext) -> TestEvent + '_ {
        move |_| TestEvent {
            id: Uuid::new_v4().to_string(),
            entity: Some(entity.to_string()),
        }
    }

    type Hub = WebhookHub<TestEvent>;

    #[tokio::test]
    async fn try_new_refuses_bad_config() {
        let clock = Clock::default();
        let bad_url = WebhookConfig {
            subscribers: vec!["ftp://example.com/x".into()],
            ..WebhookConfig::default()
        };
        assert!(matches!(
            Hub::try_new(bad_url.clone(), clock.clone()),
            Err(WebhookSetupError::InvalidSubscriber { .. })
        ));
        let bad_key = WebhookConfig {
            private_key_pem: Some(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".into(),
            ),
            ..WebhookConfig::default()
        };
        let err = Hub::try_new(bad_key.clone(), clock.clone()).unwrap_err();
        assert!(matches!(err, WebhookSetupError::InvalidKey { .. }));
        assert!(!err.to_string().contains("AAAA"));
        let bad_compression = WebhookConfig {
            retry_compression: 0.0,
            ..WebhookConfig::default()
        };
        assert!(matches!(
            Hub::try_new(bad_compression.clone(), clock.clone()),
            Err(WebhookSetupError::InvalidCompression { .. })
        ));

        // The lenient constructor works around all of it.
        let hub = Hub::new(
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
            Hub::try_new(WebhookConfig::default(), Clock::default()),
            Err(WebhookSetupError::NoRuntime)
        ));
        let hub = Hub::new(
            WebhookConfig {
                subscribers: vec!["http://127.0.0.1:9/".into()],
                ..WebhookConfig::default()
            },
            Clock::default(),
        );
        let emitted = hub.emit_with("site", Some("e".into()), 1, event("e"));
        assert!(emitted.delivery_ids.is_empty());
        assert_eq!(hub.in_flight(), 0);
    }

    #[tokio::test]
    async fn sequences_count_per_site_and_entity() {
        let hub = Hub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let seq = |site: &str, entity: &str| hub.next_sequence(site, Some(entity));
        assert_eq!(seq("s1", "a"), 1);
        assert_eq!(seq("s1", "a"), 2);
        assert_eq!(seq("s1", "b"), 1);
        assert_eq!(seq("s2", "a"), 1);
        assert_eq!(seq("s1", "a"), 3);
        assert_eq!(hub.next_sequence("s1", None), 1);
    }

    #[tokio::test]
    async fn without_subscribers_nothing_is_built_or_queued() {
        let hub = Hub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let emitted = hub.emit_with("s1", Some("b".into()), 2, |_| {
            panic!("no event is built without a subscriber")
        });
        assert_eq!(
            (emitted.sequence, emitted.entity_id),
            (2, Some("b".to_string()))
        );
        assert!(emitted.delivery_ids.is_empty());
    }

    #[tokio::test]
    async fn an_event_is_queued_for_each_subscriber_with_the_hubs_context() {
        let clock = Clock::default();
        let hub = Hub::try_new(
            WebhookConfig {
                subscribers: vec!["http://127.0.0.1:9/a".into(), "http://127.0.0.1:9/b".into()],
                retry_compression: 1e9,
                ..WebhookConfig::default()
            },
            clock.clone(),
        )
        .unwrap();
        let site = Uuid::new_v4();
        let mut seen = None;
        let emitted = hub.emit_with(&site.to_string(), None, 1, |context| {
            seen = Some(context);
            TestEvent {
                id: "event-1".into(),
                entity: None,
            }
        });
        let context = seen.expect("built once");
        assert_eq!(context.instance_id, site);
        assert!(context.event_time <= clock.now());
        assert_eq!(emitted.event_id, "event-1");
        assert_eq!(emitted.delivery_ids.len(), 2);
        hub.idle().await;
        let logged: Vec<_> = hub
            .deliveries()
            .into_iter()
            .filter(|d| d.is_final)
            .collect();
        assert_eq!(logged.len(), 2);
        assert!(logged
            .iter()
            .all(|d| d.event_id == "event-1" && d.event_type == "test.event"));
    }

    #[tokio::test]
    async fn subscribers_are_normalized_and_deduplicated() {
        let hub = Hub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
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
        let hub = Hub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let site = Uuid::new_v4();
        assert_eq!(hub.instance_id(&site.to_string()), site);
        let named = hub.instance_id("my-site");
        assert_eq!(hub.instance_id("my-site"), named);
        assert_ne!(hub.instance_id("other-site"), named);
        let fixed = Uuid::new_v4();
        let hub = Hub::try_new(
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
        let hub = Hub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        assert_eq!(hub.redeliver(Uuid::new_v4()), None);
    }

    #[test]
    fn job_store_is_bounded() {
        let mut store = JobStore::new(2);
        let payload = Arc::new(TestEvent {
            id: "e".into(),
            entity: None,
        });
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
