//! Input the emulator refuses instead of storing: `null` for a required field, an id of the wrong
//! type, and extended fields beyond the emulator's size limits.

use crate::common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_opr_emulator::{Emulator, Limits};

const BASE: &str = "/ecom/v1/order-payment-requests";

/// The single violation of a 400 body.
fn only_violation(body: &Value) -> &Value {
    let list = body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap_or_else(|| panic!("no violations in {body}"));
    assert_eq!(list.len(), 1, "{body}");
    &list[0]
}

async fn patch(emu: &Emulator, site: &str, id: Uuid, entity: Value) -> (u16, Value) {
    let (status, body, _) = raw(
        emu,
        Method::PATCH,
        &format!("{BASE}/{id}"),
        site,
        Some(json!({ "orderPaymentRequest": entity })),
    )
    .await;
    (status, body)
}

async fn set_namespace(
    emu: &Emulator,
    site: &str,
    id: Uuid,
    namespace: &str,
    data: Value,
) -> (u16, Value) {
    let (status, body, _) = raw(
        emu,
        Method::POST,
        &format!("{BASE}/{id}/update-extended-fields"),
        site,
        Some(json!({"namespace": namespace, "namespaceData": data})),
    )
    .await;
    (status, body)
}

/// Namespace data whose compact JSON takes exactly `bytes` bytes.
fn data_of(bytes: usize) -> Value {
    let overhead = r#"{"v":""}"#.len();
    json!({ "v": "x".repeat(bytes - overhead) })
}

#[tokio::test]
async fn null_for_a_required_field_is_refused_and_changes_nothing() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    let created = create(&c, json!({"description": "kept"})).await;
    let id = created.id;
    for (entity, field) in [
        (json!({"title": null}), "orderPaymentRequest.title"),
        (
            json!({"title": "new", "amount": {"amount": null}}),
            "orderPaymentRequest.amount.amount",
        ),
        (json!({"amount": null}), "orderPaymentRequest.amount"),
        (json!({"orderId": null}), "orderPaymentRequest.orderId"),
    ] {
        let (status, body) = patch(&emu, &site, id, entity.clone()).await;
        assert_eq!(status, 400, "{entity}: {body}");
        let violation = only_violation(&body);
        assert_eq!(violation["field"], field, "{body}");
        assert_eq!(violation["violatedRule"], "REQUIRED_FIELD", "{body}");
    }
    let stored = get(&c, id).await;
    assert_eq!(stored.title, created.title);
    assert_eq!(stored.amount, created.amount);
    assert_eq!(stored.updated_date, created.updated_date);

    // An optional field may still be cleared with null.
    let (status, body) = patch(&emu, &site, id, json!({"description": null})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&c, id).await.description, None);
}

#[tokio::test]
async fn a_body_id_of_the_wrong_type_is_refused_not_replaced() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    let created = create(&c, json!({})).await;
    let id = created.id;
    for bad in [json!(12345), json!(true), json!({"id": id}), json!([id])] {
        let (status, body) = patch(&emu, &site, id, json!({"id": bad, "title": "changed"})).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(only_violation(&body)["field"], "orderPaymentRequest.id");
    }
    assert_eq!(get(&c, id).await.title, created.title);

    let (status, body, _) = raw(
        &emu,
        Method::POST,
        &format!("{BASE}/{id}/update-extended-fields"),
        &site,
        Some(json!({"id": 12345, "namespace": "ns", "namespaceData": {}})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(only_violation(&body)["field"], "id");
    // A null id stands for the path's, as an absent one does.
    let (status, body) = patch(&emu, &site, id, json!({"id": null, "title": "new"})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn extended_fields_are_capped_per_namespace_and_per_payment_request() {
    let limits = Limits {
        max_namespace_bytes: 1_000,
        max_extended_fields_bytes: 2_500,
        ..Limits::default()
    };
    let emu = Emulator::builder().limits(limits).start().await.unwrap();
    let (c, site) = site_client(&emu);
    let id = create(&c, json!({})).await.id;

    let (status, body) = set_namespace(&emu, &site, id, "a", data_of(1_000)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = set_namespace(&emu, &site, id, "b", data_of(1_001)).await;
    assert_eq!(status, 400, "{body}");
    let violation = only_violation(&body);
    assert_eq!(violation["field"], "namespaceData");
    assert_eq!(violation["violatedRule"], "MAX_SIZE");
    assert_eq!(violation["data"]["threshold"], 1_000);

    let (status, body) = set_namespace(&emu, &site, id, "b", data_of(1_000)).await;
    assert_eq!(status, 200, "{body}");
    // A third namespace would make all of them larger than the payment request's cap.
    let (status, body) = set_namespace(&emu, &site, id, "c", data_of(1_000)).await;
    assert_eq!(status, 400, "{body}");
    let violation = only_violation(&body);
    assert_eq!(violation["field"], "namespaceData");
    assert_eq!(violation["data"]["threshold"], 2_500);
    // Replacing a namespace with less keeps within the cap.
    let (status, body) = set_namespace(&emu, &site, id, "a", data_of(100)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = set_namespace(&emu, &site, id, "c", data_of(1_000)).await;
    assert_eq!(status, 200, "{body}");

    let stored = get(&c, id).await;
    let namespaces = stored.extended_fields.unwrap().namespaces;
    let mut names: Vec<_> = namespaces.keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);

    // Create holds extended fields to the same caps.
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        BASE,
        &site,
        Some(json!({"orderPaymentRequest": {
            "orderId": ORDER, "title": "t", "amount": {"amount": "1"},
            "extendedFields": {"namespaces": {"big": data_of(1_001)}},
        }})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        only_violation(&body)["field"],
        "orderPaymentRequest.extendedFields.namespaces.big"
    );
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/bulk/order-payment-requests/create",
        &site,
        Some(json!({"orderPaymentRequests": [
            {"orderId": ORDER, "title": "t", "amount": {"amount": "1"}, "source": {"externalId": "e1"}},
            {"orderId": ORDER, "title": "t", "amount": {"amount": "1"}, "source": {"externalId": "e2"},
             "extendedFields": {"namespaces": {"x": data_of(900), "y": data_of(900), "z": data_of(900)}}},
        ]})),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        only_violation(&body)["field"],
        "orderPaymentRequests[1].extendedFields.namespaces"
    );
    assert_eq!(emu.payment_request_count(), 1);
}

#[tokio::test]
async fn the_default_caps_refuse_a_namespace_of_megabytes() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    let (status, body) = set_namespace(&emu, &site, id, "big", data_of(1_500_000)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(only_violation(&body)["field"], "namespaceData");
    assert!(get(&c, id).await.extended_fields.is_none());
}
