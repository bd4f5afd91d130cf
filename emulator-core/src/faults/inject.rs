//! The layer that injects the decided fault into an API request's answer.
//!
//! While no fault is armed a request passes straight to the inner service: nothing is boxed,
//! cloned, locked or matched. A layer made with [`InjectLayer::on_paths`] wraps a whole router
//! once and decides faults only for the requests on the given route templates, so the routes it
//! leaves alone are not counted, and no route pays for a layer of its own. An injected `429`/`503` answers without calling the inner service; a slow
//! answer is the inner one, delayed; a dropped connection is the inner answer thrown away.

use std::convert::Infallible;
use std::sync::Arc;
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

/// Wraps the API routes in [`Inject`]: `router.layer(InjectLayer::new(faults))`, or a whole
/// router with [`InjectLayer::on_paths`].
#[derive(Debug, Clone)]
pub struct InjectLayer {
    faults: Faults,
    paths: Option<Arc<Paths>>,
}

/// Route templates in axum's syntax (`/items/{id}`), matched as the router matches them.
struct Paths(matchit::Router<()>);

impl std::fmt::Debug for Paths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Paths")
    }
}

impl InjectLayer {
    /// A layer deciding the fault of every request from `faults`.
    pub fn new(faults: Faults) -> Self {
        Self {
            faults,
            paths: None,
        }
    }

    /// A layer deciding faults, from `faults`, only for requests whose path matches one of the
    /// route `templates` (axum's syntax, e.g. `/items/{id}`), whatever their method; other
    /// requests pass untouched and are not counted.
    pub fn on_paths<T: AsRef<str>>(faults: Faults, templates: impl IntoIterator<Item = T>) -> Self {
        let mut paths = matchit::Router::new();
        for template in templates {
            // A template given twice is matched once.
            let _ = paths.insert(template.as_ref(), ());
        }
        Self {
            faults,
            paths: Some(Arc::new(Paths(paths))),
        }
    }
}

impl<S> Layer<S> for InjectLayer {
    type Service = Inject<S>;

    fn layer(&self, inner: S) -> Inject<S> {
        Inject {
            inner,
            faults: self.faults.clone(),
            paths: self.paths.clone(),
        }
    }
}

/// A service that answers normally or injects the fault decided for the request.
#[derive(Debug, Clone)]
pub struct Inject<S> {
    inner: S,
    faults: Faults,
    paths: Option<Arc<Paths>>,
}

impl<S> Inject<S> {
    /// Whether a fault is decided for `req`: one is armed, and the request is on the paths.
    fn decides(&self, req: &Request) -> bool {
        self.faults.armed()
            && self
                .paths
                .as_ref()
                .is_none_or(|paths| paths.0.at(req.uri().path()).is_ok())
    }
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
        let decided = if self.decides(&req) {
            self.faults.next_fault()
        } else {
            None
        };
        let Some((kind, delay)) = decided else {
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
