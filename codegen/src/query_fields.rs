//! The typed query builder's field list.
//!
//! `CursorQuery` carries two extensions: `x-wix-query-operators` names one operator set per
//! field type (`string`, `date`, `enum`, `decimal`), and `x-wix-query-fields` lists each
//! filterable field with its type and whether it sorts. This generator turns them into:
//!
//! - one marker type per operator set (`StringOperators`, ...), which implements the client's
//!   `::wix_runtime::query::operator::*` trait of every operator in its set;
//! - `Field`, whose associated constants (`Field::OrderId`, `Field::Amount`, ...) are
//!   `::wix_runtime::query::QueryField<Operators, Value, Sortability>` values. The value type comes from
//!   the field's schema in `OrderPaymentRequest` (GUID, date-time, decimal, enum or string).
//!
//! So the builder offers a field exactly the operators of its type, and an operator the spec
//! does not give a field does not compile. [`read`] also checks the table: known operators,
//! known types, a type that agrees with the field's schema, distinct names.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::enums::{self, doc_lines};
use crate::naming::{pointer, pointer_token};
use crate::spec::{referenced_schema, LoadedSpec};
use crate::{CodegenError, SpecViolation};

/// The schema that carries the extensions.
pub const QUERY_SCHEMA: &str = "CursorQuery";
/// Extension on [`QUERY_SCHEMA`] listing the filterable fields.
pub const FIELDS_EXTENSION: &str = "x-wix-query-fields";
/// Extension on [`QUERY_SCHEMA`] naming the operator set of each field type.
pub const OPERATORS_EXTENSION: &str = "x-wix-query-operators";

/// Operators the client's builder can express, each with the trait it implements in
/// `::wix_runtime::query::operator`.
pub const BUILDER_OPERATORS: [&str; 11] = [
    "$eq",
    "$ne",
    "$gt",
    "$gte",
    "$lt",
    "$lte",
    "$in",
    "$nin",
    "$exists",
    "$isEmpty",
    "$startsWith",
];

/// The field types an operator set may be named after, and the schema shape each requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A plain string (GUIDs included).
    String,
    /// An RFC 3339 date-time (`format: date-time`).
    Date,
    /// A `$ref` to a string enum schema.
    Enum,
    /// An exact decimal (`format: decimal`).
    Decimal,
}

impl FieldType {
    const ALL: [(&'static str, FieldType); 4] = [
        ("string", FieldType::String),
        ("date", FieldType::Date),
        ("enum", FieldType::Enum),
        ("decimal", FieldType::Decimal),
    ];

    fn from_name(name: &str) -> Option<FieldType> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

/// One operator set of `x-wix-query-operators`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorSet {
    /// The type it belongs to, e.g. `string`.
    pub type_name: String,
    /// Its operators, in the spec's order, e.g. `["$eq", "$ne"]`.
    pub operators: Vec<String>,
}

/// One field of `x-wix-query-fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFieldSpec {
    /// Dotted name in filters and sorts, e.g. `amount.amount`.
    pub name: String,
    /// Name of its type, and so of its operator set.
    pub type_name: String,
    /// Whether it may be sorted on.
    pub sortable: bool,
    /// Rust type of its values, e.g. `uuid::Uuid`.
    pub value_type: String,
}

/// The checked query table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryTable {
    /// Operator sets, in the spec's order.
    pub sets: Vec<OperatorSet>,
    /// Fields, in the spec's order.
    pub fields: Vec<QueryFieldSpec>,
}

