//! Retries: which operations may be repeated and how, which failures are worth repeating,
//! and how long to wait between attempts.
//!
//! # One engine, one strategy per operation
//!
//! Every call runs through one engine (`retry/engine.rs`), which applies the operation's
//! [`RetryStrategy`]. The strategy is the operation's retry class, which the spec states once
//! (`x-wix-retry` on each operation) and codegen writes into
//! [`crate::generated::rules::OPERATIONS`]; [`strategy`] reads it from there:
//!
//! - [`RetryStrategy::Retry`] (`safe`): repeating changes nothing, so a failure worth
//!   repeating is repeated.
//! - [`RetryStrategy::Reconcile`] (`reconcile`): a failure that left nothing behind (`429`, a
//!   refused connection) is repeated; when the outcome is unknown (dropped connection,
//!   timeout, `500`/`502`/`503`/`504`), the engine first asks the operation's lookup whether
//!   the attempt took effect, and repeats only when the lookup proves it did not.
//!   [`crate::WixClient::create`] supplies create's lookup (by `source.externalId`); the
//!   generated builder has none and sends once.
//! - [`RetryStrategy::Never`] (`never`): sent once.
//!
//! Which failures are worth repeating follows aws-sdk-rust: transient transport failures,
//! throttling (`429`) and the server errors `500`, `502`, `503` and `504`; everything else is
//! final. Waits grow exponentially up to a cap and are drawn with full jitter, except that a
//! `Retry-After` header (seconds or an HTTP date) sets the wait. A call stops after
//! [`RetryPolicy::max_attempts`] attempts or when the next wait would pass its total deadline;
//! a lookup runs within what is left of that deadline too.
//!
//! # Choosing the policy
//!
//! A client's policy is set once, with [`crate::ClientBuilder::retry_policy`]. It can be
//! replaced for some calls in two ways; the second wins when both apply:
//!
//! - [`crate::WixClient::with_retry_policy`]: a copy of the client (cheap: it shares the
//!   connection pool and credentials) whose calls use another policy;
//! - [`RetryPolicy::scope`]: every call made while a future runs uses the policy, whatever
//!   client makes it (also the generated [`crate::raw::Client`]'s builders).
//!
//! ```no_run
//! use std::time::Duration;
//! use wix_order_payment_requests::{RetryPolicy, WixClient};
//!
//! # async fn demo(wix: WixClient, id: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
//! // One attempt, for a call on a latency-sensitive path.
//! let quick = wix.with_retry_policy(RetryPolicy::disabled());
//! let request = quick.get(id).await?;
//!
//! // Up to 6 attempts within 10 s for everything this block does.
//! let patient = RetryPolicy::default()
//!     .with_max_attempts(6)
//!     .with_deadline(Some(Duration::from_secs(10)));
//! let url = patient.scope(async { wix.get_url(id).await }).await?;
//! # let _ = (request, url); Ok(()) }
//! ```

mod classify;
pub(crate) mod engine;
mod policy;

pub use classify::{classify, classify_status, retry_after, RetryKind};
pub use policy::{RetryPolicy, Sleeper, TokioSleeper};

pub(crate) use policy::{effective, Budget, Deadline};

use crate::generated::rules::{self, RetryClass};

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

/// The strategy of an operation, by the spec's `operationId` (`createOrderPaymentRequest`);
/// an operation it does not know is sent once.
pub fn strategy(operation_id: &str) -> RetryStrategy {
    rules::operation(operation_id).map_or(RetryStrategy::Never, |op| op.retry.into())
}

/// The strategy of an operation named by the generated builder (`create_order_payment_request`).
pub(crate) fn strategy_of_generated(generated_id: &str) -> RetryStrategy {
    rules::operation_of_generated(generated_id).map_or(RetryStrategy::Never, |op| op.retry.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_names_of_an_operation_give_its_class() {
        for op in rules::OPERATIONS {
            let expected = RetryStrategy::from(op.retry);
            assert_eq!(strategy(op.operation_id), expected);
            assert_eq!(strategy_of_generated(op.generated_id), expected);
        }
        assert_eq!(
            strategy("createOrderPaymentRequest"),
            RetryStrategy::Reconcile
        );
        assert_eq!(
            strategy_of_generated("void_order_payment_request"),
            RetryStrategy::Retry
        );
        assert_eq!(
            strategy("create_order_payment_request"),
            RetryStrategy::Never
        );
        assert_eq!(strategy_of_generated("unknown_op"), RetryStrategy::Never);
    }
}
