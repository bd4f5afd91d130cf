//! Errors of the generation pipeline.

use std::fmt;
use std::path::PathBuf;

/// One rule the spec breaks, located by a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecViolation {
    /// JSON pointer (RFC 6901) of the offending node, for example `/paths/~1ecom~1v1~1x/post`.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for SpecViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File that failed.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The spec is not valid YAML or not a valid OpenAPI 3.0 document.
    #[error("{spec} is not a valid OpenAPI 3.0 document: {message}")]
    Parse {
        /// Spec name.
        spec: String,
        /// Parser message (with line and column where known).
        message: String,
    },
    /// The spec parses but breaks the project's rules.
    #[error("{spec} breaks {} rule(s):\n{}", .violations.len(), render(.violations))]
    Lint {
        /// Spec name.
        spec: String,
        /// Every violation found, in document order.
        violations: Vec<SpecViolation>,
    },
    /// progenitor or typify rejected the spec.
    #[error("progenitor rejected {spec}: {message}")]
    Progenitor {
        /// Spec name.
        spec: String,
        /// progenitor's message.
        message: String,
    },
    /// progenitor's or typify's output is not what a pass over it expects (a message or
    /// item it does not know, after an upgrade or a new kind of schema).
    #[error("progenitor's output for {what} is not what codegen expects: {message}")]
    UnexpectedOutput {
        /// Which pass.
        what: String,
        /// What it found.
        message: String,
    },
    /// Generated tokens did not parse as a Rust file (a generator bug).
    #[error("generated code for {what} is not valid Rust: {message}")]
    InvalidRust {
        /// Which output.
        what: String,
        /// syn's message.
        message: String,
    },
}

fn render(violations: &[SpecViolation]) -> String {
    violations
        .iter()
        .map(|v| format!("  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
