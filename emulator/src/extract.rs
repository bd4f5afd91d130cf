//! Request extractors that answer in Wix's error shapes: the caller's tenant (from the auth
//! headers) and a JSON body.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::state::Shared;

/// Prefix of the access tokens the emulator's `/oauth2/token` hands out.
pub const OAUTH_TOKEN_PREFIX: &str = "emu-oauth.";

/// Who is calling: the tenant whose payment requests the call sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The tenant key: the `wix-site-id`, `account:<id>` for `wix-account-id`, or
    /// `instance:<id>` for an app's OAuth token without a site header.
    pub tenant: String,
}

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
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
        let Some(auth) = header(parts, "authorization") else {
            return Err(ApiError::status(
                StatusCode::UNAUTHORIZED,
                "Missing Authorization header: send an API key or an access token.",
            ));
        };
        let oauth_instance = auth
            .strip_prefix(OAUTH_TOKEN_PREFIX)
            .and_then(|rest| rest.split('.').next());
        if let (Some(keys), None) = (&state.api_keys, oauth_instance) {
            if !keys.contains(auth) {
                return Err(ApiError::status(
                    StatusCode::UNAUTHORIZED,
                    "The API key is not valid.",
                ));
            }
        }
        let site = header(parts, "wix-site-id");
        let account = header(parts, "wix-account-id");
        let tenant = match (site, account, oauth_instance) {
            (Some(_), Some(_), _) => {
                return Err(ApiError::invalid(
                    "wix-site-id",
                    "ONE_OF",
                    "send either wix-site-id or wix-account-id, not both",
                ))
            }
            (Some(site), None, _) => site.to_string(),
            (None, Some(account), _) => format!("account:{account}"),
            (None, None, Some(instance)) => format!("instance:{instance}"),
            (None, None, None) => String::new(),
        };
        Ok(Self { tenant })
    }
}

/// A JSON body; malformed JSON is a Wix-shaped 400.
#[derive(Debug, Clone)]
pub struct WixJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for WixJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            ApiError::status(StatusCode::BAD_REQUEST, format!("unreadable body: {e}"))
        })?;
        if bytes.is_empty() {
            return Ok(Self(Value::Object(Default::default())));
        }
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| ApiError::invalid("", "JSON", format!("the body is not valid JSON: {e}")))
    }
}
