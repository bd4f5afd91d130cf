//! Where payment requests live: one map per site (tenant), each behind its own lock, plus a
//! heap of expiration times so expiry costs nothing until one is due.
//!
//! Every state change of a payment request happens while its tenant's write lock is held, so
//! transitions are atomic: two concurrent voids, pays or updates of one request are applied
//! one after the other, each seeing the other's result. Each tenant also keeps ordered indexes
//! ([`Records`]) that the query planner uses; they change under the same lock.

mod index;
mod records;
mod rendered;

#[cfg(test)]
mod tests_index;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use uuid::Uuid;

use crate::domain::record::{Lifecycle, Record};

pub use records::{Records, TenantWrite};
pub use rendered::RenderedText;

/// The payment requests of one site.
#[derive(Debug, Default)]
pub struct Tenant {
    records: RwLock<Records>,
}

impl Tenant {
    /// Shared access for reads and queries.
    pub fn read(&self) -> RwLockReadGuard<'_, Records> {
        self.records.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Exclusive access for a state change; the indexes follow the changes when it is dropped.
    pub fn write(&self) -> TenantWrite<'_> {
        TenantWrite {
            guard: self.records.write().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// The store is at its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreFull {
    /// The capacity.
    pub capacity: usize,
}

type Due = Reverse<(i64, Uuid, Arc<str>)>;

/// The expirations to come, earliest first, and the site names they refer to (one shared
/// copy of each name, however many requests of the site wait).
#[derive(Debug, Default)]
struct Expiries {
    due: BinaryHeap<Due>,
    sites: HashSet<Arc<str>>,
}

impl Expiries {
    /// Schedules the expiry of request `id` of `site` at `at_ms`.
    fn push(&mut self, at_ms: i64, id: Uuid, site: &str) {
        let site = match self.sites.get(site) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Arc<str> = Arc::from(site);
                self.sites.insert(Arc::clone(&shared));
                shared
            }
        };
        self.due.push(Reverse((at_ms, id, site)));
    }
}

/// All payment requests of all sites.
#[derive(Debug)]
pub struct Store {
    tenants: RwLock<HashMap<Arc<str>, Arc<Tenant>>>,
    /// What [`Store::lookup`] gives for a site that has stored nothing; never written to.
    empty: Arc<Tenant>,
    expiries: Mutex<Expiries>,
    len: AtomicUsize,
    capacity: usize,
}

impl Store {
    /// An empty store holding at most `capacity` payment requests.
    pub fn new(capacity: usize) -> Self {
        Self {
            tenants: RwLock::default(),
            empty: Arc::default(),
            expiries: Mutex::default(),
            len: AtomicUsize::new(0),
            capacity,
        }
    }

    /// The most payment requests the store holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many payment requests the store holds.
    pub fn len(&self) -> usize {
        self.len.load(Ordering::SeqCst)
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The site's tenant, created on first use (by a create).
    pub fn tenant(&self, site: &str) -> Arc<Tenant> {
        if let Some(t) = self.existing_tenant(site) {
            return t;
        }
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        tenants.entry(Arc::from(site)).or_default().clone()
    }

    /// The site's tenant for a read or a change of existing requests: an empty one, not kept,
    /// when the site has stored nothing (so calls with ever-new site ids cost no memory).
    pub fn lookup(&self, site: &str) -> Arc<Tenant> {
        self.existing_tenant(site)
            .unwrap_or_else(|| Arc::clone(&self.empty))
    }

    /// The site's tenant if it has ever stored anything.
    pub fn existing_tenant(&self, site: &str) -> Option<Arc<Tenant>> {
        let tenants = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        tenants.get(site).cloned()
    }

    /// The site holding the payment request with this id (payment pages carry no site).
    pub fn owner_of(&self, id: Uuid) -> Option<(Arc<str>, Arc<Tenant>)> {
        let tenants = self.tenants.read().unwrap_or_else(|e| e.into_inner());
        tenants
            .iter()
            .find(|(_, t)| t.read().contains_key(&id))
            .map(|(site, t)| (site.clone(), t.clone()))
    }

    /// Reserves room for `n` new payment requests, or says the store is full.
    pub fn reserve(&self, n: usize) -> Result<(), StoreFull> {
        let capacity = self.capacity;
        self.len
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |len| {
                len.checked_add(n).filter(|&total| total <= capacity)
            })
            .map(|_| ())
            .map_err(|_| StoreFull { capacity })
    }

