//! Webhook delivery over real HTTP: a `WebhookHub` POSTs to small receivers on 127.0.0.1, and
//! what arrives is checked with the client crate's `WebhookVerifier`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use uuid::Uuid;
use wix_opr_emulator::webhooks::{
    admin_router, AttemptOutcome, DeliveryRecord, EmitEvents as _, WebhookConfig, WebhookEventType,
    WebhookHub,
};
use wix_opr_emulator::Clock;
use wix_order_payment_requests::testing::unpaid_request;
use wix_order_payment_requests::webhooks::inbox::{Accepted, Inbox, MemoryStore};
use wix_order_payment_requests::webhooks::{Event, FixedClock, WebhookVerifier};
use wix_order_payment_requests::WebhookIdentityType;

const WAIT: Duration = Duration::from_secs(20);

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Hit {
    at: Instant,
    body: Bytes,
    content_type: Option<String>,
}

type Behaviour = dyn Fn(usize) -> (StatusCode, Duration) + Send + Sync;

#[derive(Clone)]
struct ReceiverState {
    hits: Arc<Mutex<Vec<Hit>>>,
    behaviour: Arc<Behaviour>,
}

/// A receiver on 127.0.0.1:0 answering the `n`th request (0-based) with `behaviour(n)`: a
/// status after a delay.
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    async fn start(
        behaviour: impl Fn(usize) -> (StatusCode, Duration) + Send + Sync + 'static,
    ) -> Self {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let state = ReceiverState {
            hits: Arc::clone(&hits),
            behaviour: Arc::new(behaviour),
        };
        let app = Router::new()
            .route("/webhooks", post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{addr}/webhooks"),
            hits,
        }
    }

    async fn ok() -> Self {
        Self::start(|_| (StatusCode::OK, Duration::ZERO)).await
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

async fn receive(
    State(state): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let n = {
        let mut hits = state.hits.lock().unwrap();
        hits.push(Hit {
            at: Instant::now(),
            body,
            content_type: headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        });
        hits.len() - 1
    };
    let (status, delay) = (state.behaviour)(n);
    tokio::time::sleep(delay).await;
    status
}

fn config(subscribers: Vec<String>, compression: f64) -> WebhookConfig {
    WebhookConfig {
        subscribers,
        retry_compression: compression,
        ..WebhookConfig::default()
    }
}

async fn settle(hub: &WebhookHub) {
    tokio::time::timeout(WAIT, hub.idle())
        .await
        .expect("deliveries did not settle");
}

fn verifier(hub: &WebhookHub) -> WebhookVerifier {
    WebhookVerifier::from_rsa_pem(hub.public_key_pem().as_bytes()).unwrap()
}

/// The typed variant an event decoded to.
fn variant(event: &Event) -> &'static str {
    match event {
        Event::Created(_) => "created",
        Event::Updated(_) => "updated",
        Event::Deleted(_) => "deleted",
        Event::Paid(_) => "paid",
        Event::Expired(_) => "expired",
        Event::Voided(_) => "voided",
        _ => "unknown",
    }
}

fn attempts_of(log: &[DeliveryRecord], delivery_id: Uuid) -> Vec<DeliveryRecord> {
    let mut records: Vec<_> = log
        .iter()
        .filter(|r| r.delivery_id == delivery_id)
        .cloned()
        .collect();
    records.sort_by_key(|r| r.attempt);
    records
}

