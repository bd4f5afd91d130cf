//! Webhook deliveries, as Wix sends them to an app.
//!
//! A [`WebhookHub`] (the platform core's hub, [`wix_emulator_core::webhooks`], for this API's
//! events) plays Wix's side: [`EmitEvents::emit`] builds an event about an order payment
//! request, and a background worker POSTs it to every subscriber as an RS256 JWT signed with
//! the app's key, nested exactly as Wix nests it. The format is not re-implemented here: the
//! payload is the client crate's
//! [`EventPayload`], signed by the runtime's
//! [`WebhookSigner`](wix_order_payment_requests::webhooks::WebhookSigner), so deliveries verify
//! with the client's [`WebhookVerifier`](wix_order_payment_requests::webhooks::WebhookVerifier)
//! given [`WebhookHub::public_key_pem`]. Delivery, retries, the log and the admin routes are
//! described in [`wix_emulator_core::webhooks`].
//!
//! ```no_run
//! # async fn demo() {
//! use wix_opr_emulator::Clock;
//! use wix_opr_emulator::webhooks::{EmitEvents as _, WebhookConfig, WebhookHub};
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
//! Events carry what Wix's carry: `entityEventSequence` counts 1, 2, 3... per request and
//! site; `instanceId` is the site id when it is a GUID (see [`WebhookHub::instance_id`]);
//! `identity` is the app unless given ([`EmitEvents::emit_as`]); `accountInfo.siteId` is the
//! site id when it is a GUID.
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::EventPayload;
use wix_order_payment_requests::WebhookIdentityType;

pub use wix_emulator_core::webhooks::{
    admin_router, public_key_from_private_pem, AttemptOutcome, DeliveryRecord, EmittedEvent,
    EventContext, WebhookConfig, WebhookSetupError, DEFAULT_APP_ID, DEFAULT_DELIVERY_TIMEOUT,
    DEFAULT_KEY_ID, DEFAULT_LOG_CAPACITY, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_PUBLIC_KEY_PEM,
    WIX_RETRY_SCHEDULE,
};
pub use wix_order_payment_requests::webhooks::{WebhookEventKind, WebhookEventType};

/// The emulator's webhook sender, for this API's events.
pub type WebhookHub = wix_emulator_core::webhooks::WebhookHub<EventPayload>;

/// Emitting this API's events on a [`WebhookHub`]: each builds the client's [`EventPayload`]
/// about an order payment request, as Wix nests it.
pub trait EmitEvents {
    /// Queues an event about `opr` for every subscriber and returns at once. The event's
    /// identity is the app (`{identityType: APP, appId}`); see [`EmitEvents::emit_as`].
    ///
    /// `entityEventSequence` increases by one per event of the same request on the same site,
    /// starting at 1; `eventTime` and each attempt's `iat` come from the emulator clock.
    fn emit(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
    ) -> EmittedEvent;

    /// The identity of events the app triggers: `{identityType: APP, appId}`.
    fn app_identity(&self) -> types::IdentificationData;

    /// Like [`EmitEvents::emit`], with `identity` as who triggered the event (e.g. an anonymous
    /// visitor paying on the payment page).
    fn emit_as(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
    ) -> EmittedEvent;

    /// Like [`EmitEvents::emit_as`], with the `entityEventSequence` given by the caller (the
    /// emulator keeps it on each payment request, so the hub holds no counter per request).
    /// With no subscriber nothing is built or queued.
    fn emit_numbered(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
        sequence: u64,
    ) -> EmittedEvent;
}

impl EmitEvents for WebhookHub {
    fn emit(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
    ) -> EmittedEvent {
        self.emit_as(site_id, event_type, opr, self.app_identity())
    }

    fn app_identity(&self) -> types::IdentificationData {
        types::IdentificationData {
            identity_type: Some(WebhookIdentityType::App),
            app_id: Some(self.config().app_id),
            ..Default::default()
        }
    }

    fn emit_as(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
    ) -> EmittedEvent {
        let sequence = self.next_sequence(site_id, Some(&opr.id.to_string()));
        self.emit_numbered(site_id, event_type, opr, identity, sequence)
    }

    fn emit_numbered(
        &self,
        site_id: &str,
        event_type: WebhookEventType,
        opr: &types::OrderPaymentRequest,
        identity: types::IdentificationData,
        sequence: u64,
    ) -> EmittedEvent {
        let entity_id = Some(opr.id.to_string());
        self.emit_with(site_id, entity_id, sequence, |context| {
            EventPayload::new(event_type, opr.clone())
                .with_event_time(context.event_time)
                .with_sequence(sequence)
                .with_instance_id(context.instance_id)
                .with_identity(identity)
                .with_account_info(types::AccountInfo {
                    site_id: site_id.parse().ok(),
                    ..Default::default()
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_emulator_core::clock::Clock;

    fn request() -> types::OrderPaymentRequest {
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::new_v4(), "orderId": uuid::Uuid::nil(), "title": "t", "status": "UNPAID",
            "amount": {"amount": "1", "formattedAmount": "$1"}, "currency": "USD",
            "createdDate": "2026-01-01T00:00:00Z", "updatedDate": "2026-01-01T00:00:00Z",
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn sequences_count_per_site_and_request() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let (a, b) = (request(), request());
        let paid = WebhookEventType::WixEcomV1OrderPaymentRequestPaid;
        let seq =
            |site: &str, r: &types::OrderPaymentRequest| hub.emit(site, paid.clone(), r).sequence;
        assert_eq!(seq("s1", &a), 1);
        assert_eq!(seq("s1", &a), 2);
        assert_eq!(seq("s1", &b), 1);
        assert_eq!(seq("s2", &a), 1);
        assert_eq!(seq("s1", &a), 3);
        let emitted = hub.emit("s1", paid, &b);
        assert_eq!(
            (emitted.sequence, emitted.entity_id),
            (2, Some(b.id.to_string()))
        );
        // Without subscribers nothing is queued.
        assert!(emitted.delivery_ids.is_empty());
    }

    #[tokio::test]
    async fn events_are_the_apps_unless_told() {
        let hub = WebhookHub::try_new(WebhookConfig::default(), Clock::default()).unwrap();
        let identity = hub.app_identity();
        assert_eq!(identity.identity_type, Some(WebhookIdentityType::App));
        assert_eq!(identity.app_id, Some(DEFAULT_APP_ID));
    }
}
