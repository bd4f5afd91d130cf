//! progenitor's operation builders (`pub mod builder` of the generated client), which the
//! passes of [`crate::path_params`] and [`crate::constant_headers`] rewrite after generation.

/// progenitor's module of operation builders.
pub const BUILDER_MODULE: &str = "builder";
/// typify's module of the spec's types, inside the generated file.
pub const TYPES_MODULE: &str = "types";

/// The items of the generated file's builder module, if it has one.
pub fn builder_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_items(&mut file.items, BUILDER_MODULE)
}

/// The items of the inline module `name` among `items`.
pub fn module_items<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// Whether `path`'s last segments are `tail` (`…::uuid::Uuid`, `…HeaderMap::with_capacity`).
pub fn path_ends_with(path: &syn::Path, tail: &[&str]) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.ends_with(&tail.iter().map(|t| t.to_string()).collect::<Vec<_>>())
}

/// The file's text after `pass` ran over its builders (for the passes' tests).
#[cfg(test)]
pub fn after_pass(
    tokens: proc_macro2::TokenStream,
    pass: impl FnOnce(&mut [syn::Item]) -> syn::Result<()>,
) -> String {
    use quote::ToTokens;
    let mut file: syn::File = syn::parse2(tokens).expect("a Rust file");
    pass(builder_items(&mut file).expect("a builder module")).expect("the pass runs");
    file.into_token_stream().to_string()
}
