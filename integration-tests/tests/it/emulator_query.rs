//! Queries against the emulator: `query(..).pages()` and `.stream()` follow its cursors over
//! 250 payment requests, in the asked order and without duplicates; typed filters select what
//! the emulator holds; `find_unpaid_for_order` returns an order's `UNPAID` requests, newest first.

use crate::emulator_support;

use std::collections::HashSet;
use std::time::Duration;

use emulator_support::{client, emulator, new_request, ORDER_ID, OTHER_ORDER_ID};
use futures::{StreamExt, TryStreamExt};
use wix_order_payment_requests::{types, Field, Query, RetryPolicy, Status, WixClient};

const TOTAL: usize = 250;

/// Request `i` is for the other order when `i % 5 == 0`, voided when `i % 3 == 0`.
fn is_other_order(i: usize) -> bool {
    i.is_multiple_of(5)
}

fn is_voided(i: usize) -> bool {
    i.is_multiple_of(3)
}

fn title(i: usize) -> String {
    format!("Request {i:03}")
}

/// Creates the 250 requests with Bulk Create (the clock moves a second between batches) and
/// voids every third; returns their ids by index.
async fn seed(emu: &wix_opr_emulator::Emulator, wix: &WixClient) -> Vec<uuid::Uuid> {
    let requests: Vec<_> = (0..TOTAL)
        .map(|i| {
            let order = if is_other_order(i) {
                OTHER_ORDER_ID
            } else {
                ORDER_ID
            };
            types::NewBulkOrderPaymentRequest::new(
                order.parse().unwrap(),
                "1.00".parse().unwrap(),
                title(i).parse().unwrap(),
                format!("ext-{i:03}").parse().unwrap(),
            )
        })
        .collect();
    let mut ids = Vec::with_capacity(TOTAL);
    for batch in requests.chunks(100) {
        let response = wix.bulk_create(batch.to_vec(), false).await.unwrap();
        for result in response.results {
            let metadata = result.item_metadata.unwrap();
            assert_eq!(metadata.success, Some(true), "{metadata:?}");
            ids.push(metadata.id.unwrap());
        }
        emu.advance_clock(Duration::from_secs(1));
    }
    for (i, id) in ids.iter().enumerate() {
        if is_voided(i) {
            wix.void(*id).await.unwrap();
        }
    }
    assert_eq!(emu.payment_request_count(), TOTAL);
    ids
}

async fn all(wix: &WixClient, query: Query) -> Vec<types::OrderPaymentRequest> {
    wix.query(query).stream().try_collect().await.unwrap()
}

fn ids_of(items: &[types::OrderPaymentRequest]) -> HashSet<uuid::Uuid> {
    items.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn stream_follows_cursors_through_250_requests() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let ids = seed(&emu, &wix).await;

    // Pages of 100: 100, 100, 50, and the last one says there is no more.
    let query = Query::new().sort_asc(Field::Title).limit(100);
    let pages: Vec<_> = wix
        .query(query.clone())
        .pages()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let sizes: Vec<_> = pages
        .iter()
        .map(|p| p.order_payment_requests.len())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    let last = pages.last().unwrap().paging_metadata.as_ref().unwrap();
    assert_eq!(last.has_next, Some(false));

    // The stream yields every request once, in title order.
    let items = all(&wix, query).await;
    assert_eq!(items.len(), TOTAL);
    let titles: Vec<String> = items.iter().map(|r| r.title.to_string()).collect();
    let expected: Vec<String> = (0..TOTAL).map(title).collect();
    assert_eq!(titles, expected);
    assert_eq!(ids_of(&items), ids.iter().copied().collect());

    // Newest first over the three creation times, still without duplicates.
    let items = all(&wix, Query::new().sort_desc(Field::CreatedDate).limit(100)).await;
    assert_eq!(ids_of(&items).len(), TOTAL);
    let created: Vec<_> = items.iter().map(|r| r.created_date).collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "createdDate DESC: {created:?}"
    );
    assert!(created.first() > created.last());
}

