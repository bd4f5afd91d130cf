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
//! # use wix_emulator_core::faults::{self, Faults};
//! let faults = Faults::disabled();
//! let api: Router = Router::new()
//!     .route("/ecom/v1/order-payment-requests/{id}", get(|| async { "{}" }))
//!     .layer(faults::InjectLayer::new(faults.clone()));
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
mod inject;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use admin::admin_router;
pub use config::{FaultConfig, FaultConfigError, FaultKind, DEFAULT_SLOW, MAX_SLOW};
pub use inject::{Inject, InjectLayer};

/// Name of the header that marks an injected answer.
pub const FAULT_HEADER: &str = "x-emulator-fault";

/// The shared fault switch: cheap to clone, every clone sees the same configuration.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Switch>,
}

/// The configuration in force, and whether there is one: a request reads the flag alone while
/// no fault is armed, and takes the lock only when one is.
#[derive(Debug, Default)]
struct Switch {
    armed: AtomicBool,
    active: Mutex<Option<Active>>,
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
        let mut active = self.lock();
        *active = cfg.map(|cfg| Active { cfg, next: 0 });
        self.inner.armed.store(active.is_some(), Ordering::Release);
    }

    /// The configuration in force, if any.
    pub fn config(&self) -> Option<FaultConfig> {
        self.lock().as_ref().map(|a| a.cfg.clone())
    }

    /// Whether a configuration is in force.
    fn armed(&self) -> bool {
        self.inner.armed.load(Ordering::Acquire)
    }

    /// Takes the decision for the next request: the fault to inject and the slow delay.
    fn next_fault(&self) -> Option<(FaultKind, Duration)> {
        if !self.armed() {
            return None;
        }
        let mut guard = self.lock();
        let active = guard.as_mut()?;
        let n = active.next;
        active.next = n.wrapping_add(1);
        active.cfg.decision(n).map(|kind| (kind, active.cfg.slow))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Active>> {
        self.inner
            .active
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
