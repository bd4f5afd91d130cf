//! The operations of the API, at the methods and paths of the generated rule table, answering
//! Wix's JSON.
//!
//! Every handler receives its body checked against the spec and decoded into the generated
//! request type (the [`checked::Checked`] extractor), expires what is due
//! ([`AppState::sweep`]), applies the rule, and answers with the generated response type.

mod actions;
mod checked;
pub mod charge_tokens {
    //! The `paymentToken` values that simulate charge outcomes.
    pub use super::charge::{
        TOKEN_ATTEMPT_EXPIRED, TOKEN_DECLINE, TOKEN_INVALID_STATUS, TOKEN_IN_PROGRESS,
        TOKEN_METHOD_UNAVAILABLE,
    };
}
mod charge;
mod create;
mod query;
mod read;
mod update;

use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::store as domain_store;
use crate::state::{AppState, Shared};
use wix_emulator_core::api_error::{ApiError, Violation};
use wix_emulator_core::spec::check as spec_check;
use wix_order_payment_requests::generated::rules;
use wix_order_payment_requests::wix_runtime::operation::ApiOperation;

/// The API routes, with the state applied by the caller: each operation of the generated rule
/// table (`rules::OPERATIONS`) at its method, its path and its alternate paths (Bulk Create's
/// `/v1/bulk/...`, where Wix's JS SDK sends it).
pub fn routes() -> Router<Shared> {
    rules::OPERATIONS.iter().fold(Router::new(), |router, op| {
        let Some(endpoint) = endpoint(op) else {
            tracing::warn!(
                operation = op.operation_id,
                method = op.method,
                "the emulator cannot route this operation's method"
            );
            return router;
        };
        operation_routes(op).fold(router, |router, path| router.route(&path, endpoint.clone()))
    })
}

/// The route of every operation of the table, at its path and its alternate paths.
pub fn route_paths() -> impl Iterator<Item = String> {
    rules::OPERATIONS.iter().flat_map(operation_routes)
}

/// The routes of one operation: its path and its alternate paths.
fn operation_routes(op: &rules::OperationRule) -> impl Iterator<Item = String> {
    std::iter::once(op.path)
        .chain(op.alternate_paths.iter().copied())
        .map(route_path)
}

/// The operation's handler at `method`. The match is exhaustive: an operation the spec gains
/// and the emulator does not handle fails to compile.
fn handler(op: rules::Operation, method: MethodFilter) -> MethodRouter<Shared> {
    use rules::Operation as Op;
    match op {
        Op::CreateOrderPaymentRequest => on(method, create::create),
        Op::BulkCreateOrderPaymentRequests => on(method, create::bulk_create),
        Op::GetOrderPaymentRequest => on(method, read::get),
        Op::UpdateOrderPaymentRequest => on(method, update::update),
        Op::DeleteOrderPaymentRequest => on(method, actions::delete),
        Op::QueryOrderPaymentRequests => on(method, query::query),
        Op::GetOrderPaymentRequestUrl => on(method, read::get_url),
        Op::UpdateExtendedFields => on(method, update::update_extended_fields),
        Op::VoidOrderPaymentRequest => on(method, actions::void),
        Op::ChargeOrderPaymentRequest => on(method, charge::charge),
    }
}

/// The operation's handler at its method, if axum can route that method.
fn endpoint(op: &rules::OperationRule) -> Option<MethodRouter<Shared>> {
    let method = axum::http::Method::from_bytes(op.method.as_bytes()).ok()?;
    let filter = MethodFilter::try_from(method).ok()?;
    Some(handler(op.operation, filter))
}

/// A path template as a route: every parameter (`{orderPaymentRequestId}`, `{id}`) is the
/// request's id, under one name so that routes sharing a prefix do not conflict.
fn route_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A path id of operation `O`, as a GUID, or a 400 naming the parameter.
fn path_id<O: ApiOperation>(name: &str, raw: &str) -> Result<Uuid, ApiError> {
    let violations = spec_check::validate_path_param(O::RULE.operation_id, name, raw);
    if !violations.is_empty() {
        return Err(ApiError::Validation(violations));
    }
    raw.parse()
        .map_err(|_| ApiError::invalid(name, "FORMAT", "must be a valid GUID"))
}

/// Decodes a checked value into a generated type; whatever the schema check let through and
/// the type still refuses is a 400 on `field`.
fn decode<T: DeserializeOwned>(value: &Value, field: &str) -> Result<T, ApiError> {
    serde_json::from_value(value.clone())
        .map_err(|e| ApiError::Validation(vec![Violation::new(field, "FORMAT", e.to_string())]))
}

