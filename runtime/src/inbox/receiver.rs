//! The HTTP side of the inbox, for axum: verify, store, answer.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{post, MethodRouter};

use super::{AcceptError, Accepted, Inbox, InboxRecord};

impl<E: InboxRecord> Inbox<E> {
    /// A `POST` route that accepts deliveries: mount it at your webhook path, e.g.
    /// `Router::new().route("/webhooks", inbox.receiver())`. It is a tower service too.
    ///
    /// Answers:
    /// - `200` once the event is stored, or was already (`stored` / `duplicate`);
    /// - `401` (signature, algorithm, token times), `400` (malformed, or no event id) and
    ///   `413` (body over the verifier's limit), from [`AcceptError::http_status`];
    /// - `503` when the store fails (unreachable, full, locked, corrupt): Wix delivers again
    ///   later. The reason is logged at `error` level through `tracing`.
    pub fn receiver<S: Clone + Send + Sync + 'static>(&self) -> MethodRouter<S> {
        let limit = self.verifier.max_body_bytes();
        post(receive::<E>)
            .layer(DefaultBodyLimit::max(limit))
            .with_state(self.clone())
    }
}

async fn receive<E: InboxRecord>(
    State(inbox): State<Inbox<E>>,
    body: Result<Bytes, BytesRejection>,
) -> (StatusCode, &'static str) {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            tracing::warn!(%rejection, "webhook refused: the body could not be read");
            return (rejection.status(), "refused");
        }
    };
    match inbox.accept(&body).await {
        Ok(Accepted::Stored { event_id }) => {
            tracing::debug!(event_id, "webhook stored");
            (StatusCode::OK, "stored")
        }
        Ok(Accepted::Duplicate { event_id }) => {
            tracing::debug!(event_id, "webhook already stored");
            (StatusCode::OK, "duplicate")
        }
        Err(error) => {
            let status =
                StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            match &error {
                AcceptError::Refused(reason) => {
                    tracing::warn!(%reason, status = status.as_u16(), "webhook refused");
                    (status, "refused")
                }
                AcceptError::Store(reason) => {
                    tracing::error!(
                        %reason,
                        "webhook not stored; answering 503 so that Wix delivers it again"
                    );
                    (status, "store unavailable")
                }
            }
        }
    }
}
