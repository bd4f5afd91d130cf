//! The layer that gives every error answer Wix's shape.
//!
//! The API's own errors are already `{"message", "details"}` JSON ([`ApiError`]), and the payment
//! page answers HTML. Every other `4xx`/`5xx` (an unknown route's empty `404`, a wrong method's
//! `405`, an extractor's plain-text refusal) gets `{"message", "details": {}}`: its text as the
//! message (or one naming the route when it has none), and for `5xx` the empty message Wix
//! sends. Other headers, such as `Allow` on a `405`, are kept.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use futures::future::BoxFuture;
use tower_layer::Layer;
use tower_service::Service;

use crate::api_error::ApiError;

/// Longest original error text kept as the message.
const MAX_MESSAGE_BYTES: usize = 4096;

/// Wraps a service in [`WixShapedErrors`].
#[derive(Debug, Clone, Copy, Default)]
pub struct WixShapedErrorsLayer;

impl<S> Layer<S> for WixShapedErrorsLayer {
    type Service = WixShapedErrors<S>;

    fn layer(&self, inner: S) -> WixShapedErrors<S> {
        WixShapedErrors { inner }
    }
}

/// A service whose error answers all have Wix's shape.
#[derive(Debug, Clone)]
pub struct WixShapedErrors<S> {
    inner: S,
}

impl<S> Service<Request> for WixShapedErrors<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Shaping<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // The method and target name the route in a message written only for an error answer
        // without text; cloning them shares their bytes rather than copying them.
        let route = (req.method().clone(), req.uri().clone());
        Shaping::Answering {
            answer: self.inner.call(req),
            route,
        }
    }
}

pin_project_lite::pin_project! {
    /// The answer of a [`WixShapedErrors`] service: the inner answer, then, for an error answer
    /// without Wix's shape, the reading of its text into that shape.
    #[project = ShapingState]
    pub enum Shaping<F> {
        /// Waiting for the inner service's answer.
        Answering { #[pin] answer: F, route: (Method, Uri) },
        /// Rewriting an error answer's body.
        Reshaping { reshaped: BoxFuture<'static, Response> },
    }
}

impl<F, E> Future for Shaping<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project() {
                ShapingState::Answering { answer, route } => {
                    let res = ready!(answer.poll(cx))?;
                    let status = res.status();
                    if !(status.is_client_error() || status.is_server_error())
                        || already_shaped(&res)
                    {
                        return Poll::Ready(Ok(res));
                    }
                    let (method, uri) = std::mem::take(route);
                    let reshaped = Box::pin(reshape(res, method, uri));
                    self.set(Shaping::Reshaping { reshaped });
                }
                ShapingState::Reshaping { reshaped } => {
                    return reshaped.as_mut().poll(cx).map(Ok);
                }
            }
        }
    }
}

/// An error answer in Wix's shape: its text (or, without text, a message naming the route) as
/// the message, the empty message for `5xx`; other headers kept.
async fn reshape(res: Response, method: Method, uri: Uri) -> Response {
    let status = res.status();
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
