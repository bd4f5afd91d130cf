//! One operation of a generated client, as a type: codegen emits a marker per operation
//! (`generated::operations`), so code that handles every operation, or needs an operation's
//! types, names the marker instead of restating its id as a string.

use std::fmt;

use crate::error::ApplicationErrorCode;
use crate::rules::OperationRule;

/// An operation: its variant of the crate's `Operation` enum, its rule (id, method, path,
/// retry class), its request body and answer types, and its error-code enum.
pub trait ApiOperation: 'static {
    /// The generated crate's operation enum (`generated::rules::Operation`).
    type Operation: Copy + fmt::Debug + Send + Sync + 'static;
    /// Its application error codes.
    type Code: ApplicationErrorCode<Operation = Self::Operation>;
    /// Its JSON request body (`()` for an operation without one).
    type Body;
    /// Its success answer.
    type Response;
    /// Its variant.
    const OPERATION: Self::Operation;
    /// Its rule: `operationId`, method, paths, retry class.
    const RULE: &'static OperationRule<Self::Operation>;
}
