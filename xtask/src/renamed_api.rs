//! The proof that codegen binds any spec written in this project's conventions: this
//! project's spec with its entity, paths, error codes, events and client crate renamed to
//! another API's (`OrderPaymentRequest` becomes `Invoice` throughout, [`renamed_spec`])
//! generates a complete crate (`cargo xtask generate --out`), which compiles and passes the
//! tests in `xtask/renamed-api/` against a local HTTP server. Nothing in codegen changes for it.
//!
//! `cargo xtask test` runs [`run`] after the workspace's tests. The crate is written under
//! Cargo's target directory (`renamed-api/`) and built there with its own target directory,
//! offline, from this workspace's `Cargo.lock`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::generate::{self, Mode};

/// The renaming, applied in order to the spec's text.
pub const RENAMES: [(&str, &str); 7] = [
    ("wix-order-payment-requests", "wix-invoices"),
    ("OrderPaymentRequest", "Invoice"),
    ("orderPaymentRequest", "invoice"),
    ("order-payment-requests", "invoices"),
    ("order-payment-request", "invoice"),
    ("order_payment_request", "invoice"),
    ("ORDER_PAYMENT_REQUEST", "INVOICE"),
];

/// `spec` (this project's spec text) renamed to the Invoices API.
pub fn renamed_spec(spec: &str) -> String {
    RENAMES
        .iter()
        .fold(spec.to_string(), |text, (from, to)| text.replace(from, to))
}

/// Where the renamed API's files go: `<target>/renamed-api/`.
pub fn work_dir(root: &Path) -> PathBuf {
    crate::target_dir(root).join("renamed-api")
}

/// Generates the renamed API's crate, adds its tests, and runs them; returns the report.
pub fn run(root: &Path) -> Result<String> {
    let dir = work_dir(root);
    let crate_dir = dir.join("crate");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let spec_text = std::fs::read_to_string(root.join(codegen::SPEC_PATH))
        .context("reading this project's spec")?;
    let spec = dir.join("invoices.yaml");
    std::fs::write(&spec, renamed_spec(&spec_text))
        .with_context(|| format!("writing {}", spec.display()))?;
    let runtime = generate::local_runtime_dependency(root);
    let report = generate::run_crate(&spec, &crate_dir, &runtime, Mode::Write)?;
    let tests = crate_dir.join("tests");
    std::fs::create_dir_all(&tests)?;
    std::fs::copy(
        root.join("xtask/renamed-api/wire.rs"),
        tests.join("wire.rs"),
    )
    .context("copying the renamed API's tests")?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .context("copying Cargo.lock")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["test", "--offline", "--all-features"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .context("starting cargo test in the renamed API's crate")?;
    if !status.success() {
        bail!(
            "the renamed API's crate ({}) failed its tests ({status})",
            crate_dir.display()
        );
    }
    Ok(format!(
        "{report}the renamed API's crate compiles and passes its tests\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renamed_spec_keeps_no_name_of_this_api() {
        let spec =
            std::fs::read_to_string(crate::workspace_root().join(codegen::SPEC_PATH)).unwrap();
        let renamed = renamed_spec(&spec);
        for (from, _) in RENAMES {
            assert!(!renamed.contains(from), "{from}");
        }
        assert!(renamed.contains("x-wix-client-crate: wix-invoices"));
    }
}
