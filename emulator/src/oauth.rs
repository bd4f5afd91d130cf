//! `POST /oauth2/token`: the client-credentials grant apps use, so the client's OAuth mode works
//! against the emulator. Any app id and secret are accepted; the token names the instance, and
//! calls made with it and no `wix-site-id` see the tenant `instance:<instance_id>`.

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api_error::ApiError;
use crate::extract::{WixJson, OAUTH_TOKEN_PREFIX};
use crate::state::Shared;

/// Lifetime of a token, as Wix's (4 hours).
pub const TOKEN_TTL_SECONDS: u64 = 14_400;

/// The token route, with the state applied by the caller.
pub fn routes() -> Router<Shared> {
    Router::new().route("/oauth2/token", post(token))
}

async fn token(WixJson(body): WixJson) -> Result<Json<Value>, ApiError> {
    let text = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|v| !v.trim().is_empty())
    };
    if text("grant_type") != Some("client_credentials") {
        return Err(ApiError::status(
            StatusCode::BAD_REQUEST,
            "grant_type must be client_credentials",
        ));
    }
    let (Some(_), Some(_), Some(instance)) = (
        text("client_id"),
        text("client_secret"),
        text("instance_id"),
    ) else {
        return Err(ApiError::status(
            StatusCode::BAD_REQUEST,
            "client_id, client_secret and instance_id are required",
        ));
    };
    if instance.contains('.') {
        return Err(ApiError::status(
            StatusCode::BAD_REQUEST,
            "instance_id must not contain '.'",
        ));
    }
    Ok(Json(json!({
        "access_token": format!("{OAUTH_TOKEN_PREFIX}{instance}.{}", Uuid::new_v4().simple()),
        "token_type": "Bearer",
        "expires_in": TOKEN_TTL_SECONDS,
    })))
}
