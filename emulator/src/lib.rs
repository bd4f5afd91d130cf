//! A local, stateful emulator of the Wix eCommerce Order Payment Requests API.
//!
//! Responses are built from the generated client's `types::*` and requests are checked against
//! the rules of `spec/openapi.yaml`, so the emulator and the client come from the same spec.

pub mod api_error;
pub mod clock;
pub mod faults;
pub mod payment_page;
pub mod spec_check;
pub mod spec_doc;
pub mod webhooks;
pub mod wql;

mod legacy;

pub use legacy::{fixture_orders, router, Emulator, Order};
