//! Void and Delete.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;
use wix_order_payment_requests::error_codes::VoidOrderPaymentRequestErrorCode;
use wix_order_payment_requests::generated::operations;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;

use super::checked::{self, Checked};
use super::{announce, not_found, path_id, reply};
use crate::domain::events::Actor;
use crate::domain::lifecycle::{self, VoidOutcome};
use crate::domain::record::to_ms;
use crate::http::extract::Caller;
use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;

/// `POST /ecom/v1/order-payment-requests/void`.
pub async fn void(
    State(state): State<Shared>,
    caller: Caller,
    Checked { request, .. }: Checked<checked::Void>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let tenant = state.store.lookup(&caller.tenant);
    let mut map = tenant.write();
    let record = map
        .get_mut(&request.order_payment_request_id)
        .ok_or_else(|| {
            ApiError::from_code(VoidOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
        })?;
    if lifecycle::check_void(record.status)? == VoidOutcome::Void {
        record.void(to_ms(state.clock.now()));
        state.events.emit_action(
            &caller.tenant,
            WebhookEventType::WixEcomV1OrderPaymentRequestVoided,
            record,
            Actor::App,
        );
    }
    Ok(reply(&types::VoidOrderPaymentRequestResponse(
        Default::default(),
    )))
}

/// `DELETE /ecom/v1/order-payment-requests/{orderPaymentRequestId}`.
pub async fn delete(
    State(state): State<Shared>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let id = path_id::<operations::DeleteOrderPaymentRequest>("orderPaymentRequestId", &raw_id)?;
    let tenant = state.store.lookup(&caller.tenant);
    let mut map = tenant.write();
    let record = map.get(&id).ok_or_else(not_found)?;
    lifecycle::check_delete(record.status)?;
    if let Some(mut record) = map.remove(&id) {
        state.store.release(1);
        announce(
            &state,
            &caller.tenant,
            WebhookEventType::WixEcomV1OrderPaymentRequestDeleted,
            &mut record,
        );
    }
    Ok(reply(&types::DeleteOrderPaymentRequestResponse(
        Default::default(),
    )))
}
