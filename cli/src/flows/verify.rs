//! `verify-webhook`: verify one delivery (the token, as POSTed) read from stdin with the
//! client's [`WebhookVerifier`] and print its event.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use wix_order_payment_requests::webhooks::WebhookVerifier;

use crate::report::ErrorReport;

/// `verify-webhook`'s flags.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// PEM file with the app's webhook public key
    #[arg(long, value_name = "FILE")]
    public_key: PathBuf,
}

/// The verifier for the PEM public key in `path`.
pub fn verifier(path: &std::path::Path, command: &str) -> Result<WebhookVerifier, ErrorReport> {
    let failed = |message: String| ErrorReport {
        operation: command.into(),
        message: Some(message),
        ..ErrorReport::default()
    };
    let pem =
        std::fs::read(path).map_err(|e| failed(format!("cannot read {}: {e}", path.display())))?;
    WebhookVerifier::from_rsa_pem(&pem).map_err(|e| {
        failed(format!(
            "{} is not a usable public key: {e}",
            path.display()
        ))
    })
}

/// Verifies the token read from `stdin` and returns the event as JSON.
pub fn run(args: &VerifyArgs, stdin: impl Read) -> Result<serde_json::Value, ErrorReport> {
    let verifier = verifier(&args.public_key, "verify-webhook")?;
    let failed = |message: String| ErrorReport {
        operation: "verify-webhook".into(),
        message: Some(message),
        ..ErrorReport::default()
    };
    let mut token = Vec::new();
    let mut stdin = stdin;
    stdin
        .read_to_end(&mut token)
        .map_err(|e| failed(format!("cannot read stdin: {e}")))?;
    let token = token.trim_ascii();
    let event = verifier
        .verify(token)
        .map_err(|e| failed(format!("rejected: {e}")))?;
    serde_json::to_value(&event).map_err(|e| failed(format!("cannot print the event: {e}")))
}
