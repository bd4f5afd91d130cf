//! Every operator and the logical combinators.

use serde_json::json;

use super::{dec, matching, rec, time, Rec};
use crate::wql::fields::{query_field, FieldKind};

/// Five records with varied values; record 5 lacks title, amount and orderNumber.
fn recs() -> Vec<Rec> {
    let mut v: Vec<Rec> = (1..=5).map(rec).collect();
    v[0].status = "PAID".into();
    v[0].description = Some("Balance due".into());
    v[1].title = Some("Ärger im Büro".into());
    v[1].amount = Some(dec("15.50"));
    v[1].expiration = Some(time("2026-07-15T23:59:59.000Z"));
    v[2].status = "VOIDED".into();
    v[2].amount_as_text = true;
    v[3].description = Some("balance for order".into());
    v[3].external_id = Some("inv-42".into());
    v[4].title = None;
    v[4].amount = None;
    v[4].order_number = None;
    v
}

#[test]
fn kinds_come_from_the_spec() {
    let kind = |name| query_field(name).map(|f| f.kind);
    assert_eq!(kind("createdDate"), Some(FieldKind::Time));
    assert_eq!(kind("expirationDate"), Some(FieldKind::Time));
    assert_eq!(kind("amount.amount"), Some(FieldKind::Decimal));
    assert_eq!(kind("title"), Some(FieldKind::Str));
    assert_eq!(kind("source.externalId"), Some(FieldKind::Str));
    assert!(query_field("currency").is_none());
    assert!(query_field("id").is_some_and(|f| !f.sortable));
    assert!(query_field("amount.amount").is_some_and(|f| f.sortable));
}

#[test]
fn eq_bare_and_explicit() {
    let r = recs();
    assert_eq!(matching(json!({"status": "PAID"}), &r), [1]);
    assert_eq!(matching(json!({"status": {"$eq": "VOIDED"}}), &r), [3]);
    assert_eq!(matching(json!({"status": "paid"}), &r), Vec::<u128>::new());
    assert_eq!(matching(json!({"title": "Title 3"}), &r), [3]);
}

#[test]
fn ne_matches_missing_fields() {
    let r = recs();
    assert_eq!(
        matching(json!({"title": {"$ne": "Title 1"}}), &r),
        [2, 3, 4, 5]
    );
    assert_eq!(matching(json!({"status": {"$ne": "UNPAID"}}), &r), [1, 3]);
}

#[test]
fn ordering_operators_on_strings() {
    let r = recs();
    assert_eq!(
        matching(json!({"orderNumber": {"$lt": "10003"}}), &r),
        [1, 2]
    );
    assert_eq!(
        matching(json!({"orderNumber": {"$lte": "10003"}}), &r),
        [1, 2, 3]
    );
    assert_eq!(matching(json!({"orderNumber": {"$gt": "10003"}}), &r), [4]);
    assert_eq!(
        matching(json!({"orderNumber": {"$gte": "10003"}}), &r),
        [3, 4]
    );
}

#[test]
fn dates_compare_as_instants() {
    let r = recs();
    // 00:02Z written with a +02:00 offset.
    let t = "2026-06-01T02:02:00+02:00";
    assert_eq!(matching(json!({"createdDate": t}), &r), [2]);
    assert_eq!(matching(json!({"createdDate": {"$gt": t}}), &r), [3, 4, 5]);
    assert_eq!(
        matching(json!({"createdDate": {"$gte": t}}), &r),
        [2, 3, 4, 5]
    );
    assert_eq!(matching(json!({"createdDate": {"$lt": t}}), &r), [1]);
    assert_eq!(matching(json!({"createdDate": {"$lte": t}}), &r), [1, 2]);
    assert_eq!(
        matching(
            json!({"createdDate": {"$date": "2026-06-01T00:03:00.000Z"}}),
            &r
        ),
        [3]
    );
    assert_eq!(
        matching(
            json!({"expirationDate": {"$lt": "2027-01-01T00:00:00Z"}}),
            &r
        ),
        [2]
    );
}

#[test]
fn amounts_compare_as_exact_decimals() {
    let r = recs();
    assert_eq!(matching(json!({"amount.amount": "15.5"}), &r), [2]);
    assert_eq!(matching(json!({"amount.amount": 15.5}), &r), [2]);
    assert_eq!(
        matching(json!({"amount.amount": {"$eq": "15.500"}}), &r),
        [2]
    );
    // Numerically 3 < 4 < 15.50 although "15.50" < "3" as text.
    assert_eq!(matching(json!({"amount.amount": {"$gt": 3}}), &r), [2, 4]);
    assert_eq!(
        matching(json!({"amount.amount": {"$gte": "3"}}), &r),
        [2, 3, 4]
    );
    assert_eq!(matching(json!({"amount.amount": {"$lt": "3.0"}}), &r), [1]);
    assert_eq!(matching(json!({"amount.amount": {"$lte": 3}}), &r), [1, 3]);
    assert_eq!(
        matching(json!({"amount.amount": {"$gt": "1e0"}}), &r),
        [2, 3, 4]
    );
}

#[test]
fn in_matches_any_listed_value() {
    let r = recs();
    let list = json!(["PAID", "VOIDED", "EXPIRED"]);
    assert_eq!(matching(json!({"status": {"$in": list}}), &r), [1, 3]);
    assert_eq!(
        matching(json!({"status": {"$in": []}}), &r),
        Vec::<u128>::new()
    );
    assert_eq!(
        matching(json!({"title": {"$in": ["Title 1", "Title 5"]}}), &r),
        [1]
    );
    assert_eq!(
        matching(
            json!({"createdDate": {"$in": ["2026-06-01T00:02:00Z", "2026-06-01T02:04:00+02:00"]}}),
            &r
        ),
        [2, 4]
    );
}

