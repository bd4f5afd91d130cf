//! Retries: which operations may be repeated and how, which failures are worth repeating,
//! and how long to wait between attempts.
//!
//! # One engine, one strategy per operation
//!
//! Every call runs through one engine (the runtime's `retry::engine`), which applies the
//! operation's [`RetryStrategy`]. The strategy is the operation's retry class, which the spec
//! states once (`x-wix-retry` on each operation) and codegen writes into
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

pub use wix_runtime::retry::{
    classify, classify_status, retry_after, RetryKind, RetryPolicy, RetryStrategy, Sleeper,
    TokioSleeper,
};

use crate::generated::rules;

/// The strategy of an operation, by the spec's `operationId` (`createOrderPaymentRequest`);
/// an operation it does not know is sent once.
pub fn strategy(operation_id: &str) -> RetryStrategy {
    rules::operation(operation_id).map_or(RetryStrategy::Never, |op| op.retry.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_is_found_by_both_names_with_its_class() {
        for op in rules::OPERATIONS {
            assert_eq!(strategy(op.operation_id), RetryStrategy::from(op.retry));
            // The generated hooks find the operation by its builder's name.
            assert_eq!(rules::operation_of_generated(op.generated_id), Some(op));
        }
        assert_eq!(
            strategy("createOrderPaymentRequest"),
            RetryStrategy::Reconcile
        );
        assert_eq!(strategy("voidOrderPaymentRequest"), RetryStrategy::Retry);
        assert_eq!(
            strategy("create_order_payment_request"),
            RetryStrategy::Never
        );
    }
}
