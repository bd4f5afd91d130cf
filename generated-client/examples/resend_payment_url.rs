//! Sample flow "Retrieve and resend a payment URL": find the order's `UNPAID` payment requests
//! with Query, then get the newest one's payment page URL again to resend it.
//!
//! One command, against an emulator started inside the example (when neither `WIX_API_KEY`
//! nor `WIX_APP_ID` is set); the example first creates an unpaid request there to find:
//!
//! ```text
//! cargo run -p wix-order-payment-requests --example resend_payment_url
//! ```
//!
//! Against Wix: set `WIX_API_KEY`, `WIX_SITE_ID` (or `WIX_ACCOUNT_ID`) and `WIX_ORDER_ID`;
//! `WIX_BASE_URL` defaults to `https://www.wixapis.com`. An app can set `WIX_APP_ID`,
//! `WIX_APP_SECRET` and `WIX_INSTANCE_ID` instead of the API key.

use std::error::Error;

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::wix_client::DEFAULT_BASE_URL;
use wix_order_payment_requests::{types, ClientBuilder, WixClient};

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

/// What the flow found.
#[derive(Debug, Clone)]
pub struct Resend {
    /// How many `UNPAID` requests the order has.
    pub unpaid: usize,
    /// The newest one's id.
    pub id: uuid::Uuid,
    /// Its payment page URL, to send again.
    pub url: String,
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

/// The order to look at: `WIX_ORDER_ID`, required against Wix.
pub fn order_id(target: &Target) -> Result<uuid::Uuid, Box<dyn Error>> {
    let id = match (var("WIX_ORDER_ID"), &target.emulator) {
        (Some(id), _) => id,
        (None, Some(_)) => EMULATOR_ORDER_ID.to_string(),
        (None, None) => return Err("set WIX_ORDER_ID to an order of the site".into()),
    };
    Ok(id.parse().map_err(|e| format!("WIX_ORDER_ID: {e}"))?)
}

/// Gives a fresh emulator something to find: an unpaid request for `order_id`.
pub async fn seed_emulator(wix: &WixClient, order_id: uuid::Uuid) -> Result<(), Box<dyn Error>> {
    let created = wix
        .create(types::OrderPaymentRequest {
            order_id: Some(order_id),
            amount: Some(types::Price {
                amount: Some("15.50".parse()?),
                formatted_amount: None,
            }),
            title: Some("Balance Due for Order".parse()?),
            source: Some(types::Source {
                app_id: None,
                external_id: Some(format!("invoice-{}", uuid::Uuid::new_v4()).parse()?),
            }),
            ..Default::default()
        })
        .await?;
    let id = created
        .order_payment_request
        .and_then(|r| r.id)
        .map(|id| id.to_string())
        .unwrap_or_default();
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
    let id = latest.id.ok_or("payment request without id")?;
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
