//! The emulator's engine parts that tests and benchmarks drive directly, without HTTP: the
//! store and its records, the query engine, and the spec checks. Not needed to run an emulator.

pub use crate::domain::record::Record;
pub use crate::domain::store::Store;
pub use crate::spec::check::{response_statuses, validate_request, validate_response};
pub use crate::spec::document::{operation, resolve, spec};
pub use crate::wql::Query;
