//! What `WixClient::create` answers, over real HTTP against a scripted server: an unknown
//! outcome on the last attempt is looked up before answering; an error other than "outcome
//! unknown" means "not created"; `Ok` always carries the payment URL, and a request that
//! exists without a known URL is an error that carries the request.

use crate::client_common;
use crate::support;

use std::sync::Arc;

use client_common::{client, new_request, opr_json, policy, RecordingSleeper, OPR_ID, URL};
use serde_json::json;
use support::{Scripted, TestServer};
use wix_order_payment_requests::{Error, WixClient};

const CREATE: &str = "/ecom/v1/order-payment-requests";
const QUERY: &str = "/ecom/v1/order-payment-requests/query";
const GET_URL: &str = "/ecom/v1/order-payment-requests/url";

fn unavailable() -> Scripted {
    Scripted::json(503, json!({"message": "", "details": {}}))
}

fn found() -> Scripted {
    Scripted::json(
        200,
        json!({
            "orderPaymentRequests": [opr_json(OPR_ID, "ext-1")],
            "pagingMetadata": {"count": 1, "hasNext": false}
        }),
    )
}

fn none_found() -> Scripted {
    Scripted::json(
        200,
        json!({"orderPaymentRequests": [], "pagingMetadata": {"count": 0, "hasNext": false}}),
    )
}

fn url() -> Scripted {
    Scripted::json(200, json!({"orderPaymentRequestUrl": URL}))
}

fn created(with_url: bool) -> Scripted {
    let mut body = json!({"orderPaymentRequest": opr_json(OPR_ID, "ext-1")});
    if with_url {
        body["orderPaymentRequestUrl"] = json!(URL);
    }
    Scripted::json(200, body)
}

/// A client for `server` making at most `attempts` attempts per call, waits recorded.
fn wix(server: &TestServer, attempts: u32) -> (WixClient, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    (client(server, policy(attempts, &sleeper)), sleeper)
}

fn paths(server: &TestServer) -> Vec<String> {
    server.recorded().into_iter().map(|r| r.path).collect()
}

#[tokio::test]
async fn an_unknown_outcome_on_the_only_attempt_is_looked_up_before_answering() {
    let server = TestServer::start(vec![unavailable(), found(), url()]).await;
    let (wix, sleeper) = wix(&server, 1);
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.request.id.to_string(), OPR_ID);
    assert_eq!(created.url.to_string(), URL);
    assert_eq!(paths(&server), [CREATE, QUERY, GET_URL]);
    assert!(sleeper.waits().is_empty());
}

#[tokio::test]
async fn an_unknown_outcome_on_the_last_of_several_attempts_is_looked_up_too() {
    let server = TestServer::start(vec![
        unavailable(),
        none_found(),
        unavailable(),
        found(),
        url(),
    ])
    .await;
    let (wix, sleeper) = wix(&server, 2);
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.url.to_string(), URL);
    assert_eq!(paths(&server), [CREATE, QUERY, CREATE, QUERY, GET_URL]);
    assert_eq!(
        sleeper.waits().len(),
        1,
        "one wait, between the two creates"
    );
}

#[tokio::test]
async fn a_last_attempt_proven_absent_answers_its_own_error_meaning_not_created() {
    let server = TestServer::start(vec![unavailable(), none_found()]).await;
    let (wix, _) = wix(&server, 1);
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected the create's 503, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 503);
    assert!(!error.is_outcome_unknown());
    assert_eq!(paths(&server), [CREATE, QUERY]);
    assert_eq!(
        server.recorded()[1].json(),
        json!({"query": {
            "cursorPaging": {"limit": 2},
            "filter": {"source.externalId": "ext-1"},
            "sort": [{"fieldName": "createdDate", "order": "ASC"}]
        }})
    );
}

#[tokio::test]
async fn a_lookup_that_fails_answers_outcome_unknown() {
    let server = TestServer::start(vec![unavailable(), unavailable()]).await;
    let (wix, _) = wix(&server, 1);
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    let Error::OutcomeUnknown {
        operation_id,
        external_id,
        attempt,
        lookup,
    } = &error
    else {
        panic!("expected OutcomeUnknown, got {error:?}");
    };
    assert_eq!(*operation_id, "createOrderPaymentRequest");
    assert_eq!(external_id.as_deref(), Some("ext-1"));
    assert_eq!(attempt.status().map(|s| s.as_u16()), Some(503));
    let lookup = lookup.as_ref().expect("the lookup's error");
    assert!(
        lookup.to_string().contains("queryOrderPaymentRequests"),
        "{lookup}"
    );
    assert!(error.is_outcome_unknown());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("req-1234567890"));
    let text = error.to_string();
    assert!(
        text.starts_with("createOrderPaymentRequest: outcome unknown"),
        "{text}"
    );
    assert!(text.contains("\"ext-1\""), "{text}");
    assert_eq!(paths(&server), [CREATE, QUERY]);
}

