//! Getting the SDK package: which version (pinned, given or latest), its tarball from npm
//! into a cache under the target directory, and the extractor's own node modules.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// The npm package of this API's SDK module.
pub const PACKAGE: &str = "@wix/auto_sdk_ecom_order-payment-requests";

/// The `package.json` whose dependency on [`PACKAGE`] is the pinned version.
pub const PIN_FILE: &str = "conformance/js/package.json";

/// The directory of the extractor (a node package).
pub const EXTRACTOR_DIR: &str = "upstream";

/// Which version of the package to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// The version pinned in [`PIN_FILE`].
    Pinned,
    /// This version.
    Exact(String),
    /// The newest version on the registry.
    Latest,
}

fn check_version(version: &str) -> Result<()> {
    let plain = !version.is_empty()
        && version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    if !plain {
        bail!("`{version}` is not an exact version (like 1.0.70)");
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The version of [`PACKAGE`] pinned in [`PIN_FILE`] under `root`.
pub fn pinned_version(root: &Path) -> Result<String> {
    let path = root.join(PIN_FILE);
    let manifest = read_json(&path)?;
    let version = ["dependencies", "devDependencies"]
        .iter()
        .find_map(|key| manifest.get(key)?.get(PACKAGE)?.as_str())
        .with_context(|| format!("{} does not depend on {PACKAGE}", path.display()))?;
    check_version(version).with_context(|| format!("{}: pin {PACKAGE}", path.display()))?;
    Ok(version.to_string())
}

/// The newest version of [`PACKAGE`] on the registry (`npm view`).
pub fn latest_version() -> Result<String> {
    let output = Command::new("npm")
        .args(["view", PACKAGE, "version"])
        .output()
        .context("could not start `npm view` (is npm installed?)")?;
    if !output.status.success() {
        bail!(
            "`npm view {PACKAGE} version` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    check_version(&version)?;
    Ok(version)
}

/// The exact version `choice` names.
pub fn resolve(root: &Path, choice: &Version) -> Result<String> {
    match choice {
        Version::Pinned => pinned_version(root),
        Version::Exact(version) => check_version(version).map(|()| version.clone()),
        Version::Latest => latest_version(),
    }
}

/// The cache: `upstream/` in Cargo's target directory ([`crate::target_dir`]).
pub fn cache_dir(root: &Path) -> PathBuf {
    crate::target_dir(root).join("upstream")
}

fn run(command: &mut Command, what: &str) -> Result<Vec<u8>> {
    let output = command
        .output()
        .with_context(|| format!("could not start {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The unpacked package of `version`: from the cache, or fetched with `npm pack` into it.
pub fn fetch(root: &Path, version: &str) -> Result<PathBuf> {
    check_version(version)?;
    let cache = cache_dir(root);
    let dir = cache.join(version).join("package");
    if dir.join("package.json").is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&cache).with_context(|| format!("creating {}", cache.display()))?;
    let scratch = tempfile_dir(&cache)?;
    let spec = format!("{PACKAGE}@{version}");
    let stdout = run(
        Command::new("npm")
            .args(["pack", &spec, "--json", "--pack-destination"])
            .arg(&scratch),
        &format!("`npm pack {spec}`"),
    )?;
    let packed: Value = serde_json::from_slice(&stdout).context("parsing `npm pack --json`")?;
    let file = packed
        .get(0)
        .and_then(|p| p.get("filename"))
        .and_then(Value::as_str)
        .context("`npm pack --json` named no file")?;
    run(
        Command::new("tar")
            .arg("-xzf")
            .arg(scratch.join(file))
            .arg("-C")
            .arg(&scratch),
        "`tar -xzf`",
    )?;
    let target = cache.join(version);
    std::fs::create_dir_all(&target)?;
    std::fs::rename(scratch.join("package"), &dir)
        .with_context(|| format!("moving the package to {}", dir.display()))?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(dir)
}

fn tempfile_dir(parent: &Path) -> Result<PathBuf> {
    let dir = parent.join(format!(".fetch-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Whether each dependency pinned in the extractor's `package.json` is installed at its
/// version.
fn tools_installed(dir: &Path) -> Result<bool> {
    let manifest = read_json(&dir.join("package.json"))?;
    let Some(deps) = manifest.get("dependencies").and_then(Value::as_object) else {
        return Ok(true);
    };
    for (name, version) in deps {
        let installed = dir.join("node_modules").join(name).join("package.json");
        let found = read_json(&installed)
            .ok()
            .and_then(|m| m.get("version").and_then(Value::as_str).map(str::to_string));
        if found.as_deref() != version.as_str() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Installs the extractor's pinned dependencies (`npm ci`) unless they are installed. Calls
/// in one process (parallel tests) wait for each other, so only one `npm ci` runs.
pub fn ensure_tools(root: &Path) -> Result<()> {
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _guard = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = root.join(EXTRACTOR_DIR);
    if tools_installed(&dir)? {
        return Ok(());
    }
    eprintln!("upstream: installing the extractor's dependencies (npm ci in {EXTRACTOR_DIR}/)");
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&dir),
        &format!("`npm ci` in {}", dir.display()),
    )?;
    Ok(())
}
