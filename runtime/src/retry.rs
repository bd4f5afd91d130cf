//! Retries: which failures are worth repeating ([`classify`]), how long to wait between
//! attempts and for how long in all ([`RetryPolicy`]), and the one engine that makes the
//! attempts of a call under an operation's [`RetryStrategy`] ([`engine`]).
//!
//! An operation's strategy is its retry class (`x-wix-retry`), which a client crate's
//! generated rule table holds ([`RetryClass`] converts). Which failures are worth repeating
//! follows aws-sdk-rust: transient transport failures, throttling (`429`) and the server
//! errors `500`, `502`, `503` and `504`; everything else is final. Waits grow exponentially up
//! to a cap and are drawn with full jitter, except that a `Retry-After` header (seconds or an
//! HTTP date) sets the wait.

mod classify;
pub mod engine;
mod policy;

pub use classify::{classify, classify_status, retry_after, RetryKind};
pub use policy::{effective, Budget, Deadline, RetryPolicy, Sleeper, TokioSleeper};

use crate::rules::RetryClass;

/// How the engine treats an operation whose attempt failed in a way worth repeating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryStrategy {
    /// Repeat it: doing it twice has the effect of doing it once.
    Retry,
    /// Repeat it only after a lookup proves that an attempt with an unknown outcome took no
    /// effect; a failure that left nothing behind (`429`, a refused connection) is repeated.
    Reconcile,
    /// Send it once.
    Never,
}

impl From<RetryClass> for RetryStrategy {
    fn from(class: RetryClass) -> Self {
        match class {
            RetryClass::Safe => RetryStrategy::Retry,
            RetryClass::Reconcile => RetryStrategy::Reconcile,
            RetryClass::Never => RetryStrategy::Never,
        }
    }
}
