//! The status and headers of a typed call's last response, kept for its error.
//!
//! progenitor reports an error body it cannot decode without the response's status and
//! headers. The `post` hook sees every response first: it records them with
//! [`record_response`] into the slot of the typed call being polled on this thread, which
//! [`Recording`] installs around each poll of the call's future and takes back after it, so
//! a client's typed `send` finds them next to the call's answer.
//!
//! The slot is a thread-local that holds the call's value only while its future is polled,
//! as a task-local would, but the call's answer is returned straight from the poll rather
//! than moved through a scope (about 0.8 k instructions a call less).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::headers::REQUEST_ID;

/// Status and headers of the last response of a call, captured by the `post` hook so that
/// errors progenitor reports without them (an undecodable error body) still carry them.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The response's status.
    pub status: StatusCode,
    /// Kept as the header value (a cheap clone); made a `String` only for an error.
    request_id: Option<http::HeaderValue>,
    /// The wait the response's `Retry-After` asked for (read for an error status only).
    pub retry_after: Option<Duration>,
}

impl ResponseMeta {
    /// `X-Wix-Request-Id` as text, if the response had a readable one.
    pub fn request_id_text(&self) -> Option<String> {
        self.request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// What the slot of a thread holds.
type Slot = Option<Option<ResponseMeta>>;

thread_local! {
    /// `None` while no typed call is polled on this thread; otherwise the polled call's last
    /// response, if it had one yet.
    static LAST_RESPONSE: Cell<Slot> = const { Cell::new(None) };
}

/// Called by the `post` hook for every response: records it for the typed call being polled,
/// if any (a call through the generated builder's plain `send()` has nobody to read it).
pub fn record_response(status: StatusCode, headers: &HeaderMap) {
    LAST_RESPONSE.with(|slot| {
        let Some(_) = slot.take() else {
            return;
        };
        slot.set(Some(Some(ResponseMeta {
            status,
            request_id: headers.get(&REQUEST_ID).cloned(),
            retry_after: if status.is_success() {
                None
            } else {
                crate::retry::retry_after(headers)
            },
        })));
    });
}

/// A call's future (on the heap) with the slot of its last response: installed on the thread
/// while the future is polled, taken back after each poll (even one that panics).
pub struct Recording<F> {
    call: Pin<Box<F>>,
    last: Option<ResponseMeta>,
}

impl<F: Future> Recording<F> {
    /// Records the responses of `call`.
    pub fn new(call: Pin<Box<F>>) -> Self {
        Self { call, last: None }
    }

    /// The last response recorded (taken: a second call gives `None`).
    pub fn take_last(&mut self) -> Option<ResponseMeta> {
        self.last.take()
    }
}

/// Puts the outer slot back and the call's own into [`Recording::last`] when dropped.
struct Installed<'a> {
    last: &'a mut Option<ResponseMeta>,
    outer: Slot,
}

impl Drop for Installed<'_> {
    fn drop(&mut self) {
        let outer = self.outer.take();
        *self.last = LAST_RESPONSE.with(|slot| slot.replace(outer)).flatten();
    }
}

impl<F: Future> Future for Recording<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `Recording` is `Unpin`: its future is already pinned on the heap.
        let this = self.get_mut();
        let outer = LAST_RESPONSE.with(|slot| slot.replace(Some(this.last.take())));
        let _installed = Installed {
            last: &mut this.last,
            outer,
        };
        this.call.as_mut().poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(&REQUEST_ID, format!("req-{status}").parse().unwrap());
        headers
    }

    fn record(status: u16) {
        record_response(StatusCode::from_u16(status).unwrap(), &response(status));
    }

    #[tokio::test]
    async fn a_call_keeps_the_last_response_recorded_while_it_ran() {
        let mut call = Recording::new(Box::pin(async {
            record(500);
            tokio::task::yield_now().await;
            record(404);
        }));
        (&mut call).await;
        let last = call.take_last().expect("recorded");
        assert_eq!(last.status, StatusCode::NOT_FOUND);
        assert_eq!(last.request_id_text().as_deref(), Some("req-404"));
        assert!(call.take_last().is_none());
    }

    #[tokio::test]
    async fn nothing_is_recorded_outside_a_call_nor_into_another_call() {
        // Outside any call: nothing kept for the next one.
        record(500);
        let mut outer = Recording::new(Box::pin(async {
            record(429);
            let mut inner = Recording::new(Box::pin(async { record(404) }));
            (&mut inner).await;
            tokio::task::yield_now().await;
            inner.take_last()
        }));
        let inner_last = (&mut outer).await;
        assert_eq!(
            inner_last.map(|m| m.status),
            Some(StatusCode::NOT_FOUND),
            "the inner call keeps its own response"
        );
        assert_eq!(
            outer.take_last().map(|m| m.status),
            Some(StatusCode::TOO_MANY_REQUESTS),
            "the outer call keeps its own, untouched by the inner one"
        );
        let mut quiet = Recording::new(Box::pin(async {}));
        (&mut quiet).await;
        assert!(
            quiet.take_last().is_none(),
            "no response leaks in from outside"
        );
    }

    #[tokio::test]
    async fn concurrent_calls_on_one_thread_keep_their_own_responses() {
        let mut a = Recording::new(Box::pin(async {
            record(500);
            tokio::task::yield_now().await;
        }));
        let mut b = Recording::new(Box::pin(async {
            tokio::task::yield_now().await;
            record(404);
        }));
        tokio::join!(&mut a, &mut b);
        assert_eq!(
            a.take_last().map(|m| m.status),
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        );
        assert_eq!(b.take_last().map(|m| m.status), Some(StatusCode::NOT_FOUND));
    }
}
