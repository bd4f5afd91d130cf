//! The string newtypes of the generated types (`PaymentRequestTitle`, `PaymentPageUrl`, ...)
//! read as strings without `Deref`.
//!
//! typify gives each `impl Deref<Target = String>`, so its rustdoc page lists every method of
//! `String` and the newtype cannot be printed with `{}`. [`as_strings`] replaces that `Deref`
//! with `as_str()`, `AsRef<str>`, `Borrow<str>` and `Display`: the page shows the type's own
//! items, and `format!("{url}")` works. A newtype's value is still made only through its
//! checked conversions (`parse()`, `TryFrom`).

use quote::quote;

use crate::builders::path_ends_with;

/// Replaces `Deref<Target = String>` of each string newtype among `types` (the items of the
/// generated `types` module) with `as_str()`, `AsRef<str>`, `Borrow<str>` and `Display`.
/// Returns the newtypes it changed, by name.
pub fn as_strings(types: &mut Vec<syn::Item>) -> Vec<String> {
    let mut changed = Vec::new();
    types.retain(|item| match string_deref_of(item) {
        Some(name) => {
            changed.push(name);
            false
        }
        None => true,
    });
    for name in &changed {
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        let items: syn::File = syn::parse_quote! {
            impl #ident {
                /// The value as a string slice.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }
            impl ::std::convert::AsRef<str> for #ident {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
            impl ::std::borrow::Borrow<str> for #ident {
                fn borrow(&self) -> &str {
                    &self.0
                }
            }
            impl ::std::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
        };
        types.extend(items.items);
    }
    changed
}

/// The newtype `item` implements `Deref<Target = String>` for, if it is that impl.
fn string_deref_of(item: &syn::Item) -> Option<String> {
    let syn::Item::Impl(block) = item else {
        return None;
    };
    let (_, path, _) = block.trait_.as_ref()?;
    if !path_ends_with(path, &["ops", "Deref"]) {
        return None;
    }
    let targets_string = block.items.iter().any(|member| match member {
        syn::ImplItem::Type(target) => {
            let ty = &target.ty;
            quote!(#ty).to_string().replace(' ', "") == "::std::string::String"
        }
        _ => false,
    });
    if !targets_string {
        return None;
    }
    match &*block.self_ty {
        syn::Type::Path(ty) => ty.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn a_string_deref_becomes_as_str_and_display() {
        let mut file: syn::File = syn::parse2(quote! {
            pub struct Title(::std::string::String);
            impl ::std::ops::Deref for Title {
                type Target = ::std::string::String;
                fn deref(&self) -> &::std::string::String { &self.0 }
            }
            pub struct Ids(Vec<u8>);
            impl ::std::ops::Deref for Ids {
                type Target = Vec<u8>;
                fn deref(&self) -> &Vec<u8> { &self.0 }
            }
        })
        .unwrap();
        assert_eq!(as_strings(&mut file.items), ["Title"]);
        let out = file.into_token_stream().to_string();
        assert!(!out.contains("Deref for Title"), "{out}");
        assert!(out.contains("Deref for Ids"), "{out}");
        assert!(out.contains("pub fn as_str (& self) -> & str"), "{out}");
        assert!(out.contains("AsRef < str > for Title"), "{out}");
        assert!(out.contains("Display for Title"), "{out}");
    }
}
