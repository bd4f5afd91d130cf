//! Signing webhook deliveries as Wix signs them: RS256 JWTs over a [`WebhookJwtClaims`], with
//! a PEM private key (feature `signer`). What tests and emulators use to play Wix's side;
//! receivers verify with [`WebhookVerifier`](super::WebhookVerifier).

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER;
use jsonwebtoken::{Algorithm, EncodingKey};

use super::WebhookError;
use crate::wire::WebhookJwtClaims;

/// An event a [`WebhookSigner`] can sign, with what a delivery log records of it. A generated
/// client's event payload implements it.
pub trait SignableEvent {
    /// The JWT claims of a delivery issued at `issued_at`, expiring `ttl` later.
    fn claims(
        &self,
        issued_at: SystemTime,
        ttl: Duration,
    ) -> Result<WebhookJwtClaims, WebhookError>;
    /// The event's id (`DomainEvent.id`).
    fn event_id(&self) -> &str;
    /// The event type, as the envelope's `eventType` spells it.
    fn event_type(&self) -> &str;
    /// The id of the entity the event is about (`DomainEvent.entityId`), if any.
    fn entity_id(&self) -> Option<&str>;
}

/// Signs webhook claims RS256 with a PEM private key. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct WebhookSigner {
    key: EncodingKey,
    kid: Option<String>,
    ttl: Duration,
}

impl fmt::Debug for WebhookSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSigner")
            .field("key", &"<redacted>")
            .field("kid", &self.kid)
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl WebhookSigner {
    /// Default lifetime of a signed token (`exp - iat`): 5 minutes.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(300);

    /// A signer for an RSA private key, PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`).
    pub fn from_rsa_pem(private_key_pem: &[u8]) -> Result<Self, WebhookError> {
        let key =
            EncodingKey::from_rsa_pem(private_key_pem).map_err(|e| WebhookError::InvalidKey {
                reason: e.to_string(),
            })?;
        // `EncodingKey` accepts any PEM it can parse; a test signature proves it is a private
        // RSA key now rather than at the first delivery.
        let signer = Self {
            key,
            kid: None,
            ttl: Self::DEFAULT_TTL,
        };
        signer
            .sign_json(&serde_json::Value::Null)
            .map_err(|e| WebhookError::InvalidKey {
                reason: format!("not a usable RSA private key ({e})"),
            })?;
        Ok(signer)
    }

    /// Sets the header's `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets the lifetime of the tokens [`WebhookSigner::sign_event`] makes.
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Builds the claims of `event` (issued at `now`) and signs them: the webhook body.
    pub fn sign_event<E: SignableEvent + ?Sized>(
        &self,
        event: &E,
        now: SystemTime,
    ) -> Result<String, WebhookError> {
        self.sign_claims(&event.claims(now, self.ttl)?)
    }

    /// Signs `claims` as they are.
    pub fn sign_claims(&self, claims: &WebhookJwtClaims) -> Result<String, WebhookError> {
        self.sign_json(&serde_json::to_value(claims).map_err(encode_error)?)
    }

    /// Signs any JSON value as the claims (for tests of malformed payloads).
    pub fn sign_json(&self, claims: &serde_json::Value) -> Result<String, WebhookError> {
        let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = &self.kid {
            header["kid"] = serde_json::Value::String(kid.clone());
        }
        self.sign_with_header(&header, claims)
    }

    /// Signs `claims` RS256 under `header` used as given, even one without `alg` or with
    /// `crit` (for tests of tokens whose signature verifies but whose header must be refused).
    pub fn sign_with_header(
        &self,
        header: &serde_json::Value,
        claims: &serde_json::Value,
    ) -> Result<String, WebhookError> {
        let message = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(encode_error)?),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(encode_error)?)
        );
        let signer =
            (DEFAULT_PROVIDER.signer_factory)(&Algorithm::RS256, &self.key).map_err(|e| {
                WebhookError::InvalidKey {
                    reason: e.to_string(),
                }
            })?;
        let signature = signer
            .try_sign(message.as_bytes())
            .map_err(|e| WebhookError::Encode {
                reason: format!("signing failed: {e}"),
            })?;
        Ok(format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

fn encode_error(e: serde_json::Error) -> WebhookError {
    WebhookError::Encode {
        reason: e.to_string(),
    }
}