/// Rust name of a field's constant: the PascalCase of its dotted name, with a segment that
/// repeats the one before it dropped (`amount.amount` -> `Amount`, `source.appId` ->
/// `SourceAppId`).
pub fn constant_name(field: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in field.split('.') {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    parts
        .iter()
        .map(|p| p.to_upper_camel_case())
        .collect::<String>()
}

/// Rust name of an operator set's marker type (`string` -> `StringOperators`).
pub fn set_type_name(type_name: &str) -> String {
    format!("{}Operators", type_name.to_upper_camel_case())
}

/// Name of the operator's trait in `::wix_runtime::query::operator` (`$isEmpty` -> `IsEmpty`).
pub fn operator_trait(operator: &str) -> String {
    operator.trim_start_matches('$').to_upper_camel_case()
}

/// Reads and checks the table. A spec without `x-wix-query-fields` has an empty table.
pub fn read(spec: &LoadedSpec) -> Result<QueryTable, Vec<SpecViolation>> {
    let schema_at = pointer(["components", "schemas", QUERY_SCHEMA]);
    let Some(schema) = spec.at(&schema_at) else {
        return Ok(QueryTable::default());
    };
    let Some(field_list) = schema.get(FIELDS_EXTENSION) else {
        return Ok(QueryTable::default());
    };
    let mut found = Vec::new();
    let sets = read_sets(schema, &schema_at, &mut found);
    let fields_at = format!("{schema_at}/{}", pointer_token(FIELDS_EXTENSION));
    let Some(rows) = field_list.as_array() else {
        found.push(violation(fields_at, "must be a list"));
        return Err(found);
    };
    let mut names = BTreeSet::new();
    let mut fields = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = format!("{fields_at}/{i}");
        if let Some(field) = read_field(spec, row, &at, &sets, &mut found) {
            if !names.insert(constant_name(&field.name)) {
                found.push(violation(
                    format!("{at}/field"),
                    format!(
                        "`{}` gives the same Rust name as an earlier field ({})",
                        field.name,
                        constant_name(&field.name)
                    ),
                ));
            }
            fields.push(field);
        }
    }
    if found.is_empty() {
        Ok(QueryTable { sets, fields })
    } else {
        Err(found)
    }
}

fn violation(pointer: String, message: impl Into<String>) -> SpecViolation {
    SpecViolation {
        pointer,
        message: message.into(),
    }
}

fn read_sets(schema: &Value, schema_at: &str, found: &mut Vec<SpecViolation>) -> Vec<OperatorSet> {
    let at = format!("{schema_at}/{}", pointer_token(OPERATORS_EXTENSION));
    let Some(map) = schema.get(OPERATORS_EXTENSION).and_then(Value::as_object) else {
        found.push(violation(
            at,
            format!("{OPERATORS_EXTENSION} must map each field type to its operators"),
        ));
        return Vec::new();
    };
    let mut sets = Vec::new();
    for (type_name, list) in map {
        let set_at = format!("{at}/{}", pointer_token(type_name));
        if FieldType::from_name(type_name).is_none() {
            let known: Vec<&str> = FieldType::ALL.iter().map(|(n, _)| *n).collect();
            found.push(violation(
                set_at.clone(),
                format!(
                    "`{type_name}` is not a field type (one of {})",
                    known.join(", ")
                ),
            ));
        }
        let mut operators = Vec::new();
        for (j, op) in list.as_array().into_iter().flatten().enumerate() {
            match op.as_str() {
                Some(op) if BUILDER_OPERATORS.contains(&op) => {
                    if operators.iter().any(|o| o == op) {
                        found.push(violation(
                            format!("{set_at}/{j}"),
                            format!("`{op}` is listed twice"),
                        ));
                    }
                    operators.push(op.to_string());
                }
                other => found.push(violation(
                    format!("{set_at}/{j}"),
                    format!(
                        "{} is not an operator the query builder knows ({})",
                        other.map_or_else(|| "a non-string".to_string(), |o| format!("`{o}`")),
                        BUILDER_OPERATORS.join(" ")
                    ),
                )),
            }
        }
        if operators.is_empty() {
            found.push(violation(
                set_at,
                "an operator set needs at least one operator",
            ));
        }
        sets.push(OperatorSet {
            type_name: type_name.clone(),
            operators,
        });
    }
    sets
}

