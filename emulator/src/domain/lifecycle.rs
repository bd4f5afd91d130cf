//! The documented lifecycle rules, as pure functions of a payment request's status.
//!
//! Only `UNPAID` can be updated, voided or charged; voiding a `VOIDED` request succeeds and
//! changes nothing; a `PAID` request cannot be deleted.

use wix_order_payment_requests::error_codes::{
    ChargeOrderPaymentRequestErrorCode as Charge, DeleteOrderPaymentRequestErrorCode as Delete,
    UpdateOrderPaymentRequestErrorCode as Update, VoidOrderPaymentRequestErrorCode as Void,
};

use crate::domain::record::Lifecycle;
use wix_emulator_core::api_error::ApiError;

/// What a void does to a request in this status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoidOutcome {
    /// It becomes `VOIDED`.
    Void,
    /// It is already `VOIDED`: success, nothing changes.
    AlreadyVoided,
}

/// Whether a request in `status` may be updated.
pub fn check_update(status: Lifecycle) -> Result<(), ApiError> {
    let code = match status {
        Lifecycle::Unpaid => return Ok(()),
        Lifecycle::Paid => Update::CannotUpdatePaidOrderPaymentRequest,
        Lifecycle::Expired => Update::CannotUpdateExpiredOrderPaymentRequest,
        Lifecycle::Voided => Update::CannotUpdateVoidedOrderPaymentRequest,
    };
    Err(ApiError::from_code(code))
}

/// What voiding a request in `status` does.
pub fn check_void(status: Lifecycle) -> Result<VoidOutcome, ApiError> {
    let code = match status {
        Lifecycle::Unpaid => return Ok(VoidOutcome::Void),
        Lifecycle::Voided => return Ok(VoidOutcome::AlreadyVoided),
        Lifecycle::Paid => Void::CannotVoidPaidOrderPaymentRequest,
        Lifecycle::Expired => Void::CannotVoidExpiredOrderPaymentRequest,
    };
    Err(ApiError::from_code(code))
}

/// Whether a request in `status` may be deleted.
pub fn check_delete(status: Lifecycle) -> Result<(), ApiError> {
    match status {
        Lifecycle::Paid => Err(ApiError::from_code(
            Delete::CannotDeletePaidOrderPaymentRequest,
        )),
        _ => Ok(()),
    }
}

/// Whether a request in `status` may be charged (a charge in progress is checked apart).
pub fn check_charge(status: Lifecycle, charging: bool) -> Result<(), ApiError> {
    let code = match status {
        Lifecycle::Unpaid if charging => Charge::PaymentInProgress,
        Lifecycle::Unpaid => return Ok(()),
        Lifecycle::Paid => Charge::CannotChargePaidOrderPaymentRequest,
        Lifecycle::Expired => Charge::CannotChargeExpiredOrderPaymentRequest,
        Lifecycle::Voided => Charge::CannotChargeVoidedOrderPaymentRequest,
    };
    Err(ApiError::from_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: ApiError) -> String {
        e.body()["details"]["applicationError"]["code"]
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn only_unpaid_moves_forward() {
        use Lifecycle::*;
        assert!(check_update(Unpaid).is_ok());
        assert_eq!(
            code(check_update(Paid).unwrap_err()),
            "CANNOT_UPDATE_PAID_ORDER_PAYMENT_REQUEST"
        );
        assert_eq!(check_void(Unpaid).unwrap(), VoidOutcome::Void);
        assert_eq!(check_void(Voided).unwrap(), VoidOutcome::AlreadyVoided);
        assert_eq!(
            code(check_void(Expired).unwrap_err()),
            "CANNOT_VOID_EXPIRED_ORDER_PAYMENT_REQUEST"
        );
        assert!(check_delete(Expired).is_ok() && check_delete(Voided).is_ok());
        assert_eq!(
            code(check_delete(Paid).unwrap_err()),
            "CANNOT_DELETE_PAID_ORDER_PAYMENT_REQUEST"
        );
        assert_eq!(
            code(check_charge(Unpaid, true).unwrap_err()),
            "PAYMENT_IN_PROGRESS"
        );
    }
}
