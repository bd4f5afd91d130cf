//! Conversion errors of the generated types that name the field and the rule it breaks.
//!
//! As typify and progenitor write them, an empty title is refused with `shorter than 1
//! characters`, and through the builders with one wrapper per level: ``conversion to
//! `CreateOrderPaymentRequestRequest` for body failed: error converting supplied value for
//! order_payment_request: error converting supplied value for title: shorter than 1
//! characters``. [`rewrite`] turns every such error into `path: rule`, with Wix's field names,
//! the way the API words its own violations: `orderPaymentRequest.title: must have at least 1
//! character`.
//!
//! - `types::error::ConversionError` keeps the field its message is about apart from the rule
//!   (its text is `field: rule`), and the module gains the helpers the builders below call.
//! - Each string newtype's length checks name the field the newtype stands for and the bound,
//!   worded from the rule tables (`rules::PAYMENT_REQUEST_TITLE_MIN_LENGTH.requirement()`).
//!   That field is the property or operation parameter the schema was written inline in
//!   (`CursorPaging.cursor`: `cursor`), or, for a named schema, the property that refers to it
//!   (`title` for `PaymentRequestTitle`; the schema's own name in lower camel case when
//!   properties of several names refer to it). The newtype's `Deserialize` reports the rule
//!   alone: a decoder that tracks paths names the member itself.
//! - typify's builders: the error of a value given for a field is `field: rule`, the error of
//!   an object given through its own builder `field.member: rule`, and a required field left
//!   unset is `field: is required`.
//! - progenitor's operation builders pass the body's error on unchanged.
//! - Each string newtype's doc gains a paragraph that states the bounds its checks enforce,
//!   with the rule tables' constants (`Bounds: 1 to 200 characters ...`): its rustdoc page is
//!   otherwise mostly `String`'s methods through `Deref`.
//!
//! Any of typify's or progenitor's messages left over afterwards fails generation, so a kind of
//! check this pass cannot word (a `pattern`) does not slip through with typify's wording.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToLowerCamelCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::visit_mut::{self, VisitMut};

use crate::builders::{builder_items, module_items, path_ends_with, TYPES_MODULE};
use crate::rules::{self, BoundRow};
use crate::spec::{referenced_schema, LoadedSpec};
use crate::type_builders::TYPE_BUILDER_MODULE;
use crate::CodegenError;
use wix_runtime::rules::BoundKind;

/// typify's module of `ConversionError`, inside [`TYPES_MODULE`].
const ERROR_MODULE: &str = "error";

/// The wordings of typify and progenitor this pass replaces, and of typify's checks it cannot
/// word (a `pattern`): none may be left.
const REPLACED_WORDINGS: [&str; 6] = [
    "longer than ",
    "shorter than ",
    "doesn't match pattern",
    "error converting supplied value for ",
    "no value supplied for ",
    "for body failed",
];

/// Rewrites the conversion errors of the generated client file (see the module docs).
pub fn rewrite(file: &mut syn::File, spec: &LoadedSpec) -> Result<(), CodegenError> {
    let bounds = rules::read(spec).map_err(|violations| CodegenError::Lint {
        spec: spec.name.clone(),
        violations,
    })?;
    let fields = NewtypeFields::read(spec);
    let Some(types) = module_items(&mut file.items, TYPES_MODULE) else {
        return Err(unexpected("the generated file has no `types` module"));
    };
    let wire_names = wire_names(types);
    let checked = rewrite_newtypes(types, &fields, &bounds.bounds)?;
    document_bounds(types, &checked)?;
    let newtypes: BTreeSet<String> = checked.into_keys().collect();
    let Some(error) = module_items(types, ERROR_MODULE) else {
        return Err(unexpected("`types` has no `error` module"));
    };
    rewrite_error_module(error)?;
    let Some(type_builders) = module_items(types, TYPE_BUILDER_MODULE) else {
        return Err(unexpected("`types` has no `builder` module"));
    };
    let decimal_types: Vec<syn::Path> = crate::decimals::decimal_types(spec, "crate")
        .into_iter()
        .map(|(_, path)| syn::parse_str(&path).expect("a Rust path"))
        .collect();
    rewrite_type_builders(type_builders, &wire_names, &newtypes, &decimal_types)?;
    if let Some(operation_builders) = builder_items(file) {
        let mut pass = BodyErrors;
        for item in operation_builders.iter_mut() {
            pass.visit_item_mut(item);
        }
    }
    let mut leftover = Leftover(None);
    leftover.visit_file_mut(file);
    match leftover.0 {
        Some(wording) => Err(unexpected(&format!(
            "a conversion error still reads {wording:?}: a message this pass does not know"
        ))),
        None => Ok(()),
    }
}

