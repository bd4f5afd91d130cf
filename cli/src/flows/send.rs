//! `send`: create a payment request and print its id and payment URL.
//!
//! With `--external-id` it is [`WixClient::create_once`]: a request that already has that
//! `source.externalId` is answered (with a fresh URL) instead of creating another. Concurrent
//! `send` processes are kept from racing only with `--lock` (a lock shared through SQLite or
//! Postgres); without it, the guarantee holds within one process.

use std::time::Duration;

use clap::Args;
use serde_json::json;
use wix_order_payment_requests::create_lock::{open_lock, DEFAULT_LOCK_WAIT};
use wix_order_payment_requests::{types, Amount, WixClient};

use crate::report::ErrorReport;

/// `send`'s flags.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The order (GUID) the customer pays towards
    #[arg(long, value_name = "GUID")]
    order_id: uuid::Uuid,
    /// Amount in the order's currency, e.g. 15.50
    #[arg(long)]
    amount: Amount,
    /// Title shown on the payment page
    #[arg(long)]
    title: String,
    /// Description shown on the payment page
    #[arg(long)]
    description: Option<String>,
    /// Your id for this request: `send` creates a request with it only if none has it yet, and
    /// answers the existing one otherwise. Concurrent `send` processes with the same id need
    /// --lock
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// A lock shared by every `send` (and every program using the client's create lock) that
    /// may run at the same time: `sqlite:PATH` (processes on one machine) or
    /// `postgres://USER:PASSWORD@HOST/DB` (several machines). With --external-id, the lookup and
    /// the create run while holding it, so concurrent sends create one request. Without it,
    /// only this process is guarded: two `send` processes started together with the same
    /// --external-id can each create a request
    #[arg(long, value_name = "URL", env = "WIX_OPR_LOCK", hide_env_values = true)]
    lock: Option<String>,
    /// How long to wait for --lock when another send holds the same external id
    #[arg(long, value_name = "DURATION", default_value_t = DEFAULT_LOCK_WAIT.into())]
    lock_wait: humantime::Duration,
    /// Expiry from now, e.g. 7d, 12h, 30m
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    expires_in: Option<Duration>,
}

/// Creates the request (or finds the one with the same external id) and returns
/// `{"id", "url", "created"}`.
pub async fn run(args: &SendArgs, client: &WixClient) -> Result<serde_json::Value, ErrorReport> {
    let request = request(args, chrono::Utc::now())?;
    let Some(external_id) = request
        .source
        .as_ref()
        .and_then(|source| source.external_id.clone())
    else {
        if args.lock.is_some() {
            eprintln!(
                "note: --lock (or WIX_OPR_LOCK) guards sends with --external-id; \
                 this send has none and is not deduplicated"
            );
        }
        let created = client
            .create(request)
            .await
            .map_err(|e| ErrorReport::from_client("send", &e))?;
        return Ok(json!({ "id": created.request.id, "url": created.url, "created": true }));
    };
    let client = match &args.lock {
        None => client.clone(),
        Some(url) => {
            let lock = open_lock(url).await.map_err(|e| ErrorReport {
                operation: "send".into(),
                message: Some(format!("cannot open the lock: {e}; nothing was sent")),
                ..ErrorReport::default()
            })?;
            client.with_create_lock(lock, args.lock_wait.into())
        }
    };
    let once = client
        .create_once(&external_id, request)
        .await
        .map_err(|e| ErrorReport::from_client("send", &e))?;
    Ok(json!({ "id": once.request.id, "url": once.url, "created": once.created }))
}

/// The request to create; `now` is when `--expires-in` counts from.
fn request(
    args: &SendArgs,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<types::NewOrderPaymentRequest, ErrorReport> {
    let invalid = |flag: &str, error: &dyn std::fmt::Display| ErrorReport {
        operation: "send".into(),
        message: Some(format!("invalid {flag}: {error}")),
        ..ErrorReport::default()
    };
    let title = args.title.parse().map_err(|e| invalid("--title", &e))?;
    let description = match &args.description {
        Some(d) => Some(d.parse().map_err(|e| invalid("--description", &e))?),
        None => None,
    };
    let source = match &args.external_id {
        Some(id) => Some(types::Source {
            external_id: Some(id.parse().map_err(|e| invalid("--external-id", &e))?),
            ..Default::default()
        }),
        None => None,
    };
    let expiration_date = match args.expires_in {
        Some(after) => Some(
            chrono::Duration::from_std(after)
                .ok()
                .and_then(|after| now.checked_add_signed(after))
                .ok_or_else(|| invalid("--expires-in", &"too far in the future"))?,
        ),
        None => None,
    };
    let mut request = types::NewOrderPaymentRequest::new(args.order_id, args.amount, title);
    request.description = description;
    request.source = source;
    request.expiration_date = expiration_date;
    Ok(request)
}
