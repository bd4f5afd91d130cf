#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = wix_order_payment_requests::WixClient::from_env()?;
    let found = client.find_by_external_id(&"invoice-1".parse()?).await?;
    println!("{found:?}");
    Ok(())
}
