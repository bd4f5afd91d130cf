//! `cargo xtask upstream`'s comparer on a tiny package in the shape of Wix's SDK modules
//! (`tests/fixtures/upstream/sdk/`) and a tiny spec that agrees with it: the two agree, and
//! each kind of upstream change is reported at the right place. Runs the node extractor.

use std::path::{Path, PathBuf};

use xtask::upstream::compare::compare;
use xtask::upstream::diff::{Difference, Kind};
use xtask::upstream::extract::extract;
use xtask::upstream::spec::Spec;

fn fixtures() -> PathBuf {
    xtask::workspace_root().join("xtask/tests/fixtures/upstream")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch copy of the fixture package and spec.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures(), dir.path());
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} no longer contains {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The differences between the scratch spec and the scratch package.
fn differences(dir: &Path) -> Vec<Difference> {
    let model = extract(&xtask::workspace_root(), &dir.join("sdk")).unwrap();
    let spec = Spec::load(&dir.join("openapi.yaml")).unwrap();
    compare(&spec, &model)
}

fn listing(diffs: &[Difference]) -> String {
    diffs
        .iter()
        .map(|d| xtask::upstream::report::line("", d))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that a difference with this pointer, kind and subject was found.
fn assert_found(diffs: &[Difference], pointer: &str, kind: Kind, subject: Option<&str>) {
    let found = diffs
        .iter()
        .any(|d| d.pointer == pointer && d.kind == kind && d.subject.as_deref() == subject);
    assert!(
        found,
        "expected {pointer} {kind} {subject:?}; found:\n{}",
        listing(diffs)
    );
}

#[test]
fn the_fixture_spec_and_package_agree() {
    let dir = scratch();
    let diffs = differences(dir.path());
    assert!(
        diffs.is_empty(),
        "unexpected differences:\n{}",
        listing(&diffs)
    );
}

#[test]
fn an_added_field_is_missing_here() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/meta.d.mts",
        "    /** Color. */\n    color?: ColorWithLiterals;",
        "    /** Color. */\n    color?: ColorWithLiterals;\n    /** Size. */\n    size?: number;",
    );
    let diffs = differences(dir.path());
    let at = "/components/schemas/Widget/properties/size";
    assert_found(&diffs, at, Kind::MissingHere, None);
    let sent = "/components/schemas/NewWidget/properties/size";
    assert_found(&diffs, sent, Kind::MissingHere, None);
    let line = diffs.iter().find(|d| d.pointer == at).unwrap();
    assert!(
        line.sdk.contains("build/es/meta.d.mts Widget.size: number"),
        "{}",
        line.sdk
    );
}

#[test]
fn a_dropped_enum_value_is_missing_there() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/meta.d.mts",
        "    GREEN = \"GREEN\",\n    BLUE = \"BLUE\"",
        "    GREEN = \"GREEN\"",
    );
    let diffs = differences(dir.path());
    assert_found(
        &diffs,
        "/components/schemas/Color/enum/2",
        Kind::MissingThere,
        Some("BLUE"),
    );
}

#[test]
fn a_renamed_error_code_is_missing_on_both_sides() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/index.typings.d.mts",
        "code?: 'WIDGET_NOT_FOUND';",
        "code?: 'WIDGET_MISSING';",
    );
    let diffs = differences(dir.path());
    let errors = "/paths/~1fixture~1v1~1widgets~1{widgetId}/get/x-wix-application-errors";
    assert_found(
        &diffs,
        &format!("{errors}/0"),
        Kind::MissingThere,
        Some("WIDGET_NOT_FOUND"),
    );
    assert_found(&diffs, errors, Kind::MissingHere, Some("WIDGET_MISSING"));
}

#[test]
fn a_changed_path_is_reported_on_the_operation() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/index.mjs",
        "protoPath: \"/v1/widgets/query\"",
        "protoPath: \"/v1/widgets/search\"",
    );
    let diffs = differences(dir.path());
    assert_found(
        &diffs,
        "/paths/~1fixture~1v1~1widgets~1query/post",
        Kind::Path,
        None,
    );
    let line = diffs.iter().find(|d| d.kind == Kind::Path).unwrap();
    assert!(
        line.sdk.ends_with("/fixture/v1/widgets/search"),
        "{}",
        line.sdk
    );
}

