//! Client-side validation beside the emulator's: an invalid input is refused before anything is
//! sent, and the same body sent raw gets the same field paths, rule names and rule data from
//! the emulator. What only the API can check (that the order exists) comes back as the
//! operation's own typed code.

use crate::emulator_support;

use std::sync::Arc;

use emulator_support::{
    client, emulator, new_request, policy, RecordingSleeper, ORDER_ID, SITE_ID,
};
use serde_json::{json, Value};
use wix_opr_emulator::faults::DEFAULT_SLOW;
use wix_opr_emulator::{Emulator, FaultConfig, FaultKind};
use wix_order_payment_requests::error::{ApplicationErrorCode, StatusSource};
use wix_order_payment_requests::error_codes::{
    BulkCreateOrderPaymentRequestsErrorCode as BulkCode,
    CreateOrderPaymentRequestErrorCode as CreateCode,
};
use wix_order_payment_requests::{
    types, validate, Error, Field, PaymentMethod, Query, RetryPolicy, SortOrder,
};

/// `(field, rule, data)` of each violation, sorted, with absent data as `{}`.
type Rules = Vec<(String, String, Value)>;

fn sorted(mut rules: Rules) -> Rules {
    rules.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rules
}

fn client_rules(violations: &[types::FieldViolation]) -> Rules {
    sorted(
        violations
            .iter()
            .map(|v| {
                (
                    v.field.clone().unwrap_or_default(),
                    v.violated_rule.clone().unwrap_or_default(),
                    Value::Object(v.data.clone()),
                )
            })
            .collect(),
    )
}

/// The violations a client error carries; fails unless the client refused to send.
fn refused<C: wix_order_payment_requests::ApplicationErrorCode>(error: Error<C>) -> Rules {
    match &error {
        Error::InvalidRequest { violations, .. } => client_rules(violations),
        other => panic!("expected a client-side validation error, got {other:?}"),
    }
}

/// Sends `body` as it is and returns the emulator's violations (it must answer 400).
async fn raw(
    emu: &Emulator,
    method: reqwest::Method,
    path: &str,
    body: &impl serde::Serialize,
) -> Rules {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", emu.base_url()))
        .header("authorization", emulator_support::API_KEY)
        .header("wix-site-id", SITE_ID)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400, "{path}");
    let body: Value = response.json().await.unwrap();
    let violations = body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap_or_else(|| panic!("no field violations in {body}"));
    sorted(
        violations
            .iter()
            .map(|v| {
                (
                    v["field"].as_str().unwrap_or_default().to_string(),
                    v["violatedRule"].as_str().unwrap_or_default().to_string(),
                    match &v["data"] {
                        Value::Null => json!({}),
                        data => data.clone(),
                    },
                )
            })
            .collect(),
    )
}

/// Makes every API request fail with `503`: a client that sent anything would see it.
fn fail_everything(emu: &Emulator) {
    let cfg = FaultConfig::new(1.0, 0, vec![FaultKind::Unavailable], DEFAULT_SLOW).unwrap();
    emu.faults().set(Some(cfg));
}

const CREATE: &str = "/ecom/v1/order-payment-requests";
const BULK: &str = "/ecom/v1/bulk/order-payment-requests/create";
const QUERY: &str = "/ecom/v1/order-payment-requests/query";

