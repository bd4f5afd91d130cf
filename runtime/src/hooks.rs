//! What a generated client's progenitor hooks do, for every Wix API: [`authorize`] puts the
//! credentials on a request before it is sent (fetching an OAuth token when needed), [`exec`]
//! sends it through the retry engine with the operation's strategy and the call's policy inside
//! a `wix.call` tracing span, and [`after_response`] records the response's status and request
//! id for error reporting. A client crate's `impl ClientHooks` calls these three.

use std::future::Future;

use futures::future::{Either, FutureExt};
use http::header::{HeaderValue, AUTHORIZATION};
use secrecy::ExposeSecret;
use tracing::{field::Empty, Instrument};

use crate::context::ClientContext;
use crate::headers::REQUEST_ID;
use crate::last_response::record_response;
use crate::retry::RetryStrategy;

/// Adds the authentication headers of `context`'s credentials (and its tenant's) to
/// `request`, fetching an OAuth access token through `http` from `base_url` when the
/// credentials are an app's. Without credentials the request is left as it is. The error
/// says what failed and never holds a secret.
pub async fn authorize(
    context: &ClientContext,
    http: &reqwest::Client,
    base_url: &str,
    request: &mut reqwest::Request,
) -> Result<(), String> {
    let Some(credentials) = context.credentials() else {
        return Ok(());
    };
    let invalid = |what: &str| format!("the {what} is not a valid HTTP header value");
    let authorization = match credentials.oauth_source() {
        Some(oauth) => {
            // Boxed: the token request's future is large and API-key calls never run it;
            // unboxed, every call would carry (and move) its space.
            let token = Box::pin(oauth.access_token(http, base_url)).await?;
            let mut value = HeaderValue::from_str(token.expose_secret())
                .map_err(|_| invalid("OAuth access token"))?;
            value.set_sensitive(true);
            value
        }
        None => credentials
            .authorization_header()
            .cloned()
            .ok_or_else(|| invalid("API key"))?,
    };
    let headers = request.headers_mut();
    headers.insert(AUTHORIZATION, authorization);
    if let Some((name, value)) = credentials.tenant_header() {
        headers.insert(name.clone(), value.clone());
    }
    Ok(())
}

/// Records the answer's status and request id for the typed call in progress, and drops a
/// cached OAuth token that the API refused (`401`), so that the next call fetches a new one.
pub async fn after_response(context: &ClientContext, result: &reqwest::Result<reqwest::Response>) {
    if let Ok(response) = result {
        record_response(response.status(), response.headers());
        if response.status() == http::StatusCode::UNAUTHORIZED {
            if let Some(oauth) = context.credentials().and_then(|c| c.oauth_source()) {
                oauth.invalidate().await;
            }
        }
    }
}

/// Sends `request` of the operation `operation_id` through the retry engine with `strategy`,
/// under the call's policy ([`RetryPolicy::scope`](crate::retry::RetryPolicy::scope) or
/// `context`'s) and `context`'s attempt timeout, inside a `wix.call` span that records the
/// attempts, status, request id and duration when someone listens.
pub fn exec<'a>(
    context: &ClientContext,
    http: &'a reqwest::Client,
    request: reqwest::Request,
    operation_id: &str,
    strategy: RetryStrategy,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
    let policy = crate::retry::effective(context.retry_policy());
    let timeout = context.attempt_timeout();
    let span = tracing::info_span!(
        "wix.call",
        operation = operation_id,
        attempt = Empty,
        status = Empty,
        request_id = Empty,
        duration_ms = Empty,
    );
    let send = crate::retry::engine::send(http, request, strategy, policy, timeout);
    if span.is_disabled() {
        // Nobody listens: skip the timing and the recording, and await the engine's future
        // itself (no second future around it to create and move).
        return Either::Left(send.map(|(result, _)| result));
    }
    // Boxed: only a call someone listens to pays for the larger future.
    Either::Right(Box::pin(async move {
        let started = std::time::Instant::now();
        let (result, attempts) = send.instrument(span.clone()).await;
        span.record("attempt", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
            if let Some(id) = response
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
            {
                span.record("request_id", id);
            }
        }
        result
    }))
}
