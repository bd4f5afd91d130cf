//! `cargo xtask upstream`: compares spec/openapi.yaml with Wix's SDK package for this API.
//!
//! The package is fetched by version into a cache ([`fetch`]); a node script reads its
//! typings with the TypeScript compiler API and its compiled request builders into a JSON
//! model ([`extract`], [`model`]); the comparer walks the spec ([`spec`]) and the model side
//! by side ([`compare`]) and lists every difference ([`diff`]); the differences the spec keeps
//! on purpose are listed in `spec/upstream-exceptions.yaml` ([`exceptions`]); [`report`]
//! prints them.

pub mod compare;
pub mod diff;
pub mod exceptions;
pub mod extract;
pub mod fetch;
pub mod model;
pub mod report;
pub mod spec;

use std::path::Path;

use anyhow::Result;

/// The exceptions file, next to the spec.
pub const EXCEPTIONS_PATH: &str = "spec/upstream-exceptions.yaml";

/// The report and whether the check passed.
#[derive(Debug)]
pub struct Outcome {
    /// The report, to print.
    pub report: String,
    /// No difference outside the exceptions file, and no stale exception.
    pub passed: bool,
}

/// Fetches the package `version` names and checks the spec under `root` against it.
pub fn run(root: &Path, version: &fetch::Version) -> Result<Outcome> {
    fetch::ensure_tools(root)?;
    let version = fetch::resolve(root, version)?;
    let package = fetch::fetch(root, &version)?;
    check(
        root,
        &package,
        &root.join(codegen::SPEC_PATH),
        &root.join(EXCEPTIONS_PATH),
    )
}

/// Checks the spec at `spec_path` against the unpacked package at `package_dir`, accepting
/// the differences listed in `exceptions_path`.
pub fn check(
    root: &Path,
    package_dir: &Path,
    spec_path: &Path,
    exceptions_path: &Path,
) -> Result<Outcome> {
    let model = extract::extract(root, package_dir)?;
    let spec = spec::Spec::load(spec_path)?;
    let exceptions = exceptions::load(exceptions_path)?;
    let review = exceptions::review(compare::compare(&spec, &model), &exceptions);
    let name = exceptions_path
        .strip_prefix(root)
        .unwrap_or(exceptions_path)
        .display()
        .to_string();
    Ok(Outcome {
        report: report::render(&model, package_dir, &name, &review),
        passed: review.passed(),
    })
}