#[tokio::test]
async fn deliveries_verify_and_decode_with_increasing_sequences() {
    let receiver = Receiver::ok().await;
    let clock = Clock::default();
    clock.advance(chrono::Duration::minutes(30));
    let hub =
        WebhookHub::try_new(config(vec![receiver.url.clone()], 60_000.0), clock.clone()).unwrap();
    let site = Uuid::new_v4().to_string();
    let a = unpaid_request();
    let b = unpaid_request();

    let emitted = [
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
            &a,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
            &b,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
            &a,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
            &a,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestVoided,
            &b,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestExpired,
            &b,
        ),
        hub.emit(
            &site,
            WebhookEventType::WixEcomV1OrderPaymentRequestDeleted,
            &b,
        ),
    ];
    let sequences: Vec<u64> = emitted.iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, vec![1, 1, 2, 3, 2, 3, 4]);
    assert!(emitted.iter().all(|e| e.delivery_ids.len() == 1));
    settle(&hub).await;

    // The emulator clock is 30 min ahead: `iat` follows it, so the receiver checks against it.
    let verifier = verifier(&hub).with_clock(FixedClock(clock.now().into()));
    let hits = receiver.hits();
    assert_eq!(hits.len(), emitted.len());
    let mut events: Vec<Event> = hits
        .iter()
        .map(|hit| {
            assert_eq!(
                hit.content_type.as_deref(),
                Some("text/plain; charset=utf-8")
            );
            verifier.verify(&hit.body).expect("a delivery verifies")
        })
        .collect();
    // Deliveries run concurrently, so they may arrive in any order; put them in emit order.
    events.sort_by_key(|e| {
        let id = e.metadata().event_id.clone().unwrap();
        emitted.iter().position(|x| x.event_id == id).unwrap()
    });

    let a_id = a.id.to_string();
    let b_id = b.id.to_string();
    let expected = [
        ("created", &a_id, 1),
        ("created", &b_id, 1),
        ("updated", &a_id, 2),
        ("paid", &a_id, 3),
        ("voided", &b_id, 2),
        ("expired", &b_id, 3),
        ("deleted", &b_id, 4),
    ];
    for (event, (kind, entity, sequence)) in events.iter().zip(expected) {
        assert_eq!(variant(event), kind, "{event:?}");
        let meta = event.metadata();
        assert_eq!(meta.entity_id.as_ref(), Some(entity));
        assert_eq!(meta.entity_event_sequence, Some(sequence));
        assert_eq!(
            meta.entity_fqdn.as_deref(),
            Some("wix.ecom.v1.order_payment_request")
        );
        assert_eq!(meta.instance_id, Some(site.parse().unwrap()));
        let identity = meta.identity.as_ref().unwrap();
        assert_eq!(identity.identity_type, Some(WebhookIdentityType::App));
        assert_eq!(identity.app_id, Some(hub.config().app_id));
        assert_eq!(
            meta.account_info.as_ref().and_then(|i| i.site_id),
            Some(site.parse().unwrap())
        );
        let event_time = meta.event_time.unwrap();
        assert!(event_time > chrono::Utc::now() + chrono::Duration::minutes(29));
        let opr = event.order_payment_request().unwrap();
        assert_eq!(&opr.id.to_string(), entity);
    }
    if let Event::Paid(paid) = &events[3] {
        assert_eq!(paid.order_payment_request.order_id, a.order_id);
        assert_eq!(paid.order_payment_request.title, a.title);
    }

    // Every delivery was logged as one final, delivered attempt.
    let log = hub.deliveries();
    assert_eq!(log.len(), emitted.len());
    assert!(log
        .iter()
        .all(|r| r.attempt == 1 && r.is_final && r.outcome.is_delivered()));
}

