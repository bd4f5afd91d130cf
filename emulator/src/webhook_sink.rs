//! Webhook delivery hears every state change, with who made it as the event's `identity`.

use wix_order_payment_requests::types;
use wix_order_payment_requests::WebhookIdentityType;

use crate::domain::events::{Actor, Announcement, EventSink};
use crate::webhooks::{EmitEvents as _, WebhookHub};

/// The envelope's `identity` for a change made by a site visitor.
fn visitor_identity(visitor: uuid::Uuid) -> types::IdentificationData {
    types::IdentificationData {
        identity_type: Some(WebhookIdentityType::AnonymousVisitor),
        anonymous_visitor_id: Some(visitor),
        ..Default::default()
    }
}

impl EventSink for WebhookHub {
    fn emit(&self, a: &Announcement<'_>) {
        let identity = match a.actor {
            Actor::App => self.app_identity(),
            Actor::Visitor(visitor) => visitor_identity(visitor),
        };
        let _ = self.emit_numbered(a.site, a.event.clone(), a.opr, identity, a.sequence);
    }
}
