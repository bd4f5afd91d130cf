//! progenitor's part: the `Client`, one builder per operation, and a Rust type per schema.

use proc_macro2::TokenStream;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::{quote, ToTokens};

use crate::spec::LoadedSpec;
use crate::{
    builders, constant_headers, conversion_errors, decimals, enums, hooks, low_level, path_params,
    string_newtypes, type_builders, CodegenError,
};

/// The runtime's type that holds the client's per-instance state (credentials, policies). The
/// generated `Client` carries it, and the generated `ClientHooks` impl ([`hooks`]) reads it.
pub const INNER_TYPE: &str = "::wix_runtime::context::ClientContext";

/// The generator settings: builder-style calls, hooks implemented by hand (`pre` for auth,
/// `exec` for retries, `post` for tracing), `JsonSchema` derives, forward-compatible enums and
/// exact decimals.
pub fn settings(spec: &LoadedSpec) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    let inner: TokenStream = INNER_TYPE.parse().expect("INNER_TYPE is a Rust path");
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(inner)
        .with_derive("PartialEq")
        // The JSON Schema of every type: `wix-opr schema NAME`, and progenitor's CLI needs it.
        .with_derive("schemars::JsonSchema");
    for name in enums::forward_compatible_enum_names(spec) {
        settings.with_replacement(
            &name,
            format!("{}::{name}", enums::MODULE_PATH),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    // The Wix error body: the runtime's types, which the spec's schemas of the same names
    // describe (checked by `wire_types`).
    for &(schema, rust_type) in wix_runtime::wire::WIRE_TYPES {
        settings.with_replacement(schema, rust_type, [TypeImpl::Default].into_iter());
    }
    // Exact decimals: "15.50" stays "15.50", never an f64.
    for (schema, rust_type) in decimals::decimal_types(spec, "crate") {
        settings.with_replacement(
            &schema,
            rust_type,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Generates the client module's tokens.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let progenitor_error = |e: progenitor_impl::Error| CodegenError::Progenitor {
        spec: spec.name.clone(),
        message: e.to_string(),
    };
    progenitor_impl::validate_openapi(&spec.openapi).map_err(progenitor_error)?;
    let mut generator = Generator::new(&settings(spec));
    let tokens = generator
        .generate_tokens(&spec.openapi)
        .map_err(progenitor_error)?;
    let builders_error = |e: syn::Error| CodegenError::InvalidRust {
        what: "progenitor's operation builders".to_string(),
        message: e.to_string(),
    };
    let mut file: syn::File = syn::parse2(tokens).map_err(builders_error)?;
    if let Some(items) = builders::builder_items(&mut file) {
        path_params::format_uuid_path_parameters_directly(items).map_err(builders_error)?;
        constant_headers::add_single_headers_directly(items).map_err(builders_error)?;
        low_level::rename_untyped_send(items).map_err(builders_error)?;
    }
    conversion_errors::rewrite(&mut file, spec)?;
    type_builders::gate(&mut file, builders::TYPES_MODULE, builders::BUILDER_MODULE)
        .map_err(builders_error)?;
    if let Some(types) = builders::module_items(&mut file.items, builders::TYPES_MODULE) {
        string_newtypes::as_strings(types);
        types.splice(0..0, wire_types_reexports());
    }
    let tokens = file.into_token_stream();
    let hooks = hooks::client_hooks();
    Ok(quote! {
        #![allow(clippy::all, clippy::pedantic, missing_docs, rustdoc::all, unused_imports)]
        #tokens
        #hooks
    })
}

/// `pub use` of the runtime's wire types in the types module: they stand in for the spec's
/// schemas of those names, and are found where every other schema's type is.
fn wire_types_reexports() -> Vec<syn::Item> {
    wix_runtime::wire::WIRE_TYPES
        .iter()
        .map(|(schema, rust_type)| {
            let path: syn::Path = syn::parse_str(rust_type).expect("WIRE_TYPES holds Rust paths");
            let doc = format!(" `{schema}`: the Wix error body's type, the runtime's.");
            syn::parse_quote! {
                #[doc = #doc]
                pub use #path;
            }
        })
        .collect()
}
