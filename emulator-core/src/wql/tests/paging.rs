//! Cursor paging: limits, walking every page both ways, ties, changes between pages.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{ids, q, rec, Rec};
use crate::wql::{Page, Query};

/// 40 records whose creation times come in groups of 4 equal values (ties everywhere), with
/// ids in scrambled order.
fn tied() -> Vec<Rec> {
    let mut r: Vec<Rec> = (0..40u128)
        .map(|i| {
            let mut x = rec((i * 7919) % 1000 + 1);
            x.created = rec(i / 4).created;
            x.status = if i % 3 == 0 { "PAID" } else { "UNPAID" }.into();
            x
        })
        .collect();
    r.reverse();
    r
}

/// The page fetched with `cursor` and `limit`.
fn follow(cursor: &str, limit: u64, recs: &[Rec]) -> Page<u128> {
    let query = q(json!({"cursorPaging": {"cursor": cursor, "limit": limit}}));
    query.run(recs).map(|r| r.id.as_u128())
}

/// Every page from the first, following `next` cursors.
fn walk(first: Value, limit: u64, recs: &[Rec]) -> Vec<Page<u128>> {
    let mut query = first;
    query["cursorPaging"] = json!({"limit": limit});
    let mut pages = vec![q(query).run(recs).map(|r| r.id.as_u128())];
    while let Some(next) = pages.last().and_then(|p| p.next_cursor.clone()) {
        pages.push(follow(&next, limit, recs));
        assert!(pages.len() < 100, "paging does not end");
    }
    pages
}

fn all(query: Value, recs: &[Rec]) -> Vec<u128> {
    ids(&q(query).run(recs))
}

