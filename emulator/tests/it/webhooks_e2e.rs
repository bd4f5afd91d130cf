//! End to end: the emulator delivers signed webhooks to the client crate's example receiver
//! (`generated-client/examples/webhook_receiver.rs`, compiled in as it is), which verifies
//! them with the client's `WebhookVerifier` and stores them in an inbox, whose worker hands the
//! typed `Event`s to the test. The changes are made through the generated client and the
//! payment page, as an app and its customers make them.
//!
//! The verifier reads the emulator's clock (through its injectable `Clock`), since every
//! delivery's `iat` is the emulator's time, which the expiry test moves two hours ahead.
//!
//! The raw deliveries are also compared with payloads in the shape of Wix's published webhook
//! examples (`generated-client/fixtures/webhooks/wix_examples/`): the same nesting, the
//! entity or action body as an embedded object, no member those examples lack.

use crate::common;

#[path = "../../../generated-client/examples/webhook_receiver.rs"]
#[allow(dead_code)]
mod receiver;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use uuid::Uuid;
use wix_opr_emulator::webhooks::WebhookConfig;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::webhooks::inbox::{
    Accepted, EventState, Inbox, InboxConfig, InboxEvent, MemoryStore, Workers,
};
use wix_order_payment_requests::webhooks::testing::peek_claims;
use wix_order_payment_requests::webhooks::{EntityEvent, Event, WebhookEventType, WebhookVerifier};
use wix_order_payment_requests::{
    raw::Client, types, ClientContext, Credentials, Status, WebhookIdentityType,
};

/// How long any one expected event may take to arrive.
const WAIT: Duration = Duration::from_secs(20);

/// The verifier's clock: the emulator's, so that tokens signed after `advance_clock` are fresh.
struct EmulatorTime(wix_opr_emulator::Clock);

impl wix_order_payment_requests::webhooks::Clock for EmulatorTime {
    fn now(&self) -> SystemTime {
        SystemTime::from(self.0.now())
    }
}

/// What the receiver answered, in order: status and body (`stored`, `duplicate`, `refused`...).
type Answers = Arc<Mutex<Vec<(u16, String)>>>;

/// Records every answer of the wrapped receiver.
async fn record_answers(State(answers): State<Answers>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    answers.lock().unwrap().push((
        parts.status.as_u16(),
        String::from_utf8_lossy(&bytes).into_owned(),
    ));
    Response::from_parts(parts, Body::from(bytes))
}

/// The raw bodies of every request the receiver got, in order.
type Bodies = Arc<Mutex<Vec<String>>>;

/// Records the body of every request, then passes it on unchanged.
async fn record_bodies(State(bodies): State<Bodies>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    bodies
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&bytes).into_owned());
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Answers 500 to the first `.1` requests without passing them on, then passes everything to
/// the wrapped receiver.
async fn fail_first(
    State(failures): State<(Arc<AtomicUsize>, usize)>,
    request: Request,
    next: Next,
) -> Response {
    let (seen, fail) = failures;
    if seen.fetch_add(1, Ordering::SeqCst) < fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "not yet").into_response();
    }
    next.run(request).await
}

/// An emulator delivering to the example receiver, and what the receiver passes on.
struct Harness {
    emu: Emulator,
    app_id: Uuid,
    events: mpsc::Receiver<Event>,
    inbox: Inbox,
    _workers: Workers,
    answers: Answers,
    bodies: Bodies,
}

impl Harness {
    /// Starts the receiver on 127.0.0.1:0 (answering 500 to its first `fail_first_n` requests)
    /// and an emulator subscribed to it, with Wix's retry schedule compressed 60,000 times.
    async fn start(fail_first_n: usize) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
        let app_id = Uuid::new_v4();
        // `webhooks` replaces the whole config, subscribers included: subscribe after it.
        let emu = Emulator::builder()
            .webhooks(WebhookConfig {
                retry_compression: 60_000.0,
                app_id,
                // One HTTP request at a time: each delivery is answered before the next one
                // starts, so the events of one request reach the receiver in order and its
                // inbox never skips an `updated` as stale.
                max_concurrent_requests: 1,
                ..WebhookConfig::default()
            })
            .webhook_subscriber(url)
            .start()
            .await
            .unwrap();