fn read_field(
    spec: &LoadedSpec,
    row: &Value,
    at: &str,
    sets: &[OperatorSet],
    found: &mut Vec<SpecViolation>,
) -> Option<QueryFieldSpec> {
    let Some(name) = row.get("field").and_then(Value::as_str) else {
        found.push(violation(at.to_string(), "entry has no field name"));
        return None;
    };
    let Some(type_name) = row.get("type").and_then(Value::as_str) else {
        found.push(violation(at.to_string(), format!("`{name}` has no type")));
        return None;
    };
    if !sets.iter().any(|s| s.type_name == type_name) {
        found.push(violation(
            format!("{at}/type"),
            format!("`{type_name}` names no operator set of {OPERATORS_EXTENSION}"),
        ));
    }
    let Some(sortable) = row.get("sortable").and_then(Value::as_bool) else {
        found.push(violation(
            at.to_string(),
            format!("`{name}` must say whether it is sortable (true or false)"),
        ));
        return None;
    };
    let Some(schema) = field_schema(spec, name) else {
        found.push(violation(
            format!("{at}/field"),
            format!("`{name}` is not a field of {}", spec.names.entity),
        ));
        return None;
    };
    let value_type = match (FieldType::from_name(type_name), schema_shape(spec, schema)) {
        (Some(expected), Some((shape, rust))) if expected == shape => rust,
        (Some(_), shape) => {
            let actual = shape.map_or("no queryable type".to_string(), |(s, _)| {
                let name = FieldType::ALL
                    .iter()
                    .find(|(_, t)| *t == s)
                    .map_or("?", |(n, _)| *n);
                format!("of type `{name}`")
            });
            found.push(violation(
                format!("{at}/type"),
                format!(
                    "`{name}` is {actual} in {}, not `{type_name}`",
                    spec.names.entity
                ),
            ));
            return None;
        }
        (None, _) => return None,
    };
    Some(QueryFieldSpec {
        name: name.to_string(),
        type_name: type_name.to_string(),
        sortable,
        value_type,
    })
}

/// The schema of a dotted field of the entity (`info.x-wix-entity`), following `$ref`s on the way but not at
/// the end (so an enum or hand-written type is still seen by its reference).
fn field_schema<'s>(spec: &'s LoadedSpec, path: &str) -> Option<&'s Value> {
    let mut node = spec.at(&pointer(["components", "schemas", &spec.names.entity]))?;
    for part in path.split('.') {
        node = spec.resolve(node).get("properties")?.get(part)?;
    }
    Some(node)
}

/// What a field's schema is, and the Rust type of its values.
fn schema_shape(spec: &LoadedSpec, schema: &Value) -> Option<(FieldType, String)> {
    if let Some(name) = referenced_schema(schema) {
        // A decimal schema (lint: its range sits on `format: decimal` only).
        if let Some(rust) = crate::decimals::decimal_type(spec, name, "crate") {
            return Some((FieldType::Decimal, rust));
        }
        if enums::forward_compatible_enum_names(spec)
            .iter()
            .any(|e| e == name)
        {
            return Some((FieldType::Enum, format!("{}::{name}", enums::MODULE_PATH)));
        }
    }
    let schema = spec.resolve(schema);
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    Some(match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => (FieldType::Date, "chrono::DateTime<chrono::Utc>".into()),
        Some("decimal") => (
            FieldType::Decimal,
            "::wix_runtime::rust_decimal::Decimal".into(),
        ),
        Some("uuid") => (FieldType::String, "uuid::Uuid".into()),
        _ => (FieldType::String, "String".into()),
    })
}

/// Generates the `query_fields` module.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let table = read(spec).map_err(|violations| CodegenError::Lint {
        spec: spec.name.clone(),
        violations,
    })?;
    let sets = table.sets.iter().map(|set| {
        let ty = format_ident!("{}", set_type_name(&set.type_name));
        let doc = doc_lines(&format!(
            "The operators of fields of type `{}`: {}.",
            set.type_name,
            code_list(&set.operators)
        ));
        let traits = set
            .operators
            .iter()
            .map(|op| format_ident!("{}", operator_trait(op)));
        quote! {
            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct #ty;
            #(impl ::wix_runtime::query::operator::#traits for #ty {})*
        }
    });
    let constants = table.fields.iter().map(|field| {
        let name = format_ident!("{}", constant_name(&field.name));
        let wql = &field.name;
        let ops = format_ident!("{}", set_type_name(&field.type_name));
        let value: TokenStream = field
            .value_type
            .parse()
            .expect("value types are Rust paths");
        let sort = if field.sortable {
            quote!(::wix_runtime::query::Sortable)
        } else {
            quote!(::wix_runtime::query::Unsortable)
        };
        let doc = doc_lines(&format!(
            "`{wql}`: type `{}` ([`{}`]); {}.",
            field.type_name,
            set_type_name(&field.type_name),
            if field.sortable {
                "sortable"
            } else {
                "not sortable"
            }
        ));
        quote! {
            #doc
            pub const #name: ::wix_runtime::query::QueryField<#ops, #value, #sort> =
                ::wix_runtime::query::QueryField::new(#wql);
        }
    });
    let wire = query_wire(spec);
    Ok(quote! {
        #(#sets)*

        #wire

        /// The filterable fields of `x-wix-query-fields`: `Field::OrderId.eq(id)`,
        /// `Field::Status.is_in([..])`. Each offers the operators of its type only.
        #[derive(Debug, Clone, Copy)]
        pub struct Field;

        #[allow(non_upper_case_globals)]
        impl Field {
            #(#constants)*
        }
    })
}

