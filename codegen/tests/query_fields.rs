//! The query table: its lint, and the builder's fields and operator sets generated from it.

use std::path::Path;

use codegen::{generate_from_str, CodegenError, SPEC_PATH};
use serde_json::{json, Value};

const FIELDS: &str = "/components/schemas/CursorQuery/x-wix-query-fields";
const OPERATORS: &str = "/components/schemas/CursorQuery/x-wix-query-operators";

fn spec_json() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(SPEC_PATH)).expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

fn run(spec: &Value) -> Result<String, CodegenError> {
    let text = serde_yaml::to_string(spec).unwrap();
    generate_from_str(&text, "edited.yaml").map(|files| {
        files
            .into_iter()
            .find(|f| f.path.ends_with("query_fields.rs"))
            .expect("query_fields.rs is generated")
            .contents
    })
}

fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut spec = spec_json();
    edit(&mut spec);
    spec
}

fn violations(spec: &Value) -> Vec<String> {
    match run(spec) {
        Err(CodegenError::Lint { violations, .. }) => {
            violations.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected lint violations, got {other:?}"),
    }
}

/// Index of a field in `x-wix-query-fields`.
fn field_index(spec: &Value, name: &str) -> usize {
    spec.pointer(FIELDS)
        .and_then(Value::as_array)
        .and_then(|rows| rows.iter().position(|r| r["field"] == name))
        .unwrap_or_else(|| panic!("{name} is a query field"))
}

/// The generated text of one field constant, from its doc line to its initializer.
fn constant<'a>(file: &'a str, name: &str) -> &'a str {
    let start = file
        .find(&format!("pub const {name}:"))
        .unwrap_or_else(|| panic!("no constant {name} in\n{file}"));
    let end = start + file[start..].find(';').unwrap();
    &file[start..=end]
}

#[test]
fn each_field_gets_a_typed_constant_with_its_operator_set_and_sortability() {
    let file = run(&spec_json()).unwrap();
    for (name, ops, value, sort) in [
        ("Id", "StringOperators", "uuid::Uuid", "Unsortable"),
        (
            "SourceExternalId",
            "StringOperators",
            "String",
            "Unsortable",
        ),
        (
            "CreatedDate",
            "DateOperators",
            "chrono::DateTime<chrono::Utc>",
            "Sortable",
        ),
        (
            "Status",
            "EnumOperators",
            "crate::generated::enums::Status",
            "Sortable",
        ),
        (
            "Amount",
            "DecimalOperators",
            "::wix_runtime::money::Decimal<crate::generated::rules::DecimalAmount>",
            "Sortable",
        ),
    ] {
        let text: String = constant(&file, name).split_whitespace().collect();
        let want = format!(
            "::wix_runtime::query::QueryField<{ops},{value},::wix_runtime::query::{sort},>"
        );
        assert!(text.contains(&want), "{name}: {text}");
    }
    assert!(file.contains("pub const Amount:"));
    assert!(file.contains(r#"::wix_runtime::query::QueryField::new("amount.amount")"#));
}

#[test]
fn each_operator_set_implements_exactly_its_operators() {
    let spec = spec_json();
    let file = run(&spec).unwrap();
    let sets = spec.pointer(OPERATORS).unwrap().as_object().unwrap();
    for (type_name, ops) in sets {
        let marker = codegen::query_fields::set_type_name(type_name);
        let implemented: Vec<String> = file
            .lines()
            .filter_map(|l| l.strip_prefix("impl ::wix_runtime::query::operator::"))
            .filter_map(|l| l.strip_suffix(&format!(" for {marker} {{}}")))
            .map(str::to_string)
            .collect();
        let listed: Vec<String> = ops
            .as_array()
            .unwrap()
            .iter()
            .map(|o| codegen::query_fields::operator_trait(o.as_str().unwrap()))
            .collect();
        assert_eq!(implemented, listed, "{type_name}");
    }
}

#[test]
fn a_change_to_the_table_changes_the_builder() {
    // `status` loses `$nin`; `title` becomes unsortable.
    let spec = edited(|spec| {
        let enum_ops = spec.pointer_mut(&format!("{OPERATORS}/enum")).unwrap();
        enum_ops.as_array_mut().unwrap().retain(|o| o != "$nin");
        let title = field_index(spec, "title");
        spec.pointer_mut(&format!("{FIELDS}/{title}/sortable"))
            .unwrap()
            .clone_from(&json!(false));
    });
    let file = run(&spec).unwrap();
    assert!(!file.contains("impl ::wix_runtime::query::operator::Nin for EnumOperators {}"));
    assert!(file.contains("impl ::wix_runtime::query::operator::Nin for StringOperators {}"));
    let title: String = constant(&file, "Title").split_whitespace().collect();
    assert!(
        title.contains("::wix_runtime::query::Unsortable"),
        "{title}"
    );
}

#[test]
fn operators_the_builder_cannot_express_are_reported() {
    let found = violations(&edited(|spec| {
        spec.pointer_mut(&format!("{OPERATORS}/string"))
            .unwrap()
            .as_array_mut()
            .unwrap()
            .push(json!("$hasSome"));
    }));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "#/components/schemas/CursorQuery/x-wix-query-operators/string/11: `$hasSome` is not an operator the query builder knows"
        ),
        "{found:?}"
    );
}

#[test]
fn a_type_that_disagrees_with_the_schema_is_reported() {
    let found = violations(&edited(|spec| {
        let status = field_index(spec, "status");
        spec.pointer_mut(&format!("{FIELDS}/{status}/type"))
            .unwrap()
            .clone_from(&json!("string"));
        let created = field_index(spec, "createdDate");
        spec.pointer_mut(&format!("{FIELDS}/{created}/type"))
            .unwrap()
            .clone_from(&json!("decimal"));
    }));
    assert_eq!(
        found,
        [
            "#/components/schemas/CursorQuery/x-wix-query-fields/5/type: `createdDate` is of type `date` in OrderPaymentRequest, not `decimal`",
            "#/components/schemas/CursorQuery/x-wix-query-fields/10/type: `status` is of type `enum` in OrderPaymentRequest, not `string`",
        ]
    );
}

#[test]
fn unknown_fields_types_and_sets_are_reported() {
    let found = violations(&edited(|spec| {
        let rows = spec.pointer_mut(FIELDS).unwrap().as_array_mut().unwrap();
        rows.push(json!({"field": "currency.code", "type": "string", "sortable": false}));
        rows.push(json!({"field": "title", "type": "text", "sortable": true}));
        rows.push(json!({"field": "orderId", "sortable": true}));
        spec.pointer_mut(OPERATORS)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert("number".into(), json!(["$eq"]));
    }));
    let joined = found.join("\n");
    for want in [
        "x-wix-query-operators/number: `number` is not a field type (one of string, date, enum, decimal)",
        "x-wix-query-fields/13/field: `currency.code` is not a field of OrderPaymentRequest",
        "x-wix-query-fields/14/type: `text` names no operator set of x-wix-query-operators",
        "x-wix-query-fields/15: `orderId` has no type",
    ] {
        assert!(joined.contains(want), "{want}\n{joined}");
    }
}