/// The first of [`REPLACED_WORDINGS`] found in the code (string literals and macro
/// arguments; not in docs, where the spec's own words may say anything).
struct Leftover(Option<&'static str>);

impl Leftover {
    fn check(&mut self, text: &str) {
        if self.0.is_none() {
            self.0 = REPLACED_WORDINGS.iter().copied().find(|w| text.contains(w));
        }
    }
}

impl VisitMut for Leftover {
    fn visit_attribute_mut(&mut self, _: &mut syn::Attribute) {}

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        self.check(&literal.value());
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.check(&mac.tokens.to_string());
    }
}

fn unexpected(message: &str) -> CodegenError {
    CodegenError::UnexpectedOutput {
        what: "the conversion errors of the generated types".to_string(),
        message: message.to_string(),
    }
}

/// The field a string newtype stands for, by the newtype's name, from the spec.
struct NewtypeFields {
    /// Newtype name → (field, schema and property of its bounds in the rule tables).
    by_type: BTreeMap<String, (String, Option<(String, String)>)>,
}

impl NewtypeFields {
    fn read(spec: &LoadedSpec) -> Self {
        let mut by_type = BTreeMap::new();
        // A property that refers to a named schema, by the schema's name.
        let mut referring: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (schema, node) in spec.component_schemas() {
            for (property, prop) in properties(node) {
                // A property's own schema, written inline: `CursorPaging.cursor`.
                by_type
                    .entry(format!(
                        "{}{}",
                        schema.to_upper_camel_case(),
                        property.to_upper_camel_case()
                    ))
                    .or_insert((
                        property.to_string(),
                        Some((schema.to_string(), property.to_string())),
                    ));
                if let Some(target) = referenced_schema(prop) {
                    referring
                        .entry(target.to_string())
                        .or_default()
                        .insert(property.to_string());
                }
            }
        }
        for (schema, _) in spec.component_schemas() {
            let field = match referring.get(schema) {
                Some(names) if names.len() == 1 => names.iter().next().cloned(),
                _ => None,
            }
            .unwrap_or_else(|| schema.to_lower_camel_case());
            by_type.insert(
                schema.to_upper_camel_case(),
                (field, Some((schema.to_string(), String::new()))),
            );
        }
        // An operation parameter's own schema: `updateExtendedFields`'s `id`. The rule tables
        // hold no bounds of parameters.
        for (_, _, operation) in spec.operations() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let parameters = operation.get("parameters").and_then(Value::as_array);
            for parameter in parameters.into_iter().flatten() {
                if let Some(name) = parameter.get("name").and_then(Value::as_str) {
                    by_type
                        .entry(format!(
                            "{}{}",
                            id.to_upper_camel_case(),
                            name.to_upper_camel_case()
                        ))
                        .or_insert((name.to_string(), None));
                }
            }
        }
        Self { by_type }
    }
}

fn properties(node: &Value) -> impl Iterator<Item = (&str, &Value)> {
    node.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
}

/// Each struct of `types` → each field's Rust name → its name on the wire.
fn wire_names(types: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, String>> {
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s),
            _ => None,
        })
        .map(|s| {
            let fields = s
                .fields
                .iter()
                .filter_map(|field| {
                    let ident = field.ident.as_ref()?.to_string();
                    let rust = ident.trim_start_matches("r#").to_string();
                    let wire = serde_rename(&field.attrs).unwrap_or_else(|| rust.clone());
                    Some((rust, wire))
                })
                .collect();
            (s.ident.to_string(), fields)
        })
        .collect()
}

