//! `schema NAME`: the JSON Schema (from schemars) of a type the spec names.

use clap::Args;

use crate::generated::cli::{schema_of, SCHEMA_NAMES};
use crate::report::ErrorReport;

/// `schema`'s arguments.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// A schema name from the spec, e.g. OrderPaymentRequest
    name: Option<String>,
}

/// The schema as JSON text, or the list of names when no name is given.
pub fn run(args: &SchemaArgs) -> Result<String, ErrorReport> {
    let Some(name) = &args.name else {
        return Ok(SCHEMA_NAMES.iter().map(|n| format!("{n}\n")).collect());
    };
    match schema_of(name) {
        Some(schema) => Ok(crate::output::json(
            &serde_json::to_value(schema).unwrap_or_default(),
        )),
        None => Err(ErrorReport {
            operation: "schema".into(),
            message: Some(format!(
                "no schema named {name:?}; `wix-opr schema` lists the {} names",
                SCHEMA_NAMES.len()
            )),
            ..ErrorReport::default()
        }),
    }
}
