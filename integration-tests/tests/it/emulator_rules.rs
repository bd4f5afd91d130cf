//! The client's checks and the emulator's agree on every bound of the generated rule table.
//!
//! For each row of `rules::REQUEST_BOUNDS`, a valid body of the row's operation gets the
//! bounded field set to the bound itself and to one past it. Each body is sent raw, over HTTP,
//! to the emulator, at the operation's method and path from `rules::OPERATIONS`; the client
//! judges the same body as it would before sending it (the typed request must decode, then the
//! operation's pre-send check must pass). Both must accept the bound and refuse one past it,
//! and where the client's refusal is a field violation it must be the emulator's.
//!
//! Also here: an update's `amount` is the API's to judge (the client sends it; the emulator
//! refuses only a changed amount), and the emulator serves every path of the operation table.

use crate::emulator_support;

use emulator_support::{emulator, ORDER_ID, SITE_ID};
use serde_json::{json, Value};
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::error_codes::UpdateOrderPaymentRequestErrorCode;
use wix_order_payment_requests::generated::rules::{self, BoundKind, Operation, RequestBound};
use wix_order_payment_requests::{types, validate};

/// `(field, rule, data)` of one violation.
type Rule = (String, String, Value);

/// A complete entity, with every bounded writable field present.
fn entity(external_id: &str) -> Value {
    json!({
        "orderId": ORDER_ID,
        "amount": {"amount": "15.50"},
        "title": "Balance Due for Order #10052",
        "description": "Second installment",
        "source": {"appId": "0c6a7f0e-8d3b-4b8e-9a51-3f2d7c1e9b40", "externalId": external_id},
        "image": {"id": "wix:image://v1/balance.png", "altText": "Balance"},
        "blockedPaymentMethods": ["MANUAL"],
    })
}

/// A valid body of `operation` for the request `id` (every bounded array has an item).
fn base_body(operation: Operation, id: &str) -> Value {
    match operation {
        Operation::CreateOrderPaymentRequest => {
            json!({"orderPaymentRequest": entity("rules-create")})
        }
        Operation::BulkCreateOrderPaymentRequests => {
            json!({"orderPaymentRequests": [entity("rules-bulk")], "returnEntity": false})
        }
        Operation::UpdateOrderPaymentRequest => {
            let mut patch = entity("rules-existing");
            patch["id"] = json!(id);
            json!({ "orderPaymentRequest": patch })
        }
        Operation::ChargeOrderPaymentRequest => {
            json!({"orderPaymentRequestId": id, "paymentToken": "tok"})
        }
        Operation::QueryOrderPaymentRequests => json!({"query": {
            "cursorPaging": {"limit": 10},
            "sort": [{"fieldName": "createdDate", "order": "DESC"}],
        }}),
        Operation::UpdateExtendedFields => {
            json!({"id": id, "namespace": "@rules/test", "namespaceData": {"data": {}}})
        }
        // No request body, or no bound in it: give one here when the spec adds a bound.
        Operation::GetOrderPaymentRequest
        | Operation::GetOrderPaymentRequestUrl
        | Operation::VoidOrderPaymentRequest
        | Operation::DeleteOrderPaymentRequest => {
            panic!("no base body for `{operation:?}`: add one for its new bound")
        }
    }
}

/// The value a field of `kind` gets to have size (or value) `n`, built from `current`.
fn sized(kind: BoundKind, n: i64, current: &Value) -> Value {
    let n_usize = || usize::try_from(n).expect("a non-negative size");
    match kind {
        BoundKind::MinItems | BoundKind::MaxItems => {
            let item = current.get(0).cloned().expect("the base array has an item");
            Value::Array(vec![item; n_usize()])
        }
        BoundKind::MinLength | BoundKind::MaxLength | BoundKind::DocumentedMaxLength => {
            Value::String("x".repeat(n_usize()))
        }
        BoundKind::Minimum | BoundKind::Maximum => json!(n),
    }
}

/// Sets the field at Wix's `path` (`a.b[].c`, `[]` as the first item) to `n`'s value.
fn set(body: &mut Value, path: &str, kind: BoundKind, n: i64) {
    let mut node = body;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let (name, item) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*segment, false),
        };
        let last = i + 1 == segments.len();
        if last && !item {
            let current = node[name].clone();
            node[name] = sized(kind, n, &current);
            return;
        }
        node = &mut node[name];
        if item {
            node = &mut node[0];
        }
    }
    panic!("`{path}` ends in an array item: no bound of the table does");
}

