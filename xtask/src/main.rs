//! `cargo xtask <command>`: project automation, in Rust so it runs wherever cargo does.

use std::path::Path;
use std::process::ExitCode;

use xtask::upstream::fetch::Version;

const USAGE: &str = "usage: cargo xtask generate [--check]
       cargo xtask test [ARGS for cargo test]
       cargo xtask upstream [--version X | --latest]

  generate          regenerate generated-client/src/generated/ and cli/src/generated/
                    from spec/openapi.yaml
  generate --check  write nothing; fail with a diff if the checked-in code is stale
  test              every test: cargo test --workspace --locked, then the conformance
                    suite (Wix's official JS SDK against the emulator binary; needs npm)
  upstream          compare spec/openapi.yaml with Wix's SDK package for this API (the
                    version pinned in conformance/js/package.json), fetched with npm into
                    the target directory; one line per difference; fails on a difference
                    not listed in spec/upstream-exceptions.yaml, or a stale exception
                    (needs node and npm)
  upstream --version X  the same against version X
  upstream --latest     the same against the newest version on the registry";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    let result = match args.as_slice() {
        ["generate"] => xtask::generate::run(&root, xtask::generate::Mode::Write),
        ["generate", "--check"] => xtask::generate::run(&root, xtask::generate::Mode::Check),
        ["test", rest @ ..] => xtask::test::run(&root, rest),
        ["upstream", rest @ ..] => {
            let version = match rest {
                [] => Version::Pinned,
                ["--latest"] => Version::Latest,
                ["--version", version] => Version::Exact(version.to_string()),
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            };
            return upstream(&root, &version);
        }
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

/// `cargo xtask upstream`: prints the report; fails when the check does.
fn upstream(root: &Path, version: &Version) -> ExitCode {
    match xtask::upstream::run(root, version) {
        Ok(outcome) => {
            print!("{}", outcome.report);
            if outcome.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
