//! `GET`/`PUT`/`DELETE /_emulator/faults`: read, set and clear the fault configuration.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{FaultConfig, Faults};

/// Path of the admin resource.
pub const FAULTS_PATH: &str = "/_emulator/faults";

/// The admin routes, with their state applied; merge them into the emulator's router.
///
/// - `GET /_emulator/faults` answers `{"enabled": false}` or
///   `{"enabled": true, "rate": 0.5, "seed": 7, "kinds": [...], "slowMs": 2000}`.
/// - `PUT /_emulator/faults` with
///   `{"rate": 0.5, "seed": 7, "kinds": ["TOO_MANY_REQUESTS", "UNAVAILABLE", "SLOW", "DROP_CONNECTION"], "slowMs": 2000}`
///   puts it in force and restarts the request count (`rate` is required; `seed` defaults to 0,
///   `kinds` to all four, `slowMs` to 2000); answers like `GET`. Bad input answers `400`
///   `{"message": "invalid fault config: ...", "details": {}}` and changes nothing.
/// - `DELETE /_emulator/faults` turns faults off; answers `{"enabled": false}`.
pub fn admin_router(faults: Faults) -> Router {
    Router::new()
        .route(FAULTS_PATH, get(read).put(replace).delete(clear))
        .with_state(faults)
}

async fn read(State(f): State<Faults>) -> Json<Value> {
    Json(view(f.config().as_ref()))
}

async fn replace(State(f): State<Faults>, body: Bytes) -> Response {
    match FaultConfig::from_json(&body) {
        Ok(cfg) => {
            let answer = view(Some(&cfg));
            f.set(Some(cfg));
            Json(answer).into_response()
        }
        Err(e) => {
            let body = json!({"message": e.to_string(), "details": {}});
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

async fn clear(State(f): State<Faults>) -> Json<Value> {
    f.set(None);
    Json(view(None))
}

fn view(cfg: Option<&FaultConfig>) -> Value {
    match cfg {
        None => json!({"enabled": false}),
        Some(cfg) => {
            let mut v = cfg.to_json();
            v["enabled"] = json!(true);
            v
        }
    }
}
