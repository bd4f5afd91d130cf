//! The error type of every call of a generated client: HTTP status, `X-Wix-Request-Id`, the
//! operation's typed application error code, validation field violations, and the raw body
//! when it is not Wix-shaped. Transport failures are kept apart from errors the API answered
//! with, and a create whose outcome or URL could not be settled says so with its own variant.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use crate::headers::request_id;
use crate::last_response::{Recording, ResponseMeta};
use crate::wire::{ApplicationError, FieldViolation, WixError};
use progenitor_client::ResponseValue;

pub use crate::headers::REQUEST_ID_HEADER;

/// Implemented (by generated code) for each operation's error-code enum.
pub trait ApplicationErrorCode:
    From<String> + Clone + fmt::Debug + fmt::Display + PartialEq + Send + Sync + 'static
{
    /// The generated crate's operation enum (`generated::rules::Operation`).
    type Operation: Copy + fmt::Debug + Send + Sync + 'static;
    /// The API's entity (`info.x-wix-entity`), which [`Error::UrlUnknown`] carries.
    type Entity: fmt::Debug + Send + Sync + 'static;
    /// The operation these codes belong to.
    const OPERATION: Self::Operation;
    /// Its `operationId`.
    const OPERATION_ID: &'static str;
    /// Wix's published description of a documented code.
    fn description(&self) -> Option<&'static str>;
    /// The HTTP status a known code answers with, documented by Wix or inferred (see
    /// [`ApplicationErrorCode::http_status_source`]).
    fn http_status(&self) -> Option<u16>;
    /// Where [`ApplicationErrorCode::http_status`] comes from (the spec's `statusSource`).
    fn http_status_source(&self) -> Option<StatusSource>;
}

/// Where the HTTP status of an application error code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusSource {
    /// Wix's reference page for the operation lists the code with its status.
    Documented,
    /// No Wix source gives the status; the spec infers it (its `statusBasis` says from what).
    Inferred,
}

/// An error response from the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError<C> {
    /// Operation that failed.
    pub operation_id: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// `X-Wix-Request-Id` of the response, for Wix support.
    pub request_id: Option<String>,
    /// Wix's message (empty for 5xx by design).
    pub message: String,
    /// The typed application error code, when the body carried one.
    pub code: Option<C>,
    /// The application error's description and data, when the body carried one.
    pub application_error: Option<ApplicationError>,
    /// Validation failures (HTTP 400), one per offending field.
    pub field_violations: Vec<FieldViolation>,
    /// The body as received when it was not a Wix error body.
    pub raw_body: Option<String>,
    /// The wait the response's `Retry-After` header asked for, if it had one.
    pub retry_after: Option<Duration>,
}

