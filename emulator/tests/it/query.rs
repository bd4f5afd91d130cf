//! Query through the generated client: operators, sort, cursors that carry filter and sort,
//! paging metadata, and errors for what the API does not support.

use crate::common;

use std::collections::HashSet;

use common::*;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{raw::Client, types};

async fn query(
    c: &Client,
    q: Value,
) -> Result<
    types::QueryOrderPaymentRequestsResponse,
    wix_order_payment_requests::Error<
        wix_order_payment_requests::error_codes::QueryOrderPaymentRequestsErrorCode,
    >,
> {
    let body: types::QueryOrderPaymentRequestsRequest =
        serde_json::from_value(json!({ "query": q })).unwrap();
    c.query_order_payment_requests()
        .body(body)
        .send()
        .await
        .map(|r| r.into_inner())
}

fn titles(r: &types::QueryOrderPaymentRequestsResponse) -> Vec<String> {
    r.order_payment_requests
        .iter()
        .map(|o| o.title.to_string())
        .collect()
}

/// Five requests with distinct titles, amounts and statuses; Alpha's description is `First`,
/// beta's is empty, the others have none.
async fn seed(emu: &Emulator, c: &Client) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for (title, amount, ext, description) in [
        ("Alpha", "10.00", "a-1", Some("First")),
        ("beta", "20.50", "b-2", Some("")),
        ("Gamma", "5.25", "g-3", None),
        ("delta", "20.50", "d-4", None),
        ("Epsilon", "99.99", "e-5", None),
    ] {
        let mut fields =
            json!({"title": title, "amount": {"amount": amount}, "source": {"externalId": ext}});
        if let Some(description) = description {
            fields["description"] = json!(description);
        }
        let id = create(c, fields).await.id;
        ids.push(id);
        // Distinct creation times, so the default sort (createdDate DESC) has no ties.
        emu.advance_clock(std::time::Duration::from_millis(5));
    }
    assert_eq!(pay_on_page(emu, ids[1]).await, 200);
    void(c, ids[2]).await;
    ids
}

#[tokio::test]
async fn operators_and_combinations() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let ids = seed(&emu, &c).await;
    let created: Vec<String> = {
        let mut items = Vec::new();
        for id in &ids {
            items.push(get(&c, *id).await.created_date.to_rfc3339());
        }
        items
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let cases = [
        (json!({"status": "PAID"}), vec!["beta"]),
        (json!({"status": {"$ne": "UNPAID"}}), vec!["Gamma", "beta"]),
        (
            json!({"status": {"$in": ["PAID", "VOIDED"]}}),
            vec!["Gamma", "beta"],
        ),
        (
            json!({"amount.amount": {"$gte": "20.5"}}),
            vec!["Epsilon", "beta", "delta"],
        ),
        (json!({"amount.amount": {"$lt": 10}}), vec!["Gamma"]),
        (json!({"title": {"$startsWith": "AL"}}), vec!["Alpha"]),
        (json!({"source.externalId": "d-4"}), vec!["delta"]),
        (json!({"id": ids[4].to_string()}), vec!["Epsilon"]),
        (
            json!({"id": ids[4].to_string().to_uppercase()}),
            vec!["Epsilon"],
        ),
        (
            json!({"id": {"$in": [ids[0].simple().to_string(), ids[3].to_string()]}}),
            vec!["Alpha", "delta"],
        ),
        (json!({"expirationDate": {"$exists": true}}), vec![]),
        (
            json!({"description": {"$exists": false}, "status": "UNPAID", "amount.amount": {"$gt": "50"}}),
            vec!["Epsilon"],
        ),
        (
            json!({"$or": [{"title": "Alpha"}, {"title": "delta"}]}),
            vec!["Alpha", "delta"],
        ),
        (
            json!({"$and": [{"amount.amount": {"$gt": "6"}}, {"$not": {"status": "UNPAID"}}]}),
            vec!["beta"],
        ),
        (
            json!({"orderId": ORDER, "status": "UNPAID"}),
            vec!["Alpha", "Epsilon", "delta"],
        ),
        (
            json!({"status": {"$nin": ["PAID", "VOIDED"]}}),
            vec!["Alpha", "Epsilon", "delta"],
        ),
        (
            json!({"source.externalId": {"$nin": ["a-1", "b-2"]}}),
            vec!["Epsilon", "Gamma", "delta"],
        ),
        (
            json!({"createdDate": {"$nin": [created[0]]}}),
            vec!["Epsilon", "Gamma", "beta", "delta"],
        ),
        // Only Alpha has a description; beta's is "" and the others have none.
        (
            json!({"description": {"$isEmpty": true}}),
            vec!["Epsilon", "Gamma", "beta", "delta"],
        ),
        (json!({"description": {"$isEmpty": false}}), vec!["Alpha"]),
        (
            json!({"description": {"$exists": true}}),
            vec!["Alpha", "beta"],
        ),
    ];
    for (filter, want) in cases {
        let got = query(&c, json!({"filter": filter})).await.unwrap();
        assert_eq!(sorted(titles(&got)), want, "{filter}");
        assert_eq!(got.paging_metadata.unwrap().count, Some(want.len() as i32));
    }
}

