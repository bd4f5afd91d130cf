//! Every operation of the spec, sent over real HTTP to an in-process emulator with the spec's
//! request example (the docs' Create and Update examples are the spec's). The answer must have a
//! status the spec lists for the operation, and a successful one (the examples describe valid
//! calls), the headers the spec lists for that response, and a body that matches the spec's
//! response schema for that status.
//!
//! Operations without a request example in the spec (Bulk Create, Update Extended Fields,
//! Charge) get a small body built from the Create example; operations on an existing payment
//! request (every one but Create and Bulk Create) first create one from the Create example, and
//! the example's id is replaced by the created one wherever it appears.

use reqwest::Method;
use serde_json::{json, Value};
use wix_opr_emulator::testing::{operation, resolve, spec};
use wix_opr_emulator::testing::{response_statuses, validate_request, validate_response};
use wix_opr_emulator::Emulator;

/// The payment request id the spec's examples use.
const EXAMPLE_ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
/// The site of every call.
const SITE: &str = "6b4c1e2a-0000-4000-8000-0000000000e1";

/// Every operation of the spec, each checked by a test below.
const OPERATIONS: [&str; 10] = [
    "createOrderPaymentRequest",
    "bulkCreateOrderPaymentRequests",
    "getOrderPaymentRequest",
    "updateOrderPaymentRequest",
    "deleteOrderPaymentRequest",
    "queryOrderPaymentRequests",
    "getOrderPaymentRequestUrl",
    "updateExtendedFields",
    "voidOrderPaymentRequest",
    "chargeOrderPaymentRequest",
];

/// One answer of the emulator.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    /// The body, if it is JSON.
    body: Option<Value>,
}

/// A running emulator and an HTTP client for it.
struct Harness {
    emu: Emulator,
    http: reqwest::Client,
}

impl Harness {
    /// Starts an emulator whose clock is at the examples' time.
    async fn start() -> Self {
        let emu = Emulator::start().await.expect("emulator starts");
        let harness = Self {
            emu,
            http: reqwest::Client::new(),
        };
        harness.rewind_clock_to_examples();
        harness
    }

    /// Moves the clock back to the `createdDate` of the spec's Create response example, so the
    /// example's `expirationDate` lies ahead and the created payment request is `UNPAID`.
    fn rewind_clock_to_examples(&self) {
        let created = create_response_example()
            .pointer("/orderPaymentRequest/createdDate")
            .and_then(Value::as_str)
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
        if let Some(created) = created {
            let by = created.to_utc() - self.emu.clock().now();
            if by < chrono::Duration::zero() {
                self.emu.clock().advance(by);
            }
        }
    }

    /// Sends one request with the API's headers.
    async fn send(&self, method: &Method, path: &str, body: Option<&Value>) -> Answer {
        let url = format!("{}{path}", self.emu.base_url());
        let mut request = self
            .http
            .request(method.clone(), url)
            .header("Authorization", "any-key")
            .header("wix-site-id", SITE);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).ok(),
        }
    }

    /// Creates a payment request from the Create example; returns its id.
    async fn create_from_example(&self) -> String {
        let (method, path, body) = example_request("createOrderPaymentRequest", None);
        let answer = self.send(&method, &path, body.as_ref()).await;
        let id = answer
            .body
            .as_ref()
            .and_then(|b| b.pointer("/orderPaymentRequest/id"))
            .and_then(Value::as_str);
        match (answer.status, id) {
            (200, Some(id)) => id.to_string(),
            _ => panic!(
                "creating from the Create example failed: {} {:?}",
                answer.status, answer.body
            ),
        }
    }
}

/// The spec's `200` example of Create.
fn create_response_example() -> &'static Value {
    let (_, _, op) = operation("createOrderPaymentRequest").expect("create in the spec");
    op.pointer("/responses/200/content/application~1json/example")
        .unwrap_or(&Value::Null)
}