#[tokio::test]
async fn create_violations_match_the_emulator() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let invalid = types::NewOrderPaymentRequest {
        blocked_payment_methods: vec![PaymentMethod::Manual, PaymentMethod::Manual],
        ..new_request(ORDER_ID, "Balance", None)
    };

    fail_everything(&emu);
    let ours = refused(wix.create(invalid.clone()).await.unwrap_err());
    emu.faults().set(None);
    assert_eq!(emu.payment_request_count(), 0, "nothing was sent");
    assert_eq!(
        ours,
        [(
            "orderPaymentRequest.blockedPaymentMethods".into(),
            "MAX_ITEMS".into(),
            json!({"threshold": 1})
        )]
    );

    let body = types::CreateOrderPaymentRequestRequest {
        order_payment_request: invalid,
    };
    assert_eq!(raw(&emu, reqwest::Method::POST, CREATE, &body).await, ours);
    assert_eq!(emu.payment_request_count(), 0);

    // The client's type cannot leave out a required field; a body without them (sent by
    // another client) is refused by the emulator with each missing field, from the same
    // `required` lists of the spec.
    let body = json!({"orderPaymentRequest": {"amount": {}}});
    assert_eq!(
        raw(&emu, reqwest::Method::POST, CREATE, &body).await,
        [
            (
                "orderPaymentRequest.amount.amount".into(),
                "REQUIRED_FIELD".into(),
                json!({})
            ),
            (
                "orderPaymentRequest.orderId".into(),
                "REQUIRED_FIELD".into(),
                json!({})
            ),
            (
                "orderPaymentRequest.title".into(),
                "REQUIRED_FIELD".into(),
                json!({})
            ),
        ]
    );
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn bulk_create_violations_match_the_emulator() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let complete = types::NewBulkOrderPaymentRequest::new(
        ORDER_ID.parse().unwrap(),
        "1.00".parse().unwrap(),
        "Balance".parse().unwrap(),
        "inv-1".parse().unwrap(),
    );
    for (items, expected) in [
        (
            vec![],
            vec![("orderPaymentRequests", "MIN_ITEMS", json!({"threshold": 1}))],
        ),
        (
            vec![complete.clone(); 101],
            vec![(
                "orderPaymentRequests",
                "MAX_ITEMS",
                json!({"threshold": 100}),
            )],
        ),
    ] {
        fail_everything(&emu);
        let ours = refused(wix.bulk_create(items.clone(), false).await.unwrap_err());
        emu.faults().set(None);
        let expected: Rules = expected
            .into_iter()
            .map(|(f, r, d)| (f.to_string(), r.to_string(), d))
            .collect();
        assert_eq!(ours, expected);
        let body = types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests: items,
            return_entity: false,
        };
        assert_eq!(raw(&emu, reqwest::Method::POST, BULK, &body).await, ours);
    }
    assert_eq!(emu.payment_request_count(), 0, "nothing was created");
}

/// A code's description from the spec, on one line (as an error body carries it).
fn spec_description(code: &impl ApplicationErrorCode) -> String {
    let text = code
        .description()
        .expect("a documented code has a description");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn create_for_an_unknown_order_answers_creates_own_order_not_found() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(3, &sleeper));
    let unknown = uuid::Uuid::new_v4().to_string();

    let error = match wix.create(new_request(&unknown, "Balance", None)).await {
        Err(Error::Api(e)) => e,
        other => panic!("expected the API's refusal, got {other:?}"),
    };
    assert_eq!(error.code, Some(CreateCode::OrderNotFound), "{error}");
    assert_eq!(error.status.as_u16(), 404);
    assert_eq!(CreateCode::OrderNotFound.http_status(), Some(404));
    assert_eq!(
        CreateCode::OrderNotFound.http_status_source(),
        Some(StatusSource::Inferred)
    );
    let description = error
        .application_error
        .as_ref()
        .and_then(|a| a.description.clone())
        .expect("an application error carries its description");
    assert_eq!(description, spec_description(&CreateCode::OrderNotFound));
    assert_ne!(description, spec_description(&BulkCode::OrderNotFound));
    assert!(
        !description.contains("itemMetadata"),
        "Create's text, not a bulk item's: {description}"
    );
    assert!(sleeper.waits().is_empty(), "a 404 is not retried");
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn bulk_create_for_an_unknown_order_keeps_the_item_error_and_its_text() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let item = |order: &str, external_id: &str| {
        types::NewBulkOrderPaymentRequest::new(
            order.parse().unwrap(),
            "1.00".parse().unwrap(),
            "Balance".parse().unwrap(),
            external_id.parse().unwrap(),
        )
    };
    let unknown = uuid::Uuid::new_v4().to_string();
    let out = wix
        .bulk_create(
            vec![item(ORDER_ID, "inv-known"), item(&unknown, "inv-unknown")],
            false,
        )
        .await
        .expect("item failures are not the call's status");
    let errors: Vec<_> = out
        .results
        .iter()
        .map(|r| r.item_metadata.as_ref().unwrap().error.clone())
        .collect();
    assert!(errors[0].is_none(), "{errors:?}");
    let error = errors[1].as_ref().expect("the unknown order's item fails");
    let code: BulkCode = error.code.as_deref().unwrap().parse().unwrap();
    assert_eq!(code, BulkCode::OrderNotFound);
    assert_eq!(
        error.description.as_deref(),
        Some(spec_description(&BulkCode::OrderNotFound).as_str())
    );
    assert_ne!(
        spec_description(&BulkCode::OrderNotFound),
        spec_description(&CreateCode::OrderNotFound)
    );
    assert_eq!(emu.payment_request_count(), 1);
}

