//! The report: one line per difference (JSON pointer, kind, what the SDK says, where), the
//! output guarantees apart, then the stale exceptions and the verdict.

use std::fmt::Write as _;
use std::path::Path;

use crate::upstream::diff::Difference;
use crate::upstream::exceptions::Review;
use crate::upstream::model::Model;

/// One difference as a line; `mark` says whether an exception accepts it.
pub fn line(mark: &str, d: &Difference) -> String {
    let mut out = format!("{mark} {}  {}", d.pointer, d.kind);
    if let Some(subject) = &d.subject {
        let _ = write!(out, " [{subject}]");
    }
    let _ = write!(out, "  sdk: {}", d.sdk);
    if let Some(spec) = &d.spec {
        let _ = write!(out, "  spec: {spec}");
    }
    if let Some(first) = d.contexts.first() {
        let _ = write!(out, "  at: {}", first.trim_end());
        if d.contexts.len() > 1 {
            let _ = write!(out, " (+{} more)", d.contexts.len() - 1);
        }
    }
    out
}

fn section(out: &mut String, title: &str, entries: &[&(Difference, Option<usize>)]) {
    let accepted = entries.iter().filter(|(_, e)| e.is_some()).count();
    let _ = writeln!(
        out,
        "\n{title}: {} ({} new, {accepted} listed in the exceptions file)",
        entries.len(),
        entries.len() - accepted
    );
    for (d, e) in entries {
        let mark = if e.is_some() { "  listed" } else { "  NEW   " };
        let _ = writeln!(out, "{}", line(mark, d));
    }
}

/// The whole report for the package at `package_dir`, checked with `exceptions_file`.
pub fn render(model: &Model, package_dir: &Path, exceptions_file: &str, review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upstream: {}@{} ({})",
        model.package.name,
        model.package.version,
        package_dir.display()
    );
    let _ = writeln!(
        out,
        "read with typescript {} and @wix/sdk-types {}",
        model.tools.typescript,
        model.tools.sdk_types.as_deref().unwrap_or("(not found)")
    );
    let fields: usize = model.queries.iter().map(|q| q.fields.len()).sum();
    let _ = writeln!(
        out,
        "compared: {} operations, {} REST types, {} webhooks, {fields} query fields",
        model.operations.len(),
        model.types.len(),
        model.webhooks.len()
    );
    let (guarantees, others): (Vec<_>, Vec<_>) = review
        .entries
        .iter()
        .partition(|(d, _)| d.kind.is_guarantee());
    section(&mut out, "differences", &others);
    section(
        &mut out,
        "output guarantees (spec `required` in answers against the SDK's NonNullablePaths)",
        &guarantees,
    );
    if !review.stale.is_empty() {
        let _ = writeln!(
            out,
            "\nstale exceptions: {} (in {exceptions_file}, matching no difference; remove them)",
            review.stale.len()
        );
        for e in &review.stale {
            let subject = e
                .subject
                .as_ref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  STALE  {}  {}{subject}  reason: {}",
                e.pointer,
                e.kind,
                first_sentence(&e.reason)
            );
        }
    }
    let new = review.unexcepted().count();
    if review.passed() {
        let _ = writeln!(
            out,
            "\nresult: ok (every difference is listed in {exceptions_file})"
        );
    } else {
        let _ = writeln!(
            out,
            "\nresult: FAIL ({new} differences not in {exceptions_file}, {} stale exceptions)",
            review.stale.len()
        );
    }
    out
}

/// The first sentence of `text`, on one line.
fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_string(),
        None => text,
    }
}
