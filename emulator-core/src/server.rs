//! Serving the router over HTTP/1.1, with the emulator's time and size bounds and Wix's error
//! shape on every answer:
//!
//! - [`serve`] accepts connections and serves each with hyper, closing one whose request head
//!   does not arrive within [`Limits::header_read_timeout`];
//! - [`request_body`] reads each body within [`Limits::body_read_timeout`] and
//!   [`Limits::max_body_bytes`] (`408` and `413` otherwise);
//! - [`error_shape`] gives error answers without a JSON (or HTML) body Wix's
//!   `{"message", "details": {}}`: unknown routes, wrong methods, extractors' refusals;
//! - [`automatic_answers`] does the same for the answers hyper writes by itself to requests it
//!   cannot parse (`400`, `414`, `431`), which never reach the router.

pub mod automatic_answers;
pub mod error_shape;
pub mod request_body;
pub mod request_id;

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower_layer::Layer;
use tower_service::Service;

use crate::limits::Limits;
use automatic_answers::ShapedAutomaticAnswers;
use error_shape::WixShapedErrorsLayer;
use request_body::BodyLimitsLayer;
use request_id::RequestIdLayer;

/// Pause after a failed `accept` (for example, out of file descriptors) before the next one.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// A fresh `X-Wix-Request-Id` value.
pub fn new_request_id() -> String {
    write_request_id(&mut [0; uuid::fmt::Simple::LENGTH]).to_string()
}

/// A fresh `X-Wix-Request-Id` value (32 lower-case hexadecimal digits), written into `buf`.
///
/// A random (version 4) GUID from the thread's fast generator: an id only tells answers apart,
/// so it needs no cryptographic randomness, and drawing it costs no system call.
pub fn write_request_id(buf: &mut [u8; uuid::fmt::Simple::LENGTH]) -> &str {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
        .into_uuid()
        .simple()
        .encode_lower(buf)
}

/// `routes` behind the emulator's layers, outermost first: the request id on every answer, Wix's
/// shape on every error answer, the body read within `limits` (so the extractors need no limit
/// of their own).
pub fn layered<S>(
    routes: S,
    limits: Limits,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
       + Clone
       + Send
       + Sync
       + 'static
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
{
    let routes = DefaultBodyLimit::disable().layer(routes);
    let routes = BodyLimitsLayer::new(limits).layer(routes);
    RequestIdLayer.layer(WixShapedErrorsLayer.layer(routes))
}

/// Serves `app` on `listener` until `shutdown` resolves; then open connections finish their
/// current request and close.
pub async fn serve<A>(
    listener: TcpListener,
    app: A,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) where
    A: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    A::Future: Send + 'static,
{
    // Dropping the sender (on shutdown, or when this task is aborted) tells every connection.
    let (stop_connections, stopping) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(connection(stream, app.clone(), limits.header_read_timeout, stopping.clone()));
                }
                Err(error) => {
                    tracing::debug!(%error, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    drop(stop_connections);
}

/// Serves one connection until the client closes it, it times out, or the server stops.
async fn connection<A>(
    stream: TcpStream,
    app: A,
    header_read_timeout: Duration,
    mut stopping: watch::Receiver<()>,
) where
    A: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    A::Future: Send + 'static,
{
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(ShapedAutomaticAnswers::new(stream));
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut app = app.clone();
        async move {
            futures::future::poll_fn(|cx| app.poll_ready(cx)).await?;
            app.call(request.map(Body::new)).await
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
            return;
        }
        _ = stopping.changed() => conn.as_mut().graceful_shutdown(),
    }
    let _ = conn.await;
}
