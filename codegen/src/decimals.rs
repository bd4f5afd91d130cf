//! Decimal schemas: each component schema with an `x-wix-decimal-range` is held by the
//! runtime's [`Decimal`](wix_runtime::money::Decimal) of a generated marker type (in
//! `generated/rules.rs`), which implements [`DecimalSchema`](wix_runtime::money::DecimalSchema)
//! with the schema's range, the field its values are in, and its JSON Schema as the spec writes
//! it (vendor extensions left out), so the JSON Schema of a type that holds an amount shows the
//! spec's pattern and description.

use heck::ToLowerCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::naming::pointer;
use crate::rules::{self, DECIMAL_RANGE_EXTENSION};
use crate::spec::{referenced_schema, LoadedSpec};

/// The decimal schemas (those with an `x-wix-decimal-range`), in the order of the components.
pub fn decimal_schemas(spec: &LoadedSpec) -> Vec<&str> {
    spec.component_schemas()
        .filter(|(_, schema)| schema.get(DECIMAL_RANGE_EXTENSION).is_some())
        .map(|(name, _)| name)
        .collect()
}

/// Each decimal schema with the Rust type that holds it ([`decimal_type`]).
pub fn decimal_types(spec: &LoadedSpec, crate_path: &str) -> Vec<(String, String)> {
    decimal_schemas(spec)
        .into_iter()
        .map(|name| (name.to_string(), type_of(name, crate_path)))
        .collect()
}

/// The Rust type that holds the schema `name` when it is a decimal schema, as code in the crate
/// at `crate_path` names it (`crate` in the client crate itself):
/// `::wix_runtime::money::Decimal<crate::generated::rules::DecimalAmount>`.
pub fn decimal_type(spec: &LoadedSpec, name: &str, crate_path: &str) -> Option<String> {
    spec.at(&pointer(["components", "schemas", name]))?
        .get(DECIMAL_RANGE_EXTENSION)
        .map(|_| type_of(name, crate_path))
}

fn type_of(name: &str, crate_path: &str) -> String {
    let rules_path = rules::MODULE_PATH
        .strip_prefix("crate")
        .expect("the rule tables' path starts at the crate");
    format!("::wix_runtime::money::Decimal<{crate_path}{rules_path}::{name}>")
}

/// The marker type of each decimal schema and its `DecimalSchema` impl, for `rules.rs`.
pub fn schema_markers(spec: &LoadedSpec) -> TokenStream {
    let markers = decimal_schemas(spec).into_iter().map(|name| {
        let schema = &spec.raw["components"]["schemas"][name];
        let marker = format_ident!("{name}");
        let range = rules::range_constant(name);
        let field = field_of(spec, name);
        let json = without_extensions(schema).to_string();
        let doc = format!(
            " The decimal schema `{name}`: `::wix_runtime::money::Decimal<{name}>` holds its values."
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #marker {}

            impl ::wix_runtime::money::DecimalSchema for #marker {
                const NAME: &'static str = #name;
                const RANGE: DecimalRange = #range;
                const FIELD: &'static str = #field;
                const JSON_SCHEMA: &'static str = #json;
            }
        }
    });
    quote! { #(#markers)* }
}

/// The field a decimal schema's values are in, as errors name it: the name of the properties
/// that refer to it when they share one (`amount`), else the schema's name in lowerCamelCase.
fn field_of(spec: &LoadedSpec, name: &str) -> String {
    let mut names: Vec<&str> = spec
        .component_schemas()
        .filter_map(|(_, schema)| schema.get("properties")?.as_object())
        .flat_map(|properties| properties.iter())
        .filter(|(_, property)| referenced_schema(property) == Some(name))
        .map(|(property, _)| property.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [one] => one.to_string(),
        _ => name.to_lower_camel_case(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_ranged_decimal_is_the_runtimes_decimal_of_its_marker_named_by_its_properties() {
        let spec = crate::spec::load(
            r#"
openapi: 3.0.3
info: {title: t, version: "1", x-wix-entity: Price, x-wix-client-crate: c}
paths: {}
components:
  schemas:
    Price:
      type: object
      properties:
        total: {$ref: '#/components/schemas/Money'}
        fee: {$ref: '#/components/schemas/Fee'}
        other: {$ref: '#/components/schemas/Fee'}
    Money: {type: string, format: decimal, x-wix-decimal-range: {gte: "0"}}
    Fee: {type: string, format: decimal, x-wix-decimal-range: {lte: "5"}}
    Plain: {type: string, format: decimal}
"#,
            "t.yaml",
        )
        .unwrap();
        assert_eq!(decimal_schemas(&spec), ["Fee", "Money"]);
        assert_eq!(
            decimal_types(&spec, "my_api")[1].1,
            "::wix_runtime::money::Decimal<my_api::generated::rules::Money>"
        );
        assert_eq!(
            decimal_type(&spec, "Money", "crate").as_deref(),
            Some("::wix_runtime::money::Decimal<crate::generated::rules::Money>")
        );
        assert_eq!(decimal_type(&spec, "Plain", "crate"), None);
        assert_eq!(decimal_type(&spec, "Missing", "crate"), None);
        assert_eq!(field_of(&spec, "Money"), "total");
        // Two properties of different names: the schema's own name.
        assert_eq!(field_of(&spec, "Fee"), "fee");
        let markers = schema_markers(&spec).to_string();
        assert!(
            markers.contains("const FIELD : & 'static str = \"total\""),
            "{markers}"
        );
        assert!(!markers.contains("x-wix"), "{markers}");
    }
}
