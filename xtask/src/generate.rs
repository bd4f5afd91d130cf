//! `cargo xtask generate [--check]`: writes the generated code of the client and the CLI, or
//! proves it is up to date.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::{GeneratedFile, GENERATED_DIRS};
use similar::TextDiff;

/// What `run` does with the generated files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files, delete stale ones.
    Write,
    /// Write nothing; fail with a diff when anything differs.
    Check,
}

/// How one file on disk compares to what the spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file does not exist yet.
    Added { path: PathBuf, contents: String },
    /// The file exists with other contents.
    Modified {
        path: PathBuf,
        old: String,
        new: String,
    },
    /// A file in a generated directory that generation no longer produces.
    Removed { path: PathBuf, old: String },
}

impl Change {
    fn path(&self) -> &Path {
        match self {
            Change::Added { path, .. }
            | Change::Modified { path, .. }
            | Change::Removed { path, .. } => path,
        }
    }
}

/// Most diff lines shown per file by `--check`.
pub const MAX_DIFF_LINES: usize = 60;

/// Generates from the spec under `root` and writes or checks the result; returns the report.
pub fn run(root: &Path, mode: Mode) -> Result<String> {
    let files = codegen::generate(root).context("generation failed")?;
    let changes = plan(root, &files)?;
    match mode {
        Mode::Write => {
            apply(root, &changes)?;
            Ok(write_report(&files, &changes))
        }
        Mode::Check if changes.is_empty() => Ok(format!(
            "generated code is up to date ({} files)\n",
            files.len()
        )),
        Mode::Check => bail!(
            "checked-in generated code differs from what the spec produces; run `cargo xtask generate` and commit the result\n\n{}",
            diff_report(&changes)
        ),
    }
}

/// Compares the generated files with what is on disk under `root`.
pub fn plan(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for file in files {
        let on_disk = root.join(&file.path);
        match std::fs::read_to_string(&on_disk) {
            Ok(old) if old == file.contents => {}
            Ok(old) => changes.push(Change::Modified {
                path: file.path.clone(),
                old,
                new: file.contents.clone(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.push(Change::Added {
                path: file.path.clone(),
                contents: file.contents.clone(),
            }),
            Err(e) => return Err(e).with_context(|| format!("reading {}", on_disk.display())),
        }
    }
    for dir in GENERATED_DIRS {
        changes.extend(stale_files(root, Path::new(dir), files)?);
    }
    Ok(changes)
}

/// The regular files directly in `dir` (one of [`GENERATED_DIRS`]) that generation does not
/// produce. Only that directory is listed: neither its subdirectories nor anything outside it.
fn stale_files(root: &Path, dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>> {
    let generated_dir = root.join(dir);
    if !generated_dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut entries: Vec<_> = std::fs::read_dir(&generated_dir)
        .with_context(|| format!("listing {}", generated_dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    let mut stale = Vec::new();
    for entry in entries {
        let path = dir.join(entry.file_name());
        if entry.file_type()?.is_file() && !files.iter().any(|f| f.path == path) {
            let old = std::fs::read_to_string(entry.path()).unwrap_or_default();
            stale.push(Change::Removed { path, old });
        }
    }
    Ok(stale)
}

fn apply(root: &Path, changes: &[Change]) -> Result<()> {
    for change in changes {
        let target = root.join(change.path());
        match change {
            Change::Added { contents, .. } | Change::Modified { new: contents, .. } => {
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&target, contents)
                    .with_context(|| format!("writing {}", target.display()))?;
            }
            Change::Removed { .. } => std::fs::remove_file(&target)
                .with_context(|| format!("removing {}", target.display()))?,
        }
    }
    Ok(())
}

fn write_report(files: &[GeneratedFile], changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let (verb, path) = match change {
            Change::Added { path, .. } => ("added", path),
            Change::Modified { path, .. } => ("updated", path),
            Change::Removed { path, .. } => ("removed", path),
        };
        let _ = writeln!(out, "{verb:>9} {}", path.display());
    }
    let _ = writeln!(
        out,
        "{} of {} generated files changed",
        changes
            .iter()
            .filter(|c| !matches!(c, Change::Removed { .. }))
            .count(),
        files.len()
    );
    out
}

/// A unified diff (disk -> spec) of each changed file, cut to [`MAX_DIFF_LINES`] lines a file.
pub fn diff_report(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let (old, new) = match change {
            Change::Added { contents, .. } => ("", contents.as_str()),
            Change::Modified { old, new, .. } => (old.as_str(), new.as_str()),
            Change::Removed { old, .. } => (old.as_str(), ""),
        };
        let name = change.path().display().to_string();
        let diff = TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("{name} (checked in)"),
                &format!("{name} (from spec)"),
            )
            .to_string();
        let total = diff.lines().count();
        for line in diff.lines().take(MAX_DIFF_LINES) {
            let _ = writeln!(out, "{line}");
        }
        if total > MAX_DIFF_LINES {
            let _ = writeln!(
                out,
                "... {} more diff lines in {name}",
                total - MAX_DIFF_LINES
            );
        }
    }
    out
}