        let verifier = WebhookVerifier::from_rsa_pem(emu.webhooks().public_key_pem().as_bytes())
            .unwrap()
            .with_clock(EmulatorTime(emu.clock().clone()));
        // One worker: events are handed on in the order they were stored.
        let mut config = InboxConfig::default();
        config.concurrency = 1;
        config.poll_interval = Duration::from_millis(10);
        let inbox = Inbox::new(verifier, MemoryStore::default()).with_config(config);
        let (work, events) = mpsc::channel(64);
        let workers = inbox.spawn_workers(move |delivered: InboxEvent| {
            let work = work.clone();
            async move {
                work.send(delivered.event)
                    .await
                    .map_err(|_| "the test is gone")
            }
        });
        let answers = Answers::default();
        let bodies = Bodies::default();
        let app = receiver::app(&inbox)
            .layer(middleware::from_fn_with_state(
                answers.clone(),
                record_answers,
            ))
            .layer(middleware::from_fn_with_state(
                (Arc::new(AtomicUsize::new(0)), fail_first_n),
                fail_first,
            ))
            .layer(middleware::from_fn_with_state(
                bodies.clone(),
                record_bodies,
            ));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            emu,
            app_id,
            events,
            inbox,
            _workers: workers,
            answers,
            bodies,
        }
    }

    /// A generated client for a fresh site (a GUID, so it is also the events' instance id).
    fn site_client(&self) -> (Client, Uuid) {
        let site = Uuid::new_v4();
        let client = Client::new(
            &self.emu.base_url(),
            ClientContext::new(
                Credentials::api_key_for_site("k", site.to_string()).expect("a GUID site id"),
            ),
        );
        (client, site)
    }

    /// The next event the receiver passed on.
    async fn next_event(&mut self) -> Event {
        tokio::time::timeout(WAIT, self.events.recv())
            .await
            .expect("an event within the deadline")
            .expect("the receiver is running")
    }

    /// Waits until every delivery is final and every stored event handled, then checks that
    /// the receiver passed nothing more.
    async fn assert_nothing_more(&mut self) {
        tokio::time::timeout(WAIT, self.emu.webhooks().idle())
            .await
            .expect("deliveries settle");
        tokio::time::timeout(WAIT, async {
            while self.inbox.counts().await.unwrap().pending > 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("the inbox's worker handles every stored event");
        if let Ok(extra) = self.events.try_recv() {
            panic!("unexpected event {extra:?}");
        }
    }

    /// The delivery log, through the admin endpoint.
    async fn deliveries(&self, query: &[(&str, &str)]) -> Vec<Value> {
        let body: Value = reqwest::Client::new()
            .get(format!(
                "{}/_emulator/webhooks/deliveries",
                self.emu.base_url()
            ))
            .query(query)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["deliveries"].as_array().unwrap().clone()
    }
}

/// The examples in the shape of Wix's published webhooks, one per event type.
fn wix_examples() -> Vec<Value> {
    ["created", "updated", "deleted", "paid", "expired", "voided"]
        .iter()
        .map(|name| {
            let file = format!("{name}.json");
            let example = wix_order_payment_requests::testing::WIX_EXAMPLE_WEBHOOKS
                .iter()
                .find(|example| example.file == file)
                .unwrap();
            serde_json::from_str(example.json).unwrap()
        })
        .collect()
}

/// A delivery (a JWT) in the form the examples are written in: the claims' `data`, with its
/// `data` and `identity` parsed. Each of the three must be a JSON string, as Wix sends them.
fn documented_form(token: &str) -> Value {
    let claims = peek_claims(token).expect("a JWT");
    let text = claims["data"].as_str().expect("claim `data` is a string");
    let mut envelope: Value = serde_json::from_str(text).unwrap();
    for member in ["data", "identity"] {
        let text = envelope[member]
            .as_str()
            .unwrap_or_else(|| panic!("`data.{member}` is a JSON string"));
        envelope[member] = serde_json::from_str(text).unwrap();
    }
    json!({ "data": envelope })
}

/// Where the examples carry the order payment request.
const REQUEST_POINTERS: [&str; 4] = [
    "/data/data/createdEvent/entity",
    "/data/data/updatedEvent/currentEntity",
    "/data/data/deletedEvent/deletedEntity",
    "/data/data/actionEvent/body/orderPaymentRequest",
];

/// Every member the examples have, merged into one (the union of their keys), with the
/// requests of all of them merged into each place that carries a request.
fn merged_examples(examples: &[Value]) -> Value {
    let requests: Vec<Value> = examples
        .iter()
        .flat_map(|e| {
            REQUEST_POINTERS
                .iter()
                .filter_map(|p| e.pointer(p))
                .cloned()
        })
        .collect();
    let request = merged(&requests);
    let mut wix = merged(examples);
    for pointer in REQUEST_POINTERS {
        *wix.pointer_mut(pointer).expect("every kind has an example") = request.clone();
    }
    wix
}

/// Values merged into one: the union of their keys.
fn merged(values: &[Value]) -> Value {
    let mut out = Value::Null;
    for value in values {
        merge_into(&mut out, value);
    }
    out
}

fn merge_into(into: &mut Value, value: &Value) {
    match (into, value) {
        (Value::Object(into), Value::Object(value)) => {
            for (key, v) in value {
                merge_into(into.entry(key.clone()).or_insert(Value::Null), v);
            }
        }
        (Value::Array(into), Value::Array(value)) if into.is_empty() => *into = value.clone(),
        (into @ Value::Null, value) => *into = value.clone(),
        _ => {}
    }
}

/// Checks that every member of `sent` is in `wix` with the same JSON type (objects and lists
/// compared member by member), so nothing is sent that Wix's examples lack or type otherwise.
fn assert_within(sent: &Value, wix: &Value, at: &str) {
    match (sent, wix) {
        (Value::Object(sent), Value::Object(wix)) => {
            for (key, value) in sent {
                let Some(expected) = wix.get(key) else {
                    panic!("`{at}.{key}` is not in Wix's examples");
                };
                assert_within(value, expected, &format!("{at}.{key}"));
            }
        }
        (Value::Array(sent), Value::Array(wix)) => {
            if let (Some(first), Some(expected)) = (sent.first(), wix.first()) {
                assert_within(first, expected, &format!("{at}[0]"));
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => panic!("`{at}` is {sent}, where Wix's examples have {wix}"),
    }
}

/// Checks every recorded delivery against Wix's examples, and that the six event types were
/// all delivered: each delivery's body member is the embedded object its event type's example
/// has, and nothing in it is foreign to the examples.
fn assert_deliveries_have_wixs_shape(bodies: &[String]) {
    let examples = wix_examples();
    let wix = merged_examples(&examples);
    let mut seen = Vec::new();
    for body in bodies {
        let sent = documented_form(body);
        assert_within(&sent, &wix, "");
        let event_type = sent["data"]["eventType"].as_str().unwrap();
        let example = examples
            .iter()
            .find(|e| e["data"]["eventType"] == event_type)
            .unwrap_or_else(|| panic!("no example for {event_type}"));
        let carriers = [
            "createdEvent",
            "updatedEvent",
            "deletedEvent",
            "actionEvent",
        ];
        let carrier = carriers
            .iter()
            .find(|c| example["data"]["data"].get(**c).is_some())
            .unwrap();
        let sent_body = sent["data"]["data"][carrier].as_object().unwrap();
        let wix_body = example["data"]["data"][carrier].as_object().unwrap();
        assert_eq!(
            sent_body.keys().collect::<Vec<_>>(),
            wix_body.keys().collect::<Vec<_>>(),
            "{event_type}: the members of `{carrier}`"
        );
        for (member, value) in sent_body {
            assert!(
                value.is_object(),
                "{event_type}: `{carrier}.{member}` is an object"
            );
        }
        seen.push(WebhookEventType::from(event_type));
    }
    for known in WebhookEventType::KNOWN {
        assert!(seen.contains(known), "no {known} was delivered");
    }
}

/// The body of an event about a request, checked to be of `site` and about `id`.
fn entity(event: &Event, site: Uuid, id: Uuid) -> &EntityEvent {
    let entity = match event {
        Event::Created(e)
        | Event::Updated(e)
        | Event::Deleted(e)
        | Event::Paid(e)
        | Event::Expired(e)
        | Event::Voided(e) => e,
        other => panic!("not an entity event: {other:?}"),
    };
    assert_eq!(entity.order_payment_request.id, id);
    assert_eq!(entity.metadata.entity_id, Some(id.to_string()));
    assert_eq!(entity.metadata.instance_id, Some(site));
    assert_eq!(
        entity
            .metadata
            .account_info
            .as_ref()
            .and_then(|a| a.site_id),
        Some(site)
    );
    entity
}

fn sequence(event: &Event) -> u64 {
    event.metadata().entity_event_sequence.expect("a sequence")
}

fn identity(event: &Event) -> types::IdentificationData {
    event.metadata().identity.clone().expect("an identity")
}

fn assert_app(event: &Event, app_id: Uuid) {
    let identity = identity(event);
    assert_eq!(identity.identity_type, Some(WebhookIdentityType::App));
    assert_eq!(identity.app_id, Some(app_id));
    assert_eq!(identity.anonymous_visitor_id, None);
}

async fn create(c: &Client, extra: Value) -> Uuid {
    common::create(c, extra).await.id
}

async fn void(c: &Client, id: Uuid) {
    c.void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .expect("void");
}

async fn delete(c: &Client, id: Uuid) {
    c.delete_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .expect("delete");
}

#[tokio::test]
async fn lifecycle_events_arrive_verified_typed_and_once() {
    let mut h = Harness::start(0).await;
    let (c, site) = h.site_client();

    // Create: `created`, from the app, sequence 1.
    let paid_id = create(&c, json!({})).await;
    let created = h.next_event().await;
    assert!(matches!(created, Event::Created(_)), "{created:?}");
    let body = entity(&created, site, paid_id);
    assert_eq!(body.order_payment_request.status, Status::Unpaid);
    assert_eq!(sequence(&created), 1);
    assert_app(&created, h.app_id);

    // The customer pays on the payment page: `updated`, then `paid`, both carrying the request
    // as PAID, with increasing sequences, made by one anonymous visitor.
    assert_eq!(common::pay_on_page(&h.emu, paid_id).await, 200);
    let updated = h.next_event().await;
    let paid = h.next_event().await;
    assert!(matches!(updated, Event::Updated(_)), "{updated:?}");
    let Event::Paid(paid_body) = &paid else {
        panic!("expected paid, got {paid:?}");
    };
    for event in [&updated, &paid] {
        let body = entity(event, site, paid_id);
        assert_eq!(body.order_payment_request.status, Status::Paid);
    }
    assert_eq!(paid_body.metadata.slug.as_deref(), Some("paid"));
    assert!(sequence(&created) < sequence(&updated));
    assert!(sequence(&updated) < sequence(&paid));
    let payer = identity(&paid);
    assert_eq!(
        payer.identity_type,
        Some(WebhookIdentityType::AnonymousVisitor)
    );
    assert!(payer.anonymous_visitor_id.is_some());
    assert_eq!(payer.app_id, None);
    assert_eq!(identity(&updated), payer, "one visitor made both changes");

    // Void through the API: `created`, `updated`, `voided`, all from the app.
    let voided_id = create(&c, json!({})).await;
    let created = h.next_event().await;
    assert!(matches!(created, Event::Created(_)), "{created:?}");
    entity(&created, site, voided_id);
    void(&c, voided_id).await;
    let updated = h.next_event().await;
    let voided = h.next_event().await;
    assert!(matches!(updated, Event::Updated(_)), "{updated:?}");
    assert!(matches!(voided, Event::Voided(_)), "{voided:?}");
    for event in [&updated, &voided] {
        let body = entity(event, site, voided_id);
        assert_eq!(body.order_payment_request.status, Status::Voided);
        assert_app(event, h.app_id);
    }
    assert!(sequence(&created) < sequence(&updated));
    assert!(sequence(&updated) < sequence(&voided));

    // Expiry: due in an hour, the clock moves two hours ahead. The tokens are signed at the
    // emulator's time, which the verifier reads too.
    let due = h.emu.clock().now() + chrono::Duration::hours(1);
    let expired_id = create(&c, json!({ "expirationDate": due })).await;
    let created = h.next_event().await;
    assert!(matches!(created, Event::Created(_)), "{created:?}");
    h.emu.advance_clock(Duration::from_secs(2 * 3600));
    let updated = h.next_event().await;
    let expired = h.next_event().await;
    assert!(matches!(updated, Event::Updated(_)), "{updated:?}");
    assert!(matches!(expired, Event::Expired(_)), "{expired:?}");
    for event in [&updated, &expired] {
        let body = entity(event, site, expired_id);
        assert_eq!(body.order_payment_request.status, Status::Expired);
        assert_app(event, h.app_id);
    }
    assert!(sequence(&updated) < sequence(&expired));
    assert!(expired.metadata().event_time.unwrap() >= due);
    h.assert_nothing_more().await;

    // A second delivery of the `paid` event: answered 200 (so Wix would stop), recognised by
    // the inbox as a duplicate, and not passed on.
    let paid_event_id = paid.metadata().event_id.clone().unwrap();
    let first = h.deliveries(&[("eventId", &paid_event_id)]).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["outcome"], "delivered");
    let handled = h.inbox.counts().await.unwrap().done;
    let answers_before = h.answers.lock().unwrap().len();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/_emulator/webhooks/deliveries/{}/redeliver",
            h.emu.base_url(),
            first[0]["deliveryId"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let redelivery: Value = response.json().await.unwrap();
    assert_eq!(redelivery["redeliveryOf"], first[0]["deliveryId"]);
    h.assert_nothing_more().await;
    let again = h
        .deliveries(&[("deliveryId", redelivery["deliveryId"].as_str().unwrap())])
        .await;
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0]["eventId"], paid_event_id.as_str());
    assert_eq!(again[0]["outcome"], "delivered");
    assert_eq!(again[0]["status"], 200);
    assert_eq!(
        h.answers.lock().unwrap()[answers_before..],
        [(200, "duplicate".to_string())]
    );
    assert_eq!(h.inbox.counts().await.unwrap().done, handled);
    let redelivered = h.bodies.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        h.inbox.accept(redelivered.as_bytes()).await.unwrap(),
        Accepted::Duplicate {
            event_id: paid_event_id.clone()
        }
    );

    // Delete (a voided request may be deleted): `deleted`, from the app.
    delete(&c, voided_id).await;
    let deleted = h.next_event().await;
    assert!(matches!(deleted, Event::Deleted(_)), "{deleted:?}");
    entity(&deleted, site, voided_id);
    assert_app(&deleted, h.app_id);
    assert_eq!(sequence(&deleted), sequence(&voided) + 1);
    h.assert_nothing_more().await;

    // Every answer of the receiver was a 200: nothing was refused or left for a retry.
    let answers = h.answers.lock().unwrap().clone();
    assert!(
        answers.iter().all(|(status, _)| *status == 200),
        "{answers:?}"
    );
    assert_eq!(answers.iter().filter(|(_, b)| b == "stored").count(), 10);

    // What went over the wire has the shape of Wix's published examples.
    assert_deliveries_have_wixs_shape(&h.bodies.lock().unwrap());
}

