//! Every operation through the generated client over real HTTP: the happy paths and the
//! documented application errors.

use crate::common;

use common::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::error::ApplicationErrorCode;
use wix_order_payment_requests::error_codes::*;
use wix_order_payment_requests::{types, PaymentMethod, Status};

fn void_body(id: Uuid) -> types::VoidOrderPaymentRequestRequest {
    types::VoidOrderPaymentRequestRequest {
        order_payment_request_id: id,
    }
}

#[tokio::test]
async fn create_fills_server_fields_and_ignores_read_only_input() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let created = c
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: opr(json!({
                "status": "PAID", "currency": "EUR", "orderNumber": "1",
                "id": Uuid::nil(), "createdDate": "2001-01-01T00:00:00Z",
                "source": {"appId": Uuid::new_v4(), "externalId": "ext-1"},
            })),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let opr = created.order_payment_request;
    assert_eq!(opr.status, Status::Unpaid);
    assert_eq!(opr.currency, "USD");
    assert_eq!(opr.order_number.as_ref().map(|v| v.as_str()), Some("10052"));
    assert_ne!(opr.id, Uuid::nil());
    assert!(opr.created_date.timestamp() > 1_000_000_000);
    assert_eq!(opr.created_date, opr.updated_date);
    let amount = opr.amount;
    assert_eq!(amount.amount.to_string(), "15.50");
    assert_eq!(amount.formatted_amount, "$15.50");
    assert!(opr.payment_gateway_order_id.is_some());
    assert_eq!(
        opr.source.unwrap().external_id.as_ref().map(|v| v.as_str()),
        Some("ext-1")
    );
    let url = created.order_payment_request_url;
    let url = url.as_str();
    assert!(url.starts_with(&emu.base_url()) && url.contains(&opr.id.to_string()));
}

#[tokio::test]
async fn get_update_delete_round_trip() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({"description": "old"})).await.id;
    assert_eq!(
        get(&c, id).await.description.as_ref().map(|v| v.as_str()),
        Some("old")
    );

    let updated = c
        .update_order_payment_request()
        .order_payment_request_id(id)
        .body(types::UpdateOrderPaymentRequestRequest {
            order_payment_request: serde_json::from_value(json!({
                "id": id, "title": "New title", "blockedPaymentMethods": ["MANUAL"],
            }))
            .unwrap(),
        })
        .send()
        .await
        .unwrap()
        .into_inner()
        .order_payment_request;
    assert_eq!(updated.title.as_str(), "New title");
    assert_eq!(
        updated.description.as_ref().map(|v| v.as_str()),
        Some("old"),
        "fields not sent stay"
    );
    assert_eq!(updated.blocked_payment_methods, vec![PaymentMethod::Manual]);
    assert!(updated.updated_date >= updated.created_date);
    assert_eq!(get(&c, id).await, updated);

    c.delete_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .unwrap();
    let err = c
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    );
}

