//! progenitor's `ClientHooks` for the generated `Client`: adds the authentication headers
//! before each call (fetching an OAuth token when needed), sends it through the retry engine
//! with the operation's strategy and the call's policy ([`crate::retry`]) inside a `wix.call`
//! tracing span, and records the response's status and request id for error reporting.

use std::future::Future;

use futures::future::{Either, FutureExt};
use http::header::{HeaderValue, AUTHORIZATION};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use secrecy::ExposeSecret;
use tracing::{field::Empty, Instrument};

use crate::generated::client::Client;
use crate::last_response::record_response;
use crate::ClientContext;

/// Header naming the site a call acts on.
pub const SITE_ID_HEADER: &str = "wix-site-id";
/// Header naming the account a call acts on.
pub const ACCOUNT_ID_HEADER: &str = "wix-account-id";

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let Some(credentials) = self.inner().credentials() else {
            return Ok(());
        };
        let invalid = |what: &str| {
            progenitor_client::Error::Custom(format!("the {what} is not a valid HTTP header value"))
        };
        let authorization = match credentials.oauth_source() {
            Some(oauth) => {
                // Boxed: the token request's future is large and API-key calls never run it;
                // unboxed, every call would carry (and move) its space.
                let token = Box::pin(oauth.access_token(self.client(), self.baseurl()))
                    .await
                    .map_err(|message| progenitor_client::Error::Custom(message))?;
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

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Ok(response) = result {
            record_response(response.status(), response.headers());
            if response.status() == http::StatusCode::UNAUTHORIZED {
                if let Some(oauth) = self.inner().credentials().and_then(|c| c.oauth_source()) {
                    oauth.invalidate().await;
                }
            }
        }
        Ok(())
    }

    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        let policy = crate::retry::effective(self.inner().retry_policy());
        let strategy = crate::retry::strategy_of_generated(info.operation_id);
        let timeout = self.inner().attempt_timeout();
        let span = tracing::info_span!(
            "wix.call",
            operation = info.operation_id,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        let send = crate::retry::engine::send(self.client(), request, strategy, policy, timeout);
        if span.is_disabled() {
            // Nobody listens: skip the timing and the recording, and await the engine's
            // future itself (no second future around it to create and move).
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
                    .get(&crate::error::REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", id);
                }
            }
            result
        }))
    }
}
