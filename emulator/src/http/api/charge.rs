//! Charge: accepted at once, settled shortly after on a background task.
//!
//! Tokens that simulate outcomes (any other token, or none, is a card that will be paid):
//!
//! | `paymentToken` | answer |
//! |---|---|
//! | `tok_in_progress` | 428 `PAYMENT_IN_PROGRESS` |
//! | `tok_invalid_status` | 428 `INVALID_PAYMENT_STATUS` with `data` `{paymentResponseToken, paymentStatus: "CANCELED", failureDetails}` |
//! | `tok_decline` | 200 with a `paymentResponseToken`, then the attempt is declined: the request stays `UNPAID` and can be charged again |
//! | `tok_method_unavailable` | 428 `PAYMENT_METHOD_UNAVAILABLE` |
//! | `tok_attempt_expired`, or a token already used on this request | 428 `PAYMENT_ATTEMPT_EXPIRED` |
//!
//! While an accepted attempt is settling, another charge answers `PAYMENT_IN_PROGRESS`; once
//! `PAID`, `CANNOT_CHARGE_PAID_ORDER_PAYMENT_REQUEST`.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_order_payment_requests::error_codes::ChargeOrderPaymentRequestErrorCode as ChargeCode;
use wix_order_payment_requests::types;

use super::checked::{self, Checked};
use super::reply;
use crate::domain::lifecycle;
use crate::domain::record::{to_ms, Lifecycle};
use crate::http::extract::Caller;
use crate::state::{AppState, Shared};
use wix_emulator_core::api_error::ApiError;

/// Token that answers `PAYMENT_IN_PROGRESS`.
pub const TOKEN_IN_PROGRESS: &str = "tok_in_progress";
/// Token that answers `INVALID_PAYMENT_STATUS`.
pub const TOKEN_INVALID_STATUS: &str = "tok_invalid_status";
/// Token whose attempt is accepted and then declined.
pub const TOKEN_DECLINE: &str = "tok_decline";
/// Token that answers `PAYMENT_METHOD_UNAVAILABLE`.
pub const TOKEN_METHOD_UNAVAILABLE: &str = "tok_method_unavailable";
/// Token that answers `PAYMENT_ATTEMPT_EXPIRED`.
pub const TOKEN_ATTEMPT_EXPIRED: &str = "tok_attempt_expired";

/// `POST /ecom/v1/order-payment-requests/charge`.
pub async fn charge(
    State(state): State<Shared>,
    caller: Caller,
    Checked { request, .. }: Checked<checked::Charge>,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let id = request.order_payment_request_id;
    let token = request.payment_token.as_ref().map(|t| t.as_str());
    let response_token = format!("emu-prt-{}", Uuid::new_v4());
    {
        let tenant = state.store.lookup(&caller.tenant);
        let mut map = tenant.write();
        let record = map
            .get_mut(&id)
            .ok_or_else(|| ApiError::from_code(ChargeCode::OrderPaymentRequestNotFound))?;
        lifecycle::check_charge(record.status, record.charging)?;
        if let Some(token) = token {
            let used = record
                .extras
                .as_deref()
                .is_some_and(|e| e.used_tokens.iter().any(|t| &**t == token));
            if used {
                return Err(ApiError::from_code(ChargeCode::PaymentAttemptExpired));
            }
            record.edit_extras(|e| e.used_tokens.push(token.into()));
        }
        match token {
            Some(TOKEN_IN_PROGRESS) => {
                return Err(ApiError::from_code(ChargeCode::PaymentInProgress))
            }
            Some(TOKEN_METHOD_UNAVAILABLE) => {
                return Err(ApiError::from_code(ChargeCode::PaymentMethodUnavailable))
            }
            Some(TOKEN_ATTEMPT_EXPIRED) => {
                return Err(ApiError::from_code(ChargeCode::PaymentAttemptExpired))
            }
            Some(TOKEN_INVALID_STATUS) => {
                return Err(
                    ApiError::from_code(ChargeCode::InvalidPaymentStatus).with_data(json!({
                        "paymentResponseToken": response_token,
                        "paymentStatus": "CANCELED",
                        "failureDetails": "The payment was canceled by the payment provider.",
                    })),
                )
            }
            _ => {}
        }
        record.charging = true;
    }
    let declined = token == Some(TOKEN_DECLINE);
    let settle = state.clone();
    let site = caller.tenant.clone();
    tokio::spawn(async move {
        tokio::time::sleep(settle.charge_settle).await;
        settle_charge(&settle, &site, id, declined);
    });
    Ok(reply(&types::ChargeOrderPaymentRequestResponse {
        payment_response_token: response_token.try_into().ok(),
    }))
}

/// Ends a charge attempt: `PAID` unless it was declined or the request changed meanwhile.
fn settle_charge(state: &AppState, site: &str, id: Uuid, declined: bool) {
    state.sweep();
    let Some(tenant) = state.store.existing_tenant(site) else {
        return;
    };
    let mut map = tenant.write();
    let Some(record) = map.get_mut(&id) else {
        return;
    };
    if !record.charging {
        return;
    }
    record.charging = false;
    if declined || record.status != Lifecycle::Unpaid {
        return;
    }
    crate::domain::payment::mark_paid(
        state,
        site,
        record,
        to_ms(state.clock.now()),
        crate::domain::events::Actor::App,
    );
}