/// The `rename` of a field's `#[serde(...)]` attributes, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Skip the value of any other `key = value`.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The kind and bound of one of typify's length checks, from its message.
fn length_check(message: &str) -> Option<(BoundKind, i64)> {
    let parse = |rest: &str| rest.strip_suffix(" characters")?.parse().ok();
    if let Some(rest) = message.strip_prefix("longer than ") {
        return parse(rest).map(|n| (BoundKind::MaxLength, n));
    }
    if let Some(rest) = message.strip_prefix("shorter than ") {
        return parse(rest).map(|n| (BoundKind::MinLength, n));
    }
    None
}

/// One length check of a string newtype, as rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CheckedBound {
    /// `MinLength` or `MaxLength`.
    kind: BoundKind,
    /// The bound (inclusive).
    value: i64,
    /// The rule tables' constant of it; none for an operation parameter's bound.
    constant: Option<String>,
}

/// Rewrites the checks of every string newtype; returns each rewritten newtype's checks.
fn rewrite_newtypes(
    types: &mut [syn::Item],
    fields: &NewtypeFields,
    bounds: &[BoundRow],
) -> Result<BTreeMap<String, Vec<CheckedBound>>, CodegenError> {
    let rules_path: TokenStream = rules::MODULE_PATH.parse().expect("a Rust path");
    let mut rewritten = BTreeMap::new();
    for item in types.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(name) = impl_of(block, &["FromStr"]) else {
            continue;
        };
        let mut checks = NewtypeChecks {
            newtype: name.clone(),
            fields,
            bounds,
            rules_path: &rules_path,
            checked: Vec::new(),
            failure: None,
        };
        checks.visit_item_impl_mut(block);
        if let Some(failure) = checks.failure {
            return Err(failure);
        }
        if !checks.checked.is_empty() {
            rewritten.insert(name, checks.checked);
        }
    }
    for item in types.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if impl_of(block, &["serde", "Deserialize"])
            .is_some_and(|name| rewritten.contains_key(&name))
        {
            RuleOnly.visit_item_impl_mut(block);
        }
    }
    Ok(rewritten)
}

