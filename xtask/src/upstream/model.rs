//! The SDK package's surface as `upstream/extract.mjs` prints it (JSON): operations, REST
//! types, webhooks and query specs, each element with the file and typing it comes from.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Everything read from one SDK package.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// The package's name and version.
    pub package: Package,
    /// The versions of the tools that read it.
    pub tools: Tools,
    /// The operations, one per request builder.
    pub operations: Vec<Operation>,
    /// The REST-shaped types (`meta.d.mts`), by name.
    pub types: BTreeMap<String, TypeDef>,
    /// The webhook functions.
    pub webhooks: Vec<Webhook>,
    /// The typed query specs.
    pub queries: Vec<QuerySpec>,
    /// The string enums the compiled module builds at run time, by name.
    #[serde(default)]
    pub runtime_enums: BTreeMap<String, Vec<String>>,
}

/// The package's `name` and `version`.
#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    /// npm name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// The versions of the reading tools.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tools {
    /// `typescript`.
    pub typescript: String,
    /// `@wix/sdk-types`, which the typings are resolved against.
    pub sdk_types: Option<String>,
}

/// One operation: its request builder, meta typing and SDK functions together.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Builder name, the same as the spec's `operationId`.
    pub name: String,
    /// `methodFqn`, e.g. `wix.ecom...OrderPaymentRequestsService.CreateOrderPaymentRequest`.
    pub fqn: Option<String>,
    /// HTTP method the builder sends.
    pub method: Option<String>,
    /// Public path: the builder's proto path through its URL table for `www.wixapis.com`.
    pub path: Option<String>,
    /// The entity FQDN the builder names.
    pub entity_fqdn: Option<String>,
    /// Whether every SDK function of the operation is internal (or there is none).
    pub internal: bool,
    /// File and name of each SDK function of the operation.
    #[serde(default)]
    pub typings: Vec<String>,
    /// `@permissionId` of its SDK function.
    pub permission_id: Option<String>,
    /// REST request type (`meta.d.mts`).
    pub request_type: String,
    /// REST response type (`meta.d.mts`).
    pub response_type: String,
    /// Required inputs as REST paths (dotted, without array markers).
    pub required_inputs: Vec<Sourced>,
    /// Guaranteed outputs, one list per SDK function that states one; `None` when none does.
    pub guarantees: Option<Vec<Guarantees>>,
    /// Application error codes.
    pub errors: Vec<ErrorCode>,
    /// Field transforms of the builder and its SDK functions.
    pub transforms: Vec<Transform>,
    /// File and function of the builder.
    pub source: String,
}

/// A REST path and where it comes from.
#[derive(Debug, Clone, Deserialize)]
pub struct Sourced {
    /// Dotted REST path, without array markers.
    pub path: String,
    /// File and typing.
    pub source: String,
}

/// The paths one SDK function guarantees in its answer (`NonNullablePaths`).
#[derive(Debug, Clone, Deserialize)]
pub struct Guarantees {
    /// File, function and typing.
    pub source: String,
    /// Guaranteed paths of the REST response.
    pub paths: Vec<Sourced>,
}

/// One application error code of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCode {
    /// The code.
    pub code: String,
    /// The type of its `data`, when named.
    pub data_type: Option<String>,
    /// Whether it is reported per item of a bulk call (from the doc comment).
    pub item_level: bool,
    /// File and typing.
    pub source: String,
}

/// One field transform (`transformPaths`).
#[derive(Debug, Clone, Deserialize)]
pub struct Transform {
    /// `request` or `response`.
    pub direction: String,
    /// `timestamp`, `image`, `fieldMask`, ...
    pub kind: String,
    /// Dotted REST path.
    pub path: String,
}

/// A REST type: an interface or an enum.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TypeDef {
    /// An interface.
    #[serde(rename_all = "camelCase")]
    Object {
        /// File.
        source: String,
        /// Only in the internal typings, or tagged `@internal`.
        internal: bool,
        /// Its properties, inherited ones included.
        properties: Vec<Property>,
    },
    /// A string enum.
    #[serde(rename_all = "camelCase")]
    Enum {
        /// File.
        source: String,
        /// Only in the internal typings, or tagged `@internal`.
        internal: bool,
        /// Its values.
        values: Vec<EnumValue>,
    },
}

/// One enum value.
#[derive(Debug, Clone, Deserialize)]
pub struct EnumValue {
    /// The value.
    pub value: String,
    /// Only in the internal typings, or tagged `@internal`.
    pub internal: bool,
}