/// A generated response type as JSON.
fn reply<T: Serialize>(value: &T) -> axum::Json<Value> {
    axum::Json(serde_json::to_value(value).unwrap_or(Value::Null))
}

/// A generated response type written straight to JSON text, without building a
/// `serde_json::Value` first (the read paths, where that copy was most of the handler's work).
#[derive(Debug)]
pub struct JsonReply(Vec<u8>);

/// Bytes reserved up front for a reply's text: a page of ten requests fits without the
/// buffer growing (and being copied) along the way; a single request uses a fraction of it.
const REPLY_CAPACITY: usize = 8 * 1024;

impl JsonReply {
    fn of<T: Serialize>(value: &T) -> Self {
        let mut text = Vec::with_capacity(REPLY_CAPACITY);
        match serde_json::to_writer(&mut text, value) {
            Ok(()) => Self(text),
            Err(_) => Self(b"null".to_vec()),
        }
    }

    /// The answer of an operation whose `200` holds one payment request and nothing else
    /// (Get): `{"<field>":<its rendered text>}`, the field named by the rule table.
    fn entity<O: ApiOperation<Operation = rules::Operation>>(
        rendered: &[u8],
    ) -> Result<Self, ApiError> {
        let field = entity_field(O::RULE, false)?;
        let mut text = Vec::with_capacity(rendered.len() + field.len() + 8);
        text.push(b'{');
        write_key(&mut text, field);
        text.extend_from_slice(rendered);
        text.push(b'}');
        Ok(Self(text))
    }

    /// The answer of an operation whose `200` holds a list of payment requests beside other
    /// properties (Query): `rest` is the generated answer with an empty list, and the rendered
    /// texts become the list, under the field named by the rule table, ahead of the rest.
    fn list<O: ApiOperation<Operation = rules::Operation>>(
        rendered: &[domain_store::RenderedText],
        rest: &O::Response,
    ) -> Result<Self, ApiError>
    where
        O::Response: Serialize,
    {
        let operation_id = O::RULE.operation_id;
        let field = entity_field(O::RULE, true)?;
        // The generated answer leaves an empty list out, as Wix does.
        if rendered.is_empty() {
            return Ok(Self::of(rest));
        }
        let mut text = Vec::with_capacity(REPLY_CAPACITY);
        text.push(b'{');
        write_key(&mut text, field);
        text.push(b'[');
        for (at, item) in rendered.iter().enumerate() {
            if at > 0 {
                text.push(b',');
            }
            text.extend_from_slice(item);
        }
        text.push(b']');
        // The rest's members follow the list: its opening brace becomes the separating comma,
        // or goes when it has none.
        let rest_at = text.len();
        serde_json::to_writer(&mut text, rest)
            .map_err(|e| internal(format!("{operation_id}'s answer: {e}")))?;
        match text.get(rest_at..) {
            Some(b"{}") => {
                text.remove(rest_at);
            }
            Some([b'{', ..]) => text[rest_at] = b',',
            _ => {
                return Err(internal(format!(
                    "{operation_id}'s answer is not an object"
                )))
            }
        }
        Ok(Self(text))
    }
}

/// Writes `"<name>":`.
fn write_key(text: &mut Vec<u8>, name: &str) {
    // Writing a `&str` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *text, name);
    text.push(b':');
}

/// The property of the operation's `200` answer that holds the payment request (`list`:
/// a list of them), from its generated rule.
fn entity_field(rule: &rules::OperationRule, list: bool) -> Result<&'static str, ApiError> {
    rule.entity_field
        .filter(|field| field.list == list)
        .map(|field| field.name)
        .ok_or_else(|| {
            internal(format!(
                "the rule table names no property holding the payment request{} in {}'s answer",
                if list { " list" } else { "" },
                rule.operation_id
            ))
        })
}

/// A `500` for a state the emulator cannot answer from; the reason goes to the log (Wix's
/// `5xx` bodies carry no message).
fn internal(reason: String) -> ApiError {
    tracing::error!(%reason, "cannot answer");
    ApiError::status(axum::http::StatusCode::INTERNAL_SERVER_ERROR, reason)
}

impl axum::response::IntoResponse for JsonReply {
    fn into_response(self) -> axum::response::Response {
        (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            self.0,
        )
            .into_response()
    }
}

