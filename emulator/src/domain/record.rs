//! The compact form in which the store keeps one payment request, and its conversion to and
//! from the generated wire type.
//!
//! The store must hold a million payment requests, so a record keeps times as milliseconds,
//! the status as one byte, the amount as a `Decimal`, and rarely-set parts (source, image,
//! extended fields, used charge tokens) behind one optional box.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use wix_order_payment_requests::types;
use wix_order_payment_requests::{Amount, PaymentMethod, Status};

use crate::domain::orders::Order;
use wix_emulator_core::api_error::ApiError;

/// The four statuses of the documented lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    /// Created, not paid yet.
    Unpaid,
    /// Paid through the payment page or a charge.
    Paid,
    /// Its `expirationDate` passed before it was paid.
    Expired,
    /// Voided; can no longer be paid.
    Voided,
}

impl Lifecycle {
    /// Every status, in the lifecycle's order.
    pub const ALL: [Self; 4] = [Self::Unpaid, Self::Paid, Self::Expired, Self::Voided];

    /// The status with this wire name ([`Lifecycle::as_str`]), if any.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The wire enum.
    pub fn to_status(self) -> Status {
        match self {
            Self::Unpaid => Status::Unpaid,
            Self::Paid => Status::Paid,
            Self::Expired => Status::Expired,
            Self::Voided => Status::Voided,
        }
    }

    /// The wire name, e.g. `UNPAID`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unpaid => "UNPAID",
            Self::Paid => "PAID",
            Self::Expired => "EXPIRED",
            Self::Voided => "VOIDED",
        }
    }
}

/// Parts of a payment request that most requests do not set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// Who created it (`source.appId`, `source.externalId`).
    pub source: Option<types::Source>,
    /// Image shown on the payment page.
    pub image: Option<types::Image>,
    /// Extended fields by namespace.
    pub extended_fields: Option<types::ExtendedFields>,
    /// Charge tokens already used (one attempt per token).
    pub used_tokens: Vec<Box<str>>,
}

/// One stored payment request.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Payment request GUID.
    pub id: Uuid,
    /// Order GUID.
    pub order_id: Uuid,
    /// Index of the order in the order book.
    pub order_index: u32,
    /// Lifecycle status.
    pub status: Lifecycle,
    /// Whether `MANUAL` is blocked.
    pub blocked_manual: bool,
    /// Whether a charge attempt is in progress.
    pub charging: bool,
    /// ISO-4217 currency, copied from the order.
    pub currency: [u8; 3],
    /// Amount, with the scale the caller sent (`15.50` stays `15.50`).
    pub amount: Amount,
    /// Creation time, milliseconds since the epoch.
    pub created_ms: i64,
    /// Last update time, milliseconds since the epoch.
    pub updated_ms: i64,
    /// Expiration time, milliseconds since the epoch.
    pub expiration_ms: MaybeMillis,
    /// Payment gateway order id (a GUID in the emulator).
    pub payment_gateway_order_id: Uuid,
    /// Order number, copied from the order.
    pub order_number: Box<str>,
    /// Title shown on the payment page.
    pub title: types::PaymentRequestTitle,
    /// Description shown on the payment page.
    pub description: Option<Box<str>>,
    /// Rarely-set parts.
    pub extras: Option<Box<Extras>>,
    /// `entityEventSequence` of the last event announced about it (0: none yet).
    pub event_sequence: u32,
}

/// A title as the stored entity holds it; one the entity's schema refuses is a `400` naming
/// `orderPaymentRequest.title`.
pub fn stored_title(title: &str) -> Result<types::PaymentRequestTitle, ApiError> {
    title.parse().map_err(|e| {
        ApiError::invalid(
            "orderPaymentRequest.title",
            "FORMAT",
            format!("is not a valid title: {e}"),
        )
    })
}

/// A time in milliseconds since the epoch, or none, in eight bytes where an `Option<i64>`
/// takes sixteen (a record is kept a million times over): `i64::MIN` milliseconds, some 292
/// million years before the epoch and far outside what a `DateTime<Utc>` can hold, stands for none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaybeMillis(i64);

impl MaybeMillis {
    const NONE: i64 = i64::MIN;

    /// The time `ms` (from [`to_ms`]), or none.
    pub fn new(ms: Option<i64>) -> Self {
        Self(ms.unwrap_or(Self::NONE))
    }

    /// The time, if there is one.
    pub fn get(self) -> Option<i64> {
        (self.0 != Self::NONE).then_some(self.0)
    }
}

