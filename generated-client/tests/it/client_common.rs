//! Helpers shared by the `client_*` tests: a sleeper that records waits instead of waiting,
//! and a `WixClient` pointed at the recording test server.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use wix_order_payment_requests::{types, RetryPolicy, WixClient};

use crate::support::{TestServer, API_KEY, SITE_ID};

/// Records each wait and returns at once.
pub use wix_order_payment_requests::testing::RecordingSleeper;
pub use wix_order_payment_requests::testing::DOCS_ORDER_ID as ORDER_ID;
pub const OPR_ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
pub const URL: &str = "https://www.example.com/payment-request/3c8f1a2e";

/// A policy with `attempts` attempts, 100 ms backoff without jitter, and `sleeper`.
pub fn policy(attempts: u32, sleeper: &Arc<RecordingSleeper>) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(2))
        .without_jitter()
        .with_sleeper(sleeper.clone())
}

/// A `WixClient` for `server` with the test API key and site.
pub fn client(server: &TestServer, policy: RetryPolicy) -> WixClient {
    WixClient::builder()
        .base_url(&server.base_url)
        .api_key(API_KEY)
        .site_id(SITE_ID)
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// An order payment request as Wix returns it.
pub fn opr_json(id: &str, external_id: &str) -> Value {
    json!({
        "id": id,
        "orderId": ORDER_ID,
        "title": "Balance Due for Order #10052",
        "amount": {"amount": "15.50", "formattedAmount": "$15.50"},
        "status": "UNPAID",
        "currency": "USD",
        "createdDate": "2026-06-01T14:22:18.456Z",
        "updatedDate": "2026-06-01T14:22:18.456Z",
        "source": {"externalId": external_id},
    })
}

/// The docs' create input (order, amount, title), with `external_id` as its `source.externalId`.
pub fn new_request(external_id: Option<&str>) -> types::NewOrderPaymentRequest {
    let request = types::NewOrderPaymentRequest::new(
        ORDER_ID.parse().unwrap(),
        "15.50".parse().unwrap(),
        "Balance Due for Order #10052".parse().unwrap(),
    );
    match external_id {
        Some(id) => request.with_external_id(id.parse().unwrap()),
        None => request,
    }
}
