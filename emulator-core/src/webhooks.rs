//! Webhook deliveries, as Wix sends them to an app, for events of any API.
//!
//! A [`WebhookHub`] plays Wix's side: [`WebhookHub::emit_with`] queues an event (any
//! [`HubEvent`]: a generated client's event payload) for every subscriber, and a background
//! worker POSTs it as an RS256 JWT signed with the app's key by the runtime's
//! [`WebhookSigner`](wix_runtime::webhooks::WebhookSigner), so deliveries verify with the
//! runtime's `WebhookVerifier` given [`WebhookHub::public_key_pem`].
//!
//! # Delivery
//!
//! - Body: the signed JWT, `Content-Type: text/plain; charset=utf-8`. Header `{"alg": "RS256",
//!   "typ": "JWT", "kid"}`; claims `{data, iat, exp}` with `exp = iat + 5 min`, as the event's
//!   [`SignableEvent::claims`] builds them.
//! - Success is a `200` within the delivery timeout (1250 ms by default); any other status, a
//!   connection failure or a timeout is retried after 1 min, 10 min, 1 h, 2 h ×3, 4 h ×3,
//!   8 h ×2 and 12 h (13 attempts in all), each wait divided by
//!   [`WebhookConfig::retry_compression`]. After the last attempt the delivery is given up and
//!   logged as such.
//! - Every attempt runs on its own task: a receiver that fails or is slow never holds up other
//!   deliveries, and events of one entity may arrive out of order, as with Wix.
//! - Each attempt is signed again with `iat` = the emulator clock ([`Clock`](crate::clock::Clock)),
//!   keeping the event id, `eventTime` and `entityEventSequence`. A receiver checking `iat`/`exp`
//!   must therefore use the emulator's time when the clock has been advanced.
//! - Waits between attempts follow the emulator clock: advancing it releases due retries.
//! - [`WebhookHub::next_sequence`] counts `entityEventSequence` 1, 2, 3... per entity and site;
//!   [`WebhookHub::instance_id`] is the site id when it is a GUID.
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

use wix_runtime::webhooks::SignableEvent;

pub use admin::admin_router;
pub use config::{
    WebhookConfig, DEFAULT_APP_ID, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_KEY_ID, DEFAULT_LOG_CAPACITY,
    DEFAULT_MAX_CONCURRENT_REQUESTS, WIX_RETRY_SCHEDULE,
};
pub use error::WebhookSetupError;
pub use hub::{EmittedEvent, EventContext, WebhookHub};
pub use keys::{public_key_from_private_pem, DEFAULT_PUBLIC_KEY_PEM};
pub use log::{AttemptOutcome, DeliveryRecord};

/// An event a [`WebhookHub`] delivers: signable, and shared with the delivery tasks.
pub trait HubEvent: SignableEvent + std::fmt::Debug + Send + Sync + 'static {}

impl<E: SignableEvent + std::fmt::Debug + Send + Sync + 'static> HubEvent for E {}