#[test]
fn default_limit_is_100() {
    let r: Vec<Rec> = (1..=150).map(rec).collect();
    let page = q(json!({})).run(&r);
    assert_eq!(page.items.len(), 100);
    assert!(page.has_next);
    assert_eq!(q(json!({})).limit(), 100);
    let last = follow(page.next_cursor.as_deref().unwrap_or(""), 100, &r);
    assert_eq!(last.items.len(), 50);
    assert!(!last.has_next);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn walking_every_page_has_no_gap_and_no_duplicate() {
    let r = tied();
    for (query, limit) in [
        (json!({}), 3),
        (
            json!({"sort": [{"fieldName": "createdDate", "order": "ASC"}]}),
            4,
        ),
        (
            json!({"sort": [{"fieldName": "status"}, {"fieldName": "createdDate", "order": "DESC"}]}),
            7,
        ),
        (
            json!({"filter": {"status": "UNPAID"}, "sort": [{"fieldName": "createdDate"}]}),
            5,
        ),
        (json!({}), 1),
        (json!({}), 40),
        (json!({}), 100),
    ] {
        let expected = all(query.clone(), &r);
        let pages = walk(query.clone(), limit, &r);
        let seen: Vec<u128> = pages.iter().flat_map(|p| p.items.clone()).collect();
        assert_eq!(seen, expected, "{query} limit {limit}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
        for (i, p) in pages.iter().enumerate() {
            let last = i + 1 == pages.len();
            assert_eq!(p.has_next, !last);
            assert_eq!(p.next_cursor.is_some(), !last);
            assert_eq!(p.prev_cursor.is_some(), i > 0, "{query} page {i}");
            assert!(p.items.len() <= usize::try_from(limit).unwrap_or(0));
        }
    }
}

#[test]
fn prev_cursors_walk_back_over_the_same_pages() {
    let r = tied();
    let query = json!({"filter": {"status": {"$ne": "PAID"}}});
    let forward = walk(query, 4, &r);
    assert!(forward.len() > 3);
    // From the last page back to the first, the pages are the same.
    let mut page = forward.last().cloned().unwrap_or_else(|| unreachable!());
    for expected in forward.iter().rev().skip(1) {
        let prev = page
            .prev_cursor
            .clone()
            .unwrap_or_else(|| panic!("no prev"));
        page = follow(&prev, 4, &r);
        assert_eq!(page.items, expected.items);
        assert!(page.has_next);
    }
    assert_eq!(page.prev_cursor, None);
    // Forward again from a page reached backwards.
    let next = page.next_cursor.clone().unwrap_or_default();
    assert_eq!(follow(&next, 4, &r).items, forward[1].items);
}

#[test]
fn limit_zero_counts_nothing_but_keeps_the_position() {
    let r: Vec<Rec> = (1..=5).map(rec).collect();
    let page = q(json!({"cursorPaging": {"limit": 0}})).run(&r);
    assert!(page.items.is_empty());
    assert!(page.has_next);
    let next = page.next_cursor.unwrap_or_default();
    assert_eq!(follow(&next, 2, &r).items, [5, 4]);
    let empty: Vec<Rec> = Vec::new();
    let page = q(json!({"cursorPaging": {"limit": 0}})).run(&empty);
    assert!(!page.has_next);
    assert_eq!(page.next_cursor, None);
}

#[test]
fn the_cursor_carries_filter_and_sort() {
    let r = tied();
    let query = json!({
        "filter": {"status": "PAID"},
        "sort": [{"fieldName": "createdDate", "order": "ASC"}]
    });
    let expected = all(query.clone(), &r);
    let first = {
        let mut query = query;
        query["cursorPaging"] = json!({"limit": 2});
        q(query).run(&r)
    };
    let rest = follow(first.next_cursor.as_deref().unwrap_or(""), 100, &r);
    assert_eq!(rest.items, expected[2..]);
    // A cursor may come with an empty filter and sort.
    let with_empty = Query::parse(&json!({
        "filter": {}, "sort": [],
        "cursorPaging": {"cursor": first.next_cursor, "limit": 100}
    }));
    assert!(with_empty.is_ok());
}

#[test]
fn pages_stay_consistent_when_records_change() {
    let mut r: Vec<Rec> = (1..=10).map(rec).collect();
    let first = q(json!({"cursorPaging": {"limit": 4}}))
        .run(&r)
        .map(|x| x.id.as_u128());
    assert_eq!(first.items, [10, 9, 8, 7]);
    let next = first.next_cursor.unwrap_or_default();
    // A newer record and removal of the page's last record do not shift the next page.
    r.push(rec(11));
    r.retain(|x| x.id.as_u128() != 7);
    let second = follow(&next, 4, &r);
    assert_eq!(second.items, [6, 5, 4, 3]);
    // Going back shows what now precedes the page.
    let back = follow(&second.prev_cursor.unwrap_or_default(), 4, &r);
    assert_eq!(back.items, [11, 10, 9, 8]);
    assert!(back.prev_cursor.is_none());
}

#[test]
fn an_empty_page_past_the_end_can_go_back() {
    let mut r: Vec<Rec> = (1..=6).map(rec).collect();
    let first = q(json!({"cursorPaging": {"limit": 3}}))
        .run(&r)
        .map(|x| x.id.as_u128());
    let next = first.next_cursor.unwrap_or_default();
    r.retain(|x| x.id.as_u128() > 3);
    let empty = follow(&next, 3, &r);
    assert!(empty.items.is_empty());
    assert!(!empty.has_next);
    let back = follow(&empty.prev_cursor.unwrap_or_default(), 3, &r);
    assert_eq!(back.items, [6, 5, 4]);
    // Nothing lies past it any more.
    assert!(!back.has_next);
    assert_eq!(back.next_cursor, None);
    assert_eq!(back.prev_cursor, None);
}

#[test]
fn paging_metadata_json() {
    let r: Vec<Rec> = (1..=3).map(rec).collect();
    let page = q(json!({"cursorPaging": {"limit": 2}})).run(&r);
    let meta = page.paging_metadata();
    assert_eq!(meta["count"], 2);
    assert_eq!(meta["hasNext"], true);
    assert!(meta["cursors"]["next"].is_string());
    assert!(meta["cursors"].get("prev").is_none());
}

#[test]
fn large_sets_pick_the_right_page() {
    let n = 100_000u128;
    let r: Vec<Rec> = (0..n)
        .map(|i| {
            let mut x = rec((i * 48_271) % n);
            x.created = rec(i % 997).created;
            x
        })
        .collect();
    let query = json!({"filter": {"status": "UNPAID"}, "cursorPaging": {"limit": 100}});
    let page = q(query).run(&r);
    let mut expected: Vec<&Rec> = r.iter().collect();
    expected.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    let expected: Vec<u128> = expected.iter().take(100).map(|x| x.id.as_u128()).collect();
    assert_eq!(ids(&page), expected);
    let second = follow(page.next_cursor.as_deref().unwrap_or(""), 100, &r);
    assert_eq!(second.items.len(), 100);
    assert!(!second.items.iter().any(|id| expected.contains(id)));
}