#[tokio::test]
async fn typed_filters_select_what_the_emulator_holds() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let ids = seed(&emu, &wix).await;
    let expect = |keep: &dyn Fn(usize) -> bool| -> HashSet<uuid::Uuid> {
        (0..TOTAL).filter(|&i| keep(i)).map(|i| ids[i]).collect()
    };

    let voided = all(
        &wix,
        Query::new().filter(Field::Status.is_in([Status::Voided])),
    )
    .await;
    assert_eq!(ids_of(&voided), expect(&is_voided));
    assert!(voided.iter().all(|r| r.status == Status::Voided));

    let either = Query::new()
        .filter(Field::Status.is_in([Status::Unpaid, Status::Voided]))
        .limit(100);
    assert_eq!(ids_of(&all(&wix, either).await), expect(&|_| true));

    let other: uuid::Uuid = OTHER_ORDER_ID.parse().unwrap();
    let for_other = all(&wix, Query::new().filter(Field::OrderId.eq(other))).await;
    assert_eq!(ids_of(&for_other), expect(&is_other_order));

    let unpaid_for_other = Query::new()
        .filter(Field::OrderId.eq(other))
        .filter(Field::Status.is_in([Status::Unpaid]));
    assert_eq!(
        ids_of(&all(&wix, unpaid_for_other).await),
        expect(&|i| is_other_order(i) && !is_voided(i))
    );

    let one = all(
        &wix,
        Query::new().filter(Field::SourceExternalId.eq("ext-007")),
    )
    .await;
    assert_eq!(ids_of(&one), expect(&|i| i == 7));

    let not_voided = all(
        &wix,
        Query::new().filter(Field::Status.nin([Status::Voided, Status::Paid])),
    )
    .await;
    assert_eq!(ids_of(&not_voided), expect(&|i| !is_voided(i)));

    let not_other = Query::new()
        .filter(Field::OrderId.nin([other]))
        .filter(Field::SourceExternalId.nin(["ext-001", "ext-002"]));
    assert_eq!(
        ids_of(&all(&wix, not_other).await),
        expect(&|i| !is_other_order(i) && i != 1 && i != 2)
    );

    // No request was given a description: every one is empty, none holds text.
    let empty = all(&wix, Query::new().filter(Field::Description.is_empty(true))).await;
    assert_eq!(ids_of(&empty), expect(&|_| true));
    let with_text = all(&wix, Query::new().filter(Field::Title.is_empty(false))).await;
    assert_eq!(ids_of(&with_text), expect(&|_| true));
    let no_description_text = all(
        &wix,
        Query::new().filter(Field::Description.is_empty(false)),
    )
    .await;
    assert!(no_description_text.is_empty());
}

#[tokio::test]
async fn stream_stops_after_the_last_page_when_pages_are_small() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    for i in 0..5 {
        wix.create(new_request(ORDER_ID, &title(i), None))
            .await
            .unwrap();
    }
    let pages: Vec<_> = wix
        .query(Query::new().sort_asc(Field::Title).limit(2))
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(Result::is_ok));
}

#[tokio::test]
async fn find_unpaid_for_order_returns_unpaid_newest_first() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let order: uuid::Uuid = ORDER_ID.parse().unwrap();
    let mut created = Vec::new();
    for i in 0..3 {
        let response = wix
            .create(new_request(ORDER_ID, &title(i), Some(&format!("inv-{i}"))))
            .await
            .unwrap();
        created.push(response.request.id);
        emu.advance_clock(Duration::from_secs(60));
    }
    wix.create(new_request(OTHER_ORDER_ID, "Other order", None))
        .await
        .unwrap();
    wix.void(created[1]).await.unwrap();

    let unpaid = wix.find_unpaid_for_order(order).await.unwrap();
    let found: Vec<_> = unpaid.iter().map(|r| r.id).collect();
    assert_eq!(found, [created[2], created[0]]);
    assert!(unpaid.iter().all(|r| r.status == Status::Unpaid));

    // The resend step: the newest one's payment page URL.
    let url = wix.get_url(found[0]).await.unwrap();
    assert!(url.as_str().starts_with(&emu.base_url()), "{url}");
    assert!(url.as_str().contains(&found[0].to_string()), "{url}");

    let none = wix
        .find_unpaid_for_order("0c6a7f0e-8d3b-4b8e-9a51-3f2d7c1e9b40".parse().unwrap())
        .await
        .unwrap();
    assert!(none.is_empty());
}
