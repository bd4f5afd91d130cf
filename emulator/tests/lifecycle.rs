//! Lifecycle rules through the generated client over real HTTP.

use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::error_codes::{
    CreateOrderPaymentRequestErrorCode, GetOrderPaymentRequestErrorCode,
    VoidOrderPaymentRequestErrorCode,
};
use wix_order_payment_requests::{types, Client, ClientContext, Credentials, Status};

const ORDER: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

fn client(emu: &Emulator, site: &str) -> Client {
    Client::new(
        &emu.base_url(),
        ClientContext::new(Credentials::api_key_for_site("key", site)),
    )
}

fn create_body(extra: serde_json::Value) -> types::CreateOrderPaymentRequestRequest {
    let mut opr = json!({"orderId": ORDER, "amount": {"amount": "15.50"}, "title": "Balance Due for Order #10052"});
    for (k, v) in extra.as_object().unwrap() {
        opr[k] = v.clone();
    }
    serde_json::from_value(json!({ "orderPaymentRequest": opr })).unwrap()
}

async fn create(c: &Client, extra: serde_json::Value) -> types::OrderPaymentRequest {
    let r = c
        .create_order_payment_request()
        .body(create_body(extra))
        .send_typed()
        .await
        .unwrap();
    r.into_inner().order_payment_request.unwrap()
}

fn void_body(id: Uuid) -> types::VoidOrderPaymentRequestRequest {
    serde_json::from_value(json!({ "orderPaymentRequestId": id })).unwrap()
}

#[tokio::test]
async fn create_fills_server_fields_and_is_unpaid() {
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let opr = create(&c, json!({"status": "PAID", "currency": "EUR"})).await;
    assert_eq!(opr.status, Some(Status::Unpaid));
    assert_eq!(opr.currency.as_deref(), Some("USD"));
    assert_eq!(
        opr.order_number.as_deref().map(String::as_str),
        Some("10052")
    );
    assert_eq!(
        opr.amount.unwrap().formatted_amount.as_deref(),
        Some("$15.50")
    );
    assert!(opr.created_date.is_some() && opr.payment_gateway_order_id.is_some());
}

#[tokio::test]
async fn past_expiration_creates_expired_and_void_fails() {
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let opr = create(&c, json!({"expirationDate": "2000-01-01T00:00:00Z"})).await;
    assert_eq!(opr.status, Some(Status::Expired));
    let err = c
        .void_order_payment_request()
        .body(void_body(opr.id.unwrap()))
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&VoidOrderPaymentRequestErrorCode::CannotVoidExpiredOrderPaymentRequest)
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(428));
}

#[tokio::test]
async fn void_is_idempotent_and_paid_cannot_be_voided() {
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let a = create(&c, json!({})).await.id.unwrap();
    c.void_order_payment_request()
        .body(void_body(a))
        .send_typed()
        .await
        .unwrap();
    c.void_order_payment_request()
        .body(void_body(a))
        .send_typed()
        .await
        .unwrap();
    let got = c
        .get_order_payment_request()
        .order_payment_request_id(a)
        .send_typed()
        .await
        .unwrap();
    assert_eq!(
        got.into_inner().order_payment_request.unwrap().status,
        Some(Status::Voided)
    );

    let b = create(&c, json!({})).await.id.unwrap();
    let http = reqwest_post(&format!("{}/_emulator/pay/{b}", emu.base_url())).await;
    assert_eq!(http, 200);
    let err = c
        .void_order_payment_request()
        .body(void_body(b))
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&VoidOrderPaymentRequestErrorCode::CannotVoidPaidOrderPaymentRequest)
    );
    // Paying a voided request fails.
    assert_eq!(
        reqwest_post(&format!("{}/_emulator/pay/{a}", emu.base_url())).await,
        409
    );
}