/// Milliseconds since the epoch of a time.
pub fn to_ms(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// The time of milliseconds since the epoch.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// The amount as shown to customers, e.g. `$15.50`, `€20.00`, `ILS 120.00`.
pub fn format_amount(currency: &str, amount: Decimal) -> String {
    let symbol = match currency {
        "USD" | "CAD" | "AUD" | "NZD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "ILS" => "₪",
        _ => return format!("{currency} {amount}"),
    };
    format!("{symbol}{amount}")
}

impl Record {
    /// A new `UNPAID` record from a checked create input; a title the entity's schema refuses
    /// is a `400`.
    pub fn create(
        input: &types::NewOrderPaymentRequest,
        order_index: u32,
        order: &Order,
        amount: Amount,
        now: DateTime<Utc>,
    ) -> Result<Self, ApiError> {
        let now_ms = to_ms(now);
        let extras = Extras {
            source: input.source.clone(),
            image: input.image.clone(),
            extended_fields: input.extended_fields.clone(),
            used_tokens: Vec::new(),
        };
        let mut record = Self {
            id: Uuid::new_v4(),
            order_id: order.id,
            order_index,
            status: Lifecycle::Unpaid,
            blocked_manual: input
                .blocked_payment_methods
                .contains(&PaymentMethod::Manual),
            charging: false,
            currency: currency_bytes(&order.currency),
            amount,
            created_ms: now_ms,
            updated_ms: now_ms,
            expiration_ms: MaybeMillis::new(input.expiration_date.map(to_ms)),
            payment_gateway_order_id: Uuid::new_v4(),
            order_number: order.number.as_str().into(),
            title: stored_title(input.title.as_str())?,
            description: input.description.as_ref().map(|d| d.as_str().into()),
            extras: None,
            event_sequence: 0,
        };
        record.set_extras(extras);
        if record.expiration_ms.get().is_some_and(|e| e <= now_ms) {
            record.status = Lifecycle::Expired;
        }
        Ok(record)
    }

    /// Stamps `updatedDate` with `now_ms` (never moving it back).
    pub fn touch(&mut self, now_ms: i64) {
        self.updated_ms = now_ms.max(self.updated_ms);
    }

    /// Ends the request in `status` at `now_ms`: no charge is in progress any more, and
    /// `updatedDate` is stamped. The lifecycle rules (`crate::domain::lifecycle`) decide whether it may.
    fn settle(&mut self, status: Lifecycle, now_ms: i64) {
        self.status = status;
        self.charging = false;
        self.touch(now_ms);
    }

    /// The request is voided at `now_ms`.
    pub fn void(&mut self, now_ms: i64) {
        self.settle(Lifecycle::Voided, now_ms);
    }

    /// The request is paid at `now_ms`.
    pub fn pay(&mut self, now_ms: i64) {
        self.settle(Lifecycle::Paid, now_ms);
    }

    /// The request expired at `now_ms`.
    pub fn expire(&mut self, now_ms: i64) {
        self.settle(Lifecycle::Expired, now_ms);
    }

    /// The currency code.
    pub fn currency(&self) -> &str {
        std::str::from_utf8(&self.currency).unwrap_or("USD")
    }

    /// Changes the rarely-set parts in place (empty ones if it has none yet), keeping no box
    /// when all end up empty.
    pub fn edit_extras(&mut self, edit: impl FnOnce(&mut Extras)) {
        let mut extras = self.extras.take().map(|b| *b).unwrap_or_default();
        edit(&mut extras);
        self.set_extras(extras);
    }

    /// Who created it, if known.
    pub fn source(&self) -> Option<&types::Source> {
        self.extras.as_deref().and_then(|e| e.source.as_ref())
    }

    /// Replaces the rarely-set parts, keeping no box when all are empty.
    pub fn set_extras(&mut self, extras: Extras) {
        self.extras = (extras != Extras::default()).then(|| Box::new(extras));
    }

    /// The `entityEventSequence` of its next event (1 for the first).
    pub fn next_event_sequence(&mut self) -> u64 {
        self.event_sequence = self.event_sequence.saturating_add(1);
        u64::from(self.event_sequence)
    }

    /// Whether it is `UNPAID` with an expiration date at or before `now_ms`.
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.status == Lifecycle::Unpaid && self.expiration_ms.get().is_some_and(|e| e <= now_ms)
    }

    /// The amount as shown to customers.
    pub fn formatted_amount(&self) -> String {
        format_amount(self.currency(), self.amount.value())
    }

    /// The wire form, built from the generated types.
    pub fn to_wire(&self) -> types::OrderPaymentRequest {
        let extras = self.extras.as_deref();
        types::OrderPaymentRequest {
            id: self.id,
            order_id: self.order_id,
            status: self.status.to_status(),
            amount: types::Price {
                amount: self.amount,
                formatted_amount: self.formatted_amount(),
            },
            currency: self.currency().to_string(),
            order_number: self.order_number.as_ref().try_into().ok(),
            payment_gateway_order_id: self.payment_gateway_order_id.to_string().try_into().ok(),
            title: self.title.clone(),
            description: self.description.as_deref().and_then(|d| d.try_into().ok()),
            expiration_date: self.expiration_ms.get().map(from_ms),
            created_date: from_ms(self.created_ms),
            updated_date: from_ms(self.updated_ms),
            blocked_payment_methods: if self.blocked_manual {
                vec![PaymentMethod::Manual]
            } else {
                Vec::new()
            },
            source: extras.and_then(|e| e.source.clone()),
            image: extras.and_then(|e| e.image.clone()),
            extended_fields: extras.and_then(|e| e.extended_fields.clone()),
        }
    }
}

