//! Signature and freshness checks of a webhook JWT, and decoding its claims into an API's
//! typed event ([`FromClaims`]).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

use super::error::{json_type, WebhookError};
use crate::wire::WebhookJwtClaims;

/// Largest body [`WebhookVerifier`] accepts by default: 256 KiB. A real delivery is a few KiB; the limit keeps a hostile sender from making the receiver parse megabytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The PEM labels of an RSA public key: X.509 `SubjectPublicKeyInfo` and PKCS #1.
const PUBLIC_KEY_TAGS: [&str; 2] = ["PUBLIC KEY", "RSA PUBLIC KEY"];

/// Default tolerance for clock skew when checking `exp`, `iat` and `nbf`: 60 seconds.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Where the verifier reads the current time. Replace it in tests to check expiry without
/// sleeping.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl FixedClock {
    /// A clock stopped at `secs` seconds after the Unix epoch.
    pub fn at_unix(secs: u64) -> Self {
        FixedClock(UNIX_EPOCH + Duration::from_secs(secs))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// An API's typed webhook event, decoded from a verified token's claims.
pub trait FromClaims: Sized {
    /// Decodes the claims (the envelope in `data`, and the entity and event bodies in it).
    fn from_claims(claims: &WebhookJwtClaims) -> Result<Self, WebhookError>;
}

/// Verifies webhook bodies with the app's RS256 public key and decodes them into the API's
/// events `E`.
///
/// Cheap to clone and shareable between threads.
pub struct WebhookVerifier<E> {
    key: Arc<ParsedPublicKey>,
    leeway: Duration,
    clock: Arc<dyn Clock>,
    max_body_bytes: usize,
    require_exp: bool,
    event: PhantomData<fn() -> E>,
}

// By hand: a derived impl would ask `E: Clone`, which the verifier never clones.
impl<E> Clone for WebhookVerifier<E> {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            leeway: self.leeway,
            clock: self.clock.clone(),
            max_body_bytes: self.max_body_bytes,
            require_exp: self.require_exp,
            event: PhantomData,
        }
    }
}

impl<E> fmt::Debug for WebhookVerifier<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("algorithm", &"RS256")
            .field("leeway", &self.leeway)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("require_exp", &self.require_exp)
            .finish_non_exhaustive()
    }
}

