//! The `wix-opr` binary: see the crate documentation of `wix_opr`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(wix_opr::app::run(std::env::args_os().collect()))
}
