//! The `wix-opr` binary, run as a user runs it: golden `--help` and error output, and flows
//! against the in-process emulator over real HTTP.

mod create_once;
mod e2e;
mod golden;
mod inbox_crash;
mod support;