#[tokio::test]
async fn without_external_id_an_unknown_outcome_cannot_be_looked_up() {
    let server = TestServer::start(vec![unavailable(), created(true)]).await;
    let (wix, sleeper) = wix(&server, 3);
    let error = wix.create(new_request(None)).await.unwrap_err();
    let Error::OutcomeUnknown {
        external_id,
        lookup,
        ..
    } = &error
    else {
        panic!("expected OutcomeUnknown, got {error:?}");
    };
    assert_eq!(*external_id, None);
    assert!(lookup.is_none());
    assert!(
        error.to_string().contains("no source.externalId"),
        "{error}"
    );
    assert_eq!(paths(&server), [CREATE], "never sent twice");
    assert!(sleeper.waits().is_empty());
}

#[tokio::test]
async fn a_found_request_whose_url_cannot_be_fetched_is_url_unknown_with_the_request() {
    let server = TestServer::start(vec![unavailable(), found(), unavailable()]).await;
    let (wix, _) = wix(&server, 1);
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    let request = error.existing_entity().expect("the request that exists");
    assert_eq!(request.id.to_string(), OPR_ID);
    assert!(matches!(error, Error::UrlUnknown { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(OPR_ID), "{text}");
    assert!(text.contains("exists but its URL is unknown"), "{text}");
    assert_eq!(paths(&server), [CREATE, QUERY, GET_URL]);
}

#[tokio::test]
async fn a_created_answer_without_the_url_is_completed_with_it() {
    let server = TestServer::start(vec![created(false), url()]).await;
    let (wix, _) = wix(&server, 3);
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.url.to_string(), URL);
    assert_eq!(paths(&server), [CREATE, GET_URL]);
    assert_eq!(
        server.recorded()[1].json(),
        json!({"orderPaymentRequestId": OPR_ID})
    );
}

#[tokio::test]
async fn a_created_answer_whose_url_cannot_be_had_is_url_unknown_not_resent() {
    let server = TestServer::start(vec![
        created(false),
        Scripted::json(200, json!({})),
        created(true),
    ])
    .await;
    let (wix, _) = wix(&server, 3);
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    assert_eq!(error.existing_entity().unwrap().id.to_string(), OPR_ID);
    assert!(
        error
            .to_string()
            .contains("missing field `orderPaymentRequestUrl`"),
        "{error}"
    );
    assert_eq!(
        paths(&server),
        [CREATE, GET_URL],
        "the create is not sent again"
    );
}

#[tokio::test]
async fn a_refused_connection_created_nothing_and_is_tried_again_without_lookup() {
    // A port with nothing listening: bind, read the port, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = WixClient::builder()
        .base_url(base)
        .api_key(support::API_KEY)
        .site_id(support::SITE_ID)
        .retry_policy(policy(3, &sleeper))
        .build()
        .unwrap();
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    // Each refused connection was tried again; no lookup ran, so the answer is the plain
    // transport error ("not created"), not an unknown outcome.
    let Error::Transport { source, .. } = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(source.is_connect(), "{source:?}");
    assert_eq!(sleeper.waits().len(), 2);
}

#[tokio::test]
async fn a_success_whose_request_cannot_be_read_is_looked_up_not_reported_as_failed() {
    // A 2xx says the request was stored; an answer that breaks the spec's guarantees (here: no
    // `orderPaymentRequest`) must not read as "not created", or a caller would create it twice.
    let server = TestServer::start(vec![
        Scripted::json(200, json!({"orderPaymentRequestUrl": URL})),
        found(),
        url(),
    ])
    .await;
    let (wix, _) = wix(&server, 3);
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.request.id.to_string(), OPR_ID);
    assert_eq!(created.url.to_string(), URL);
    assert_eq!(paths(&server), [CREATE, QUERY, GET_URL], "not sent again");
}

#[tokio::test]
async fn a_success_that_cannot_be_read_or_found_is_outcome_unknown() {
    let server = TestServer::start(vec![
        Scripted::json(200, json!({"orderPaymentRequestUrl": URL})),
        none_found(),
        created(true),
    ])
    .await;
    let (client, _) = wix(&server, 3);
    let error = client.create(new_request(Some("ext-1"))).await.unwrap_err();
    assert!(
        matches!(error, Error::OutcomeUnknown { .. }),
        "a 2xx is never reported as not created: {error:?}"
    );
    assert_eq!(paths(&server), [CREATE, QUERY], "not sent again");

    // Without an external id there is nothing to look up by: outcome unknown too.
    let server = TestServer::start(vec![
        Scripted::json(200, json!({"orderPaymentRequestUrl": URL})),
        created(true),
    ])
    .await;
    let (client, _) = wix(&server, 3);
    let error = client.create(new_request(None)).await.unwrap_err();
    assert!(matches!(error, Error::OutcomeUnknown { .. }), "{error:?}");
    assert_eq!(paths(&server), [CREATE]);
}