#[tokio::test]
async fn update_refuses_immutables_but_accepts_them_unchanged() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    let original = create(&c, json!({"expirationDate": "2999-01-01T00:00:00Z"})).await;
    let id = original.id;
    let path = format!("/ecom/v1/order-payment-requests/{id}");

    let err = c
        .update_order_payment_request()
        .order_payment_request_id(id)
        .body(types::UpdateOrderPaymentRequestRequest {
            order_payment_request: serde_json::from_value(
                json!({"id": id, "amount": {"amount": "1.00"}}),
            )
            .unwrap(),
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&UpdateOrderPaymentRequestErrorCode::CannotUpdateOrderPaymentRequestAmount)
    );
    assert_eq!(err.status().unwrap().as_u16(), 428);

    let (status, body, _) = raw(
        &emu,
        Method::PATCH,
        &path,
        &site,
        Some(json!({"orderPaymentRequest": {
            "id": id, "orderId": Uuid::new_v4(), "expirationDate": "2998-01-01T00:00:00Z",
            "source": {"externalId": "other"},
        }})),
    )
    .await;
    assert_eq!(status, 400);
    let mut fields = violated_fields(&body);
    fields.sort();
    assert_eq!(
        fields,
        [
            "orderPaymentRequest.expirationDate",
            "orderPaymentRequest.orderId",
            "orderPaymentRequest.source",
        ]
    );

    // The whole object sent back unchanged, with a new title: accepted.
    let mut whole = serde_json::to_value(&original).unwrap();
    whole["title"] = json!("Changed");
    let (status, body, _) = raw(
        &emu,
        Method::PATCH,
        &path,
        &site,
        Some(json!({"orderPaymentRequest": whole})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["orderPaymentRequest"]["title"], "Changed");

    // Path and body ids must agree.
    let (status, body, _) = raw(
        &emu,
        Method::PATCH,
        &path,
        &site,
        Some(json!({"orderPaymentRequest": {"id": Uuid::new_v4(), "title": "x"}})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(violated_fields(&body), ["orderPaymentRequest.id"]);
}

#[tokio::test]
async fn only_unpaid_can_be_updated() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let update = |id: Uuid| {
        c.update_order_payment_request()
            .order_payment_request_id(id)
            .body(types::UpdateOrderPaymentRequestRequest {
                order_payment_request: serde_json::from_value(json!({"id": id, "title": "t"}))
                    .unwrap(),
            })
            .send()
    };
    let paid = create(&c, json!({})).await.id;
    assert_eq!(pay_on_page(&emu, paid).await, 200);
    let voided = create(&c, json!({})).await.id;
    void(&c, voided).await;
    let expired = create(&c, json!({"expirationDate": "2000-01-01T00:00:00Z"}))
        .await
        .id;
    use UpdateOrderPaymentRequestErrorCode as E;
    for (id, code) in [
        (paid, E::CannotUpdatePaidOrderPaymentRequest),
        (voided, E::CannotUpdateVoidedOrderPaymentRequest),
        (expired, E::CannotUpdateExpiredOrderPaymentRequest),
    ] {
        let err = update(id).await.unwrap_err();
        assert_eq!(err.code(), Some(&code));
    }
}

#[tokio::test]
async fn delete_any_status_but_paid() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let paid = create(&c, json!({})).await.id;
    pay_on_page(&emu, paid).await;
    let err = c
        .delete_order_payment_request()
        .order_payment_request_id(paid)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&DeleteOrderPaymentRequestErrorCode::CannotDeletePaidOrderPaymentRequest)
    );
    for extra in [json!({"expirationDate": "2000-01-01T00:00:00Z"}), json!({})] {
        let id = create(&c, extra).await.id;
        c.delete_order_payment_request()
            .order_payment_request_id(id)
            .send()
            .await
            .unwrap();
    }
    let voided = create(&c, json!({})).await.id;
    void(&c, voided).await;
    c.delete_order_payment_request()
        .order_payment_request_id(voided)
        .send()
        .await
        .unwrap();
    assert_eq!(emu.payment_request_count(), 1);
}

#[tokio::test]
async fn void_rules() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    void(&c, id).await;
    let first = get(&c, id).await;
    assert_eq!(first.status, Status::Voided);
    void(&c, id).await;
    assert_eq!(get(&c, id).await, first, "voiding VOIDED changes nothing");

    let paid = create(&c, json!({})).await.id;
    pay_on_page(&emu, paid).await;
    let err = c
        .void_order_payment_request()
        .body(void_body(paid))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&VoidOrderPaymentRequestErrorCode::CannotVoidPaidOrderPaymentRequest)
    );
    let expired = create(&c, json!({"expirationDate": "2000-01-01T00:00:00Z"}))
        .await
        .id;
    let err = c
        .void_order_payment_request()
        .body(void_body(expired))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&VoidOrderPaymentRequestErrorCode::CannotVoidExpiredOrderPaymentRequest)
    );
    let err = c
        .void_order_payment_request()
        .body(void_body(Uuid::new_v4()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&VoidOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    );
    assert_eq!(err.status().unwrap().as_u16(), 404);
}

#[tokio::test]
async fn get_url_and_update_extended_fields() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    let url = c
        .get_order_payment_request_url()
        .body(types::GetOrderPaymentRequestUrlRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .unwrap()
        .into_inner()
        .order_payment_request_url;
    assert_eq!(
        url.to_string(),
        format!("{}/_emulator/pay/{id}", emu.base_url())
    );
    let err = c
        .get_order_payment_request_url()
        .body(types::GetOrderPaymentRequestUrlRequest {
            order_payment_request_id: Uuid::new_v4(),
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&GetOrderPaymentRequestUrlErrorCode::OrderPaymentRequestNotFound)
    );
    emu.set_page_not_found(true);
    let err = c
        .get_order_payment_request_url()
        .body(types::GetOrderPaymentRequestUrlRequest {
            order_payment_request_id: id,
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&GetOrderPaymentRequestUrlErrorCode::OrderPaymentRequestPageNotFound)
    );
    emu.set_page_not_found(false);

    let body: types::UpdateExtendedFieldsRequest = serde_json::from_value(json!({
        "id": id.to_string(), "namespace": "@acme/loyalty", "namespaceData": {"points": 12},
    }))
    .unwrap();
    let out = c
        .update_extended_fields()
        .id(id.to_string())
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .order_payment_request;
    let ns = &out.extended_fields.unwrap().namespaces["@acme/loyalty"];
    assert_eq!(ns["points"], 12);
    assert_eq!(
        get(&c, id).await.extended_fields.unwrap().namespaces["@acme/loyalty"]["points"],
        12
    );
}

