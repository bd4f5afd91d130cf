//! The docs' sample flow "Send a payment request for an order balance", end to end against the
//! in-process emulator: create, save the URL, send it, pay on the page, get → PAID.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{types, Client, ClientContext, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start().await?;
    println!("1. emulator listening on {}", emu.base_url());
    let client = Client::new(
        &emu.base_url(),
        ClientContext::new(Credentials::api_key_for_site(
            "demo-key",
            "6b4c1e2a-0000-4000-8000-000000000001",
        )),
    );
    let external_id = uuid::Uuid::new_v4().to_string();
    let body: types::CreateOrderPaymentRequestRequest = serde_json::from_value(json!({
        "orderPaymentRequest": {
            "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
            "amount": {"amount": "15.50"},
            "title": "Balance Due for Order #10052",
            "description": "Remaining balance for your recent purchase",
            "source": {"appId": "6b4c1e2a-0000-4000-8000-0000000000aa", "externalId": external_id}
        }
    }))?;
    let created = client
        .create_order_payment_request()
        .body(body)
        .send_typed()
        .await?
        .into_inner();
    let opr = created.order_payment_request.ok_or("no payment request")?;
    let id = opr.id.ok_or("no id")?;
    println!(
        "2. created {id}: status {:?}, amount {:?}",
        opr.status,
        opr.amount.and_then(|a| a.formatted_amount)
    );
    let url = created
        .order_payment_request_url
        .ok_or("no url")?
        .to_string();
    println!("3. saved payment page URL {url} for externalId {external_id}");
    println!("4. sending to the customer: \"Please pay the balance of order #10052: {url}\"");
    let host = emu.base_url().trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&host).await?;
    s.write_all(format!("POST /_emulator/pay/{id} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut out = String::new();
    s.read_to_string(&mut out).await?;
    println!(
        "5. customer paid on the payment page: {}",
        out.lines().next().unwrap_or("")
    );
    let got = client
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send_typed()
        .await?
        .into_inner();
    println!(
        "6. get → status {:?}",
        got.order_payment_request.and_then(|o| o.status)
    );
    Ok(())
}
