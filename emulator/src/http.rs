//! The HTTP surface: routes of the API, extractors, the payment pages, OAuth, the admin
//! endpoints, error answers in Wix's shapes, and the connection loop.

pub(crate) mod admin;
pub(crate) mod api;
pub(crate) mod api_error;
pub(crate) mod extract;
pub(crate) mod oauth;
pub(crate) mod pages;
pub(crate) mod payment_page;
pub(crate) mod server;
pub(crate) mod tenancy;
