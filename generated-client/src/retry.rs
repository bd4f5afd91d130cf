//! Retries: which operations may be repeated and how, which failures are worth repeating,
//! and how long to wait between attempts.
//!
//! # One engine, one strategy per operation
//!
//! Every call runs through one engine (`retry/engine.rs`), which applies the operation's
//! [`RetryStrategy`], taken from [`strategy`], the only place where operations are classified:
//!
//! - [`RetryStrategy::Retry`]: repeating changes nothing (reads, void, delete, update
//!   extended fields, charge), so a failure worth repeating is repeated.
//! - [`RetryStrategy::Reconcile`]: create. A failure that left nothing behind (`429`, a
//!   refused connection) is repeated; when the outcome is unknown (dropped connection,
//!   timeout, `500`/`502`/`503`/`504`), the engine first asks the operation's lookup whether
//!   the attempt took effect, and repeats only when the lookup proves it did not.
//!   [`crate::WixClient::create`] supplies the lookup (by `source.externalId`); the generated
//!   builder has none and sends once.
//! - [`RetryStrategy::Never`]: bulk create and update are sent once.
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
//!   client makes it (also the generated [`crate::Client`]'s builders).
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

pub(crate) use policy::{effective, Deadline};

use std::collections::HashMap;
use std::sync::LazyLock;

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

/// Each operation's strategy, by the spec's `operationId`.
///
/// Void succeeds without change on a voided request; update extended fields replaces one
/// namespace; at most one charge succeeds per request. Create is made safe by its lookup.
/// Bulk create has no lookup for its items, and update is not repeated blindly.
const OPERATION_STRATEGIES: &[(&str, RetryStrategy)] = &[
    ("createOrderPaymentRequest", RetryStrategy::Reconcile),
    ("bulkCreateOrderPaymentRequests", RetryStrategy::Never),
    ("getOrderPaymentRequest", RetryStrategy::Retry),
    ("updateOrderPaymentRequest", RetryStrategy::Never),
    ("deleteOrderPaymentRequest", RetryStrategy::Retry),
    ("queryOrderPaymentRequests", RetryStrategy::Retry),
    ("getOrderPaymentRequestUrl", RetryStrategy::Retry),
    ("updateExtendedFields", RetryStrategy::Retry),
    ("voidOrderPaymentRequest", RetryStrategy::Retry),
    ("chargeOrderPaymentRequest", RetryStrategy::Retry),
];

/// The strategy of an operation, by the spec's `operationId` (`createOrderPaymentRequest`);
/// an operation it does not know is sent once.
pub fn strategy(operation_id: &str) -> RetryStrategy {
    OPERATION_STRATEGIES
        .iter()
        .find(|(id, _)| *id == operation_id)
        .map_or(RetryStrategy::Never, |(_, strategy)| *strategy)
}

/// The strategy of an operation named by the generated code's snake_case id
/// (`create_order_payment_request`), which is the spec's `operationId` in another case.
pub(crate) fn strategy_of_generated(generated_id: &str) -> RetryStrategy {
    // Asked on every call: the table in snake case is built once.
    static BY_GENERATED_ID: LazyLock<HashMap<String, RetryStrategy>> = LazyLock::new(|| {
        OPERATION_STRATEGIES
            .iter()
            .map(|(id, strategy)| (snake_case(id), *strategy))
            .collect()
    });
    BY_GENERATED_ID
        .get(generated_id)
        .copied()
        .unwrap_or(RetryStrategy::Never)
}

/// `getOrderPaymentRequestUrl` as `get_order_payment_request_url`.
fn snake_case(camel: &str) -> String {
    let mut snake = String::with_capacity(camel.len() + 8);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_name_the_same_operations() {
        assert_eq!(
            snake_case("getOrderPaymentRequestUrl"),
            "get_order_payment_request_url"
        );
        assert_eq!(snake_case("getOrder"), "get_order");
        assert_eq!(
            strategy_of_generated("get_order_payment_request_url"),
            RetryStrategy::Retry
        );
        assert_eq!(
            strategy_of_generated("update_order_payment_request"),
            RetryStrategy::Never
        );
        assert_eq!(
            strategy_of_generated("getOrderPaymentRequest"),
            RetryStrategy::Never
        );
        assert_eq!(
            strategy_of_generated("create_order_payment_request"),
            RetryStrategy::Reconcile
        );
        assert_eq!(
            strategy_of_generated("void_order_payment_request"),
            RetryStrategy::Retry
        );
        assert_eq!(strategy_of_generated("unknown_op"), RetryStrategy::Never);
    }

    #[test]
    fn every_operation_of_the_spec_is_classified_once() {
        let spec: serde_yaml::Value =
            serde_yaml::from_str(include_str!("../../spec/openapi.yaml")).unwrap();
        let mut in_spec: Vec<&str> = spec["paths"]
            .as_mapping()
            .unwrap()
            .values()
            .flat_map(|item| item.as_mapping().unwrap().values())
            .filter_map(|operation| operation["operationId"].as_str())
            .collect();
        in_spec.sort_unstable();
        let mut classified: Vec<&str> = OPERATION_STRATEGIES.iter().map(|(id, _)| *id).collect();
        classified.sort_unstable();
        assert_eq!(classified, in_spec);
        assert_eq!(
            strategy("createOrderPaymentRequest"),
            RetryStrategy::Reconcile
        );
        assert_eq!(
            strategy("create_order_payment_request"),
            RetryStrategy::Never
        );
    }
}