    /// Gives back room reserved and not used, or freed by a delete.
    pub fn release(&self, n: usize) {
        let _ = self
            .len
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |len| {
                Some(len.saturating_sub(n))
            });
    }

    /// Inserts a record into a locked tenant (room must have been reserved) and schedules its
    /// expiry.
    pub fn insert_locked(&self, site: &str, map: &mut Records, record: Record) {
        if record.status == Lifecycle::Unpaid {
            if let Some(at) = record.expiration_ms.get() {
                let mut expiries = self.expiries.lock().unwrap_or_else(|e| e.into_inner());
                expiries.push(at, record.id, site);
            }
        }
        map.insert(record);
    }

    /// Expires every `UNPAID` request whose expiration is at or before `now_ms`, calling
    /// `on_expired(site, record)` for each while its tenant is locked.
    pub fn expire_due(&self, now_ms: i64, mut on_expired: impl FnMut(&str, &mut Record)) {
        loop {
            let next = {
                let mut expiries = self.expiries.lock().unwrap_or_else(|e| e.into_inner());
                match expiries.due.peek() {
                    Some(Reverse((at, _, _))) if *at <= now_ms => expiries.due.pop(),
                    _ => None,
                }
            };
            let Some(Reverse((_, id, site))) = next else {
                return;
            };
            let Some(tenant) = self.existing_tenant(&site) else {
                continue;
            };
            let mut map = tenant.write();
            if let Some(record) = map.get_mut(&id) {
                if record.is_due(now_ms) {
                    record.expire(now_ms);
                    on_expired(&site, record);
                }
            }
        }
    }

    /// How many payment requests wait for their expiration.
    pub fn pending_expiries(&self) -> usize {
        self.expiries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .due
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::orders::fixture_orders;
    use chrono::Utc;
    use wix_order_payment_requests::types;

    fn record(expiration: Option<&str>) -> Record {
        let order = fixture_orders().remove(0);
        let mut input =
            serde_json::json!({"orderId": order.id, "title": "t", "amount": {"amount": "1"}});
        if let Some(e) = expiration {
            input["expirationDate"] = e.into();
        }
        let input: types::NewOrderPaymentRequest = serde_json::from_value(input).unwrap();
        Record::create(&input, 0, &order, "1".parse().unwrap(), Utc::now()).unwrap()
    }

    #[test]
    fn capacity_is_enforced_and_released() {
        let store = Store::new(2);
        store.reserve(2).unwrap();
        assert_eq!(store.reserve(1), Err(StoreFull { capacity: 2 }));
        store.release(1);
        store.reserve(1).unwrap();
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn expiry_fires_once_when_due() {
        let store = Store::new(10);
        let tenant = store.tenant("site");
        let r = record(Some("2999-01-01T00:00:00Z"));
        let at = r.expiration_ms.get().unwrap();
        let id = r.id;
        store.reserve(1).unwrap();
        store.insert_locked("site", &mut tenant.write(), r);
        let mut fired = Vec::new();
        store.expire_due(at - 1, |_, r| fired.push(r.id));
        assert!(fired.is_empty());
        store.expire_due(at, |s, r| {
            fired.push((s == "site").then_some(r.id).unwrap())
        });
        store.expire_due(at + 1, |_, r| fired.push(r.id));
        assert_eq!(fired, vec![id]);
        assert_eq!(tenant.read()[&id].status, Lifecycle::Expired);
        assert_eq!(store.pending_expiries(), 0);
    }

    #[test]
    fn tenants_are_separate_and_owner_is_found() {
        let store = Store::new(10);
        let r = record(None);
        let id = r.id;
        store.insert_locked("a", &mut store.tenant("a").write(), r);
        assert!(store.lookup("b").read().get(&id).is_none());
        assert!(
            store.existing_tenant("b").is_none(),
            "a lookup keeps nothing"
        );
        assert_eq!(&*store.owner_of(id).unwrap().0, "a");
    }
}