/// What can go wrong with a call. `C` is the operation's application error code enum.
#[derive(Debug, thiserror::Error)]
pub enum Error<C: ApplicationErrorCode> {
    /// The API answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError<C>>),
    /// The request never got an HTTP answer (connection refused, reset, timeout, TLS).
    #[error("{operation_id}: transport error: {source}")]
    Transport {
        /// Operation that failed.
        operation_id: &'static str,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The request was refused before sending: inputs break the spec's constraints. Each
    /// violation names the field with Wix's path (`orderPaymentRequest.title`) and what is
    /// wrong, as the API's own validation errors (HTTP 400, [`Error::Api`] with
    /// [`ApiError::field_violations`]) do. Nothing was sent.
    #[error("{operation_id}: invalid request: {}", violations_line(.violations))]
    InvalidRequest {
        /// Operation that was not called.
        operation_id: &'static str,
        /// One entry per offending field.
        violations: Vec<FieldViolation>,
    },
    /// The call could not be authorized, so nothing was sent: the OAuth access token could not
    /// be obtained, or a credential is not a valid HTTP header value. The message never holds
    /// a secret.
    #[error("{operation_id}: credentials: {message}")]
    Credentials {
        /// Operation that was not called.
        operation_id: &'static str,
        /// What went wrong.
        message: String,
    },
    /// A success status whose body does not decode as the documented response.
    #[error("{operation_id}: HTTP {status} response does not match the spec: {message}{}", request_id_suffix(.request_id))]
    InvalidResponse {
        /// Operation that failed.
        operation_id: &'static str,
        /// HTTP status.
        status: StatusCode,
        /// `X-Wix-Request-Id` of the response.
        request_id: Option<String>,
        /// The decoding error.
        message: String,
        /// The body as received.
        body: Bytes,
    },
    /// The API may or may not have done what was asked, and the client could not find out.
    ///
    /// The last attempt's outcome is unknown (dropped connection, timeout, `500`, `502`,
    /// `503`, `504`) and the lookup that settles it could not run: the request had no
    /// `source.externalId` to look it up by, or the lookup itself failed within the deadline.
    /// Unlike every other error of a create, this one does not mean "not created": look the
    /// request up (a client's `find_by_external_id`) before creating it again.
    #[error("{operation_id}: outcome unknown: it may or may not have taken effect; last attempt: {}; {}", last_attempt(.attempt), unknown_because(.external_id, .lookup))]
    OutcomeUnknown {
        /// Operation whose outcome is unknown.
        operation_id: &'static str,
        /// `source.externalId` of the request, if it had one.
        external_id: Option<String>,
        /// The last attempt's error.
        attempt: Box<Error<C>>,
        /// Why the lookup failed (`None`: there was nothing to look the request up by).
        lookup: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A client's `create_once` sent no create: it could not
    /// take the create lock (shared store unreachable, or the key held by another caller for
    /// longer than the wait), or the lookup by `externalId` that must come first failed.
    /// Nothing was created by this call; calling it again is safe.
    #[error("{operation_id}: nothing was sent: {reason}: {source}")]
    NotSent {
        /// Operation that was not called.
        operation_id: &'static str,
        /// Which step failed: `the create lock could not be taken` or `the lookup by
        /// externalId failed`.
        reason: &'static str,
        /// That step's error: a [`LockError`](crate::create_lock::LockError) or the lookup's
        /// `Error` (of the query operation's codes).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The entity exists (it was created, or found after an attempt whose outcome was
    /// unknown) but its URL (a payment request's payment page) could not be fetched within
    /// the deadline. Do not create it again: fetch the URL (a client's `get_url`).
    #[error("{operation_id}: {entity_id} exists but its URL is unknown: {reason}")]
    UrlUnknown {
        /// Operation that created the entity.
        operation_id: &'static str,
        /// The entity's id.
        entity_id: String,
        /// The entity, as the API returned it.
        entity: Box<C::Entity>,
        /// Why the URL is unknown.
        reason: String,
    },
}

impl<C: ApplicationErrorCode> Error<C> {
    /// The API error, if the API answered with one.
    pub fn api(&self) -> Option<&ApiError<C>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, if a response was received (for an unknown outcome: the last
    /// attempt's).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::InvalidResponse { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::OutcomeUnknown { attempt, .. } => attempt.status(),
            Error::InvalidRequest { .. }
            | Error::Credentials { .. }
            | Error::UrlUnknown { .. }
            | Error::NotSent { .. } => None,
        }
    }

    /// `X-Wix-Request-Id`, if a response was received (for an unknown outcome: the last
    /// attempt's).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::InvalidResponse { request_id, .. } => request_id.as_deref(),
            Error::OutcomeUnknown { attempt, .. } => attempt.request_id(),
            _ => None,
        }
    }

    /// Whether the API may or may not have done what was asked ([`Error::OutcomeUnknown`]).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// The entity that exists although the call failed ([`Error::UrlUnknown`]).
    pub fn existing_entity(&self) -> Option<&C::Entity> {
        match self {
            Error::UrlUnknown { entity, .. } => Some(entity),
            _ => None,
        }
    }

    /// Field violations: the API's (HTTP 400) or the client-side validator's.
    pub fn field_violations(&self) -> &[FieldViolation] {
        match self {
            Error::Api(e) => &e.field_violations,
            Error::InvalidRequest { violations, .. } => violations,
            _ => &[],
        }
    }

    /// Whether the request never got an HTTP answer. From a client's `create` this means
    /// nothing was created (an unsettled outcome is [`Error::OutcomeUnknown`]); from other
    /// writes, their outcome is unknown.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The same error for another operation's code type, keeping everything but the code.
    pub fn map_code<D>(self, f: impl FnOnce(C) -> D) -> Error<D>
    where
        D: ApplicationErrorCode<Entity = C::Entity>,
    {
        match self {
            Error::Api(e) => {
                let e = *e;
                Error::Api(Box::new(ApiError {
                    operation_id: e.operation_id,
                    status: e.status,
                    request_id: e.request_id,
                    message: e.message,
                    code: e.code.map(f),
                    application_error: e.application_error,
                    field_violations: e.field_violations,
                    raw_body: e.raw_body,
                    retry_after: e.retry_after,
                }))
            }
            Error::Transport {
                operation_id,
                source,
            } => Error::Transport {
                operation_id,
                source,
            },
            Error::InvalidRequest {
                operation_id,
                violations,
            } => Error::InvalidRequest {
                operation_id,
                violations,
            },
            Error::Credentials {
                operation_id,
                message,
            } => Error::Credentials {
                operation_id,
                message,
            },
            Error::InvalidResponse {
                operation_id,
                status,
                request_id,
                message,
                body,
            } => Error::InvalidResponse {
                operation_id,
                status,
                request_id,
                message,
                body,
            },
            Error::OutcomeUnknown {
                operation_id,
                external_id,
                attempt,
                lookup,
            } => Error::OutcomeUnknown {
                operation_id,
                external_id,
                attempt: Box::new(attempt.map_code(f)),
                lookup,
            },
            Error::UrlUnknown {
                operation_id,
                entity_id,
                entity,
                reason,
            } => Error::UrlUnknown {
                operation_id,
                entity_id,
                entity,
                reason,
            },
            Error::NotSent {
                operation_id,
                reason,
                source,
            } => Error::NotSent {
                operation_id,
                reason,
                source,
            },
        }
    }

