//! Sample flow "Retrieve and resend a payment URL": find the order's `UNPAID` payment requests
//! with Query, then get the newest one's payment page URL again to resend it.
//!
//! One command, against an emulator started inside the example (when neither `WIX_API_KEY`
//! nor `WIX_APP_ID` is set); the example first creates an unpaid request there to find:
//!
//! ```text
//! cargo run -p integration-tests --example resend_payment_url
//! ```
//!
//! Against Wix: set `WIX_API_KEY`, `WIX_SITE_ID` (or `WIX_ACCOUNT_ID`) and `WIX_ORDER_ID`;
//! `WIX_BASE_URL` defaults to `https://www.wixapis.com`. An app can set `WIX_APP_ID`,
//! `WIX_APP_SECRET` and `WIX_INSTANCE_ID` instead of the API key.

use std::error::Error;

use wix_order_payment_requests::{types, WixClient};

#[path = "wix_or_emulator/mod.rs"]
mod wix_or_emulator;
use wix_or_emulator::{connect, order_id};
pub use wix_or_emulator::{emulator_client, EMULATOR_ORDER_ID};

/// What the flow found.
#[derive(Debug, Clone)]
pub struct Resend {
    /// How many `UNPAID` requests the order has.
    pub unpaid: usize,
    /// The newest one's id.
    pub id: uuid::Uuid,
    /// Its payment page URL, to send again.
    pub url: types::PaymentPageUrl,
}

/// Gives a fresh emulator something to find: an unpaid request for `order_id`.
pub async fn seed_emulator(wix: &WixClient, order_id: uuid::Uuid) -> Result<(), Box<dyn Error>> {
    let new_request = types::NewOrderPaymentRequest::new(
        order_id,
        "15.50".parse()?,
        "Balance Due for Order".parse()?,
    )
    .with_external_id(format!("invoice-{}", uuid::Uuid::new_v4()).parse()?);
    let id = wix.create(new_request).await?.request.id;
    println!("emulator: created unpaid payment request {id} for order {order_id} to find");
    Ok(())
}

/// The flow, printing each step: find the order's unpaid requests, then get the newest one's
/// payment page URL. `None` when the order has no unpaid request.
pub async fn resend_payment_url(
    wix: &WixClient,
    order_id: uuid::Uuid,
) -> Result<Option<Resend>, Box<dyn Error>> {
    println!("step 1: query the UNPAID payment requests of order {order_id}, newest first");
    let unpaid = wix.find_unpaid_for_order(order_id).await?;
    let Some(latest) = unpaid.first() else {
        println!("step 2: order {order_id} has no unpaid payment request; nothing to resend");
        return Ok(None);
    };
    let id = latest.id;
    println!(
        "step 2: found {} unpaid payment request(s); the newest is {id}",
        unpaid.len()
    );
    println!("step 3: get the payment page URL of {id}");
    let url = wix.get_url(id).await?;
    println!("step 4: resend this payment link to the customer: {url}");
    Ok(Some(Resend {
        unpaid: unpaid.len(),
        id,
        url,
    }))
}

async fn run() -> Result<(), Box<dyn Error>> {
    let target = connect().await?;
    let order_id = order_id(&target)?;
    if target.emulator.is_some() {
        seed_emulator(&target.wix, order_id).await?;
    }
    resend_payment_url(&target.wix, order_id).await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
