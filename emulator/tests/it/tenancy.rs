//! Tenancy and authentication: every API-key call names a site or an account by its GUID, an
//! OAuth token keeps its instance's tenant, and only tokens the emulator issued and that have not
//! expired are accepted.

use crate::common;

use std::time::Duration;

use common::*;
use reqwest::header::HeaderValue;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_opr_emulator::Emulator;

const CREATE: &str = "/ecom/v1/order-payment-requests";

fn create_body() -> Value {
    json!({"orderPaymentRequest": {"orderId": ORDER, "title": "t", "amount": {"amount": "1.00"}}})
}

/// A raw call with exactly the given headers; returns status and JSON body.
async fn call(
    emu: &Emulator,
    method: Method,
    path: &str,
    headers: &[(&str, HeaderValue)],
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", emu.base_url()));
    for (name, value) in headers {
        req = req.header(*name, value.clone());
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("send");
    assert!(
        res.headers().contains_key("x-wix-request-id"),
        "no request id"
    );
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn text(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap()
}

/// The violation of a 400 body, which must be exactly one.
fn only_violation(body: &Value) -> &Value {
    let list = body["details"]["validationError"]["fieldViolations"]
        .as_array()
        .unwrap_or_else(|| panic!("no violations in {body}"));
    assert_eq!(list.len(), 1, "{body}");
    &list[0]
}

async fn token(emu: &Emulator, instance: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{}/oauth2/token", emu.base_url()))
        .json(
            &json!({"grant_type": "client_credentials", "client_id": "app",
                      "client_secret": "secret", "instance_id": instance}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_api_key_call_without_a_tenant_header_is_refused_and_stores_nothing() {
    let emu = Emulator::start().await.unwrap();
    let key = [("authorization", text("some-key"))];
    let (status, body) = call(&emu, Method::POST, CREATE, &key, Some(create_body())).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(only_violation(&body)["field"], "wix-site-id");
    assert!(body["message"].as_str().unwrap().contains("wix-site-id"));
    assert_eq!(emu.payment_request_count(), 0);

    let path = format!("{CREATE}/{}", Uuid::new_v4());
    let (status, body) = call(&emu, Method::GET, &path, &key, None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(only_violation(&body)["field"], "wix-site-id");
}

#[tokio::test]
async fn unreadable_and_non_guid_tenant_headers_are_refused() {
    let emu = Emulator::start().await.unwrap();
    let key = ("authorization", text("some-key"));
    let cases = [
        (
            "wix-site-id",
            HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        ),
        ("wix-site-id", text("site-a")),
        ("wix-site-id", text("")),
        ("wix-site-id", text(&Uuid::new_v4().simple().to_string())),
        ("wix-account-id", text("acc-123")),
        ("wix-account-id", HeaderValue::from_bytes(b"\xff").unwrap()),
    ];
    for (name, value) in cases {
        let headers = [key.clone(), (name, value.clone())];
        let (status, body) = call(&emu, Method::POST, CREATE, &headers, Some(create_body())).await;
        assert_eq!(status, 400, "{name}: {value:?}: {body}");
        let violation = only_violation(&body);
        assert_eq!(violation["field"], name, "{body}");
        assert_eq!(violation["violatedRule"], "FORMAT", "{body}");
    }
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn a_site_guid_names_one_tenant_whatever_its_letter_case() {
    let emu = Emulator::start().await.unwrap();
    let site = Uuid::new_v4();
    let upper = site.hyphenated().to_string().to_uppercase();
    let (status, body, _) = raw(&emu, Method::POST, CREATE, &upper, Some(create_body())).await;
    assert_eq!(status, 200, "{body}");
    let id = body["orderPaymentRequest"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("{CREATE}/{id}");
    let (status, _, _) = raw(&emu, Method::GET, &path, &site.to_string(), None).await;
    assert_eq!(status, 200);
    let (status, _, _) = raw(&emu, Method::GET, &path, &Uuid::new_v4().to_string(), None).await;
    assert_eq!(status, 404);

    // An account GUID is a tenant of its own, apart from the site with the same GUID.
    let account = [
        ("authorization", text("some-key")),
        ("wix-account-id", text(&site.to_string())),
    ];
    let (status, _) = call(&emu, Method::GET, &path, &account, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_oauth_token_without_a_tenant_header_keeps_its_instance_tenant() {
    let emu = Emulator::start().await.unwrap();
    let mine = token(&emu, &Uuid::new_v4().to_string()).await;
    let theirs = token(&emu, &Uuid::new_v4().to_string()).await;
    let auth = [("authorization", text(&mine))];
    let (status, body) = call(&emu, Method::POST, CREATE, &auth, Some(create_body())).await;
    assert_eq!(status, 200, "{body}");
    let path = format!(
        "{CREATE}/{}",
        body["orderPaymentRequest"]["id"].as_str().unwrap()
    );
    let (status, _) = call(&emu, Method::GET, &path, &auth, None).await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &emu,
        Method::GET,
        &path,
        &[("authorization", text(&theirs))],
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn tokens_the_emulator_did_not_issue_are_refused_even_without_key_restrictions() {
    for restricted in [true, false] {
        let mut builder = Emulator::builder();
        if restricted {
            builder = builder.api_keys(["good-key"]);
        }
        let emu = builder.start().await.unwrap();
        let site = ("wix-site-id", text(&Uuid::new_v4().to_string()));
        let issued = token(&emu, &Uuid::new_v4().to_string()).await;
        let forged = format!("{}x", issued);
        for fake in [
            "emu-oauth.x".to_string(),
            format!("emu-oauth.{}.forged", Uuid::new_v4()),
            forged,
        ] {
            let headers = [("authorization", text(&fake)), site.clone()];
            let (status, body) =
                call(&emu, Method::POST, CREATE, &headers, Some(create_body())).await;
            assert_eq!(status, 401, "{fake}: {body}");
            assert_eq!(body["details"], json!({}), "{body}");
            assert!(!body["message"].as_str().unwrap().is_empty());
        }
        // The issued token works, with or without the site header.
        let headers = [("authorization", text(&issued)), site.clone()];
        let (status, body) = call(&emu, Method::POST, CREATE, &headers, Some(create_body())).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(emu.payment_request_count(), 1);
    }
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let emu = Emulator::builder()
        .oauth_token_ttl(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let expired = token(&emu, &Uuid::new_v4().to_string()).await;
    let (status, body) = call(
        &emu,
        Method::POST,
        CREATE,
        &[("authorization", text(&expired))],
        Some(create_body()),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    assert_eq!(emu.payment_request_count(), 0);
}

#[tokio::test]
async fn the_token_endpoint_states_the_configured_lifetime_and_wants_an_instance_guid() {
    let emu = Emulator::builder()
        .oauth_token_ttl(Duration::from_secs(90))
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/oauth2/token", emu.base_url());
    let res = http
        .post(&url)
        .json(
            &json!({"grant_type": "client_credentials", "client_id": "a",
                      "client_secret": "s", "instance_id": Uuid::new_v4()}),
        )
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["expires_in"], 90);
    let res = http
        .post(&url)
        .json(
            &json!({"grant_type": "client_credentials", "client_id": "a",
                      "client_secret": "s", "instance_id": "instance-1"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("instance_id"),
        "{body}"
    );
}