#[tokio::test]
async fn query_violations_match_the_emulator() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let mut six_sorts = Query::new();
    for _ in 0..6 {
        six_sorts = six_sorts.sort_asc(Field::Title);
    }
    for (query, expected) in [
        (
            Query::new().limit(101),
            ("query.cursorPaging.limit", "MAX", json!({"threshold": 100})),
        ),
        (
            Query::new().limit(-1),
            ("query.cursorPaging.limit", "MIN", json!({"threshold": 0})),
        ),
        (
            six_sorts,
            ("query.sort", "MAX_ITEMS", json!({"threshold": 5})),
        ),
    ] {
        fail_everything(&emu);
        let ours = refused(wix.query(query.clone()).first_page().await.unwrap_err());
        emu.faults().set(None);
        let (field, rule, data) = expected;
        assert_eq!(ours, [(field.to_string(), rule.to_string(), data)]);
        let body = types::QueryOrderPaymentRequestsRequest {
            query: query.to_cursor_query(),
        };
        assert_eq!(raw(&emu, reqwest::Method::POST, QUERY, &body).await, ours);
    }
}

#[tokio::test]
async fn a_cursor_with_a_filter_or_sort_is_refused_like_the_emulator() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    for i in 0..2 {
        wix.create(new_request(ORDER_ID, &format!("Request {i}"), None))
            .await
            .unwrap();
    }
    let first = wix.query(Query::new().limit(1)).first_page().await.unwrap();
    let cursor = first
        .paging_metadata
        .and_then(|m| m.cursors)
        .and_then(|c| c.next)
        .expect("a next cursor");
    let query = types::CursorQuery {
        cursor_paging: Some(types::CursorPaging {
            cursor: Some(cursor.to_string().parse().unwrap()),
            limit: Some(1),
        }),
        filter: json!({"status": "UNPAID"}).as_object().unwrap().clone(),
        sort: vec![types::Sorting {
            field_name: Some("title".parse().unwrap()),
            order: Some(SortOrder::Asc),
        }],
    };
    let ours = client_rules(&validate::query(&query));
    assert_eq!(
        ours,
        [
            (
                "query.filter".into(),
                "NOT_ALLOWED_WITH_CURSOR".into(),
                json!({})
            ),
            (
                "query.sort".into(),
                "NOT_ALLOWED_WITH_CURSOR".into(),
                json!({})
            ),
        ]
    );
    let body = types::QueryOrderPaymentRequestsRequest { query };
    assert_eq!(raw(&emu, reqwest::Method::POST, QUERY, &body).await, ours);
}

#[tokio::test]
async fn an_update_body_id_other_than_the_path_id_is_matches_path() {
    let emu = emulator().await;
    let wix = client(&emu, RetryPolicy::disabled());
    let id = wix
        .create(new_request(ORDER_ID, "Balance", None))
        .await
        .unwrap()
        .request
        .id;
    let body = types::UpdateOrderPaymentRequestRequest {
        order_payment_request: types::OrderPaymentRequestPatch {
            title: Some("New title".parse().unwrap()),
            ..types::OrderPaymentRequestPatch::new(uuid::Uuid::new_v4())
        },
    };
    let ours = client_rules(&validate::update(id, &body));
    assert_eq!(
        ours,
        [(
            "orderPaymentRequest.id".into(),
            "MATCHES_PATH".into(),
            json!({})
        )]
    );
    let path = format!("/ecom/v1/order-payment-requests/{id}");
    assert_eq!(raw(&emu, reqwest::Method::PATCH, &path, &body).await, ours);
}

#[tokio::test]
async fn a_long_cursor_is_measured_in_characters_on_both_sides() {
    let emu = emulator().await;
    // 16001 characters: refused by the cursor type itself, and by the emulator.
    let max = wix_order_payment_requests::generated::rules::CURSOR_PAGING_CURSOR_MAX_LENGTH.value;
    let too_long = "é".repeat(max as usize + 1);
    assert!(too_long.parse::<types::CursorPagingCursor>().is_err());
    let body = json!({"query": {"cursorPaging": {"cursor": too_long}}});
    assert_eq!(
        raw(&emu, reqwest::Method::POST, QUERY, &body).await,
        [(
            "query.cursorPaging.cursor".into(),
            "MAX_LENGTH".into(),
            json!({"threshold": 16000})
        )]
    );
    // 16000 two-byte characters (32000 bytes) are within the limit on both sides; the emulator
    // then refuses the cursor for not being one it issued, not for its length.
    let at_limit = "é".repeat(max as usize);
    let query = types::CursorQuery {
        cursor_paging: Some(types::CursorPaging {
            cursor: Some(at_limit.parse().unwrap()),
            limit: None,
        }),
        filter: Default::default(),
        sort: Vec::new(),
    };
    assert!(validate::query(&query).is_empty());
    let body = types::QueryOrderPaymentRequestsRequest { query };
    let theirs = raw(&emu, reqwest::Method::POST, QUERY, &body).await;
    assert!(
        theirs.iter().all(|(_, rule, _)| rule != "MAX_LENGTH"),
        "{theirs:?}"
    );
}