#[test]
fn nin_matches_none_of_the_values_and_missing_fields() {
    let r = recs();
    assert_eq!(
        matching(json!({"status": {"$nin": ["PAID", "VOIDED"]}}), &r),
        [2, 4, 5]
    );
    // Record 5 has no title: like `$ne`, `$nin` matches it.
    assert_eq!(
        matching(json!({"title": {"$nin": ["Title 1", "Title 3"]}}), &r),
        [2, 4, 5]
    );
    assert_eq!(
        matching(json!({"status": {"$nin": []}}), &r),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(
        matching(
            json!({"expirationDate": {"$nin": ["2026-07-15T23:59:59.000Z"]}}),
            &r
        ),
        [1, 3, 4, 5]
    );
    // `$nin` is the negation of `$in`.
    assert_eq!(
        matching(
            json!({"$not": {"title": {"$in": ["Title 1", "Title 3"]}}}),
            &r
        ),
        matching(json!({"title": {"$nin": ["Title 1", "Title 3"]}}), &r)
    );
}

#[test]
fn is_empty_counts_absent_and_empty_strings_as_empty() {
    let mut r = recs();
    r[1].description = Some(String::new());
    // Descriptions: 1 "Balance due", 2 "", 3 absent, 4 "balance for order", 5 absent.
    assert_eq!(
        matching(json!({"description": {"$isEmpty": true}}), &r),
        [2, 3, 5]
    );
    assert_eq!(
        matching(json!({"description": {"$isEmpty": false}}), &r),
        [1, 4]
    );
    // `""` exists: `$exists` and `$isEmpty` differ on it.
    assert_eq!(
        matching(json!({"description": {"$exists": true}}), &r),
        [1, 2, 4]
    );
    // A GUID is never empty.
    assert_eq!(
        matching(json!({"orderId": {"$isEmpty": true}}), &r),
        Vec::<u128>::new()
    );
}

#[test]
fn exists() {
    let r = recs();
    assert_eq!(
        matching(json!({"title": {"$exists": true}}), &r),
        [1, 2, 3, 4]
    );
    assert_eq!(matching(json!({"title": {"$exists": false}}), &r), [5]);
    assert_eq!(
        matching(json!({"description": {"$exists": true}}), &r),
        [1, 4]
    );
    assert_eq!(
        matching(json!({"source.externalId": {"$exists": true}}), &r),
        [4]
    );
}

#[test]
fn starts_with_ignores_case() {
    let r = recs();
    assert_eq!(
        matching(json!({"description": {"$startsWith": "BALANCE"}}), &r),
        [1, 4]
    );
    assert_eq!(
        matching(json!({"description": {"$startsWith": "balance d"}}), &r),
        [1]
    );
    assert_eq!(
        matching(json!({"title": {"$startsWith": "äRGER"}}), &r),
        [2]
    );
    assert_eq!(
        matching(json!({"title": {"$startsWith": ""}}), &r),
        [1, 2, 3, 4]
    );
    assert_eq!(
        matching(json!({"source.externalId": {"$startsWith": "INV-"}}), &r),
        [4]
    );
}

#[test]
fn missing_fields_never_match_other_operators() {
    let r = recs();
    for filter in [
        json!({"title": {"$lt": "zzz"}}),
        json!({"title": {"$gte": ""}}),
        json!({"title": {"$startsWith": ""}}),
        json!({"amount.amount": {"$gte": 0}}),
    ] {
        assert!(!matching(filter.clone(), &r).contains(&5), "{filter}");
    }
}

#[test]
fn and_or_not() {
    let r = recs();
    assert_eq!(
        matching(
            json!({"$and": [{"status": "UNPAID"}, {"amount.amount": {"$gt": 3}}]}),
            &r
        ),
        [2, 4]
    );
    assert_eq!(
        matching(
            json!({"$or": [{"status": "PAID"}, {"title": "Title 4"}]}),
            &r
        ),
        [1, 4]
    );
    assert_eq!(matching(json!({"$not": {"status": "UNPAID"}}), &r), [1, 3]);
    // `$not` of a test on a missing field matches the record lacking it.
    assert_eq!(matching(json!({"$not": {"title": {"$gte": ""}}}), &r), [5]);
    assert_eq!(
        matching(
            json!({"$or": [
                {"$and": [{"status": "UNPAID"}, {"$not": {"title": {"$exists": true}}}]},
                {"description": {"$startsWith": "bal"}, "status": "PAID"}
            ]}),
            &r
        ),
        [1, 5]
    );
    assert_eq!(matching(json!({"$or": []}), &r), Vec::<u128>::new());
    assert_eq!(matching(json!({"$and": []}), &r), [1, 2, 3, 4, 5]);
}

#[test]
fn several_keys_and_operators_all_hold() {
    let r = recs();
    assert_eq!(
        matching(
            json!({"status": "UNPAID", "orderNumber": {"$gt": "10001"}}),
            &r
        ),
        [2, 4]
    );
    assert_eq!(
        matching(json!({"amount.amount": {"$gt": 1, "$lt": 10}}), &r),
        [3, 4]
    );
    assert_eq!(matching(json!({}), &r), [1, 2, 3, 4, 5]);
}
