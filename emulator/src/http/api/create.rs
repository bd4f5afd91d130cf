//! Create and Bulk Create.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use wix_order_payment_requests::error_codes::{
    BulkCreateOrderPaymentRequestsErrorCode as BulkCode,
    CreateOrderPaymentRequestErrorCode as SingleCode,
};
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;

use super::checked::{self, Checked};
use super::{announce, decode, reply};
use crate::domain::extended_fields;
use crate::domain::record::Record;
use crate::http::extract::Caller;
use crate::state::{AppState, Shared};
use wix_emulator_core::api_error::ApiError;
use wix_emulator_core::limits::Limits;

/// `POST /ecom/v1/order-payment-requests`.
pub async fn create(
    State(state): State<Shared>,
    caller: Caller,
    Checked { request, raw }: Checked<checked::Create>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    check_extended_fields(&raw, &state.limits)?;
    let record = create_one(
        &state,
        &caller.tenant,
        &request.order_payment_request,
        Endpoint::Single,
    )?;
    Ok(reply(&types::CreateOrderPaymentRequestResponse {
        order_payment_request: record.to_wire(),
        order_payment_request_url: page_url(&state, record.id)?,
    }))
}

/// `POST /ecom/v1/bulk/order-payment-requests/create` (and the spec's alternate paths): each
/// item succeeds or fails alone.
pub async fn bulk_create(
    State(state): State<Shared>,
    caller: Caller,
    Checked { request, raw }: Checked<checked::BulkCreate>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    check_extended_fields(&raw, &state.limits)?;
    let mut results = Vec::with_capacity(request.order_payment_requests.len());
    let (mut successes, mut failures) = (0, 0);
    for (index, item) in request.order_payment_requests.iter().enumerate() {
        let original_index = i32::try_from(index).ok();
        let created = as_single(item)
            .and_then(|input| create_one(&state, &caller.tenant, &input, Endpoint::Bulk));
        match created {
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
                            order_payment_request: record.to_wire(),
                            order_payment_request_url: state.page_url(record.id),
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

/// A Bulk Create item as the single create input it extends (the same fields; `source` is
/// required in the item only).
fn as_single(
    item: &types::NewBulkOrderPaymentRequest,
) -> Result<types::NewOrderPaymentRequest, ApiError> {
    let json = serde_json::to_value(item)
        .map_err(|e| ApiError::invalid("orderPaymentRequests", "TYPE", e.to_string()))?;
    decode(&json, "orderPaymentRequests")
}

/// The payment page URL of a request, in the type of a response member `T`; a URL the spec
/// refuses is a `500` (the emulator's page base is misconfigured).
pub(super) fn page_url<T: TryFrom<String>>(
    state: &AppState,
    id: uuid::Uuid,
) -> Result<T, ApiError> {
    T::try_from(state.page_url(id)).map_err(|_| {
        ApiError::status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the emulator's payment page URL is not a valid URL",
        )
    })
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

/// Which create operation a request came through: each answers a refusal with its own typed code.
#[derive(Debug, Clone, Copy)]
pub enum Endpoint {
    /// Create Order Payment Request.
    Single,
    /// Bulk Create Order Payment Requests (the refusal becomes the item's error).
    Bulk,
}

/// Why a new payment request is refused: its order is unknown, or the site or the order refuses it.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    OrderNotFound,
    SiteNotPublished,
    PageNotFound,
    SubscriptionAlreadyStarted,
    InvalidOrderStatusForSubscription,
    PartialPaymentNotSupportedForSubscription,
}

impl Endpoint {
    /// The refusal as this operation's documented application error.
    fn refuse(self, refusal: Refusal) -> ApiError {
        match self {
            Endpoint::Single => ApiError::from_code(match refusal {
                Refusal::OrderNotFound => SingleCode::OrderNotFound,
                Refusal::SiteNotPublished => SingleCode::SiteNotPublished,
                Refusal::PageNotFound => SingleCode::OrderPaymentRequestPageNotFound,
                Refusal::SubscriptionAlreadyStarted => SingleCode::SubscriptionAlreadyStarted,
                Refusal::InvalidOrderStatusForSubscription => {
                    SingleCode::InvalidOrderStatusForSubscription
                }
                Refusal::PartialPaymentNotSupportedForSubscription => {
                    SingleCode::PartialPaymentNotSupportedForSubscription
                }
            }),
            Endpoint::Bulk => ApiError::from_code(match refusal {
                Refusal::OrderNotFound => BulkCode::OrderNotFound,
                Refusal::SiteNotPublished => BulkCode::SiteNotPublished,
                Refusal::PageNotFound => BulkCode::OrderPaymentRequestPageNotFound,
                Refusal::SubscriptionAlreadyStarted => BulkCode::SubscriptionAlreadyStarted,
                Refusal::InvalidOrderStatusForSubscription => {
                    BulkCode::InvalidOrderStatusForSubscription
                }
                Refusal::PartialPaymentNotSupportedForSubscription => {
                    BulkCode::PartialPaymentNotSupportedForSubscription
                }
            }),
        }
    }
}

/// Creates one payment request for `site` after the order and site rules.
pub fn create_one(
    state: &AppState,
    site: &str,
    input: &types::NewOrderPaymentRequest,
    endpoint: Endpoint,
) -> Result<Record, ApiError> {
    if state.switches.unpublished() {
        return Err(endpoint.refuse(Refusal::SiteNotPublished));
    }
    if state.switches.page_missing() {
        return Err(endpoint.refuse(Refusal::PageNotFound));
    }
    let order_id = input.order_id;
    let amount = input.amount.amount;
    let (order_index, order) = state
        .orders
        .find(order_id)
        .ok_or_else(|| endpoint.refuse(Refusal::OrderNotFound))?;
    if order.subscription {
        if order.subscription_started {
            return Err(endpoint.refuse(Refusal::SubscriptionAlreadyStarted));
        }
        if order.status != "INITIALIZED" {
            return Err(endpoint.refuse(Refusal::InvalidOrderStatusForSubscription));
        }
        if amount.value() != order.total {
            return Err(endpoint.refuse(Refusal::PartialPaymentNotSupportedForSubscription));
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
    let mut record = Record::create(input, order_index, &order, amount, state.clock.now())?;
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
