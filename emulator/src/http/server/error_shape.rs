//! Middleware that gives every error answer Wix's shape.
//!
//! The API's own errors are already `{"message", "details"}` JSON ([`ApiError`]), and the payment
//! page answers HTML. Every other `4xx`/`5xx` (an unknown route's empty `404`, a wrong method's
//! `405`, an extractor's plain-text refusal) gets `{"message", "details": {}}`: its text as the
//! message (or one naming the route when it has none), and for `5xx` the empty message Wix
//! sends. Other headers, such as `Allow` on a `405`, are kept.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::api_error::ApiError;

/// Longest original error text kept as the message.
const MAX_MESSAGE_BYTES: usize = 4096;

/// Use as `axum::middleware::from_fn(wix_shaped_errors)`.
pub async fn wix_shaped_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || already_shaped(&res) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_default();
    let message = if status.is_server_error() {
        String::new()
    } else if text.is_empty() {
        default_message(status, &method, &uri)
    } else {
        text
    };
    let json = ApiError::status(status, message).body().to_string();
    parts.headers.remove(CONTENT_LENGTH);
    parts
        .headers
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(json))
}

/// Whether the answer is the API's JSON or the payment page's HTML.
fn already_shaped(res: &Response) -> bool {
    res.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}

fn default_message(status: StatusCode, method: &Method, uri: &Uri) -> String {
    let path = uri.path();
    match status {
        StatusCode::NOT_FOUND => format!("No such route: {method} {path}."),
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("{path} does not accept {method}; the Allow header lists what it accepts.")
        }
        other => format!(
            "{} ({method} {path}).",
            other.canonical_reason().unwrap_or("Error")
        ),
    }
}
