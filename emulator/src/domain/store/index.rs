//! Ordered indexes over one tenant's payment requests, for the fields the documented flows
//! filter and sort on: `orderId`, `status`, `source.externalId` and `createdDate`.
//!
//! Each index is a set of `(key, id)` pairs, so records with equal keys sit together, in id
//! order. `source.externalId` is keyed by a hash of its text (equality only: the query engine
//! checks every candidate against the whole filter, so a collision costs a comparison, never a
//! wrong answer). The indexes hold ids, not records: the tenant's map stays the one place a
//! record lives.

use std::collections::BTreeSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use uuid::Uuid;

use crate::domain::record::{Lifecycle, Record};

/// The indexed values of one record, taken before a change so the old entries can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IndexKeys {
    order_id: Uuid,
    created_ms: i64,
    status: Lifecycle,
    external_id: Option<u64>,
}

impl IndexKeys {
    /// The indexed values of a record.
    pub(crate) fn of(record: &Record) -> Self {
        Self {
            order_id: record.order_id,
            created_ms: record.created_ms,
            status: record.status,
            external_id: record
                .source()
                .and_then(|s| s.external_id.as_ref())
                .map(|id| id.as_str())
                .map(text_hash),
        }
    }
}

/// The hash `source.externalId` is indexed by (fixed keys: the same text always gives the
/// same hash within a process).
pub(crate) fn text_hash(text: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(text)
}

/// The indexes of one tenant.
#[derive(Debug, Default)]
pub(crate) struct Indexes {
    order_id: BTreeSet<(Uuid, Uuid)>,
    created: BTreeSet<(i64, Uuid)>,
    /// One set of ids per status (four statuses: no key needs storing).
    status: [BTreeSet<Uuid>; 4],
    external_id: BTreeSet<(u64, Uuid)>,
}

fn status_slot(status: Lifecycle) -> usize {
    match status {
        Lifecycle::Unpaid => 0,
        Lifecycle::Paid => 1,
        Lifecycle::Expired => 2,
        Lifecycle::Voided => 3,
    }
}

/// Every id of a set of `(key, id)` pairs whose key is `key`.
fn ids_with<K: Ord + Copy>(set: &BTreeSet<(K, Uuid)>, key: K) -> impl Iterator<Item = Uuid> + '_ {
    set.range((key, Uuid::nil())..=(key, Uuid::max()))
        .map(|&(_, id)| id)
}

impl Indexes {
    /// Adds the entries of record `id`.
    pub(crate) fn add(&mut self, id: Uuid, keys: &IndexKeys) {
        self.order_id.insert((keys.order_id, id));
        self.created.insert((keys.created_ms, id));
        self.status[status_slot(keys.status)].insert(id);
        if let Some(hash) = keys.external_id {
            self.external_id.insert((hash, id));
        }
    }

    /// Removes the entries of record `id`, as they were added with `keys`.
    pub(crate) fn remove(&mut self, id: Uuid, keys: &IndexKeys) {
        self.order_id.remove(&(keys.order_id, id));
        self.created.remove(&(keys.created_ms, id));
        self.status[status_slot(keys.status)].remove(&id);
        if let Some(hash) = keys.external_id {
            self.external_id.remove(&(hash, id));
        }
    }

    /// Moves the entries of record `id` from `old` keys to `new` ones.
    pub(crate) fn change(&mut self, id: Uuid, old: &IndexKeys, new: &IndexKeys) {
        if old != new {
            self.remove(id, old);
            self.add(id, new);
        }
    }

    /// The ids whose `orderId` is `order_id`.
    pub(crate) fn with_order_id(&self, order_id: Uuid) -> impl Iterator<Item = Uuid> + '_ {
        ids_with(&self.order_id, order_id)
    }

    /// The ids whose status is `status`.
    pub(crate) fn with_status(&self, status: Lifecycle) -> impl Iterator<Item = Uuid> + '_ {
        self.status[status_slot(status)].iter().copied()
    }

    /// How many ids have status `status` (without counting them one by one).
    pub(crate) fn status_len(&self, status: Lifecycle) -> usize {
        self.status[status_slot(status)].len()
    }

    /// The ids whose `source.externalId` hashes to `hash`.
    pub(crate) fn with_external_id_hash(&self, hash: u64) -> impl Iterator<Item = Uuid> + '_ {
        ids_with(&self.external_id, hash)
    }

    /// The ids in ascending (or descending) order of creation time, starting at `from_ms`
    /// (inclusive) when given; equal times in ascending id order either way.
    pub(crate) fn by_created(
        &self,
        descending: bool,
        from_ms: Option<i64>,
    ) -> Box<dyn Iterator<Item = Uuid> + '_> {
        let ids = |&(_, id): &(i64, Uuid)| id;
        match (descending, from_ms) {
            (false, None) => Box::new(self.created.iter().map(ids)),
            (false, Some(ms)) => Box::new(self.created.range((ms, Uuid::nil())..).map(ids)),
            (true, from) => Box::new(Descending {
                set: &self.created,
                upper: Some(from.unwrap_or(i64::MAX)),
                group: None,
            }),
        }
    }

    /// How many entries the `createdDate` index holds (one per record).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.created.len()
    }
}

/// A walk of a `(key, id)` set by descending key, each key's ids in ascending order.
struct Descending<'s> {
    set: &'s BTreeSet<(i64, Uuid)>,
    /// The largest key not walked yet; `None` when every key has been.
    upper: Option<i64>,
    group: Option<std::collections::btree_set::Range<'s, (i64, Uuid)>>,
}

impl Iterator for Descending<'_> {
    type Item = Uuid;

    fn next(&mut self) -> Option<Uuid> {
        loop {
            if let Some(&(_, id)) = self.group.as_mut().and_then(Iterator::next) {
                return Some(id);
            }
            let upper = self.upper?;
            let &(key, _) = self.set.range(..=(upper, Uuid::max())).next_back()?;
            self.upper = key.checked_sub(1);
            self.group = Some(self.set.range((key, Uuid::nil())..=(key, Uuid::max())));
        }
    }
}
