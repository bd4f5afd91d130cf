//! Typed application error codes.
//!
//! Each operation's `x-wix-application-errors` list becomes an enum
//! (`VoidOrderPaymentRequestErrorCode::CannotVoidPaidOrderPaymentRequest`, ...) with an
//! `Unknown(String)` arm, so callers `match` instead of comparing strings. Each builder also
//! gains `send()`, which decodes a failure into `crate::Error<ThatOperationsCode>`
//! (progenitor's own is `send_raw()`: [`crate::low_level`]).
//! Each code's doc comment ends with its HTTP status and where that status comes from
//! (`statusSource`): Wix's reference page, or an inference and its basis.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::enums::forward_compatible_enum;
use crate::lint::{status_source, StatusSource, APPLICATION_ERRORS_EXTENSION};
use crate::naming::{pointer, type_name_of_operation, variant_name};
use crate::spec::LoadedSpec;
use crate::{CodegenError, SpecViolation};

/// One documented application error of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationErrorSpec {
    /// Wire code, e.g. `CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST`.
    pub code: String,
    /// HTTP status Wix answers with.
    pub http_status: u16,
    /// Published description.
    pub description: String,
    /// Where `http_status` comes from.
    pub status_source: StatusSource,
}

impl ApplicationErrorSpec {
    /// The doc comment of the code: its description, then its status and the status's source.
    pub fn doc(&self) -> String {
        let status = match &self.status_source {
            StatusSource::Documented => format!(
                "HTTP status {}, as Wix's reference page for the operation documents it.",
                self.http_status
            ),
            StatusSource::Inferred { explanation, .. } => {
                format!("HTTP status {}, inferred: {explanation}", self.http_status)
            }
        };
        format!("{}\n\n{status}", self.description.trim())
    }
}

/// What the generator needs to know of one operation.
#[derive(Debug, Clone)]
pub struct OperationErrors {
    /// `operationId`.
    pub operation_id: String,
    /// Name of the success response schema.
    pub response_type: String,
    /// Name of the JSON request body's schema, when the operation has a body.
    pub body_type: Option<String>,
    /// Documented application errors, in spec order.
    pub errors: Vec<ApplicationErrorSpec>,
}

/// Reads every operation's errors and success type from the spec.
pub fn operations(spec: &LoadedSpec) -> Result<Vec<OperationErrors>, CodegenError> {
    spec.operations()
        .map(|(path, method, op)| {
            let at = pointer(["paths", path, method]);
            let fail = |message: String| CodegenError::Lint {
                spec: spec.name.clone(),
                violations: vec![SpecViolation {
                    pointer: at.clone(),
                    message,
                }],
            };
            let operation_id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| fail("operation has no operationId".into()))?;
            let response_type = json_schema_ref(op, "/responses/200").ok_or_else(|| {
                fail("the 200 response must be a $ref to a component schema".into())
            })?;
            let body_type = match op.get("requestBody") {
                None => None,
                Some(_) => Some(
                    json_schema_ref(op, "/requestBody")
                        .ok_or_else(|| {
                            fail("the request body must be a $ref to a component schema".into())
                        })?
                        .to_string(),
                ),
            };
            let errors = op
                .get(APPLICATION_ERRORS_EXTENSION)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| {
                    Ok(ApplicationErrorSpec {
                        code: str_field(e, "code"),
                        http_status: e
                            .get("httpStatus")
                            .and_then(Value::as_u64)
                            .and_then(|s| u16::try_from(s).ok())
                            .unwrap_or_default(),
                        description: str_field(e, "description"),
                        status_source: status_source(spec, e).map_err(&fail)?,
                    })
                })
                .collect::<Result<_, CodegenError>>()?;
            Ok(OperationErrors {
                operation_id: operation_id.to_string(),
                response_type: response_type.to_string(),
                body_type,
                errors,
            })
        })
        .collect()
}

/// The component schema that the JSON content of the body at `at` (a response or the request
/// body) refers to with a plain `$ref`.
fn json_schema_ref<'a>(op: &'a Value, at: &str) -> Option<&'a str> {
    op.pointer(&format!("{at}/content/application~1json/schema/$ref"))?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn str_field(node: &Value, key: &str) -> String {
    node.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Generates the `error_codes` module.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let entity = format_ident!("{}", spec.names.entity);
    let items = operations(spec)?
        .into_iter()
        .map(|op| operation_items(&op, &entity));
    Ok(quote! {
        #![allow(clippy::all)]
        use super::client::{builder, types, ResponseValue};
        #(#items)*
    })
}

fn operation_items(op: &OperationErrors, entity: &proc_macro2::Ident) -> TokenStream {
    let builder = format_ident!("{}", type_name_of_operation(&op.operation_id));
    let operation_id = &op.operation_id;
    let code_name = format!("{builder}ErrorCode");
    let code_ty = format_ident!("{code_name}");
    let response = format_ident!("{}", op.response_type);
    let values: Vec<(String, String)> = op
        .errors
        .iter()
        .map(|e| (e.code.clone(), e.doc()))
        .collect();
    let description = format!(
        "Application error codes documented for `{}`.\n\nCodes Wix adds later decode as `Unknown`.",
        op.operation_id
    );
    let enum_tokens = forward_compatible_enum(&code_name, &description, &values);
    let variants: Vec<_> = op
        .errors
        .iter()
        .map(|e| format_ident!("{}", variant_name(&e.code)))
        .collect();
    let descriptions: Vec<_> = op
        .errors
        .iter()
        .map(|e| Literal::string(&e.description))
        .collect();
    let statuses: Vec<_> = op
        .errors
        .iter()
        .map(|e| Literal::u16_unsuffixed(e.http_status))
        .collect();
    let sources: Vec<_> = op
        .errors
        .iter()
        .map(|e| match e.status_source {
            StatusSource::Documented => quote!(::wix_runtime::error::StatusSource::Documented),
            StatusSource::Inferred { .. } => quote!(::wix_runtime::error::StatusSource::Inferred),
        })
        .collect();
    let send_doc = format!(
        " Sends the request; a failure comes back as [`Error`](::wix_runtime::error::Error) with \
         [`{code_name}`] as its application error code."
    );
    quote! {
        #enum_tokens

        impl ::wix_runtime::error::ApplicationErrorCode for #code_ty {
            type Operation = crate::generated::rules::Operation;
            type Entity = types::#entity;
            const OPERATION: crate::generated::rules::Operation =
                crate::generated::rules::Operation::#builder;
            const OPERATION_ID: &'static str = #operation_id;

            fn description(&self) -> Option<&'static str> {
                match self {
                    #(#code_ty::#variants => Some(#descriptions),)*
                    _ => None,
                }
            }

            fn http_status(&self) -> Option<u16> {
                match self {
                    #(#code_ty::#variants => Some(#statuses),)*
                    _ => None,
                }
            }

            fn http_status_source(&self) -> Option<::wix_runtime::error::StatusSource> {
                match self {
                    #(#code_ty::#variants => Some(#sources),)*
                    _ => None,
                }
            }
        }

        impl<'a> builder::#builder<'a> {
            #[doc = #send_doc]
            pub async fn send(
                self,
            ) -> Result<ResponseValue<types::#response>, ::wix_runtime::error::Error<#code_ty>> {
                ::wix_runtime::error::send_typed(self.send_raw()).await
            }
        }
    }
}
