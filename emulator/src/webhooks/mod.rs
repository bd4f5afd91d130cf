//! Webhook deliveries, as Wix sends them to an app.
//!
//! A [`WebhookHub`] plays Wix's side: [`WebhookHub::emit`] builds an event about an order
//! payment request, and a background worker POSTs it to every subscriber as an RS256 JWT signed
//! with the app's key, nested exactly as Wix nests it. The format is not re-implemented here:
//! the payload is the client crate's
//! [`EventPayload`](wix_order_payment_requests::webhooks::EventPayload), signed by its
//! [`WebhookSigner`](wix_order_payment_requests::webhooks::WebhookSigner), so deliveries verify
//! with the client's [`WebhookVerifier`](wix_order_payment_requests::webhooks::WebhookVerifier)
//! given [`WebhookHub::public_key_pem`].
//!
//! ```no_run
//! # async fn demo() {
//! use wix_opr_emulator::Clock;
//! use wix_opr_emulator::webhooks::{WebhookConfig, WebhookHub};
//! use wix_order_payment_requests::types;
//! use wix_order_payment_requests::webhooks::WebhookEventType;
//!
//! let hub = WebhookHub::new(
//!     WebhookConfig {
//!         subscribers: vec!["http://127.0.0.1:3000/webhooks".into()],
//!         retry_compression: 60_000.0,
//!         ..WebhookConfig::default()
//!     },
//!     Clock::default(),
//! );
//! let request: types::OrderPaymentRequest = serde_json::from_value(serde_json::json!({
//!     "id": uuid::Uuid::new_v4(), "orderId": uuid::Uuid::new_v4(), "title": "Balance due",
//!     "status": "UNPAID", "amount": {"amount": "15.50", "formattedAmount": "$15.50"},
//!     "currency": "USD", "createdDate": "2026-06-01T14:22:18Z", "updatedDate": "2026-06-01T14:22:18Z",
//! }))
//! .unwrap();
//! hub.emit("my-site", WebhookEventType::WixEcomV1OrderPaymentRequestPaid, &request);
//! hub.idle().await; // every delivery delivered or given up
//! # }
//! ```
//!
//! # Delivery
//!
//! - Body: the signed JWT, `Content-Type: text/plain; charset=utf-8`. Header `{"alg": "RS256",
//!   "typ": "JWT", "kid"}`; claims `{data, iat, exp}` with `exp = iat + 5 min`. `data` is the
//!   JSON string of the envelope, whose `data` (the domain event) and `identity` are JSON
//!   strings too; in the domain event the request is an embedded object
//!   (`createdEvent.entity`, `updatedEvent.currentEntity`, `deletedEvent.deletedEntity`,
//!   `actionEvent.body.orderPaymentRequest`), as Wix sends it.
//! - Success is a `200` within the delivery timeout (1250 ms by default); any other status, a
//!   connection failure or a timeout is retried after 1 min, 10 min, 1 h, 2 h ×3, 4 h ×3,
//!   8 h ×2 and 12 h (13 attempts in all), each wait divided by
//!   [`WebhookConfig::retry_compression`]. After the last attempt the delivery is given up and
//!   logged as such.
//! - Every attempt runs on its own task: a receiver that fails or is slow never holds up other
//!   deliveries, and events of one request may arrive out of order, as with Wix.
//! - Each attempt is signed again with `iat` = the emulator clock ([`wix_emulator_core::clock::Clock`]),
//!   keeping the event id, `eventTime` and `entityEventSequence`. A receiver checking `iat`/`exp`
//!   must therefore use the emulator's time when the clock has been advanced.
//! - Waits between attempts follow the emulator clock: advancing it releases due retries.
//! - `entityEventSequence` counts 1, 2, 3... per request and site; `instanceId` is the site id
//!   when it is a GUID (see [`WebhookHub::instance_id`]); `identity` is the app unless given
//!   ([`WebhookHub::emit_as`]); `accountInfo.siteId` is the site id when it is a GUID.
//!
//! The signing key is [`WebhookConfig::private_key_pem`], or else a built-in **throwaway key
//! pair for local testing only** (its private half is public in this repository).
//!
//! # Admin endpoints
//!
//! [`admin_router`] serves, under `/_emulator/webhooks`:
//!
//! | method | path | effect |
//! |---|---|---|
//! | `GET` | `/_emulator/webhooks` | settings: subscribers, app id, key id, retry delays (ms), timeout, in-flight count, public key |
//! | `GET` | `/_emulator/webhooks/subscribers` | `{"subscribers": [url, ...]}` |
//! | `POST` | `/_emulator/webhooks/subscribers` | body `{"url": "http://..."}` (or `?url=`): 201 `{"added": true, "subscribers"}`, 200 if already there, 400 for a URL that is not absolute `http(s)` |
//! | `DELETE` | `/_emulator/webhooks/subscribers` | `?url=` (or body `{"url"}`): 204, or 404 if not subscribed |
//! | `GET` | `/_emulator/webhooks/public-key` | the app's public key, PEM, `text/plain` |
//! | `GET` | `/_emulator/webhooks/deliveries` | `{"deliveries": [...]}`, one [`DeliveryRecord`] per attempt, oldest first; filters `?eventId=`, `?entityId=`, `?deliveryId=`, `?url=` |
//! | `DELETE` | `/_emulator/webhooks/deliveries` | empties the log: 204 |
//! | `POST` | `/_emulator/webhooks/deliveries/{deliveryId}/redeliver` | sends that delivery's event again (same event id) to the same URL as a new delivery: 202 `{"deliveryId", "redeliveryOf"}`, 404 if unknown |
//!
//! Errors are `{"message": "..."}`.

mod admin;
mod config;
mod delivery;
mod error;
mod hub;
mod keys;
mod log;

pub use admin::admin_router;
pub use config::{
    WebhookConfig, DEFAULT_APP_ID, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_KEY_ID, DEFAULT_LOG_CAPACITY,
    DEFAULT_MAX_CONCURRENT_REQUESTS, WIX_RETRY_SCHEDULE,
};
pub use error::WebhookSetupError;
pub use hub::{EmittedEvent, WebhookHub};
pub use keys::{public_key_from_private_pem, DEFAULT_PUBLIC_KEY_PEM};
pub use log::{AttemptOutcome, DeliveryRecord};
pub use wix_order_payment_requests::webhooks::{WebhookEventKind, WebhookEventType};
