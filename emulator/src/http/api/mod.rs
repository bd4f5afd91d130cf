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

use crate::http::api_error::{ApiError, Violation};
use crate::spec::check as spec_check;
use crate::state::{AppState, Shared};
use wix_order_payment_requests::error_codes::{
    BulkCreateOrderPaymentRequestsErrorCode, ChargeOrderPaymentRequestErrorCode,
    CreateOrderPaymentRequestErrorCode, DeleteOrderPaymentRequestErrorCode,
    GetOrderPaymentRequestErrorCode, GetOrderPaymentRequestUrlErrorCode,
    QueryOrderPaymentRequestsErrorCode, UpdateExtendedFieldsErrorCode,
    UpdateOrderPaymentRequestErrorCode, VoidOrderPaymentRequestErrorCode,
};
use wix_order_payment_requests::generated::rules;
use wix_order_payment_requests::ApplicationErrorCode;

/// The API routes, with the state applied by the caller: each operation of the generated rule
/// table (`rules::OPERATIONS`) at its method, its path and its alternate paths (Bulk Create's
/// `/v1/bulk/...`, where Wix's JS SDK sends it).
pub fn routes() -> Router<Shared> {
    rules::OPERATIONS.iter().fold(Router::new(), |router, op| {
        let Some(endpoint) = endpoint(op) else {
            tracing::warn!(
                operation = op.operation_id,
                "the emulator has no handler for this operation"
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

/// Builds an operation's endpoint for a method.
type Endpoint = fn(MethodFilter) -> MethodRouter<Shared>;

/// Each operation's handler, by `operationId`.
const HANDLERS: [(&str, Endpoint); 10] = [
    (CreateOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, create::create)
    }),
    (BulkCreateOrderPaymentRequestsErrorCode::OPERATION_ID, |m| {
        on(m, create::bulk_create)
    }),
    (GetOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, read::get)
    }),
    (UpdateOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, update::update)
    }),
    (DeleteOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, actions::delete)
    }),
    (QueryOrderPaymentRequestsErrorCode::OPERATION_ID, |m| {
        on(m, query::query)
    }),
    (GetOrderPaymentRequestUrlErrorCode::OPERATION_ID, |m| {
        on(m, read::get_url)
    }),
    (UpdateExtendedFieldsErrorCode::OPERATION_ID, |m| {
        on(m, update::update_extended_fields)
    }),
    (VoidOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, actions::void)
    }),
    (ChargeOrderPaymentRequestErrorCode::OPERATION_ID, |m| {
        on(m, charge::charge)
    }),
];

/// The operation's handler at its method, if the emulator has one.
fn endpoint(op: &rules::OperationRule) -> Option<MethodRouter<Shared>> {
    let method = axum::http::Method::from_bytes(op.method.as_bytes()).ok()?;
    let filter = MethodFilter::try_from(method).ok()?;
    let (_, build) = HANDLERS.iter().find(|(id, _)| *id == op.operation_id)?;
    Some(build(filter))
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

/// A path id, as a GUID, or a 400 naming the parameter.
fn path_id(operation_id: &str, name: &str, raw: &str) -> Result<Uuid, ApiError> {
    let violations = spec_check::validate_path_param(operation_id, name, raw);
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

    #[test]
    fn every_operation_of_the_table_has_a_handler() {
        for op in rules::OPERATIONS {
            assert!(endpoint(op).is_some(), "{}", op.operation_id);
        }
        assert_eq!(HANDLERS.len(), rules::OPERATIONS.len());
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
