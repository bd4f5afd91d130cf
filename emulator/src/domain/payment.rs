//! Paying a payment request: shared by the payment page and settled charges.

use rust_decimal::Decimal;
use wix_order_payment_requests::webhooks::WebhookEventType;

use crate::domain::events::Actor;
use crate::domain::record::Record;
use crate::state::AppState;

/// Marks an `UNPAID` record `PAID` (its tenant must be locked by the caller), takes the amount
/// off its order's balance, starts a subscription order's subscription, and announces
/// `updated` and `paid` as made by `payer` (the app for a charge through the API, a visitor on
/// the payment page).
pub fn mark_paid(state: &AppState, site: &str, record: &mut Record, now_ms: i64, payer: Actor) {
    record.pay(now_ms);
    let amount = record.amount.value();
    state.orders.update(record.order_index, |order| {
        order.balance = (order.balance - amount).max(Decimal::ZERO);
        if order.subscription {
            order.subscription_started = true;
        }
    });
    state.events.emit_action(
        site,
        WebhookEventType::WixEcomV1OrderPaymentRequestPaid,
        record,
        payer,
    );
}
