//! The spec's rules as data, for the client's pre-send checks and retries and for the emulator.
//!
//! [`read`] collects and checks, and [`generate`] writes into `generated/rules.rs`:
//!
//! - `OPERATIONS`: each operation's `operationId`, the generated builder's snake_case name,
//!   HTTP method, path, `x-wix-alternate-paths`, retry class (`x-wix-retry`: `safe`,
//!   `reconcile` or `never`; an operation without it, or with another value, is refused) and
//!   the property of its `200` answer that holds the entity, if one does;
//! - one `Bound` constant per numeric bound of a component schema or of its property
//!   (`minItems`, `maxItems`, `minLength`, `maxLength`, `minimum`, `maximum`,
//!   `x-wix-documented-max-length`), named by the node that states it (`PAYMENT_REQUEST_TITLE_MAX_LENGTH`
//!   for schema `PaymentRequestTitle`, `CURSOR_PAGING_LIMIT_MAXIMUM` for `CursorPaging.limit`;
//!   no two share a name), all of them in `BOUNDS`, and `REQUEST_BOUNDS`: each bound
//!   that a request body's writable field carries, with the operation and Wix's field path
//!   (`query.cursorPaging.limit`; `[]` stands for every item of an array);
//! - `IMMUTABLE_FIELDS` and `READ_ONLY_FIELDS` of the entity (`x-wix-immutable-fields`,
//!   `x-wix-read-only-fields`), checked against the properties' own `x-wix-immutable` and
//!   `readOnly` marks;
//! - one `DecimalRange` constant per schema with `x-wix-decimal-range` (inclusive `gte` and
//!   `lte` only), as exact `rust_decimal::Decimal` values and as the spec's text;
//! - `QUERY_FIELDS`: the query table of [`crate::query_fields`] as data (each field's name,
//!   type, operators, sortability and its schema's `format`), for the emulator's query engine.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use wix_runtime::rules::{BoundKind, RetryClass};

use crate::naming::{pointer, pointer_token};
use crate::spec::{referenced_schema, LoadedSpec};
use crate::{CodegenError, SpecViolation};

/// Rust path of the generated module, as the other generated modules refer to it.
pub const MODULE_PATH: &str = "crate::generated::rules";
/// Extension on each operation naming its retry class.
pub const RETRY_EXTENSION: &str = "x-wix-retry";
/// Extension on an operation listing further paths it is served at.
pub const ALTERNATE_PATHS_EXTENSION: &str = "x-wix-alternate-paths";
/// Extension on a decimal schema: its inclusive range.
pub const DECIMAL_RANGE_EXTENSION: &str = "x-wix-decimal-range";
/// Extension on the entity schema (`info.x-wix-entity`) listing the fields set on create only.
pub const IMMUTABLE_FIELDS_EXTENSION: &str = "x-wix-immutable-fields";
/// Extension on the entity schema (`info.x-wix-entity`) listing the fields only Wix sets.
pub const READ_ONLY_FIELDS_EXTENSION: &str = "x-wix-read-only-fields";

/// The retry classes, by their spec value, with the generated variant's name.
/// One operation's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRow {
    /// The spec's `operationId`.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// `x-wix-alternate-paths`.
    pub alternate_paths: Vec<String>,
    /// Its retry class.
    pub retry: RetryClass,
    /// The property of its `200` answer that holds the entity (the entity schema (`info.x-wix-entity`)), if one does.
    pub entity_field: Option<EntityFieldRow>,
}

/// The property of an answer that holds the entity: the entity itself or a list of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityFieldRow {
    /// The property's name (`orderPaymentRequest`).
    pub name: String,
    /// Whether it is a list of the entity (`orderPaymentRequests`).
    pub list: bool,
}

/// One bound of a component schema or of its property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundRow {
    /// The schema that holds the property.
    pub schema: String,
    /// The property (empty for a bound of the schema itself).
    pub property: String,
    /// The keyword.
    pub kind: BoundKind,
    /// The bound.
    pub value: i64,
}

impl BoundRow {
    /// Name of its generated constant, e.g. `CURSOR_PAGING_LIMIT_MAXIMUM`: the schema's name,
    /// the property's (for a bound of a property) and the keyword's. [`read`] refuses two
    /// bounds with the same name.
    pub fn constant_name(&self) -> String {
        format!("{} {} {:?}", self.schema, self.property, self.kind).to_shouty_snake_case()
    }