#[tokio::test]
async fn a_receiver_failing_twice_gets_three_attempts_at_compressed_intervals() {
    let receiver = Receiver::start(|n| {
        let status = if n < 2 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        (status, Duration::ZERO)
    })
    .await;
    // 6 000 times faster: retries after 10 ms, then 100 ms.
    let hub = WebhookHub::try_new(
        config(vec![receiver.url.clone()], 6_000.0),
        Clock::default(),
    )
    .unwrap();
    assert_eq!(
        hub.retry_delays()[..2],
        [Duration::from_millis(10), Duration::from_millis(100)]
    );
    let emitted = hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        &unpaid_request(),
    );
    settle(&hub).await;

    let hits = receiver.hits();
    assert_eq!(hits.len(), 3);
    assert!(hits[1].at - hits[0].at >= Duration::from_millis(10));
    assert!(hits[2].at - hits[1].at >= Duration::from_millis(100));
    assert!(hits[2].at - hits[0].at < Duration::from_secs(5));
    // The same event every time, each attempt signed and verifiable.
    let verifier = verifier(&hub);
    for hit in &hits {
        let event = verifier.verify(&hit.body).unwrap();
        assert_eq!(
            event.metadata().event_id.as_deref(),
            Some(emitted.event_id.as_str())
        );
    }

    let records = attempts_of(&hub.deliveries(), emitted.delivery_ids[0]);
    let summary: Vec<(u32, Option<u16>, bool)> = records
        .iter()
        .map(|r| (r.attempt, r.outcome.status(), r.is_final))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, Some(500), false),
            (2, Some(500), false),
            (3, Some(200), true)
        ]
    );
    assert!(records[0].next_attempt_at.is_some());
    assert!(records[2].next_attempt_at.is_none());
    assert!(records.iter().all(|r| r.event_id == emitted.event_id
        && r.url == receiver.url
        && r.event_type == "wix.ecom.v1.order_payment_request_paid"));
    assert!(!records[2].gave_up());
}

#[tokio::test]
async fn a_receiver_that_never_answers_200_is_given_up_after_13_attempts() {
    let receiver = Receiver::start(|_| (StatusCode::SERVICE_UNAVAILABLE, Duration::ZERO)).await;
    // 600 000 times faster: the whole schedule (about 47 h) takes under 300 ms.
    let hub = WebhookHub::try_new(
        config(vec![receiver.url.clone()], 600_000.0),
        Clock::default(),
    )
    .unwrap();
    let emitted = hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        &unpaid_request(),
    );
    settle(&hub).await;

    assert_eq!(receiver.hits().len(), 13);
    let records = attempts_of(&hub.deliveries(), emitted.delivery_ids[0]);
    assert_eq!(records.len(), 13);
    assert_eq!(
        records.iter().map(|r| r.attempt).collect::<Vec<_>>(),
        (1..=13).collect::<Vec<_>>()
    );
    assert!(records[..12].iter().all(|r| !r.is_final));
    let last = &records[12];
    assert!(last.is_final && last.gave_up());
    assert_eq!(last.outcome, AttemptOutcome::Rejected { status: 503 });
    assert_eq!(hub.in_flight(), 0);
}

#[tokio::test]
async fn a_receiver_that_is_down_is_given_up_too() {
    // Bind and drop a listener: nothing listens on that port any more.
    let port = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/webhooks");
    let hub = WebhookHub::try_new(
        WebhookConfig {
            max_retries: 2,
            ..config(vec![url], 600_000.0)
        },
        Clock::default(),
    )
    .unwrap();
    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        &unpaid_request(),
    );
    settle(&hub).await;
    let log = hub.deliveries();
    assert_eq!(log.len(), 3);
    assert!(log
        .iter()
        .all(|r| matches!(r.outcome, AttemptOutcome::ConnectionFailed { .. })));
    assert!(log[2].gave_up());
}

#[tokio::test]
async fn a_slow_receiver_counts_as_a_failure() {
    // The first answer would come after 2 s, later ones at once.
    let receiver = Receiver::start(|n| {
        let delay = if n == 0 {
            Duration::from_millis(2000)
        } else {
            Duration::ZERO
        };
        (StatusCode::OK, delay)
    })
    .await;
    let hub = WebhookHub::try_new(
        WebhookConfig {
            delivery_timeout: Duration::from_millis(500),
            ..config(vec![receiver.url.clone()], 60_000.0)
        },
        Clock::default(),
    )
    .unwrap();
    let emitted = hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
        &unpaid_request(),
    );
    settle(&hub).await;

    let records = attempts_of(&hub.deliveries(), emitted.delivery_ids[0]);
    assert_eq!(records.len(), 2, "{records:#?}");
    assert_eq!(records[0].outcome, AttemptOutcome::TimedOut);
    assert!(!records[0].is_final);
    assert!(records[0].elapsed_ms >= 500 && records[0].elapsed_ms < 2000);
    assert!(records[1].outcome.is_delivered() && records[1].is_final);
    assert_eq!(receiver.hits().len(), 2);
}

