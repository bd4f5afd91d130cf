//! The pipeline on the real spec, and the lint on broken copies of it.

use std::path::Path;

use codegen::{generate_from_str, CodegenError, SPEC_PATH};
use serde_json::{json, Value};

fn spec_text() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(SPEC_PATH)).expect("spec/openapi.yaml is readable")
}

fn spec_json() -> Value {
    serde_yaml::from_str(&spec_text()).expect("spec is YAML")
}

/// Runs the pipeline on an edited copy of the spec and returns the lint violations.
fn violations_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut spec = spec_json();
    edit(&mut spec);
    let text = serde_yaml::to_string(&spec).unwrap();
    match generate_from_str(&text, "edited.yaml") {
        Err(CodegenError::Lint { violations, .. }) => {
            violations.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected lint violations, got {other:?}"),
    }
}

fn first_operation(spec: &mut Value) -> &mut Value {
    spec.pointer_mut("/paths/~1ecom~1v1~1order-payment-requests/post")
        .expect("create operation exists")
}

#[test]
fn generation_is_byte_for_byte_deterministic() {
    let text = spec_text();
    let first = generate_from_str(&text, SPEC_PATH).unwrap();
    let second = generate_from_str(&text, SPEC_PATH).unwrap();
    assert_eq!(first, second);
    assert!(first.len() >= 4);
}

#[test]
fn every_file_is_marked_generated_and_names_its_source() {
    for file in generate_from_str(&spec_text(), SPEC_PATH).unwrap() {
        let head: String = file.contents.lines().next().unwrap_or_default().to_string();
        assert!(
            head.starts_with("// @generated")
                && head.contains(SPEC_PATH)
                && head.contains("cargo xtask generate"),
            "{} starts with {head:?}",
            file.path.display()
        );
        assert!(codegen::GENERATED_DIRS
            .iter()
            .any(|dir| file.path.starts_with(dir)));
    }
}

#[test]
fn every_operation_gets_a_typed_error_code_enum_and_a_typed_send() {
    let files = generate_from_str(&spec_text(), SPEC_PATH).unwrap();
    let codes = files
        .iter()
        .find(|f| f.path.ends_with("error_codes.rs"))
        .unwrap();
    for op in [
        "CreateOrderPaymentRequest",
        "BulkCreateOrderPaymentRequests",
        "GetOrderPaymentRequest",
        "UpdateOrderPaymentRequest",
        "DeleteOrderPaymentRequest",
        "QueryOrderPaymentRequests",
        "GetOrderPaymentRequestUrl",
        "UpdateExtendedFields",
        "VoidOrderPaymentRequest",
        "ChargeOrderPaymentRequest",
    ] {
        assert!(
            codes.contents.contains(&format!("pub enum {op}ErrorCode")),
            "{op}"
        );
        assert!(
            codes
                .contents
                .contains(&format!("impl<'a> builder::{op}<'a>")),
            "{op}"
        );
    }
    assert!(codes.contents.contains("CannotVoidPaidOrderPaymentRequest"));
}

#[test]
fn a_missing_operation_id_is_reported_at_its_operation() {
    let found = violations_after(|spec| {
        first_operation(spec)
            .as_object_mut()
            .unwrap()
            .remove("operationId");
    });
    assert!(
        found.iter().any(|v| v
            == "#/paths/~1ecom~1v1~1order-payment-requests/post: operation has no operationId"),
        "{found:?}"
    );
}

#[test]
fn a_duplicate_application_error_code_is_reported_at_the_duplicate() {
    let found = violations_after(|spec| {
        let errors = first_operation(spec)["x-wix-application-errors"]
            .as_array_mut()
            .unwrap();
        let copy = errors[0].clone();
        errors.push(copy);
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]
        .starts_with("#/paths/~1ecom~1v1~1order-payment-requests/post/x-wix-application-errors/"));
    assert!(
        found[0].ends_with("is listed twice for this operation"),
        "{found:?}"
    );
}

#[test]
fn an_undescribed_property_is_reported_at_the_property() {
    let found = violations_after(|spec| {
        spec.pointer_mut("/components/schemas/OrderPaymentRequest/properties/orderId")
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("description");
    });
    assert_eq!(
        found,
        ["#/components/schemas/OrderPaymentRequest/properties/orderId: property has no description"]
    );
}

#[test]
fn a_required_name_that_is_not_a_property_is_reported() {
    let violations = violations_after(|spec| {
        spec["components"]["schemas"]["OrderPaymentRequest"]["required"]
            .as_array_mut()
            .unwrap()
            .push(json!("orderID"));
    });
    assert_eq!(
        violations,
        [
            r#"#/components/schemas/OrderPaymentRequest/required/8: required "orderID" is not a property of this schema"#
        ]
    );
}

