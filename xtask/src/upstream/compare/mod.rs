//! The comparer: the spec against the SDK model, one module per part of the surface.

mod operations;
mod query;
mod required;
pub mod schemas;
mod webhooks;

use serde_json::Value;

use crate::upstream::diff::{Difference, Kind};
use crate::upstream::model::Model;
use crate::upstream::spec::Spec;
use schemas::Walker;

/// Every difference between `spec` and `model`, sorted by kind and pointer.
pub fn compare(spec: &Spec, model: &Model) -> Vec<Difference> {
    let mut walker = Walker::new(spec, model);
    package(&mut walker);
    operations::compare(&mut walker);
    webhooks::compare(&mut walker);
    query::compare(&mut walker);
    walker.diffs.into_sorted()
}

/// What `info` says of the package: its name and version, the service and the entity.
fn package(walker: &mut Walker<'_>) {
    let spec = walker.spec;
    let model = walker.model;
    let info = |key: &str| spec.at(&format!("/info/{key}")).and_then(Value::as_str);
    let first = model.operations.first();
    let fqn = first.and_then(|op| op.fqn.as_deref()).unwrap_or_default();
    let service = fqn.rsplit_once('.').map(|(service, _)| service);
    let source = first.map(|op| op.source.clone()).unwrap_or_default();
    let values = [
        (
            "x-wix-sdk-package",
            Some(format!("{}@{}", model.package.name, model.package.version)),
            "package.json".to_string(),
        ),
        (
            "x-wix-service",
            service.map(str::to_string),
            format!("{source}: methodFqn {fqn}"),
        ),
        (
            "x-wix-entity-fqdn",
            first.and_then(|op| op.entity_fqdn.clone()),
            format!("{source}: entityFqdn"),
        ),
    ];
    for (key, sdk_value, sdk_at) in values {
        let Some(sdk_value) = sdk_value else { continue };
        let spec_value = info(key);
        if spec_value != Some(sdk_value.as_str()) {
            walker.add(
                format!("/info/{key}"),
                Kind::Value,
                None,
                format!("{sdk_at}: {sdk_value}"),
                spec_value.map(str::to_string),
                "info",
            );
        }
    }
}
