//! Tests of the crate generated from the renamed spec (the Invoices API; see
//! `xtask/src/renamed_api.rs`), copied into its `tests/` by `cargo xtask test`. They use only
//! what codegen generated for that spec and `wix-runtime`, over real HTTP to a local server.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wix_invoices::error_codes::GetInvoiceErrorCode;
use wix_invoices::generated::operations;
use wix_invoices::generated::query_fields::Field;
use wix_invoices::generated::rules::{self, DecimalAmount, Operation};
use wix_invoices::{ApplicationErrorCode, Client, ClientContext, Credentials, Error, RetryPolicy};
use wix_runtime::money::{Decimal, DecimalError};
use wix_runtime::operation::ApiOperation;

const SITE_ID: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";
const INVOICE_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

/// A local HTTP/1.1 server that answers each request with the next scripted response
/// (status, body) and records each request's head.
struct Server {
    base_url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(responses: Vec<(u16, &'static str)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let recorded = heads.clone();
        tokio::spawn(async move {
            for (status, body) in responses {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap() == 0 {
                        break;
                    }
                    head.push(byte[0]);
                }
                recorded
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).to_lowercase());
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                     x-wix-request-id: req-{status}\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        Server { base_url, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn client(server: &Server) -> Client {
    let credentials = Credentials::api_key_for_site("test-key", SITE_ID).unwrap();
    let policy = RetryPolicy::default()
        .with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(1),
        )
        .without_jitter();
    Client::new(
        &server.base_url,
        ClientContext::new(credentials).with_retry_policy(policy),
    )
}

#[tokio::test]
async fn an_application_error_comes_back_with_the_operations_typed_code() {
    let body = r#"{"message": "no such invoice", "details": {"applicationError":
        {"code": "INVOICE_NOT_FOUND", "description": "Invoice not found."}}}"#;
    let server = Server::start(vec![(404, body)]).await;
    let error = client(&server)
        .get_invoice()
        .invoice_id(INVOICE_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.code, Some(GetInvoiceErrorCode::InvoiceNotFound));
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.request_id.as_deref(), Some("req-404"));
    assert_eq!(GetInvoiceErrorCode::OPERATION, Operation::GetInvoice);
    assert_eq!(GetInvoiceErrorCode::OPERATION_ID, "getInvoice");
    let head = &server.heads()[0];
    assert!(
        head.starts_with(&format!("get /ecom/v1/invoices/{INVOICE_ID} ")),
        "{head}"
    );
    assert!(head.contains("authorization: test-key"), "{head}");
    assert!(head.contains(&format!("wix-site-id: {SITE_ID}")), "{head}");
}

#[tokio::test]
async fn a_safe_operation_is_retried_by_its_class_in_the_rule_table() {
    assert_eq!(
        Operation::GetInvoice.rule().retry,
        wix_runtime::rules::RetryClass::Safe
    );
    let answer = r#"{"invoice": {"id": "a931e280-254a-49a7-9641-22ef64c444ae"}}"#;
    let server = Server::start(vec![(503, "{}"), (200, answer)]).await;
    let result = client(&server)
        .get_invoice()
        .invoice_id(INVOICE_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await;
    // The second answer may or may not decode as a whole invoice; what matters is that the
    // `503` was retried and the call got the second answer.
    assert_eq!(server.heads().len(), 2);
    match result {
        Ok(value) => assert_eq!(value.status().as_u16(), 200),
        Err(error) => assert_eq!(error.status().map(|s| s.as_u16()), Some(200), "{error}"),
    }
}

#[test]
fn amounts_are_exact_decimals_in_the_specs_range() {
    let amount: Decimal<DecimalAmount> = "15.50".parse().unwrap();
    assert_eq!(amount.to_string(), "15.50");
    let error = "-1".parse::<Decimal<DecimalAmount>>().unwrap_err();
    assert!(matches!(error, DecimalError::OutOfRange { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "amount: `-1` is out of range: must be at least 0"
    );
    assert!(rules::DECIMAL_AMOUNT_RANGE.lte.is_some());
}

#[test]
fn query_fields_write_wql() {
    let filter = Field::Title.starts_with("Balance");
    assert_eq!(
        filter.to_json(),
        &serde_json::json!({"title": {"$startsWith": "Balance"}})
    );
}

#[test]
fn every_operation_has_its_rule() {
    for operation in Operation::ALL {
        let rule = operation.rule();
        assert_eq!(rule.operation, operation);
        assert!(rule.path.starts_with("/ecom/v1/"), "{}", rule.path);
        assert!(!rule.path.contains("order-payment"), "{}", rule.path);
    }
}

#[test]
fn each_operation_is_a_type_with_its_rule_body_answer_and_codes() {
    type Void = operations::VoidInvoice;
    assert_eq!(<Void as ApiOperation>::OPERATION, Operation::VoidInvoice);
    assert_eq!(<Void as ApiOperation>::RULE.operation_id, "voidInvoice");
    assert!(<Void as ApiOperation>::RULE.path.ends_with("/void"));
    // The types are the generated ones (a mismatch does not compile).
    let body: <Void as ApiOperation>::Body = wix_invoices::types::VoidInvoiceRequest {
        invoice_id: INVOICE_ID.parse().unwrap(),
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        serde_json::json!({"invoiceId": INVOICE_ID})
    );
    let _: fn(<Void as ApiOperation>::Code) -> wix_invoices::error_codes::VoidInvoiceErrorCode =
        |code| code;
    let _: <operations::GetInvoice as ApiOperation>::Body = ();
}