/// Wix's path of the field in a body (`[]` becomes the first item, `[0]`).
fn concrete(path: &str) -> String {
    path.replace("[]", "[0]")
}

/// The emulator's violations of `body` at `field`, or none when it does not answer 400.
async fn emulator_rules(
    emu: &Emulator,
    operation: Operation,
    id: &str,
    body: &Value,
    field: &str,
) -> Vec<Rule> {
    let op = operation.rule();
    let path = op
        .path
        .replace("{orderPaymentRequestId}", id)
        .replace("{id}", id);
    let method = reqwest::Method::from_bytes(op.method.as_bytes()).unwrap();
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", emu.base_url()))
        .header("authorization", "IST.emulator-test-key")
        .header("wix-site-id", SITE_ID)
        .json(body)
        .send()
        .await
        .unwrap();
    if response.status() != 400 {
        return Vec::new();
    }
    let answer: Value = response.json().await.unwrap();
    answer["details"]["validationError"]["fieldViolations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["field"] == field)
        .map(|v| {
            (
                field.to_string(),
                v["violatedRule"].as_str().unwrap_or_default().to_string(),
                match &v["data"] {
                    Value::Null => json!({}),
                    data => data.clone(),
                },
            )
        })
        .collect()
}

/// How the client judges a body before sending it.
#[derive(Debug)]
enum ClientVerdict {
    /// It would send it.
    Sends,
    /// The typed request cannot hold it (a newtype refused the value): the decode error, shown
    /// in failure messages.
    Unrepresentable(#[allow(dead_code)] String),
    /// The pre-send check refused it, with these violations at the field.
    Refused(Vec<Rule>),
}

fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ClientVerdict> {
    serde_json::from_value(body.clone()).map_err(|e| ClientVerdict::Unrepresentable(e.to_string()))
}

fn client_verdict(operation: Operation, id: &str, body: &Value, field: &str) -> ClientVerdict {
    let violations = match operation {
        Operation::CreateOrderPaymentRequest => decode(body).map(|b| validate::create(&b)),
        Operation::BulkCreateOrderPaymentRequests => {
            decode(body).map(|b| validate::bulk_create(&b))
        }
        Operation::UpdateOrderPaymentRequest => {
            decode(body).map(|b| validate::update(id.parse().unwrap(), &b))
        }
        Operation::ChargeOrderPaymentRequest => {
            decode::<types::ChargeOrderPaymentRequestRequest>(body).map(|b| {
                validate::payment_token(b.payment_token.as_ref().map_or("", |t| t.as_str()))
            })
        }
        Operation::QueryOrderPaymentRequests => {
            decode::<types::QueryOrderPaymentRequestsRequest>(body)
                .map(|b| validate::query(&b.query))
        }
        Operation::UpdateExtendedFields => {
            decode::<types::UpdateExtendedFieldsRequest>(body).map(|_| Vec::new())
        }
        Operation::GetOrderPaymentRequest
        | Operation::GetOrderPaymentRequestUrl
        | Operation::VoidOrderPaymentRequest
        | Operation::DeleteOrderPaymentRequest => {
            panic!("no client check for `{operation:?}`: add one for its new bound")
        }
    };
    let violations = match violations {
        Ok(violations) => violations,
        Err(verdict) => return verdict,
    };
    let at_field: Vec<Rule> = violations
        .iter()
        .filter(|v| v.field.as_deref() == Some(field))
        .map(|v| {
            (
                field.to_string(),
                v.violated_rule.clone().unwrap_or_default(),
                Value::Object(v.data.clone()),
            )
        })
        .collect();
    if at_field.is_empty() {
        ClientVerdict::Sends
    } else {
        ClientVerdict::Refused(at_field)
    }
}

/// A fresh `UNPAID` request of the test site, by raw HTTP.
async fn fresh_request(emu: &Emulator) -> String {
    let body = json!({"orderPaymentRequest": entity("rules-existing")});
    let response = reqwest::Client::new()
        .post(format!("{}/ecom/v1/order-payment-requests", emu.base_url()))
        .header("authorization", "IST.emulator-test-key")
        .header("wix-site-id", SITE_ID)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    created["orderPaymentRequest"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Checks one row: the bound itself and one past it.
async fn check_row(emu: &Emulator, row: &RequestBound) -> Result<(), String> {
    let bound = row.bound;
    let field = concrete(row.field);
    let past = if bound.kind.is_lower() {
        bound.value - 1
    } else {
        bound.value + 1
    };
    let expected_rule = bound.kind.rule_name();
    let what = format!(
        "{} {} {} {}",
        row.operation_id,
        row.field,
        bound.kind.keyword(),
        bound.value
    );
    // At the bound: neither refuses it for this rule. The emulator may refuse the value for
    // another reason the client cannot know (a cursor it did not issue); a value the client's
    // types cannot hold must be one the emulator refuses too (a GUID's format).
    let id = fresh_request(emu).await;
    let mut body = base_body(row.operation, &id);
    set(&mut body, row.field, bound.kind, bound.value);
    let theirs = emulator_rules(emu, row.operation, &id, &body, &field).await;
    if theirs.iter().any(|(_, rule, _)| rule == expected_rule) {
        return Err(format!(
            "{what}: the emulator refuses the bound itself: {theirs:?}"
        ));
    }
    let ours = client_verdict(row.operation, &id, &body, &field);
    let agrees = match &ours {
        ClientVerdict::Sends => true,
        ClientVerdict::Unrepresentable(_) => !theirs.is_empty(),
        ClientVerdict::Refused(rules) => rules.iter().all(|(_, rule, _)| rule != expected_rule),
    };
    if !agrees {
        return Err(format!(
            "{what}: at the bound, client {ours:?}, emulator {theirs:?}"
        ));
    }
    // One past the bound: both refuse, with the same violation where the client reports one.
    let id = fresh_request(emu).await;
    let mut body = base_body(row.operation, &id);
    set(&mut body, row.field, bound.kind, past);
    let theirs: Vec<Rule> = emulator_rules(emu, row.operation, &id, &body, &field)
        .await
        .into_iter()
        .filter(|(_, rule, _)| rule == expected_rule)
        .collect();
    let threshold = json!({ "threshold": bound.value });
    if theirs != [(field.clone(), expected_rule.to_string(), threshold)] {
        return Err(format!(
            "{what}: past the bound, the emulator says {theirs:?}"
        ));
    }
    match client_verdict(row.operation, &id, &body, &field) {
        ClientVerdict::Unrepresentable(_) => Ok(()),
        ClientVerdict::Refused(ours) if ours == theirs => Ok(()),
        ours => Err(format!(
            "{what}: past the bound, client {ours:?}, emulator {theirs:?}"
        )),
    }
}

#[tokio::test]
async fn client_and_emulator_refuse_the_same_values_of_every_bound() {
    let emu = emulator().await;
    assert!(!rules::REQUEST_BOUNDS.is_empty());
    let mut disagreements = Vec::new();
    for row in rules::REQUEST_BOUNDS {
        if let Err(e) = check_row(&emu, row).await {
            disagreements.push(e);
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[tokio::test]
async fn an_update_amount_is_sent_and_only_a_changed_one_is_refused() {
    let emu = emulator().await;
    let wix = emulator_support::client(&emu, wix_order_payment_requests::RetryPolicy::disabled());
    let created = wix
        .create(serde_json::from_value(entity("rules-amount")).unwrap())
        .await
        .unwrap()
        .request;
    let id = created.id;
    let with_amount = |amount: &str| {
        let mut patch = types::OrderPaymentRequestPatch::new(id);
        patch.amount = Some(
            amount
                .parse::<wix_order_payment_requests::Amount>()
                .unwrap()
                .into(),
        );
        patch
    };
    // The stored amount, sent back: accepted.
    let updated = wix.update(id, with_amount("15.50")).await.unwrap();
    assert_eq!(updated.amount.amount.to_string(), "15.50");
    // A changed amount: sent, and refused by the API with its application error.
    let error = wix.update(id, with_amount("16.00")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(428), "{error:?}");
    assert_eq!(
        error.code(),
        Some(&UpdateOrderPaymentRequestErrorCode::CannotUpdateOrderPaymentRequestAmount)
    );
}

#[tokio::test]
async fn the_operation_table_is_what_the_emulator_serves() {
    let emu = emulator().await;
    for op in rules::OPERATIONS {
        let id = fresh_request(&emu).await;
        for path in std::iter::once(&op.path).chain(op.alternate_paths) {
            let path = path
                .replace("{orderPaymentRequestId}", &id)
                .replace("{id}", &id);
            let method = reqwest::Method::from_bytes(op.method.as_bytes()).unwrap();
            let status = reqwest::Client::new()
                .request(method, format!("{}{path}", emu.base_url()))
                .header("authorization", "IST.emulator-test-key")
                .header("wix-site-id", SITE_ID)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status();
            // Served: an answer of the operation (an empty body is refused with 400, or the
            // operation runs), never the router's 404 or 405 for an unknown route.
            assert!(
                status != 404 && status != 405,
                "{} {} answered {status}",
                op.method,
                path
            );
        }
    }
}

#[tokio::test]
async fn client_and_emulator_refuse_the_same_amounts() {
    let emu = emulator().await;
    let field = "orderPaymentRequest.amount.amount";
    let step = rust_decimal::Decimal::new(1, 2);
    let range = rules::DECIMAL_AMOUNT_RANGE;
    let mut cases = Vec::new();
    if let Some(end) = range.gte {
        cases.push((end.value, true));
        cases.push((end.value - step, false));
    }
    if let Some(end) = range.lte {
        cases.push((end.value, true));
        cases.push((end.value + step, false));
    }
    assert!(!cases.is_empty());
    for (amount, within) in cases {
        let mut body = json!({"orderPaymentRequest": entity("rules-amounts")});
        body["orderPaymentRequest"]["amount"]["amount"] = json!(amount.to_string());
        let create = Operation::CreateOrderPaymentRequest;
        let theirs = emulator_rules(&emu, create, "", &body, field).await;
        let ours = client_verdict(create, "", &body, field);
        if within {
            assert!(theirs.is_empty(), "{amount}: {theirs:?}");
            assert!(matches!(ours, ClientVerdict::Sends), "{amount}: {ours:?}");
        } else {
            assert!(!theirs.is_empty(), "{amount}: the emulator accepts it");
            assert!(
                matches!(ours, ClientVerdict::Unrepresentable(_)),
                "{amount}: {ours:?}"
            );
        }
    }
}

#[tokio::test]
async fn immutable_fields_are_sent_and_only_changed_ones_refused() {
    let emu = emulator().await;
    let wix = emulator_support::client(&emu, wix_order_payment_requests::RetryPolicy::disabled());
    let mut original = entity("rules-immutable");
    original["expirationDate"] = json!("2099-01-01T00:00:00Z");
    assert!(!rules::IMMUTABLE_FIELDS.is_empty());
    for &field in rules::IMMUTABLE_FIELDS {
        let created = wix
            .create(serde_json::from_value(original.clone()).unwrap())
            .await
            .unwrap()
            .request;
        let id = created.id;
        let changed = match field {
            "source" => {
                json!({"appId": "0c6a7f0e-8d3b-4b8e-9a51-3f2d7c1e9b40", "externalId": "rules-other"})
            }
            "orderId" => json!(emulator_support::OTHER_ORDER_ID),
            "amount" => json!({"amount": "16.00"}),
            "expirationDate" => json!("2098-01-01T00:00:00Z"),
            other => panic!("no changed value for the immutable field `{other}`: add one"),
        };
        let patch_of = |value: &Value| -> types::OrderPaymentRequestPatch {
            serde_json::from_value(json!({ "id": id, field: value })).unwrap()
        };
        // The stored value, sent back: accepted.
        wix.update(id, patch_of(&original[field]))
            .await
            .unwrap_or_else(|e| panic!("{field} unchanged: {e:?}"));
        // A changed value: the client sends it; the API refuses it.
        let error = wix.update(id, patch_of(&changed)).await.unwrap_err();
        let status = error.status().map(|s| s.as_u16());
        if field == "amount" {
            assert_eq!(status, Some(428), "{field}: {error:?}");
        } else {
            assert_eq!(status, Some(400), "{field}: {error:?}");
            let at = format!("orderPaymentRequest.{field}");
            assert!(
                error
                    .field_violations()
                    .iter()
                    .any(|v| v.field.as_deref() == Some(at.as_str())
                        && v.violated_rule.as_deref() == Some("IMMUTABLE_FIELD")),
                "{field}: {error:?}"
            );
        }
    }
}