#[tokio::test]
async fn sort_defaults_and_multiple_keys() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    seed(&emu, &c).await;
    let got = query(&c, json!({})).await.unwrap();
    assert_eq!(
        titles(&got),
        ["Epsilon", "delta", "Gamma", "beta", "Alpha"],
        "createdDate DESC"
    );
    let got = query(
        &c,
        json!({"sort": [
            {"fieldName": "amount.amount", "order": "DESC"},
            {"fieldName": "title", "order": "ASC"},
        ]}),
    )
    .await
    .unwrap();
    assert_eq!(titles(&got), ["Epsilon", "beta", "delta", "Alpha", "Gamma"]);
}

#[tokio::test]
async fn cursors_page_through_everything_and_carry_the_filter() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    for i in 0..23 {
        create(&c, json!({"title": format!("r{i:02}"), "description": if i % 2 == 0 { "even" } else { "odd" }})).await;
    }
    let mut seen = Vec::new();
    let mut page = query(&c, json!({"filter": {"description": "even"}, "sort": [{"fieldName": "title"}], "cursorPaging": {"limit": 5}})).await.unwrap();
    let mut cursors = HashSet::new();
    loop {
        seen.extend(titles(&page));
        let meta = page.paging_metadata.clone().unwrap();
        if meta.has_next != Some(true) {
            assert!(meta.cursors.and_then(|c| c.next).is_none());
            break;
        }
        let next = meta.cursors.unwrap().next.unwrap().to_string();
        assert!(cursors.insert(next.clone()), "a cursor repeated");
        page = query(&c, json!({"cursorPaging": {"cursor": next, "limit": 5}}))
            .await
            .unwrap();
    }
    let want: Vec<String> = (0..23)
        .filter(|i| i % 2 == 0)
        .map(|i| format!("r{i:02}"))
        .collect();
    assert_eq!(seen, want);
    // Back from the last page with its prev cursor.
    let prev = page
        .paging_metadata
        .unwrap()
        .cursors
        .unwrap()
        .prev
        .unwrap()
        .to_string();
    let back = query(&c, json!({"cursorPaging": {"cursor": prev, "limit": 5}}))
        .await
        .unwrap();
    assert_eq!(titles(&back), want[5..10]);
}

