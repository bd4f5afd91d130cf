//! Shared test fixtures: ids, credentials, throwaway keys and webhooks in the shape of Wix's
//! published examples. The files live in `generated-client/fixtures/webhooks/` (see its
//! README); they are compiled in here so that every crate's tests read the same bytes.

/// The site the tests act on (a GUID, as Wix's site ids are).
pub const SITE_ID: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";

/// The API key the tests send. Any value is accepted by the emulator and by the local test
/// servers; tests check that it never shows in `Debug`, logs or errors.
pub const API_KEY: &str = "IST.test-api-key-value";

/// The order of Wix's documentation examples (number 10052, USD, balance 15.50); the
/// emulator's order fixtures hold it.
pub const DOCS_ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

/// An `UNPAID` payment request as the API returns one (balance of order 10052, $15.50), with
/// a fresh `id` and `orderId` on each call, so that each stands for its own entity.
pub fn unpaid_request() -> crate::types::OrderPaymentRequest {
    serde_json::from_value(serde_json::json!({
        "id": uuid::Uuid::new_v4(), "orderId": uuid::Uuid::new_v4(),
        "title": "Balance of order 10052", "status": "UNPAID",
        "amount": {"amount": "15.50", "formattedAmount": "$15.50"}, "currency": "USD",
        "createdDate": "2026-06-01T14:22:18Z", "updatedDate": "2026-06-01T14:22:18Z",
    }))
    .expect("the fixture is a valid OrderPaymentRequest")
}

/// The private half of the test-only key pair that plays the app's key: test deliveries are
/// signed with it. Public: never use it for anything but tests.
pub const APP_PRIVATE_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/test_only_app_key_private.pem");

/// The public half of [`APP_PRIVATE_KEY_PEM`], what verifiers under test are given.
pub const APP_PUBLIC_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/test_only_app_key_public.pem");

/// The private half of an unrelated test-only key pair, for "wrong key" tests.
pub const WRONG_PRIVATE_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/test_only_wrong_key_private.pem");

/// The public half of [`WRONG_PRIVATE_KEY_PEM`].
pub const WRONG_PUBLIC_KEY_PEM: &str =
    include_str!("../../fixtures/webhooks/test_only_wrong_key_public.pem");

/// One webhook in the shape of Wix's published examples: the JWT payload as Wix's reference
/// pages print it, with the stringified members written out as objects.
#[derive(Debug, Clone, Copy)]
pub struct WixExampleWebhook {
    /// The file name, e.g. `paid.json`.
    pub file: &'static str,
    /// The file's JSON text.
    pub json: &'static str,
}

macro_rules! wix_example {
    ($file:literal) => {
        WixExampleWebhook {
            file: $file,
            json: include_str!(concat!("../../fixtures/webhooks/wix_examples/", $file)),
        }
    };
}

/// One example per event type (`created`, `updated`, `deleted`, `paid`, `expired`, `voided`),
/// then `paid_body_as_json_string.json`: `paid.json` with `actionEvent.body` as a JSON string.
pub const WIX_EXAMPLE_WEBHOOKS: [WixExampleWebhook; 7] = [
    wix_example!("created.json"),
    wix_example!("updated.json"),
    wix_example!("deleted.json"),
    wix_example!("paid.json"),
    wix_example!("expired.json"),
    wix_example!("voided.json"),
    wix_example!("paid_body_as_json_string.json"),
];
