//! `send`: create a payment request and print its id and payment URL.
//!
//! Safe to repeat with `--external-id`: a request that already has that `source.externalId`
//! is answered (with a fresh URL) instead of creating another, and within one run
//! [`WixClient::create`] settles an unknown outcome by the same id.

use std::time::Duration;

use clap::Args;
use serde_json::json;
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
    /// Your id for this request: repeating `send` with it never creates a second request
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// Expiry from now, e.g. 7d, 12h, 30m
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    expires_in: Option<Duration>,
}

/// Creates the request (or finds the one with the same external id) and returns
/// `{"id", "url", "created"}`.
pub async fn run(args: &SendArgs, client: &WixClient) -> Result<serde_json::Value, ErrorReport> {
    if let Some(existing) = existing(args, client).await? {
        return Ok(existing);
    }
    let request = request(args, chrono::Utc::now())?;
    let created = client
        .create(request)
        .await
        .map_err(|e| ErrorReport::from_client("send", &e))?;
    Ok(json!({ "id": created.request.id, "url": created.url, "created": true }))
}

/// The request created earlier with `--external-id`, with a fresh URL, if there is one.
async fn existing(
    args: &SendArgs,
    client: &WixClient,
) -> Result<Option<serde_json::Value>, ErrorReport> {
    let Some(external_id) = &args.external_id else {
        return Ok(None);
    };
    let found = client
        .find_by_external_id(external_id)
        .await
        .map_err(|e| ErrorReport::from_client("send", &e))?;
    let Some(id) = found.map(|r| r.id) else {
        return Ok(None);
    };
    let url = client
        .get_url(id)
        .await
        .map_err(|e| ErrorReport::from_client("send", &e))?;
    Ok(Some(json!({ "id": id, "url": url, "created": false })))
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
