//! The wire JSON of recently read payment requests, kept so that reading one again costs a
//! lookup instead of building and writing its generated wire type.
//!
//! A tenant's [`Records`](super::Records) owns one: it renders a record on the first read,
//! and forgets it whenever the record may change (it is handed out to change, replaced or
//! removed). Reads fill it while the tenant's read lock is held and changes forget under the
//! write lock, so a text in it is always the text of the record as it is now. It holds at
//! most [`RENDERED_BYTES_PER_TENANT`] bytes of text and evicts the least recently useful.

use std::convert::Infallible;
use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use uuid::Uuid;

use crate::domain::record::Record;

/// The most bytes of rendered text a tenant keeps (about ten thousand typical requests).
pub const RENDERED_BYTES_PER_TENANT: u64 = 8 * 1024 * 1024;

/// Typical size of one request's text, to size the cache's tables.
const TYPICAL_TEXT_BYTES: u64 = 700;

/// One record's wire JSON (the generated `OrderPaymentRequest`, written by `serde_json`).
pub type RenderedText = Arc<[u8]>;

/// Weighs an entry by the length of its text.
#[derive(Debug, Clone, Copy, Default)]
struct TextBytes;

impl Weighter<Uuid, RenderedText> for TextBytes {
    fn weight(&self, _id: &Uuid, text: &RenderedText) -> u64 {
        // Never zero: a zero-weight entry would never be evicted.
        (text.len() as u64).max(1)
    }
}

/// A bounded map from a record's id to its rendered text.
#[derive(Debug)]
pub struct Rendered {
    texts: Cache<Uuid, RenderedText, TextBytes>,
}

impl Default for Rendered {
    fn default() -> Self {
        Self::holding(RENDERED_BYTES_PER_TENANT)
    }
}

impl Rendered {
    /// An empty one that keeps at most `bytes` of text.
    fn holding(bytes: u64) -> Self {
        Self {
            texts: Cache::with_weighter(
                usize::try_from(bytes / TYPICAL_TEXT_BYTES)
                    .unwrap_or(1)
                    .max(1),
                bytes,
                TextBytes,
            ),
        }
    }

    /// The wire JSON of `record`, rendered now if it is not kept (two readers of the same
    /// record render it once).
    pub fn of(&self, record: &Record) -> RenderedText {
        let kept = self
            .texts
            .get_or_insert_with(&record.id, || Ok::<_, Infallible>(render(record).into()));
        match kept {
            Ok(text) => text,
            Err(never) => match never {},
        }
    }

    /// Forgets the text of the record with this id (call before it may change).
    pub fn forget(&self, id: &Uuid) {
        self.texts.remove(id);
    }

    /// Whether the text of the record with this id is kept.
    #[cfg(test)]
    pub fn is_kept(&self, id: &Uuid) -> bool {
        self.texts.contains_key(id)
    }
}

/// The wire JSON of a record: its generated wire type, written by `serde_json`.
pub fn render(record: &Record) -> Vec<u8> {
    // Writing a generated type into a `Vec` fails only if its `Serialize` does, which derived
    // ones for these types do not; `null` would then be the visible sign.
    serde_json::to_vec(&record.to_wire()).unwrap_or_else(|_| b"null".to_vec())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use wix_order_payment_requests::types;

    use super::*;
    use crate::domain::orders::fixture_orders;
    use crate::domain::record::Lifecycle;
    use crate::domain::store::Tenant;

    fn record(title: &str) -> Record {
        let order = fixture_orders().remove(0);
        let input = types::NewOrderPaymentRequest::new(
            order.id,
            "15.50".parse().unwrap(),
            title.parse().unwrap(),
        );
        Record::create(&input, 0, &order, input.amount.amount, Utc::now()).unwrap()
    }

    fn text(records: &super::super::Records, id: &Uuid) -> serde_json::Value {
        serde_json::from_slice(&records.rendered(&records[id])).unwrap()
    }

    #[test]
    fn a_kept_text_is_the_generated_wire_type_written_out() {
        let tenant = Tenant::default();
        let record = record("Balance");
        let (id, expected) = (record.id, render(&record));
        tenant.write().insert(record);
        let records = tenant.read();
        let first = records.rendered(&records[&id]);
        assert_eq!(&*first, &expected[..]);
        // The second read is the kept text itself.
        assert!(Arc::ptr_eq(&first, &records.rendered(&records[&id])));
    }

    #[test]
    fn a_change_replacement_or_removal_forgets_the_text() {
        let tenant = Tenant::default();
        let original = record("Balance");
        let id = original.id;
        tenant.write().insert(original.clone());
        assert_eq!(text(&tenant.read(), &id)["status"], "UNPAID");

        tenant.write().get_mut(&id).unwrap().status = Lifecycle::Voided;
        assert_eq!(text(&tenant.read(), &id)["status"], "VOIDED");

        // Rendered under the write lock between two changes of the same record.
        {
            let mut map = tenant.write();
            map.get_mut(&id).unwrap().status = Lifecycle::Paid;
            assert_eq!(text(&map, &id)["status"], "PAID");
            map.get_mut(&id).unwrap().title = "Deposit".parse().unwrap();
        }
        assert_eq!(text(&tenant.read(), &id)["title"], "Deposit");

        let mut replacement = original;
        replacement.title = "Replaced".parse().unwrap();
        tenant.write().insert(replacement);
        assert_eq!(text(&tenant.read(), &id)["title"], "Replaced");

        assert!(tenant.read().rendered.is_kept(&id));
        tenant.write().remove(&id).unwrap();
        assert!(!tenant.read().rendered.is_kept(&id));
    }

    #[test]
    fn keeps_no_more_than_its_byte_budget() {
        let budget = 16 * 1024;
        let rendered = Rendered::holding(budget);
        let records: Vec<Record> = (0..200).map(|i| record(&format!("Request {i}"))).collect();
        for record in &records {
            assert_eq!(&*rendered.of(record), &render(record)[..]);
        }
        assert!(
            rendered.texts.weight() <= budget,
            "{}",
            rendered.texts.weight()
        );
        assert!(rendered.texts.len() < records.len());
        assert!(!rendered.texts.is_empty());
    }
}
