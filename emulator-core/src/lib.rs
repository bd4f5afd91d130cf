//! The Wix platform parts of a local API emulator, shared by every API's emulator and knowing
//! none by name.
//!
//! - [`server`]: the HTTP/1.1 connection loop and the layers that give every answer Wix's
//!   shape (request ids, body bounds, error bodies, hyper's own answers), within [`limits`];
//! - [`tenancy`]: which tenant a call acts on, from its context headers; [`tokens`]: the OAuth
//!   access tokens issued;
//! - [`api_error`]: error answers in Wix's shapes (validation, application, auth);
//! - [`spec`]: request and response checks that walk the API's OpenAPI schemas;
//! - [`wql`]: Wix's query language with keyset cursor paging, over any record type;
//! - [`webhooks`]: signed webhook delivery on Wix's retry schedule, with a delivery log and
//!   admin routes, for any API's events;
//! - [`faults`]: deterministic fault injection; [`clock`]: the emulator's movable clock.
//!
//! An API's emulator supplies what is its own through an [`model::ApiModel`] (its spec and
//! generated tables), installed once before it serves, and keeps its domain (records,
//! lifecycle, handlers, pages) beside this crate.

pub mod api_error;
pub mod clock;
pub mod faults;
pub mod limits;
pub mod model;
pub mod server;
pub mod spec;
pub mod tenancy;
pub mod tokens;
pub mod webhooks;
pub mod wql;

/// The model the core's own tests run against: this workspace's spec and generated tables.
#[cfg(test)]
mod test_model {
    use wix_order_payment_requests::generated::rules;

    use crate::model::{ApiModel, PagingBounds};

    pub static MODEL: ApiModel = ApiModel {
        spec_yaml: include_str!("../../spec/openapi.yaml"),
        query_fields: rules::QUERY_FIELDS,
        decimal_ranges: rules::DECIMAL_RANGES,
        paging: PagingBounds {
            max_limit: rules::CURSOR_PAGING_LIMIT_MAXIMUM.value as usize,
            max_cursor_chars: rules::CURSOR_PAGING_CURSOR_MAX_LENGTH.value as usize,
            max_sort_keys: rules::CURSOR_QUERY_SORT_MAX_ITEMS.value as usize,
        },
    };
}
