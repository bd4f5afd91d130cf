//! Loading the OpenAPI document.

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::CodegenError;

/// The spec, parsed twice: typed for progenitor, and as raw JSON for the lint and the vendor
/// extensions (`x-wix-*`) that the typed model keeps only as opaque values. The typed document
/// has its named schemas typify would only wrap written inline ([`crate::inline_schemas`]).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// How messages name the spec (normally `spec/openapi.yaml`).
    pub name: String,
    /// The typed document, named schemas typify would only wrap written inline ([`crate::inline_schemas`]).
    pub openapi: OpenAPI,
    /// The same document as JSON, in document order.
    pub raw: Value,
}

impl LoadedSpec {
    /// The raw node at a JSON pointer, if any.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

    /// Follows a schema's reference ([`referenced_schema`]) to the component it names, again
    /// and again; a node that refers to nothing (or to a missing schema) is returned as is.
    pub fn resolve<'s>(&'s self, node: &'s Value) -> &'s Value {
        match referenced_schema(node)
            .and_then(|name| self.at(&format!("/components/schemas/{name}")))
        {
            Some(target) => self.resolve(target),
            None => node,
        }
    }

    /// Named component schemas in document order, as raw JSON.
    pub fn component_schemas(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// Every operation as `(path, method, operation)` in document order, as raw JSON.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        const METHODS: [&str; 8] = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        self.raw
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.iter())
            .flat_map(|(path, item)| {
                item.as_object()
                    .into_iter()
                    .flat_map(|m| m.iter())
                    .filter(|(method, _)| METHODS.contains(&method.as_str()))
                    .map(move |(method, op)| (path.as_str(), method.as_str(), op))
            })
    }
}

/// The component schema a schema node refers to: `$ref`, or `allOf` with a single `$ref` (the
/// form that lets a reference carry a description and extensions).
pub fn referenced_schema(node: &Value) -> Option<&str> {
    let reference = match node.get("allOf").and_then(Value::as_array) {
        Some(all) if all.len() == 1 => all[0].get("$ref"),
        _ => node.get("$ref"),
    };
    reference?.as_str()?.strip_prefix("#/components/schemas/")
}

/// Parses spec text as YAML (JSON is YAML too) into an OpenAPI 3.0 document.
pub fn load(text: &str, name: &str) -> Result<LoadedSpec, CodegenError> {
    let parse_error = |message: String| CodegenError::Parse {
        spec: name.to_string(),
        message,
    };
    let raw: Value = serde_yaml::from_str(text).map_err(|e| parse_error(e.to_string()))?;
    let mut typed: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| parse_error(e.to_string()))?;
    crate::inline_schemas::inline(&raw, &mut typed);
    let openapi: OpenAPI = serde_yaml::from_value(typed).map_err(|e| parse_error(e.to_string()))?;
    if !openapi.openapi.starts_with("3.0.") {
        return Err(parse_error(format!(
            "`openapi: {}` is not 3.0.x",
            openapi.openapi
        )));
    }
    Ok(LoadedSpec {
        name: name.to_string(),
        openapi,
        raw,
    })
}