/// The name of the type `block` implements the trait whose path ends with `tail` for.
fn impl_of(block: &syn::ItemImpl, tail: &[&str]) -> Option<String> {
    let (_, path, _) = block.trait_.as_ref()?;
    if !path_ends_with(path, tail) {
        return None;
    }
    match &*block.self_ty {
        syn::Type::Path(ty) => ty.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The string literal of `Err("…".into())`, if `expr` is that.
fn err_literal(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(function) = &*call.func else {
        return None;
    };
    if !function.path.is_ident("Err") || call.args.len() != 1 {
        return None;
    }
    let argument = call.args.first()?;
    let literal = match argument {
        syn::Expr::MethodCall(into) if into.method == "into" || into.method == "to_string" => {
            &*into.receiver
        }
        other => other,
    };
    match literal {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// Rewrites the `Err("longer than …")` of one newtype's `FromStr`.
struct NewtypeChecks<'a> {
    newtype: String,
    fields: &'a NewtypeFields,
    bounds: &'a [BoundRow],
    rules_path: &'a TokenStream,
    /// The checks rewritten so far.
    checked: Vec<CheckedBound>,
    failure: Option<CodegenError>,
}

impl NewtypeChecks<'_> {
    /// The error of a length check of `kind` at `value` (`MinLength`, 1), and the check.
    fn replacement(
        &self,
        kind: BoundKind,
        value: i64,
    ) -> Result<(syn::Expr, CheckedBound), CodegenError> {
        let Some((field, node)) = self.fields.by_type.get(&self.newtype) else {
            return Err(unexpected(&format!(
                "no schema, property or parameter of the spec gives the newtype `{}` its name",
                self.newtype
            )));
        };
        let rules_path = self.rules_path;
        let mut constant_name = None;
        let requirement = match node {
            Some((schema, property)) => {
                let Some(bound) = self
                    .bounds
                    .iter()
                    .find(|b| b.schema == *schema && b.property == *property && b.kind == kind)
                else {
                    return Err(unexpected(&format!(
                        "`{}` checks a {kind:?} of {value}, but the rule tables hold no such bound \
                         of `{schema}{}{property}`",
                        self.newtype,
                        if property.is_empty() { "" } else { "." },
                    )));
                };
                if bound.value != value {
                    return Err(unexpected(&format!(
                        "`{}` checks a {kind:?} of {value}, but the rule tables' bound is {}",
                        self.newtype, bound.value
                    )));
                }
                let name = bound.constant_name();
                let constant: TokenStream = name.parse().expect("an identifier");
                constant_name = Some(name);
                quote!(#rules_path::#constant.requirement())
            }
            // A parameter's bound: the rule tables hold those of component schemas only.
            None => {
                let kind = rules::variant_ident(kind);
                quote!(#rules_path::BoundKind::#kind.requirement(#value))
            }
        };
        let expr = syn::parse_quote! {
            Err(self::error::ConversionError::field(#field, #requirement))
        };
        let checked = CheckedBound {
            kind,
            value,
            constant: constant_name,
        };
        Ok((expr, checked))
    }
}

impl VisitMut for NewtypeChecks<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        let check = err_literal(expr).and_then(|message| length_check(&message));
        if let Some((kind, value)) = check {
            match self.replacement(kind, value) {
                Ok((replacement, checked)) => {
                    *expr = replacement;
                    self.checked.push(checked);
                }
                Err(failure) => self.failure = Some(failure),
            }
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Appends to each checked newtype's doc a paragraph that states its bounds.
fn document_bounds(
    types: &mut [syn::Item],
    checked: &BTreeMap<String, Vec<CheckedBound>>,
) -> Result<(), CodegenError> {
    let mut documented = BTreeSet::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(newtype) = item else {
            continue;
        };
        let name = newtype.ident.to_string();
        let Some(checks) = checked.get(&name) else {
            continue;
        };
        let line = bounds_doc(checks).ok_or_else(|| {
            unexpected(&format!(
                "`{name}` checks bounds this pass cannot state: {checks:?}"
            ))
        })?;
        // Right after the spec's description, before the derives.
        let at = newtype
            .attrs
            .iter()
            .rposition(|attr| attr.path().is_ident("doc"))
            .map_or(0, |last| last + 1);
        newtype.attrs.splice(
            at..at,
            [
                syn::parse_quote!(#[doc = ""]),
                syn::parse_quote!(#[doc = #line]),
            ],
        );
        documented.insert(name);
    }
    match checked.keys().find(|name| !documented.contains(*name)) {
        Some(name) => Err(unexpected(&format!(
            "`types` implements `FromStr` for `{name}` but has no struct of that name"
        ))),
        None => Ok(()),
    }
}

/// The doc line of a newtype's length checks: `Bounds: 1 to 200 characters, counted as
/// `char`s ([`rules::…_MIN_LENGTH`], [`rules::…_MAX_LENGTH`]); construct it with …`. `None`
/// for anything but at most one `MinLength` and one `MaxLength`.
fn bounds_doc(checks: &[CheckedBound]) -> Option<String> {
    let of = |kind: BoundKind| -> Option<Option<&CheckedBound>> {
        let mut found = checks.iter().filter(|c| c.kind == kind);
        let first = found.next();
        found.next().is_none().then_some(first)
    };
    let (min, max) = (of(BoundKind::MinLength)?, of(BoundKind::MaxLength)?);
    if checks.len() != usize::from(min.is_some()) + usize::from(max.is_some()) {
        return None;
    }
    let characters = |n: i64| format!("{n} character{}", if n == 1 { "" } else { "s" });
    let range = match (min, max) {
        (Some(min), Some(max)) if min.value == max.value => {
            format!("exactly {}", characters(max.value))
        }
        (Some(min), Some(max)) => format!("{} to {}", min.value, characters(max.value)),
        (Some(min), None) => format!("at least {}", characters(min.value)),
        (None, Some(max)) => format!("at most {}", characters(max.value)),
        (None, None) => return None,
    };
    let rules_module = rules::MODULE_PATH.rsplit("::").next().expect("a Rust path");
    let constants: Vec<String> = [min, max]
        .into_iter()
        .flatten()
        .filter_map(|check| check.constant.as_deref())
        .map(|name| format!("[`{rules_module}::{name}`]({}::{name})", rules::MODULE_PATH))
        .collect();
    let constants = if constants.is_empty() {
        String::new()
    } else {
        format!(" ({})", constants.join(", "))
    };
    Some(format!(
        "Bounds: {range}, counted as `char`s{constants}; construct it with `parse()` or \
         `TryFrom<String>`, which refuse a value outside them."
    ))
}

/// A newtype's `Deserialize` reports the rule alone (`e.message()`, not `e.to_string()`).
struct RuleOnly;

impl VisitMut for RuleOnly {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr {
            if call.method == "to_string"
                && call.args.is_empty()
                && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("e"))
            {
                *expr = syn::parse_quote!(e.message());
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Replaces typify's `ConversionError` with one that keeps the field apart, and adds the
/// builders' helpers.
fn rewrite_error_module(items: &mut Vec<syn::Item>) -> Result<(), CodegenError> {
    let is_conversion_error = |item: &syn::Item| match item {
        syn::Item::Struct(s) => s.ident == "ConversionError",
        syn::Item::Impl(block) => matches!(
            &*block.self_ty,
            syn::Type::Path(ty) if ty.path.is_ident("ConversionError")
        ),
        _ => false,
    };
    let before = items.len();
    items.retain(|item| !is_conversion_error(item));
    if items.len() == before {
        return Err(unexpected("`types::error` has no `ConversionError`"));
    }
    let file: syn::File = syn::parse2(error_module())
        .map_err(|e| unexpected(&format!("the replacement `ConversionError`: {e}")))?;
    items.extend(file.items);
    Ok(())
}

fn error_module() -> TokenStream {
    quote! {
        /// Error from a `TryFrom` or `FromStr` implementation: the field whose value is
        /// refused and what is wrong with it, `field: rule` (`title: must have at least 1
        /// character`); through the type builders (feature `type-builders`), the field's path
        /// (`orderPaymentRequest.title: must have at least 1 character`). A request refused
        /// by `WixClient` before sending is `crate::Error::InvalidRequest` instead.
        pub struct ConversionError {
            field: ::std::option::Option<&'static str>,
            message: ::std::borrow::Cow<'static, str>,
        }
        impl ConversionError {
            /// A value of `field` that breaks a rule; `message` says which
            /// (`must have at most 200 characters`).
            pub(crate) fn field(
                field: &'static str,
                message: impl ::std::convert::Into<::std::borrow::Cow<'static, str>>,
            ) -> Self {
                Self { field: Some(field), message: message.into() }
            }
            /// What is wrong, without the field: what a decoder reports under the path of
            /// the member it was decoding.
            pub(crate) fn message(&self) -> &str {
                &self.message
            }
        }
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> Result<(), ::std::fmt::Error> {
                match self.field {
                    Some(field) => write!(f, "{field}: {}", self.message),
                    None => ::std::fmt::Display::fmt(&self.message, f),
                }
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.to_string(), f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self { field: None, message: value.into() }
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self { field: None, message: value.into() }
            }
        }
        /// The error of the value given for `field`, whose text names no field:
        /// `field: error`.
        #[allow(dead_code)]
        pub(crate) fn of_field(field: &str, error: impl ::std::fmt::Display) -> String {
            format!("{field}: {error}")
        }
        /// The error of the value given for `field`, whose text names the field the value's
        /// type stands for (`title: must …`): the same error under `field`.
        #[allow(dead_code)]
        pub(crate) fn renamed(field: &str, error: impl ::std::fmt::Display) -> String {
            let text = error.to_string();
            match text.split_once(": ") {
                Some((own, rule)) if !own.contains(' ') => format!("{field}: {rule}"),
                _ => format!("{field}: {text}"),
            }
        }
        /// The error of an object given for `field`, whose text starts with the path of its
        /// member (`title: must …`): the member's path under `field`
        /// (`orderPaymentRequest.title: must …`).
        #[allow(dead_code)]
        pub(crate) fn in_member(field: &str, error: impl ::std::fmt::Display) -> String {
            format!("{field}.{error}")
        }
    }
}

/// How the error of a value given to a builder's setter reads.
enum ValueKind {
    /// An object with a builder of its own: its error names its member.
    Object,
    /// A string newtype or a decimal: its error names the field it stands for.
    NamesItself,
    /// Anything else (a GUID, a date, a list, ...).
    Other,
}

/// Rewrites the setters' and the defaults' messages of typify's builders.
fn rewrite_type_builders(
    items: &mut [syn::Item],
    wire_names: &BTreeMap<String, BTreeMap<String, String>>,
    newtypes: &BTreeSet<String>,
    decimal_types: &[syn::Path],
) -> Result<(), CodegenError> {
    let objects: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let kind_of = |ty: &syn::Type| -> ValueKind {
        let ty = option_inner(ty).unwrap_or(ty);
        let syn::Type::Path(ty) = ty else {
            return ValueKind::Other;
        };
        let path = &ty.path;
        if decimal_types.iter().any(|h| paths_equal(h, path)) {
            return ValueKind::NamesItself;
        }
        let in_types = path.segments.len() == 2 && path.segments[0].ident == "super";
        let name = path.segments.last().map(|s| s.ident.to_string());
        match name {
            Some(name) if in_types && objects.contains(&name) => ValueKind::Object,
            Some(name) if in_types && newtypes.contains(&name) => ValueKind::NamesItself,
            _ => ValueKind::Other,
        }
    };
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(wire) = wire_names.get(&name) else {
            continue;
        };
        let wire_of = |field: &str| {
            wire.get(field).cloned().ok_or_else(|| {
                unexpected(&format!(
                    "the builder of `{name}` sets `{field}`, which `{name}` lacks"
                ))
            })
        };
        match &block.trait_ {
            None => {
                for member in block.items.iter_mut() {
                    let syn::ImplItem::Fn(setter) = member else {
                        continue;
                    };
                    let field = setter.sig.ident.to_string();
                    let Some(target) = setter_target(&setter.sig) else {
                        continue;
                    };
                    let wire = wire_of(field.trim_start_matches("r#"))?;
                    let replacement: syn::Expr = match kind_of(&target) {
                        ValueKind::Object => syn::parse_quote!(super::error::in_member(#wire, e)),
                        ValueKind::NamesItself => {
                            syn::parse_quote!(super::error::renamed(#wire, e))
                        }
                        ValueKind::Other => syn::parse_quote!(super::error::of_field(#wire, e)),
                    };
                    SetterError { replacement }.visit_block_mut(&mut setter.block);
                }
            }
            Some((_, path, _)) if path_ends_with(path, &["default", "Default"]) => {
                let mut missing = MissingValues {
                    wire_of: &wire_of,
                    failure: None,
                };
                missing.visit_item_impl_mut(block);
                if let Some(failure) = missing.failure {
                    return Err(failure);
                }
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(ty) = ty else {
        return None;
    };
    if !path_ends_with(&ty.path, &["Option"]) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &ty.path.segments.last()?.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn paths_equal(a: &syn::Path, b: &syn::Path) -> bool {
    let idents =
        |p: &syn::Path| -> Vec<String> { p.segments.iter().map(|s| s.ident.to_string()).collect() };
    idents(a) == idents(b)
}

/// The `X` of a setter's `where T: TryInto<X>`.
fn setter_target(sig: &syn::Signature) -> Option<syn::Type> {
    let clause = sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            match arguments.args.first()? {
                syn::GenericArgument::Type(target) => Some(target.clone()),
                _ => None,
            }
        })
    })
}

/// Whether `mac` is `format!("…{e}")` with `prefix` at the start of its literal.
fn is_format_starting_with(mac: &syn::Macro, prefix: &str) -> bool {
    if !mac.path.is_ident("format") {
        return false;
    }
    let Some(proc_macro2::TokenTree::Literal(literal)) = mac.tokens.clone().into_iter().next()
    else {
        return false;
    };
    match syn::parse_str::<syn::LitStr>(&literal.to_string()) {
        Ok(text) => text.value().starts_with(prefix),
        Err(_) => false,
    }
}

/// Replaces `format!("error converting supplied value for …: {e}")` in a setter.
struct SetterError {
    replacement: syn::Expr,
}

impl VisitMut for SetterError {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Macro(mac) = expr {
            if is_format_starting_with(&mac.mac, "error converting supplied value for ") {
                *expr = self.replacement.clone();
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// Replaces `Err("no value supplied for field".to_string())` in a builder's `Default`.
struct MissingValues<'a, F: Fn(&str) -> Result<String, CodegenError>> {
    wire_of: &'a F,
    failure: Option<CodegenError>,
}

impl<F: Fn(&str) -> Result<String, CodegenError>> VisitMut for MissingValues<'_, F> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(message) = err_literal(expr) {
            if let Some(field) = message.strip_prefix("no value supplied for ") {
                match (self.wire_of)(field) {
                    Ok(wire) => {
                        let message = format!("{wire}: is required");
                        *expr = syn::parse_quote!(Err(#message.to_string()));
                    }
                    Err(failure) => self.failure = Some(failure),
                }
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// progenitor's `body()`: the body's error as it is, without ``conversion to `…` for body
/// failed: `` before it.
struct BodyErrors;

impl VisitMut for BodyErrors {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Closure(closure) = expr {
            if let syn::Expr::Macro(mac) = &*closure.body {
                let is_body_error = is_format_starting_with(&mac.mac, "conversion to `")
                    && mac.mac.tokens.to_string().contains("for body failed");
                if let (true, Some(syn::Pat::Ident(input))) =
                    (is_body_error, closure.inputs.first())
                {
                    let input = &input.ident;
                    *closure.body = syn::parse_quote!(#input.to_string());
                    return;
                }
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1", x-wix-entity: Body, x-wix-client-crate: c}
paths:
  /a:
    post:
      operationId: doA
      x-wix-retry: safe
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        "200": {description: ok}
components:
  schemas:
    Body:
      type: object
      required: [item]
      properties:
        item: {$ref: '#/components/schemas/Item'}
    Item:
      type: object
      required: [name]
      properties:
        name: {$ref: '#/components/schemas/ItemName'}
        note: {type: string, maxLength: 9}
    ItemName: {type: string, minLength: 1, maxLength: 7}
"#;

    /// The generated client for `spec`, without whitespace.
    fn generated(spec: &str) -> Result<String, CodegenError> {
        let spec = crate::spec::load(spec, "test.yaml").unwrap();
        let tokens = crate::client::generate(&spec)?;
        Ok(tokens.to_string().replace(' ', ""))
    }

    #[test]
    fn newtypes_and_builders_name_the_field_and_the_bound_from_the_rule_tables() {
        let text = generated(SPEC).unwrap();
        for expected in [
            // A named schema is named by the property that refers to it.
            r#"ConversionError::field("name",crate::generated::rules::ITEM_NAME_MIN_LENGTH.requirement())"#,
            r#"ConversionError::field("name",crate::generated::rules::ITEM_NAME_MAX_LENGTH.requirement())"#,
            // A schema written inline, by its property.
            r#"ConversionError::field("note",crate::generated::rules::ITEM_NOTE_MAX_LENGTH.requirement())"#,
            r#"custom(e.message()"#,
            r#"super::error::in_member("item",e)"#,
            r#"super::error::renamed("name",e)"#,
            r#"Err("item:isrequired".to_string())"#,
            r#"Err("name:isrequired".to_string())"#,
            r#".map_err(|s|s.to_string())"#,
        ] {
            assert!(text.contains(expected), "no {expected}");
        }
    }

    #[test]
    fn each_newtype_doc_states_its_bounds_with_the_rule_tables_constants() {
        let text = generated(SPEC).unwrap();
        for expected in [
            "Bounds:1to7characters,countedas`char`s([`rules::ITEM_NAME_MIN_LENGTH`](crate::generated::rules::ITEM_NAME_MIN_LENGTH),[`rules::ITEM_NAME_MAX_LENGTH`](crate::generated::rules::ITEM_NAME_MAX_LENGTH));",
            "Bounds:atmost9characters,countedas`char`s([`rules::ITEM_NOTE_MAX_LENGTH`](crate::generated::rules::ITEM_NOTE_MAX_LENGTH));",
        ] {
            assert!(text.contains(expected), "no {expected}");
        }
    }

    #[test]
    fn words_each_combination_of_length_bounds() {
        let check = |kind, value, constant: Option<&str>| CheckedBound {
            kind,
            value,
            constant: constant.map(str::to_string),
        };
        let tail = "; construct it with `parse()` or `TryFrom<String>`, which refuse a value \
                    outside them.";
        assert_eq!(
            bounds_doc(&[check(BoundKind::MinLength, 1, None)]).unwrap(),
            format!("Bounds: at least 1 character, counted as `char`s{tail}")
        );
        assert_eq!(
            bounds_doc(&[
                check(BoundKind::MaxLength, 5, None),
                check(BoundKind::MinLength, 5, None)
            ])
            .unwrap(),
            format!("Bounds: exactly 5 characters, counted as `char`s{tail}")
        );
        assert_eq!(
            bounds_doc(&[check(BoundKind::MaxLength, 9, Some("A_MAX_LENGTH"))]).unwrap(),
            format!(
                "Bounds: at most 9 characters, counted as `char`s \
                 ([`rules::A_MAX_LENGTH`](crate::generated::rules::A_MAX_LENGTH)){tail}"
            )
        );
        assert_eq!(
            bounds_doc(&[
                check(BoundKind::MaxLength, 9, None),
                check(BoundKind::MaxLength, 8, None)
            ]),
            None
        );
        assert_eq!(bounds_doc(&[check(BoundKind::MaxItems, 1, None)]), None);
    }

    #[test]
    fn a_check_it_cannot_word_fails_generation() {
        let spec = SPEC.replace(
            "note: {type: string, maxLength: 9}",
            "note: {type: string, pattern: '^[a-z]+$'}",
        );
        match generated(&spec) {
            Err(CodegenError::UnexpectedOutput { message, .. }) => {
                assert!(message.contains("doesn't match pattern"), "{message}");
            }
            other => panic!("expected UnexpectedOutput, got {other:?}"),
        }
    }

    #[test]
    fn reads_typify_length_checks() {
        assert_eq!(
            length_check("longer than 200 characters"),
            Some((BoundKind::MaxLength, 200))
        );
        assert_eq!(
            length_check("shorter than 1 characters"),
            Some((BoundKind::MinLength, 1))
        );
        assert_eq!(length_check("doesn't match pattern \"x\""), None);
    }

    #[test]
    fn reads_serde_renames_among_other_arguments() {
        let item: syn::ItemStruct = syn::parse_quote! {
            pub struct S {
                #[serde(rename = "orderPaymentRequests", default, skip_serializing_if = "Vec::is_empty")]
                pub order_payment_requests: Vec<u8>,
                pub title: String,
            }
        };
        let names = wire_names(&[syn::Item::Struct(item)]);
        assert_eq!(names["S"]["order_payment_requests"], "orderPaymentRequests");
        assert_eq!(names["S"]["title"], "title");
    }
}