fn currency_bytes(code: &str) -> [u8; 3] {
    let mut out = *b"USD";
    if code.len() == 3 {
        out.copy_from_slice(code.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::orders::fixture_orders;

    #[test]
    fn round_trips_through_the_wire_type() {
        let order = fixture_orders().remove(0);
        let input: types::NewOrderPaymentRequest = serde_json::from_value(serde_json::json!({
            "orderId": order.id, "title": "Balance", "amount": {"amount": "15.50"},
            "source": {"externalId": "ext-1"}, "blockedPaymentMethods": ["MANUAL"],
        }))
        .unwrap();
        let now = Utc::now();
        let record = Record::create(&input, 0, &order, "15.50".parse().unwrap(), now).unwrap();
        let wire = serde_json::to_value(record.to_wire()).unwrap();
        assert_eq!(wire["amount"]["amount"], "15.50");
        assert_eq!(wire["amount"]["formattedAmount"], "$15.50");
        assert_eq!(wire["orderNumber"], "10052");
        assert_eq!(wire["currency"], "USD");
        assert_eq!(wire["status"], "UNPAID");
        assert_eq!(wire["source"]["externalId"], "ext-1");
        assert_eq!(wire["blockedPaymentMethods"][0], "MANUAL");
        assert!(record.extras.is_some());
    }

    #[test]
    fn lifecycle_transitions_end_a_charge_and_stamp_updated_date_never_backwards() {
        let order = fixture_orders().remove(0);
        let input = types::NewOrderPaymentRequest::new(
            order.id,
            "1".parse().unwrap(),
            "t".parse().unwrap(),
        );
        let now = Utc::now();
        let fresh = || {
            let mut record = Record::create(&input, 0, &order, "1".parse().unwrap(), now).unwrap();
            record.charging = true;
            record
        };
        let created_ms = fresh().updated_ms;
        type Transition = fn(&mut Record, i64);
        let transitions: [(Transition, Lifecycle); 3] = [
            (Record::void, Lifecycle::Voided),
            (Record::pay, Lifecycle::Paid),
            (Record::expire, Lifecycle::Expired),
        ];
        for (transition, status) in transitions {
            let mut record = fresh();
            transition(&mut record, created_ms + 5_000);
            assert_eq!(record.status, status);
            assert!(!record.charging, "{status:?} ends a charge in progress");
            assert_eq!(record.updated_ms, created_ms + 5_000);
            // A clock behind the stored date does not move it back.
            let mut record = fresh();
            transition(&mut record, created_ms - 1);
            assert_eq!(record.updated_ms, created_ms);
        }
    }

    #[test]
    fn a_maybe_time_keeps_every_time_a_date_can_hold() {
        for time in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            from_ms(0),
            Utc::now(),
        ] {
            let ms = to_ms(time);
            assert_eq!(MaybeMillis::new(Some(ms)).get(), Some(ms), "{time}");
        }
        assert_eq!(MaybeMillis::new(None).get(), None);
        assert_eq!(std::mem::size_of::<MaybeMillis>(), 8);
    }

    #[test]
    fn past_expiration_creates_expired() {
        let order = fixture_orders().remove(0);
        let input: types::NewOrderPaymentRequest = serde_json::from_value(serde_json::json!({
            "orderId": order.id, "title": "t", "amount": {"amount": "1"},
            "expirationDate": "2001-01-01T00:00:00Z",
        }))
        .unwrap();
        let record = Record::create(&input, 0, &order, "1".parse().unwrap(), Utc::now()).unwrap();
        assert_eq!(record.status, Lifecycle::Expired);
        assert!(record.extras.is_none());
    }
}
