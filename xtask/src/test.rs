//! `cargo xtask test`: every test of the project, in the order CI runs them.
//!
//! 1. `cargo test --workspace --locked` (extra arguments are passed on to it);
//! 2. the renamed API: this spec renamed to another API generates a crate that compiles and
//!    passes its tests ([`crate::renamed_api`]);
//! 3. the conformance suite, in which Wix's official JS SDK drives the emulator binary:
//!    `cargo build -p wix-opr-emulator --bin wix-opr-emulator --locked`, then `npm ci` and
//!    `npm test` in `conformance/js/` (node and npm must be installed), given the binary just
//!    built in Cargo's target directory (`CARGO_TARGET_DIR` is honoured) as `WIX_OPR_EMULATOR`.
//!
//! Each step's output goes straight to the terminal; the first step that fails stops the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// One step of the run: what it is, the program and its arguments, where it runs, and the
/// environment variables it is given.
struct Step {
    name: &'static str,
    program: String,
    args: Vec<String>,
    dir: PathBuf,
    env: Vec<(&'static str, PathBuf)>,
}

impl Step {
    fn new(name: &'static str, program: &str, args: &[&str], dir: &Path) -> Step {
        Step {
            name,
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            dir: dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    fn with_env(mut self, name: &'static str, value: PathBuf) -> Step {
        self.env.push((name, value));
        self
    }

    fn run(&self) -> Result<()> {
        eprintln!("\n==> {}", self.name);
        let status = Command::new(&self.program)
            .args(&self.args)
            .current_dir(&self.dir)
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .status()
            .with_context(|| format!("{}: could not start `{}`", self.name, self.program))?;
        if !status.success() {
            bail!("{}: failed ({status})", self.name);
        }
        Ok(())
    }
}

/// The steps, from `root` (the workspace root); `cargo_test_args` go to `cargo test`.
fn steps(root: &Path, cargo_test_args: &[&str]) -> Vec<Step> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut test_args = vec!["test", "--workspace", "--locked"];
    test_args.extend_from_slice(cargo_test_args);
    let conformance = root.join("conformance/js");
    vec![
        Step::new("tests", &cargo, &test_args, root),
        Step::new(
            "emulator binary for the conformance suite",
            &cargo,
            &[
                "build",
                "-p",
                "wix-opr-emulator",
                "--bin",
                "wix-opr-emulator",
                "--locked",
            ],
            root,
        ),
        Step::new(
            "conformance suite: install the pinned JS SDK (npm ci)",
            "npm",
            &["ci", "--no-audit", "--no-fund"],
            &conformance,
        ),
        Step::new(
            "conformance suite: Wix's official JS SDK against the emulator",
            "npm",
            &["test"],
            &conformance,
        )
        .with_env("WIX_OPR_EMULATOR", emulator_binary(root)),
    ]
}

/// The emulator binary `cargo build -p wix-opr-emulator` writes, in Cargo's target directory.
fn emulator_binary(root: &Path) -> PathBuf {
    let name = format!("wix-opr-emulator{}", std::env::consts::EXE_SUFFIX);
    crate::target_dir(root).join("debug").join(name)
}

/// Runs every step; stops at the first that fails.
pub fn run(root: &Path, cargo_test_args: &[&str]) -> Result<String> {
    let mut steps = steps(root, cargo_test_args).into_iter();
    if let Some(workspace_tests) = steps.next() {
        workspace_tests.run()?;
    }
    eprintln!(
        "\n==> renamed API: a second spec generates a crate that compiles and passes its tests"
    );
    eprint!("{}", crate::renamed_api::run(root)?);
    for step in steps {
        step.run()?;
    }
    Ok("all tests passed\n".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conformance_suite_is_given_the_emulator_in_cargos_target_dir() {
        let root = Path::new("/work/project");
        let steps = steps(root, &[]);
        let suite = steps.last().unwrap();
        let expected = crate::target_dir(root)
            .join("debug")
            .join(format!("wix-opr-emulator{}", std::env::consts::EXE_SUFFIX));
        assert_eq!(suite.env, vec![("WIX_OPR_EMULATOR", expected)]);
    }
}
