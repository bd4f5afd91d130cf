//! Sample flow "Send a payment request for an order balance": create an order payment request
//! with a unique `source.externalId`, then print the payment page URL to send to the customer.
//!
//! Against a local emulator (`cargo run -p wix-opr-emulator -- --port 8080` in another shell):
//!
//! ```text
//! cargo run -p wix-order-payment-requests --example send_payment_request
//! ```
//!
//! Against Wix: set `WIX_BASE_URL=https://www.wixapis.com`, `WIX_API_KEY`, `WIX_SITE_ID` and
//! `WIX_ORDER_ID` (an order of that site). Optional: `WIX_AMOUNT` (default `15.50`),
//! `WIX_EXTERNAL_ID` (default a new unique id).

use wix_order_payment_requests::{types, ClientBuilder};

/// The local emulator's address, used when `WIX_BASE_URL` is not set.
const LOCAL: &str = "http://127.0.0.1:8080";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = ClientBuilder::from_env();
    if var("WIX_BASE_URL").is_none() {
        builder = builder.base_url(LOCAL);
    }
    if var("WIX_API_KEY").is_none() && var("WIX_APP_ID").is_none() {
        // The emulator accepts any key; Wix needs a real one.
        builder = builder.api_key("emulator-api-key");
        if var("WIX_SITE_ID").is_none() && var("WIX_ACCOUNT_ID").is_none() {
            builder = builder.site_id("5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b");
        }
    }
    let wix = builder.build()?;

    let order_id =
        var("WIX_ORDER_ID").unwrap_or_else(|| "a931e280-254a-49a7-9641-22ef64c444ae".into());
    let amount = var("WIX_AMOUNT").unwrap_or_else(|| "15.50".into());
    let external_id =
        var("WIX_EXTERNAL_ID").unwrap_or_else(|| format!("invoice-{}", uuid::Uuid::new_v4()));

    let created = wix
        .create(types::OrderPaymentRequest {
            order_id: Some(order_id.parse()?),
            amount: Some(types::Price {
                amount: Some(amount.parse()?),
                formatted_amount: None,
            }),
            title: Some("Balance Due for Order".parse()?),
            source: Some(types::Source {
                app_id: None,
                external_id: Some(external_id.parse()?),
            }),
            ..Default::default()
        })
        .await?;

    let request = created.order_payment_request.unwrap_or_default();
    println!(
        "created order payment request {} ({:?}) for {} with externalId {external_id}",
        request.id.map(|id| id.to_string()).unwrap_or_default(),
        request.status,
        request
            .amount
            .and_then(|a| a.amount)
            .map(|a| a.to_string())
            .unwrap_or_default(),
    );
    match created.order_payment_request_url {
        Some(url) => println!("send this payment link to the customer: {}", *url),
        None => println!("no payment page URL returned (is a Payment Request Page published?)"),
    }
    Ok(())
}
