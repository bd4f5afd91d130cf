//! The orders payment requests are created for: seeded from `fixtures/orders.json`, visible to
//! every site, and addable through the admin API.

use std::collections::HashMap;
use std::sync::RwLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One order known to the emulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Order GUID.
    pub id: Uuid,
    /// Order number shown to customers, e.g. `10052`.
    pub number: String,
    /// ISO-4217 currency of the order.
    pub currency: String,
    /// Order total (`priceSummary.total`).
    pub total: Decimal,
    /// What is left to pay (`balanceSummary.balance`).
    pub balance: Decimal,
    /// Order status: `INITIALIZED`, `APPROVED`, `CANCELED`, `PENDING` or `REJECTED`.
    pub status: String,
    /// Whether the order holds a subscription (stricter create rules).
    #[serde(default)]
    pub subscription: bool,
    /// Whether a payment request of this subscription order was already paid, so the
    /// subscription has started (`SUBSCRIPTION_ALREADY_STARTED`).
    #[serde(default)]
    pub subscription_started: bool,
}

/// The order statuses Wix documents.
pub const ORDER_STATUSES: [&str; 5] =
    ["INITIALIZED", "APPROVED", "CANCELED", "PENDING", "REJECTED"];

impl Order {
    /// Checks an order given to the admin API.
    pub fn check(&self) -> Result<(), String> {
        if self.number.trim().is_empty() || self.number.chars().count() > 100 {
            return Err("number must hold 1 to 100 characters".into());
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err("currency must be an ISO-4217 code such as USD".into());
        }
        if self.total < Decimal::ZERO || self.balance < Decimal::ZERO {
            return Err("total and balance must not be negative".into());
        }
        if !ORDER_STATUSES.contains(&self.status.as_str()) {
            return Err(format!(
                "status must be one of {}",
                ORDER_STATUSES.join(", ")
            ));
        }
        Ok(())
    }
}

/// The orders of the fixture file shipped with the emulator.
pub fn fixture_orders() -> Vec<Order> {
    serde_json::from_str(include_str!("../../fixtures/orders.json"))
        .expect("fixtures/orders.json holds valid orders (checked by a test)")
}

/// All orders, shared by every site. Payment requests refer to an order by a small index.
#[derive(Debug, Default)]
pub struct OrderBook {
    inner: RwLock<Book>,
}

#[derive(Debug, Default)]
struct Book {
    orders: Vec<Order>,
    by_id: HashMap<Uuid, u32>,
}

impl OrderBook {
    /// A book holding the given orders.
    pub fn new(orders: impl IntoIterator<Item = Order>) -> Self {
        let book = Self::default();
        for order in orders {
            book.upsert(order);
        }
        book
    }

    /// Adds an order, or replaces the one with the same id; returns its index.
    pub fn upsert(&self, order: Order) -> u32 {
        let mut book = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(&index) = book.by_id.get(&order.id) {
            book.orders[index as usize] = order;
            return index;
        }
        let index = u32::try_from(book.orders.len()).unwrap_or(u32::MAX);
        book.by_id.insert(order.id, index);
        book.orders.push(order);
        index
    }

    /// The index and a copy of the order with this id.
    pub fn find(&self, id: Uuid) -> Option<(u32, Order)> {
        let book = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let index = *book.by_id.get(&id)?;
        Some((index, book.orders[index as usize].clone()))
    }

    /// Runs `f` on the order at `index`.
    pub fn with<T>(&self, index: u32, f: impl FnOnce(&Order) -> T) -> Option<T> {
        let book = self.inner.read().unwrap_or_else(|e| e.into_inner());
        book.orders.get(index as usize).map(f)
    }

    /// Changes the order at `index` (for example its balance once a request is paid).
    pub fn update(&self, index: u32, f: impl FnOnce(&mut Order)) {
        let mut book = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(order) = book.orders.get_mut(index as usize) {
            f(order);
        }
    }

    /// A copy of every order.
    pub fn all(&self) -> Vec<Order> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .orders
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_holds_the_docs_order() {
        let orders = fixture_orders();
        let docs = orders
            .iter()
            .find(|o| o.id.to_string() == "a931e280-254a-49a7-9641-22ef64c444ae")
            .expect("docs order");
        assert_eq!(docs.number, "10052");
        assert_eq!(docs.currency, "USD");
        assert!(docs.balance > Decimal::ZERO);
        for o in &orders {
            o.check().unwrap();
        }
    }

    #[test]
    fn upsert_replaces_by_id() {
        let mut order = fixture_orders().remove(0);
        let book = OrderBook::new([order.clone()]);
        order.number = "999".into();
        assert_eq!(book.upsert(order.clone()), 0);
        assert_eq!(book.find(order.id).unwrap().1.number, "999");
        assert_eq!(book.all().len(), 1);
    }
}
