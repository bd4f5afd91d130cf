//! Admin endpoints, under `/_emulator` (never part of Wix's API):
//!
//! | method | path | effect |
//! |---|---|---|
//! | `GET` | `/_emulator/clock` | `{"now", "offsetSeconds"}` |
//! | `POST` | `/_emulator/clock/advance` | body `{"seconds": N}` (may be fractional): moves the clock forward, expires what is due; 400 past `9999-12-31T23:59:59.999Z` |
//! | `GET` | `/_emulator/orders` | every order |
//! | `POST` | `/_emulator/orders` | body: an order (`id`, `number`, `currency`, `total`, `balance`, `status`, `subscription`); adds or replaces it |
//! | `GET`/`PUT` | `/_emulator/switches` | `{"pageNotFound": bool, "siteNotPublished": bool}`: make create fail as on an unready site |
//! | `GET` | `/_emulator/stats` | `{"paymentRequests", "capacity", "pendingExpiries"}` |

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::orders::Order;
use crate::http::extract::WixJson;
use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;

/// The admin routes, with the state applied by the caller.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_emulator/clock", get(clock))
        .route("/_emulator/clock/advance", post(advance))
        .route("/_emulator/orders", get(orders).post(add_order))
        .route("/_emulator/switches", get(switches).put(set_switches))
        .route("/_emulator/stats", get(stats))
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::status(StatusCode::BAD_REQUEST, message)
}

fn clock_json(state: &Shared) -> Json<Value> {
    let offset = state.clock.offset();
    Json(json!({
        "now": state.clock.now(),
        "offsetSeconds": offset.num_milliseconds() as f64 / 1000.0,
    }))
}

async fn clock(State(state): State<Shared>) -> Json<Value> {
    clock_json(&state)
}

async fn advance(
    State(state): State<Shared>,
    WixJson(body): WixJson,
) -> Result<Json<Value>, ApiError> {
    let seconds = body
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| bad("body must be {\"seconds\": N} with N >= 0"))?;
    // A float-to-integer `as` saturates; `try_milliseconds` fails only for `i64::MIN`.
    let by = chrono::Duration::try_milliseconds((seconds * 1000.0).round() as i64)
        .unwrap_or(chrono::Duration::MAX);
    state
        .try_advance_clock(by)
        .map_err(|past| bad(past.to_string()))?;
    Ok(clock_json(&state))
}

async fn orders(State(state): State<Shared>) -> Json<Value> {
    Json(json!({ "orders": state.orders.all() }))
}

async fn add_order(
    State(state): State<Shared>,
    WixJson(body): WixJson,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let order: Order =
        serde_json::from_value(body).map_err(|e| bad(format!("not an order: {e}")))?;
    order.check().map_err(bad)?;
    state.orders.upsert(order.clone());
    Ok((StatusCode::CREATED, Json(json!({ "order": order }))))
}

/// The switches, as the admin API reads and writes them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SwitchesBody {
    page_not_found: Option<bool>,
    site_not_published: Option<bool>,
}

fn switches_json(state: &Shared) -> Json<Value> {
    Json(json!({
        "pageNotFound": state.switches.page_missing(),
        "siteNotPublished": state.switches.unpublished(),
    }))
}

async fn switches(State(state): State<Shared>) -> Json<Value> {
    switches_json(&state)
}

async fn set_switches(
    State(state): State<Shared>,
    WixJson(body): WixJson,
) -> Result<Json<Value>, ApiError> {
    let body: SwitchesBody =
        serde_json::from_value(body).map_err(|e| bad(format!("bad switches: {e}")))?;
    if let Some(on) = body.page_not_found {
        state.switches.page_not_found.store(on, Ordering::SeqCst);
    }
    if let Some(on) = body.site_not_published {
        state
            .switches
            .site_not_published
            .store(on, Ordering::SeqCst);
    }
    Ok(switches_json(&state))
}

async fn stats(State(state): State<Shared>) -> Json<Value> {
    Json(json!({
        "paymentRequests": state.store.len(),
        "capacity": state.store.capacity(),
        "pendingExpiries": state.store.pending_expiries(),
    }))
}
