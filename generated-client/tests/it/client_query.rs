//! The typed query builder's WQL and the paging stream over real HTTP.

use crate::client_common;
use crate::support;

use std::sync::Arc;

use client_common::{client, opr_json, policy, RecordingSleeper, ORDER_ID};
use futures::StreamExt;
use serde_json::{json, Value};
use support::{Scripted, TestServer};
use wix_order_payment_requests::{Amount, Error, Field, Filter, Query, Status};

fn id(n: u8) -> String {
    format!("3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c{n:02x}")
}

fn page(ids: &[u8], next: Option<&str>, has_next: bool) -> Scripted {
    let items: Vec<Value> = ids.iter().map(|n| opr_json(&id(*n), "e")).collect();
    let mut metadata = json!({"count": items.len(), "hasNext": has_next});
    if let Some(next) = next {
        metadata["cursors"] = json!({"next": next});
    }
    Scripted::json(
        200,
        json!({"orderPaymentRequests": items, "pagingMetadata": metadata}),
    )
}

fn wix(server: &TestServer) -> wix_order_payment_requests::WixClient {
    client(server, policy(1, &Arc::new(RecordingSleeper::default())))
}

#[test]
fn builder_produces_wql() {
    let order: uuid::Uuid = ORDER_ID.parse().unwrap();
    let amount: Amount = "15.50".parse().unwrap();
    let query = Query::new()
        .filter(Field::OrderId.eq(order))
        .filter(Field::Status.is_in([Status::Unpaid, Status::Expired]))
        .filter(Field::Amount.gte(amount))
        .filter(Field::Title.starts_with("Balance"))
        .sort_desc(Field::CreatedDate)
        .sort_asc(Field::Amount)
        .limit(20);
    assert_eq!(
        serde_json::to_value(query.to_cursor_query()).unwrap(),
        json!({
            "cursorPaging": {"limit": 20},
            "filter": {
                "orderId": ORDER_ID,
                "status": {"$in": ["UNPAID", "EXPIRED"]},
                "amount.amount": {"$gte": "15.50"},
                "title": {"$startsWith": "Balance"},
            },
            "sort": [
                {"fieldName": "createdDate", "order": "DESC"},
                {"fieldName": "amount.amount", "order": "ASC"},
            ],
        })
    );
}

/// `$nin`, `$isEmpty` and the date operators in the shape Wix's SDK writes them: the
/// `@wix/sdk-runtime` 1.0.25 filter builder (`build/wql-builder-utils.js`) gives
/// `Filter('status').nin([..])` as `{"status": {"$nin": [..]}}` and `isEmpty()` as
/// `{"$isEmpty": true}`; a condition on one field is `{"field": {"$op": value}}`.
#[test]
fn nin_is_empty_and_date_operators_use_wixs_wire_shape() {
    let since: chrono::DateTime<chrono::Utc> = "2026-06-01T14:22:18.456Z".parse().unwrap();
    let query = Query::new()
        .filter(Field::Status.nin([Status::Paid, Status::Voided]))
        .filter(Field::Description.is_empty(true))
        .filter(Field::ExpirationDate.exists(false))
        .filter(Field::CreatedDate.gte(since))
        .filter(Field::UpdatedDate.is_in([since]))
        .filter(Field::OrderNumber.nin(["10052"]))
        .filter(Field::Id.is_empty(false));
    assert_eq!(
        serde_json::to_value(query.to_cursor_query()).unwrap(),
        json!({"filter": {
            "status": {"$nin": ["PAID", "VOIDED"]},
            "description": {"$isEmpty": true},
            "expirationDate": {"$exists": false},
            "createdDate": {"$gte": "2026-06-01T14:22:18.456Z"},
            "updatedDate": {"$in": ["2026-06-01T14:22:18.456Z"]},
            "orderNumber": {"$nin": ["10052"]},
            "id": {"$isEmpty": false},
        }})
    );
}

#[test]
fn fields_know_their_wql_names() {
    assert_eq!(Field::Amount.name(), "amount.amount");
    assert_eq!(Field::SourceAppId.name(), "source.appId");
    assert_eq!(Field::Status.name(), "status");
}

#[test]
fn same_field_twice_and_logical_operators_use_and_or_not() {
    let query = Query::new()
        .filter(Field::Title.starts_with("A"))
        .filter(Field::Title.ne("Ab"))
        .filter(Filter::or([
            Field::SourceExternalId.exists(true),
            Filter::not(Field::Description.exists(true)),
        ]));
    assert_eq!(
        serde_json::to_value(query.to_cursor_query()).unwrap(),
        json!({"filter": {"$and": [
            {"title": {"$startsWith": "A"}},
            {"title": {"$ne": "Ab"}},
            {"$or": [
                {"source.externalId": {"$exists": true}},
                {"$not": {"description": {"$exists": true}}},
            ]},
        ]}})
    );
}

#[tokio::test]
async fn stream_follows_cursors_until_has_next_is_false() {
    let server = TestServer::start(vec![
        page(&[1, 2], Some("c1"), true),
        page(&[3, 4], Some("c2"), true),
        page(&[5], None, false),
    ])
    .await;
    let items: Vec<_> = wix(&server)
        .query(
            Query::new()
                .filter(Field::OrderId.eq(ORDER_ID.parse::<uuid::Uuid>().unwrap()))
                .limit(2),
        )
        .stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.unwrap().id.to_string())
        .collect();
    assert_eq!(ids, (1..=5).map(id).collect::<Vec<_>>());
    let recorded = server.recorded();
    assert_eq!(
        recorded[0].json(),
        json!({"query": {"cursorPaging": {"limit": 2}, "filter": {"orderId": ORDER_ID}}})
    );
    // Later pages carry only the cursor (and page size), never filter or sort.
    assert_eq!(
        recorded[1].json(),
        json!({"query": {"cursorPaging": {"cursor": "c1", "limit": 2}}})
    );
    assert_eq!(
        recorded[2].json(),
        json!({"query": {"cursorPaging": {"cursor": "c2", "limit": 2}}})
    );
}

#[tokio::test]
async fn a_repeated_cursor_stops_the_stream() {
    let server = TestServer::start(vec![
        page(&[1], Some("same"), true),
        page(&[2], Some("same"), true),
        page(&[3], Some("other"), true),
    ])
    .await;
    let pages: Vec<_> = wix(&server).query(Query::new()).pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(server.recorded().len(), 2);
}

#[tokio::test]
async fn a_failing_page_keeps_items_already_yielded() {
    let server = TestServer::start(vec![
        page(&[1, 2], Some("c1"), true),
        Scripted::json(500, json!({"message": ""})),
    ])
    .await;
    let items: Vec<_> = wix(&server).query(Query::new()).stream().collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 500);
}

#[tokio::test]
async fn invalid_queries_are_refused_before_sending() {
    let server = TestServer::start(vec![]).await;
    let wix = wix(&server);
    let error = wix
        .query(Query::new().limit(101))
        .first_page()
        .await
        .unwrap_err();
    assert_eq!(
        error.field_violations()[0].field.as_deref(),
        Some("query.cursorPaging.limit")
    );
    let mut six = Query::new();
    for _ in 0..6 {
        six = six.sort_asc(Field::Title);
    }
    let error = wix.query(six).first_page().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }));
    assert_eq!(
        error.field_violations()[0].field.as_deref(),
        Some("query.sort")
    );
    assert!(server.recorded().is_empty(), "nothing was sent");
}
