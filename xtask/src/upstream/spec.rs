//! The spec as JSON, addressed by JSON pointers: schemas with their `$ref` chains followed,
//! classified into the shapes the comparer knows, and the dotted paths inside a schema.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

/// The spec document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The whole document.
    pub doc: Value,
}

/// `segment` escaped for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `pointer` with one more segment.
pub fn child(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// A schema with its `$ref` chain followed.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// Where the schema that defines the type is.
    pub pointer: String,
    /// That schema.
    pub schema: &'a Value,
    /// The chain, outermost first (the property, then each schema referred to).
    pub chain: Vec<&'a Value>,
}

impl Resolved<'_> {
    /// The first value of `key` along the chain, outermost first.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.chain.iter().find_map(|schema| schema.get(key))
    }

    /// Whether `key` is `true` anywhere along the chain.
    pub fn flag(&self, key: &str) -> bool {
        self.chain
            .iter()
            .any(|schema| schema.get(key).and_then(Value::as_bool) == Some(true))
    }

    /// The name of the component schema it refers to, if any.
    pub fn name(&self) -> Option<&str> {
        self.pointer.strip_prefix("/components/schemas/")
    }
}

/// What a schema is, as far as the comparer is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A string (`format` as given, `x-wix-format` first).
    String(Option<String>),
    /// An integer or a number.
    Number,
    /// A boolean.
    Boolean,
    /// A string enum: its values and the pointer of the `enum` list.
    Enum(Vec<String>, String),
    /// An array, with the pointer of its items.
    Array(String),
    /// An object with properties: name → pointer of the property.
    Object(BTreeMap<String, String>),
    /// An object that holds anything.
    FreeForm,
    /// An object whose values all have one schema (the pointer).
    Map(String),
    /// Anything else.
    Unknown,
}

impl Shape {
    /// A short text for the report.
    pub fn describe(&self, resolved: &Resolved<'_>) -> String {
        match self {
            Shape::String(Some(format)) => format!("string ({format})"),
            Shape::String(None) => "string".into(),
            Shape::Number => "number".into(),
            Shape::Boolean => "boolean".into(),
            Shape::Enum(values, _) => format!("enum {}", values.join("|")),
            Shape::Array(_) => "array".into(),
            Shape::Object(_) => format!("object {}", resolved.name().unwrap_or("(inline)")),
            Shape::FreeForm => "free-form object".into(),
            Shape::Map(_) => "map".into(),
            Shape::Unknown => "unknown".into(),
        }
    }
}

impl Spec {
    /// Reads a YAML or JSON spec.
    pub fn load(path: &Path) -> Result<Spec> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let doc: Value =
            serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        Ok(Spec { doc })
    }

    /// The value at `pointer`.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// The schema at `pointer` with its `$ref` (and single-element `allOf`) chain followed.
    pub fn resolve(&self, pointer: &str) -> Option<Resolved<'_>> {
        let mut pointer = pointer.to_string();
        let mut schema = self.at(&pointer)?;
        let mut chain = vec![schema];
        for _ in 0..32 {
            let target = match (schema.get("$ref"), schema.get("allOf")) {
                (Some(Value::String(r)), _) => r.clone(),
                (None, Some(Value::Array(all))) if all.len() == 1 => {
                    match all[0].get("$ref").and_then(Value::as_str) {
                        Some(r) => r.to_string(),
                        None => break,
                    }
                }
                _ => break,
            };
            pointer = target.trim_start_matches('#').to_string();
            schema = self.at(&pointer)?;
            chain.push(schema);
        }
        Some(Resolved {
            pointer,
            schema,
            chain,
        })
    }

    /// The shape of a resolved schema.
    pub fn shape(&self, resolved: &Resolved<'_>) -> Shape {
        let schema = resolved.schema;
        let ty = schema.get("type").and_then(Value::as_str);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            return Shape::Enum(values, child(&resolved.pointer, "enum"));
        }
        match ty {
            Some("string") => {
                let format = resolved
                    .get("x-wix-format")
                    .or_else(|| resolved.get("format"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                Shape::String(format)
            }
            Some("integer") | Some("number") => Shape::Number,
            Some("boolean") => Shape::Boolean,
            Some("array") => Shape::Array(child(&resolved.pointer, "items")),
            Some("object") | None => {
                if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                    let properties = props.keys().map(|name| {
                        let at = child(&child(&resolved.pointer, "properties"), name);
                        (name.clone(), at)
                    });
                    return Shape::Object(properties.collect());
                }
                match schema.get("additionalProperties") {
                    Some(Value::Object(_)) => {
                        Shape::Map(child(&resolved.pointer, "additionalProperties"))
                    }
                    _ if ty == Some("object") => Shape::FreeForm,
                    _ => Shape::Unknown,
                }
            }
            _ => Shape::Unknown,
        }
    }

    /// The names an object schema lists in `required`.
    pub fn required(&self, resolved: &Resolved<'_>) -> Vec<String> {
        resolved
            .schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every property path under the schema at `pointer` (dotted, array items transparent),
    /// with the pointer of the property and whether its parent requires it.
    pub fn paths(&self, pointer: &str) -> BTreeMap<String, (String, bool)> {
        let mut out = BTreeMap::new();
        self.collect_paths(pointer, "", &mut out, &mut Vec::new());
        out
    }

    fn collect_paths(
        &self,
        pointer: &str,
        prefix: &str,
        out: &mut BTreeMap<String, (String, bool)>,
        stack: &mut Vec<String>,
    ) {
        let Some(resolved) = self.resolve(pointer) else {
            return;
        };
        if stack.contains(&resolved.pointer) {
            return;
        }
        stack.push(resolved.pointer.clone());
        match self.shape(&resolved) {
            Shape::Array(items) => self.collect_paths(&items, prefix, out, stack),
            Shape::Object(properties) => {
                let required = self.required(&resolved);
                for (name, at) in properties {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    out.entry(path.clone())
                        .or_insert((at.clone(), required.contains(&name)));
                    self.collect_paths(&at, &path, out, stack);
                }
            }
            _ => {}
        }
        stack.pop();
    }

    /// The schema of an operation's JSON request body, if it has one.
    pub fn request_schema(&self, operation: &str) -> Option<String> {
        let at = format!("{operation}/requestBody/content/application~1json/schema");
        self.at(&at).map(|_| at)
    }

    /// The schema of an operation's `200` JSON answer, if it has one.
    pub fn response_schema(&self, operation: &str) -> Option<String> {
        let at = format!("{operation}/responses/200/content/application~1json/schema");
        self.at(&at).map(|_| at)
    }

    /// The operations: `operationId` → pointer (`/paths/~1.../post`).
    pub fn operations(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(paths) = self.at("/paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    out.insert(id.to_string(), child(&child("/paths", path), method));
                }
            }
        }
        out
    }
}
