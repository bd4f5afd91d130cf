//! The Wix error body and a webhook's JWT claims are the runtime's ([`wix_runtime::wire`]), not
//! generated: every Wix API sends them alike. A spec still declares its schemas (`WixError`, `ApplicationError`,
//! ...), so that the document is whole; this check keeps the two alike: each schema the
//! runtime stands in for must be declared, with exactly the properties of the runtime's type
//! (by their JSON names), of the same JSON types, the same of them required.

use std::collections::BTreeSet;

use schemars::schema::Schema;
use wix_runtime::wire::{json_schema, WIRE_TYPES};

use crate::naming::pointer;
use crate::spec::LoadedSpec;
use crate::SpecViolation;

/// Every difference between the spec's wire schemas and the runtime's types.
pub fn check(spec: &LoadedSpec) -> Vec<SpecViolation> {
    let mut found = Vec::new();
    for &(name, rust_type) in WIRE_TYPES {
        let at = pointer(["components", "schemas", name]);
        let violation = |message: String| SpecViolation {
            pointer: at.clone(),
            message,
        };
        let Some(runtime) = json_schema(name) else {
            found.push(violation(format!(
                "the runtime has no JSON Schema of `{rust_type}`"
            )));
            continue;
        };
        let Some(node) = spec.raw["components"]["schemas"].get(name) else {
            found.push(violation(format!(
                "must be declared: every Wix error body is read as `{rust_type}`"
            )));
            continue;
        };
        let declared: BTreeSet<&str> = node["properties"]
            .as_object()
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let object = runtime.schema.object.as_deref();
        let runtime_properties: BTreeSet<&str> = object
            .map(|o| o.properties.keys().map(String::as_str).collect())
            .unwrap_or_default();
        if declared != runtime_properties {
            found.push(violation(format!(
                "declares the properties {declared:?}, but `{rust_type}`, which reads it, has \
                 {runtime_properties:?}"
            )));
        }
        let required: BTreeSet<&str> = node["required"]
            .as_array()
            .map(|r| r.iter().filter_map(|name| name.as_str()).collect())
            .unwrap_or_default();
        let runtime_required: BTreeSet<&str> = object
            .map(|o| o.required.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if required != runtime_required {
            found.push(violation(format!(
                "requires {required:?}, but `{rust_type}` requires {runtime_required:?}"
            )));
        }
        for (property, schema) in object.map(|o| &o.properties).into_iter().flatten() {
            let spec_type = node["properties"][property.as_str()]["type"].as_str();
            if let (Some(spec_type), Some(runtime_type)) = (spec_type, json_type(schema)) {
                if spec_type != runtime_type {
                    found.push(violation(format!(
                        "`{property}` is a {spec_type}, but `{rust_type}` reads a {runtime_type}"
                    )));
                }
            }
        }
    }
    found
}

/// The JSON type a runtime property holds (`string`, `object`, `array`), when it names one
/// (not counting the `null` of an optional one).
fn json_type(schema: &Schema) -> Option<&'static str> {
    let Schema::Object(object) = schema else {
        return None;
    };
    let types: Vec<_> = match object.instance_type.as_ref()? {
        schemars::schema::SingleOrVec::Single(t) => vec![**t],
        schemars::schema::SingleOrVec::Vec(ts) => ts.clone(),
    };
    types.into_iter().find_map(|t| {
        use schemars::schema::InstanceType as T;
        match t {
            T::String => Some("string"),
            T::Object => Some("object"),
            T::Array => Some("array"),
            T::Integer => Some("integer"),
            T::Number => Some("number"),
            T::Boolean => Some("boolean"),
            T::Null => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with_field_violation(properties: &str) -> LoadedSpec {
        let mut yaml = crate::spec::load(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
                .unwrap(),
            "openapi.yaml",
        )
        .unwrap()
        .raw;
        yaml["components"]["schemas"]["FieldViolation"]["properties"] =
            serde_json::from_str(properties).unwrap();
        crate::spec::load(&serde_json::to_string(&yaml).unwrap(), "changed.yaml").unwrap()
    }

    #[test]
    fn this_projects_spec_matches_the_runtime() {
        let spec = crate::spec::load(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
                .unwrap(),
            "openapi.yaml",
        )
        .unwrap();
        assert_eq!(check(&spec), Vec::new());
    }

    #[test]
    fn a_property_the_runtime_lacks_or_a_changed_type_is_reported() {
        let spec = spec_with_field_violation(
            r#"{"field": {"type": "string"}, "description": {"type": "integer"},
                "violatedRule": {"type": "string"}, "ruleName": {"type": "string"},
                "data": {"type": "object"}, "severity": {"type": "string"}}"#,
        );
        let found = check(&spec);
        let messages: Vec<&str> = found.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(messages[0].contains("severity"), "{messages:?}");
        assert!(
            messages[1].contains("`description` is a integer"),
            "{messages:?}"
        );
        assert!(found
            .iter()
            .all(|v| v.pointer == "/components/schemas/FieldViolation"));
    }
}
