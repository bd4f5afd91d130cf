//! Fields and their types: a spec schema and an SDK type walked side by side, from the roots
//! the other modules give (request and response bodies, error data, webhook bodies).

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::upstream::diff::{Differences, Found, Kind};
use crate::upstream::model::{Constraints, Model, Property, TypeDef, TypeExpr};
use crate::upstream::spec::{child, Resolved, Shape, Spec};

/// Whether a schema is sent (request) or received (answers, webhooks, error data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent to the API: the SDK's read-only fields may be absent from the spec.
    Request,
    /// Received from the API: read-only and immutable marks are compared too.
    Response,
}

/// The comparer's state: the two sides, what was found, and what was already walked.
pub struct Walker<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// The SDK.
    pub model: &'a Model,
    /// The differences found so far.
    pub diffs: Differences,
    seen: HashSet<(String, String, Direction)>,
}

impl<'a> Walker<'a> {
    /// A walker that has found nothing yet.
    pub fn new(spec: &'a Spec, model: &'a Model) -> Walker<'a> {
        Walker {
            spec,
            model,
            diffs: Differences::default(),
            seen: HashSet::new(),
        }
    }

    /// Records a difference.
    pub fn add(
        &mut self,
        pointer: String,
        kind: Kind,
        subject: Option<&str>,
        sdk: String,
        spec: Option<String>,
        context: &str,
    ) {
        self.diffs.add(Found {
            pointer,
            kind,
            subject,
            sdk,
            spec,
            context,
        });
    }

    /// Compares the object schema at `pointer` with the SDK's REST type `name`.
    pub fn object(&mut self, pointer: &str, name: &str, direction: Direction, context: &str) {
        let model = self.model;
        let Some(resolved) = self.spec.resolve(pointer) else {
            return;
        };
        let shape = self.spec.shape(&resolved);
        let Some(TypeDef::Object {
            source, properties, ..
        }) = model.types.get(name)
        else {
            self.add(
                pointer.to_string(),
                Kind::Type,
                None,
                format!("no interface {name} in the REST typings"),
                Some(shape.describe(&resolved)),
                context,
            );
            return;
        };
        if !self
            .seen
            .insert((resolved.pointer.clone(), name.to_string(), direction))
        {
            return;
        }
        match shape {
            Shape::Object(spec_properties) => {
                let owner = format!("{source} {name}");
                self.members(
                    &resolved.pointer,
                    &spec_properties,
                    properties,
                    &owner,
                    direction,
                    context,
                );
            }
            Shape::FreeForm if properties.is_empty() => {}
            other => self.add(
                pointer.to_string(),
                Kind::Type,
                None,
                format!("{source} {name}: interface"),
                Some(other.describe(&resolved)),
                context,
            ),
        }
    }

    /// Compares the properties of an object schema (`object_pointer`) with an SDK type's.
    pub fn members(
        &mut self,
        object_pointer: &str,
        spec_properties: &BTreeMap<String, String>,
        sdk_properties: &[Property],
        owner: &str,
        direction: Direction,
        context: &str,
    ) {
        for property in sdk_properties {
            let here = join(context, &property.name);
            match spec_properties.get(&property.name) {
                Some(at) => self.field(at, property, owner, direction, &here),
                None if direction == Direction::Request && property.read_only => {}
                None => {
                    let kind = if property.internal {
                        Kind::MissingHereInternal
                    } else {
                        Kind::MissingHere
                    };
                    let pointer = child(&child(object_pointer, "properties"), &property.name);
                    let sdk = format!("{}{}", describe_property(owner, property), marks(property));
                    self.add(pointer, kind, None, sdk, None, &here);
                }
            }
        }
        for (name, at) in spec_properties {
            if !sdk_properties.iter().any(|p| &p.name == name) {
                let sdk = format!("{owner} has no {name}");
                self.add(
                    at.clone(),
                    Kind::MissingThere,
                    None,
                    sdk,
                    None,
                    &join(context, name),
                );
            }
        }
    }

    /// Compares one property of both sides; `at` is the spec property's pointer.
    pub fn field(
        &mut self,
        at: &str,
        property: &Property,
        owner: &str,
        direction: Direction,
        context: &str,
    ) {
        let Some(resolved) = self.spec.resolve(at) else {
            return;
        };
        let sdk_at = format!("{owner}.{}", property.name);
        if property.internal {
            let sdk = format!("{sdk_at} is only in the internal typings (or tagged @internal)");
            self.add(
                at.to_string(),
                Kind::InternalThere,
                None,
                sdk,
                None,
                context,
            );
        }
        self.types(&resolved, at, &property.ty, &sdk_at, direction, context);
        self.constraints(&resolved, at, &property.constraints, &sdk_at, context);
        if direction == Direction::Response {
            let marks = [
                (Kind::ReadOnly, "readOnly", "@readonly", property.read_only),
                (
                    Kind::Immutable,
                    "x-wix-immutable",
                    "@immutable",
                    property.immutable,
                ),
            ];
            for (kind, spec_key, sdk_tag, sdk_has) in marks {
                let spec_has = resolved.flag(spec_key);
                if spec_has != sdk_has {
                    let sdk = format!("{sdk_at} {}{sdk_tag}", if sdk_has { "" } else { "has no " });
                    let spec = format!("{}{spec_key}", if spec_has { "" } else { "no " });
                    self.add(at.to_string(), kind, None, sdk, Some(spec), context);
                }
            }
        }
    }

    /// Compares a resolved spec schema with an SDK type expression; `at` is where to report.
    fn types(
        &mut self,
        resolved: &Resolved<'_>,
        at: &str,
        ty: &TypeExpr,
        sdk_at: &str,
        direction: Direction,
        context: &str,
    ) {
        let shape = self.spec.shape(resolved);
        let same = match (&shape, ty) {
            (_, TypeExpr::Any) => true,
            (Shape::String(format), TypeExpr::String) => format.as_deref() != Some("date-time"),
            (Shape::String(format), TypeExpr::Date) => format.as_deref() == Some("date-time"),
            (Shape::Number, TypeExpr::Number) | (Shape::Boolean, TypeExpr::Boolean) => true,
            (Shape::FreeForm, TypeExpr::FreeForm) => true,
            (
                Shape::Enum(values, enum_at),
                TypeExpr::Ref {
                    name,
                    is_enum: true,
                },
            ) => {
                self.enumeration(values, enum_at, name, context);
                true
            }
            (Shape::Enum(values, enum_at), TypeExpr::Literal { values: literals }) => {
                self.literals(values, enum_at, literals, sdk_at, context);
                true
            }
            (Shape::Array(items), TypeExpr::Array { items: ty }) => {
                if let Some(inner) = self.spec.resolve(items) {
                    self.types(
                        &inner,
                        items,
                        ty,
                        sdk_at,
                        direction,
                        &format!("{context}[]"),
                    );
                }
                true
            }
            (Shape::Map(values), TypeExpr::Map { values: ty }) => {
                if let Some(inner) = self.spec.resolve(values) {
                    self.types(
                        &inner,
                        values,
                        ty,
                        sdk_at,
                        direction,
                        &format!("{context}{{}}"),
                    );
                }
                true
            }
            (
                Shape::Object(_) | Shape::FreeForm,
                TypeExpr::Ref {
                    name,
                    is_enum: false,
                },
            ) => {
                self.object(&resolved.pointer, name, direction, context);
                true
            }
            (Shape::Object(spec_properties), TypeExpr::Object { properties }) => {
                self.members(
                    &resolved.pointer,
                    spec_properties,
                    properties,
                    sdk_at,
                    direction,
                    context,
                );
                true
            }
            (
                Shape::String(_),
                TypeExpr::Ref {
                    name,
                    is_enum: false,
                },
            ) => {
                // A string that holds the JSON of a schema: the SDK's object is still compared
                // with that schema, and the string itself is a type difference.
                let json_of = resolved.get("x-wix-json-of").and_then(Value::as_str);
                if let Some(schema) = json_of {
                    let at = child("/components/schemas", schema);
                    self.object(&at, name, direction, &format!("{context} (JSON) "));
                }
                false
            }
            _ => false,
        };
        if !same {
            let sdk = format!("{sdk_at}: {}", ty.describe());
            let spec = shape.describe(resolved);
            let spec = match resolved.get("x-wix-json-of").and_then(Value::as_str) {
                Some(of) => format!("{spec}, x-wix-json-of {of}"),
                None if resolved.flag("x-wix-accepts-json-string") => {
                    format!("{spec}, x-wix-accepts-json-string")
                }
                None => spec,
            };
            self.add(at.to_string(), Kind::Type, None, sdk, Some(spec), context);
        }
    }

    /// Compares an enum's values with the SDK enum `name`.
    fn enumeration(&mut self, values: &[String], enum_at: &str, name: &str, context: &str) {
        let model = self.model;
        let Some(TypeDef::Enum {
            source,
            values: sdk_values,
            ..
        }) = model.types.get(name)
        else {
            return;
        };
        if !self
            .seen
            .insert((enum_at.to_string(), name.to_string(), Direction::Response))
        {
            return;
        }
        let listed = sdk_values
            .iter()
            .filter(|v| !v.internal)
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        for (i, value) in values.iter().enumerate() {
            let at = child(enum_at, &i.to_string());
            match sdk_values.iter().find(|v| &v.value == value) {
                None => {
                    let sdk = format!("{source} enum {name}: {listed}");
                    self.add(at, Kind::MissingThere, Some(value), sdk, None, context);
                }
                Some(v) if v.internal => {
                    let runtime = model
                        .runtime_enums
                        .get(name)
                        .is_some_and(|r| r.contains(value));
                    let sdk = format!(
                        "public typings' enum {name}: {listed}; {value} only in the internal typings ({source}){}",
                        if runtime { "; the compiled module builds it at run time" } else { "" }
                    );
                    self.add(at, Kind::InternalThere, Some(value), sdk, None, context);
                }
                Some(_) => {}
            }
        }
        for v in sdk_values.iter().filter(|v| !values.contains(&v.value)) {
            let kind = if v.internal {
                Kind::MissingHereInternal
            } else {
                Kind::MissingHere
            };
            let sdk = format!("{source} enum {name}.{}", v.value);
            self.add(
                enum_at.to_string(),
                kind,
                Some(&v.value),
                sdk,
                None,
                context,
            );
        }
    }

    /// Compares an enum's values with a union of string literals.
    fn literals(
        &mut self,
        values: &[String],
        enum_at: &str,
        literals: &[String],
        sdk_at: &str,
        context: &str,
    ) {
        for (i, value) in values.iter().enumerate() {
            if !literals.contains(value) {
                let sdk = format!("{sdk_at}: {}", literals.join(" | "));
                let at = child(enum_at, &i.to_string());
                self.add(at, Kind::MissingThere, Some(value), sdk, None, context);
            }
        }
        for literal in literals.iter().filter(|l| !values.contains(l)) {
            let sdk = format!("{sdk_at}: '{literal}'");
            self.add(
                enum_at.to_string(),
                Kind::MissingHere,
                Some(literal),
                sdk,
                None,
                context,
            );
        }
    }

    /// Compares formats and bounds.
    fn constraints(
        &mut self,
        resolved: &Resolved<'_>,
        at: &str,
        sdk: &Constraints,
        sdk_at: &str,
        context: &str,
    ) {
        let spec_format = match self.spec.shape(resolved) {
            Shape::String(Some(f)) if f != "date-time" && f != "decimal" => Some(f),
            _ => None,
        };
        let sdk_format = sdk.format.as_deref().map(|f| match f {
            "GUID" => "uuid".to_string(),
            "WEB_URL" => "uri".to_string(),
            other => other.to_string(),
        });
        if spec_format != sdk_format {
            self.add(
                at.to_string(),
                Kind::Constraint,
                Some("format"),
                format!("{sdk_at}: {}", tag_text("@format", sdk.format.as_deref())),
                Some(value_text("format", spec_format.as_deref())),
                context,
            );
        }
        let documented = resolved.get("x-wix-documented-max-length");
        let bounds = [
            (
                "minLength",
                resolved.get("minLength"),
                "@minLength",
                &sdk.min_length,
            ),
            (
                "maxLength",
                resolved.get("maxLength").or(documented),
                "@maxLength",
                &sdk.max_length,
            ),
            (
                "minItems",
                resolved.get("minItems"),
                "@minSize",
                &sdk.min_size,
            ),
            (
                "maxItems",
                resolved.get("maxItems"),
                "@maxSize",
                &sdk.max_size,
            ),
            ("minimum", resolved.get("minimum"), "@min", &sdk.min),
            ("maximum", resolved.get("maximum"), "@max", &sdk.max),
        ];
        for (key, spec_value, sdk_tag, sdk_value) in bounds {
            let spec_value = spec_value.map(number_text);
            if !same_number(spec_value.as_deref(), sdk_value.as_deref()) {
                self.add(
                    at.to_string(),
                    Kind::Constraint,
                    Some(key),
                    format!("{sdk_at}: {}", tag_text(sdk_tag, sdk_value.as_deref())),
                    Some(value_text(key, spec_value.as_deref())),
                    context,
                );
            }
        }
        let spec_range = resolved.get("x-wix-decimal-range").map(|range| {
            let bound = |k: &str| range.get(k).map(number_text);
            (bound("gte"), bound("lte"))
        });
        let sdk_range = sdk.decimal.as_ref().map(|d| (d.gte.clone(), d.lte.clone()));
        let same_range = match (&spec_range, &sdk_range) {
            (None, None) => true,
            (Some((a, b)), Some((c, d))) => {
                same_number(a.as_deref(), c.as_deref()) && same_number(b.as_deref(), d.as_deref())
            }
            _ => false,
        };
        if !same_range {
            let text = |r: &Option<(Option<String>, Option<String>)>| match r {
                Some((gte, lte)) => format!(
                    "gte {}, lte {}",
                    gte.as_deref().unwrap_or("-"),
                    lte.as_deref().unwrap_or("-")
                ),
                None => "none".to_string(),
            };
            self.add(
                at.to_string(),
                Kind::Constraint,
                Some("x-wix-decimal-range"),
                format!("{sdk_at}: @decimalValue {}", text(&sdk_range)),
                Some(format!("x-wix-decimal-range {}", text(&spec_range))),
                context,
            );
        }
    }
}

fn join(context: &str, name: &str) -> String {
    if context.ends_with(' ') || context.is_empty() {
        format!("{context}{name}")
    } else {
        format!("{context}.{name}")
    }
}

/// `Owner.name: type` for the report.
pub fn describe_property(owner: &str, property: &Property) -> String {
    format!("{owner}.{}: {}", property.name, property.ty.describe())
}

fn marks(property: &Property) -> String {
    let mut marks = Vec::new();
    if property.internal {
        marks.push("@internal");
    }
    if property.read_only {
        marks.push("@readonly");
    }
    if marks.is_empty() {
        String::new()
    } else {
        format!(" ({})", marks.join(", "))
    }
}

fn number_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn same_number(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => a.trim() == b.trim(),
        },
        _ => false,
    }
}

fn tag_text(tag: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{tag} {v}"),
        None => format!("no {tag}"),
    }
}

fn value_text(key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{key} {v}"),
        None => format!("no {key}"),
    }
}
