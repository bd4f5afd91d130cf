//! The payment requests of one tenant: a map by id and the ordered indexes the query planner
//! reads, kept in step on every write.
//!
//! Changes go through a [`TenantWrite`] (the tenant's write lock): [`Records::get_mut`] notes
//! the indexed values of the record it hands out, and the indexes are brought up to date when
//! the write lock is released, so a reader never sees an index that disagrees with a record.
//! The same writes forget the record's rendered wire JSON ([`Rendered`]), which reads keep.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut, Index};
use std::sync::RwLockWriteGuard;

use uuid::Uuid;

use super::index::{text_hash, IndexKeys, Indexes};
use super::rendered::{Rendered, RenderedText};
use crate::domain::record::{Lifecycle, Record};
use wix_emulator_core::wql::{IndexedRecords, Scalar};

/// The payment requests of one tenant, by id, with their indexes.
#[derive(Debug, Default)]
pub struct Records {
    map: HashMap<Uuid, Record>,
    indexes: Indexes,
    /// Records handed out by [`Records::get_mut`] since the last re-index, with the indexed
    /// values they had then.
    changed: Vec<(Uuid, IndexKeys)>,
    /// The wire JSON of records read recently.
    pub(super) rendered: Rendered,
}

impl Records {
    /// The record with this id.
    pub fn get(&self, id: &Uuid) -> Option<&Record> {
        self.map.get(id)
    }

    /// Whether a record has this id.
    pub fn contains_key(&self, id: &Uuid) -> bool {
        self.map.contains_key(id)
    }

    /// Every record, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &Record> + '_ {
        self.map.values()
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The wire JSON of a record of this tenant (its generated `OrderPaymentRequest`),
    /// rendered once and kept until the record changes.
    pub fn rendered(&self, record: &Record) -> RenderedText {
        self.rendered.of(record)
    }

    /// The record with this id, to change. Its indexes follow when the write lock is released.
    pub fn get_mut(&mut self, id: &Uuid) -> Option<&mut Record> {
        self.rendered.forget(id);
        let record = self.map.get_mut(id)?;
        if !self.changed.iter().any(|(seen, _)| seen == id) {
            self.changed.push((*id, IndexKeys::of(record)));
        }
        Some(record)
    }

    /// Adds a record (replacing one with the same id) and indexes it.
    pub fn insert(&mut self, record: Record) {
        let id = record.id;
        self.remove(&id);
        self.indexes.add(id, &IndexKeys::of(&record));
        self.map.insert(id, record);
    }

    /// Removes the record with this id and its index entries.
    pub fn remove(&mut self, id: &Uuid) -> Option<Record> {
        self.rendered.forget(id);
        let record = self.map.remove(id)?;
        let keys = match self.changed.iter().position(|(seen, _)| seen == id) {
            Some(at) => self.changed.swap_remove(at).1,
            None => IndexKeys::of(&record),
        };
        self.indexes.remove(*id, &keys);
        Some(record)
    }

    /// Brings the indexes up to date with the records changed through [`Records::get_mut`].
    pub fn reindex(&mut self) {
        for (id, old) in self.changed.drain(..) {
            // A read under the same write lock may have rendered it between change and release.
            self.rendered.forget(&id);
            if let Some(record) = self.map.get(&id) {
                self.indexes.change(id, &old, &IndexKeys::of(record));
            }
        }
    }

    fn resolve<'r>(
        &'r self,
        ids: impl Iterator<Item = Uuid> + 'r,
    ) -> impl Iterator<Item = &'r Record> + 'r {
        ids.filter_map(|id| self.map.get(&id))
    }

    /// The ids whose `field` equals `value`; `None` when `field` has no equality index or the
    /// value is of a form the index does not hold.
    fn ids_equal_to<'r>(
        &'r self,
        field: &str,
        value: &Scalar<'_>,
    ) -> Option<Box<dyn Iterator<Item = Uuid> + 'r>> {
        match (field, value) {
            ("orderId", Scalar::Uuid(order_id)) => {
                Some(Box::new(self.indexes.with_order_id(*order_id)))
            }
            ("status", Scalar::Str(text)) => Some(match Lifecycle::named(text) {
                Some(status) => Box::new(self.indexes.with_status(status)),
                None => Box::new(std::iter::empty()),
            }),
            ("source.externalId", Scalar::Str(text)) => Some(Box::new(
                self.indexes.with_external_id_hash(text_hash(text)),
            )),
            _ => None,
        }
    }
}

impl Index<&Uuid> for Records {
    type Output = Record;

    fn index(&self, id: &Uuid) -> &Record {
        &self.map[id]
    }
}

impl IndexedRecords for Records {
    type Record = Record;

    fn all(&self) -> impl Iterator<Item = &Record> + '_ {
        self.map.values()
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn count_equal(&self, field: &str, values: &[Scalar<'_>], cap: usize) -> Option<usize> {
        let mut count = 0usize;
        for value in values {
            let room = cap.saturating_add(1).saturating_sub(count);
            count += match (field, value) {
                // A status's set knows its size: no need to count it.
                ("status", Scalar::Str(text)) => {
                    Lifecycle::named(text).map_or(0, |status| self.indexes.status_len(status))
                }
                _ => self.ids_equal_to(field, value)?.take(room).count(),
            };
            if count > cap {
                break;
            }
        }
        Some(count)
    }

    fn equal_to(&self, field: &str, values: &[Scalar<'_>]) -> Vec<&Record> {
        let mut ids = Vec::new();
        for value in values {
            match self.ids_equal_to(field, value) {
                Some(found) => ids.extend(found),
                None => return Vec::new(),
            }
        }
        // Equal values would give their records twice (and two texts may share a hash).
        if values.len() > 1 {
            ids.sort_unstable();
            ids.dedup();
        }
        self.resolve(ids.into_iter()).collect()
    }

    fn ordered(
        &self,
        field: &str,
        descending: bool,
        from: Option<&Scalar<'_>>,
    ) -> Option<Box<dyn Iterator<Item = &Record> + '_>> {
        if field != "createdDate" {
            return None;
        }
        let from_ms = match from {
            None => None,
            Some(Scalar::Millis(ms)) => Some(*ms),
            // Whole milliseconds at or below the instant: no record at the instant is skipped.
            Some(Scalar::Time(t)) => Some(t.timestamp_millis()),
            Some(_) => return None,
        };
        Some(Box::new(
            self.resolve(self.indexes.by_created(descending, from_ms)),
        ))
    }
}

/// Exclusive access to a tenant's records; the indexes are brought up to date when it is
/// dropped, before the lock is released.
#[derive(Debug)]
pub struct TenantWrite<'t> {
    pub(super) guard: RwLockWriteGuard<'t, Records>,
}

impl Deref for TenantWrite<'_> {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.guard
    }
}

impl DerefMut for TenantWrite<'_> {
    fn deref_mut(&mut self) -> &mut Records {
        &mut self.guard
    }
}

impl Drop for TenantWrite<'_> {
    fn drop(&mut self) {
        self.guard.reindex();
    }
}

#[cfg(test)]
pub(crate) fn index_len(records: &Records) -> usize {
    records.indexes.len()
}
