//! Query capabilities: the fields of `x-wix-query-fields`, their sortability and the
//! operators of their type (`x-wix-query-operators`), against the SDK's typed query spec.

use serde_json::Value;

use crate::upstream::compare::schemas::Walker;
use crate::upstream::diff::Kind;
use crate::upstream::spec::child;

/// The schema that carries `x-wix-query-fields`, if any.
fn query_schema(walker: &Walker<'_>) -> Option<String> {
    let schemas = walker.spec.at("/components/schemas")?.as_object()?;
    schemas
        .iter()
        .find(|(_, s)| s.get("x-wix-query-fields").is_some())
        .map(|(name, _)| child("/components/schemas", name))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares the query fields.
pub fn compare(walker: &mut Walker<'_>) {
    let model = walker.model;
    let Some(schema) = query_schema(walker) else {
        for query in &model.queries {
            let sdk = format!("{} ({} fields)", query.source, query.fields.len());
            walker.add(
                "/components/schemas".into(),
                Kind::MissingHere,
                Some(&query.spec),
                sdk,
                None,
                "query",
            );
        }
        return;
    };
    let fields_at = child(&schema, "x-wix-query-fields");
    let operators_at = child(&schema, "x-wix-query-operators");
    let spec = walker.spec;
    let entries: Vec<&Value> = spec
        .at(&fields_at)
        .and_then(Value::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    let sdk_fields: Vec<_> = model
        .queries
        .iter()
        .flat_map(|q| q.fields.iter().map(move |f| (q, f)))
        .collect();
    if model.queries.is_empty() {
        let sdk = "no typed query spec (interface extending QuerySpec)".to_string();
        walker.add(
            fields_at.clone(),
            Kind::MissingThere,
            None,
            sdk,
            None,
            "query",
        );
        return;
    }
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{fields_at}/{i}");
        let name = entry
            .get("field")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let context = format!("query field {name}");
        let Some((query, field)) = sdk_fields.iter().find(|(_, f)| f.field == name) else {
            let fields = sdk_fields
                .iter()
                .map(|(_, f)| f.field.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let sdk = format!("{}: fields {fields}", model.queries[0].source);
            walker.add(at, Kind::MissingThere, Some(name), sdk, None, &context);
            continue;
        };
        let sdk_at = format!("{} field '{}'", query.source, field.sdk_field);
        let sortable = entry.get("sortable").and_then(Value::as_bool) == Some(true);
        let sdk_sortable = match field.sort.as_str() {
            "BOTH" => Some(true),
            "NONE" => Some(false),
            _ => None,
        };
        if sdk_sortable != Some(sortable) {
            let sdk = format!("{sdk_at}: sort '{}'", field.sort);
            let spec_text = format!("sortable: {sortable}");
            walker.add(
                child(&at, "sortable"),
                Kind::Value,
                None,
                sdk,
                Some(spec_text),
                &context,
            );
        }
        let ty = entry
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let type_ops = spec.at(&child(&operators_at, ty));
        if type_ops.is_none() {
            let sdk = format!("{sdk_at}: operators {}", field.operators.join(" "));
            let spec_text = format!("no x-wix-query-operators for type {ty}");
            walker.add(
                child(&at, "type"),
                Kind::Value,
                None,
                sdk,
                Some(spec_text),
                &context,
            );
            continue;
        }
        let spec_ops = strings(type_ops);
        let declared = match &field.declared_operators {
            Value::String(s) => format!("'{s}'"),
            other => other.to_string(),
        };
        for op in spec_ops.iter().filter(|op| !field.operators.contains(op)) {
            let sdk = format!(
                "{sdk_at}: operators {declared} allow {}",
                field.operators.join(" ")
            );
            let spec_text = format!("type {ty}");
            walker.add(
                at.clone(),
                Kind::MissingThere,
                Some(op),
                sdk,
                Some(spec_text),
                &context,
            );
        }
        for op in field.operators.iter().filter(|op| !spec_ops.contains(op)) {
            let sdk = format!("{sdk_at}: operators {declared} allow {op}");
            let spec_text = format!("type {ty}: {}", spec_ops.join(" "));
            walker.add(
                at.clone(),
                Kind::MissingHere,
                Some(op),
                sdk,
                Some(spec_text),
                &context,
            );
        }
    }
    for (query, field) in &sdk_fields {
        if !entries
            .iter()
            .any(|e| e.get("field").and_then(Value::as_str) == Some(field.field.as_str()))
        {
            let sdk = format!(
                "{} field '{}' (sort '{}')",
                query.source, field.sdk_field, field.sort
            );
            let context = format!("query field {}", field.field);
            walker.add(
                fields_at.clone(),
                Kind::MissingHere,
                Some(&field.field),
                sdk,
                None,
                &context,
            );
        }
    }
}
