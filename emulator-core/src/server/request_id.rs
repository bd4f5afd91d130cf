//! The layer that gives every answer an `X-Wix-Request-Id`.

use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use futures::future::MapOk;
use futures::TryFutureExt as _;
use tower_layer::Layer;
use tower_service::Service;
use wix_runtime::headers::REQUEST_ID_HEADER;

/// The header every answer carries (the name the client reads it by).
const REQUEST_ID: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

/// Wraps a service in [`WithRequestId`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = WithRequestId<S>;

    fn layer(&self, inner: S) -> WithRequestId<S> {
        WithRequestId { inner }
    }
}

/// A service whose answers each carry a fresh `X-Wix-Request-Id`.
#[derive(Debug, Clone)]
pub struct WithRequestId<S> {
    inner: S,
}

impl<S> Service<Request> for WithRequestId<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = MapOk<S::Future, fn(Response) -> Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        self.inner
            .call(req)
            .map_ok(add_request_id as fn(Response) -> Response)
    }
}

/// `res` with a fresh request id.
fn add_request_id(mut res: Response) -> Response {
    let mut text = [0; uuid::fmt::Simple::LENGTH];
    if let Ok(value) = HeaderValue::from_str(super::write_request_id(&mut text)) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    res
}
