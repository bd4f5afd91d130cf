//! Operations: which exist, method, path, visibility, permission, application error codes,
//! field transforms, and the roots of their request and response bodies.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::upstream::compare::required;
use crate::upstream::compare::schemas::{Direction, Walker};
use crate::upstream::diff::Kind;
use crate::upstream::model::{Operation, TypeDef};
use crate::upstream::spec::{child, Shape};

/// Compares every operation.
pub fn compare(walker: &mut Walker<'_>) {
    let spec_ops = walker.spec.operations();
    let model = walker.model;
    for op in &model.operations {
        let Some(pointer) = spec_ops.get(&op.name) else {
            let kind = if op.internal {
                Kind::MissingHereInternal
            } else {
                Kind::MissingHere
            };
            let sdk = format!(
                "{}: {} {}",
                op.source,
                op.method.as_deref().unwrap_or("?"),
                op.path.as_deref().unwrap_or("?")
            );
            walker.add("/paths".into(), kind, Some(&op.name), sdk, None, &op.name);
            continue;
        };
        identity(walker, pointer, op);
        errors(walker, pointer, op);
        request(walker, pointer, op);
        if let Some(response) = walker.spec.response_schema(pointer) {
            let context = format!("{} response ", op.name);
            walker.object(&response, &op.response_type, Direction::Response, &context);
        }
        transforms(walker, pointer, op);
        required::inputs(walker, pointer, op);
        required::outputs(walker, pointer, op);
    }
    for (id, pointer) in &spec_ops {
        if !model.operations.iter().any(|op| &op.name == id) {
            let sdk = "no request builder of that name in the compiled module".to_string();
            walker.add(pointer.clone(), Kind::MissingThere, Some(id), sdk, None, id);
        }
    }
}

fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

/// Method, path, visibility and permission.
/// The typings file a difference of `op` is reported against: its first, or its source.
fn typing_of(op: &Operation) -> String {
    op.typings
        .first()
        .cloned()
        .unwrap_or_else(|| op.source.clone())
}

fn identity(walker: &mut Walker<'_>, pointer: &str, op: &Operation) {
    let spec = walker.spec;
    let Some(node) = spec.at(pointer) else { return };
    let method = pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_uppercase();
    let sdk_method = op.method.clone().unwrap_or_default().to_uppercase();
    if method != sdk_method {
        let sdk = format!("{}: method {sdk_method}", op.source);
        walker.add(
            pointer.into(),
            Kind::Method,
            None,
            sdk,
            Some(method),
            &op.name,
        );
    }
    let path_key = pointer
        .strip_prefix("/paths/")
        .and_then(|rest| rest.rsplit_once('/'))
        .map(|(path, _)| path.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default();
    let spec_path = text(node.get("x-wix-path-template")).unwrap_or(&path_key);
    if let Some(sdk_path) = &op.path {
        if sdk_path != spec_path {
            let alternates = node.get("x-wix-alternate-paths").and_then(Value::as_array);
            let alternate = alternates
                .into_iter()
                .flatten()
                .any(|p| p.as_str() == Some(sdk_path.as_str()));
            let sdk = format!(
                "{}: {sdk_path}{}",
                op.source,
                if alternate {
                    " (listed in x-wix-alternate-paths)"
                } else {
                    ""
                }
            );
            walker.add(
                pointer.into(),
                Kind::Path,
                None,
                sdk,
                Some(spec_path.to_string()),
                &op.name,
            );
        }
    }
    let spec_internal = text(node.get("x-wix-sdk-visibility")) == Some("internal");
    if spec_internal != op.internal {
        let typing = typing_of(op);
        let sdk = format!(
            "{typing}: {}",
            if op.internal { "@internal" } else { "public" }
        );
        let at = child(pointer, "x-wix-sdk-visibility");
        walker.add(at, Kind::Visibility, None, sdk, None, &op.name);
    }
    let permission = text(node.get("x-wix-permission-id"));
    if permission != op.permission_id.as_deref() {
        let typing = typing_of(op);
        let sdk = format!(
            "{typing}: @permissionId {}",
            op.permission_id.as_deref().unwrap_or("(none)")
        );
        let at = child(pointer, "x-wix-permission-id");
        walker.add(
            at,
            Kind::Value,
            None,
            sdk,
            permission.map(str::to_string),
            &op.name,
        );
    }
}

/// Application error codes, per call and per bulk item, and the type of their data.
fn errors(walker: &mut Walker<'_>, pointer: &str, op: &Operation) {
    let list_at = child(pointer, "x-wix-application-errors");
    let spec_errors: Vec<(usize, String, bool, Option<String>)> = walker
        .spec
        .at(&list_at)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, e)| {
            let code = text(e.get("code"))?.to_string();
            let item_level = e.get("itemLevel").and_then(Value::as_bool) == Some(true);
            Some((
                i,
                code,
                item_level,
                text(e.get("dataSchema")).map(str::to_string),
            ))
        })
        .collect();
    let typing = op
        .typings
        .first()
        .cloned()
        .unwrap_or_else(|| op.source.clone());
    for (i, code, item_level, data_schema) in &spec_errors {
        let at = child(&list_at, &i.to_string());
        let found = op
            .errors
            .iter()
            .find(|e| &e.code == code && e.item_level == *item_level);
        let Some(found) = found else {
            let listed = op
                .errors
                .iter()
                .filter(|e| e.item_level == *item_level)
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>();
            let sdk = format!(
                "{typing}: {} {}",
                if *item_level {
                    "item-level codes (doc comment)"
                } else {
                    "application errors"
                },
                if listed.is_empty() {
                    "(none)".to_string()
                } else {
                    listed.join(", ")
                }
            );
            walker.add(at, Kind::MissingThere, Some(code), sdk, None, &op.name);
            continue;
        };
        if data_schema.as_deref() != found.data_type.as_deref() {
            let sdk = format!(
                "{}: data {}",
                found.source,
                found.data_type.as_deref().unwrap_or("Record<string, any>")
            );
            let spec = format!("dataSchema {}", data_schema.as_deref().unwrap_or("(none)"));
            walker.add(
                at.clone(),
                Kind::Type,
                Some(code),
                sdk,
                Some(spec),
                &op.name,
            );
        } else if let Some(schema) = data_schema {
            let context = format!("{} error {code} data ", op.name);
            walker.object(
                &format!("/components/schemas/{schema}"),
                schema,
                Direction::Response,
                &context,
            );
        }
    }
    for e in &op.errors {
        let listed = spec_errors
            .iter()
            .any(|(_, code, item_level, _)| code == &e.code && *item_level == e.item_level);
        if !listed {
            let sdk = format!(
                "{}{}",
                e.source,
                if e.item_level { " (item level)" } else { "" }
            );
            walker.add(
                list_at.clone(),
                Kind::MissingHere,
                Some(&e.code),
                sdk,
                None,
                &op.name,
            );
        }
    }
}