#[tokio::test]
async fn bulk_create_reports_each_item() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let src = |n: u32| json!({"externalId": format!("bulk-{n}")});
    let items = vec![
        bulk_opr(json!({"source": src(0)})),
        bulk_opr(json!({"orderId": Uuid::new_v4(), "source": src(1)})),
        bulk_opr(
            json!({"orderId": SUBSCRIPTION_ORDER, "amount": {"amount": "5.00"}, "source": src(2)}),
        ),
        bulk_opr(
            json!({"orderId": SUBSCRIPTION_ORDER, "amount": {"amount": "20.00"}, "source": src(3)}),
        ),
    ];
    let out = c
        .bulk_create_order_payment_requests()
        .body(types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests: items,
            return_entity: true,
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let meta = out.bulk_action_metadata.unwrap();
    assert_eq!(
        (meta.total_successes, meta.total_failures),
        (Some(2), Some(2))
    );
    let codes: Vec<Option<String>> = out
        .results
        .iter()
        .map(|r| {
            r.item_metadata
                .as_ref()
                .unwrap()
                .error
                .as_ref()
                .and_then(|e| e.code.clone())
        })
        .collect();
    assert_eq!(
        codes,
        [
            None,
            Some("ORDER_NOT_FOUND".into()),
            Some("PARTIAL_PAYMENT_NOT_SUPPORTED_FOR_SUBSCRIPTION".into()),
            None,
        ]
    );
    for (i, r) in out.results.iter().enumerate() {
        let m = r.item_metadata.as_ref().unwrap();
        assert_eq!(m.original_index, Some(i as i32));
        assert_eq!(m.success, Some(codes[i].is_none()));
        assert_eq!(r.item.is_some(), codes[i].is_none());
    }
    let first = out.results[0].item.as_ref().unwrap();
    assert!(!first.order_payment_request_url.is_empty());
    assert_eq!(emu.payment_request_count(), 2);

    // Without returnEntity, items carry only metadata.
    let out = c
        .bulk_create_order_payment_requests()
        .body(types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests: vec![bulk_opr(json!({"source": src(4)}))],
            return_entity: false,
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(out.results[0].item.is_none());
    assert!(out.results[0].item_metadata.as_ref().unwrap().id.is_some());
}

#[tokio::test]
async fn subscription_rules() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let try_create = |order: &str, amount: &str| {
        c.create_order_payment_request()
            .body(types::CreateOrderPaymentRequestRequest {
                order_payment_request: opr(json!({"orderId": order, "amount": {"amount": amount}})),
            })
            .send()
    };
    use CreateOrderPaymentRequestErrorCode as E;
    let err = try_create(APPROVED_SUBSCRIPTION_ORDER, "49.00")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&E::InvalidOrderStatusForSubscription));
    let err = try_create(SUBSCRIPTION_ORDER, "19.99").await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&E::PartialPaymentNotSupportedForSubscription)
    );
    let ok = try_create(SUBSCRIPTION_ORDER, "20.00")
        .await
        .unwrap()
        .into_inner();
    let id = ok.order_payment_request.id;
    assert_eq!(pay_on_page(&emu, id).await, 200);
    let err = try_create(SUBSCRIPTION_ORDER, "20.00").await.unwrap_err();
    assert_eq!(err.code(), Some(&E::SubscriptionAlreadyStarted));
    assert_eq!(
        emu.order(SUBSCRIPTION_ORDER.parse().unwrap())
            .unwrap()
            .balance
            .to_string(),
        "0.00"
    );
}

