//! The error answers the emulator sends, in Wix's shapes.
//!
//! Validation errors are `400 {"message", "details": {"validationError": {"fieldViolations": [..]}}}`,
//! application errors `{"message", "details": {"applicationError": {"code", "description", "data"}}}`
//! with the status the spec lists for the code, other errors a status and a message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use wix_runtime::error::ApplicationErrorCode;

/// One bad field, as Wix reports it in `details.validationError.fieldViolations`.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Wix's path of the field, e.g. `orderPaymentRequest.title` or `orderPaymentRequests[0].orderId`.
    pub field: String,
    /// What is wrong, for humans.
    pub description: String,
    /// The rule that failed, e.g. `REQUIRED_FIELD`, `MAX_LENGTH`, `FORMAT`.
    pub rule: String,
    /// Extra data of the rule (for example `{"threshold": 200}`), if any.
    pub data: Option<Value>,
}

impl Violation {
    /// A violation without rule data.
    pub fn new(
        field: impl Into<String>,
        rule: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            description: description.into(),
            rule: rule.into(),
            data: None,
        }
    }

    /// Adds rule data.
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// The JSON of the violation.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "field": self.field,
            "description": self.description,
            "violatedRule": self.rule,
            "ruleName": self.rule,
        });
        if let Some(data) = &self.data {
            v["data"] = data.clone();
        }
        v
    }
}

/// An error answer of the emulator.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// `400` with every bad field.
    Validation(Vec<Violation>),
    /// An application error: `code` with its HTTP status (428 or 404 for this API).
    Application {
        /// HTTP status.
        status: StatusCode,
        /// Application error code, e.g. `CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST`.
        code: String,
        /// Human description.
        description: String,
        /// Extra data (for example `INVALID_PAYMENT_STATUS`'s payment status).
        data: Value,
    },
    /// Any other status with a message only (401, 403, 404 route, 429, 5xx).
    Status {
        /// HTTP status.
        status: StatusCode,
        /// Message (empty for 5xx, as Wix sends).
        message: String,
    },
}

impl ApiError {
    /// A `400` with one violation.
    pub fn invalid(
        field: impl Into<String>,
        rule: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::Validation(vec![Violation::new(field, rule, description)])
    }

    /// A `428 FAILED_PRECONDITION` application error.
    pub fn precondition(code: &str, description: &str) -> Self {
        Self::application(StatusCode::PRECONDITION_REQUIRED, code, description)
    }

    /// A `404` application error.
    pub fn not_found(code: &str, description: &str) -> Self {
        Self::application(StatusCode::NOT_FOUND, code, description)
    }

    /// An application error with an explicit status and no data.
    pub fn application(status: StatusCode, code: &str, description: &str) -> Self {
        Self::Application {
            status,
            code: code.to_string(),
            description: description.to_string(),
            data: json!({}),
        }
    }

    /// Replaces the data of an application error (no effect on other kinds).
    pub fn with_data(mut self, new_data: Value) -> Self {
        if let Self::Application { data, .. } = &mut self {
            *data = new_data;
        }
        self
    }

    /// A status with a message only.
    pub fn status(status: StatusCode, message: impl Into<String>) -> Self {
        Self::Status {
            status,
            message: message.into(),
        }
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Application { status, .. } | Self::Status { status, .. } => *status,
        }
    }

    /// The body's `message`: every violation, the application error's description, or the
    /// status message.
    pub fn message(&self) -> String {
        match self {
            Self::Validation(list) => list
                .iter()
                .map(|v| format!("{}: {}", v.field, v.description))
                .collect::<Vec<_>>()
                .join("; "),
            Self::Application { description, .. } => description.clone(),
            Self::Status { message, .. } => message.clone(),
        }
    }

    /// The JSON body of the answer.
    pub fn body(&self) -> Value {
        let details = match self {
            Self::Validation(list) => json!({"validationError": {
                "fieldViolations": list.iter().map(Violation::to_json).collect::<Vec<_>>(),
            }}),
            Self::Application {
                code,
                description,
                data,
                ..
            } => {
                json!({"applicationError": {"code": code, "description": description, "data": data}})
            }
            Self::Status { .. } => json!({}),
        };
        json!({"message": self.message(), "details": details})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.http_status(), Json(self.body())).into_response()
    }
}

impl ApiError {
    /// The application error `code`, typed by its operation's generated enum, with the HTTP
    /// status and description the spec's `x-wix-application-errors` gives it: a code the
    /// operation does not document does not compile. (An `Unknown` code, which the emulator never
    /// builds, would answer 500.)
    pub fn from_code<C: ApplicationErrorCode>(code: C) -> Self {
        let status = code
            .http_status()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let description = code
            .description()
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| code.to_string());
        Self::Application {
            status,
            code: code.to_string(),
            description,
            data: json!({}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_order_payment_requests::error_codes::{
        GetOrderPaymentRequestErrorCode, VoidOrderPaymentRequestErrorCode,
    };

    #[test]
    fn application_errors_take_status_and_text_from_the_spec() {
        let e = ApiError::from_code(GetOrderPaymentRequestErrorCode::OrderPaymentRequestNotFound);
        assert_eq!(e.http_status(), StatusCode::NOT_FOUND);
        let e = ApiError::from_code(
            VoidOrderPaymentRequestErrorCode::CannotVoidPaidOrderPaymentRequest,
        );
        assert_eq!(e.http_status(), StatusCode::PRECONDITION_REQUIRED);
        let body = e.body();
        assert_eq!(
            body["details"]["applicationError"]["code"],
            "CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST"
        );
        assert!(body["message"].as_str().unwrap().contains("PAID"));
    }

    #[test]
    fn validation_lists_every_violation() {
        let e = ApiError::Validation(vec![
            Violation::new("a", "REQUIRED_FIELD", "missing"),
            Violation::new("b", "MAX_LENGTH", "too long").with_data(json!({"threshold": 2})),
        ]);
        let body = e.body();
        let list = body["details"]["validationError"]["fieldViolations"]
            .as_array()
            .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1]["data"]["threshold"], 2);
        assert_eq!(e.http_status(), StatusCode::BAD_REQUEST);
    }
}
