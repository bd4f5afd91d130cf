//! Sample flow "Retrieve and resend a payment URL": find the order's `UNPAID` payment request
//! with Query, then get its payment page URL again.
//!
//! Against a local emulator (`cargo run -p wix-opr-emulator -- --port 8080` in another shell,
//! after `--example send_payment_request` created one):
//!
//! ```text
//! cargo run -p wix-order-payment-requests --example resend_payment_url
//! ```
//!
//! Against Wix: set `WIX_BASE_URL=https://www.wixapis.com`, `WIX_API_KEY`, `WIX_SITE_ID` and
//! `WIX_ORDER_ID`.

use wix_order_payment_requests::ClientBuilder;

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
    let order_id: uuid::Uuid = var("WIX_ORDER_ID")
        .unwrap_or_else(|| "a931e280-254a-49a7-9641-22ef64c444ae".into())
        .parse()?;

    let unpaid = wix.find_unpaid_for_order(order_id).await?;
    let Some(latest) = unpaid.first() else {
        println!("order {order_id} has no unpaid payment request");
        return Ok(());
    };
    let id = latest.id.ok_or("payment request without id")?;
    let url = wix.get_url(id).await?;
    println!(
        "order {order_id}: {} unpaid payment request(s); resend {url}",
        unpaid.len()
    );
    Ok(())
}
