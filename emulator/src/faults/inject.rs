//! The layer that injects the decided fault into an API request's answer.
//!
//! While no fault is armed a request passes straight to the inner service: nothing is boxed,
//! cloned or locked. An injected `429`/`503` answers without calling the inner service; a slow
//! answer is the inner one, delayed; a dropped connection is the inner answer thrown away.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::future::{BoxFuture, Either};
use futures::FutureExt as _;
use serde_json::json;
use tower_layer::Layer;
use tower_service::Service;

use super::{FaultKind, Faults, FAULT_HEADER};

/// Wraps the API routes in [`Inject`]: `router.layer(InjectLayer::new(faults))`.
#[derive(Debug, Clone)]
pub struct InjectLayer {
    faults: Faults,
}

impl InjectLayer {
    /// A layer deciding each request's fault from `faults`.
    pub fn new(faults: Faults) -> Self {
        Self { faults }
    }
}

impl<S> Layer<S> for InjectLayer {
    type Service = Inject<S>;

    fn layer(&self, inner: S) -> Inject<S> {
        Inject {
            inner,
            faults: self.faults.clone(),
        }
    }
}

/// A service that answers normally or injects the fault decided for the request.
#[derive(Debug, Clone)]
pub struct Inject<S> {
    inner: S,
    faults: Faults,
}

impl<S> Service<Request> for Inject<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, BoxFuture<'static, Result<Response, Infallible>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let Some((kind, delay)) = self.faults.next_fault() else {
            return Either::Left(self.inner.call(req));
        };
        let injected = match kind {
            FaultKind::TooManyRequests => futures::future::ready(Ok(too_many_requests())).boxed(),
            FaultKind::Unavailable => futures::future::ready(Ok(unavailable())).boxed(),
            FaultKind::Slow => {
                let answer = self.inner.call(req);
                async move {
                    let res = answer.await?;
                    tokio::time::sleep(delay).await;
                    Ok(mark(res, FaultKind::Slow))
                }
                .boxed()
            }
            FaultKind::DropConnection => {
                // The request is processed; only its answer is lost.
                let answer = self.inner.call(req);
                async move {
                    drop(answer.await?);
                    Ok(dropped_connection())
                }
                .boxed()
            }
        };
        Either::Right(injected)
    }
}

/// `429` as Wix sends it for "too many requests": a message, no details, no `Retry-After`.
fn too_many_requests() -> Response {
    let body = json!({"message": "Too many requests", "details": {}});
    mark(
        (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response(),
        FaultKind::TooManyRequests,
    )
}

/// `503` with Wix's empty 5xx body.
fn unavailable() -> Response {
    let body = json!({"message": "", "details": {}});
    mark(
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response(),
        FaultKind::Unavailable,
    )
}

/// A response whose body fails at once: the server closes the connection before the head is
/// flushed, so the client gets a transport error and no status.
fn dropped_connection() -> Response {
    let error = std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "injected fault: connection dropped",
    );
    let stream = futures::stream::iter([Err::<Bytes, _>(error)]);
    Response::new(Body::from_stream(stream))
}

fn mark(mut res: Response, kind: FaultKind) -> Response {
    res.headers_mut()
        .insert(FAULT_HEADER, HeaderValue::from_static(kind.name()));
    res
}
