//! `cargo xtask <command>`: project automation, in Rust so it runs wherever cargo does.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask generate [--check]
       cargo xtask test [ARGS for cargo test]

  generate          regenerate generated-client/src/generated/ and cli/src/generated/
                    from spec/openapi.yaml
  generate --check  write nothing; fail with a diff if the checked-in code is stale
  test              every test: cargo test --workspace --locked, then the conformance
                    suite (Wix's official JS SDK against the emulator binary; needs npm)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    let result = match args.as_slice() {
        ["generate"] => xtask::generate::run(&root, xtask::generate::Mode::Write),
        ["generate", "--check"] => xtask::generate::run(&root, xtask::generate::Mode::Check),
        ["test", rest @ ..] => xtask::test::run(&root, rest),
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
