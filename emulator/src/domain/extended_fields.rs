//! The emulator's size caps on extended fields ([`Limits::max_namespace_bytes`] per namespace,
//! [`Limits::max_extended_fields_bytes`] for all namespaces of one payment request), measured
//! as compact JSON. Wix publishes no such caps; without them one caller could grow a single
//! payment request without bound. A value over a cap is a `400` `MAX_SIZE` field violation whose
//! `data.threshold` is the cap in bytes.

use std::collections::HashMap;
use std::io;

use serde::Serialize;
use serde_json::{json, Map, Value};

use wix_emulator_core::api_error::Violation;
use wix_emulator_core::limits::Limits;

/// Stored namespaces: namespace name to its data.
pub type Namespaces = HashMap<String, Map<String, Value>>;

/// Bytes of `value` as compact JSON, counted without building the text.
pub fn json_size(value: &impl Serialize) -> usize {
    let mut counter = ByteCounter(0);
    // Writing to a counter cannot fail, and these values always serialize.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

struct ByteCounter(usize);

impl io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Bytes of a JSON object with these entries, as compact JSON.
fn object_size<'a>(entries: impl Iterator<Item = (&'a str, usize)>) -> usize {
    let mut size: usize = 2; // {}
    for (index, (name, value_size)) in entries.enumerate() {
        let separator = usize::from(index > 0); // ,
        size = size
            .saturating_add(separator + json_size(&name) + 1) // "name":
            .saturating_add(value_size);
    }
    size
}

fn too_large(field: String, threshold: usize, what: &str) -> Violation {
    Violation::new(
        field,
        "MAX_SIZE",
        format!("{what} must take at most {threshold} bytes as JSON (the emulator's limit)"),
    )
    .with_data(json!({ "threshold": threshold }))
}

/// Violations of the caps by the `extendedFields.namespaces` object of an entity sent on create;
/// `path` is where that object is (`orderPaymentRequest.extendedFields.namespaces`). Values
/// that are not objects are left to the schema check.
pub fn check_sent(namespaces: &Value, path: &str, limits: &Limits) -> Vec<Violation> {
    let Some(namespaces) = namespaces.as_object() else {
        return Vec::new();
    };
    let mut violations = Vec::new();
    let mut sizes = Vec::with_capacity(namespaces.len());
    for (name, data) in namespaces {
        let size = json_size(data);
        if size > limits.max_namespace_bytes {
            violations.push(too_large(
                format!("{path}.{name}"),
                limits.max_namespace_bytes,
                "the data of one namespace",
            ));
        }
        sizes.push((name.as_str(), size));
    }
    if violations.is_empty() && object_size(sizes.into_iter()) > limits.max_extended_fields_bytes {
        violations.push(too_large(
            path.to_string(),
            limits.max_extended_fields_bytes,
            "the extended fields of a payment request",
        ));
    }
    violations
}

/// The violation, if any, of setting namespace `namespace` to `data` on a payment request whose
/// namespaces are `current` (Update Extended Fields; the field is `namespaceData`).
pub fn check_update(
    current: Option<&Namespaces>,
    namespace: &str,
    data: &Map<String, Value>,
    limits: &Limits,
) -> Option<Violation> {
    let data_size = json_size(data);
    if data_size > limits.max_namespace_bytes {
        return Some(too_large(
            "namespaceData".into(),
            limits.max_namespace_bytes,
            "the data of one namespace",
        ));
    }
    let others = current
        .into_iter()
        .flatten()
        .filter(|(name, _)| name.as_str() != namespace)
        .map(|(name, data)| (name.as_str(), json_size(data)));
    let total = object_size(others.chain([(namespace, data_size)]));
    (total > limits.max_extended_fields_bytes).then(|| {
        too_large(
            "namespaceData".into(),
            limits.max_extended_fields_bytes,
            "the extended fields of a payment request, with this namespace,",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_those_of_compact_json() {
        let value = json!({"a": [1, "two", null], "é": {"x": true}});
        assert_eq!(json_size(&value), serde_json::to_vec(&value).unwrap().len());
        let map: Namespaces = [
            ("one".to_string(), Map::new()),
            (
                "t\"wo".to_string(),
                json!({"k": "v"}).as_object().unwrap().clone(),
            ),
        ]
        .into_iter()
        .collect();
        let entries = map.iter().map(|(k, v)| (k.as_str(), json_size(v)));
        assert_eq!(object_size(entries), json_size(&map));
        assert_eq!(object_size(std::iter::empty()), 2);
    }

    #[test]
    fn caps_apply_per_namespace_then_in_total() {
        let limits = Limits {
            max_namespace_bytes: 20,
            max_extended_fields_bytes: 48,
            ..Limits::default()
        };
        let small = json!({"v": "0123456789"}); // 18 bytes
        let big = json!({"v": "0123456789abcdef"}); // 24 bytes
        let sent = json!({"a": small, "b": big});
        let v = check_sent(&sent, "p", &limits);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "p.b");
        let sent = json!({"a": small, "b": small});
        assert!(check_sent(&sent, "p", &limits).is_empty()); // 47 bytes in all
        let sent = json!({"aa": small, "bb": small});
        assert_eq!(check_sent(&sent, "p", &limits)[0].field, "p"); // 49 bytes

        let current: Namespaces = [("a".to_string(), small.as_object().unwrap().clone())]
            .into_iter()
            .collect();
        let data = small.as_object().unwrap();
        assert!(check_update(Some(&current), "a", data, &limits).is_none());
        assert!(check_update(Some(&current), "b", data, &limits).is_none());
        assert!(check_update(Some(&current), "bbbbb", data, &limits).is_some());
        assert!(check_update(None, "x", big.as_object().unwrap(), &limits).is_some());
    }
}
