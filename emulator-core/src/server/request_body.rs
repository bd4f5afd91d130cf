//! The layer that reads each request body within the emulator's bounds before any handler
//! sees it: at most [`Limits::max_body_bytes`], all of it within [`Limits::body_read_timeout`]
//! of the head. A body that is too large is answered `413`, one that does not arrive in time
//! `408`, one that breaks off `400`; each in Wix's shape, closing the connection.
//!
//! Past the limit, up to as many bytes again are read and dropped, so that a client still
//! sending gets the `413` rather than a reset connection.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::body::HttpBody as _;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::{BoxFuture, Either};
use futures::StreamExt;
use tower_layer::Layer;
use tower_service::Service;

use crate::api_error::ApiError;
use crate::limits::Limits;

/// Why a body was not read.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    TooLarge,
    Broken,
}

/// Wraps a service in [`ReadWithinLimits`].
#[derive(Debug, Clone, Copy)]
pub struct BodyLimitsLayer {
    limits: Limits,
}

impl BodyLimitsLayer {
    /// A layer reading bodies within `limits`.
    pub fn new(limits: Limits) -> Self {
        Self { limits }
    }
}

impl<S> Layer<S> for BodyLimitsLayer {
    type Service = ReadWithinLimits<S>;

    fn layer(&self, inner: S) -> ReadWithinLimits<S> {
        ReadWithinLimits {
            inner,
            limits: self.limits,
        }
    }
}

/// A service that hands on each request with its body read whole, or refuses it.
#[derive(Debug, Clone)]
pub struct ReadWithinLimits<S> {
    inner: S,
    limits: Limits,
}

impl<S> Service<Request> for ReadWithinLimits<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<S::Future, BoxFuture<'static, Result<Response, Infallible>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // A request without a body (a GET) goes straight on.
        if req.body().size_hint().exact() == Some(0) {
            return Either::Left(self.inner.call(req));
        }
        // The ready service answers this request; its clone waits for the next one.
        let ready = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, ready);
        Either::Right(Box::pin(read_then_call(inner, self.limits, req)))
    }
}

/// Reads the body of `req` within `limits`, then hands the request on to `inner` (which is
/// ready), or answers the refusal.
async fn read_then_call<S>(
    mut inner: S,
    limits: Limits,
    req: Request,
) -> Result<Response, Infallible>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (parts, body) = req.into_parts();
    let max = limits.max_body_bytes;
    if body.size_hint().lower() > max.saturating_mul(2) as u64 {
        return Ok(refuse(too_large(max)));
    }
    let answer = match tokio::time::timeout(limits.body_read_timeout, collect(body, max)).await {
        Ok(Ok(bytes)) => {
            return inner
                .call(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(Refusal::TooLarge)) => refuse(too_large(max)),
        Ok(Err(Refusal::Broken)) => refuse(ApiError::status(
            StatusCode::BAD_REQUEST,
            "The request body broke off before its end.",
        )),
        Err(_) => refuse(ApiError::status(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "The request body did not arrive within {} ms.",
                limits.body_read_timeout.as_millis()
            ),
        )),
    };
    Ok(answer)
}

fn too_large(max: usize) -> ApiError {
    ApiError::status(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("The request body is larger than {max} bytes."),
    )
}

/// An error answer that also closes the connection (its body may be partly unread).
fn refuse(error: ApiError) -> Response {
    let mut res = error.into_response();
    res.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    res
}

/// The whole body if it takes at most `max` bytes; past that, reads on to `2 × max` (dropping
/// the bytes) before refusing.
async fn collect(body: Body, max: usize) -> Result<Bytes, Refusal> {
    let expected = usize::try_from(body.size_hint().lower()).unwrap_or(usize::MAX);
    let mut data = Vec::with_capacity(expected.min(max));
    let mut seen: usize = 0;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Refusal::Broken)?;
        seen = seen.saturating_add(chunk.len());
        if seen <= max {
            data.extend_from_slice(&chunk);
        } else if seen > max.saturating_mul(2) {
            return Err(Refusal::TooLarge);
        }
    }
    if seen > max {
        return Err(Refusal::TooLarge);
    }
    Ok(Bytes::from(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(parts: Vec<&'static [u8]>) -> Body {
        Body::from_stream(futures::stream::iter(
            parts
                .into_iter()
                .map(|p| Ok::<_, std::io::Error>(Bytes::from_static(p))),
        ))
    }

    #[tokio::test]
    async fn bodies_within_the_limit_are_kept_whole() {
        let bytes = collect(chunked(vec![b"ab", b"cd"]), 4).await.unwrap();
        assert_eq!(&bytes[..], b"abcd");
    }

    #[tokio::test]
    async fn larger_bodies_are_refused() {
        assert_eq!(
            collect(chunked(vec![b"ab", b"cde"]), 4).await,
            Err(Refusal::TooLarge)
        );
        assert_eq!(
            collect(chunked(vec![b"abcdefghij"]), 4).await,
            Err(Refusal::TooLarge)
        );
    }

    #[tokio::test]
    async fn broken_bodies_are_refused() {
        let body = Body::from_stream(futures::stream::iter([
            Ok(Bytes::from_static(b"ab")),
            Err(std::io::Error::other("gone")),
        ]));
        assert_eq!(collect(body, 10).await, Err(Refusal::Broken));
    }
}
