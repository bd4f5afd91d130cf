use wix_order_payment_requests::webhooks::WebhookVerifier;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = wix_order_payment_requests::WixClient::from_env()?;
    let found = client.find_by_external_id(&"invoice-1".parse()?).await?;
    println!("{found:?}");
    let verifier = WebhookVerifier::from_rsa_pem(&std::fs::read("wix_app_public_key.pem")?)?;
    let event = verifier.verify(&std::fs::read("body.jwt")?)?;
    println!("{event:?}");
    Ok(())
}