#[test]
fn a_dropped_query_operator_is_missing_there() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/index.typings.d.mts",
        "operators: ['$eq', '$ne', '$startsWith'];",
        "operators: ['$eq', '$ne'];",
    );
    let diffs = differences(dir.path());
    assert_found(
        &diffs,
        "/components/schemas/CursorQuery/x-wix-query-fields/2",
        Kind::MissingThere,
        Some("$startsWith"),
    );
}

#[test]
fn operators_of_the_field_type_follow_the_fields_typing() {
    let dir = scratch();
    // `color` typed as a plain string gets the string operators instead of the enum ones.
    edit(
        dir.path(),
        "sdk/build/es/index.typings.d.mts",
        "    /** Color. */\n    color?: ColorWithLiterals;",
        "    /** Color. */\n    color?: string;",
    );
    let diffs = differences(dir.path());
    let color = "/components/schemas/CursorQuery/x-wix-query-fields/1";
    assert_found(&diffs, color, Kind::MissingHere, Some("$startsWith"));
    assert_found(&diffs, color, Kind::MissingHere, Some("$isEmpty"));
}

#[test]
fn a_dropped_guarantee_and_a_dropped_required_input_are_reported() {
    let dir = scratch();
    let typings = "sdk/build/es/index.typings.d.mts";
    edit(
        dir.path(),
        typings,
        "declare function getWidget(widgetId: string): Promise<NonNullablePaths<Widget, `_id` | `name`, 2>",
        "declare function getWidget(widgetId: string): Promise<NonNullablePaths<Widget, `name`, 2>",
    );
    edit(
        dir.path(),
        typings,
        " * @requiredField options.widget.name\n",
        "",
    );
    edit(
        dir.path(),
        typings,
        "options?: NonNullablePaths<CreateWidgetOptions, `widget.name`, 2>",
        "options?: CreateWidgetOptions",
    );
    let diffs = differences(dir.path());
    let id = "/components/schemas/Widget/properties/id";
    assert_found(&diffs, id, Kind::GuaranteedHere, None);
    let context = &diffs.iter().find(|d| d.pointer == id).unwrap().contexts;
    assert_eq!(context, &["getWidget response widget.id"]);
    let name = "/components/schemas/NewWidget/properties/name";
    assert_found(&diffs, name, Kind::RequiredHere, None);
}

#[test]
fn exceptions_accept_differences_and_stale_ones_fail_the_check() {
    let dir = scratch();
    edit(
        dir.path(),
        "sdk/build/es/meta.d.mts",
        "    GREEN = \"GREEN\",\n    BLUE = \"BLUE\"",
        "    GREEN = \"GREEN\"",
    );
    let root = xtask::workspace_root();
    let exceptions = dir.path().join("exceptions.yaml");
    let check = || {
        xtask::upstream::check(
            &root,
            &dir.path().join("sdk"),
            &dir.path().join("openapi.yaml"),
            &exceptions,
        )
        .unwrap()
    };

    let outcome = check();
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome
            .report
            .contains("NEW    /components/schemas/Color/enum/2  missing-there [BLUE]"),
        "{}",
        outcome.report
    );

    let accepted = "exceptions:
  - pointer: /components/schemas/Color/enum/2
    kind: missing-there
    subject: BLUE
    reason: The package dropped BLUE; the API still answers it.
    evidence: A recorded answer.
";
    std::fs::write(&exceptions, accepted).unwrap();
    let outcome = check();
    assert!(outcome.passed, "{}", outcome.report);

    let stale = format!(
        "{accepted}  - pointer: /components/schemas/Widget/properties/name
    kind: type
    reason: Once a number.
    evidence: None any more.
"
    );
    std::fs::write(&exceptions, stale).unwrap();
    let outcome = check();
    assert!(!outcome.passed, "{}", outcome.report);
    assert!(
        outcome
            .report
            .contains("STALE  /components/schemas/Widget/properties/name  type"),
        "{}",
        outcome.report
    );

    std::fs::write(
        &exceptions,
        "exceptions:\n  - pointer: /x\n    kind: missing-there\n    reason: r\n    evidence: ''\n",
    )
    .unwrap();
    let error = xtask::upstream::check(
        &root,
        &dir.path().join("sdk"),
        &dir.path().join("openapi.yaml"),
        &exceptions,
    )
    .unwrap_err();
    assert!(
        format!("{error:#}").contains("reason and evidence"),
        "{error:#}"
    );
}