    /// The node that carries it, as `Schema` or `Schema.property`.
    pub fn node(&self) -> String {
        if self.property.is_empty() {
            format!("`{}`", self.schema)
        } else {
            format!("`{}.{}`", self.schema, self.property)
        }
    }
}

/// A bound on a writable field of an operation's request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBoundRow {
    /// The operation.
    pub operation_id: String,
    /// Wix's field path, `[]` standing for every item of an array.
    pub field: String,
    /// The bound.
    pub bound: BoundRow,
}

/// One end of a decimal range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalEnd {
    /// The spec's text.
    pub text: String,
    /// Digits without the point.
    pub mantissa: u128,
    /// Digits after the point.
    pub scale: u32,
}

/// One schema's `x-wix-decimal-range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalRangeRow {
    /// The schema that carries it.
    pub schema: String,
    /// Inclusive lower end.
    pub gte: Option<DecimalEnd>,
    /// Inclusive upper end.
    pub lte: Option<DecimalEnd>,
}

/// One queryable field as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFieldRow {
    /// Dotted name (`amount.amount`).
    pub name: String,
    /// Its type in `x-wix-query-operators` (`string`, ...).
    pub type_name: String,
    /// The `format` of its schema in the entity (`uuid`, `date-time`, `decimal`), if any.
    pub format: Option<String>,
    /// Whether it sorts.
    pub sortable: bool,
    /// Its type's operators, in the spec's order.
    pub operators: Vec<String>,
}

/// Every rule table, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    /// Operations, in a stable order.
    pub operations: Vec<OperationRow>,
    /// Bounds of component schemas' properties, in a stable order.
    pub bounds: Vec<BoundRow>,
    /// Bounds of request fields, per operation in a stable order.
    pub request_bounds: Vec<RequestBoundRow>,
    /// `x-wix-immutable-fields` of the entity.
    pub immutable_fields: Vec<String>,
    /// `x-wix-read-only-fields` of the entity.
    pub read_only_fields: Vec<String>,
    /// Decimal ranges, in a stable order.
    pub decimal_ranges: Vec<DecimalRangeRow>,
    /// Queryable fields, in the spec's order.
    pub query_fields: Vec<QueryFieldRow>,
}

fn violation(pointer: String, message: impl Into<String>) -> SpecViolation {
    SpecViolation {
        pointer,
        message: message.into(),
    }
}

/// Reads and checks every table; reports every problem at once.
pub fn read(spec: &LoadedSpec) -> Result<Rules, Vec<SpecViolation>> {
    let mut found = Vec::new();
    let operations = read_operations(spec, &mut found);
    let bounds = read_bounds(spec, &mut found);
    let request_bounds = read_request_bounds(spec);
    let immutable_fields = read_field_list(
        spec,
        IMMUTABLE_FIELDS_EXTENSION,
        |node| node.get("x-wix-immutable").and_then(Value::as_bool) == Some(true),
        &mut found,
    );
    let read_only_fields = read_field_list(
        spec,
        READ_ONLY_FIELDS_EXTENSION,
        |node| node.get("readOnly").and_then(Value::as_bool) == Some(true),
        &mut found,
    );
    let decimal_ranges = read_decimal_ranges(spec, &mut found);
    // The query table's own problems are reported by `query_fields::read` (through the lint).
    let query_fields = crate::query_fields::read(spec)
        .map(|table| query_field_rows(spec, &table))
        .unwrap_or_default();
    if found.is_empty() {
        Ok(Rules {
            operations,
            bounds,
            request_bounds,
            immutable_fields,
            read_only_fields,
            decimal_ranges,
            query_fields,
        })
    } else {
        Err(found)
    }
}

