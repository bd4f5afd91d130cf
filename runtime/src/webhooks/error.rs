//! What can go wrong while verifying and decoding a webhook.

/// Why a webhook body was refused. Each variant names one precise failure; none of them
/// carries key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is larger than the verifier accepts (checked before anything else).
    #[error("webhook body is {size} bytes, more than the limit of {limit} bytes")]
    BodyTooLarge {
        /// Size of the body received.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The body is not a compact JWT (`header.payload.signature`, base64url, JSON header).
    #[error("webhook body is not a JWT: {reason}")]
    NotAJwt {
        /// What is wrong with its shape.
        reason: String,
    },
    /// The JWT header names an algorithm other than `RS256` (for example `none` or `HS256`).
    #[error("webhook JWT uses algorithm `{found}`; only RS256 is accepted")]
    WrongAlgorithm {
        /// The header's `alg`, verbatim (empty when missing).
        found: String,
    },
    /// The JWT header lists critical extensions (`crit`, RFC 7515 §4.1.11); the verifier
    /// supports none, so the token is refused.
    #[error("webhook JWT header lists critical extensions {crit} that are not supported")]
    UnsupportedCritical {
        /// The header's `crit` value, as JSON.
        crit: String,
    },
    /// The signature does not verify with the configured public key.
    #[error("webhook JWT signature does not verify with the app's public key")]
    InvalidSignature,
    /// The PEM key given to the verifier or signer could not be used.
    #[error("invalid RSA key: {reason}")]
    InvalidKey {
        /// Why the key was refused.
        reason: String,
    },
    /// `exp` is in the past, beyond the leeway.
    #[error("webhook JWT expired at {exp} (now {now}, leeway {leeway_secs} s)")]
    Expired {
        /// The `exp` claim, seconds since the Unix epoch.
        exp: i64,
        /// The verifier's clock, seconds since the Unix epoch.
        now: i64,
        /// The leeway applied, in seconds.
        leeway_secs: u64,
    },
    /// `iat` is in the future, beyond the leeway.
    #[error("webhook JWT issued in the future at {iat} (now {now}, leeway {leeway_secs} s)")]
    NotYetValid {
        /// The `iat` claim, seconds since the Unix epoch.
        iat: i64,
        /// The verifier's clock, seconds since the Unix epoch.
        now: i64,
        /// The leeway applied, in seconds.
        leeway_secs: u64,
    },
    /// `nbf` (not before) is in the future, beyond the leeway.
    #[error("webhook JWT not valid before {nbf} (now {now}, leeway {leeway_secs} s)")]
    NotBefore {
        /// The `nbf` claim, seconds since the Unix epoch.
        nbf: i64,
        /// The verifier's clock, seconds since the Unix epoch.
        now: i64,
        /// The leeway applied, in seconds.
        leeway_secs: u64,
    },
    /// A required member is absent. `path` is dotted from the JWT claims, e.g. `data.data`.
    #[error("webhook payload has no `{path}`")]
    Missing {
        /// Where it was expected.
        path: String,
    },
    /// A member that must hold a JSON string holds something else.
    #[error("webhook payload member `{path}` must be a JSON string, found {found}")]
    NotAString {
        /// Dotted path from the JWT claims, e.g. `data.data`.
        path: String,
        /// The JSON type found instead.
        found: &'static str,
    },
    /// A member does not decode: its text is not JSON, or not of the spec's shape.
    #[error("webhook payload member `{path}` is malformed: {source}")]
    MalformedJson {
        /// Dotted path from the JWT claims, e.g. `data.data.actionEvent.body`.
        path: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// Building or signing a payload failed (encoder side).
    #[error("could not build the webhook payload: {reason}")]
    Encode {
        /// What failed.
        reason: String,
    },
}

impl WebhookError {
    /// The HTTP status a receiver should answer with: `413` for an oversized body, `401` for an
    /// authenticity or freshness failure (bad signature, algorithm or key, unsupported
    /// critical extensions, expired, not yet valid), `400` for anything malformed.
    pub fn http_status(&self) -> u16 {
        match self {
            WebhookError::BodyTooLarge { .. } => 413,
            WebhookError::WrongAlgorithm { .. }
            | WebhookError::UnsupportedCritical { .. }
            | WebhookError::NotBefore { .. }
            | WebhookError::InvalidSignature
            | WebhookError::InvalidKey { .. }
            | WebhookError::Expired { .. }
            | WebhookError::NotYetValid { .. } => 401,
            WebhookError::Encode { .. } => 500,
            _ => 400,
        }
    }
}

/// The JSON type of `value`, for error messages.
pub fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
