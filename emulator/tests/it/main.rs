//! The emulator's tests, in one binary (one link instead of one per file): every documented
//! rule through the generated client over real HTTP, the command line, webhook delivery, and
//! the payment page in a headless browser.

mod common;

mod admin;
mod browser;
mod charge;
mod cli;
mod clock_bounds;
mod concurrency;
mod expiry;
mod faults;
mod http_edges;
mod operations;
mod pages;
mod query;
mod refusals;
mod spec_examples;
mod tenancy;
mod validation;
mod webhook_delivery;
mod webhooks_e2e;
