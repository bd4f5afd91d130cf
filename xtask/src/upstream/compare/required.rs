//! Required inputs and guaranteed outputs of one operation.
//!
//! Inputs: a path the SDK requires (`@requiredField`, `NonNullablePaths` on a parameter, a
//! non-optional member of the REST request type) makes each of its prefixes required too,
//! since a nested field cannot be sent without its parents. Outputs: the SDK's
//! `NonNullablePaths` on an answer says a member is never null when its parent is there, so
//! each listed path is compared alone with the spec's `required` in the member's parent; a
//! member that the SDK function returns unwrapped counts as guaranteed. Where no SDK function
//! states a list (webhooks, answers typed without one), nothing is compared.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::upstream::compare::schemas::Walker;
use crate::upstream::diff::Kind;
use crate::upstream::model::Operation;
use crate::upstream::spec::{child, Spec};

/// Every input path of an operation: body properties and parameters (by their Wix name,
/// `x-wix-path-name`), with the pointer and whether the spec requires it.
fn input_paths(spec: &Spec, op_pointer: &str) -> BTreeMap<String, (String, bool)> {
    let mut paths = spec
        .request_schema(op_pointer)
        .map(|body| spec.paths(&body))
        .unwrap_or_default();
    let parameters = spec
        .at(&format!("{op_pointer}/parameters"))
        .and_then(Value::as_array);
    for (i, parameter) in parameters.into_iter().flatten().enumerate() {
        let name = parameter
            .get("x-wix-path-name")
            .or_else(|| parameter.get("name"))
            .and_then(Value::as_str);
        let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
        if let Some(name) = name {
            let at = child(&format!("{op_pointer}/parameters"), &i.to_string());
            paths.entry(name.to_string()).or_insert((at, required));
        }
    }
    paths
}

fn with_prefixes(path: &str) -> impl Iterator<Item = String> + '_ {
    path.match_indices('.')
        .map(|(i, _)| path[..i].to_string())
        .chain(std::iter::once(path.to_string()))
}

/// Compares the required inputs of `op` (at `op_pointer` in the spec).
pub fn inputs(walker: &mut Walker<'_>, op_pointer: &str, op: &Operation) {
    let spec_paths = input_paths(walker.spec, op_pointer);
    let mut sdk: BTreeMap<String, String> = BTreeMap::new();
    for input in &op.required_inputs {
        for path in with_prefixes(&input.path) {
            sdk.entry(path).or_insert_with(|| input.source.clone());
        }
    }
    let typing = op
        .typings
        .first()
        .cloned()
        .unwrap_or_else(|| op.source.clone());
    for (path, (at, required)) in &spec_paths {
        let context = format!("{} request {path}", op.name);
        if *required && !sdk.contains_key(path) {
            let listed = op.required_inputs.iter().map(|r| r.path.as_str());
            let sdk_text = format!(
                "{typing} requires only {}",
                listed
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            walker.add(
                at.clone(),
                Kind::RequiredHere,
                None,
                sdk_text,
                None,
                &context,
            );
        }
        if !*required {
            if let Some(source) = sdk.get(path) {
                walker.add(
                    at.clone(),
                    Kind::RequiredThere,
                    None,
                    source.clone(),
                    None,
                    &context,
                );
            }
        }
    }
}

/// Compares the guaranteed outputs of `op` (at `op_pointer` in the spec).
pub fn outputs(walker: &mut Walker<'_>, op_pointer: &str, op: &Operation) {
    let Some(lists) = op.guarantees.as_ref().filter(|l| !l.is_empty()) else {
        return;
    };
    let Some(response) = walker.spec.response_schema(op_pointer) else {
        return;
    };
    let spec_paths = walker.spec.paths(&response);
    let mut sdk: BTreeMap<&str, &str> = BTreeMap::new();
    for list in lists {
        for path in &list.paths {
            sdk.entry(&path.path).or_insert(&path.source);
        }
    }
    for (path, (at, required)) in &spec_paths {
        let context = format!("{} response {path}", op.name);
        if *required && !sdk.contains_key(path.as_str()) {
            let sdk_text = format!("{} does not list {path}", lists[0].source);
            walker.add(
                at.clone(),
                Kind::GuaranteedHere,
                None,
                sdk_text,
                None,
                &context,
            );
        }
        if !*required {
            if let Some(source) = sdk.get(path.as_str()) {
                let sdk_text = format!("{source} lists {path}");
                walker.add(
                    at.clone(),
                    Kind::GuaranteedThere,
                    None,
                    sdk_text,
                    None,
                    &context,
                );
            }
        }
    }
}
