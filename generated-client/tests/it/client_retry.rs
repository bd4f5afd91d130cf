//! Retries over real HTTP: which statuses and operations are repeated, `Retry-After`, the
//! attempt limit, the deadline, per-call overrides, and create made safe by `externalId`.

use crate::client_common;
use crate::support;

use std::sync::Arc;
use std::time::Duration;

use client_common::{client, new_request, opr_json, policy, RecordingSleeper, OPR_ID, URL};
use serde_json::json;
use support::{Scripted, TestServer};
use wix_order_payment_requests::retry::{classify_status, retry_after, RetryKind};
use wix_order_payment_requests::{types, RetryPolicy};

fn unavailable() -> Scripted {
    Scripted::json(503, json!({"message": "", "details": {}}))
}

fn got() -> Scripted {
    Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "ext-1")}),
    )
}

fn with_header(mut s: Scripted, name: &'static str, value: &str) -> Scripted {
    s.headers.push((name, value.to_string()));
    s
}

#[tokio::test]
async fn get_is_retried_on_503_until_success() {
    let server = TestServer::start(vec![unavailable(), unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let opr = wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    assert_eq!(opr.id.to_string(), OPR_ID);
    assert_eq!(server.recorded().len(), 3);
    // Capped exponential backoff (jitter off): 100 ms, then 200 ms.
    assert_eq!(
        sleeper.waits(),
        vec![Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn generated_builders_retry_too() {
    let server = TestServer::start(vec![unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let response = wix
        .raw()
        .get_order_payment_request()
        .order_payment_request_id(OPR_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.order_payment_request.id.to_string(), OPR_ID);
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn attempts_are_capped_and_the_last_error_is_returned() {
    let server = TestServer::start(vec![unavailable(), unavailable(), unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(error.request_id(), Some("req-1234567890"));
    assert_eq!(server.recorded().len(), 3);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let throttled = with_header(
        Scripted::json(429, json!({"message": "slow down"})),
        "retry-after",
        "1",
    );
    let server = TestServer::start(vec![throttled, got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(1)]);
    assert_eq!(server.recorded().len(), 2);
}

#[test]
fn retry_after_http_date_and_classification() {
    let mut headers = http::HeaderMap::new();
    let in_ten = chrono::Utc::now() + chrono::Duration::seconds(10);
    headers.insert(
        "retry-after",
        in_ten.to_rfc2822().replace("+0000", "GMT").parse().unwrap(),
    );
    let wait = retry_after(&headers).unwrap();
    assert!(
        wait <= Duration::from_secs(10) && wait >= Duration::from_secs(8),
        "{wait:?}"
    );
    headers.insert(
        "retry-after",
        "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
    );
    assert_eq!(retry_after(&headers), Some(Duration::ZERO));
    for (status, kind) in [
        (429, RetryKind::ThrottlingError),
        (500, RetryKind::ServerError),
        (502, RetryKind::ServerError),
        (503, RetryKind::ServerError),
        (504, RetryKind::ServerError),
        (400, RetryKind::Unretryable),
        (428, RetryKind::Unretryable),
        (501, RetryKind::Unretryable),
    ] {
        assert_eq!(
            classify_status(http::StatusCode::from_u16(status).unwrap()),
            kind
        );
    }
}

#[tokio::test]
async fn deadline_stops_a_wait_that_would_pass_it() {
    let throttled = with_header(
        Scripted::json(429, json!({"message": "slow down"})),
        "retry-after",
        "120",
    );
    let server = TestServer::start(vec![throttled, got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(
        &server,
        policy(5, &sleeper).with_deadline(Some(Duration::from_secs(10))),
    );
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 429);
    assert!(sleeper.waits().is_empty());
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn deadline_counts_the_waits() {
    // Waits of 100, 200, 400 ms would follow; a 500 ms deadline allows the first two only.
    let server = TestServer::start(vec![unavailable(); 5]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(
        &server,
        policy(10, &sleeper).with_deadline(Some(Duration::from_millis(500))),
    );
    wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(sleeper.waits().len(), 2);
    assert_eq!(server.recorded().len(), 3);
}

#[tokio::test]
async fn non_retryable_428_is_not_retried() {
    let server = TestServer::start(vec![
        Scripted::json(428, json!({"message": "precondition"})),
        got(),
    ])
    .await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 428);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn per_call_override_disables_retries() {
    let server = TestServer::start(vec![unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = RetryPolicy::disabled()
        .scope(wix.get(OPR_ID.parse().unwrap()))
        .await
        .unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_and_reported_as_transport() {
    // A port with nothing listening: bind, read the port, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = wix_order_payment_requests::WixClient::builder()
        .base_url(base)
        .api_key("k")
        .site_id(support::SITE_ID)
        .retry_policy(policy(3, &sleeper))
        .build()
        .unwrap();
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert!(error.is_transport(), "{error:?}");
    assert_eq!(sleeper.waits().len(), 2);
}

#[tokio::test]
async fn raw_create_is_never_retried() {
    let server = TestServer::start(vec![unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = wix
        .raw()
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: new_request(Some("ext-1")),
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn create_with_unknown_outcome_looks_up_external_id_instead_of_creating_twice() {
    let server = TestServer::start(vec![
        unavailable(),
        Scripted::json(
            200,
            json!({
                "orderPaymentRequests": [opr_json(OPR_ID, "ext-1")],
                "pagingMetadata": {"count": 1, "hasNext": false}
            }),
        ),
        Scripted::json(200, json!({"orderPaymentRequestUrl": URL})),
    ])
    .await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.request.id.to_string(), OPR_ID);
    assert_eq!(created.url.to_string(), URL);
    let recorded = server.recorded();
    let paths: Vec<_> = recorded.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/ecom/v1/order-payment-requests",
            "/ecom/v1/order-payment-requests/query",
            "/ecom/v1/order-payment-requests/url",
        ]
    );
    assert_eq!(
        recorded[1].json(),
        json!({"query": {
            "cursorPaging": {"limit": 2},
            "filter": {"source.externalId": "ext-1"},
            "sort": [{"fieldName": "createdDate", "order": "ASC"}]
        }})
    );
    assert_eq!(recorded[2].json(), json!({"orderPaymentRequestId": OPR_ID}));
}

#[tokio::test]
async fn create_not_found_by_external_id_is_tried_again() {
    let server = TestServer::start(vec![
        unavailable(),
        Scripted::json(200, json!({"orderPaymentRequests": [], "pagingMetadata": {"hasNext": false}})),
        Scripted::json(
            200,
            json!({"orderPaymentRequest": opr_json(OPR_ID, "ext-1"), "orderPaymentRequestUrl": URL}),
        ),
    ])
    .await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let created = wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(created.url.to_string(), URL);
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3);
    assert_eq!(
        recorded[0].body, recorded[2].body,
        "the same create is sent again"
    );
}

#[tokio::test]
async fn create_without_external_id_is_not_repeated() {
    let server = TestServer::start(vec![unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = wix.create(new_request(None)).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_default_sleeper_waits_retry_after_in_tokio_time() {
    let throttled = with_header(
        Scripted::json(429, json!({"message": "slow down"})),
        "retry-after",
        "7",
    );
    let server = TestServer::start(vec![throttled, got()]).await;
    let wix = client(
        &server,
        RetryPolicy::default()
            .with_max_attempts(2)
            .with_deadline(None),
    );
    let started = tokio::time::Instant::now();
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    // Virtual time: the paused clock moved by the Retry-After wait.
    assert!(started.elapsed() >= Duration::from_secs(7));
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn create_waits_retry_after_before_trying_again() {
    let throttled = with_header(
        Scripted::json(429, json!({"message": "Too many requests", "details": {}})),
        "retry-after",
        "3",
    );
    let server = TestServer::start(vec![
        throttled,
        Scripted::json(
            200,
            json!({"orderPaymentRequest": opr_json(OPR_ID, "ext-1"), "orderPaymentRequestUrl": URL}),
        ),
    ])
    .await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    wix.create(new_request(Some("ext-1"))).await.unwrap();
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(3)]);
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 2, "a 429 created nothing: no lookup");
    assert_eq!(recorded[0].body, recorded[1].body);
}

#[tokio::test]
async fn create_stops_when_the_wait_would_pass_the_deadline() {
    let throttled = with_header(
        Scripted::json(429, json!({"message": "Too many requests", "details": {}})),
        "retry-after",
        "120",
    );
    let server = TestServer::start(vec![throttled, got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(
        &server,
        policy(5, &sleeper).with_deadline(Some(Duration::from_secs(10))),
    );
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 429);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert!(sleeper.waits().is_empty());
    assert_eq!(server.recorded().len(), 1);
}

#[tokio::test]
async fn create_deadline_counts_waits_across_attempts_and_lookups() {
    // 503, lookup (none), wait 10 s, 503, lookup (none), then the 20 s wait would pass a 25 s
    // deadline: the second 503 is returned. (Recorded waits take no time; the margin leaves
    // seconds for the real requests.)
    let none = || {
        Scripted::json(
            200,
            json!({"orderPaymentRequests": [], "pagingMetadata": {"hasNext": false}}),
        )
    };
    let server = TestServer::start(vec![unavailable(), none(), unavailable(), none(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(
        &server,
        policy(5, &sleeper)
            .with_backoff(Duration::from_secs(10), Duration::from_secs(20))
            .with_deadline(Some(Duration::from_secs(25))),
    );
    let error = wix.create(new_request(Some("ext-1"))).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(10)]);
    assert_eq!(server.recorded().len(), 4);
}

#[tokio::test]
async fn with_retry_policy_overrides_one_copy_of_the_client() {
    let server = TestServer::start(vec![unavailable(), unavailable(), got()]).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let once = wix.with_retry_policy(RetryPolicy::disabled());
    assert_eq!(once.retry_policy().max_attempts(), 1);
    let error = once.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(server.recorded().len(), 1);
    // The original client keeps its policy: one more 503, then success.
    assert_eq!(wix.retry_policy().max_attempts(), 3);
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    assert_eq!(server.recorded().len(), 3);
}

#[tokio::test]
async fn a_scope_overrides_the_policy_of_create_too() {
    let server = TestServer::start(vec![
        Scripted::json(429, json!({"message": "Too many requests"})),
        got(),
    ])
    .await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&server, policy(3, &sleeper));
    let error = RetryPolicy::disabled()
        .scope(wix.create(new_request(Some("ext-1"))))
        .await
        .unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 429);
    assert_eq!(server.recorded().len(), 1);
}
