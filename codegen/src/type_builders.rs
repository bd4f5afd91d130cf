//! typify's per-type builders behind the client crate's `type-builders` feature.
//!
//! With progenitor's builder interface, typify gives every type a builder
//! (`types::builder::NewOrderPaymentRequest` beside `types::NewOrderPaymentRequest`, and
//! `NewOrderPaymentRequest::builder()`), and each operation's builder keeps its body as the
//! body type's builder so that `body_map` can set it field by field. Only progenitor's CLI
//! fills bodies that way; for everyone else they are a second name for every type and nearly
//! half of the generated file, which every dependent app compiles.
//!
//! [`gate`] puts them behind [`FEATURE`] (and keeps them out of the docs even then):
//!
//! - `types::builder` and each type's `builder()`;
//! - each operation builder's `body_map()`;
//! - each operation builder's `body` field holds the body type itself without the feature
//!   (`Result<types::X, String>`, `Err("body: is required")` until `body()` is called) and the
//!   body type's builder with it. `body()` and `send_raw()` read the same either way: they
//!   convert through `From`/`TryFrom`, which for a type into itself is the identity.

use syn::visit_mut::{self, VisitMut};

use crate::builders::module_items;

/// The client crate's feature that enables the type builders.
pub const FEATURE: &str = "type-builders";
/// typify's module of the types' builders, inside `types`.
pub const TYPE_BUILDER_MODULE: &str = "builder";
/// The operation builders' field that holds the body.
const BODY_FIELD: &str = "body";
/// What an operation builder's body is until `body()` sets it, without the feature.
const BODY_UNSET: &str = "body: is required";

