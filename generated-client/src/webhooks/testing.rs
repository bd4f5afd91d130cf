//! Helpers for tests: signing fixtures with a throwaway key and forging broken tokens.
//!
//! [`WebhookSigner`] signs a real delivery with any PEM private key; use a
//! key generated for tests, never the app's. The functions here build tokens a verifier must
//! refuse.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use super::WebhookError;
use wix_runtime::webhooks::WebhookSigner;

/// A signer for a throwaway PEM private key (same as
/// [`WebhookSigner::from_rsa_pem`], named for readability in tests).
pub fn test_signer(private_key_pem: &[u8]) -> Result<WebhookSigner, WebhookError> {
    WebhookSigner::from_rsa_pem(private_key_pem)
}

/// A compact JWT with the given header and claims and `signature` as its raw signature bytes.
/// Nothing is signed: use it for `alg: none` and other forgeries.
pub fn forge_token(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// A compact JWT with the given header and claims, really signed RS256 with
/// `private_key_pem`: a token whose signature verifies but whose header the verifier must
/// refuse (for example one with `crit`). The header is used as given, even without `alg`.
pub fn sign_with_header(
    private_key_pem: &[u8],
    header: &Value,
    claims: &Value,
) -> Result<String, WebhookError> {
    WebhookSigner::from_rsa_pem(private_key_pem)?.sign_with_header(header, claims)
}

/// The claims of a compact JWT, decoded without any check.
pub fn peek_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// `token` with its claims replaced by `claims` and its signature kept: a tampered payload.
pub fn tamper_claims(token: &str, claims: &Value) -> String {
    let mut parts = token.splitn(3, '.');
    let header = parts.next().unwrap_or_default();
    let _ = parts.next();
    let signature = parts.next().unwrap_or_default();
    format!(
        "{header}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}
