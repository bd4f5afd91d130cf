//! UUID path parameters written into the URL as they are.
//!
//! progenitor percent-encodes every path parameter through its text
//! (`encode_path(&id.to_string())`: a `String`, then a second one). A parameter whose generated
//! type is a UUID (the spec's `format: uuid`) is written as hex digits and hyphens, which
//! percent-encoding leaves unchanged; for those, the builder's `send()` formats the value
//! directly. The URL is the same text; only the two intermediate strings go.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;

use crate::builders::path_ends_with;

/// The builders' (`builder_items`) `send()` with their UUID path parameters formatted directly.
pub fn format_uuid_path_parameters_directly(items: &mut [syn::Item]) -> syn::Result<()> {
    let uuid_fields: BTreeMap<String, BTreeSet<String>> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(builder) => Some((builder.ident.to_string(), uuid_fields(builder))),
            _ => None,
        })
        .filter(|(_, fields)| !fields.is_empty())
        .collect();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(fields) = type_name(&block.self_ty).and_then(|name| uuid_fields.get(&name)) else {
            continue;
        };
        *block = syn::parse2(rewrite(block.to_token_stream(), fields))?;
    }
    Ok(())
}

/// The fields of a builder that hold a UUID (`Result<::uuid::Uuid, String>`).
fn uuid_fields(builder: &syn::ItemStruct) -> BTreeSet<String> {
    builder
        .fields
        .iter()
        .filter(|field| is_result_of_uuid(&field.ty))
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

/// Whether `ty` is `Result<…::uuid::Uuid, _>`.
fn is_result_of_uuid(ty: &syn::Type) -> bool {
    let Some(result) = last_segment(ty).filter(|s| s.ident == "Result") else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &result.arguments else {
        return false;
    };
    let Some(syn::GenericArgument::Type(ok)) = arguments.args.first() else {
        return false;
    };
    let syn::Type::Path(ok) = ok else {
        return false;
    };
    path_ends_with(&ok.path, &["uuid", "Uuid"])
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last(),
        _ => None,
    }
}

/// The name of the type an `impl` block is for.
fn type_name(ty: &syn::Type) -> Option<String> {
    last_segment(ty).map(|segment| segment.ident.to_string())
}

/// `tokens` with every `encode_path(&FIELD.to_string())` of a field in `fields` replaced by
/// `FIELD`, inside groups and macro arguments too.
fn rewrite(tokens: TokenStream, fields: &BTreeSet<String>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let Some(field) = encoded_field(&trees[i..], fields) {
            out.push(TokenTree::Ident(field));
            i += 2;
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), rewrite(group.stream(), fields));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// The field of `encode_path(&FIELD.to_string())` at the start of `trees`, when it is in
/// `fields`.
fn encoded_field(trees: &[TokenTree], fields: &BTreeSet<String>) -> Option<proc_macro2::Ident> {
    let [TokenTree::Ident(function), TokenTree::Group(arguments), ..] = trees else {
        return None;
    };
    if function != "encode_path" || arguments.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let argument: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let [TokenTree::Punct(reference), TokenTree::Ident(field), TokenTree::Punct(dot), TokenTree::Ident(method), TokenTree::Group(call)] =
        argument.as_slice()
    else {
        return None;
    };
    let is_to_string = reference.as_char() == '&'
        && dot.as_char() == '.'
        && method == "to_string"
        && call.delimiter() == Delimiter::Parenthesis
        && call.stream().is_empty();
    (is_to_string && fields.contains(&field.to_string())).then(|| field.clone())
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::builders::after_pass;

    fn builders() -> TokenStream {
        quote! {
            pub mod builder {
                pub struct GetThing<'a> {
                    client: &'a super::Client,
                    thing_id: Result<::uuid::Uuid, String>,
                }
                impl<'a> GetThing<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/things/{}", client.baseurl, encode_path(&thing_id.to_string()),);
                    }
                }
                pub struct RenameThing<'a> {
                    client: &'a super::Client,
                    id: Result<::std::string::String, String>,
                }
                impl<'a> RenameThing<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/things/{}", client.baseurl, encode_path(&id.to_string()),);
                    }
                }
            }
        }
    }

    #[test]
    fn a_uuid_path_parameter_is_formatted_directly() {
        let out = after_pass(builders(), format_uuid_path_parameters_directly);
        let get = &out[out.find("impl < 'a > GetThing").unwrap()..];
        let get = &get[..get.find("pub struct RenameThing").unwrap()];
        assert!(get.contains("client . baseurl , thing_id ,"), "{get}");
        assert!(!get.contains("encode_path"), "{get}");
    }

    #[test]
    fn a_text_path_parameter_is_still_percent_encoded() {
        let out = after_pass(builders(), format_uuid_path_parameters_directly);
        let rename = &out[out.find("impl < 'a > RenameThing").unwrap()..];
        assert!(
            rename.contains("encode_path (& id . to_string ())"),
            "{rename}"
        );
    }
}
