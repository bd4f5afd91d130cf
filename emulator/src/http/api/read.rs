//! Get and Get URL.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;
use wix_order_payment_requests::error_codes::{
    GetOrderPaymentRequestErrorCode, GetOrderPaymentRequestUrlErrorCode as GetUrlCode,
};
use wix_order_payment_requests::generated::operations;
use wix_order_payment_requests::types;

use super::checked::{self, Checked};
use super::{path_id, reply, JsonReply};
use crate::http::extract::Caller;
use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;

/// `GET /ecom/v1/order-payment-requests/{orderPaymentRequestId}`.
pub async fn get(
    State(state): State<Shared>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<JsonReply, ApiError> {
    state.sweep();
    let id = path_id::<operations::GetOrderPaymentRequest>("orderPaymentRequestId", &raw_id)?;
    let tenant = state.store.lookup(&caller.tenant);
    let map = tenant.read();
    let record = map.get(&id).ok_or_else(|| {
        ApiError::from_code(GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound)
    })?;
    JsonReply::entity::<operations::GetOrderPaymentRequest>(&map.rendered(record))
}

/// `POST /ecom/v1/order-payment-requests/url`.
pub async fn get_url(
    State(state): State<Shared>,
    caller: Caller,
    Checked { request, .. }: Checked<checked::GetUrl>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let id = request.order_payment_request_id;
    if !state.store.lookup(&caller.tenant).read().contains_key(&id) {
        return Err(ApiError::from_code(GetUrlCode::OrderPaymentRequestNotFound));
    }
    if state.switches.page_missing() {
        return Err(ApiError::from_code(
            GetUrlCode::OrderPaymentRequestPageNotFound,
        ));
    }
    Ok(reply(&types::GetOrderPaymentRequestUrlResponse {
        order_payment_request_url: super::create::page_url(&state, id)?,
    }))
}