/// One property of an interface.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    /// Name.
    pub name: String,
    /// Declared with `?`.
    pub optional: bool,
    /// Type.
    #[serde(rename = "type")]
    pub ty: TypeExpr,
    /// Constraints from JSDoc tags.
    pub constraints: Constraints,
    /// Tagged `@readonly`.
    pub read_only: bool,
    /// Tagged `@immutable`.
    pub immutable: bool,
    /// Only in the internal typings, or tagged `@internal`.
    pub internal: bool,
}

/// Constraints from JSDoc tags, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    /// `@format` (`GUID`, `WEB_URL`, `CURRENCY`, ...).
    pub format: Option<String>,
    /// `@minLength`.
    pub min_length: Option<String>,
    /// `@maxLength`.
    pub max_length: Option<String>,
    /// `@minSize` (items).
    pub min_size: Option<String>,
    /// `@maxSize` (items).
    pub max_size: Option<String>,
    /// `@min`.
    pub min: Option<String>,
    /// `@max`.
    pub max: Option<String>,
    /// `@decimalValue options { gte, lte }`.
    pub decimal: Option<DecimalRange>,
}

/// The range of a decimal string.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct DecimalRange {
    /// Lower bound, inclusive.
    pub gte: Option<String>,
    /// Upper bound, inclusive.
    pub lte: Option<String>,
}

/// The type of a property.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TypeExpr {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `Date` (an RFC 3339 string on the wire).
    Date,
    /// `any`.
    Any,
    /// `Record<string, any>`.
    FreeForm,
    /// A union of string literals.
    Literal {
        /// The literals.
        values: Vec<String>,
    },
    /// A named interface or enum.
    Ref {
        /// Its name.
        name: String,
        /// Whether it is an enum.
        #[serde(default, rename = "enum")]
        is_enum: bool,
    },
    /// `T[]`.
    Array {
        /// Item type.
        items: Box<TypeExpr>,
    },
    /// `Record<string, T>`.
    Map {
        /// Value type.
        values: Box<TypeExpr>,
    },
    /// An inline object type.
    Object {
        /// Its properties.
        properties: Vec<Property>,
    },
    /// Anything else, as written.
    Unknown {
        /// The type as written.
        text: String,
    },
}

impl TypeExpr {
    /// The type as a short TypeScript-like text.
    pub fn describe(&self) -> String {
        match self {
            TypeExpr::String => "string".into(),
            TypeExpr::Number => "number".into(),
            TypeExpr::Boolean => "boolean".into(),
            TypeExpr::Date => "Date".into(),
            TypeExpr::Any => "any".into(),
            TypeExpr::FreeForm => "Record<string, any>".into(),
            TypeExpr::Literal { values } => values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(" | "),
            TypeExpr::Ref { name, .. } => name.clone(),
            TypeExpr::Array { items } => format!("{}[]", items.describe()),
            TypeExpr::Map { values } => format!("Record<string, {}>", values.describe()),
            TypeExpr::Object { .. } => "{ … }".into(),
            TypeExpr::Unknown { text } => text.clone(),
        }
    }
}

impl TypeDef {
    /// The file it is declared in.
    pub fn source(&self) -> &str {
        match self {
            TypeDef::Object { source, .. } | TypeDef::Enum { source, .. } => source,
        }
    }
}

/// One webhook function.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Function name (`onOrderPaymentRequestPaid`).
    pub function: String,
    /// `@eventType`.
    pub event_type: Option<String>,
    /// `@slug`.
    pub slug: Option<String>,
    /// `entity` (the envelope carries `entity`) or `action` (it carries `data`).
    pub kind: Option<String>,
    /// Type of the entity or action body.
    pub body_type: Option<String>,
    /// Only in the internal typings, or tagged `@internal`.
    pub internal: bool,
    /// File and function.
    pub source: String,
}

/// One typed query spec.
#[derive(Debug, Clone, Deserialize)]
pub struct QuerySpec {
    /// Its name.
    pub spec: String,
    /// The queried entity type.
    pub entity: String,
    /// Its fields.
    pub fields: Vec<QueryField>,
    /// File and name.
    pub source: String,
}

/// One field of a query spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryField {
    /// REST name.
    pub field: String,
    /// Name in the SDK (`_id`).
    pub sdk_field: String,
    /// Sort capability: `BOTH`, `ASC`, `DESC` or `NONE`.
    pub sort: String,
    /// The operators as declared: `"*"` or a list.
    pub declared_operators: serde_json::Value,
    /// The operators the SDK's filter type allows on the field.
    pub operators: Vec<String>,
}
