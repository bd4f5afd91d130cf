//! Forward-compatible enums.
//!
//! Wix adds enum values without notice (the API is in developer preview), so a closed Rust enum
//! would fail to decode a response the day a value appears. Every named string enum of the spec
//! becomes an enum with one variant per documented value plus `Unknown(String)`, which keeps the
//! value verbatim so it serialises back unchanged. (Where the spec itself documents a value
//! `UNKNOWN`, that value keeps the name `Unknown` and the catch-all is `Unrecognized(String)`.) progenitor's types refer to these through
//! typify replacements (see [`crate::client::settings`]).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::naming::variant_name;
use crate::spec::LoadedSpec;
use crate::CodegenError;

/// Rust path of the generated module, as the other generated modules refer to it.
pub const MODULE_PATH: &str = "crate::generated::enums";

/// A named string enum of the spec.
#[derive(Debug, Clone)]
pub struct SpecEnum {
    /// Schema name, used as the Rust type name.
    pub name: String,
    /// Schema description.
    pub description: String,
    /// Documented values with their descriptions, in spec order.
    pub values: Vec<(String, Option<String>)>,
}

/// Names of the schemas that become forward-compatible enums.
pub fn forward_compatible_enum_names(spec: &LoadedSpec) -> Vec<String> {
    spec_enums(spec).into_iter().map(|e| e.name).collect()
}

/// Every component schema of `type: string` with an `enum` list.
pub fn spec_enums(spec: &LoadedSpec) -> Vec<SpecEnum> {
    spec.component_schemas()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("string"))
        .filter_map(|(name, s)| {
            let values = s.get("enum")?.as_array()?;
            let docs = s.get("x-enum-descriptions");
            Some(SpecEnum {
                name: name.to_string(),
                description: s
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                values: values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| {
                        let doc = docs
                            .and_then(|d| d.get(v))
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        (v.to_string(), doc)
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Generates the `enums` module.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let enums = spec_enums(spec);
    let items = enums.iter().map(|e| {
        let values: Vec<_> = e
            .values
            .iter()
            .map(|(wire, doc)| {
                (
                    wire.clone(),
                    doc.clone().unwrap_or_else(|| format!("`{wire}`.")),
                )
            })
            .collect();
        forward_compatible_enum(&e.name, &e.description, &values)
    });
    Ok(quote! {
        #![allow(clippy::all)]
        #(#items)*
    })
}

/// One forward-compatible enum with its serde, `Display` and `FromStr` impls. Also used for the
/// application error codes.
pub fn forward_compatible_enum(
    name: &str,
    description: &str,
    values: &[(String, String)],
) -> TokenStream {
    let ty = format_ident!("{name}");
    let doc = doc_lines(description);
    let variants: Vec<_> = values
        .iter()
        .map(|(wire, _)| format_ident!("{}", variant_name(wire)))
        .collect();
    let wires: Vec<_> = values
        .iter()
        .map(|(wire, _)| Literal::string(wire))
        .collect();
    let catch_all = catch_all_variant(values);
    let variant_docs: Vec<_> = values.iter().map(|(_, d)| doc_lines(d)).collect();
    let unknown_doc = " A value this version of the client does not know. It is kept verbatim, \
                       so it serialises back unchanged.";
    let schema_description = format!(
        "{} Documented values: {}. Any other string is accepted and kept.",
        description.trim(),
        values
            .iter()
            .map(|(wire, _)| format!("`{wire}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #ty {
            #(
                #variant_docs
                #variants,
            )*
            #[doc = #unknown_doc]
            #catch_all(String),
        }

        impl #ty {
            /// Every documented value, in the spec's order.
            pub const KNOWN: &'static [#ty] = &[#(#ty::#variants),*];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#ty::#variants => #wires,)*
                    #ty::#catch_all(value) => value.as_str(),
                }
            }

            /// Whether this is a value the spec does not document.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #ty::#catch_all(_))
            }
        }

        impl ::std::convert::From<&str> for #ty {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => #ty::#variants,)*
                    other => #ty::#catch_all(other.to_string()),
                }
            }
        }

        impl ::std::convert::From<String> for #ty {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#wires => #ty::#variants,)*
                    _ => #ty::#catch_all(value),
                }
            }
        }

        impl ::std::str::FromStr for #ty {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#ty::from(value))
            }
        }

        impl ::std::fmt::Display for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(#ty::from(value))
            }
        }

        /// Any string: the documented values are examples, because an undocumented one is kept.
        impl ::schemars::JsonSchema for #ty {
            fn schema_name() -> String {
                #name.to_string()
            }

            fn json_schema(_: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                ::schemars::schema::SchemaObject {
                    instance_type: Some(::schemars::schema::InstanceType::String.into()),
                    metadata: Some(Box::new(::schemars::schema::Metadata {
                        description: Some(#schema_description.to_string()),
                        examples: vec![#(::serde_json::Value::from(#wires)),*],
                        ..Default::default()
                    })),
                    ..Default::default()
                }
                .into()
            }
        }
    }
}

/// The variant that holds undocumented values: `Unknown`, or `Unrecognized` when the spec
/// documents a value `UNKNOWN` of its own (as `WebhookIdentityType` does).
pub fn catch_all_variant(values: &[(String, String)]) -> proc_macro2::Ident {
    if values
        .iter()
        .any(|(wire, _)| variant_name(wire) == "Unknown")
    {
        format_ident!("Unrecognized")
    } else {
        format_ident!("Unknown")
    }
}

/// `#[doc = "..."]` attributes, one per line of `text`.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}
