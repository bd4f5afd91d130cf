//! Helpers shared by the `emulator_*` tests: an in-process emulator, a `WixClient` for it whose
//! retry waits are recorded instead of waited, and request builders.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::retry::Sleeper;
use wix_order_payment_requests::{types, Field, Query, RetryPolicy, WixClient};

/// The site the test client acts on.
pub const SITE_ID: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";
/// An order of the emulator's fixture (USD, not a subscription).
pub const ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";
/// Another order of the fixture (ILS, not a subscription).
pub const OTHER_ORDER_ID: &str = "7e2d4c1a-5b3f-4e6a-8d9c-1a2b3c4d5e6f";

/// Records each wait and returns at once, so retries take no wall-clock time.
#[derive(Debug, Default)]
pub struct RecordingSleeper(Mutex<Vec<Duration>>);

impl RecordingSleeper {
    /// The waits asked for so far.
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

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
        .api_key("IST.emulator-test-key")
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
