//! Default and explicit sorts.

use serde_json::json;

use super::{dec, ids, q, rec, time, Rec};

#[test]
fn default_sort_is_created_date_desc_then_id() {
    let mut r: Vec<Rec> = (1..=6).map(rec).collect();
    // 2 and 5 share a creation time with 4; ties go by id ascending.
    r[1].created = r[3].created;
    r[4].created = r[3].created;
    let page = q(json!({})).run(&r);
    assert_eq!(ids(&page), [6, 2, 4, 5, 3, 1]);
    assert!(!page.has_next);
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.prev_cursor, None);
    // An empty sort array is the default too.
    assert_eq!(ids(&q(json!({"sort": []})).run(&r)), [6, 2, 4, 5, 3, 1]);
}

#[test]
fn order_defaults_to_asc() {
    let r: Vec<Rec> = (1..=4).rev().map(rec).collect();
    assert_eq!(
        ids(&q(json!({"sort": [{"fieldName": "createdDate"}]})).run(&r)),
        [1, 2, 3, 4]
    );
    assert_eq!(
        ids(&q(json!({"sort": [{"fieldName": "createdDate", "order": "DESC"}]})).run(&r)),
        [4, 3, 2, 1]
    );
}

#[test]
fn multi_key_sort() {
    let mut r: Vec<Rec> = (1..=6).map(rec).collect();
    let statuses = ["PAID", "UNPAID", "PAID", "UNPAID", "PAID", "VOIDED"];
    let amounts = ["10", "5", "10", "7", "2.5", "1"];
    for (i, x) in r.iter_mut().enumerate() {
        x.status = statuses[i].into();
        x.amount = Some(dec(amounts[i]));
    }
    let query = q(json!({"sort": [
        {"fieldName": "status", "order": "ASC"},
        {"fieldName": "amount.amount", "order": "DESC"},
        {"fieldName": "createdDate", "order": "DESC"}
    ]}));
    // PAID: 3 (10, newer), 1 (10), 5 (2.5); UNPAID: 4 (7), 2 (5); VOIDED: 6.
    assert_eq!(ids(&query.run(&r)), [3, 1, 5, 4, 2, 6]);
}

#[test]
fn amounts_sort_numerically_and_missing_values_first() {
    let mut r: Vec<Rec> = (1..=4).map(rec).collect();
    r[0].amount = Some(dec("100"));
    r[1].amount = Some(dec("9.99"));
    r[2].amount = None;
    r[3].amount = Some(dec("20"));
    r[3].amount_as_text = true;
    let asc = q(json!({"sort": [{"fieldName": "amount.amount", "order": "ASC"}]}));
    assert_eq!(ids(&asc.run(&r)), [3, 2, 4, 1]);
    let desc = q(json!({"sort": [{"fieldName": "amount.amount", "order": "DESC"}]}));
    assert_eq!(ids(&desc.run(&r)), [1, 4, 2, 3]);
}

#[test]
fn dates_sort_as_instants() {
    let mut r: Vec<Rec> = (1..=3).map(rec).collect();
    r[0].expiration = Some(time("2026-07-01T10:00:00+05:00")); // 05:00Z
    r[1].expiration = Some(time("2026-07-01T06:00:00Z"));
    r[2].expiration = Some(time("2026-07-01T01:00:00-03:00")); // 04:00Z
    let query = q(json!({"sort": [{"fieldName": "expirationDate"}]}));
    assert_eq!(ids(&query.run(&r)), [3, 1, 2]);
}
