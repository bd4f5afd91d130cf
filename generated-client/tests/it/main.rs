//! The client's tests, in one binary (one link instead of one per file): every operation over
//! real HTTP against a local server that records requests and replays scripted answers
//! (`support`), and the webhook verifier against tokens signed at test time.
//!
//! `client_tracing` is a binary of its own: tracing caches per-callsite interest process-wide,
//! so its span test must not race other tests' calls. Tests that also need the emulator live
//! in the `integration-tests` crate.

mod client_common;
mod support;

mod client_auth;
mod client_create;
mod client_flows;
mod client_query;
mod client_retry;
mod conversion;
mod create_lock;
mod errors;
mod inbox;
mod inbox_store;
mod webhooks;
mod webhooks_receiver;
mod webhooks_wix_examples;
mod wire;