/// The spec's request example of an operation, if it has one.
fn spec_request_example(op_id: &str) -> Option<&'static Value> {
    let (_, _, op) = operation(op_id)?;
    resolve(op.get("requestBody")?).pointer("/content/application~1json/example")
}

/// A request body for an operation whose spec has no request example, built from the Create
/// example.
fn fallback_body(op_id: &str) -> Option<Value> {
    let create = spec_request_example("createOrderPaymentRequest")?;
    let entity = create.get("orderPaymentRequest")?.clone();
    match op_id {
        "bulkCreateOrderPaymentRequests" => {
            let mut item = entity;
            item["source"] = json!({ "externalId": "spec-example-1" });
            Some(json!({ "orderPaymentRequests": [item], "returnEntity": true }))
        }
        "updateExtendedFields" => Some(json!({
            "id": EXAMPLE_ID,
            "namespace": "@spec-examples/app",
            "namespaceData": { "note": "example" },
        })),
        "chargeOrderPaymentRequest" => Some(json!({
            "orderPaymentRequestId": EXAMPLE_ID,
            "paymentToken": "spec-example-token",
        })),
        _ => None,
    }
}

/// Method, path (path parameters filled with their examples) and body of an operation's
/// example request, with the example id replaced by `id`.
fn example_request(op_id: &str, id: Option<&str>) -> (Method, String, Option<Value>) {
    let (method, template, op) = operation(op_id).expect("operation in the spec");
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
    let mut path = template.to_string();
    for param in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let param = resolve(param);
        if param.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let name = param.get("name").and_then(Value::as_str).unwrap_or("");
        let value = param
            .get("example")
            .and_then(Value::as_str)
            .unwrap_or(EXAMPLE_ID);
        path = path.replace(&format!("{{{name}}}"), value);
    }
    let body = if op.get("requestBody").is_some() {
        spec_request_example(op_id)
            .cloned()
            .or_else(|| fallback_body(op_id))
    } else {
        None
    };
    match id {
        Some(id) => (
            method,
            path.replace(EXAMPLE_ID, id),
            body.map(|b| replace_id(b, id)),
        ),
        None => (method, path, body),
    }
}

/// `value` with every occurrence of the example id in its strings replaced by `id`.
fn replace_id(value: Value, id: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(EXAMPLE_ID, id)),
        Value::Array(items) => items.into_iter().map(|v| replace_id(v, id)).collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (k, replace_id(v, id)))
            .collect(),
        other => other,
    }
}

/// Whether `status` is one of the listed response keys (`"200"`, `"5XX"`, `"default"`).
fn is_listed(status: u16, listed: &[&str]) -> bool {
    let class = format!("{}XX", status / 100);
    listed.iter().any(|key| {
        *key == status.to_string() || key.eq_ignore_ascii_case(&class) || *key == "default"
    })
}

/// The header names the spec lists for an operation's response with `status`.
fn listed_headers(op_id: &str, status: u16) -> Vec<String> {
    let Some((_, _, op)) = operation(op_id) else {
        return Vec::new();
    };
    let key = status.to_string();
    let class = format!("{}XX", status / 100);
    let response = op
        .pointer(&format!("/responses/{key}"))
        .or_else(|| op.pointer(&format!("/responses/{class}")));
    response
        .map(resolve)
        .and_then(|r| r.get("headers"))
        .and_then(Value::as_object)
        .map(|h| h.keys().cloned().collect())
        .unwrap_or_default()
}