/// The request: the body's members, or the parameters the SDK sends the same fields as.
fn request(walker: &mut Walker<'_>, pointer: &str, op: &Operation) {
    let spec = walker.spec;
    let model = walker.model;
    let Some(TypeDef::Object {
        source, properties, ..
    }) = model.types.get(&op.request_type)
    else {
        return;
    };
    let owner = format!("{source} {}", op.request_type);
    let context = format!("{} request ", op.name);
    let body = spec.request_schema(pointer).and_then(|at| {
        spec.resolve(&at)
            .map(|r| (r.pointer.clone(), spec.shape(&r)))
    });
    let (body_pointer, body_properties) = match body {
        Some((at, Shape::Object(properties))) => (at, properties),
        Some((at, _)) => (at, BTreeMap::new()),
        None => (child(pointer, "requestBody"), BTreeMap::new()),
    };
    let parameters: Vec<(String, String)> = spec
        .at(&child(pointer, "parameters"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, p)| {
            let name = text(p.get("x-wix-path-name")).or(text(p.get("name")))?;
            Some((name.to_string(), format!("{pointer}/parameters/{i}")))
        })
        .collect();
    let in_body: Vec<_> = properties
        .iter()
        .filter(|p| {
            body_properties.contains_key(&p.name) || !parameters.iter().any(|(n, _)| n == &p.name)
        })
        .cloned()
        .collect();
    walker.members(
        &body_pointer,
        &body_properties,
        &in_body,
        &owner,
        Direction::Request,
        &context,
    );
    for (name, at) in &parameters {
        let head = name.split('.').next().unwrap_or(name);
        match properties.iter().find(|p| p.name == *name) {
            Some(p) if !body_properties.contains_key(name) => {
                let schema = child(at, "schema");
                walker.field(
                    &schema,
                    p,
                    &owner,
                    Direction::Request,
                    &format!("{context}{name}"),
                );
            }
            Some(_) => {}
            None if properties.iter().any(|p| p.name == head) => {}
            None => {
                let sdk = format!("{owner} has no {name}");
                walker.add(
                    at.clone(),
                    Kind::MissingThere,
                    None,
                    sdk,
                    None,
                    &format!("{context}{name}"),
                );
            }
        }
    }
}

/// Field transforms: a timestamp must be a `date-time` string, an image an object.
fn transforms(walker: &mut Walker<'_>, pointer: &str, op: &Operation) {
    let spec = walker.spec;
    let request = spec.request_schema(pointer).map(|at| spec.paths(&at));
    let response = spec.response_schema(pointer).map(|at| spec.paths(&at));
    for t in &op.transforms {
        let paths = if t.direction == "request" {
            &request
        } else {
            &response
        };
        let Some((at, _)) = paths.as_ref().and_then(|p| p.get(&t.path)) else {
            continue;
        };
        let Some(resolved) = spec.resolve(at) else {
            continue;
        };
        let shape = spec.shape(&resolved);
        let fits = match t.kind.as_str() {
            "timestamp" => shape == Shape::String(Some("date-time".into())),
            "image" => matches!(shape, Shape::Object(_)),
            "fieldMask" => true,
            _ => false,
        };
        if !fits {
            let sdk = format!(
                "{}: {} transform of {} ({})",
                op.source, t.kind, t.path, t.direction
            );
            let subject = format!("{} transform", t.kind);
            let context = format!("{} {} {}", op.name, t.direction, t.path);
            let spec_text = shape.describe(&resolved);
            walker.add(
                at.clone(),
                Kind::Type,
                Some(&subject),
                sdk,
                Some(spec_text),
                &context,
            );
        }
    }
}