/// The not-found answer of Delete, Update and Update Extended Fields, whose reference pages list
/// no not-found code: the `ORDER_PAYMENT_REQUEST_NOT_FOUND` (404) that Get documents. (Operations
/// that document the code answer with their own typed one.)
fn not_found() -> ApiError {
    ApiError::from_code(
        wix_order_payment_requests::error_codes::GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound,
    )
}

/// Announces a state change of `record`, made by the app through the API, to the sinks (call
/// while its tenant is locked).
fn announce(
    state: &AppState,
    site: &str,
    event: wix_order_payment_requests::webhooks::WebhookEventType,
    record: &mut crate::domain::record::Record,
) {
    state
        .events
        .emit(site, event, record, crate::domain::events::Actor::App);
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_order_payment_requests::generated::operations;
    use wix_order_payment_requests::types;

    #[test]
    fn every_operation_of_the_table_is_routed_at_its_method() {
        for op in rules::OPERATIONS {
            assert!(endpoint(op).is_some(), "{}", op.operation_id);
        }
    }

    fn records(n: usize) -> Vec<crate::domain::record::Record> {
        let order = crate::domain::orders::fixture_orders().remove(0);
        (0..n)
            .map(|i| {
                let input: wix_order_payment_requests::types::NewOrderPaymentRequest =
                    serde_json::from_value(serde_json::json!({
                        "orderId": order.id, "title": format!("Balance \"{i}\""),
                        "amount": {"amount": "15.50"}, "source": {"externalId": format!("ext-{i}")},
                        "expirationDate": "2099-01-01T00:00:00.123Z",
                    }))
                    .unwrap();
                let now = chrono::Utc::now();
                crate::domain::record::Record::create(&input, 0, &order, input.amount.amount, now)
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn rendered_answers_are_the_generated_answers_written_out() {
        use crate::domain::store::RenderedText;
        let render = |r: &crate::domain::record::Record| -> RenderedText {
            serde_json::to_vec(&r.to_wire()).unwrap().into()
        };
        for record in records(2) {
            let spliced =
                JsonReply::entity::<operations::GetOrderPaymentRequest>(&render(&record)).unwrap();
            let generated = JsonReply::of(&types::GetOrderPaymentRequestResponse {
                order_payment_request: record.to_wire(),
            });
            assert_eq!(spliced.0, generated.0);
        }
        let paging = [
            None,
            Some(types::CursorPagingMetadata {
                count: Some(3),
                has_next: Some(true),
                cursors: Some(types::Cursors {
                    next: Some("a\"b".to_string().try_into().unwrap()),
                    prev: None,
                }),
            }),
        ];
        for n in [0, 1, 3] {
            let records = records(n);
            for paging_metadata in paging.clone() {
                let rendered: Vec<RenderedText> = records.iter().map(render).collect();
                let rest = types::QueryOrderPaymentRequestsResponse {
                    order_payment_requests: Vec::new(),
                    paging_metadata: paging_metadata.clone(),
                };
                let spliced =
                    JsonReply::list::<operations::QueryOrderPaymentRequests>(&rendered, &rest)
                        .unwrap();
                let generated = JsonReply::of(&types::QueryOrderPaymentRequestsResponse {
                    order_payment_requests: records.iter().map(|r| r.to_wire()).collect(),
                    paging_metadata,
                });
                assert_eq!(
                    String::from_utf8_lossy(&spliced.0),
                    String::from_utf8_lossy(&generated.0)
                );
            }
        }
    }

    #[test]
    fn an_operation_without_the_entity_in_its_answer_is_refused_not_guessed() {
        assert!(JsonReply::entity::<operations::GetOrderPaymentRequestUrl>(b"{}").is_err());
        // Get's answer holds one request, not a list.
        let get = types::GetOrderPaymentRequestResponse {
            order_payment_request: records(1).remove(0).to_wire(),
        };
        assert!(JsonReply::list::<operations::GetOrderPaymentRequest>(&[], &get).is_err());
    }

    #[test]
    fn path_parameters_become_the_id() {
        assert_eq!(
            route_path("/ecom/v1/order-payment-requests/{orderPaymentRequestId}"),
            "/ecom/v1/order-payment-requests/{id}"
        );
        assert_eq!(
            route_path("/ecom/v1/order-payment-requests/{id}/update-extended-fields"),
            "/ecom/v1/order-payment-requests/{id}/update-extended-fields"
        );
    }
}
