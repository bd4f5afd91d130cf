//! The emulator's engine parts that tests and benchmarks drive directly, without HTTP: the
//! store and its records, the query engine, and the spec checks. Not needed to run an emulator.

pub use crate::record::Record;
pub use crate::spec_check::{response_statuses, validate_request, validate_response};
pub use crate::spec_doc::{operation, resolve, spec};
pub use crate::store::Store;
pub use crate::wql::Query;
