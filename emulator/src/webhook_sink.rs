//! Webhook delivery hears every state change, with who made it as the event's `identity`.

use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;
use wix_order_payment_requests::WebhookIdentityType;

use crate::events::{Actor, EventSink};
use crate::webhooks::WebhookHub;

/// The envelope's `identity` for a change made by a site visitor.
fn visitor_identity(visitor: uuid::Uuid) -> types::IdentificationData {
    types::IdentificationData {
        identity_type: Some(WebhookIdentityType::AnonymousVisitor),
        anonymous_visitor_id: Some(visitor),
        ..Default::default()
    }
}

impl EventSink for WebhookHub {
    fn emit(
        &self,
        site: &str,
        event: &WebhookEventType,
        opr: &types::OrderPaymentRequest,
        actor: Actor,
    ) {
        let event = event.clone();
        let _ = match actor {
            Actor::App => WebhookHub::emit(self, site, event, opr),
            Actor::Visitor(visitor) => {
                WebhookHub::emit_as(self, site, event, opr, visitor_identity(visitor))
            }
        };
    }
}
