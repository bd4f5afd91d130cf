//! The emulator's engine parts that tests and benchmarks drive directly, without HTTP: the
//! store and its records, the query engine, and the spec checks. Not needed to run an emulator.
//!
//! The spec functions here install this API's model in the platform core first. The query
//! engine reads the model too: call [`install_model`] once before [`Query::parse`] outside a
//! started emulator.

use serde_json::Value;
use wix_emulator_core::api_error::Violation;
use wix_emulator_core::spec::{check, document};

pub use crate::domain::record::Record;
pub use crate::domain::store::Store;
pub use wix_emulator_core::wql::Query;

/// Installs this API's model in the platform core, as starting an emulator does (a no-op
/// once done).
///
/// # Panics
/// When the compiled-in spec and the generated rule table disagree, which the emulator's own
/// tests rule out.
pub fn install_model() {
    if let Err(e) = crate::api_model::install() {
        panic!("this API's model does not install: {e}");
    }
}

/// The spec as JSON.
pub fn spec() -> &'static Value {
    install_model();
    document::spec()
}

/// Follows a `$ref` of the spec to its target; other values are returned as is.
pub fn resolve(value: &'static Value) -> &'static Value {
    install_model();
    document::resolve(value)
}

/// The operation with the given `operationId`: its method, path and operation object.
pub fn operation(operation_id: &str) -> Option<(&'static str, &'static str, &'static Value)> {
    install_model();
    document::operation(operation_id)
}

/// Every violation of the operation's request body schema (see
/// [`wix_emulator_core::spec::check::validate_request`]).
pub fn validate_request(operation_id: &str, body: &Value) -> Vec<Violation> {
    install_model();
    check::validate_request(operation_id, body)
}

/// Violations of a response body against the operation's response schema for `status`.
pub fn validate_response(operation_id: &str, status: u16, body: &Value) -> Vec<Violation> {
    install_model();
    check::validate_response(operation_id, status, body)
}

/// The statuses the spec lists for an operation's responses.
pub fn response_statuses(operation_id: &str) -> Vec<&'static str> {
    install_model();
    check::response_statuses(operation_id)
}
