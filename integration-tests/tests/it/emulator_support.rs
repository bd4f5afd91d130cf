//! Helpers shared by the `emulator_*` tests: an in-process emulator, a `WixClient` for it whose
//! retry waits are recorded instead of waited, and request builders.

#![allow(dead_code)]

use std::sync::Arc;

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{types, Field, Query, RetryPolicy, WixClient};

/// Records each wait and returns at once, so retries take no wall-clock time.
pub use wix_order_payment_requests::testing::RecordingSleeper;
/// An order of the emulator's fixture (USD, not a subscription).
pub use wix_order_payment_requests::testing::DOCS_ORDER_ID as ORDER_ID;
/// The site the test client acts on, and the API key it sends.
pub use wix_order_payment_requests::testing::{API_KEY, SITE_ID};
/// Another order of the fixture (ILS, not a subscription).
pub const OTHER_ORDER_ID: &str = "7e2d4c1a-5b3f-4e6a-8d9c-1a2b3c4d5e6f";

/// A policy of `attempts` attempts whose waits go to `sleeper`, without a total deadline (the
/// recorded waits take no time, and tests do not depend on the wall clock).
pub fn policy(attempts: u32, sleeper: &Arc<RecordingSleeper>) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_deadline(None)
        .with_sleeper(sleeper.clone())
}

/// Starts an emulator on a free localhost port.
pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("the emulator starts")
}

/// A client of `emulator` with an API key, the test site and `policy`.
pub fn client(emulator: &Emulator, policy: RetryPolicy) -> WixClient {
    WixClient::builder()
        .base_url(emulator.base_url())
        .api_key(API_KEY)
        .site_id(SITE_ID)
        .retry_policy(policy)
        .build()
        .expect("a valid client configuration")
}

/// A complete payment request for `order_id`.
pub fn new_request(
    order_id: &str,
    title: &str,
    external_id: Option<&str>,
) -> types::NewOrderPaymentRequest {
    let request = types::NewOrderPaymentRequest::new(
        order_id.parse().unwrap(),
        "1.00".parse().unwrap(),
        title.parse().unwrap(),
    );
    match external_id {
        Some(id) => request.with_external_id(id.parse().unwrap()),
        None => request,
    }
}

/// The payment requests the emulator holds with this `source.externalId`, read through a
/// query (faults must be off).
pub async fn held_with_external_id(wix: &WixClient, external_id: &str) -> usize {
    use futures::TryStreamExt;
    let found: Vec<_> = wix
        .query(Query::new().filter(Field::SourceExternalId.eq(external_id)))
        .stream()
        .try_collect()
        .await
        .expect("the query succeeds");
    found.len()
}
