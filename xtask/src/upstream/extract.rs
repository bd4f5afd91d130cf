//! Running the extractor (`node upstream/extract.mjs <package>`) and reading its model.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::upstream::fetch::{ensure_tools, EXTRACTOR_DIR};
use crate::upstream::model::Model;

/// The model of the unpacked package at `package_dir`, read by the extractor under `root`.
pub fn extract(root: &Path, package_dir: &Path) -> Result<Model> {
    ensure_tools(root)?;
    let script = root.join(EXTRACTOR_DIR).join("extract.mjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(package_dir)
        .output()
        .context("could not start `node` (is Node.js 20 or later installed?)")?;
    if !output.status.success() {
        bail!(
            "the extractor failed on {} ({}):\n{}",
            package_dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).context("reading the extractor's model")
}