    /// The typed application error code, if the API sent one.
    pub fn code(&self) -> Option<&C> {
        self.api().and_then(|e| e.code.as_ref())
    }

    /// The wait the API asked for with `Retry-After` (seconds or an HTTP date), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|e| e.retry_after)
    }
}

fn violations_line(violations: &[FieldViolation]) -> String {
    violations
        .iter()
        .map(|v| {
            let description = v.description.as_deref().unwrap_or("invalid");
            match v.field.as_deref() {
                Some(field) => format!("{field}: {description}"),
                None => description.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The last attempt's error as text (through a function, so that the `Display` of `Error<C>`
/// does not require itself).
fn last_attempt<C: ApplicationErrorCode>(attempt: &Error<C>) -> String
where
    Error<C>: fmt::Display,
{
    attempt.to_string()
}

/// Why an unknown outcome could not be settled.
fn unknown_because(
    external_id: &Option<String>,
    lookup: &Option<Box<dyn std::error::Error + Send + Sync>>,
) -> String {
    match (external_id, lookup) {
        (None, _) => "no source.externalId to look it up by".to_string(),
        (Some(id), Some(lookup)) => format!("looking up externalId {id:?} failed: {lookup}"),
        (Some(id), None) => format!("externalId {id:?} was not looked up"),
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

impl<C: fmt::Display> fmt::Display for ApiError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation_id, self.status.as_u16())?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        let description = self
            .application_error
            .as_ref()
            .and_then(|a| a.description.as_deref())
            .filter(|d| !d.is_empty());
        match (description, self.message.is_empty()) {
            (Some(d), _) => write!(f, ": {d}")?,
            (None, false) => write!(f, ": {}", self.message)?,
            (None, true) => {}
        }
        for v in &self.field_violations {
            write!(
                f,
                "; {}: {}",
                v.field.as_deref().unwrap_or("?"),
                v.description.as_deref().unwrap_or("invalid")
            )?;
        }
        if let Some(body) = &self.raw_body {
            let shown: String = body.chars().take(200).collect();
            write!(f, ": {}", shown.replace('\n', " "))?;
        }
        write!(f, "{}", request_id_suffix(&self.request_id))
    }
}

/// Runs a generated `send()` future and converts its error into [`Error<C>`]. Used by the
/// generated `send()` methods.
///
/// The `send()` future is moved to the heap once, here: it is large (hooks, retry engine,
/// decoding), and every future that awaits the call would otherwise hold a copy of it and
/// move it whenever it is created.
pub fn send_typed<T, C, F>(send: F) -> impl Future<Output = Result<ResponseValue<T>, Error<C>>>
where
    T: serde::de::DeserializeOwned,
    C: ApplicationErrorCode,
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<WixError>>>,
{
    let mut call = Recording::new(Box::pin(send));
    async move {
        // The answer and the error stay inside the match, so that no copy of them is kept
        // across the conversion's await; the conversion is boxed, as only a failure needs it.
        let converting = match (&mut call).await {
            Ok(value) => return Ok(value),
            Err(error) => Box::pin(convert(error, call.take_last())),
        };
        Err(with_decode_path::<T, C>(converting.await))
    }
}

/// Names the member a success body breaks the spec at: the decoder's message with its path from
/// the body's root, such as `orderPaymentRequest: missing field `id``.
fn with_decode_path<T: serde::de::DeserializeOwned, C: ApplicationErrorCode>(
    error: Error<C>,
) -> Error<C> {
    match error {
        Error::InvalidResponse {
            operation_id,
            status,
            request_id,
            message,
            body,
        } if status.is_success() => {
            let message = decode_failure::<T>(&body).unwrap_or(message);
            Error::InvalidResponse {
                operation_id,
                status,
                request_id,
                message,
                body,
            }
        }
        other => other,
    }
}

/// Why `body` does not decode as `T`, with the failing member's path; `None` when it does.
fn decode_failure<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<String> {
    let mut decoder = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, T>(&mut decoder).err()?;
    let path = error.path().to_string();
    let inner = error.into_inner();
    Some(if path.is_empty() || path == "." {
        inner.to_string()
    } else {
        format!("{path}: {inner}")
    })
}

async fn convert<C: ApplicationErrorCode>(
    error: progenitor_client::Error<WixError>,
    meta: Option<ResponseMeta>,
) -> Error<C> {
    use progenitor_client::Error as P;
    let operation_id = C::OPERATION_ID;
    match error {
        P::ErrorResponse(response) => {
            let status = response.status();
            let request_id = request_id(response.headers());
            let retry_after = crate::retry::retry_after(response.headers());
            let mut api = from_wix_error(operation_id, status, request_id, response.into_inner());
            api.retry_after = retry_after;
            Error::Api(Box::new(api))
        }
        P::InvalidResponsePayload(body, decode_error) => match meta {
            Some(meta) if !meta.status.is_success() => {
                let request_id = meta.request_id_text();
                let mut api = from_body(operation_id, meta.status, request_id, &body);
                api.retry_after = meta.retry_after;
                Error::Api(Box::new(api))
            }
            meta => Error::InvalidResponse {
                operation_id,
                status: meta.as_ref().map_or(StatusCode::OK, |m| m.status),
                request_id: meta.and_then(|m| m.request_id_text()),
                message: decode_error.to_string(),
                body,
            },
        },
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let request_id = request_id(response.headers());
            let retry_after = crate::retry::retry_after(response.headers());
            match response.bytes().await {
                Ok(body) if status.is_success() => Error::InvalidResponse {
                    operation_id,
                    status,
                    request_id,
                    message: "undocumented success status".to_string(),
                    body,
                },
                Ok(body) => {
                    let mut api = from_body(operation_id, status, request_id, &body);
                    api.retry_after = retry_after;
                    Error::Api(Box::new(api))
                }
                Err(source) => Error::Transport {
                    operation_id,
                    source,
                },
            }
        }
        P::CommunicationError(source)
        | P::ResponseBodyError(source)
        | P::InvalidUpgrade(source) => Error::Transport {
            operation_id,
            source,
        },
        P::InvalidRequest(message) => Error::InvalidRequest {
            operation_id,
            violations: vec![conversion_violation(message)],
        },
        // The hooks' errors: the credentials could not be put on the request.
        P::Custom(message) => Error::Credentials {
            operation_id,
            message,
        },
    }
}

/// A generated type's conversion error (`orderPaymentRequest.title: must have at least 1
/// character`, worded so by codegen's `conversion_errors` pass) as a field violation: the
/// field path before the first `": "`, the rule after it. A message without a field path is
/// kept whole as the description.
fn conversion_violation(message: String) -> FieldViolation {
    let (field, description) = match message.split_once(": ") {
        Some((field, rule)) if !field.is_empty() && !field.contains(char::is_whitespace) => {
            (Some(field.to_string()), rule.to_string())
        }
        _ => (None, message),
    };
    FieldViolation {
        field,
        description: Some(description),
        ..Default::default()
    }
}

/// An error body that may or may not be Wix-shaped.
fn from_body<C: ApplicationErrorCode>(
    operation_id: &'static str,
    status: StatusCode,
    request_id: Option<String>,
    body: &[u8],
) -> ApiError<C> {
    match serde_json::from_slice::<WixError>(body) {
        Ok(wix) => from_wix_error(operation_id, status, request_id, wix),
        Err(_) => ApiError {
            operation_id,
            status,
            request_id,
            message: String::new(),
            code: None,
            application_error: None,
            field_violations: Vec::new(),
            raw_body: Some(String::from_utf8_lossy(body).into_owned()),
            retry_after: None,
        },
    }
}

fn from_wix_error<C: ApplicationErrorCode>(
    operation_id: &'static str,
    status: StatusCode,
    request_id: Option<String>,
    wix: WixError,
) -> ApiError<C> {
    let details = wix.details.unwrap_or_default();
    let application_error = details.application_error;
    let code = application_error
        .as_ref()
        .and_then(|a| a.code.clone())
        .map(C::from);
    ApiError {
        operation_id,
        status,
        request_id,
        message: wix.message.unwrap_or_default(),
        code,
        application_error,
        field_violations: details
            .validation_error
            .map(|v| v.field_violations)
            .unwrap_or_default(),
        raw_body: None,
        retry_after: None,
    }
}
