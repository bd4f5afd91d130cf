//! Request extractors that answer in Wix's error shapes: the caller's tenant (from the auth
//! headers) and a JSON body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderName, StatusCode};
use serde_json::Value;

use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;
use wix_emulator_core::tenancy;

pub use wix_emulator_core::tokens::OAUTH_TOKEN_PREFIX;

/// Who is calling: the tenant whose payment requests the call sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The tenant key: the site GUID of `wix-site-id`, `account:<GUID>` for `wix-account-id`,
    /// or `instance:<GUID>` for an app's OAuth token without a context header
    /// (see [`wix_emulator_core::tenancy`]).
    pub tenant: String,
}

fn header<'a>(parts: &'a Parts, name: &HeaderName) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let Some(auth) = header(parts, &AUTHORIZATION) else {
            return Err(unauthorized(
                "Missing Authorization header: send an API key or an access token.",
            ));
        };
        let oauth_instance = if auth.starts_with(OAUTH_TOKEN_PREFIX) {
            let instance = state
                .tokens
                .instance_of(auth)
                .map_err(|refusal| unauthorized(refusal.message()))?;
            Some(instance)
        } else {
            if let Some(keys) = &state.api_keys {
                if !keys.contains(auth) {
                    return Err(unauthorized("The API key is not valid."));
                }
            }
            None
        };
        let tenant = tenancy::resolve(&parts.headers, oauth_instance.as_deref())?;
        Ok(Self { tenant })
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::status(StatusCode::UNAUTHORIZED, message)
}

/// A JSON body; malformed JSON is a Wix-shaped 400.
#[derive(Debug, Clone)]
pub struct WixJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for WixJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::status(e.status(), format!("unreadable body: {e}")))?;
        if bytes.is_empty() {
            return Ok(Self(Value::Object(Default::default())));
        }
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| ApiError::invalid("", "JSON", format!("the body is not valid JSON: {e}")))
    }
}
