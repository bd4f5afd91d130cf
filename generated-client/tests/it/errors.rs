//! Error responses decode into the typed error: status, `X-Wix-Request-Id`, typed application
//! error code, validation field violations, raw body; transport errors stay apart; secrets
//! never show.

use crate::support;

use serde_json::json;
use support::{Scripted, TestServer, API_KEY, SITE_ID};
use wix_order_payment_requests::error_codes::{
    ChargeOrderPaymentRequestErrorCode, CreateOrderPaymentRequestErrorCode,
    GetOrderPaymentRequestErrorCode, VoidOrderPaymentRequestErrorCode,
};
use wix_order_payment_requests::{
    raw::Client, types, ApplicationErrorCode, ClientContext, Credentials, Error,
};

const REQUEST_ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";

async fn void(server: &TestServer) -> Result<(), Error<VoidOrderPaymentRequestErrorCode>> {
    server
        .client()
        .void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: REQUEST_ID.parse().unwrap(),
        })
        .send()
        .await
        .map(|_| ())
}

fn application_error(code: &str, description: &str) -> serde_json::Value {
    json!({"message": description, "details": {"applicationError": {
        "code": code, "description": description, "data": {}}}})
}

#[tokio::test]
async fn an_application_error_carries_status_request_id_and_typed_code() {
    let server = TestServer::start(vec![Scripted::json(
        428,
        application_error(
            "CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST",
            "Order payment requests with a `status` of `PAID` can't be voided.",
        ),
    )])
    .await;
    let error = void(&server).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(428));
    assert_eq!(error.request_id(), Some("req-1234567890"));
    let code = error.code().unwrap();
    assert_eq!(
        code,
        &VoidOrderPaymentRequestErrorCode::CannotVoidPaidOrderPaymentRequest
    );
    assert_eq!(code.http_status(), Some(428));
    assert!(code.description().is_some());
    assert_eq!(
        error.to_string(),
        "voidOrderPaymentRequest: HTTP 428 CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST: \
         Order payment requests with a `status` of `PAID` can't be voided. \
         (request id req-1234567890)"
    );
    assert!(!error.to_string().contains('\n'));
}

#[tokio::test]
async fn not_found_and_undocumented_codes_decode() {
    let server = TestServer::start(vec![
        Scripted::json(
            404,
            application_error("ORDER_PAYMENT_REQUEST_NOT_FOUND", "not found"),
        ),
        Scripted::json(
            428,
            application_error("SOMETHING_NEW", "a code from the future"),
        ),
    ])
    .await;
    let get = |server: &TestServer| {
        let client = server.client();
        async move {
            client
                .get_order_payment_request()
                .order_payment_request_id(REQUEST_ID.parse::<uuid::Uuid>().unwrap())
                .send()
                .await
        }
    };
    let error = get(&server).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(&GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    );
    let error = get(&server).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(&GetOrderPaymentRequestErrorCode::Unknown(
            "SOMETHING_NEW".into()
        ))
    );
    assert_eq!(error.code().unwrap().description(), None);
}

#[tokio::test]
async fn charge_errors_keep_their_data() {
    let server = TestServer::start(vec![Scripted::json(
        428,
        json!({"message": "declined", "details": {"applicationError": {
            "code": "INVALID_PAYMENT_STATUS", "description": "declined",
            "data": {"paymentStatus": "DECLINED", "failureDetails": "insufficient_funds"}}}}),
    )])
    .await;
    let error = server
        .client()
        .charge_order_payment_request()
        .body(types::ChargeOrderPaymentRequestRequest {
            order_payment_request_id: REQUEST_ID.parse().unwrap(),
            payment_token: None,
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ChargeOrderPaymentRequestErrorCode::InvalidPaymentStatus)
    );
    let data = &error
        .api()
        .unwrap()
        .application_error
        .as_ref()
        .unwrap()
        .data;
    let data: types::InvalidPaymentStatusErrorData =
        serde_json::from_value(serde_json::Value::Object(data.clone())).unwrap();
    assert_eq!(data.payment_status.unwrap().to_string(), "DECLINED");
}

#[tokio::test]
async fn validation_errors_list_every_field_violation() {
    let server = TestServer::start(vec![Scripted::json(
        400,
        json!({"message": "invalid", "details": {"validationError": {"fieldViolations": [
            {"field": "orderPaymentRequest.title", "description": "must not be empty", "violatedRule": "MIN_LENGTH"},
            {"field": "orderPaymentRequest.amount.amount", "description": "too large", "violatedRule": "MAX",
             "data": {"threshold": "1000000000000000"}}
        ]}}}),
    )])
    .await;
    let error: Error<CreateOrderPaymentRequestErrorCode> = server
        .client()
        .create_order_payment_request()
        .body(types::CreateOrderPaymentRequestRequest {
            order_payment_request: types::NewOrderPaymentRequest::new(
                uuid::Uuid::nil(),
                "1".parse().unwrap(),
                "Balance".parse().unwrap(),
            ),
        })
        .send()
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code, None);
    let fields: Vec<_> = api
        .field_violations
        .iter()
        .map(|v| {
            (
                v.field.as_deref().unwrap(),
                v.violated_rule.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("orderPaymentRequest.title", "MIN_LENGTH"),
            ("orderPaymentRequest.amount.amount", "MAX")
        ]
    );
    assert_eq!(
        api.field_violations[1].data["threshold"],
        "1000000000000000"
    );
    let line = error.to_string();
    assert!(
        line.contains("orderPaymentRequest.title: must not be empty"),
        "{line}"
    );
}

