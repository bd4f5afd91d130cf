//! The ten operations of the API, at Wix's paths, answering Wix's JSON.
//!
//! Every handler first expires what is due ([`AppState::sweep`]), checks the body against the
//! spec ([`crate::spec_check`]), decodes it into the generated request type, applies the rule,
//! and answers with the generated response type.

mod actions;
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

use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::api_error::{ApiError, Violation};
use crate::state::{AppState, Shared};
use crate::{spec_check, spec_doc};

/// The API routes, with the state applied by the caller. Bulk Create is also served at the
/// spec's `x-wix-alternate-paths` for it (the path Wix's JS SDK uses).
pub fn routes() -> Router<Shared> {
    let base = "/ecom/v1/order-payment-requests";
    let documented = Router::new()
        .route(base, post(create::create))
        .route(
            "/ecom/v1/bulk/order-payment-requests/create",
            post(create::bulk_create),
        )
        .route(&format!("{base}/query"), post(query::query))
        .route(&format!("{base}/url"), post(read::get_url))
        .route(&format!("{base}/void"), post(actions::void))
        .route(&format!("{base}/charge"), post(charge::charge))
        .route(
            &format!("{base}/{{id}}"),
            get(read::get).delete(actions::delete).patch(update::update),
        )
        .route(
            &format!("{base}/{{id}}/update-extended-fields"),
            post(update::update_extended_fields),
        );
    spec_doc::alternate_paths(create::BULK)
        .into_iter()
        .fold(documented, |router, path| {
            router.route(path, post(create::bulk_create))
        })
}

/// A 400 when the body breaks the operation's schema.
fn check_body(operation_id: &str, body: &Value) -> Result<(), ApiError> {
    let violations = spec_check::validate_request(operation_id, body);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(violations))
    }
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

impl JsonReply {
    fn of<T: Serialize>(value: &T) -> Self {
        Self(serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec()))
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

/// The `ORDER_PAYMENT_REQUEST_NOT_FOUND` answer of an operation.
fn not_found(operation_id: &str) -> ApiError {
    ApiError::from_spec(operation_id, "ORDER_PAYMENT_REQUEST_NOT_FOUND")
}

/// Announces a state change of `record`, made by the app through the API, to the sinks (call
/// while its tenant is locked).
fn announce(
    state: &AppState,
    site: &str,
    event: wix_order_payment_requests::webhooks::WebhookEventType,
    record: &mut crate::record::Record,
) {
    state
        .events
        .emit(site, event, record, crate::events::Actor::App);
}
