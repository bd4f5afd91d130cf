//! The indexed query paths give the same pages as the linear pass, for random records, random
//! filters, sorts and limits, and random changes between queries (seeded, so a failure
//! repeats).

use chrono::Utc;
use fastrand::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_order_payment_requests::{types, Amount};

use super::records::index_len;
use super::{Records, Tenant};
use crate::domain::orders::fixture_orders;
use crate::domain::record::{Extras, Lifecycle, Record};
use wix_emulator_core::wql::Query;

const ORDER_IDS: [&str; 3] = [
    "a931e280-254a-49a7-9641-22ef64c444ae",
    "0b6c1e2a-0000-4000-8000-000000000001",
    "f0000000-0000-4000-8000-000000000000",
];
const EXTERNAL_IDS: [&str; 4] = ["inv-1", "inv-2", "INV-3", "x"];
// A title is never empty (the spec's `minLength: 1`), so `$isEmpty` on it is always false.
const TITLES: [&str; 5] = ["Balance", "balance due", "Deposit", "B", "Été"];
const STATUSES: [Lifecycle; 4] = Lifecycle::ALL;
const BASE_MS: i64 = 1_780_000_000_000;

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn random_record(rng: &mut Rng) -> Record {
    let order = fixture_orders().remove(0);
    let input: types::NewOrderPaymentRequest = serde_json::from_value(
        json!({"orderId": order.id, "title": "t", "amount": {"amount": "1"}}),
    )
    .unwrap();
    let mut record = Record::create(&input, 0, &order, input.amount.amount, Utc::now()).unwrap();
    record.order_id = pick(rng, &ORDER_IDS).parse().unwrap();
    // Few distinct times, so many records share one (ties are broken by the whole sort).
    record.created_ms = BASE_MS + rng.i64(0..8);
    record.updated_ms = record.created_ms;
    record.status = pick(rng, &STATUSES);
    record.title = pick(rng, &TITLES).parse().unwrap();
    record.amount = Amount::try_from(Decimal::from(rng.i64(0..4))).unwrap();
    if rng.bool() {
        let source: types::Source =
            serde_json::from_value(json!({"externalId": pick(rng, &EXTERNAL_IDS)})).unwrap();
        record.set_extras(Extras {
            source: Some(source),
            ..Extras::default()
        });
    }
    record
}

fn time(offset: i64) -> String {
    crate::domain::record::from_ms(BASE_MS + offset)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn random_test(rng: &mut Rng) -> Value {
    let statuses = || {
        let n = fastrand::usize(0..3);
        (0..n)
            .map(|i| Value::from(STATUSES[(i * 3 + 1) % 4].as_str()))
            .collect::<Vec<_>>()
    };
    match rng.usize(0..14) {
        0 => json!({"orderId": pick(rng, &ORDER_IDS)}),
        1 => {
            json!({"orderId": {"$in": [pick(rng, &ORDER_IDS), pick(rng, &ORDER_IDS).to_uppercase()]}})
        }
        2 => json!({"orderId": {"$ne": pick(rng, &ORDER_IDS)}}),
        3 => json!({"status": pick(rng, &STATUSES).as_str()}),
        4 => json!({"status": {"$in": statuses()}}),
        5 => json!({"status": {"$nin": [pick(rng, &STATUSES).as_str()]}}),
        6 => json!({"source.externalId": pick(rng, &EXTERNAL_IDS)}),
        7 => {
            json!({"source.externalId": {"$in": [pick(rng, &EXTERNAL_IDS), pick(rng, &EXTERNAL_IDS)]}})
        }
        8 => json!({"source.externalId": {"$exists": rng.bool()}}),
        9 => json!({"createdDate": {"$gt": time(rng.i64(0..8))}}),
        10 => json!({"createdDate": {"$lte": time(rng.i64(0..8)), "$gte": time(rng.i64(0..4))}}),
        11 => json!({"title": {"$startsWith": "bal"}}),
        12 => json!({"amount.amount": {"$gte": rng.i64(0..4)}}),
        _ => json!({"status": "UNPAID", "orderId": pick(rng, &ORDER_IDS)}),
    }
}

fn random_filter(rng: &mut Rng) -> Value {
    match rng.usize(0..7) {
        0 => Value::Null,
        1 | 2 => random_test(rng),
        3 => json!({"$and": [random_test(rng), random_test(rng)]}),
        4 => json!({"$or": [random_test(rng), random_test(rng)]}),
        5 => json!({"$not": random_test(rng)}),
        _ => json!({"$and": [random_test(rng), {"$or": [random_test(rng), random_test(rng)]}]}),
    }
}

fn random_sort(rng: &mut Rng) -> Value {
    match rng.usize(0..6) {
        0 => Value::Null,
        1 => json!([{"fieldName": "createdDate", "order": "ASC"}]),
        2 => json!([{"fieldName": "createdDate", "order": "DESC"}]),
        3 => json!([{"fieldName": "createdDate"}, {"fieldName": "title", "order": "DESC"}]),
        4 => json!([{"fieldName": "title", "order": "DESC"}]),
        _ => json!([{"fieldName": "amount.amount"}, {"fieldName": "createdDate", "order": "DESC"}]),
    }
}

/// Runs `query` both ways and checks the pages agree; gives the page's cursors.
fn same_page(records: &Records, query: &Value, rng: &mut Rng) -> (Option<String>, Option<String>) {
    let parsed = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
    let linear = parsed.run(records.values());
    let cap = pick(rng, &[Some(0), Some(1), Some(3), Some(usize::MAX), None]);
    let indexed = parsed.run_planned(records, cap);
    let ids = |p: &wix_emulator_core::wql::Page<&Record>| {
        p.items.iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&indexed),
        ids(&linear),
        "items of {query} (lookup cap {cap:?})"
    );
    assert_eq!(indexed, linear, "page of {query} (lookup cap {cap:?})");
    assert_eq!(parsed.run_indexed(records), linear, "{query}");
    // The kept wire text of each record is that of the record as it is now.
    for record in &linear.items {
        assert_eq!(
            &*records.rendered(record),
            &super::rendered::render(record)[..],
            "{}",
            record.id
        );
    }
    (linear.next_cursor, linear.prev_cursor)
}

