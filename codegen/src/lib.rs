//! Turns the hand-maintained OpenAPI document (`spec/openapi.yaml`) into the source files of the
//! generated client crate and of the `wix-opr` command line.
//!
//! The pipeline is: [`spec::load`] parses the document (writing the named schemas typify would only wrap inline in
//! the copy progenitor reads, [`inline_schemas`]), [`lint::check`] enforces the project's
//! rules on it (every failure names a JSON pointer into the document), then each generator
//! produces one file:
//!
//! | generator | output | what it holds |
//! |---|---|---|
//! | [`client`] | `generated/client.rs` | progenitor's `Client`, builders and `types` |
//! | [`enums`] | `generated/enums.rs` | forward-compatible enums (unknown values round-trip) |
//! | [`error_codes`] | `generated/error_codes.rs` | typed application error codes per operation |
//! | [`webhooks`] | `generated/webhook_events.rs` | webhook event types, slugs, kinds, bodies, embedded-object members |
//! | [`query_fields`] | `generated/query_fields.rs` | the query builder's fields and operator sets |
//! | [`operations`] | `generated/operations.rs` | one marker type per operation: its rule, types and error codes |
//! | [`rules`] | `generated/rules.rs` | operations (method, paths, retry class), bounds, immutable and read-only fields, decimal ranges |
//! | [`cli`] | `cli/src/generated/cli.rs` | progenitor's CLI (one command per operation) and the schemas by name |
//!
//! [`generate`] runs the whole pipeline and returns the files as `(path, contents)` pairs; it
//! writes nothing. `cargo xtask generate` is the caller that touches the disk.
//! [`generate_crate`] returns a complete client crate for any spec in this project's
//! conventions (`cargo xtask generate --spec FILE --out DIR`).

pub mod builders;
pub mod cli;
pub mod client;
pub mod constant_headers;
pub mod conversion_errors;
pub mod crate_files;
pub mod decimals;
pub mod enums;
pub mod error;
pub mod error_codes;
pub mod format;
pub mod hooks;
pub mod inline_schemas;
pub mod lint;
pub mod low_level;
pub mod naming;
pub mod operations;
pub mod optional_schemars;
pub mod path_params;
pub mod query_fields;
pub mod rules;
pub mod spec;
pub mod string_newtypes;
pub mod type_builders;
pub mod webhook_bodies;
pub mod webhooks;
pub mod wire_types;

use proc_macro2::TokenStream;
use std::path::{Path, PathBuf};

pub use crate_files::{generate_crate, CRATE_GENERATED_DIR};
pub use error::{CodegenError, SpecViolation};

/// Path of the OpenAPI document, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/openapi.yaml";

/// Directory, relative to the workspace root, of the client crate's generated files.
pub const GENERATED_DIR: &str = "generated-client/src/generated";

/// Directory, relative to the workspace root, of the CLI crate's generated files.
pub const CLI_GENERATED_DIR: &str = "cli/src/generated";

/// Every directory that holds generated files, and nothing else: a file there that generation
/// does not produce is stale.
pub const GENERATED_DIRS: [&str; 2] = [GENERATED_DIR, CLI_GENERATED_DIR];

/// One generated source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: PathBuf,
    /// Complete file contents, `@generated` header included.
    pub contents: String,
}

/// Reads `spec/openapi.yaml` under `workspace_root` and returns every generated file.
pub fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, CodegenError> {
    let spec_file = workspace_root.join(SPEC_PATH);
    let text = std::fs::read_to_string(&spec_file).map_err(|source| CodegenError::Io {
        path: spec_file.clone(),
        source,
    })?;
    generate_from_str(&text, SPEC_PATH)
}

/// Runs the pipeline on spec text. `spec_name` is how messages and file headers name the spec.
pub fn generate_from_str(text: &str, spec_name: &str) -> Result<Vec<GeneratedFile>, CodegenError> {
    let spec = spec::load(text, spec_name)?;
    lint::check(&spec)?;

    let header = format::Header::new(spec_name);
    let file = |name: &str, body: String| GeneratedFile {
        path: Path::new(GENERATED_DIR).join(name),
        contents: body,
    };
    let cli_file = |name: &str, body: String| GeneratedFile {
        path: Path::new(CLI_GENERATED_DIR).join(name),
        contents: body,
    };
    // The client crate's files: their JSON Schemas behind its `schemars` feature.
    let client_file = |name: &str, tokens: TokenStream| -> Result<GeneratedFile, CodegenError> {
        Ok(file(
            name,
            header.render(&optional_schemars::gate(tokens)?)?,
        ))
    };
    Ok(vec![
        file("mod.rs", header.render_module_index(&MODULES)),
        client_file("client.rs", client::generate(&spec)?)?,
        client_file("enums.rs", enums::generate(&spec)?)?,
        client_file("error_codes.rs", error_codes::generate(&spec)?)?,
        client_file("webhook_events.rs", webhooks::generate(&spec)?)?,
        file(
            "query_fields.rs",
            header.render(&query_fields::generate(&spec)?)?,
        ),
        file("rules.rs", header.render(&rules::generate(&spec)?)?),
        file(
            "operations.rs",
            header.render(&operations::generate(&spec)?)?,
        ),
        cli_file("mod.rs", header.render_module_index(&CLI_MODULES)),
        cli_file("cli.rs", header.render(&cli::generate(&spec)?)?),
    ])
}

/// The generated modules, with the doc line `mod.rs` gives each.
const MODULES: [(&str, &str); 7] = [
    (
        "client",
        "progenitor's client: `Client`, one builder per operation, and the spec's `types`.",
    ),
    (
        "enums",
        "Forward-compatible enums: a value this version does not know decodes as `Unknown`.",
    ),
    (
        "error_codes",
        "Each operation's documented application error codes, as typed enums.",
    ),
    (
        "webhook_events",
        "The webhook event types of `x-wix-webhooks` (slug, kind, body schema) and the domain event's embedded-object members.",
    ),
    (
        "query_fields",
        "The query builder's fields and operator sets, from `x-wix-query-fields` and `x-wix-query-operators`.",
    ),
    (
        "operations",
        "One marker type per operation (`ApiOperation`): its rule, body, answer and error codes.",
    ),
    (
        "rules",
        "The spec's rules as data: operations (method, paths, `x-wix-retry`), bounds, immutable and read-only fields, decimal ranges and the marker type of each decimal schema.",
    ),
];

/// The CLI crate's generated modules, with the doc line its `mod.rs` gives each.
const CLI_MODULES: [(&str, &str); 1] = [(
    "cli",
    "progenitor's CLI: one command per operation (`Cli`, `CliCommand`, `CliConfig`), and every component schema by name.",
)];