#[test]
fn missing_error_responses_docs_links_and_extensions_are_all_reported() {
    let found = violations_after(|spec| {
        let op = first_operation(spec).as_object_mut().unwrap();
        op.remove("externalDocs");
        op.remove("x-wix-application-errors");
        op["responses"].as_object_mut().unwrap().remove("428");
    });
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found
        .iter()
        .any(|v| v.contains("missing the 428 error response")));
    assert!(found.iter().any(|v| v.contains("externalDocs.url")));
    assert!(found.iter().any(|v| v.contains("x-wix-application-errors")));
}

#[test]
fn a_dangling_reference_is_reported() {
    let found = violations_after(|spec| {
        spec.pointer_mut("/components/schemas/Price/properties/amount")
            .unwrap()
            .clone_from(&json!({"$ref": "#/components/schemas/Nope"}));
    });
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("#/components/schemas/Price/properties/amount/$ref")),
        "{found:?}"
    );
}

#[test]
fn invalid_documents_fail_to_parse_with_a_location() {
    let error = generate_from_str("openapi: 3.0.3\npaths: [", "broken.yaml").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("broken.yaml is not a valid OpenAPI 3.0 document"),
        "{message}"
    );
    assert!(message.contains("line"), "{message}");

    let error = generate_from_str(
        &spec_text().replace("openapi: 3.0.3", "openapi: 3.1.0"),
        "v31.yaml",
    )
    .unwrap_err();
    assert!(error.to_string().contains("not 3.0.x"), "{error}");
}

/// Create's first application error (documented) and Charge's first (inferred).
const CREATE_FIRST_ERROR: &str =
    "/paths/~1ecom~1v1~1order-payment-requests/post/x-wix-application-errors/0";

/// An edit of one application error entry.
type EntryEdit = fn(&mut Value);

#[test]
fn every_application_error_says_where_its_status_comes_from() {
    let cases: [(EntryEdit, &str); 4] = [
        (
            |e| {
                e.as_object_mut().unwrap().remove("statusSource");
            },
            "entry has no statusSource (`documented` or `inferred`)",
        ),
        (
            |e| e["statusSource"] = json!("guessed"),
            "entry has no statusSource (`documented` or `inferred`)",
        ),
        (
            |e| e["statusSource"] = json!("inferred"),
            "an `inferred` status needs a statusBasis from x-wix-error-status-bases",
        ),
        (
            |e| {
                e["statusSource"] = json!("inferred");
                e["statusBasis"] = json!("hunch");
            },
            "statusBasis `hunch` is not named in x-wix-error-status-bases",
        ),
    ];
    for (edit, message) in cases {
        let found = violations_after(|spec| edit(spec.pointer_mut(CREATE_FIRST_ERROR).unwrap()));
        assert_eq!(
            found,
            [format!("#{CREATE_FIRST_ERROR}: {message}")],
            "{message}"
        );
    }
    let found = violations_after(|spec| {
        spec.pointer_mut(CREATE_FIRST_ERROR).unwrap()["statusBasis"] = json!("not-found");
    });
    assert!(
        found[0].ends_with("a `documented` status needs no statusBasis: its source is the operation's reference page"),
        "{found:?}"
    );
}

fn error_codes_file(spec: &Value) -> String {
    let text = serde_yaml::to_string(spec).unwrap();
    generate_from_str(&text, "edited.yaml")
        .unwrap()
        .into_iter()
        .find(|f| f.path.ends_with("error_codes.rs"))
        .unwrap()
        .contents
}

#[test]
fn each_error_code_documents_its_status_and_the_source_of_it() {
    let mut spec = spec_json();
    let basis = spec["x-wix-error-status-bases"]["failed-precondition"]
        .as_str()
        .unwrap()
        .to_string();
    let documented = "/// HTTP status 428, as Wix's reference page for the operation documents it.";
    let before = error_codes_file(&spec);
    // Create's first code is documented: its doc says so, and its source is `Documented`.
    let create = &before[before
        .find("pub enum CreateOrderPaymentRequestErrorCode")
        .unwrap()..];
    let first_variant = &create[..create.find("OrderPaymentRequestPageNotFound,").unwrap()];
    assert!(first_variant.contains(documented), "{first_variant}");
    // Turned into an inference, the same code's doc gives the basis instead.
    let entry = spec.pointer_mut(CREATE_FIRST_ERROR).unwrap();
    entry["statusSource"] = json!("inferred");
    entry["statusBasis"] = json!("failed-precondition");
    let after = error_codes_file(&spec);
    let create = &after[after
        .find("pub enum CreateOrderPaymentRequestErrorCode")
        .unwrap()..];
    let first_variant = &create[..create.find("OrderPaymentRequestPageNotFound,").unwrap()];
    assert!(!first_variant.contains(documented), "{first_variant}");
    assert!(
        first_variant.contains(&format!("/// HTTP status 428, inferred: {basis}")),
        "{first_variant}"
    );
    let sources = |file: &str| {
        file.matches("Some(::wix_runtime::error::StatusSource::Documented)")
            .count()
    };
    assert_eq!(sources(&before), sources(&after) + 1);
}

