//! `spec/upstream-exceptions.yaml`: the differences the spec keeps on purpose, each with its
//! reason and evidence. An exception that matches no difference is stale.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::upstream::diff::{Difference, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionsFile {
    #[serde(default)]
    exceptions: Option<Vec<Exception>>,
}

/// One accepted difference.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The difference's JSON pointer.
    pub pointer: String,
    /// The difference's kind (`missing-here`, `type`, ...).
    pub kind: String,
    /// The difference's subject, when it has one.
    #[serde(default)]
    pub subject: Option<String>,
    /// Why the spec differs.
    pub reason: String,
    /// What shows that the spec is right (or, for an undecided one, where it is decided).
    pub evidence: String,
}

impl Exception {
    /// Whether it accepts `difference`.
    pub fn matches(&self, difference: &Difference) -> bool {
        self.pointer == difference.pointer
            && self.kind == difference.kind.as_str()
            && self.subject == difference.subject
    }
}

/// Reads the exceptions file; a missing file has none. Each exception must name a known kind
/// and give a reason and evidence; two may not name the same difference.
pub fn load(path: &Path) -> Result<Vec<Exception>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file: ExceptionsFile =
        serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let exceptions = file.exceptions.unwrap_or_default();
    let mut seen = HashSet::new();
    for (i, e) in exceptions.iter().enumerate() {
        let at = format!("{}: exception {} ({})", path.display(), i + 1, e.pointer);
        if Kind::parse(&e.kind).is_none() {
            bail!("{at}: unknown kind `{}`", e.kind);
        }
        if !e.pointer.starts_with('/') {
            bail!("{at}: the pointer must start with `/`");
        }
        if e.reason.trim().is_empty() || e.evidence.trim().is_empty() {
            bail!("{at}: give both a reason and evidence");
        }
        if !seen.insert((&e.pointer, &e.kind, &e.subject)) {
            bail!("{at}: listed twice");
        }
    }
    Ok(exceptions)
}

/// The differences with the exception that accepts each, and the stale exceptions.
#[derive(Debug)]
pub struct Review {
    /// Each difference and the index of the exception that accepts it.
    pub entries: Vec<(Difference, Option<usize>)>,
    /// The exceptions that accept no difference.
    pub stale: Vec<Exception>,
    /// Every exception, in file order.
    pub exceptions: Vec<Exception>,
}

impl Review {
    /// The differences no exception accepts.
    pub fn unexcepted(&self) -> impl Iterator<Item = &Difference> {
        self.entries
            .iter()
            .filter(|(_, e)| e.is_none())
            .map(|(d, _)| d)
    }

    /// Whether every difference is accepted and no exception is stale.
    pub fn passed(&self) -> bool {
        self.unexcepted().next().is_none() && self.stale.is_empty()
    }
}

/// Matches `differences` with `exceptions`.
pub fn review(differences: Vec<Difference>, exceptions: &[Exception]) -> Review {
    let entries: Vec<_> = differences
        .into_iter()
        .map(|d| {
            let accepted = exceptions.iter().position(|e| e.matches(&d));
            (d, accepted)
        })
        .collect();
    let stale = exceptions
        .iter()
        .enumerate()
        .filter(|(i, _)| !entries.iter().any(|(_, e)| *e == Some(*i)))
        .map(|(_, e)| e.clone())
        .collect();
    Review {
        entries,
        stale,
        exceptions: exceptions.to_vec(),
    }
}
