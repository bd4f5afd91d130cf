//! `resend`: an order's unpaid payment requests ([`WixClient::find_unpaid_for_order`]), each
//! with a fresh payment URL ([`WixClient::get_url`]).

use clap::Args;
use serde_json::Value;
use wix_order_payment_requests::WixClient;

use crate::output::Column;
use crate::report::ErrorReport;

/// `resend`'s flags.
#[derive(Debug, Args)]
pub struct ResendArgs {
    /// The order (GUID) whose unpaid requests to list
    #[arg(long, value_name = "GUID")]
    order_id: uuid::Uuid,
}

/// The table columns of `resend`.
pub const COLUMNS: &[Column] = &[
    Column {
        heading: "ID",
        pointer: "/id",
    },
    Column {
        heading: "AMOUNT",
        pointer: "/amount",
    },
    Column {
        heading: "TITLE",
        pointer: "/title",
    },
    Column {
        heading: "EXPIRES",
        pointer: "/expirationDate",
    },
    Column {
        heading: "URL",
        pointer: "/url",
    },
];

/// The unpaid requests, newest first, as `{id, amount, title, expirationDate, url}`.
pub async fn run(args: &ResendArgs, client: &WixClient) -> Result<Vec<Value>, ErrorReport> {
    let unpaid = client
        .find_unpaid_for_order(args.order_id)
        .await
        .map_err(|e| ErrorReport::from_client("resend", &e))?;
    let mut rows = Vec::with_capacity(unpaid.len());
    for request in unpaid {
        let id = request.id;
        let url = client
            .get_url(id)
            .await
            .map_err(|e| ErrorReport::from_client("resend", &e))?;
        rows.push(serde_json::json!({
            "id": id,
            "amount": request.amount.amount,
            "title": request.title,
            "expirationDate": request.expiration_date,
            "url": url,
        }));
    }
    Ok(rows)
}
