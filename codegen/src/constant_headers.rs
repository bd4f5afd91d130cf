//! A builder's one constant header added to the request directly, or left out.
//!
//! progenitor collects an operation's headers in a `HeaderMap` of its own
//! (`let mut header_map = HeaderMap::with_capacity(1); header_map.append(NAME, VALUE);`) and
//! then merges it into the request (`.headers(header_map)`). It always puts an `api-version`
//! header there (the spec's `info.version`, for servers that version their API that way). Wix
//! documents no such header and its JS SDK sends none, so where it is the map's only header
//! (this spec's operations have no header parameters), the map and its merge are removed. A
//! map that receives exactly one other header is
//! replaced by `.header(NAME, VALUE)`: the same request without a second map to allocate,
//! fill, merge and free on every call.

use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, ToTokens};

use crate::builders::path_ends_with;

/// The local that holds a builder's headers.
const HEADER_MAP: &str = "header_map";
/// The header progenitor adds to every request, which Wix's API does not know.
const GENERATOR_VERSION_HEADER: &str = "api-version";

/// The builders' (`builder_items`) methods with a single collected header added directly, or
/// left out when it is progenitor's `api-version`.
pub fn add_single_headers_directly(items: &mut [syn::Item]) -> syn::Result<()> {
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                rewrite(&mut function.block.stmts)?;
            }
        }
    }
    Ok(())
}

/// Rewrites one function's statements when they collect exactly one header.
fn rewrite(stmts: &mut Vec<syn::Stmt>) -> syn::Result<()> {
    let Some(declared) = stmts.iter().position(declares_header_map) else {
        return Ok(());
    };
    let uses: Vec<usize> = (declared + 1..stmts.len())
        .filter(|&i| mentions_header_map(stmts[i].to_token_stream()))
        .collect();
    // Exactly: one `append` right after the declaration, then one statement that merges.
    let [append, merge] = uses.as_slice() else {
        return Ok(());
    };
    let Some((name, value)) = single_append(&stmts[*append]) else {
        return Ok(());
    };
    if *append != declared + 1 {
        return Ok(());
    }
    let header = if names_header(&name, GENERATOR_VERSION_HEADER) {
        None
    } else {
        Some((&name, &value))
    };
    let merged = replace_merge(stmts[*merge].to_token_stream(), header);
    if mentions_header_map(merged.clone()) {
        return Ok(());
    }
    let block: syn::Block = syn::parse2(quote!({ #merged }))?;
    let Some(statement) = block.stmts.into_iter().next() else {
        return Ok(());
    };
    stmts[*merge] = statement;
    stmts.drain(declared..=*append);
    Ok(())
}

/// Whether `stmt` is `let mut header_map = …HeaderMap::with_capacity(…);`.
fn declares_header_map(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    let syn::Pat::Ident(pattern) = &local.pat else {
        return false;
    };
    let Some(init) = &local.init else {
        return false;
    };
    let syn::Expr::Call(call) = init.expr.as_ref() else {
        return false;
    };
    let syn::Expr::Path(function) = call.func.as_ref() else {
        return false;
    };
    pattern.ident == HEADER_MAP && path_ends_with(&function.path, &["HeaderMap", "with_capacity"])
}

/// `(NAME, VALUE)` when `stmt` is `header_map.append(NAME, VALUE);`.
fn single_append(stmt: &syn::Stmt) -> Option<(syn::Expr, syn::Expr)> {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return None;
    };
    let syn::Expr::Path(receiver) = call.receiver.as_ref() else {
        return None;
    };
    if !receiver.path.is_ident(HEADER_MAP) || call.method != "append" || call.args.len() != 2 {
        return None;
    }
    Some((call.args[0].clone(), call.args[1].clone()))
}

/// Whether `tokens` name the header map anywhere, inside groups too.
fn mentions_header_map(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == HEADER_MAP,
        TokenTree::Group(group) => mentions_header_map(group.stream()),
        _ => false,
    })
}

/// Whether `name` is `…HeaderName::from_static("<header>")`.
fn names_header(name: &syn::Expr, header: &str) -> bool {
    let syn::Expr::Call(call) = name else {
        return false;
    };
    let syn::Expr::Path(function) = call.func.as_ref() else {
        return false;
    };
    let from_static = function
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "from_static");
    let literal = match call.args.first() {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        })) => text.value(),
        _ => return false,
    };
    from_static && call.args.len() == 1 && literal == header
}

/// `tokens` with `.headers(header_map)` replaced by `.header(NAME, VALUE)`, or removed when
/// there is no header, inside groups too.
fn replace_merge(tokens: TokenStream, header: Option<(&syn::Expr, &syn::Expr)>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        if let [TokenTree::Punct(dot), TokenTree::Ident(method), TokenTree::Group(arguments), ..] =
            &trees[i..]
        {
            let argument = arguments.stream().to_string();
            if dot.as_char() == '.' && method == "headers" && argument == HEADER_MAP {
                if let Some((name, value)) = header {
                    out.extend(quote!(.header(#name, #value)));
                }
                i += 3;
                continue;
            }
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_merge(group.stream(), header),
                );
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::after_pass;

    fn builder(name: &str, extra: TokenStream) -> TokenStream {
        quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static(#name),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        #extra
                        let mut request = client
                            .client
                            .get(url)
                            .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                            .headers(header_map)
                            .build()?;
                    }
                }
            }
        }
    }

    #[test]
    fn the_generators_version_header_is_left_out() {
        let out = after_pass(
            builder("api-version", quote!()),
            add_single_headers_directly,
        );
        assert!(!out.contains("header_map"), "{out}");
        assert!(!out.contains("api-version"), "{out}");
        assert!(
            out.contains(". header (:: reqwest :: header :: ACCEPT"),
            "{out}"
        );
        assert!(out.contains(". build ()"), "{out}");
    }

    #[test]
    fn one_other_collected_header_is_added_to_the_request_directly() {
        let out = after_pass(builder("x-one", quote!()), add_single_headers_directly);
        assert!(!out.contains("header_map"), "{out}");
        assert!(
            out.contains(
                ". header (:: reqwest :: header :: HeaderName :: from_static (\"x-one\") , \
                 :: reqwest :: header :: HeaderValue :: from_static (super :: Client :: api_version ()))"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_map_with_more_headers_is_left_as_it_is() {
        let more = quote! {
            header_map.append("x-other", value);
        };
        let before = builder("api-version", more.clone());
        let out = after_pass(before.clone(), add_single_headers_directly);
        let reparsed: syn::File = syn::parse2(before).unwrap();
        assert_eq!(out, reparsed.into_token_stream().to_string());
    }
}