fn query_field_rows(
    spec: &LoadedSpec,
    table: &crate::query_fields::QueryTable,
) -> Vec<QueryFieldRow> {
    table
        .fields
        .iter()
        .map(|field| QueryFieldRow {
            name: field.name.clone(),
            type_name: field.type_name.clone(),
            format: format_of(spec, &field.name),
            sortable: field.sortable,
            operators: table
                .sets
                .iter()
                .find(|set| set.type_name == field.type_name)
                .map(|set| set.operators.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The `format` of a dotted field of the entity, through properties and references.
fn format_of(spec: &LoadedSpec, path: &str) -> Option<String> {
    let mut node =
        spec.resolve(spec.at(&pointer(["components", "schemas", &spec.names.entity]))?);
    for part in path.split('.') {
        node = spec.resolve(node.get("properties")?.get(part)?);
    }
    node.get("format")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn read_operations(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) -> Vec<OperationRow> {
    let mut rows = Vec::new();
    for (path, method, op) in spec.operations() {
        let at = pointer(["paths", path, method]);
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue; // the lint reports it
        };
        let retry_at = format!("{at}/{}", pointer_token(RETRY_EXTENSION));
        let values: Vec<&str> = RetryClass::ALL.iter().map(|c| c.as_str()).collect();
        let retry = match op.get(RETRY_EXTENSION) {
            None => {
                found.push(violation(
                    at.clone(),
                    format!("`{id}` has no {RETRY_EXTENSION} (one of {values:?})"),
                ));
                continue;
            }
            Some(value) => match RetryClass::ALL
                .into_iter()
                .find(|c| value.as_str() == Some(c.as_str()))
            {
                Some(class) => class,
                None => {
                    found.push(violation(
                        retry_at,
                        format!("{RETRY_EXTENSION} is {value}, not one of {values:?}"),
                    ));
                    continue;
                }
            },
        };
        let alternate_paths = match op.get(ALTERNATE_PATHS_EXTENSION) {
            None => Vec::new(),
            Some(list) => match list.as_array().and_then(|l| {
                l.iter()
                    .map(|p| {
                        p.as_str()
                            .filter(|p| p.starts_with('/'))
                            .map(str::to_string)
                    })
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(paths) => paths,
                None => {
                    found.push(violation(
                        format!("{at}/{}", pointer_token(ALTERNATE_PATHS_EXTENSION)),
                        "must be a list of paths starting with `/`",
                    ));
                    continue;
                }
            },
        };
        rows.push(OperationRow {
            id: id.to_string(),
            method: method.to_uppercase(),
            path: path.to_string(),
            alternate_paths,
            retry,
            entity_field: entity_field(spec, op),
        });
    }
    rows
}

/// The top-level property of an operation's `200` JSON answer that is the entity or a list of
/// it; `None` when no property or more than one is.
pub(crate) fn entity_field(spec: &LoadedSpec, op: &Value) -> Option<EntityFieldRow> {
    let answer = op
        .pointer("/responses/200/content/application~1json/schema")
        .map(|schema| spec.resolve(schema))?;
    let is_entity = |node: &Value| referenced_schema(node) == Some(spec.names.entity.as_str());
    let mut found = answer
        .get("properties")?
        .as_object()?
        .iter()
        .filter_map(|(name, node)| {
            let list = node.get("type").and_then(Value::as_str) == Some("array");
            let holds = if list {
                node.get("items").is_some_and(is_entity)
            } else {
                is_entity(node)
            };
            holds.then(|| EntityFieldRow {
                name: name.clone(),
                list,
            })
        });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The bounds a schema node carries itself.
fn node_bounds(node: &Value, at: &str, found: &mut Vec<SpecViolation>) -> Vec<(BoundKind, i64)> {
    let mut out = Vec::new();
    for kind in BoundKind::ALL {
        let keyword = kind.keyword();
        if let Some(value) = node.get(keyword) {
            match value.as_i64() {
                Some(n) => out.push((kind, n)),
                None => found.push(violation(
                    format!("{at}/{}", pointer_token(keyword)),
                    format!("{keyword} must be an integer"),
                )),
            }
        }
    }
    out
}

fn read_bounds(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) -> Vec<BoundRow> {
    let mut rows = Vec::new();
    for (schema, node) in spec.component_schemas() {
        let at = pointer(["components", "schemas", schema]);
        for (kind, value) in node_bounds(node, &at, found) {
            rows.push(BoundRow {
                schema: schema.to_string(),
                property: String::new(),
                kind,
                value,
            });
        }
        let Some(properties) = node.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (property, prop) in properties {
            let prop_at = format!("{at}/properties/{}", pointer_token(property));
            for (kind, value) in node_bounds(prop, &prop_at, found) {
                rows.push(BoundRow {
                    schema: schema.to_string(),
                    property: property.clone(),
                    kind,
                    value,
                });
            }
        }
    }
    refuse_shared_names(&rows, found);
    rows
}

/// Reports two bounds whose constants would have the same name: schema `Source`'s property
/// `externalId` and schema `SourceExternalId` itself both name `SOURCE_EXTERNAL_ID_...`. Each
/// constant names one spec node, so one of the two schemas must be renamed.
fn refuse_shared_names(rows: &[BoundRow], found: &mut Vec<SpecViolation>) {
    let mut seen: std::collections::BTreeMap<String, &BoundRow> = Default::default();
    for row in rows {
        let name = row.constant_name();
        match seen.get(&name) {
            Some(first) => found.push(violation(
                pointer(["components", "schemas", &row.schema]),
                format!(
                    "the bound constant `{name}` would name both {} and {}; rename a schema",
                    row.node(),
                    first.node()
                ),
            )),
            None => {
                seen.insert(name, row);
            }
        }
    }
}

/// The bounds that apply at a node: its own (as a property of `holder`), and those of the
/// component it refers to.
fn bounds_at(spec: &LoadedSpec, holder: &str, property: &str, node: &Value) -> Vec<BoundRow> {
    let mut ignored = Vec::new();
    let mut out: Vec<BoundRow> = node_bounds(node, "", &mut ignored)
        .into_iter()
        .map(|(kind, value)| BoundRow {
            schema: holder.to_string(),
            property: property.to_string(),
            kind,
            value,
        })
        .collect();
    if let Some(name) = referenced_schema(node) {
        let target = spec.resolve(node);
        out.extend(
            node_bounds(target, "", &mut ignored)
                .into_iter()
                .map(|(kind, value)| BoundRow {
                    schema: name.to_string(),
                    property: String::new(),
                    kind,
                    value,
                }),
        );
    }
    out
}

fn read_request_bounds(spec: &LoadedSpec) -> Vec<RequestBoundRow> {
    let mut rows = Vec::new();
    for (_, _, op) in spec.operations() {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let Some(body) = op.pointer("/requestBody/content/application~1json/schema") else {
            continue;
        };
        let mut walk = RequestWalk {
            spec,
            operation_id: id,
            rows: &mut rows,
            stack: Vec::new(),
        };
        walk.object(body, "");
    }
    rows
}

/// Walks a request body's writable fields.
struct RequestWalk<'a> {
    spec: &'a LoadedSpec,
    operation_id: &'a str,
    rows: &'a mut Vec<RequestBoundRow>,
    /// Components being walked (a recursive schema stops there).
    stack: Vec<String>,
}

impl RequestWalk<'_> {
    fn object(&mut self, node: &Value, path: &str) {
        let name = referenced_schema(node).map(str::to_string);
        if let Some(name) = &name {
            if self.stack.contains(name) {
                return;
            }
            self.stack.push(name.clone());
        }
        let target = self.spec.resolve(node);
        let holder = name.clone().unwrap_or_default();
        if let Some(properties) = target.get("properties").and_then(Value::as_object) {
            for (property, prop) in properties {
                let resolved = self.spec.resolve(prop);
                let read_only =
                    |n: &Value| n.get("readOnly").and_then(Value::as_bool) == Some(true);
                if read_only(prop) || read_only(resolved) {
                    continue;
                }
                let field = if path.is_empty() {
                    property.clone()
                } else {
                    format!("{path}.{property}")
                };
                self.field(&holder, property, prop, &field);
            }
        }
        if name.is_some() {
            self.stack.pop();
        }
    }

    fn field(&mut self, holder: &str, property: &str, node: &Value, field: &str) {
        for bound in bounds_at(self.spec, holder, property, node) {
            self.rows.push(RequestBoundRow {
                operation_id: self.operation_id.to_string(),
                field: field.to_string(),
                bound,
            });
        }
        let resolved = self.spec.resolve(node);
        if let Some(items) = resolved.get("items") {
            let item_field = format!("{field}[]");
            if let Some(name) = referenced_schema(items) {
                let mut ignored = Vec::new();
                for (kind, value) in node_bounds(self.spec.resolve(items), "", &mut ignored) {
                    self.rows.push(RequestBoundRow {
                        operation_id: self.operation_id.to_string(),
                        field: item_field.clone(),
                        bound: BoundRow {
                            schema: name.to_string(),
                            property: String::new(),
                            kind,
                            value,
                        },
                    });
                }
            }
            self.object(items, &item_field);
        } else if resolved.get("properties").is_some() {
            self.object(node, field);
        }
    }
}

fn read_field_list(
    spec: &LoadedSpec,
    extension: &str,
    marked: impl Fn(&Value) -> bool,
    found: &mut Vec<SpecViolation>,
) -> Vec<String> {
    let at = pointer(["components", "schemas", &spec.names.entity]);
    let Some(entity) = spec.at(&at) else {
        return Vec::new();
    };
    let list_at = format!("{at}/{}", pointer_token(extension));
    let Some(list) = entity.get(extension) else {
        return Vec::new();
    };
    let Some(listed) = list.as_array().and_then(|l| {
        l.iter()
            .map(|f| f.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
    }) else {
        found.push(violation(list_at, "must be a list of property names"));
        return Vec::new();
    };
    let properties = entity.get("properties").and_then(Value::as_object);
    let marked_properties: BTreeSet<&str> = properties
        .into_iter()
        .flatten()
        .filter(|(_, prop)| marked(prop) || marked(spec.resolve(prop)))
        .map(|(name, _)| name.as_str())
        .collect();
    for name in &listed {
        if !properties.is_some_and(|p| p.contains_key(name)) {
            found.push(violation(
                list_at.clone(),
                format!("`{name}` is not a property of {}", spec.names.entity),
            ));
        } else if !marked_properties.contains(name.as_str()) {
            found.push(violation(
                list_at.clone(),
                format!("`{name}` is listed, but its schema does not say so"),
            ));
        }
    }
    for name in marked_properties {
        if !listed.iter().any(|l| l == name) {
            found.push(violation(
                format!("{at}/properties/{}", pointer_token(name)),
                format!("`{name}` is marked, but {extension} does not list it"),
            ));
        }
    }
    listed
}

/// A decimal's text as mantissa and scale, if it fits 96 bits.
fn decimal_end(text: &str) -> Option<DecimalEnd> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let mantissa: u128 = format!("{whole}{fraction}").parse().ok()?;
    (mantissa < 1 << 96 && fraction.len() <= 28).then(|| DecimalEnd {
        text: text.to_string(),
        mantissa,
        scale: fraction.len() as u32,
    })
}

fn read_decimal_ranges(spec: &LoadedSpec, found: &mut Vec<SpecViolation>) -> Vec<DecimalRangeRow> {
    let mut rows = Vec::new();
    for (schema, node) in spec.component_schemas() {
        let Some(range) = node.get(DECIMAL_RANGE_EXTENSION) else {
            continue;
        };
        let at = format!(
            "{}/{}",
            pointer(["components", "schemas", schema]),
            pointer_token(DECIMAL_RANGE_EXTENSION)
        );
        let Some(map) = range.as_object() else {
            found.push(violation(at, "must map `gte`/`lte` to decimal strings"));
            continue;
        };
        let mut end = |key: &str| {
            let text = map.get(key)?;
            let parsed = text.as_str().and_then(decimal_end);
            if parsed.is_none() {
                found.push(violation(
                    format!("{at}/{key}"),
                    "must be a non-negative decimal string of at most 28 digits",
                ));
            }
            parsed
        };
        let gte = end("gte");
        let lte = end("lte");
        for key in map.keys().filter(|k| *k != "gte" && *k != "lte") {
            found.push(violation(
                format!("{at}/{}", pointer_token(key)),
                format!("`{key}` is not supported: only inclusive `gte` and `lte`"),
            ));
        }
        if node.get("format").and_then(Value::as_str) != Some("decimal") {
            found.push(violation(
                at.clone(),
                "sits on a schema without `format: decimal`",
            ));
        }
        rows.push(DecimalRangeRow {
            schema: schema.to_string(),
            gte,
            lte,
        });
    }
    rows
}

/// Generates `generated/rules.rs`.
pub fn generate(spec: &LoadedSpec) -> Result<TokenStream, CodegenError> {
    let rules = read(spec).map_err(|violations| CodegenError::Lint {
        spec: spec.name.clone(),
        violations,
    })?;
    let variants: Vec<_> = rules
        .operations
        .iter()
        .map(|op| format_ident!("{}", crate::naming::type_name_of_operation(&op.id)))
        .collect();
    let variant_docs = rules
        .operations
        .iter()
        .map(|op| format!(" `{}` (`{} {}`).", op.id, op.method, op.path));
    let indexes = 0..rules.operations.len();
    let operation_count = rules.operations.len();
    let operations = rules.operations.iter().zip(&variants).map(|(op, variant)| {
        let id = &op.id;
        let generated_id = op.id.to_snake_case();
        let method = &op.method;
        let path = &op.path;
        let alternates = &op.alternate_paths;
        let retry = variant_ident(op.retry);
        let entity_field = match &op.entity_field {
            Some(EntityFieldRow { name, list }) => {
                quote!(Some(EntityField { name: #name, list: #list }))
            }
            None => quote!(None),
        };
        quote! {
            OperationRule {
                operation: Operation::#variant,
                operation_id: #id,
                generated_id: #generated_id,
                method: #method,
                path: #path,
                alternate_paths: &[#(#alternates),*],
                retry: RetryClass::#retry,
                entity_field: #entity_field,
            }
        }
    });
    let bound_constants = rules.bounds.iter().map(|b| {
        let name = format_ident!("{}", b.constant_name());
        let doc = format!(
            " `{}` of `{}{}{}`.",
            b.kind.keyword(),
            b.schema,
            if b.property.is_empty() { "" } else { "." },
            b.property
        );
        let row = bound_tokens(b);
        quote! {
            #[doc = #doc]
            pub const #name: Bound = #row;
        }
    });
    let bound_names = rules
        .bounds
        .iter()
        .map(|b| format_ident!("{}", b.constant_name()));
    let request_bounds = rules.request_bounds.iter().map(|r| {
        let operation_id = &r.operation_id;
        let variant = format_ident!("{}", crate::naming::type_name_of_operation(operation_id));
        let field = &r.field;
        let bound = match rules.bounds.iter().find(|b| **b == r.bound) {
            Some(b) => {
                let name = format_ident!("{}", b.constant_name());
                quote!(#name)
            }
            None => bound_tokens(&r.bound),
        };
        quote! {
            RequestBound {
                operation: Operation::#variant,
                operation_id: #operation_id,
                field: #field,
                bound: #bound,
            }
        }
    });
    let immutable = &rules.immutable_fields;
    let read_only = &rules.read_only_fields;
    let range_constants = rules.decimal_ranges.iter().map(|r| {
        let name = range_constant(&r.schema);
        let schema = &r.schema;
        let doc = format!(" `{DECIMAL_RANGE_EXTENSION}` of `{schema}`.");
        let end = |e: &Option<DecimalEnd>| match e {
            None => quote!(None),
            Some(e) => {
                let text = &e.text;
                let lo = (e.mantissa & 0xffff_ffff) as u32;
                let mid = ((e.mantissa >> 32) & 0xffff_ffff) as u32;
                let hi = ((e.mantissa >> 64) & 0xffff_ffff) as u32;
                let scale = e.scale;
                quote! {
                    Some(DecimalEnd {
                        value: ::wix_runtime::rust_decimal::Decimal::from_parts(#lo, #mid, #hi, false, #scale),
                        text: #text,
                    })
                }
            }
        };
        let gte = end(&r.gte);
        let lte = end(&r.lte);
        quote! {
            #[doc = #doc]
            pub const #name: DecimalRange = DecimalRange { schema: #schema, gte: #gte, lte: #lte };
        }
    });
    let range_names = rules
        .decimal_ranges
        .iter()
        .map(|r| range_constant(&r.schema));
    let query_fields = rules.query_fields.iter().map(|f| {
        let name = &f.name;
        let type_name = &f.type_name;
        let format = match &f.format {
            Some(format) => quote!(Some(#format)),
            None => quote!(None),
        };
        let sortable = f.sortable;
        let operators = &f.operators;
        quote! {
            QueryFieldRule {
                name: #name,
                type_name: #type_name,
                format: #format,
                sortable: #sortable,
                operators: &[#(#operators),*],
            }
        }
    });
    let decimal_markers = crate::decimals::schema_markers(spec);
    Ok(quote! {
        pub use ::wix_runtime::rules::{
            Bound, BoundKind, DecimalEnd, DecimalRange, EntityField, QueryFieldRule, RetryClass,
        };

        /// One operation of the spec, with its variant of [`Operation`].
        pub type OperationRule = ::wix_runtime::rules::OperationRule<Operation>;

        /// A bound on a writable field of an operation's request body, with its variant of
        /// [`Operation`].
        pub type RequestBound = ::wix_runtime::rules::RequestBound<Operation>;

        /// Each operation of the spec, one variant per `operationId`. Code that must do
        /// something for every operation matches on it, so an operation the spec gains and the
        /// code lacks fails to compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            #(#[doc = #variant_docs] #variants,)*
        }

        impl Operation {
            /// Every operation, in the order of [`OPERATIONS`].
            pub const ALL: [Operation; #operation_count] = [#(Operation::#variants),*];

            /// The operation's rules.
            pub const fn rule(self) -> &'static OperationRule {
                match self {
                    #(Operation::#variants => &OPERATIONS[#indexes],)*
                }
            }
        }

        /// Every operation, in a stable order.
        pub const OPERATIONS: &[OperationRule] = &[#(#operations),*];

        /// The operation with this `operationId`.
        pub fn operation(operation_id: &str) -> Option<&'static OperationRule> {
            OPERATIONS.iter().find(|op| op.operation_id == operation_id)
        }

        /// The operation whose generated builder has this name (snake_case).
        pub fn operation_of_generated(generated_id: &str) -> Option<&'static OperationRule> {
            OPERATIONS.iter().find(|op| op.generated_id == generated_id)
        }

        #(#bound_constants)*

        /// Every bound of a component schema or of its property, in a stable order.
        pub const BOUNDS: &[Bound] = &[#(#bound_names),*];

        /// Every bound on a writable request field, per operation in a stable order.
        pub const REQUEST_BOUNDS: &[RequestBound] = &[#(#request_bounds),*];

        /// The entity's fields that are set on create only (`x-wix-immutable-fields`).
        pub const IMMUTABLE_FIELDS: &[&str] = &[#(#immutable),*];

        /// The entity's fields that only Wix sets (`x-wix-read-only-fields`).
        pub const READ_ONLY_FIELDS: &[&str] = &[#(#read_only),*];

        #(#range_constants)*

        /// Every decimal range, in a stable order.
        pub const DECIMAL_RANGES: &[DecimalRange] = &[#(#range_names),*];

        #decimal_markers

        /// Every queryable field, in the spec's order (the typed builder's `Field` constants
        /// are generated from the same table).
        pub const QUERY_FIELDS: &[QueryFieldRule] = &[#(#query_fields),*];
    })
}

/// The name of the generated constant of a decimal schema's range (`DECIMAL_AMOUNT_RANGE`).
pub fn range_constant(schema: &str) -> proc_macro2::Ident {
    format_ident!("{}_RANGE", schema.to_shouty_snake_case())
}

/// The identifier of a variant of one of the runtime's rule enums (`BoundKind::MaxLength`,
/// `RetryClass::Safe`), as generated code names it.
pub fn variant_ident(variant: impl std::fmt::Debug) -> proc_macro2::Ident {
    format_ident!("{}", format!("{variant:?}"))
}

fn bound_tokens(b: &BoundRow) -> TokenStream {
    let schema = &b.schema;
    let property = &b.property;
    let kind = variant_ident(b.kind);
    let value = b.value;
    quote! {
        Bound { schema: #schema, property: #property, kind: BoundKind::#kind, value: #value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> LoadedSpec {
        crate::spec::load(yaml, "test.yaml").unwrap()
    }

    const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1", x-wix-entity: Body, x-wix-client-crate: c}
paths:
  /a:
    post:
      operationId: doA
      RETRY
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses: {"200": {description: ok}}
components:
  schemas:
    Body:
      type: object
      properties:
        items:
          type: array
          maxItems: 3
          items: {$ref: '#/components/schemas/Item'}
        id: {type: string, readOnly: true, maxLength: 9}
    Item:
      type: object
      properties:
        name: {type: string, maxLength: 7}
        amount: {$ref: '#/components/schemas/Dec'}
    Dec:
      type: string
      format: decimal
      x-wix-decimal-range: {gte: "0", lte: "12.50"}
"#;

    #[test]
    fn reads_operations_bounds_and_ranges() {
        let rules = read(&spec(&BASE.replace("RETRY", "x-wix-retry: reconcile"))).unwrap();
        assert_eq!(rules.operations[0].retry, RetryClass::Reconcile);
        assert_eq!(rules.operations[0].method, "POST");
        let fields: Vec<(&str, BoundKind, i64)> = rules
            .request_bounds
            .iter()
            .map(|r| (r.field.as_str(), r.bound.kind, r.bound.value))
            .collect();
        // The read-only `id` is not a request bound.
        assert_eq!(
            fields,
            [
                ("items", BoundKind::MaxItems, 3),
                ("items[].name", BoundKind::MaxLength, 7)
            ]
        );
        assert_eq!(rules.bounds.len(), 3);
        let names: Vec<String> = rules.bounds.iter().map(BoundRow::constant_name).collect();
        assert!(
            names.contains(&"BODY_ITEMS_MAX_ITEMS".to_string()),
            "{names:?}"
        );
        let lte = rules.decimal_ranges[0].lte.as_ref().unwrap();
        assert_eq!((lte.mantissa, lte.scale), (1250, 2));
    }

    #[test]
    fn names_the_answer_property_that_holds_the_entity() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1", x-wix-entity: OrderPaymentRequest, x-wix-client-crate: c}
paths:
  /one:
    get:
      operationId: one
      x-wix-retry: safe
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OneAnswer'}}}}}
  /many:
    post:
      operationId: many
      x-wix-retry: safe
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/OrderPaymentRequest'}}
                  paging: {type: object}
  /two:
    post:
      operationId: two
      x-wix-retry: safe
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  a: {$ref: '#/components/schemas/OrderPaymentRequest'}
                  b: {$ref: '#/components/schemas/OrderPaymentRequest'}
  /none:
    post:
      operationId: none
      x-wix-retry: safe
      responses: {"200": {description: ok}}
components:
  schemas:
    OneAnswer:
      type: object
      properties:
        other: {type: string}
        orderPaymentRequest: {$ref: '#/components/schemas/OrderPaymentRequest'}
    OrderPaymentRequest: {type: object}
"#;
        let rules = read(&spec(yaml)).unwrap();
        let field = |id: &str| {
            rules
                .operations
                .iter()
                .find(|op| op.id == id)
                .unwrap()
                .entity_field
                .clone()
                .map(|f| (f.name, f.list))
        };
        assert_eq!(field("one"), Some(("orderPaymentRequest".into(), false)));
        assert_eq!(field("many"), Some(("items".into(), true)));
        // Two candidates are ambiguous; no JSON answer has none.
        assert_eq!(field("two"), None);
        assert_eq!(field("none"), None);
    }

    #[test]
    fn refuses_a_missing_or_unknown_retry_class() {
        for (line, needle) in [
            ("", "has no x-wix-retry"),
            ("x-wix-retry: sometimes", "not one of"),
        ] {
            let errors = read(&spec(&BASE.replace("RETRY", line))).unwrap_err();
            assert!(
                errors.iter().any(|e| e.message.contains(needle)),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn refuses_exclusive_decimal_ends() {
        let yaml = BASE
            .replace("RETRY", "x-wix-retry: safe")
            .replace("lte: \"12.50\"", "lt: \"12.50\"");
        let errors = read(&spec(&yaml)).unwrap_err();
        assert!(errors
            .iter()
            .any(|e| e.message.contains("`lt` is not supported")));
    }

    #[test]
    fn entity_lists_must_match_the_property_marks() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
                .unwrap();
        let rules = read(&spec(&text)).unwrap();
        assert!(rules.immutable_fields.contains(&"amount".to_string()));
        assert!(rules.read_only_fields.contains(&"status".to_string()));
        // orderId loses its mark but stays listed; description gains one but is not listed.
        let edited = text
            .replacen(
                "          x-wix-immutable: true\n          description: Order GUID.",
                "          description: Order GUID.",
                1,
            )
            .replacen(
                "        description:\n          $ref: '#/components/schemas/PaymentRequestDescription'\n",
                "        description:\n          allOf:\n            - $ref: '#/components/schemas/PaymentRequestDescription'\n          readOnly: true\n",
                1,
            );
        assert_ne!(edited, text);
        let messages: Vec<String> = read(&spec(&edited))
            .unwrap_err()
            .into_iter()
            .map(|v| v.message)
            .collect();
        assert!(
            messages.contains(&"`orderId` is listed, but its schema does not say so".to_string()),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"`description` is marked, but x-wix-read-only-fields does not list it".to_string()
            ),
            "{messages:?}"
        );
    }

    #[test]
    fn a_shared_schema_bounds_every_use_under_its_own_name_and_names_never_clash() {
        let shared = BASE.replace("RETRY", "x-wix-retry: safe").replace(
            "        name: {type: string, maxLength: 7}",
            "        name: {$ref: '#/components/schemas/ItemName'}",
        ) + "    ItemName: {type: string, maxLength: 7}\n";
        let rules = read(&spec(&shared)).unwrap();
        let name_bounds: Vec<(&str, String)> = rules
            .request_bounds
            .iter()
            .filter(|r| r.field == "items[].name")
            .map(|r| (r.bound.schema.as_str(), r.bound.constant_name()))
            .collect();
        assert_eq!(
            name_bounds,
            [("ItemName", "ITEM_NAME_MAX_LENGTH".to_string())]
        );
        // `Item.name` and a schema `ItemName` would both be `ITEM_NAME_MAX_LENGTH`.
        let clash = BASE.replace("RETRY", "x-wix-retry: safe")
            + "    ItemName: {type: string, maxLength: 7}\n";
        let messages: Vec<String> = read(&spec(&clash))
            .unwrap_err()
            .into_iter()
            .map(|v| v.message)
            .collect();
        assert_eq!(
            messages,
            [
                "the bound constant `ITEM_NAME_MAX_LENGTH` would name both `ItemName` and \
              `Item.name`; rename a schema"
            ]
        );
    }
}