async fn reqwest_post(url: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    let req = format!(
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out[9..12].parse().unwrap()
}

#[tokio::test]
async fn sites_are_isolated_and_unknown_order_is_not_found() {
    let emu = Emulator::start().await.unwrap();
    let c1 = client(&emu, &Uuid::new_v4().to_string());
    let c2 = client(&emu, &Uuid::new_v4().to_string());
    let id = create(&c1, json!({})).await.id.unwrap();
    let err = c2
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.request_id().is_some());

    let err = c1
        .create_order_payment_request()
        .body(create_body(json!({"orderId": Uuid::new_v4()})))
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let _: Option<&CreateOrderPaymentRequestErrorCode> = err.code();
}

#[tokio::test]
async fn subscription_order_requires_full_amount() {
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let err = c
        .create_order_payment_request()
        .body(create_body(json!({"orderId": "5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "amount": {"amount": "5.00"}})))
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&CreateOrderPaymentRequestErrorCode::PartialPaymentNotSupportedForSubscription)
    );
}

#[tokio::test]
async fn advancing_the_clock_expires_on_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let expires = chrono::Utc::now() + chrono::Duration::hours(1);
    let id = create(&c, json!({"expirationDate": expires}))
        .await
        .id
        .unwrap();
    let get = || {
        c.get_order_payment_request()
            .order_payment_request_id(id)
            .send_typed()
    };
    assert_eq!(
        get()
            .await
            .unwrap()
            .into_inner()
            .order_payment_request
            .unwrap()
            .status,
        Some(Status::Unpaid)
    );
    let host = emu.base_url().trim_start_matches("http://").to_string();
    let body = r#"{"seconds":7200}"#;
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    let req = format!("POST /_emulator/clock/advance HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"));
    assert_eq!(
        get()
            .await
            .unwrap()
            .into_inner()
            .order_payment_request
            .unwrap()
            .status,
        Some(Status::Expired)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_voids_and_pays_never_make_an_impossible_transition() {
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    for _ in 0..10 {
        let id = create(&c, json!({})).await.id.unwrap();
        let mut tasks = Vec::new();
        for i in 0..20 {
            let c = c.clone();
            let url = format!("{}/_emulator/pay/{id}", emu.base_url());
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    (true, reqwest_post(&url).await == 200)
                } else {
                    (
                        false,
                        c.void_order_payment_request()
                            .body(void_body(id))
                            .send_typed()
                            .await
                            .is_ok(),
                    )
                }
            }));
        }
        let (mut pay_ok, mut void_ok) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                (true, true) => pay_ok += 1,
                (false, true) => void_ok += 1,
                _ => {}
            }
        }
        let status = c
            .get_order_payment_request()
            .order_payment_request_id(id)
            .send_typed()
            .await
            .unwrap()
            .into_inner()
            .order_payment_request
            .unwrap()
            .status;
        match status {
            Some(Status::Paid) => assert_eq!((pay_ok, void_ok), (1, 0)),
            Some(Status::Voided) => assert_eq!(pay_ok, 0),
            other => panic!("impossible final status {other:?}"),
        }
    }
}

#[tokio::test]
async fn delete_removes_unpaid_and_refuses_paid() {
    use wix_order_payment_requests::error_codes::DeleteOrderPaymentRequestErrorCode;
    let emu = Emulator::start().await.unwrap();
    let c = client(&emu, &Uuid::new_v4().to_string());
    let a = create(&c, json!({})).await.id.unwrap();
    c.delete_order_payment_request()
        .order_payment_request_id(a)
        .send_typed()
        .await
        .unwrap();
    let err = c
        .get_order_payment_request()
        .order_payment_request_id(a)
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    );
    let b = create(&c, json!({})).await.id.unwrap();
    assert_eq!(
        reqwest_post(&format!("{}/_emulator/pay/{b}", emu.base_url())).await,
        200
    );
    let err = c
        .delete_order_payment_request()
        .order_payment_request_id(b)
        .send_typed()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&DeleteOrderPaymentRequestErrorCode::CannotDeletePaidOrderPaymentRequest)
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(428));
}