#[tokio::test]
async fn the_default_timeout_is_wix_s_1250_ms() {
    let receiver = Receiver::start(|n| {
        let delay = if n == 0 {
            Duration::from_millis(1600)
        } else {
            Duration::from_millis(300)
        };
        (StatusCode::OK, delay)
    })
    .await;
    let hub = WebhookHub::try_new(
        config(vec![receiver.url.clone()], 60_000.0),
        Clock::default(),
    )
    .unwrap();
    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        &unpaid_request(),
    );
    settle(&hub).await;
    let log = hub.deliveries();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].outcome, AttemptOutcome::TimedOut);
    assert!(log[1].outcome.is_delivered());
}

#[tokio::test]
async fn retries_do_not_hold_up_other_deliveries() {
    let failing = Receiver::start(|_| (StatusCode::INTERNAL_SERVER_ERROR, Duration::ZERO)).await;
    let healthy = Receiver::ok().await;
    // Real-time schedule: the failing receiver's first retry is a minute away.
    let hub = WebhookHub::try_new(
        config(vec![failing.url.clone(), healthy.url.clone()], 1.0),
        Clock::default(),
    )
    .unwrap();
    for _ in 0..3 {
        hub.emit(
            "site-1",
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
            &unpaid_request(),
        );
    }
    // The healthy receiver gets all three while the failing one waits for its retries.
    let started = Instant::now();
    while healthy.hits().len() < 3 || hub.in_flight() > 3 {
        assert!(started.elapsed() < WAIT, "healthy receiver starved");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(hub.in_flight(), 3);
    assert!(failing.hits().len() <= 3);
}

#[tokio::test]
async fn advancing_the_emulator_clock_releases_due_retries() {
    let receiver = Receiver::start(|n| {
        let status = if n == 0 {
            StatusCode::BAD_GATEWAY
        } else {
            StatusCode::OK
        };
        (status, Duration::ZERO)
    })
    .await;
    let clock = Clock::default();
    let hub = WebhookHub::try_new(config(vec![receiver.url.clone()], 1.0), clock.clone()).unwrap();
    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestExpired,
        &unpaid_request(),
    );
    let started = Instant::now();
    while hub.deliveries().is_empty() {
        assert!(started.elapsed() < WAIT);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(hub.in_flight(), 1);
    clock.advance(chrono::Duration::seconds(61));
    settle(&hub).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    let log = hub.deliveries();
    assert_eq!(log.len(), 2);
    assert!(log[1].outcome.is_delivered());
}

/// Serves `router` on 127.0.0.1:0 and returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn subscriber_admin_endpoints_work_over_http() {
    let receiver = Receiver::ok().await;
    let hub = WebhookHub::try_new(config(Vec::new(), 60_000.0), Clock::default()).unwrap();
    let base = serve(admin_router(Arc::clone(&hub))).await;
    let http = reqwest::Client::new();
    let subscribers_url = format!("{base}/_emulator/webhooks/subscribers");
    let list = || async {
        let body: Value = http
            .get(&subscribers_url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["subscribers"].clone()
    };

    assert_eq!(list().await, serde_json::json!([]));
    let added = http
        .post(&subscribers_url)
        .json(&serde_json::json!({ "url": receiver.url }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let again = http
        .post(&subscribers_url)
        .json(&serde_json::json!({ "url": receiver.url }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["added"], false);
    assert_eq!(list().await, serde_json::json!([receiver.url]));

    for bad in [
        serde_json::json!({ "url": "ftp://example.com/" }),
        serde_json::json!({ "url": "nope" }),
        serde_json::json!({}),
    ] {
        let refused = http.post(&subscribers_url).json(&bad).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{bad}");
        assert!(refused.json::<Value>().await.unwrap()["message"].is_string());
    }
    let garbage = http
        .post(&subscribers_url)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);

    // Subscribed: an emitted event arrives.
    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        &unpaid_request(),
    );
    settle(&hub).await;
    assert_eq!(receiver.hits().len(), 1);

    let removed = http
        .delete(&subscribers_url)
        .query(&[("url", receiver.url.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(list().await, serde_json::json!([]));
    let missing = http
        .delete(&subscribers_url)
        .query(&[("url", receiver.url.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // Unsubscribed: nothing more arrives.
    let emitted = hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        &unpaid_request(),
    );
    assert!(emitted.delivery_ids.is_empty());
    settle(&hub).await;
    assert_eq!(receiver.hits().len(), 1);

    let summary: Value = http
        .get(format!("{base}/_emulator/webhooks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(summary["retryDelaysMs"][0], 1);
    assert_eq!(summary["deliveryTimeoutMs"], 1250);
    assert_eq!(summary["inFlight"], 0);
}

#[tokio::test]
async fn the_public_key_endpoint_serves_the_pem_that_verifies() {
    let receiver = Receiver::ok().await;
    let hub = WebhookHub::try_new(
        config(vec![receiver.url.clone()], 60_000.0),
        Clock::default(),
    )
    .unwrap();
    let base = serve(admin_router(Arc::clone(&hub))).await;
    let response = reqwest::get(format!("{base}/_emulator/webhooks/public-key"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let pem = response.text().await.unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(!pem.contains("PRIVATE"));
    assert_eq!(pem, hub.public_key_pem());

    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        &unpaid_request(),
    );
    settle(&hub).await;
    let verifier = WebhookVerifier::from_rsa_pem(pem.as_bytes()).unwrap();
    let hit = &receiver.hits()[0];
    assert!(matches!(verifier.verify(&hit.body), Ok(Event::Paid(_))));

    // A key from elsewhere does not verify it.
    let wrong = wix_order_payment_requests::testing::WRONG_PUBLIC_KEY_PEM;
    let wrong = WebhookVerifier::from_rsa_pem(wrong.as_bytes()).unwrap();
    assert!(wrong.verify(&hit.body).is_err());
}

#[tokio::test]
async fn a_configured_private_key_signs_and_its_public_key_is_served() {
    let private = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM;
    let public = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM;
    let receiver = Receiver::ok().await;
    let hub = WebhookHub::try_new(
        WebhookConfig {
            private_key_pem: Some(private.to_string()),
            key_id: "my-app-key".into(),
            ..config(vec![receiver.url.clone()], 60_000.0)
        },
        Clock::default(),
    )
    .unwrap();
    assert_eq!(hub.public_key_pem(), public);
    assert!(!format!("{hub:?}").contains("PRIVATE KEY"));
    hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestVoided,
        &unpaid_request(),
    );
    settle(&hub).await;
    let body = &receiver.hits()[0].body;
    let verifier = WebhookVerifier::from_rsa_pem(public.as_bytes()).unwrap();
    assert!(matches!(verifier.verify(body), Ok(Event::Voided(_))));
    // The header carries the configured kid.
    let header = std::str::from_utf8(body)
        .unwrap()
        .split('.')
        .next()
        .unwrap();
    use base64::Engine as _;
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], "my-app-key");
    assert_eq!(header["alg"], "RS256");
}

#[tokio::test]
async fn the_delivery_log_and_redelivery_work_over_http() {
    let receiver = Receiver::start(|n| {
        let status = if n == 0 {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        (status, Duration::ZERO)
    })
    .await;
    let hub = WebhookHub::try_new(
        config(vec![receiver.url.clone()], 60_000.0),
        Clock::default(),
    )
    .unwrap();
    let base = serve(admin_router(Arc::clone(&hub))).await;
    let http = reqwest::Client::new();
    let opr = unpaid_request();
    let emitted = hub.emit(
        "site-1",
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        &opr,
    );
    settle(&hub).await;

    let deliveries_url = format!("{base}/_emulator/webhooks/deliveries");
    let log: Value = http
        .get(&deliveries_url)
        .query(&[("eventId", emitted.event_id.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let records = log["deliveries"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first["eventId"], emitted.event_id.as_str());
    assert_eq!(first["eventType"], "wix.ecom.v1.order_payment_request_paid");
    assert_eq!(first["entityId"], opr.id.to_string());
    assert_eq!(first["url"], receiver.url.as_str());
    assert_eq!(first["attempt"], 1);
    assert_eq!(first["status"], 500);
    assert_eq!(first["outcome"], "rejected");
    assert_eq!(first["final"], false);
    assert!(first["at"].is_string() && first["nextAttemptAt"].is_string());
    assert_eq!(records[1]["attempt"], 2);
    assert_eq!(records[1]["status"], 200);
    assert_eq!(records[1]["final"], true);

    let other: Value = http
        .get(&deliveries_url)
        .query(&[("eventId", "no-such-event")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["deliveries"], serde_json::json!([]));

    // Redelivery: the same event again, which an inbox recognises as a duplicate.
    let delivery_id = emitted.delivery_ids[0];
    let redelivered = http
        .post(format!("{deliveries_url}/{delivery_id}/redeliver"))
        .send()
        .await
        .unwrap();
    assert_eq!(redelivered.status(), 202);
    let body: Value = redelivered.json().await.unwrap();
    assert_eq!(body["redeliveryOf"], delivery_id.to_string());
    settle(&hub).await;
    let hits = receiver.hits();
    assert_eq!(hits.len(), 3);
    let inbox = Inbox::new(verifier(&hub), MemoryStore::default());
    let first = inbox.accept(&hits[1].body).await.unwrap();
    let again = inbox.accept(&hits[2].body).await.unwrap();
    assert!(matches!(first, Accepted::Stored { .. }), "{first:?}");
    assert!(matches!(again, Accepted::Duplicate { .. }), "{again:?}");
    let new_id: Uuid = body["deliveryId"].as_str().unwrap().parse().unwrap();
    let redelivery = attempts_of(&hub.deliveries(), new_id);
    assert_eq!(redelivery.len(), 1);
    assert_eq!(redelivery[0].redelivery_of, Some(delivery_id));

    for (id, status) in [
        (Uuid::new_v4().to_string(), 404),
        ("not-a-guid".into(), 400),
    ] {
        let response = http
            .post(format!("{deliveries_url}/{id}/redeliver"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status);
    }

    let cleared = http.delete(&deliveries_url).send().await.unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(hub.deliveries().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emit_returns_at_once_whatever_the_receivers_do() {
    let slow = Receiver::start(|_| (StatusCode::OK, Duration::from_millis(300))).await;
    let hub =
        WebhookHub::try_new(config(vec![slow.url.clone()], 60_000.0), Clock::default()).unwrap();
    let started = Instant::now();
    let emitted: Vec<_> = (0..200)
        .map(|_| {
            hub.emit(
                "site-1",
                WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
                &unpaid_request(),
            )
        })
        .collect();
    assert!(started.elapsed() < Duration::from_millis(400));
    settle(&hub).await;
    // Every event got through (on a loaded machine an attempt may time out and be retried).
    let log = hub.deliveries();
    for event in &emitted {
        let attempts = attempts_of(&log, event.delivery_ids[0]);
        let last = attempts.last().unwrap();
        assert!(last.is_final && last.outcome.is_delivered(), "{attempts:?}");
    }
    assert!(slow.hits().len() >= 200);
}
