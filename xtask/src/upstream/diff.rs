//! A difference between the spec and the SDK, and the list that collects them without
//! repeating one reached along several paths.

use std::collections::HashMap;
use std::fmt;

/// What kind of difference it is. "Here" is the spec, "there" the SDK package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The SDK's public typings have it; the spec does not.
    MissingHere,
    /// Only the SDK's internal typings have it; the spec does not.
    MissingHereInternal,
    /// The spec has it; the SDK does not.
    MissingThere,
    /// The spec has it (not marked internal); the SDK has it only in its internal typings.
    InternalThere,
    /// The spec marks an operation internal and the SDK does not, or the reverse.
    Visibility,
    /// HTTP method.
    Method,
    /// Path.
    Path,
    /// Type of a field (or of an error's data, a webhook's body).
    Type,
    /// Format or bound of a field.
    Constraint,
    /// `readOnly` in an answer.
    ReadOnly,
    /// `x-wix-immutable` in an answer.
    Immutable,
    /// An input the spec requires and the SDK does not.
    RequiredHere,
    /// An input the SDK requires and the spec does not.
    RequiredThere,
    /// An output member the spec guarantees (`required`) and the SDK's `NonNullablePaths` does not.
    GuaranteedHere,
    /// An output member the SDK's `NonNullablePaths` guarantees and the spec does not.
    GuaranteedThere,
    /// Another value: service, permission, slug, sortability, package version, ...
    Value,
}

/// Every kind, in report order.
pub const KINDS: [Kind; 16] = [
    Kind::MissingHere,
    Kind::MissingHereInternal,
    Kind::MissingThere,
    Kind::InternalThere,
    Kind::Visibility,
    Kind::Method,
    Kind::Path,
    Kind::Type,
    Kind::Constraint,
    Kind::ReadOnly,
    Kind::Immutable,
    Kind::RequiredHere,
    Kind::RequiredThere,
    Kind::GuaranteedHere,
    Kind::GuaranteedThere,
    Kind::Value,
];

impl Kind {
    /// The name used in the report and the exceptions file.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MissingHere => "missing-here",
            Kind::MissingHereInternal => "missing-here-internal",
            Kind::MissingThere => "missing-there",
            Kind::InternalThere => "internal-there",
            Kind::Visibility => "visibility",
            Kind::Method => "method",
            Kind::Path => "path",
            Kind::Type => "type",
            Kind::Constraint => "constraint",
            Kind::ReadOnly => "read-only",
            Kind::Immutable => "immutable",
            Kind::RequiredHere => "required-here",
            Kind::RequiredThere => "required-there",
            Kind::GuaranteedHere => "guaranteed-here",
            Kind::GuaranteedThere => "guaranteed-there",
            Kind::Value => "value",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        KINDS.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether it is about output guarantees (reported in a section of their own).
    pub fn is_guarantee(self) -> bool {
        matches!(self, Kind::GuaranteedHere | Kind::GuaranteedThere)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// JSON pointer into the spec: the element concerned, or where it would go.
    pub pointer: String,
    /// What differs.
    pub kind: Kind,
    /// Which value, code, operator or constraint, where the pointer alone does not say.
    pub subject: Option<String>,
    /// What the SDK says: file and typing.
    pub sdk: String,
    /// What the spec says, where that helps.
    pub spec: Option<String>,
    /// Where it was found (operation and field path), first one first.
    pub contexts: Vec<String>,
}

/// The differences found so far; one entry per pointer, kind and subject.
#[derive(Debug, Default)]
pub struct Differences {
    list: Vec<Difference>,
    index: HashMap<(String, Kind, Option<String>), usize>,
}

/// A difference about to be added (see [`Differences::add`]).
pub struct Found<'a> {
    /// JSON pointer.
    pub pointer: String,
    /// Kind.
    pub kind: Kind,
    /// Subject.
    pub subject: Option<&'a str>,
    /// What the SDK says.
    pub sdk: String,
    /// What the spec says.
    pub spec: Option<String>,
    /// Where.
    pub context: &'a str,
}

impl Differences {
    /// Adds a difference, or only its context when the same one was found before.
    pub fn add(&mut self, found: Found<'_>) {
        let key = (
            found.pointer.clone(),
            found.kind,
            found.subject.map(str::to_string),
        );
        if let Some(&i) = self.index.get(&key) {
            let contexts = &mut self.list[i].contexts;
            if !contexts.iter().any(|c| c == found.context) {
                contexts.push(found.context.to_string());
            }
            return;
        }
        self.index.insert(key, self.list.len());
        self.list.push(Difference {
            pointer: found.pointer,
            kind: found.kind,
            subject: found.subject.map(str::to_string),
            sdk: found.sdk,
            spec: found.spec,
            contexts: vec![found.context.to_string()],
        });
    }

    /// The differences, sorted by kind and pointer.
    pub fn into_sorted(mut self) -> Vec<Difference> {
        self.list.sort_by(|a, b| {
            (a.kind, &a.pointer, &a.subject).cmp(&(b.kind, &b.pointer, &b.subject))
        });
        self.list
    }
}
