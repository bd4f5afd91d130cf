//! One name per concept in the generated client's public surface.
//!
//! - progenitor's `send()` returns its own error type (`progenitor_client::Error<WixError>`).
//!   [`rename_untyped_send`] renames it `send_raw()`, so that `send()` is the one
//!   [`crate::error_codes`] adds, which answers with the crate's `Error` and the operation's
//!   typed application error code: the error type a user matches on. The generated CLI, which
//!   prints progenitor's error, calls `send_raw()` ([`call_untyped_send`]).
//! - typify's per-type builders, a second name for every type, are behind a feature:
//!   [`crate::type_builders`].

use syn::visit_mut::{self, VisitMut};

/// The name progenitor gives each builder's sending method.
const SEND: &str = "send";
/// What progenitor's sending method is renamed to.
pub const SEND_RAW: &str = "send_raw";
/// The doc of `send_raw()`.
const SEND_RAW_DOC: &str = "Sends the request; a failure comes back as progenitor's error, \
    undecoded. [`Self::send`] gives the crate's `Error` with the operation's typed application \
    error code.";

/// Renames progenitor's `send()` in the operation builders (`builder_items`) to `send_raw()`,
/// with a doc line that says what it returns.
pub fn rename_untyped_send(items: &mut [syn::Item]) -> syn::Result<()> {
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                if function.sig.ident == SEND {
                    function.sig.ident = syn::Ident::new(SEND_RAW, function.sig.ident.span());
                    function
                        .attrs
                        .insert(0, syn::parse_quote!(#[doc = #SEND_RAW_DOC]));
                }
            }
        }
    }
    Ok(())
}

/// Makes every `.send()` call in `file` (the generated CLI) a `.send_raw()` call.
pub fn call_untyped_send(file: &mut syn::File) {
    struct Calls;
    impl VisitMut for Calls {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if call.method == SEND && call.args.is_empty() {
                call.method = syn::Ident::new(SEND_RAW, call.method.span());
            }
            visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    Calls.visit_file_mut(file);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::after_pass;
    use quote::{quote, ToTokens};

    #[test]
    fn progenitors_send_becomes_send_raw() {
        let out = after_pass(
            quote! {
                pub mod builder {
                    impl<'a> GetThing<'a> {
                        pub async fn send(self) {}
                        pub fn sender(self) {}
                    }
                }
            },
            rename_untyped_send,
        );
        assert!(out.contains("pub async fn send_raw (self)"), "{out}");
        assert!(!out.contains("fn send (self)"), "{out}");
        assert!(out.contains("pub fn sender (self)"), "{out}");
    }

    #[test]
    fn the_cli_calls_send_raw() {
        let mut file: syn::File = syn::parse2(quote! {
            fn run() { let r = request.send().await; let s = other.send(1); }
        })
        .unwrap();
        call_untyped_send(&mut file);
        let out = file.into_token_stream().to_string();
        assert!(out.contains("request . send_raw ()"), "{out}");
        assert!(out.contains("other . send (1)"), "{out}");
    }
}
