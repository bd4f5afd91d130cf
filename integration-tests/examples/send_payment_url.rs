//! Sample flow "Send a payment request for an order balance": create an order payment request
//! with a unique `source.externalId`, then print the payment page URL to send to the customer.
//!
//! One command, against an emulator started inside the example (when neither `WIX_API_KEY`
//! nor `WIX_APP_ID` is set):
//!
//! ```text
//! cargo run -p integration-tests --example send_payment_url
//! ```
//!
//! Against Wix: set `WIX_API_KEY`, `WIX_SITE_ID` (or `WIX_ACCOUNT_ID`) and `WIX_ORDER_ID` (an
//! order of that site); `WIX_BASE_URL` defaults to `https://www.wixapis.com`. An app can set
//! `WIX_APP_ID`, `WIX_APP_SECRET` and `WIX_INSTANCE_ID` instead of the API key. Optional:
//! `WIX_AMOUNT` (default `15.50`), `WIX_EXTERNAL_ID` (default a new unique id).

use std::error::Error;

use wix_order_payment_requests::{types, Amount, WixClient};

#[path = "wix_or_emulator/mod.rs"]
mod wix_or_emulator;
use wix_or_emulator::{connect, order_id, var, Target};
pub use wix_or_emulator::{emulator_client, EMULATOR_ORDER_ID};

/// What the flow creates.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The order whose balance is requested.
    pub order_id: uuid::Uuid,
    /// The amount to collect.
    pub amount: Amount,
    /// A unique reference in the caller's system, to find the request again.
    pub external_id: String,
}

/// What the flow produced.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The created order payment request.
    pub request: types::OrderPaymentRequest,
    /// Its payment page URL.
    pub url: types::PaymentPageUrl,
}

/// The inputs from the environment; `WIX_ORDER_ID` is required against Wix.
pub fn inputs(target: &Target) -> Result<Inputs, Box<dyn Error>> {
    Ok(Inputs {
        order_id: order_id(target)?,
        amount: var("WIX_AMOUNT")
            .as_deref()
            .unwrap_or("15.50")
            .parse()
            .map_err(|e| format!("WIX_AMOUNT: {e}"))?,
        external_id: var("WIX_EXTERNAL_ID")
            .unwrap_or_else(|| format!("invoice-{}", uuid::Uuid::new_v4())),
    })
}

/// The flow, printing each step: create the request, then show the link to send.
pub async fn send_payment_request(
    wix: &WixClient,
    inputs: &Inputs,
) -> Result<Sent, Box<dyn Error>> {
    println!(
        "step 1: create a payment request of {} for order {} with externalId {}",
        inputs.amount, inputs.order_id, inputs.external_id
    );
    let new_request = types::NewOrderPaymentRequest::new(
        inputs.order_id,
        inputs.amount,
        "Balance Due for Order".parse()?,
    )
    .with_external_id(inputs.external_id.parse()?);
    let created = wix.create(new_request).await?;

    let request = created.request;
    println!(
        "step 2: created order payment request {} with status {}",
        request.id, request.status,
    );
    let url = created.url;
    println!("step 3: send this payment link to the customer: {url}");
    Ok(Sent { request, url })
}

async fn run() -> Result<(), Box<dyn Error>> {
    let target = connect().await?;
    let inputs = inputs(&target)?;
    send_payment_request(&target.wix, &inputs).await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
