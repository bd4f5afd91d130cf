//! The workspace's OpenAPI document, compiled into the emulator so its rules cannot drift from
//! the spec the client is generated from.

use std::sync::LazyLock;

use serde_json::Value;

/// The spec's YAML text (`spec/openapi.yaml`).
pub const SPEC_YAML: &str = include_str!("../../spec/openapi.yaml");

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_yaml::from_str(SPEC_YAML).expect("spec/openapi.yaml is valid YAML (checked by codegen)")
});

/// The spec as JSON.
pub fn spec() -> &'static Value {
    &SPEC
}

/// A component schema by name, e.g. `OrderPaymentRequest`.
pub fn schema(name: &str) -> Option<&'static Value> {
    spec().pointer(&format!("/components/schemas/{name}"))
}

/// Follows a `$ref` (`#/components/schemas/X`) to its target; other values are returned as is.
pub fn resolve(value: &'static Value) -> &'static Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec().pointer(p))
            .map(resolve)
            .unwrap_or(value),
        None => value,
    }
}

/// The operation object with the given `operationId`, with its method and path.
pub fn operation(operation_id: &str) -> Option<(&'static str, &'static str, &'static Value)> {
    let paths = spec().get("paths")?.as_object()?;
    for (path, item) in paths {
        for (method, op) in item.as_object()? {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                return Some((method.as_str(), path.as_str(), op));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_and_schemas() {
        let (method, path, _) = operation("voidOrderPaymentRequest").unwrap();
        assert_eq!(
            (method, path),
            ("post", "/ecom/v1/order-payment-requests/void")
        );
        let opr = schema("OrderPaymentRequest").unwrap();
        assert!(opr.pointer("/properties/title").is_some());
    }
}
