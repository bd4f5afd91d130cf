//! Create and Bulk Create.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde_json::Value;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;

use super::{announce, check_body, decode, reply};
use crate::api_error::ApiError;
use crate::extended_fields;
use crate::extract::{Caller, WixJson};
use crate::limits::Limits;
use crate::record::Record;
use crate::spec_check;
use crate::state::{AppState, Shared};

const CREATE: &str = "createOrderPaymentRequest";
/// `operationId` of Bulk Create.
pub(super) const BULK: &str = "bulkCreateOrderPaymentRequests";

/// `POST /ecom/v1/order-payment-requests`.
pub async fn create(
    State(state): State<Shared>,
    caller: Caller,
    WixJson(mut body): WixJson,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    check_body(CREATE, &body)?;
    check_extended_fields(&body, &state.limits)?;
    spec_check::strip_read_only(CREATE, &mut body);
    let request: types::CreateOrderPaymentRequestRequest = decode(&body, "orderPaymentRequest")?;
    let record = create_one(
        &state,
        &caller.tenant,
        &request.order_payment_request,
        CREATE,
    )?;
    Ok(reply(&types::CreateOrderPaymentRequestResponse {
        order_payment_request: Some(record.to_wire()),
        order_payment_request_url: state.page_url(record.id).try_into().ok(),
    }))
}

/// `POST /ecom/v1/bulk/order-payment-requests/create` (and the spec's alternate paths): each
/// item succeeds or fails alone.
pub async fn bulk_create(
    State(state): State<Shared>,
    caller: Caller,
    WixJson(mut body): WixJson,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    check_body(BULK, &body)?;
    check_extended_fields(&body, &state.limits)?;
    spec_check::strip_read_only(BULK, &mut body);
    let request: types::BulkCreateOrderPaymentRequestsRequest =
        decode(&body, "orderPaymentRequests")?;
    let mut results = Vec::with_capacity(request.order_payment_requests.len());
    let (mut successes, mut failures) = (0, 0);
    for (index, input) in request.order_payment_requests.iter().enumerate() {
        let original_index = i32::try_from(index).ok();
        match create_one(&state, &caller.tenant, input, BULK) {
            Ok(record) => {
                successes += 1;
                results.push(types::BulkOrderPaymentRequestResult {
                    item_metadata: Some(types::ItemMetadata {
                        id: Some(record.id),
                        original_index,
                        success: Some(true),
                        error: None,
                    }),
                    item: request
                        .return_entity
                        .then(|| types::BulkOrderPaymentRequestItem {
                            order_payment_request: Some(record.to_wire()),
                            order_payment_request_url: Some(state.page_url(record.id)),
                        }),
                });
            }
            Err(error) => {
                failures += 1;
                results.push(types::BulkOrderPaymentRequestResult {
                    item_metadata: Some(types::ItemMetadata {
                        id: None,
                        original_index,
                        success: Some(false),
                        error: Some(item_error(&error)),
                    }),
                    item: None,
                });
            }
        }
    }
    Ok(reply(&types::BulkCreateOrderPaymentRequestsResponse {
        results,
        bulk_action_metadata: Some(types::BulkActionMetadata {
            total_successes: Some(successes),
            total_failures: Some(failures),
            undetailed_failures: Some(0),
        }),
    }))
}

/// A `400` when the extended fields of the body's entity (or of any bulk item) exceed the
/// emulator's caps ([`extended_fields`]).
fn check_extended_fields(body: &Value, limits: &Limits) -> Result<(), ApiError> {
    let entities: Vec<(String, &Value)> = match body.get("orderPaymentRequests") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (format!("orderPaymentRequests[{i}]"), item))
            .collect(),
        _ => body
            .get("orderPaymentRequest")
            .map(|entity| ("orderPaymentRequest".to_string(), entity))
            .into_iter()
            .collect(),
    };
    let violations: Vec<_> = entities
        .into_iter()
        .filter_map(|(path, entity)| {
            let namespaces = entity.pointer("/extendedFields/namespaces")?;
            Some(extended_fields::check_sent(
                namespaces,
                &format!("{path}.extendedFields.namespaces"),
                limits,
            ))
        })
        .flatten()
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(violations))
    }
}

/// The per-item error of a bulk result: the application error, or for any other error its
/// HTTP status as the code and its message.
fn item_error(error: &ApiError) -> types::ApplicationError {
    match error {
        ApiError::Application {
            code,
            description,
            data,
            ..
        } => types::ApplicationError {
            code: Some(code.clone()),
            description: Some(description.clone()),
            data: data.as_object().cloned().unwrap_or_default(),
        },
        other => types::ApplicationError {
            code: Some(other.http_status().as_str().to_string()),
            description: Some(other.message()),
            data: Default::default(),
        },
    }
}

/// Creates one payment request for `site` after the order and site rules.
pub fn create_one(
    state: &AppState,
    site: &str,
    input: &types::OrderPaymentRequest,
    operation_id: &str,
) -> Result<Record, ApiError> {
    if state.switches.unpublished() {
        return Err(ApiError::from_spec(operation_id, "SITE_NOT_PUBLISHED"));
    }
    if state.switches.page_missing() {
        return Err(ApiError::from_spec(
            operation_id,
            "ORDER_PAYMENT_REQUEST_PAGE_NOT_FOUND",
        ));
    }
    let order_id = input.order_id.ok_or_else(|| {
        ApiError::invalid(
            "orderPaymentRequest.orderId",
            "REQUIRED_FIELD",
            "must not be empty",
        )
    })?;
    let amount: Decimal = input
        .amount
        .as_ref()
        .and_then(|p| p.amount.as_ref())
        .map(|a| a.value())
        .ok_or_else(|| {
            ApiError::invalid(
                "orderPaymentRequest.amount.amount",
                "REQUIRED_FIELD",
                "must not be empty",
            )
        })?;
    let (order_index, order) = state
        .orders
        .find(order_id)
        .ok_or_else(|| ApiError::from_spec(BULK, "ORDER_NOT_FOUND"))?;
    if order.subscription {
        if order.subscription_started {
            return Err(ApiError::from_spec(
                operation_id,
                "SUBSCRIPTION_ALREADY_STARTED",
            ));
        }
        if order.status != "INITIALIZED" {
            return Err(ApiError::from_spec(
                operation_id,
                "INVALID_ORDER_STATUS_FOR_SUBSCRIPTION",
            ));
        }
        if amount != order.total {
            return Err(ApiError::from_spec(
                operation_id,
                "PARTIAL_PAYMENT_NOT_SUPPORTED_FOR_SUBSCRIPTION",
            ));
        }
    }
    state.store.reserve(1).map_err(|full| {
        ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "the emulator's store is full ({} payment requests): delete some or start it with a larger --capacity",
                full.capacity
            ),
        )
    })?;
    let mut record = Record::create(input, order_index, &order, amount, state.clock.now());
    let tenant = state.store.tenant(site);
    let mut map = tenant.write();
    announce(
        state,
        site,
        WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
        &mut record,
    );
    state.store.insert_locked(site, &mut map, record.clone());
    Ok(record)
}
