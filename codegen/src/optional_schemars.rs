//! The generated types' JSON Schemas behind the client crate's `schemars` feature.
//!
//! Only `wix-opr schema` prints them, yet deriving them costs every dependent app `schemars`,
//! its derive macro and a second `syn` in its first build. [`gate`] turns each
//! `#[derive(.., schemars::JsonSchema, ..)]` into the other derives plus
//! `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`, and puts each
//! `impl ::schemars::JsonSchema for ..` under `#[cfg(feature = "schemars")]`.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

use crate::builders::path_ends_with;
use crate::CodegenError;

/// The client crate's feature that enables the JSON Schemas.
pub const FEATURE: &str = "schemars";

/// `tokens` (a generated file of the client crate) with its JSON Schema derives and impls
/// behind [`FEATURE`].
pub fn gate(tokens: TokenStream) -> Result<TokenStream, CodegenError> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::InvalidRust {
        what: "a generated file before its JSON Schemas are made optional".to_string(),
        message: e.to_string(),
    })?;
    Gate.visit_file_mut(&mut file);
    Ok(file.into_token_stream())
}

struct Gate;

impl VisitMut for Gate {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        gate_derive(&mut item.attrs);
        visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        gate_derive(&mut item.attrs);
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let is_json_schema = item
            .trait_
            .as_ref()
            .is_some_and(|(_, path, _)| is_json_schema(path));
        if is_json_schema {
            item.attrs
                .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
        }
        visit_mut::visit_item_impl_mut(self, item);
    }
}

fn is_json_schema(path: &syn::Path) -> bool {
    path_ends_with(path, &["schemars", "JsonSchema"])
}

/// Moves `schemars::JsonSchema` out of the `derive` attributes in `attrs` into a `cfg_attr`.
fn gate_derive(attrs: &mut Vec<syn::Attribute>) {
    let mut gated = false;
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        if !paths.iter().any(is_json_schema) {
            continue;
        }
        let kept: Vec<&syn::Path> = paths.iter().filter(|p| !is_json_schema(p)).collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        gated = true;
    }
    if gated {
        attrs.push(syn::parse_quote!(
            #[cfg_attr(feature = #FEATURE, derive(schemars::JsonSchema))]
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn derives_and_impls_move_behind_the_feature() {
        let out = gate(quote! {
            #[derive(Clone, schemars::JsonSchema, Debug)]
            #[serde(transparent)]
            pub struct Title(String);
            #[derive(Clone)]
            pub enum Plain { A }
            impl ::schemars::JsonSchema for Status { }
            impl ::std::fmt::Display for Status { }
        })
        .unwrap()
        .to_string();
        assert!(out.contains("# [derive (Clone , Debug)]"), "{out}");
        assert_eq!(
            out.matches("# [cfg_attr (feature = \"schemars\" , derive (schemars :: JsonSchema))]")
                .count(),
            1,
            "{out}"
        );
        assert!(
            out.contains(
                "# [cfg (feature = \"schemars\")] impl :: schemars :: JsonSchema for Status"
            ),
            "{out}"
        );
        assert!(
            out.contains("impl :: std :: fmt :: Display for Status"),
            "{out}"
        );
        assert!(!out.contains("Display for Status { } # [cfg"), "{out}");
    }
}
