//! The state shared by every handler of one emulator.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wix_order_payment_requests::webhooks::WebhookEventType;

use crate::domain::events::{Actor, Events};
use crate::domain::orders::OrderBook;
use crate::domain::record::to_ms;
use crate::domain::store::Store;
use wix_emulator_core::clock::{Clock, PastTheLatestTime};
use wix_emulator_core::limits::Limits;
use wix_emulator_core::tokens::TokenBook;

/// Switches that make create fail as it does on a site that is not ready.
#[derive(Debug, Default)]
pub struct Switches {
    /// Create answers `ORDER_PAYMENT_REQUEST_PAGE_NOT_FOUND` (and Get URL too).
    pub page_not_found: AtomicBool,
    /// Create answers `SITE_NOT_PUBLISHED`.
    pub site_not_published: AtomicBool,
}

impl Switches {
    /// Whether the payment request page is missing.
    pub fn page_missing(&self) -> bool {
        self.page_not_found.load(Ordering::SeqCst)
    }

    /// Whether the site is unpublished.
    pub fn unpublished(&self) -> bool {
        self.site_not_published.load(Ordering::SeqCst)
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// The payment requests.
    pub store: Store,
    /// The orders.
    pub orders: OrderBook,
    /// The emulator's clock.
    pub clock: Clock,
    /// Sinks of state-change events.
    pub events: Events,
    /// Site switches.
    pub switches: Switches,
    /// When set, only these API keys are accepted.
    pub api_keys: Option<HashSet<String>>,
    /// How long after an accepted charge the request becomes `PAID`.
    pub charge_settle: Duration,
    /// The public base URL (known once the listener is bound).
    pub base_url: OnceLock<String>,
    /// The OAuth access tokens issued.
    pub tokens: TokenBook,
    /// Time and size bounds.
    pub limits: Limits,
}

/// The state as handlers hold it.
pub type Shared = Arc<AppState>;

impl AppState {
    /// The base URL payment-page links start with.
    pub fn base_url(&self) -> &str {
        self.base_url
            .get()
            .map(String::as_str)
            .unwrap_or("http://127.0.0.1")
    }

    /// The URL of a payment request's page.
    pub fn page_url(&self, id: uuid::Uuid) -> String {
        format!("{}/_emulator/pay/{id}", self.base_url())
    }

    /// Moves the emulator's clock forward (stopping at [`wix_emulator_core::clock::latest`]) and expires,
    /// at once, what became due.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.clock.advance(by);
        self.sweep();
    }

    /// Like [`AppState::advance_clock`], but refuses (and leaves the clock) when the advance
    /// would pass [`wix_emulator_core::clock::latest`].
    pub fn try_advance_clock(&self, by: chrono::Duration) -> Result<(), PastTheLatestTime> {
        self.clock.try_advance(by)?;
        self.sweep();
        Ok(())
    }

    /// Expires every request that is due at the emulator's current time, announcing each.
    /// Runs before every API call (the check on read) and on a timer (the sweep).
    pub fn sweep(&self) {
        let now = to_ms(self.clock.now());
        self.store.expire_due(now, |site, record| {
            self.events.emit_action(
                site,
                WebhookEventType::WixEcomV1OrderPaymentRequestExpired,
                record,
                Actor::App,
            );
        });
    }
}
