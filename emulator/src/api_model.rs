//! This API as the platform core needs to know it: the spec and the generated tables, installed
//! once per process before the emulator serves.

use wix_emulator_core::model::{self, ApiModel, ModelError, OperationAt, PagingBounds};
use wix_order_payment_requests::generated::rules;

/// The spec the client is generated from, compiled in, with the generated tables.
static MODEL: ApiModel = ApiModel {
    spec_yaml: include_str!("../../spec/openapi.yaml"),
    query_fields: rules::QUERY_FIELDS,
    decimal_ranges: rules::DECIMAL_RANGES,
    paging: PagingBounds {
        max_limit: rules::CURSOR_PAGING_LIMIT_MAXIMUM.value as usize,
        max_cursor_chars: rules::CURSOR_PAGING_CURSOR_MAX_LENGTH.value as usize,
        max_sort_keys: rules::CURSOR_QUERY_SORT_MAX_ITEMS.value as usize,
    },
};

/// Installs this API's model (a no-op once done). Fails when the compiled-in spec lacks an
/// operation of the generated rule table, or has it at another method or path.
pub(crate) fn install() -> Result<(), ModelError> {
    model::install(
        &MODEL,
        rules::OPERATIONS.iter().map(|op| OperationAt {
            operation_id: op.operation_id,
            method: op.method,
            path: op.path,
        }),
    )
}
