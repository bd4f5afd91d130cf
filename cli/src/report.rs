//! Error reports on stderr: the operation, the HTTP status, Wix's code, description and field
//! violations, and the `X-Wix-Request-Id` to quote to Wix support.

use std::fmt::{self, Write as _};

use serde::Serialize;
use wix_order_payment_requests::error::REQUEST_ID_HEADER;
use wix_order_payment_requests::{generated::client as raw, types};

/// One failed call, ready to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorReport {
    /// The command or operation that failed, e.g. `void-order-payment-request`.
    pub operation: String,
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Wix's message, or what went wrong when there was no answer.
    pub message: Option<String>,
    /// The application error code.
    pub code: Option<String>,
    /// The application error's description.
    pub description: Option<String>,
    /// Field violations: `(field, rule, description)`.
    pub violations: Vec<(String, String, String)>,
    /// `X-Wix-Request-Id` of the answer.
    pub request_id: Option<String>,
}

impl ErrorReport {
    /// The report of an error of a generated command (progenitor's error with Wix's body).
    pub fn from_raw<T: Serialize + fmt::Debug>(operation: &str, error: &raw::Error<T>) -> Self {
        let mut report = Self {
            operation: operation.to_string(),
            status: error.status().map(|s| s.as_u16()),
            ..Self::default()
        };
        match error {
            raw::Error::ErrorResponse(answer) => {
                report.request_id = request_id(answer.headers());
                match serde_json::to_value(&**answer)
                    .ok()
                    .and_then(|v| serde_json::from_value::<types::WixError>(v).ok())
                {
                    Some(body) => report.add_wix_error(&body),
                    None => report.message = Some("the error answer has no Wix error body".into()),
                }
            }
            raw::Error::UnexpectedResponse(answer) => {
                report.request_id = request_id(answer.headers());
                report.message = Some("an answer the API does not document".into());
            }
            other => report.message = Some(other.to_string()),
        }
        report
    }

    /// The report of an error of the high-level client.
    pub fn from_client<C: wix_order_payment_requests::ApplicationErrorCode>(
        operation: &str,
        error: &wix_order_payment_requests::Error<C>,
    ) -> Self {
        let mut report = Self {
            operation: operation.to_string(),
            status: error.status().map(|s| s.as_u16()),
            request_id: error.request_id().map(str::to_string),
            ..Self::default()
        };
        match error.api() {
            Some(api) => {
                report.message = Some(api.message.clone()).filter(|m| !m.is_empty());
                report.code = api.code.as_ref().map(ToString::to_string);
                report.description = api
                    .application_error
                    .as_ref()
                    .and_then(|a| a.description.clone())
                    .filter(|d| !d.is_empty());
                if api.code.is_none() && api.raw_body.is_some() {
                    report.message = api.raw_body.clone();
                }
            }
            None => report.message = Some(error.to_string()),
        }
        report.violations = error.field_violations().iter().map(violation).collect();
        report
    }

    fn add_wix_error(&mut self, body: &types::WixError) {
        self.message = body.message.clone().filter(|m| !m.is_empty());
        let details = body.details.as_ref();
        if let Some(application) = details.and_then(|d| d.application_error.as_ref()) {
            self.code = application.code.as_ref().map(ToString::to_string);
            self.description = application.description.clone().filter(|d| !d.is_empty());
        }
        if let Some(validation) = details.and_then(|d| d.validation_error.as_ref()) {
            self.violations = validation.field_violations.iter().map(violation).collect();
        }
    }

    /// The report as lines for stderr.
    pub fn render(&self) -> String {
        let mut out = format!("error: {} failed", self.operation);
        if let Some(status) = self.status {
            let reason = reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            let _ = write!(out, ": HTTP {status} {reason}");
        }
        out = out.trim_end().to_string();
        out.push('\n');
        push_line(&mut out, "message", &self.message);
        push_line(&mut out, "code", &self.code);
        push_line(&mut out, "description", &self.description);
        if !self.violations.is_empty() {
            out.push_str("  field violations:\n");
            for (field, rule, description) in &self.violations {
                let _ = writeln!(out, "    {field}: {rule}: {description}");
            }
        }
        push_line(&mut out, "request id", &self.request_id);
        out
    }
}

fn push_line(out: &mut String, label: &str, value: &Option<String>) {
    if let Some(value) = value {
        let _ = writeln!(out, "  {label}: {value}");
    }
}

fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn violation(v: &types::FieldViolation) -> (String, String, String) {
    let text = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".to_string());
    let rule = v
        .violated_rule
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| v.rule_name.clone())
        .unwrap_or_else(|| "-".to_string());
    (text(&v.field), rule, text(&v.description))
}