/// How the runtime's `Query` and paging reach this API's types, by Wix's query conventions:
/// `impl CursorQueryWire` for the `CursorQuery` schema (`cursorPaging {cursor, limit}`,
/// `filter`, `sort [{fieldName, order}]`), and `impl QueryPage` for the answer of each
/// operation whose `200` lists the entity (`pagingMetadata {cursors {next}, hasNext}`).
/// A spec without a `CursorQuery` schema gets neither.
fn query_wire(spec: &LoadedSpec) -> TokenStream {
    if spec
        .at(&pointer(["components", "schemas", QUERY_SCHEMA]))
        .is_none()
    {
        return TokenStream::new();
    }
    let query = format_ident!("{QUERY_SCHEMA}");
    let entity = format_ident!("{}", spec.names.entity);
    let pages = spec.operations().filter_map(|(_, _, op)| {
        let list = crate::rules::entity_field(spec, op).filter(|field| field.list)?;
        // The lint requires every `200` to be a `$ref` to a component schema.
        let response =
            referenced_schema(op.pointer("/responses/200/content/application~1json/schema")?)?;
        let response = format_ident!("{response}");
        let member = format_ident!("{}", heck::ToSnakeCase::to_snake_case(list.name.as_str()));
        Some(quote! {
            impl ::wix_runtime::paging::QueryPage for super::client::types::#response {
                type Item = super::client::types::#entity;

                fn next_cursor(&self) -> ::std::option::Option<&str> {
                    self.paging_metadata
                        .as_ref()?
                        .cursors
                        .as_ref()?
                        .next
                        .as_ref()
                        .map(|cursor| cursor.as_str())
                }

                fn has_next(&self) -> ::std::option::Option<bool> {
                    self.paging_metadata.as_ref()?.has_next
                }

                fn into_items(self) -> ::std::vec::Vec<Self::Item> {
                    self.#member
                }
            }
        })
    });
    let pages: Vec<TokenStream> = pages.collect();
    quote! {
        impl ::wix_runtime::query::CursorQueryWire for super::client::types::#query {
            fn first_page(
                filter: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                sort: &[::wix_runtime::query::SortKey],
                limit: ::std::option::Option<i32>,
            ) -> Self {
                Self {
                    cursor_paging: limit.map(|limit| super::client::types::CursorPaging {
                        cursor: None,
                        limit: Some(limit),
                    }),
                    filter,
                    sort: sort
                        .iter()
                        .map(|key| super::client::types::Sorting {
                            field_name: key.field.parse().ok(),
                            order: Some(if key.descending {
                                super::enums::SortOrder::Desc
                            } else {
                                super::enums::SortOrder::Asc
                            }),
                        })
                        .collect(),
                }
            }

            fn next_page(
                cursor: &str,
                limit: ::std::option::Option<i32>,
            ) -> ::std::option::Option<Self> {
                Some(Self {
                    cursor_paging: Some(super::client::types::CursorPaging {
                        cursor: Some(cursor.parse().ok()?),
                        limit,
                    }),
                    filter: ::std::default::Default::default(),
                    sort: ::std::vec::Vec::new(),
                })
            }
        }

        #(#pages)*
    }
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(constant_name("amount.amount"), "Amount");
        assert_eq!(constant_name("source.appId"), "SourceAppId");
        assert_eq!(constant_name("createdDate"), "CreatedDate");
        assert_eq!(constant_name("id"), "Id");
        assert_eq!(set_type_name("date"), "DateOperators");
        assert_eq!(operator_trait("$isEmpty"), "IsEmpty");
        assert_eq!(operator_trait("$nin"), "Nin");
    }
}
