//! `POST /oauth2/token`: the client-credentials grant apps use, so the client's OAuth mode works
//! against the emulator. Any app id and secret are accepted; `instance_id` must be a GUID. Calls
//! made with the token and no context header see the tenant `instance:<instance_id>`. Only
//! tokens issued here, and not expired, are accepted ([`tokens`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::http::extract::WixJson;
use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;
use wix_emulator_core::tenancy::canonical_guid;

/// Default lifetime of a token, as Wix's (4 hours).
pub const TOKEN_TTL_SECONDS: u64 = 14_400;

/// The token route, with the state applied by the caller.
pub fn routes() -> Router<Shared> {
    Router::new().route(TOKEN_PATH, post(token))
}

/// The path of the token endpoint.
pub const TOKEN_PATH: &str = "/oauth2/token";

async fn token(
    State(state): State<Shared>,
    WixJson(body): WixJson,
) -> Result<Json<Value>, ApiError> {
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
    let instance = canonical_guid(instance)
        .ok_or_else(|| ApiError::status(StatusCode::BAD_REQUEST, "instance_id must be a GUID"))?;
    Ok(Json(json!({
        "access_token": state.tokens.issue(&instance),
        "token_type": "Bearer",
        "expires_in": state.tokens.ttl().as_secs(),
    })))
}
