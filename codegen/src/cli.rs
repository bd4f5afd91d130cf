//! progenitor's CLI generator: one `clap` command per operation (`Cli`, `CliCommand`,
//! `CliConfig`), for the `wix-opr` binary, plus the table of named types `wix-opr schema` prints.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use progenitor_impl::Generator;
use quote::quote;

use crate::client;
use crate::enums;
use crate::spec::LoadedSpec;
use crate::CodegenError;

/// The client crate's module (under its name, `info.x-wix-client-crate`) whose items
/// (`Client`, `Error`, `ResponseValue`, `builder`, `types`) the generated CLI uses.
pub fn client_module(spec: &LoadedSpec) -> String {
    format!("{}::generated::client", spec.names.client_path())
}

/// Generates the CLI module's tokens, with the same generator settings as the client so the
/// types and builders it names are the client's.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let progenitor_error = |e: progenitor_impl::Error| CodegenError::Progenitor {
        spec: spec.name.clone(),
        message: e.to_string(),
    };
    let mut generator = Generator::new(&client::settings(spec));
    let tokens = generator
        .cli(&spec.openapi, &client_module(spec))
        .map_err(progenitor_error)?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::InvalidRust {
        what: "progenitor's CLI".to_string(),
        message: e.to_string(),
    })?;
    crate::low_level::call_untyped_send(&mut file);
    let tokens = quote::ToTokens::into_token_stream(file);
    let schemas = named_schemas(spec);
    let operations = command_operations(spec);
    Ok(quote! {
        #![allow(
            clippy::all,
            clippy::pedantic,
            missing_docs,
            rustdoc::all,
            unused_imports,
            unused_variables
        )]
        #tokens
        #operations
        #schemas
    })
}

/// `CliCommand::operation()`: the generated `rules::Operation` each command sends, so the CLI
/// reads an operation's facts (its rule, its answer's entity member) from the rule table
/// instead of naming commands by hand. progenitor's command and the rule table's operation
/// are both named after the `operationId`: a command without its operation fails to compile.
fn command_operations(spec: &LoadedSpec) -> TokenStream {
    let variants: Vec<syn::Ident> = spec
        .operations()
        .filter_map(|(_, _, op)| op.get("operationId")?.as_str())
        .map(|id| quote::format_ident!("{}", crate::naming::type_name_of_operation(id)))
        .collect();
    let rules: syn::Path =
        syn::parse_str(&format!("{}::generated::rules", spec.names.client_path()))
            .expect("a Rust path");
    quote! {
        impl CliCommand {
            /// The operation this command sends.
            pub fn operation(&self) -> #rules::Operation {
                match self {
                    #(CliCommand::#variants => #rules::Operation::#variants,)*
                }
            }
        }
    }
}

/// `SCHEMA_NAMES` and `schema_of(name)`: every component schema of the spec that has a Rust
/// type of its own, by its name, as the JSON Schema schemars derives from that type. The
/// schemas written inline where they are used ([`crate::inline_schemas`]) have none.
fn named_schemas(spec: &LoadedSpec) -> TokenStream {
    let mut names = Vec::new();
    let mut types = Vec::new();
    for (name, schema) in spec.component_schemas() {
        if crate::inline_schemas::only_wrapped(schema) {
            continue;
        }
        let rust_type = rust_type_of(spec, name);
        names.push(name.to_string());
        types.push(syn::parse_str::<syn::Type>(&rust_type).expect("a Rust path"));
    }
    quote! {
        /// The spec's component schemas that have a Rust type of their own, by name, in the
        /// spec's order.
        pub const SCHEMA_NAMES: &[&str] = &[#(#names),*];

        /// The JSON Schema of the component schema `name`, or `None` for a name the spec lacks.
        pub fn schema_of(name: &str) -> Option<::schemars::schema::RootSchema> {
            match name {
                #(#names => Some(::schemars::schema_for!(#types)),)*
                _ => None,
            }
        }
    }
}

/// The Rust type of a component schema, as a path the CLI crate can name.
fn rust_type_of(spec: &LoadedSpec, name: &str) -> String {
    if let Some(rust_type) = crate::decimals::decimal_type(spec, name, &spec.names.client_path()) {
        return rust_type;
    }
    if enums::forward_compatible_enum_names(spec)
        .iter()
        .any(|e| e == name)
    {
        return in_client_crate(spec, &format!("{}::{name}", enums::MODULE_PATH));
    }
    format!(
        "{}::types::{}",
        client_module(spec),
        name.to_upper_camel_case()
    )
}

/// `crate::x::Y` of the client crate as the CLI crate names it.
fn in_client_crate(spec: &LoadedSpec, path: &str) -> String {
    match path.strip_prefix("crate::") {
        Some(rest) => format!("{}::{rest}", spec.names.client_path()),
        None => path.to_string(),
    }
}