impl<E> WebhookVerifier<E> {
    /// A verifier for the app's public key, PEM (`-----BEGIN PUBLIC KEY-----` or
    /// `-----BEGIN RSA PUBLIC KEY-----`), as copied from the app dashboard. The key is parsed
    /// once, here: anything but an RSA public key of 2048 to 8192 bits is refused.
    pub fn from_rsa_pem(public_key_pem: &[u8]) -> Result<Self, WebhookError> {
        let invalid = |reason: String| WebhookError::InvalidKey { reason };
        let pem = pem::parse(public_key_pem).map_err(|e| invalid(format!("not PEM: {e}")))?;
        if !PUBLIC_KEY_TAGS.contains(&pem.tag()) {
            return Err(invalid(format!(
                "a PEM `{}`, not a public key (`PUBLIC KEY` or `RSA PUBLIC KEY`)",
                pem.tag()
            )));
        }
        let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, pem.contents())
            .map_err(|e| invalid(format!("not an RSA public key of 2048 to 8192 bits: {e}")))?;
        Ok(Self {
            key: Arc::new(key),
            leeway: DEFAULT_LEEWAY,
            clock: Arc::new(SystemClock),
            max_body_bytes: MAX_BODY_BYTES,
            require_exp: true,
            event: PhantomData,
        })
    }

    /// Sets the tolerance for clock skew applied to `exp`, `iat` and `nbf` (default
    /// [`DEFAULT_LEEWAY`]).
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Replaces the clock (default [`SystemClock`]).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sets the largest body accepted (default [`MAX_BODY_BYTES`]).
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Whether a token without `exp` is refused (default `true`: Wix always sends `exp`, and a
    /// token without it could be replayed forever).
    pub fn require_exp(mut self, require: bool) -> Self {
        self.require_exp = require;
        self
    }

    /// The largest body accepted.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// Verifies `body` (size, shape, algorithm, no critical extensions, signature, `exp`, `iat`,
    /// `nbf`) and returns its claims
    /// without decoding the nested JSON.
    pub fn verify_claims(&self, body: &[u8]) -> Result<WebhookJwtClaims, WebhookError> {
        self.verify_claims_at(body, self.clock.now())
    }

    /// [`verify_claims`](Self::verify_claims) with the token's times checked against `now`.
    fn verify_claims_at(
        &self,
        body: &[u8],
        now: SystemTime,
    ) -> Result<WebhookJwtClaims, WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge {
                size: body.len(),
                limit: self.max_body_bytes,
            });
        }
        let not_a_jwt = |reason: &str| WebhookError::NotAJwt {
            reason: reason.to_string(),
        };
        let token = std::str::from_utf8(body)
            .map_err(|_| not_a_jwt("the body is not UTF-8"))?
            .trim();
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, payload_b64, signature_b64] = parts[..] else {
            return Err(not_a_jwt(&format!(
                "expected 3 dot-separated segments, found {}",
                parts.len()
            )));
        };

        // The algorithm is checked on the raw header, before any key is used, so that `none`,
        // `HS256` and every other algorithm fail with a precise error whatever else is wrong.
        let header: Value = URL_SAFE_NO_PAD
            .decode(header_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| not_a_jwt("the header is not base64url-encoded JSON"))?;
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if alg != "RS256" {
            return Err(WebhookError::WrongAlgorithm {
                found: alg.to_string(),
            });
        }
        // RFC 7515 §4.1.11: a token must be refused when it lists critical extensions the
        // recipient does not understand. This verifier understands none, so any `crit` (also
        // an empty or malformed one, which the RFC forbids producers to send) is refused.
        if let Some(crit) = header.get("crit") {
            return Err(WebhookError::UnsupportedCritical {
                crit: crit.to_string(),
            });
        }

        // A signature segment that is not even base64url cannot verify either.
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| WebhookError::InvalidSignature)?;
        let signed = &token[..header_b64.len() + 1 + payload_b64.len()];
        self.key
            .verify_sig(signed.as_bytes(), &signature)
            .map_err(|_| WebhookError::InvalidSignature)?;

        let claims: Value = decode_payload(payload_b64)?;
        if !claims.is_object() {
            return Err(not_a_jwt("the claims are not a JSON object"));
        }
        match claims.get("data") {
            None | Some(Value::Null) => {
                return Err(WebhookError::Missing {
                    path: "data".into(),
                })
            }
            Some(Value::String(_)) => {}
            Some(other) => {
                return Err(WebhookError::NotAString {
                    path: "data".into(),
                    found: json_type(other),
                })
            }
        }
        // `nbf` (RFC 7519 §4.1.5) is not among the claims Wix documents, but a token that
        // carries it is honoured.
        let not_before: Option<i64> = match claims.get("nbf") {
            None => None,
            Some(nbf) => serde_json::from_value(nbf.clone()).map_err(|source| {
                WebhookError::MalformedJson {
                    path: "nbf".into(),
                    source,
                }
            })?,
        };
        let claims: WebhookJwtClaims =
            serde_json::from_value(claims).map_err(|source| WebhookError::MalformedJson {
                path: "(claims)".into(),
                source,
            })?;
        self.check_times(&claims, not_before, now)?;
        Ok(claims)
    }

    /// Checks `exp`, `iat` and `nbf` against `now`, each with the leeway.
    fn check_times(
        &self,
        claims: &WebhookJwtClaims,
        not_before: Option<i64>,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let now = unix_seconds(now);
        let leeway = i64::try_from(self.leeway.as_secs()).unwrap_or(i64::MAX);
        let leeway_secs = self.leeway.as_secs();
        match claims.exp {
            Some(exp) if now > exp.saturating_add(leeway) => {
                return Err(WebhookError::Expired {
                    exp,
                    now,
                    leeway_secs,
                })
            }
            None if self.require_exp => {
                return Err(WebhookError::Missing { path: "exp".into() });
            }
            _ => {}
        }
        if let Some(iat) = claims.iat {
            if iat > now.saturating_add(leeway) {
                return Err(WebhookError::NotYetValid {
                    iat,
                    now,
                    leeway_secs,
                });
            }
        }
        if let Some(nbf) = not_before {
            if nbf > now.saturating_add(leeway) {
                return Err(WebhookError::NotBefore {
                    nbf,
                    now,
                    leeway_secs,
                });
            }
        }
        Ok(())
    }
}

impl<E: FromClaims> WebhookVerifier<E> {
    /// Verifies `body` and decodes it into a typed event.
    pub fn verify(&self, body: &[u8]) -> Result<E, WebhookError> {
        let claims = self.verify_claims(body)?;
        E::from_claims(&claims)
    }

    /// Verifies `body` as [`verify`](Self::verify) does, but checks `exp`, `iat` and `nbf`
    /// against `received_at` instead of the clock: for a delivery that was verified and
    /// stored when it arrived and is handed on later, such as the bodies `wix-opr listen
    /// --forward-to` forwards with the header `wix-opr-received-at` (Unix seconds). The
    /// signature is checked as always; the time only says the token was fresh when received.
    pub fn verify_at(&self, body: &[u8], received_at: SystemTime) -> Result<E, WebhookError> {
        let claims = self.verify_claims_at(body, received_at)?;
        E::from_claims(&claims)
    }
}

/// Decodes a token that was verified when it was received (an inbox keeps the body as it came):
/// its claims are read and decoded without checking the signature or the times again.
pub fn decode_verified_token<E: FromClaims>(token: &str) -> Result<E, WebhookError> {
    let not_a_jwt = |reason: &str| WebhookError::NotAJwt {
        reason: reason.to_string(),
    };
    let payload_b64 = token
        .trim()
        .split('.')
        .nth(1)
        .ok_or_else(|| not_a_jwt("expected 3 dot-separated segments"))?;
    let claims: WebhookJwtClaims = decode_payload(payload_b64)?;
    E::from_claims(&claims)
}

/// The claims in a token's payload segment (base64url JSON), read as `T`.
fn decode_payload<T: serde::de::DeserializeOwned>(payload_b64: &str) -> Result<T, WebhookError> {
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| WebhookError::NotAJwt {
            reason: "the payload is not base64url".into(),
        })?;
    serde_json::from_slice(&payload).map_err(|source| WebhookError::MalformedJson {
        path: "(claims)".into(),
        source,
    })
}

/// Seconds since the Unix epoch (negative before it).
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}