#[tokio::test]
async fn an_event_refused_at_first_arrives_once_after_retries() {
    let mut h = Harness::start(2).await;
    let (c, site) = h.site_client();
    let id = create(&c, json!({})).await;

    let created = h.next_event().await;
    assert!(matches!(created, Event::Created(_)), "{created:?}");
    entity(&created, site, id);
    h.assert_nothing_more().await;

    // The log shows the two refused attempts and the one that got through, one delivery.
    let event_id = created.metadata().event_id.clone().unwrap();
    let attempts = h.deliveries(&[("eventId", &event_id)]).await;
    let summary: Vec<(u64, &str, u64, bool)> = attempts
        .iter()
        .map(|a| {
            (
                a["attempt"].as_u64().unwrap(),
                a["outcome"].as_str().unwrap(),
                a["status"].as_u64().unwrap(),
                a["final"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, "rejected", 500, false),
            (2, "rejected", 500, false),
            (3, "delivered", 200, true),
        ]
    );
    let delivery = &attempts[0]["deliveryId"];
    assert!(attempts.iter().all(|a| a["deliveryId"] == *delivery));
    assert!(attempts.iter().all(|a| a["entityId"] == id.to_string()));
    // The refusals never reached the receiver; the event it took was new to its inbox.
    assert_eq!(*h.answers.lock().unwrap(), [(200, "stored".to_string())]);
    let done = h.inbox.store().list(EventState::Done, 10).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].event_id, event_id);
}
