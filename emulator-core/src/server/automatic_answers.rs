//! Wix's error shape for the answers hyper writes by itself.
//!
//! A request hyper cannot parse (a bad request line, a malformed header, a head too large)
//! never reaches the router: hyper answers `400`, `414` or `431` with an empty body and closes
//! the connection. [`ShapedAutomaticAnswers`] sits between hyper and the socket and rewrites
//! exactly those answers into `{"message", "details": {}}` with an `X-Wix-Request-Id`.
//!
//! They are recognised by their head: a `4xx` status and `content-length: 0`. The router never
//! sends such a head, since [`super::error_shape`] gives every error answer a body. hyper writes
//! its automatic answer only when the previous answer on the connection has been flushed, so it
//! starts a write of its own.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use wix_runtime::headers::REQUEST_ID_HEADER;

use crate::api_error::ApiError;

/// An I/O stream whose outgoing automatic error answers are rewritten in Wix's shape.
#[derive(Debug)]
pub struct ShapedAutomaticAnswers<S> {
    inner: S,
    /// A rewritten answer and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> ShapedAutomaticAnswers<S> {
    /// Wraps a stream.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            pending: None,
        }
    }
}

impl<S: AsyncWrite + Unpin> ShapedAutomaticAnswers<S> {
    /// Writes what is left of a rewritten answer.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes `buf` as written if it is an automatic answer, queueing its rewrite.
    fn divert(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Option<Poll<io::Result<usize>>> {
        let rewritten = rewrite(buf)?;
        self.pending = Some((rewritten, 0));
        // Start writing now; what is left goes out on the next flush or shutdown.
        if let Poll::Ready(Err(e)) = self.poll_pending(cx) {
            return Some(Poll::Ready(Err(e)));
        }
        Some(Poll::Ready(Ok(buf.len())))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ShapedAutomaticAnswers<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ShapedAutomaticAnswers<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if let Some(done) = this.divert(cx, buf) {
            return done;
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if let Some(first) = bufs.iter().find(|b| !b.is_empty()) {
            if let Some(done) = this.divert(cx, first) {
                return done;
            }
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// The Wix-shaped rewrite of `head` if it is one of hyper's automatic error answers: a whole
/// head (and nothing after it) with a `4xx` status and `content-length: 0`.
fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    let status_digits = head.strip_prefix(b"HTTP/1.1 4")?.get(..2)?;
    let head_end = head.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    if head_end != head.len() {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let lower = text.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let code = 400
        + std::str::from_utf8(status_digits)
            .ok()?
            .parse::<u16>()
            .ok()?;
    let status = StatusCode::from_u16(code).ok()?;
    let body = serde_json::to_vec(&ApiError::status(status, message(status)).body()).ok()?;
    let date = text
        .split("\r\n")
        .find(|line| line.to_ascii_lowercase().starts_with("date:"));
    let mut answer = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         {}: {}\r\nconnection: close\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
        REQUEST_ID_HEADER,
        super::new_request_id(),
    );
    if let Some(date) = date {
        answer.push_str(date);
        answer.push_str("\r\n");
    }
    answer.push_str("\r\n");
    let mut bytes = answer.into_bytes();
    bytes.extend_from_slice(&body);
    Some(bytes)
}

/// The message of an automatic answer.
fn message(status: StatusCode) -> String {
    match status {
        StatusCode::BAD_REQUEST => {
            "The request is not valid HTTP/1.1: its request line or a header could not be read."
                .into()
        }
        StatusCode::URI_TOO_LONG => "The request's URI is too long.".into(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "The request's headers are too large.".into()
        }
        other => other.canonical_reason().unwrap_or("Bad request").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const AUTOMATIC: &[u8] =
        b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n";

    #[test]
    fn automatic_answers_are_rewritten() {
        let answer = String::from_utf8(rewrite(AUTOMATIC).unwrap()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains("\r\ncontent-type: application/json\r\n"));
        assert!(head.contains(&format!("\r\ncontent-length: {}\r\n", body.len())));
        assert!(head.contains("\r\nx-wix-request-id: "));
        assert!(head.contains("\r\ndate: Thu, 01 Jan 2026 00:00:00 GMT"));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["details"], serde_json::json!({}));
        assert!(!body["message"].as_str().unwrap().is_empty());
        let answer =
            rewrite(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 431 "));
    }

    #[test]
    fn other_writes_pass_untouched() {
        for bytes in [
            &b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n{}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n",
            b"{\"message\":\"HTTP/1.1 400\"}",
            b"",
        ] {
            assert!(
                rewrite(bytes).is_none(),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[tokio::test]
    async fn the_stream_sends_the_rewrite_in_place_of_the_automatic_answer() {
        let (client, server) = tokio::io::duplex(16);
        let mut shaped = ShapedAutomaticAnswers::new(server);
        let writer = tokio::spawn(async move {
            shaped
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await
                .unwrap();
            shaped.write_all(AUTOMATIC).await.unwrap();
            shaped.shutdown().await.unwrap();
        });
        let mut received = String::new();
        let mut client = client;
        client.read_to_string(&mut received).await.unwrap();
        writer.await.unwrap();
        let (first, second) = received.split_at(received.find("HTTP/1.1 400").unwrap());
        assert_eq!(first, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
        let (head, body) = second.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains("\r\ncontent-type: application/json\r\n"),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["details"], serde_json::json!({}));
    }
}
