//! The served API's OpenAPI document ([`ApiModel::spec_yaml`](crate::model::ApiModel)), parsed
//! once, with its references and operations indexed.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

/// The spec as JSON (parsed once, by [`crate::model::install`]).
pub fn spec() -> &'static Value {
    crate::model::spec_document()
}

/// A component schema by name, e.g. `OrderPaymentRequest`.
pub fn schema(name: &str) -> Option<&'static Value> {
    spec().pointer(&format!("/components/schemas/{name}"))
}

/// Follows a `$ref` (`#/components/schemas/X`) to its target; other values are returned as is.
pub fn resolve(value: &'static Value) -> &'static Value {
    if value.get("$ref").is_none() {
        return value;
    }
    // Every request's check follows references: each is followed once, then looked up by the
    // address of its node (the spec never changes, so addresses are stable).
    REFERENCES
        .get(&address(value))
        .copied()
        .unwrap_or_else(|| follow(value))
}

/// Where a `$ref` node leads, following chains of references.
fn follow(value: &'static Value) -> &'static Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec().pointer(p))
            .map(follow)
            .unwrap_or(value),
        None => value,
    }
}

/// A node's address: the key of the tables built once over the spec's nodes (the spec never
/// changes, so addresses are stable).
pub(crate) fn address(value: &Value) -> usize {
    value as *const Value as usize
}

/// Calls `found` with every object of the spec, at any depth (inside arrays too).
pub(crate) fn for_each_object(mut found: impl FnMut(&'static Value)) {
    fn visit(value: &'static Value, found: &mut dyn FnMut(&'static Value)) {
        match value {
            Value::Object(map) => {
                found(value);
                map.values().for_each(|v| visit(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| visit(v, found)),
            _ => {}
        }
    }
    visit(spec(), &mut found);
}

/// The target of every `$ref` node of the spec, by the node's address.
static REFERENCES: LazyLock<HashMap<usize, &'static Value>> = LazyLock::new(|| {
    let mut found = HashMap::new();
    for_each_object(|value| {
        if value.get("$ref").is_some() {
            found.insert(address(value), follow(value));
        }
    });
    found
});

/// Each operation by its `operationId`, with its method and path.
static OPERATIONS: LazyLock<HashMap<&'static str, (&'static str, &'static str, &'static Value)>> =
    LazyLock::new(|| index_operations(spec()));

/// Each operation of `spec` by its `operationId`, with its method (as the spec spells it) and
/// path; the first one wins when an id repeats.
pub(crate) fn index_operations(spec: &Value) -> HashMap<&str, (&str, &str, &Value)> {
    let mut found = HashMap::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                found
                    .entry(id)
                    .or_insert((method.as_str(), path.as_str(), op));
            }
        }
    }
    found
}

/// The operation object with the given `operationId`, with its method and path.
pub fn operation(operation_id: &str) -> Option<(&'static str, &'static str, &'static Value)> {
    OPERATIONS.get(operation_id).copied()
}

/// Every operation of the spec: its `operationId` and its operation object.
pub fn operations() -> impl Iterator<Item = (&'static str, &'static Value)> {
    OPERATIONS.iter().map(|(id, (_, _, op))| (*id, *op))
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

#[cfg(test)]
mod lookup_tests {
    use super::*;

    #[test]
    fn references_and_operations_are_found_as_a_walk_of_the_spec_finds_them() {
        let mut refs = 0;
        fn each_ref(value: &'static Value, f: &mut dyn FnMut(&'static Value)) {
            match value {
                Value::Object(map) => {
                    if map.contains_key("$ref") {
                        f(value);
                    }
                    map.values().for_each(|v| each_ref(v, f));
                }
                Value::Array(items) => items.iter().for_each(|v| each_ref(v, f)),
                _ => {}
            }
        }
        each_ref(spec(), &mut |node| {
            refs += 1;
            let target = resolve(node);
            assert!(
                target.get("$ref").is_none(),
                "{node} leads to another reference"
            );
            assert!(std::ptr::eq(target, follow(node)));
        });
        assert!(refs > 10, "{refs} references");
        let plain = schema("OrderPaymentRequest").unwrap();
        assert!(std::ptr::eq(resolve(plain), plain));

        let (method, path, op) = operation("getOrderPaymentRequest").unwrap();
        assert_eq!(method, "get");
        assert!(path.ends_with("{orderPaymentRequestId}"), "{path}");
        assert_eq!(op["operationId"], "getOrderPaymentRequest");
        assert!(operation("noSuchOperation").is_none());
    }
}
