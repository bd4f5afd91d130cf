//! Tests and examples that need both the client (`wix-order-payment-requests`) and the emulator
//! (`wix-opr-emulator`). The emulator depends on the client, so these live in a crate of their
//! own rather than as tests of the client: no crate depends on the other only for its tests.
//!
//! - `tests/it/`: one test binary, one module per subject: the client against the emulator
//!   (`emulator_query`, `emulator_retry`, `emulator_validation`) and the sample flows of the
//!   examples (`emulator_examples`).
//! - `tests/emulator_chaos.rs`: the chaos run, in a binary of its own (it counts every call of
//!   its process through a global tracing subscriber).
//! - `examples/`: the sample flows, against Wix when credentials are set and against an
//!   in-process emulator otherwise (`send_payment_url`, `resend_payment_url`).
//!
//! The library itself is empty.