#[test]
fn an_enum_value_list_that_disagrees_with_its_value_descriptions_is_reported() {
    let found = violations_after(|spec| {
        spec["components"]["schemas"]["Status"]["x-enum-descriptions"]["PAID"] =
            json!("Payment has been refunded.");
    });
    assert_eq!(
        found,
        ["#/components/schemas/Status/description: says of `PAID` what its x-enum-descriptions does not"]
    );
    let found = violations_after(|spec| {
        spec["components"]["schemas"]["SortOrder"]["enum"]
            .as_array_mut()
            .unwrap()
            .pop();
    });
    assert!(
        found.iter().any(|v| {
            v.contains(
            "SortOrder/description: lists the values [\"ASC\", \"DESC\"], but the enum is [\"ASC\"]"
        )
        }),
        "{found:?}"
    );
}

/// The doc text of each string newtype (`pub struct X(String)`) of `types` in `client.rs`.
fn string_newtype_docs(client: &str) -> Vec<(String, String)> {
    let file = syn::parse_file(client).expect("client.rs parses");
    let types = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .expect("client.rs has `types`");
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s),
            _ => None,
        })
        .filter(|s| {
            let syn::Fields::Unnamed(fields) = &s.fields else {
                return false;
            };
            let field = fields.unnamed.first().map(|f| &f.ty);
            fields.unnamed.len() == 1
                && matches!(field, Some(syn::Type::Path(ty))
                    if ty.path.segments.last().is_some_and(|s| s.ident == "String"))
        })
        .map(|s| {
            let lines: Vec<String> = s
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .filter_map(|a| match &a.meta {
                    syn::Meta::NameValue(syn::MetaNameValue {
                        value:
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(text),
                                ..
                            }),
                        ..
                    }) => Some(text.value()),
                    _ => None,
                })
                .collect();
            (s.ident.to_string(), lines.join("\n"))
        })
        .collect()
}

#[test]
fn each_string_newtype_doc_states_its_bounds_from_the_spec() {
    let files = generate_from_str(&spec_text(), SPEC_PATH).unwrap();
    let contents = |name: &str| {
        &files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap()
            .contents
    };
    let docs = string_newtype_docs(contents("client.rs"));
    assert!(docs.len() >= 10, "{docs:?}");
    let tail =
        "; construct it with `parse()` or `TryFrom<String>`, which refuse a value outside them.";
    for (name, doc) in &docs {
        let last = doc.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("Bounds: ") && last.ends_with(tail),
            "`{name}`'s doc does not end with its bounds: {doc:?}"
        );
    }
    // Named schemas: the numbers are the spec's, and each constant the doc names is the rule
    // tables' constant of that bound.
    let spec = spec_json();
    let rules = contents("rules.rs");
    for name in [
        "PaymentRequestTitle",
        "PaymentRequestDescription",
        "SourceExternalId",
    ] {
        let schema = &spec["components"]["schemas"][name];
        let (min, max) = (schema["minLength"].as_i64(), schema["maxLength"].as_i64());
        let range = match (min, max) {
            (Some(min), Some(max)) => format!("{min} to {max} characters"),
            (None, Some(max)) => format!("at most {max} characters"),
            other => panic!("`{name}` has bounds {other:?}"),
        };
        let doc = &docs.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(
            doc.contains(&format!("Bounds: {range}, counted as `char`s (")),
            "{doc}"
        );
        for (kind, value) in [("MIN_LENGTH", min), ("MAX_LENGTH", max)] {
            let constant = format!(
                "{}_{kind}",
                name.chars().fold(String::new(), |mut out, c| {
                    if c.is_uppercase() && !out.is_empty() {
                        out.push('_');
                    }
                    out.push(c.to_ascii_uppercase());
                    out
                })
            );
            let link = format!("[`rules::{constant}`](crate::generated::rules::{constant})");
            let Some(value) = value else {
                assert!(!doc.contains(&link), "{doc}");
                continue;
            };
            assert!(doc.contains(&link), "no {link} in {doc}");
            let defined = rules
                .split(&format!("pub const {constant}: Bound = Bound {{"))
                .nth(1)
                .unwrap_or_else(|| panic!("rules.rs has no `{constant}`"));
            let body = defined.split("};").next().unwrap();
            assert!(body.contains(&format!("value: {value}i64,")), "{body}");
        }
    }
}
