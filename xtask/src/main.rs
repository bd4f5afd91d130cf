//! `cargo xtask <command>`: project automation, in Rust so it runs wherever cargo does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::upstream::fetch::Version;

const USAGE: &str = "usage: cargo xtask generate [--check] [--spec FILE --out DIR [--runtime DEP]]
       cargo xtask test [ARGS for cargo test]
       cargo xtask upstream [--version X | --latest]

  generate          regenerate generated-client/src/generated/ and cli/src/generated/
                    from spec/openapi.yaml
  generate --check  write nothing; fail with a diff if the checked-in code is stale
  generate --out DIR [--spec FILE] [--runtime DEP]
                    write a complete client crate (Cargo.toml, src/) for the spec FILE
                    (default spec/openapi.yaml) into DIR; its wix-runtime dependency is
                    DEP (a TOML value, default this workspace's runtime/ by path); with
                    --check, compare with the crate in DIR instead
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
        ["generate", rest @ ..] => match GenerateArgs::parse(rest) {
            Some(args) => args.run(&root),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
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

/// The arguments of `cargo xtask generate`.
#[derive(Debug, Default, PartialEq)]
struct GenerateArgs<'a> {
    check: bool,
    spec: Option<&'a str>,
    out: Option<&'a str>,
    runtime: Option<&'a str>,
}

impl<'a> GenerateArgs<'a> {
    /// The arguments, or `None` for a usage error (an unknown flag, a flag without its value,
    /// `--spec` or `--runtime` without `--out`).
    fn parse(args: &[&'a str]) -> Option<Self> {
        let mut parsed = GenerateArgs::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--check" => parsed.check = true,
                "--spec" => parsed.spec = Some(*args.next()?),
                "--out" => parsed.out = Some(*args.next()?),
                "--runtime" => parsed.runtime = Some(*args.next()?),
                _ => return None,
            }
        }
        if parsed.out.is_none() && (parsed.spec.is_some() || parsed.runtime.is_some()) {
            return None;
        }
        Some(parsed)
    }

    fn run(&self, root: &Path) -> anyhow::Result<String> {
        use xtask::generate::{self, Mode};
        let mode = if self.check { Mode::Check } else { Mode::Write };
        let Some(out) = self.out else {
            return generate::run(root, mode);
        };
        let spec = self
            .spec
            .map_or_else(|| root.join(codegen::SPEC_PATH), PathBuf::from);
        let runtime = self
            .runtime
            .map_or_else(|| generate::local_runtime_dependency(root), str::to_string);
        generate::run_crate(&spec, Path::new(out), &runtime, mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_takes_a_spec_and_an_output_crate_or_neither() {
        assert_eq!(GenerateArgs::parse(&[]), Some(GenerateArgs::default()));
        let args = GenerateArgs::parse(&["--spec", "a.yaml", "--out", "dir", "--check"]).unwrap();
        assert_eq!(
            (args.spec, args.out, args.check),
            (Some("a.yaml"), Some("dir"), true)
        );
        assert_eq!(GenerateArgs::parse(&["--spec", "a.yaml"]), None);
        assert_eq!(GenerateArgs::parse(&["--out"]), None);
        assert_eq!(GenerateArgs::parse(&["--force"]), None);
    }
}
