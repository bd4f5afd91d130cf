//! Charge: accepted at once, `PAID` shortly after; special tokens simulate the documented
//! failures.

use crate::common;

use std::time::Duration;

use common::*;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::charge_tokens::*;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::error_codes::ChargeOrderPaymentRequestErrorCode as E;
use wix_order_payment_requests::{raw::Client, types, Status};

async fn charge(
    c: &Client,
    id: Uuid,
    token: Option<&str>,
) -> Result<types::ChargeOrderPaymentRequestResponse, wix_order_payment_requests::Error<E>> {
    let body: types::ChargeOrderPaymentRequestRequest =
        serde_json::from_value(json!({"orderPaymentRequestId": id, "paymentToken": token}))
            .unwrap();
    c.charge_order_payment_request()
        .body(body)
        .send()
        .await
        .map(|r| r.into_inner())
}

async fn wait_for(c: &Client, id: Uuid, status: Status) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while get(c, id).await.status != status {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never became {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_charge_is_accepted_then_paid_and_only_once() {
    let emu = Emulator::builder()
        .charge_settle(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    let out = charge(&c, id, Some("tok_card_1")).await.unwrap();
    assert!(out.payment_response_token.is_some());
    // While settling: in progress.
    let err = charge(&c, id, Some("tok_card_2")).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::PaymentInProgress));
    wait_for(&c, id, Status::Paid).await;
    let err = charge(&c, id, Some("tok_card_3")).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::CannotChargePaidOrderPaymentRequest));
}

#[tokio::test]
async fn special_tokens() {
    let emu = Emulator::builder()
        .charge_settle(Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;

    let err = charge(&c, id, Some(TOKEN_IN_PROGRESS)).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::PaymentInProgress));
    let err = charge(&c, id, Some(TOKEN_METHOD_UNAVAILABLE))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&E::PaymentMethodUnavailable));
    let err = charge(&c, id, Some(TOKEN_ATTEMPT_EXPIRED))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&E::PaymentAttemptExpired));
    let err = charge(&c, id, Some(TOKEN_INVALID_STATUS))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&E::InvalidPaymentStatus));
    let data = &err.api().unwrap().application_error.as_ref().unwrap().data;
    let data: types::InvalidPaymentStatusErrorData =
        serde_json::from_value(serde_json::Value::Object(data.clone())).unwrap();
    assert_eq!(
        data.payment_status.as_ref().map(|v| v.as_str()),
        Some("CANCELED")
    );
    assert!(data.payment_response_token.is_some());

    // A decline: accepted, then nothing; the request stays UNPAID and a new token works.
    charge(&c, id, Some(TOKEN_DECLINE)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(get(&c, id).await.status, Status::Unpaid);
    // One attempt per token.
    let err = charge(&c, id, Some(TOKEN_DECLINE)).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::PaymentAttemptExpired));
    charge(&c, id, Some("tok_new_card")).await.unwrap();
    wait_for(&c, id, Status::Paid).await;
}

#[tokio::test]
async fn voided_expired_and_missing_cannot_be_charged() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let voided = create(&c, json!({})).await.id;
    void(&c, voided).await;
    let err = charge(&c, voided, Some("t")).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::CannotChargeVoidedOrderPaymentRequest));
    let expired = create(&c, json!({"expirationDate": "2000-01-01T00:00:00Z"}))
        .await
        .id;
    let err = charge(&c, expired, Some("t")).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::CannotChargeExpiredOrderPaymentRequest));
    let err = charge(&c, Uuid::new_v4(), Some("t")).await.unwrap_err();
    assert_eq!(err.code(), Some(&E::OrderPaymentRequestNotFound));
}

#[tokio::test]
async fn a_void_during_a_charge_wins() {
    let emu = Emulator::builder()
        .charge_settle(Duration::from_millis(100))
        .start()
        .await
        .unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    charge(&c, id, Some("tok")).await.unwrap();
    void(&c, id).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(get(&c, id).await.status, Status::Voided);
}