#[tokio::test]
async fn site_switches_fail_create() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let try_create = || {
        c.create_order_payment_request()
            .body(types::CreateOrderPaymentRequestRequest {
                order_payment_request: opr(json!({})),
            })
            .send()
    };
    use CreateOrderPaymentRequestErrorCode as E;
    emu.set_site_not_published(true);
    assert_eq!(
        try_create().await.unwrap_err().code(),
        Some(&E::SiteNotPublished)
    );
    emu.set_site_not_published(false);
    emu.set_page_not_found(true);
    assert_eq!(
        try_create().await.unwrap_err().code(),
        Some(&E::OrderPaymentRequestPageNotFound)
    );
    emu.set_page_not_found(false);
    try_create().await.unwrap();
}

/// A code's description from the spec, on one line (as the emulator sends it).
fn spec_description(code: &impl ApplicationErrorCode) -> String {
    let text = code
        .description()
        .expect("a documented code has a description");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn an_unknown_order_is_each_create_operations_own_order_not_found() {
    let emu = Emulator::start().await.unwrap();
    let (_, site) = site_client(&emu);
    let unknown = Uuid::new_v4();

    let body = json!({"orderPaymentRequest":
        {"orderId": unknown, "amount": {"amount": "1.00"}, "title": "Unknown order"}});
    let (status, out, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests",
        &site,
        Some(body),
    )
    .await;
    let single = CreateOrderPaymentRequestErrorCode::OrderNotFound;
    assert_eq!(Some(status), single.http_status(), "{out}");
    assert_eq!(app_code(&out), Some("ORDER_NOT_FOUND"), "{out}");
    let description = spec_description(&single);
    assert_eq!(
        out["details"]["applicationError"]["description"],
        description
    );
    assert_eq!(out["message"], description);

    let body = json!({"orderPaymentRequests": [
        {"orderId": unknown, "amount": {"amount": "1.00"}, "title": "Unknown order",
         "source": {"externalId": "unknown-order"}},
    ]});
    let (status, out, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/bulk/order-payment-requests/create",
        &site,
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    let item = &out["results"][0]["itemMetadata"]["error"];
    assert_eq!(item["code"], "ORDER_NOT_FOUND", "{out}");
    let bulk = spec_description(&BulkCreateOrderPaymentRequestsErrorCode::OrderNotFound);
    assert_eq!(item["description"], bulk);
    assert_ne!(bulk, description);
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn bulk_create_answers_at_the_documented_path_and_at_the_js_sdk_path() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    // `/ecom/v1/...` follows the docs' convention; `@wix/auto_sdk_ecom_order-payment-requests`
    // 1.0.70 sends `/v1/bulk/...` (see `x-wix-alternate-paths` in the spec).
    for (n, path) in [
        "/ecom/v1/bulk/order-payment-requests/create",
        "/v1/bulk/order-payment-requests/create",
    ]
    .into_iter()
    .enumerate()
    {
        let body = json!({
            "orderPaymentRequests": [
                {"orderId": ORDER, "amount": {"amount": "15.50"}, "title": "Balance",
                 "source": {"externalId": format!("bulk-path-{n}")}},
                {"orderId": Uuid::new_v4(), "amount": {"amount": "1.00"}, "title": "Unknown order",
                 "source": {"externalId": format!("bulk-path-{n}-missing")}},
            ],
            "returnEntity": true,
        });
        let (status, out, headers) = raw(&emu, Method::POST, path, &site, Some(body)).await;
        assert_eq!(status, 200, "{path}: {out}");
        assert!(headers.contains_key("x-wix-request-id"), "{path}");
        assert_eq!(out["bulkActionMetadata"]["totalSuccesses"], 1, "{path}");
        assert_eq!(out["bulkActionMetadata"]["totalFailures"], 1, "{path}");
        assert_eq!(
            out["results"][1]["itemMetadata"]["error"]["code"], "ORDER_NOT_FOUND",
            "{path}"
        );
        let id: Uuid = out["results"][0]["itemMetadata"]["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{path}: no id in {out}"));
        let stored = get(&c, id).await;
        assert_eq!(
            stored
                .source
                .and_then(|s| s.external_id)
                .map(|e| e.to_string()),
            Some(format!("bulk-path-{n}"))
        );
        // The same request checks apply on both paths.
        let (status, bad, _) = raw(
            &emu,
            Method::POST,
            path,
            &site,
            Some(json!({"orderPaymentRequests": []})),
        )
        .await;
        assert_eq!(status, 400, "{path}: {bad}");
        assert!(
            violated_fields(&bad).contains(&"orderPaymentRequests".to_string()),
            "{path}: {bad}"
        );
    }
    assert_eq!(emu.payment_request_count(), 2);
}
