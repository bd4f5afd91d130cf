//! What both sample-flow examples share: choosing between Wix (credentials in the environment)
//! and an in-process emulator, and the order to act on.

use std::error::Error;

use wix_opr_emulator::Emulator;
use wix_order_payment_requests::DEFAULT_BASE_URL;
use wix_order_payment_requests::{ClientBuilder, WixClient};

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

/// An environment variable, when set and not empty.
pub fn var(name: &str) -> Option<String> {
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
