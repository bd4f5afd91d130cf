//! `cargo xtask generate --check` catches a stale checkout, and `generate` repairs it.

use std::path::Path;

use xtask::generate::{run, Mode};

/// Copies the spec and the checked-in generated code into a scratch workspace.
fn scratch_workspace() -> tempfile::TempDir {
    let root = xtask::workspace_root();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::copy(
        root.join(codegen::SPEC_PATH),
        dir.path().join(codegen::SPEC_PATH),
    )
    .unwrap();
    for generated_dir in codegen::GENERATED_DIRS {
        let generated = dir.path().join(generated_dir);
        std::fs::create_dir_all(&generated).unwrap();
        for entry in std::fs::read_dir(root.join(generated_dir)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), generated.join(entry.file_name())).unwrap();
        }
    }
    dir
}

fn edit_spec(root: &Path, from: &str, to: &str) {
    let path = root.join(codegen::SPEC_PATH);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "spec no longer contains {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_checked_in_code_matches_the_spec() {
    let report = run(&xtask::workspace_root(), Mode::Check).unwrap();
    assert!(report.contains("up to date"), "{report}");
}

#[test]
fn check_fails_with_a_diff_after_a_spec_edit_and_generate_repairs_it() {
    let dir = scratch_workspace();
    run(dir.path(), Mode::Check).expect("a fresh copy is up to date");

    edit_spec(
        dir.path(),
        "summary: Void Order Payment Request",
        "summary: Cancel For Good",
    );
    let error = run(dir.path(), Mode::Check).unwrap_err().to_string();
    assert!(error.contains("run `cargo xtask generate`"), "{error}");
    assert!(error.contains("client.rs (checked in)"), "{error}");
    assert!(error.contains("+    /**Cancel For Good"), "{error}");
    assert!(
        error.contains("-    /**Void Order Payment Request"),
        "{error}"
    );

    let report = run(dir.path(), Mode::Write).unwrap();
    assert!(report.contains("updated"), "{report}");
    assert!(report.contains("client.rs"), "{report}");
    run(dir.path(), Mode::Check).expect("generate brought the copy up to date");
}

#[test]
fn check_reports_stray_files_in_the_generated_directory() {
    let dir = scratch_workspace();
    let stray = dir.path().join(codegen::GENERATED_DIR).join("stray.rs");
    std::fs::write(&stray, "// left behind\n").unwrap();
    let error = run(dir.path(), Mode::Check).unwrap_err().to_string();
    assert!(error.contains("stray.rs"), "{error}");
    run(dir.path(), Mode::Write).unwrap();
    assert!(!stray.exists());
}

#[test]
fn check_reports_stray_files_in_the_cli_generated_directory_and_leaves_the_crate_alone() {
    let dir = scratch_workspace();
    let stray = dir.path().join(codegen::CLI_GENERATED_DIR).join("stray.rs");
    std::fs::write(&stray, "// left behind\n").unwrap();
    let hand_written = dir.path().join("cli/src/main.rs");
    std::fs::write(&hand_written, "fn main() {}\n").unwrap();
    let error = run(dir.path(), Mode::Check).unwrap_err().to_string();
    assert!(error.contains("cli/src/generated/stray.rs"), "{error}");
    assert!(!error.contains("main.rs"), "{error}");
    run(dir.path(), Mode::Write).unwrap();
    assert!(!stray.exists());
    assert!(
        hand_written.exists(),
        "a file outside the generated directories stays"
    );
}

#[test]
fn a_missing_cli_file_is_reported_and_written() {
    let dir = scratch_workspace();
    let cli = dir.path().join(codegen::CLI_GENERATED_DIR).join("cli.rs");
    std::fs::remove_file(&cli).unwrap();
    let error = run(dir.path(), Mode::Check).unwrap_err().to_string();
    assert!(error.contains("cli/src/generated/cli.rs"), "{error}");
    let report = run(dir.path(), Mode::Write).unwrap();
    assert!(
        report.contains("added cli/src/generated/cli.rs"),
        "{report}"
    );
    assert!(std::fs::read_to_string(&cli)
        .unwrap()
        .starts_with("// @generated"));
}
