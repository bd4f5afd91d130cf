//! The admin API under `/_emulator`, the store's capacity, and OAuth tokens.

use crate::common;

use common::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{types, WixClient};

#[tokio::test]
async fn orders_can_be_added_and_used() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = Uuid::new_v4();
    let order = json!({"id": id, "number": "20001", "currency": "EUR", "total": "30.00",
        "balance": "30.00", "status": "APPROVED", "subscription": false});
    let (status, _, _) = raw(&emu, Method::POST, "/_emulator/orders", "", Some(order)).await;
    assert_eq!(status, 201);
    let created = create(&c, json!({"orderId": id, "amount": {"amount": "12.00"}})).await;
    assert_eq!(created.currency, "EUR");
    assert_eq!(
        created.order_number.as_ref().map(|v| v.as_str()),
        Some("20001")
    );
    assert_eq!(created.amount.formatted_amount, "€12.00");
    let (_, body, _) = raw(&emu, Method::GET, "/_emulator/orders", "", None).await;
    assert!(body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == id.to_string()));

    let bad = json!({"id": Uuid::new_v4(), "number": "1", "currency": "euro", "total": "1",
        "balance": "1", "status": "APPROVED"});
    let (status, body, _) = raw(&emu, Method::POST, "/_emulator/orders", "", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("currency"));
}

#[tokio::test]
async fn switches_over_http() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let (status, body, _) = raw(
        &emu,
        Method::PUT,
        "/_emulator/switches",
        "",
        Some(json!({"siteNotPublished": true})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"pageNotFound": false, "siteNotPublished": true})
    );
    let err = c
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: opr(json!({})),
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 428);
    let (status, _, _) = raw(
        &emu,
        Method::PUT,
        "/_emulator/switches",
        "",
        Some(json!({"typo": true})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_full_store_refuses_creates_until_space_is_freed() {
    let emu = Emulator::builder().capacity(2).start().await.unwrap();
    let (c, site) = site_client(&emu);
    let first = create(&c, json!({})).await.id;
    create(&c, json!({})).await;
    let (status, body, _) = raw(&emu, Method::POST, "/ecom/v1/order-payment-requests", &site,
        Some(json!({"orderPaymentRequest": {"orderId": ORDER, "title": "t", "amount": {"amount": "1"}}}))).await;
    assert_eq!(status, 429);
    assert!(body["message"].as_str().unwrap().contains("full"));
    let (_, stats, _) = raw(&emu, Method::GET, "/_emulator/stats", "", None).await;
    assert_eq!(stats["paymentRequests"], 2);
    assert_eq!(stats["capacity"], 2);
    c.delete_order_payment_request()
        .order_payment_request_id(first)
        .send()
        .await
        .unwrap();
    create(&c, json!({})).await;
}

#[tokio::test]
async fn oauth_tokens_work_with_the_client() {
    let emu = Emulator::start().await.unwrap();
    let instance = Uuid::new_v4().to_string();
    let client = WixClient::builder()
        .base_url(emu.base_url())
        .oauth("app-id", "app-secret", instance.clone())
        .build()
        .unwrap();
    let created = client
        .create(opr(json!({"source": {"externalId": "oauth-1"}})))
        .await
        .unwrap();
    let id = created.request.id;
    assert_eq!(client.get(id).await.unwrap().id, id);
    // Another instance does not see it.
    let other = WixClient::builder()
        .base_url(emu.base_url())
        .oauth("app-id", "app-secret", Uuid::new_v4().to_string())
        .build()
        .unwrap();
    assert_eq!(
        other.get(id).await.unwrap_err().status().unwrap().as_u16(),
        404
    );

    let res = reqwest::Client::new()
        .post(format!("{}/oauth2/token", emu.base_url()))
        .json(&json!({"grant_type": "password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}