fn change_some(tenant: &Tenant, rng: &mut Rng) {
    let mut map = tenant.write();
    let ids: Vec<Uuid> = map.values().map(|r| r.id).collect();
    for _ in 0..rng.usize(0..20) {
        let id = pick(rng, &ids);
        match rng.usize(0..4) {
            0 => {
                map.remove(&id);
            }
            1 => map.insert(random_record(rng)),
            _ => {
                if let Some(record) = map.get_mut(&id) {
                    record.status = pick(rng, &STATUSES);
                    record.title = pick(rng, &TITLES).parse().unwrap();
                }
                // Read (and kept) between two changes under the same lock.
                if let Some(record) = map.get(&id) {
                    map.rendered(record);
                }
                // A second change of the same record under the same lock.
                if let Some(record) = map.get_mut(&id) {
                    record.status = pick(rng, &STATUSES);
                }
            }
        }
    }
}

#[test]
fn indexed_and_linear_queries_give_identical_pages() {
    crate::testing::install_model();
    for seed in 0..40 {
        let mut rng = Rng::with_seed(seed);
        fastrand::seed(seed);
        let tenant = Tenant::default();
        {
            let mut map = tenant.write();
            for _ in 0..rng.usize(0..250) {
                map.insert(random_record(&mut rng));
            }
        }
        for _ in 0..30 {
            change_some(&tenant, &mut rng);
            let records = tenant.read();
            assert_eq!(index_len(&records), records.len(), "seed {seed}");
            let mut query =
                json!({"filter": random_filter(&mut rng), "sort": random_sort(&mut rng)});
            if rng.bool() {
                query["cursorPaging"] = json!({"limit": rng.usize(0..12)});
            }
            let limit = query["cursorPaging"]["limit"].clone();
            let (mut next, prev) = same_page(&records, &query, &mut rng);
            assert!(prev.is_none());
            // Page on, and back from the second page.
            for page in 0..4 {
                let Some(cursor) = next.take() else { break };
                let query = json!({"cursorPaging": {"limit": limit, "cursor": cursor}});
                let (n, p) = same_page(&records, &query, &mut rng);
                if page == 0 {
                    if let Some(p) = p {
                        let back = json!({"cursorPaging": {"limit": limit, "cursor": p}});
                        same_page(&records, &back, &mut rng);
                    }
                }
                next = n;
            }
        }
    }
}

#[test]
fn indexes_follow_changes_made_under_the_write_lock() {
    crate::testing::install_model();
    let mut rng = Rng::with_seed(7);
    let tenant = Tenant::default();
    let record = random_record(&mut rng);
    let id = record.id;
    tenant.write().insert(record);
    let paid = Query::parse(&json!({"filter": {"status": "PAID"}})).unwrap();
    let unpaid = Query::parse(&json!({"filter": {"status": "UNPAID"}})).unwrap();
    tenant.write().get_mut(&id).unwrap().status = Lifecycle::Unpaid;
    assert_eq!(unpaid.run_indexed(&*tenant.read()).items.len(), 1);
    tenant.write().get_mut(&id).unwrap().status = Lifecycle::Paid;
    assert_eq!(paid.run_indexed(&*tenant.read()).items.len(), 1);
    assert!(unpaid.run_indexed(&*tenant.read()).items.is_empty());
    {
        let mut map = tenant.write();
        map.get_mut(&id).unwrap().status = Lifecycle::Voided;
        map.remove(&id);
    }
    assert_eq!(index_len(&tenant.read()), 0);
    assert!(paid.run_indexed(&*tenant.read()).items.is_empty());
}
