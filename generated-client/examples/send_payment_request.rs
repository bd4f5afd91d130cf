//! Sample flow "Send a payment request for an order balance": create an order payment request
//! with a unique `source.externalId`, then print the payment page URL to send to the customer.
//!
//! One command, against an emulator started inside the example (when neither `WIX_API_KEY`
//! nor `WIX_APP_ID` is set):
//!
//! ```text
//! cargo run -p wix-order-payment-requests --example send_payment_request
//! ```
//!
//! Against Wix: set `WIX_API_KEY`, `WIX_SITE_ID` (or `WIX_ACCOUNT_ID`) and `WIX_ORDER_ID` (an
//! order of that site); `WIX_BASE_URL` defaults to `https://www.wixapis.com`. An app can set
//! `WIX_APP_ID`, `WIX_APP_SECRET` and `WIX_INSTANCE_ID` instead of the API key. Optional:
//! `WIX_AMOUNT` (default `15.50`), `WIX_EXTERNAL_ID` (default a new unique id).

use std::error::Error;

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::wix_client::DEFAULT_BASE_URL;
use wix_order_payment_requests::{types, Amount, ClientBuilder, WixClient};

/// An order of the emulator's fixture, used when `WIX_ORDER_ID` is not set.
pub const EMULATOR_ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";
/// The site the example acts on in the emulator.
pub const EMULATOR_SITE_ID: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";

/// A client and, when it talks to one, the emulator it talks to (stopped when dropped).
pub struct Target {
    /// The client.
    pub wix: WixClient,
    /// The in-process emulator, if the example started one.
    pub emulator: Option<Emulator>,
}

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
    /// Its payment page URL, when the site has a payment page.
    pub url: Option<String>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A client of `emulator`, with a placeholder API key (the emulator accepts any).
pub fn emulator_client(emulator: &Emulator) -> Result<WixClient, Box<dyn Error>> {
    Ok(WixClient::builder()
        .base_url(emulator.base_url())
        .api_key("emulator-api-key")
        .site_id(EMULATOR_SITE_ID)
        .build()?)
}

/// Wix when credentials are set in the environment, else a new in-process emulator.
pub async fn connect() -> Result<Target, Box<dyn Error>> {
    if var("WIX_API_KEY").is_none() && var("WIX_APP_ID").is_none() {
        let emulator = Emulator::start().await?;
        println!(
            "WIX_API_KEY is not set: using a local emulator started at {}",
            emulator.base_url()
        );
        let wix = emulator_client(&emulator)?;
        return Ok(Target {
            wix,
            emulator: Some(emulator),
        });
    }
    if var("WIX_API_KEY").is_some()
        && var("WIX_SITE_ID").is_none()
        && var("WIX_ACCOUNT_ID").is_none()
    {
        return Err("WIX_API_KEY is set: also set WIX_SITE_ID (or WIX_ACCOUNT_ID)".into());
    }
    let base = var("WIX_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    println!("using the API at {base}");
    Ok(Target {
        wix: ClientBuilder::from_env().build()?,
        emulator: None,
    })
}

/// The inputs from the environment; `WIX_ORDER_ID` is required against Wix.
pub fn inputs(target: &Target) -> Result<Inputs, Box<dyn Error>> {
    let order_id = match (var("WIX_ORDER_ID"), &target.emulator) {
        (Some(id), _) => id,
        (None, Some(_)) => EMULATOR_ORDER_ID.to_string(),
        (None, None) => return Err("set WIX_ORDER_ID to an order of the site".into()),
    };
    Ok(Inputs {
        order_id: order_id.parse().map_err(|e| format!("WIX_ORDER_ID: {e}"))?,
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
    let created = wix
        .create(types::OrderPaymentRequest {
            order_id: Some(inputs.order_id),
            amount: Some(types::Price {
                amount: Some(inputs.amount),
                formatted_amount: None,
            }),
            title: Some("Balance Due for Order".parse()?),
            source: Some(types::Source {
                app_id: None,
                external_id: Some(inputs.external_id.parse()?),
            }),
            ..Default::default()
        })
        .await?;

    let request = created.order_payment_request.unwrap_or_default();
    println!(
        "step 2: created order payment request {} with status {}",
        request.id.map(|id| id.to_string()).unwrap_or_default(),
        request
            .status
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_else(|| "?".into()),
    );
    let url = created.order_payment_request_url.map(|u| u.to_string());
    match &url {
        Some(url) => println!("step 3: send this payment link to the customer: {url}"),
        None => {
            println!("step 3: no payment page URL returned (is a Payment Request Page published?)")
        }
    }
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
