//! What every Wix API sends alike: the body of every error response, [`WixError`], with an
//! [`ApplicationError`] (a documented code) or a [`ValidationError`] (one [`FieldViolation`]
//! per offending field); and the claims of a webhook delivery's JWT, [`WebhookJwtClaims`].
//!
//! A spec in this project's conventions declares these schemas under the same names
//! (`WixError`, `WixErrorDetails`, `ApplicationError`, `ValidationError`, `FieldViolation`,
//! `WebhookJwtClaims`);
//! codegen checks that each declares the properties of the type here, and the generated code
//! uses these types in their place.

use serde::{Deserialize, Serialize};

/// Body of every Wix error response. Application errors carry `details.applicationError`,
/// validation errors (HTTP 400) `details.validationError`; other 4xx errors carry only a
/// message, and 5xx bodies are `{"message": "", "details": {}}`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WixError {
    /// Structured error details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<WixErrorDetails>,
    /// Human-readable error message (empty for 5xx errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Structured error details. Holds `applicationError` or `validationError` (or neither).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WixErrorDetails {
    /// The application error, for a documented error code.
    #[serde(
        rename = "applicationError",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_error: Option<ApplicationError>,
    /// The fields that failed validation (HTTP 400).
    #[serde(
        rename = "validationError",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub validation_error: Option<ValidationError>,
}

/// An application error: a documented error code with its description and data. Used in
/// `WixError.details.applicationError` and, for bulk operations, in `itemMetadata.error`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApplicationError {
    /// Error code. The codes each operation can return are listed in its
    /// `x-wix-application-errors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Data related to the error. Free-form.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Description of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The fields of the request that failed validation.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ValidationError {
    /// One entry per violated rule; several may come in one response.
    #[serde(
        rename = "fieldViolations",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub field_violations: Vec<FieldViolation>,
}

/// One violated validation rule.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FieldViolation {
    /// Data about the violation, for example `{"threshold": 20}` for `MAX`.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub data: serde_json::Map<String, serde_json::Value>,
    /// What is wrong with the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Path of the offending field, for example `order.title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Name of a custom validation rule, when one was violated.
    #[serde(rename = "ruleName", default, skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// Name of the violated rule, for example `MAX`, `MIN_LENGTH` or `FORMAT`.
    #[serde(
        rename = "violatedRule",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub violated_rule: Option<String>,
}

/// Claims of the RS256-signed JWT that is the body of a webhook request. Verify the signature
/// with the app's public key before trusting them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WebhookJwtClaims {
    /// The JSON of a `WebhookEnvelope`, as a string.
    pub data: String,
    /// Expiry time, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issued-at time, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

/// Lists the types above once: [`WIRE_TYPES`] (each spec schema name with the type's path) and,
/// with the feature `schemars`, `json_schema` of each.
macro_rules! wire_types {
    ($($name:ident),* $(,)?) => {
        /// The spec's schema names of the types above, with each type's path in this crate:
        /// what codegen puts in their place and checks them against.
        pub const WIRE_TYPES: &[(&str, &str)] = &[
            $((stringify!($name), concat!("::wix_runtime::wire::", stringify!($name))),)*
        ];

        /// The JSON Schema of the type that stands in for the spec schema `name`, for
        /// checking the two alike.
        #[cfg(feature = "schemars")]
        pub fn json_schema(name: &str) -> Option<schemars::schema::RootSchema> {
            match name {
                $(stringify!($name) => Some(schemars::schema_for!($name)),)*
                _ => None,
            }
        }
    };
}

wire_types!(
    WixError,
    WixErrorDetails,
    ApplicationError,
    ValidationError,
    FieldViolation,
    WebhookJwtClaims,
);
