//! Webhook delivery hears every state change.

use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;

use crate::events::EventSink;
use crate::webhooks::WebhookHub;

impl EventSink for WebhookHub {
    fn emit(&self, site: &str, event: &WebhookEventType, opr: &types::OrderPaymentRequest) {
        let _ = WebhookHub::emit(self, site, event.clone(), opr);
    }
}