/// Gates the type builders of the generated client file (see the module docs). `types_module`
/// and `builder_module` name typify's module of types and progenitor's of operation builders.
pub fn gate(file: &mut syn::File, types_module: &str, builder_module: &str) -> syn::Result<()> {
    let missing = |what: &str| syn::Error::new(proc_macro2::Span::call_site(), what);
    let types = module_items(&mut file.items, types_module)
        .ok_or_else(|| missing("the generated file has no `types` module"))?;
    let mut gated_module = false;
    for item in types.iter_mut() {
        match item {
            syn::Item::Mod(module) if module.ident == TYPE_BUILDER_MODULE => {
                module
                    .attrs
                    .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
                module.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                gated_module = true;
            }
            syn::Item::Impl(block) if starts_a_builder(block) => {
                block
                    .attrs
                    .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
            }
            _ => {}
        }
    }
    if !gated_module {
        return Err(missing("`types` has no builder module"));
    }
    let operations = module_items(&mut file.items, builder_module)
        .ok_or_else(|| missing("the generated file has no operation builders"))?;
    for item in operations.iter_mut() {
        match item {
            syn::Item::Struct(builder) => split_body_field(builder),
            syn::Item::Impl(block) => OperationBuilder.visit_item_impl_mut(block),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `block` is `impl X { pub fn builder() -> builder::X { .. } }`, typify's way in to a
/// type's builder.
fn starts_a_builder(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none()
        && block.items.len() == 1
        && matches!(&block.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder")
}

/// `body: Result<types::builder::X, String>` becomes that field with the feature and
/// `body: Result<types::X, String>` without it.
fn split_body_field(builder: &mut syn::ItemStruct) {
    let syn::Fields::Named(fields) = &mut builder.fields else {
        return;
    };
    let Some(at) = fields
        .named
        .iter()
        .position(|f| f.ident.as_ref().is_some_and(|i| i == BODY_FIELD))
    else {
        return;
    };
    let mut with = fields.named[at].clone();
    let mut without = with.clone();
    if !WithoutTypeBuilders::default().rewrite_type(&mut without.ty) {
        return;
    }
    with.attrs
        .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
    without
        .attrs
        .push(syn::parse_quote!(#[cfg(not(feature = #FEATURE))]));
    replace_with_both(&mut fields.named, at, with, without);
}

/// Replaces the element at `at` of `list` with `with` followed by `without`.
fn replace_with_both<T, P: Default>(
    list: &mut syn::punctuated::Punctuated<T, P>,
    at: usize,
    with: T,
    without: T,
) {
    let mut both = Some((with, without));
    for (i, element) in std::mem::take(list).into_iter().enumerate() {
        match both.take_if(|_| i == at) {
            Some((with, without)) => {
                list.push(with);
                list.push(without);
            }
            None => list.push(element),
        }
    }
}

/// Rewrites `types::builder::X` paths to `types::X`, noting whether it found one.
#[derive(Default)]
struct WithoutTypeBuilders {
    found: bool,
}

impl WithoutTypeBuilders {
    fn rewrite_type(&mut self, ty: &mut syn::Type) -> bool {
        self.visit_type_mut(ty);
        self.found
    }
}

impl VisitMut for WithoutTypeBuilders {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(at) = names.windows(2).position(|w| w[1] == TYPE_BUILDER_MODULE) {
            if names.len() > at + 2 {
                let segments: Vec<syn::PathSegment> = path.segments.iter().cloned().collect();
                path.segments = segments
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| *i != at + 1)
                    .map(|(_, s)| s)
                    .collect();
                self.found = true;
            }
        }
        visit_mut::visit_path_mut(self, path);
    }
}

/// An operation builder's methods: `body_map` gated, and `new()`'s body set to
/// [`BODY_UNSET`] without the feature.
struct OperationBuilder;

impl VisitMut for OperationBuilder {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident == "body_map" {
            function
                .attrs
                .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
        } else if function.sig.ident == "new" {
            visit_mut::visit_impl_item_fn_mut(self, function);
        }
    }

    fn visit_expr_struct_mut(&mut self, init: &mut syn::ExprStruct) {
        let Some(at) = init
            .fields
            .iter()
            .position(|f| matches!(&f.member, syn::Member::Named(name) if name == BODY_FIELD))
        else {
            return;
        };
        let mut with = init.fields[at].clone();
        with.attrs
            .push(syn::parse_quote!(#[cfg(feature = #FEATURE)]));
        let without: syn::FieldValue = syn::parse_quote! {
            #[cfg(not(feature = #FEATURE))]
            body: Err(#BODY_UNSET.to_string())
        };
        replace_with_both(&mut init.fields, at, with, without);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{quote, ToTokens};

    fn gated(tokens: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        gate(&mut file, "types", "builder").unwrap();
        file.into_token_stream().to_string()
    }

    #[test]
    fn type_builders_and_body_map_need_the_feature() {
        let out = gated(quote! {
            pub mod types {
                impl Thing { pub fn builder() -> builder::Thing { Default::default() } }
                impl Thing { pub fn new() {} }
                pub mod builder { pub struct Thing; }
            }
            pub mod builder {
                pub struct GetThing<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::Thing, String>,
                }
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                    pub fn body_map(self) {}
                    pub fn body(self) {}
                }
            }
        });
        let cfg = "# [cfg (feature = \"type-builders\")]";
        let not = "# [cfg (not (feature = \"type-builders\"))]";
        assert!(
            out.contains(&format!("{cfg} impl Thing {{ pub fn builder")),
            "{out}"
        );
        assert!(out.contains("impl Thing { pub fn new"), "{out}");
        assert!(
            out.contains(&format!(
                "{cfg} # [doc (hidden)] pub mod builder {{ pub struct Thing"
            )),
            "{out}"
        );
        assert!(out.contains(&format!("{cfg} pub fn body_map")), "{out}");
        assert!(
            out.contains(&format!(
                "{cfg} body : Result < types :: builder :: Thing , String > , {not} body : Result < types :: Thing , String >"
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "{cfg} body : Ok (:: std :: default :: Default :: default ()) , {not} body : Err (\"body: is required\" . to_string ())"
            )),
            "{out}"
        );
    }

    #[test]
    fn a_file_without_type_builders_is_an_error() {
        let mut file: syn::File =
            syn::parse2(quote! { pub mod types {} pub mod builder {} }).unwrap();
        assert!(gate(&mut file, "types", "builder").is_err());
    }
}