#[tokio::test]
async fn server_errors_with_empty_or_foreign_bodies_keep_status_and_request_id() {
    let server = TestServer::start(vec![
        Scripted::json(503, json!({"message": "", "details": {}})),
        Scripted::raw(502, "text/html", "<html>Bad gateway</html>"),
        Scripted::raw(401, "text/plain", ""),
        Scripted::json(409, json!({"message": "conflict"})),
    ])
    .await;

    let error = void(&server).await.unwrap_err();
    let api = error.api().expect("503 is an API error");
    assert_eq!((api.status.as_u16(), api.raw_body.as_deref()), (503, None));
    assert_eq!(api.request_id.as_deref(), Some("req-1234567890"));

    let error = void(&server).await.unwrap_err();
    let api = error.api().expect("502 with HTML is an API error");
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(api.request_id.as_deref(), Some("req-raw"));
    assert_eq!(api.raw_body.as_deref(), Some("<html>Bad gateway</html>"));
    assert!(error.to_string().contains("Bad gateway"));

    let error = void(&server).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.request_id(), Some("req-raw"));

    let error = void(&server).await.unwrap_err();
    let api = error
        .api()
        .expect("an undocumented status is still an API error");
    assert_eq!(
        (api.status.as_u16(), api.message.as_str()),
        (409, "conflict")
    );
}

#[tokio::test]
async fn a_success_body_that_does_not_match_the_spec_is_an_invalid_response() {
    let server = TestServer::start(vec![Scripted::json(
        200,
        json!({"orderPaymentRequest": {"id": "not-a-guid"}}),
    )])
    .await;
    let error = server
        .client()
        .get_order_payment_request()
        .order_payment_request_id(REQUEST_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::InvalidResponse {
            status,
            request_id,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(request_id.as_deref(), Some("req-1234567890"));
            assert!(String::from_utf8_lossy(body).contains("not-a-guid"));
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn connection_failures_are_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(
        &format!("http://{address}"),
        ClientContext::new(Credentials::api_key_for_site(API_KEY, SITE_ID).unwrap()),
    );
    let error = client
        .void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: REQUEST_ID.parse().unwrap(),
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(error
        .to_string()
        .starts_with("voidOrderPaymentRequest: transport error"));
}

#[tokio::test]
async fn the_api_key_never_appears_in_debug_or_errors() {
    let server = TestServer::start(vec![Scripted::json(
        401,
        json!({"message": "unauthorized"}),
    )])
    .await;
    let client = server.client();
    for text in [
        format!(
            "{:?}",
            Credentials::api_key_for_site(API_KEY, SITE_ID).unwrap()
        ),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(API_KEY), "{text}");
    }
    let error = void(&server).await.unwrap_err();
    assert!(!format!("{error}").contains(API_KEY));
    assert!(!format!("{error:?}").contains(API_KEY));
}

#[tokio::test]
async fn invalid_header_values_are_refused_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = Client::new(
        &server.base_url,
        ClientContext::new(Credentials::api_key_for_site("bad\nkey", SITE_ID).unwrap()),
    );
    let error = client
        .void_order_payment_request()
        .body(types::VoidOrderPaymentRequestRequest {
            order_payment_request_id: REQUEST_ID.parse().unwrap(),
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Credentials { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "voidOrderPaymentRequest: credentials: the API key is not a valid HTTP header value"
    );
    assert!(!format!("{error:?}").contains("bad\nkey"));
    assert!(server.recorded().is_empty());
}

#[test]
fn each_error_code_enum_names_its_operation_and_each_operation_its_rules() {
    use wix_order_payment_requests::error_codes::UpdateExtendedFieldsErrorCode;
    use wix_order_payment_requests::generated::rules::{Operation, OPERATIONS};
    assert_eq!(Operation::ALL.len(), OPERATIONS.len());
    for (op, rule) in Operation::ALL.into_iter().zip(OPERATIONS) {
        assert_eq!(op.rule(), rule);
        assert_eq!(rule.operation, op);
    }
    assert_eq!(
        VoidOrderPaymentRequestErrorCode::OPERATION,
        Operation::VoidOrderPaymentRequest
    );
    assert_eq!(
        VoidOrderPaymentRequestErrorCode::OPERATION_ID,
        "voidOrderPaymentRequest"
    );
    assert_eq!(
        UpdateExtendedFieldsErrorCode::OPERATION.rule().path,
        "/ecom/v1/order-payment-requests/{id}/update-extended-fields"
    );
}
