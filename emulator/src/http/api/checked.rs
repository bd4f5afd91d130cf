//! The typed extractor every handler with a JSON body receives its request through:
//! [`Checked<O>`] reads the body (malformed JSON is a Wix-shaped 400), checks it against the
//! operation's schema in the spec (every violation at once, a 400), strips what only Wix sets,
//! and decodes it into the operation's generated request type.

use axum::extract::{FromRequest, Request};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::Value;
use wix_order_payment_requests::generated::operations;
use wix_order_payment_requests::wix_runtime::operation::ApiOperation;

use crate::http::extract::WixJson;
use wix_emulator_core::api_error::{ApiError, Violation};
use wix_emulator_core::spec::check as spec_check;

/// An operation with a JSON body, as the extractor needs to know it, on top of the generated
/// marker of the operation (its id and body type).
pub(crate) trait Operation: ApiOperation {
    /// The spec's `operationId`, from the generated rule.
    const ID: &'static str = Self::RULE.operation_id;
    /// The member a decode failure is reported on.
    const FIELD: &'static str;
    /// Whether members only Wix sets are dropped from the body before decoding.
    const STRIPS_READ_ONLY: bool = false;
    /// What the body is decoded into: the generated body type, or `IgnoredAny` when the handler
    /// reads the raw body itself.
    type Request: DeserializeOwned;
}

/// A body checked against `O`'s schema and decoded into its request type.
#[derive(Debug)]
pub(crate) struct Checked<O: Operation> {
    /// The decoded request.
    pub request: O::Request,
    /// The checked body as sent (read-only members stripped when `O` strips them), for what
    /// the type does not keep: which members were sent, and the query's raw filter.
    pub raw: Value,
}

impl<O: Operation> Checked<O> {
    /// Checks and decodes `body` (handlers that first complete the body from the path, such
    /// as Update with its path id, call this themselves).
    pub fn from_body(mut body: Value) -> Result<Self, ApiError> {
        let violations = spec_check::validate_request(O::ID, &body);
        if !violations.is_empty() {
            return Err(ApiError::Validation(violations));
        }
        if O::STRIPS_READ_ONLY {
            spec_check::strip_read_only(O::ID, &mut body);
        }
        let request = O::Request::deserialize(&body).map_err(|e| {
            ApiError::Validation(vec![Violation::new(O::FIELD, "FORMAT", e.to_string())])
        })?;
        Ok(Self { request, raw: body })
    }
}

impl<S: Send + Sync, O: Operation> FromRequest<S> for Checked<O> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let WixJson(body) = WixJson::from_request(req, state).await?;
        Self::from_body(body)
    }
}

/// Names a generated operation marker as the handlers know it, with what the extractor needs.
macro_rules! operation {
    ($(#[$doc:meta])* $name:ident = $marker:ident, $field:literal $(, strips: $strips:literal)?) => {
        $(#[$doc])*
        pub(crate) type $name = operations::$marker;
        impl Operation for operations::$marker {
            const FIELD: &'static str = $field;
            $(const STRIPS_READ_ONLY: bool = $strips;)?
            type Request = <Self as ApiOperation>::Body;
        }
    };
}

operation!(
    /// Void Order Payment Request.
    Void = VoidOrderPaymentRequest,
    "orderPaymentRequestId"
);
operation!(
    /// Charge Order Payment Request.
    Charge = ChargeOrderPaymentRequest,
    "orderPaymentRequestId"
);
operation!(
    /// Get Order Payment Request URL.
    GetUrl = GetOrderPaymentRequestUrl,
    "orderPaymentRequestId"
);
operation!(
    /// Update Extended Fields.
    UpdateExtendedFields = UpdateExtendedFields,
    "namespaceData"
);
operation!(
    /// Create Order Payment Request.
    Create = CreateOrderPaymentRequest,
    "orderPaymentRequest",
    strips: true
);
operation!(
    /// Bulk Create Order Payment Requests.
    BulkCreate = BulkCreateOrderPaymentRequests,
    "orderPaymentRequests",
    strips: true
);
operation!(
    /// Update Order Payment Request.
    Update = UpdateOrderPaymentRequest,
    "orderPaymentRequest",
    strips: true
);

/// Query Order Payment Requests: checked against the schema; the query engine reads the raw
/// `query` itself.
pub(crate) type Query = operations::QueryOrderPaymentRequests;
impl Operation for operations::QueryOrderPaymentRequests {
    const FIELD: &'static str = "query";
    type Request = IgnoredAny;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_checked_stripped_and_decoded() {
        crate::testing::install_model();
        let body = serde_json::json!({"orderPaymentRequest": {
            "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
            "title": "Balance",
            "amount": {"amount": "15.50", "formattedAmount": "$15.50"},
            "image": {"id": "wix:image://v1/balance.png", "width": 640},
        }});
        let checked = Checked::<Create>::from_body(body).unwrap();
        assert_eq!(
            checked.request.order_payment_request.title.as_str(),
            "Balance"
        );
        // The image's `width` is Wix's to set.
        assert!(checked.raw["orderPaymentRequest"]["image"]
            .get("width")
            .is_none());
        let missing_title = serde_json::json!({"orderPaymentRequest": {
            "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
            "amount": {"amount": "15.50"},
        }});
        let Err(ApiError::Validation(violations)) = Checked::<Create>::from_body(missing_title)
        else {
            panic!("a body without its title is refused");
        };
        assert_eq!(violations[0].field, "orderPaymentRequest.title");
    }
}
