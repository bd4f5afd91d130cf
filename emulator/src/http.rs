//! This API's HTTP surface: its routes, extractors, the payment pages, the OAuth token
//! endpoint and the admin endpoints. Error answers and the connection loop are
//! `wix_emulator_core`'s.

pub(crate) mod admin;
pub(crate) mod api;
pub(crate) mod extract;
pub(crate) mod oauth;
pub(crate) mod pages;
pub(crate) mod payment_page;
