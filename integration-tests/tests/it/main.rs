//! The client against the in-process emulator, in one binary: queries, retries, validation
//! and the sample flows of `examples/`.
//!
//! The chaos run (`tests/emulator_chaos.rs`) is a binary of its own: it installs the process's
//! global tracing subscriber to count the client's calls, which other tests' calls would
//! inflate.

mod emulator_support;

mod emulator_create_once;
mod emulator_examples;
mod emulator_query;
mod emulator_retry;
mod emulator_rules;
mod emulator_validation;
