//! Library side of `cargo xtask`, so the commands can be tested.

pub mod generate;
pub mod renamed_api;
pub mod test;
pub mod upstream;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Cargo's target directory for the workspace at `root`: `CARGO_TARGET_DIR` (relative to
/// `root` when relative), or `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    target_dir_given(root, std::env::var_os("CARGO_TARGET_DIR"))
}

/// [`target_dir`] with `CARGO_TARGET_DIR` given as `configured`.
fn target_dir_given(root: &Path, configured: Option<std::ffi::OsString>) -> PathBuf {
    match configured {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_dir_is_cargos() {
        let root = Path::new("/work/project");
        let given = |dir: &str| target_dir_given(root, Some(dir.into()));
        assert_eq!(
            given("shared-target"),
            Path::new("/work/project/shared-target")
        );
        assert_eq!(given("/tmp/shared"), Path::new("/tmp/shared"));
        assert_eq!(given(""), Path::new("/work/project/target"));
        assert_eq!(
            target_dir_given(root, None),
            Path::new("/work/project/target")
        );
    }
}
