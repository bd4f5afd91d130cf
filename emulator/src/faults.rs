//! Fault injection: makes a share of API requests fail, deterministically under a seed.
//!
//! Off by default. When a [`FaultConfig`] is set, the n-th API request after it (n = 0, 1, ...)
//! gets the decision [`FaultConfig::decision`]`(n)`: answer normally, or inject one of the
//! [`FaultKind`]s. Setting a configuration (even the same one again) restarts the count, so a
//! sequence of requests can be replayed with the same seed.
//!
//! Wiring, for the API routes only (not for the `/_emulator` admin routes), inside the layer that
//! adds `X-Wix-Request-Id` so injected errors keep that header:
//!
//! ```no_run
//! # use axum::{routing::get, Router};
//! # use wix_opr_emulator::faults::{self, Faults};
//! let faults = Faults::disabled();
//! let api: Router = Router::new()
//!     .route("/ecom/v1/order-payment-requests/{id}", get(|| async { "{}" }))
//!     .layer(axum::middleware::from_fn_with_state(faults.clone(), faults::inject));
//! let app = api.merge(faults::admin_router(faults));
//! ```
//!
//! On the command line the configuration reads
//! `--faults rate=0.2,seed=7,kinds=429+503+slow+drop,slow-ms=1500` (see [`FaultConfig`]);
//! at run time it is read and changed with `GET`/`PUT`/`DELETE /_emulator/faults`
//! (see [`admin_router`]).
//!
//! Injected `429` and `503` answers and slow answers carry an `x-emulator-fault` header naming
//! the fault, so logs can tell them from real ones. No `Retry-After` header is sent with `429`:
//! Wix documents none, and a client must not come to rely on one.

mod admin;
mod config;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub use admin::admin_router;
pub use config::{FaultConfig, FaultConfigError, FaultKind, DEFAULT_SLOW, MAX_SLOW};

/// Name of the header that marks an injected answer.
pub const FAULT_HEADER: &str = "x-emulator-fault";

/// The shared fault switch: cheap to clone, every clone sees the same configuration.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<Option<Active>>>,
}

/// A configuration in force and the number of requests it has decided so far.
#[derive(Debug)]
struct Active {
    cfg: FaultConfig,
    next: u64,
}

impl Faults {
    /// No faults (the default).
    pub fn disabled() -> Self {
        Self::default()
    }

    /// A switch with the given configuration in force (`None` for no faults).
    pub fn new(cfg: Option<FaultConfig>) -> Self {
        let faults = Self::default();
        faults.set(cfg);
        faults
    }

    /// Puts a configuration in force (`None` turns faults off) and restarts the request count.
    pub fn set(&self, cfg: Option<FaultConfig>) {
        *self.lock() = cfg.map(|cfg| Active { cfg, next: 0 });
    }

    /// The configuration in force, if any.
    pub fn config(&self) -> Option<FaultConfig> {
        self.lock().as_ref().map(|a| a.cfg.clone())
    }

    /// Takes the decision for the next request: the fault to inject and the slow delay.
    fn next_fault(&self) -> Option<(FaultKind, Duration)> {
        let mut guard = self.lock();
        let active = guard.as_mut()?;
        let n = active.next;
        active.next = n.wrapping_add(1);
        active.cfg.decision(n).map(|kind| (kind, active.cfg.slow))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Active>> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Middleware for the API routes: answers normally or injects the fault decided for the request.
///
/// Use as `axum::middleware::from_fn_with_state(faults, faults::inject)`.
pub async fn inject(State(f): State<Faults>, req: Request, next: Next) -> Response {
    match f.next_fault() {
        None => next.run(req).await,
        Some((FaultKind::TooManyRequests, _)) => too_many_requests(),
        Some((FaultKind::Unavailable, _)) => unavailable(),
        Some((FaultKind::Slow, delay)) => {
            let res = next.run(req).await;
            tokio::time::sleep(delay).await;
            mark(res, FaultKind::Slow)
        }
        Some((FaultKind::DropConnection, _)) => {
            // The request is processed; only its answer is lost.
            drop(next.run(req).await);
            dropped_connection()
        }
    }
}

/// `429` as Wix sends it for "too many requests": a message, no details, no `Retry-After`.
fn too_many_requests() -> Response {
    let body = json!({"message": "Too many requests", "details": {}});
    mark(
        (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response(),
        FaultKind::TooManyRequests,
    )
}

/// `503` with Wix's empty 5xx body.
fn unavailable() -> Response {
    let body = json!({"message": "", "details": {}});
    mark(
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response(),
        FaultKind::Unavailable,
    )
}

/// A response whose body fails at once: the server closes the connection before the head is
/// flushed, so the client gets a transport error and no status.
fn dropped_connection() -> Response {
    let error = std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "injected fault: connection dropped",
    );
    let stream = futures::stream::iter([Err::<Bytes, _>(error)]);
    Response::new(Body::from_stream(stream))
}

fn mark(mut res: Response, kind: FaultKind) -> Response {
    res.headers_mut()
        .insert(FAULT_HEADER, HeaderValue::from_static(kind.name()));
    res
}