#[tokio::test]
async fn unsupported_queries_are_400s_naming_the_path() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let cases = [
        (
            json!({"filter": {"currency": "USD"}}),
            "query.filter.currency",
        ),
        (
            json!({"filter": {"amount.amount": {"$startsWith": "1"}}}),
            "query.filter.amount.amount",
        ),
        (
            json!({"filter": {"amount.amount": {"$nin": ["1"]}}}),
            "query.filter.amount.amount",
        ),
        (
            json!({"filter": {"status": {"$startsWith": "UN"}}}),
            "query.filter.status",
        ),
        (
            json!({"filter": {"status": {"$gt": "PAID"}}}),
            "query.filter.status",
        ),
        (
            json!({"filter": {"$or": [{"status": {"$isEmpty": false}}]}}),
            "query.filter.$or[0].status",
        ),
        (
            json!({"filter": {"createdDate": {"$startsWith": "2026"}}}),
            "query.filter.createdDate",
        ),
        (
            json!({"filter": {"title": {"$hasSome": ["x"]}}}),
            "query.filter.title",
        ),
        (
            json!({"filter": {"status": {"$hasAll": ["PAID"]}}}),
            "query.filter.status",
        ),
        (
            json!({"filter": {"title": {"$regex": "x"}}}),
            "query.filter.title",
        ),
        (json!({"sort": [{"fieldName": "orderId"}]}), "query.sort"),
        (
            json!({"cursorPaging": {"cursor": "not-a-cursor"}}),
            "query.cursorPaging.cursor",
        ),
        (
            json!({"filter": {"title": "x"}, "cursorPaging": {"cursor": "abc"}}),
            "query",
        ),
    ];
    for (q, path) in cases {
        let err = query(&c, q.clone()).await.unwrap_err();
        assert_eq!(err.status().unwrap().as_u16(), 400, "{q}");
        let fields: Vec<String> = err
            .field_violations()
            .iter()
            .filter_map(|v| v.field.clone())
            .collect();
        assert!(
            fields.iter().any(|f| f.starts_with(path)),
            "{q}: {fields:?}"
        );
    }
    let sorts: Vec<Value> = (0..6).map(|_| json!({"fieldName": "title"})).collect();
    let err = query(&c, json!({"sort": sorts})).await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 400);
}

#[tokio::test]
async fn a_long_filter_still_gives_short_cursors() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let mut wanted = Vec::new();
    for i in 0..5 {
        wanted.push(
            create(&c, json!({"title": format!("t{i}")}))
                .await
                .id
                .to_string(),
        );
        emu.advance_clock(std::time::Duration::from_millis(5));
    }
    // 450 ids: the filter alone is over 16,000 characters of JSON.
    let mut ids: Vec<String> = (0..445).map(|_| Uuid::new_v4().to_string()).collect();
    ids.extend(wanted.iter().cloned());
    let filter = json!({"id": {"$in": ids}});
    assert!(filter.to_string().len() > 16_000);
    let mut page = query(&c, json!({"filter": filter, "cursorPaging": {"limit": 2}}))
        .await
        .unwrap();
    let mut seen = titles(&page);
    while let Some(next) = page.paging_metadata.clone().unwrap().cursors.unwrap().next {
        let next = next.to_string();
        assert!(next.len() < 1_000, "cursor of {} characters", next.len());
        page = query(&c, json!({"cursorPaging": {"cursor": next, "limit": 2}}))
            .await
            .unwrap();
        seen.extend(titles(&page));
    }
    assert_eq!(seen, ["t4", "t3", "t2", "t1", "t0"]);
}

#[tokio::test]
async fn a_disallowed_operator_is_a_validation_error_naming_the_field_path() {
    let emu = Emulator::start().await.unwrap();
    let (_, site) = site_client(&emu);
    for (filter, path) in [
        (
            json!({"status": {"$startsWith": "UN"}}),
            "query.filter.status",
        ),
        (
            json!({"$and": [{"title": "x"}, {"updatedDate": {"$isEmpty": true}}]}),
            "query.filter.$and[1].updatedDate",
        ),
        (
            json!({"amount.amount": {"$in": ["1.00"]}}),
            "query.filter.amount.amount",
        ),
    ] {
        let (status, body, _) = raw(
            &emu,
            reqwest::Method::POST,
            "/ecom/v1/order-payment-requests/query",
            &site,
            Some(json!({"query": {"filter": filter}})),
        )
        .await;
        assert_eq!(status, 400, "{filter}: {body}");
        // Wix's validation-error shape: details.validationError.fieldViolations[].
        let violations = body["details"]["validationError"]["fieldViolations"]
            .as_array()
            .unwrap_or_else(|| panic!("{filter}: {body}"));
        assert_eq!(violations.len(), 1, "{filter}: {body}");
        assert_eq!(violations[0]["field"], path, "{filter}");
        assert_eq!(violations[0]["violatedRule"], "UNSUPPORTED_OPERATOR");
        assert!(
            violations[0]["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{body}"
        );
        assert!(body["message"].as_str().is_some_and(|m| m.contains(path)));
    }
}
