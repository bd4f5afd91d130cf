//! `schemars::JsonSchema` for the hand-written types that stand in for spec schemas
//! ([`client::HAND_WRITTEN_TYPES`](crate::client::HAND_WRITTEN_TYPES)): each answers with its
//! schema as the spec writes it (vendor extensions left out), so the JSON Schema of a type that
//! holds an `Amount` shows the spec's pattern and description.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::client::HAND_WRITTEN_TYPES;
use crate::spec::LoadedSpec;
use crate::{CodegenError, SpecViolation};

/// Generates one `JsonSchema` impl per hand-written replacement type.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let mut impls = Vec::new();
    for (schema_name, rust_type) in HAND_WRITTEN_TYPES {
        let pointer = format!("/components/schemas/{schema_name}");
        let Some(schema) = spec.at(&pointer) else {
            return Err(CodegenError::Lint {
                spec: spec.name.clone(),
                violations: vec![SpecViolation {
                    pointer,
                    message: format!("{rust_type} stands in for this schema, which is missing"),
                }],
            });
        };
        let json = without_extensions(schema).to_string();
        let ty: syn::Type = syn::parse_str(rust_type).expect("HAND_WRITTEN_TYPES holds Rust paths");
        impls.push(quote! {
            impl ::schemars::JsonSchema for #ty {
                fn schema_name() -> String {
                    #schema_name.to_string()
                }

                fn json_schema(_: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                    // A JSON object, written by codegen: every JSON object is a schemars schema.
                    ::serde_json::from_str(#json).expect("a JSON object is a schema")
                }
            }
        });
    }
    Ok(quote! { #(#impls)* })
}

/// `schema` without its `x-` members, at every depth.
fn without_extensions(schema: &Value) -> Value {
    match schema {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(key, _)| !key.starts_with("x-"))
                .map(|(key, value)| (key.clone(), without_extensions(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_extensions).collect()),
        other => other.clone(),
    }
}