/// Sends the operation's example (after creating a payment request when the operation needs
/// one) and checks the answer against the spec.
async fn check_example(op_id: &str) {
    let harness = Harness::start().await;
    let needs_existing = !matches!(
        op_id,
        "createOrderPaymentRequest" | "bulkCreateOrderPaymentRequests"
    );
    let id = if needs_existing {
        Some(harness.create_from_example().await)
    } else {
        None
    };
    let (method, path, body) = example_request(op_id, id.as_deref());
    if let Some(body) = &body {
        let own = validate_request(op_id, body);
        assert!(
            own.is_empty(),
            "{op_id}: the example itself is invalid: {own:?}"
        );
    }
    let answer = harness.send(&method, &path, body.as_ref()).await;
    let is_wix_body = answer
        .body
        .as_ref()
        .is_some_and(|b| b.get("message").is_some());
    assert!(
        answer.status != 404 || is_wix_body,
        "{op_id}: route {method} {path} is missing (404 without a Wix body)"
    );
    eprintln!("{op_id}: {method} {path} -> {}", answer.status);
    let listed = response_statuses(op_id);
    assert!(
        is_listed(answer.status, &listed),
        "{op_id}: status {} is not among the spec's {listed:?}; body {:?}",
        answer.status,
        answer.body
    );
    for header in listed_headers(op_id, answer.status) {
        assert!(
            answer.headers.contains_key(header.as_str()),
            "{op_id}: header {header} missing from the {} answer",
            answer.status
        );
    }
    let body = answer
        .body
        .unwrap_or_else(|| panic!("{op_id}: the {} answer is not JSON", answer.status));
    let violations = validate_response(op_id, answer.status, &body);
    assert!(
        violations.is_empty(),
        "{op_id}: the {} answer does not match the spec: {violations:?}\nbody: {body:#}",
        answer.status
    );
    assert!(
        (200..300).contains(&answer.status),
        "{op_id}: the example did not succeed: {} {body}",
        answer.status
    );
}

#[test]
fn every_operation_of_the_spec_is_covered() {
    let paths = spec()["paths"].as_object().expect("paths");
    let mut in_spec: Vec<&str> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .collect();
    in_spec.sort_unstable();
    let mut tested = OPERATIONS.to_vec();
    tested.sort_unstable();
    assert_eq!(in_spec, tested);
}

/// The request bodies of the docs' Create and Update examples (their curl samples).
#[test]
fn docs_create_and_update_examples_are_the_spec_examples() {
    let create = json!({"orderPaymentRequest": {
        "orderId": wix_order_payment_requests::testing::DOCS_ORDER_ID,
        "amount": {"amount": "15.50"},
        "title": "Balance Due for Order #10052",
        "description": "Remaining balance for your recent purchase",
        "expirationDate": "2026-07-15T23:59:59.000Z",
    }});
    let update = json!({"orderPaymentRequest": {
        "id": EXAMPLE_ID,
        "title": "Updated Balance Due for Order #10052",
        "description": "Please complete your payment at your earliest convenience",
    }});
    assert_eq!(
        spec_request_example("createOrderPaymentRequest"),
        Some(&create)
    );
    assert_eq!(
        spec_request_example("updateOrderPaymentRequest"),
        Some(&update)
    );
    let (_, path, _) = example_request("updateOrderPaymentRequest", None);
    assert_eq!(
        path,
        format!("/ecom/v1/order-payment-requests/{EXAMPLE_ID}")
    );
}

#[tokio::test]
async fn create_example() {
    check_example("createOrderPaymentRequest").await;
}

#[tokio::test]
async fn bulk_create_example() {
    check_example("bulkCreateOrderPaymentRequests").await;
}

#[tokio::test]
async fn get_example() {
    check_example("getOrderPaymentRequest").await;
}

#[tokio::test]
async fn update_example() {
    check_example("updateOrderPaymentRequest").await;
}

#[tokio::test]
async fn delete_example() {
    check_example("deleteOrderPaymentRequest").await;
}

#[tokio::test]
async fn query_example() {
    check_example("queryOrderPaymentRequests").await;
}

#[tokio::test]
async fn get_url_example() {
    check_example("getOrderPaymentRequestUrl").await;
}

#[tokio::test]
async fn update_extended_fields_example() {
    check_example("updateExtendedFields").await;
}

#[tokio::test]
async fn void_example() {
    check_example("voidOrderPaymentRequest").await;
}

#[tokio::test]
async fn charge_example() {
    check_example("chargeOrderPaymentRequest").await;
}
