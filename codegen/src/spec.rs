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
    /// The names only the spec can give codegen ([`ApiNames`], from `info`).
    pub names: ApiNames,
}

/// What codegen knows of the API it binds, read from the spec's `info` so that no API is
/// named in codegen's own code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiNames {
    /// `info.x-wix-entity`: the component schema of the API's entity, the one the rule tables
    /// (read-only and immutable fields, each answer's entity member) and the query fields
    /// describe (`OrderPaymentRequest`).
    pub entity: String,
    /// `info.x-wix-client-crate`: the package name of the client crate the code is generated
    /// into (`wix-order-payment-requests`); the generated CLI names the client by it.
    pub client_crate: String,
}

impl ApiNames {
    /// The extension of `info` that names the entity schema.
    pub const ENTITY_EXTENSION: &'static str = "x-wix-entity";
    /// The extension of `info` that names the client crate.
    pub const CLIENT_CRATE_EXTENSION: &'static str = "x-wix-client-crate";

    /// The client crate's name as Rust paths spell it (`wix_order_payment_requests`).
    pub fn client_path(&self) -> String {
        self.client_crate.replace('-', "_")
    }

    /// Reads the names from the spec's `info`, or says which is missing or wrong.
    fn read(raw: &Value) -> Result<Self, String> {
        let text = |extension: &str| {
            raw.pointer(&format!("/info/{extension}"))
                .and_then(Value::as_str)
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("`info.{extension}` must name it (a non-empty string)"))
        };
        let entity = text(Self::ENTITY_EXTENSION)?;
        if raw
            .pointer(&format!("/components/schemas/{entity}"))
            .is_none()
        {
            return Err(format!(
                "`info.{}` names `{entity}`, which is not a component schema",
                Self::ENTITY_EXTENSION
            ));
        }
        let client_crate = text(Self::CLIENT_CRATE_EXTENSION)?;
        let valid = client_crate
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && client_crate.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid {
            return Err(format!(
                "`info.{}` is `{client_crate}`, not a crate name (lower case letters, digits, `-`, `_`)",
                Self::CLIENT_CRATE_EXTENSION
            ));
        }
        Ok(Self {
            entity,
            client_crate,
        })
    }
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
    let names = ApiNames::read(&raw).map_err(parse_error)?;
    Ok(LoadedSpec {
        name: name.to_string(),
        openapi,
        raw,
        names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(info: &str) -> Result<LoadedSpec, CodegenError> {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: \"1\"{info}}}\npaths: {{}}\n\
             components: {{schemas: {{Thing: {{type: object}}}}}}\n"
        );
        load(&text, "test.yaml")
    }

    #[test]
    fn the_api_names_come_from_info() {
        let spec = loaded(", x-wix-entity: Thing, x-wix-client-crate: thing-client").unwrap();
        assert_eq!(spec.names.entity, "Thing");
        assert_eq!(spec.names.client_path(), "thing_client");
    }

    #[test]
    fn a_missing_or_wrong_name_is_refused_with_its_extension() {
        for (info, says) in [
            (
                ", x-wix-client-crate: c",
                "`info.x-wix-entity` must name it",
            ),
            (
                ", x-wix-entity: Thing",
                "`info.x-wix-client-crate` must name it",
            ),
            (
                ", x-wix-entity: Other, x-wix-client-crate: c",
                "names `Other`, which is not a component schema",
            ),
            (
                ", x-wix-entity: Thing, x-wix-client-crate: Thing Client",
                "not a crate name",
            ),
        ] {
            let error = loaded(info).unwrap_err().to_string();
            assert!(error.contains(says), "{info}: {error}");
        }
    }
}
