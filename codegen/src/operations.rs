//! `generated/operations.rs`: one marker type per operation, implementing the runtime's
//! [`ApiOperation`](wix_runtime::operation::ApiOperation): its variant of `rules::Operation`,
//! its rule (id, method, path, retry class), its request body and answer types, and its
//! error-code enum. Code that must handle every operation, or know an operation's types, names
//! the marker instead of restating the id as a string.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error_codes::operations as read_operations;
use crate::naming::type_name_of_operation;
use crate::spec::LoadedSpec;
use crate::CodegenError;

/// Generates `generated/operations.rs`.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let markers = read_operations(spec)?.into_iter().map(|op| {
        let name = type_name_of_operation(&op.operation_id);
        let marker = format_ident!("{name}");
        let code = format_ident!("{name}ErrorCode");
        let response = format_ident!("{}", op.response_type);
        let body = match &op.body_type {
            Some(body) => {
                let body = format_ident!("{body}");
                quote!(types::#body)
            }
            None => quote!(()),
        };
        let doc = format!(" `{}`.", op.operation_id);
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #marker {}

            impl ::wix_runtime::operation::ApiOperation for #marker {
                type Operation = Operation;
                type Code = super::error_codes::#code;
                type Body = #body;
                type Response = types::#response;
                const OPERATION: Operation = Operation::#marker;
                const RULE: &'static OperationRule = Operation::#marker.rule();
            }
        }
    });
    Ok(quote! {
        use super::client::types;
        use super::rules::{Operation, OperationRule};

        #(#markers)*
    })
}
