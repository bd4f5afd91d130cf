//! Every refusal is a 400 naming the path.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::json;

use super::{q, rec, violation, violations, Rec};
use crate::api_error::ApiError;
use crate::wql::Query;

fn pair(field: &str, rule: &str) -> (String, String) {
    (field.to_string(), rule.to_string())
}

#[test]
fn query_must_be_an_object() {
    for (value, rule) in [(json!(null), "REQUIRED_FIELD"), (json!([]), "TYPE")] {
        match Query::parse(&value) {
            Err(ApiError::Validation(v)) => {
                assert_eq!((v[0].field.as_str(), v[0].rule.as_str()), ("query", rule));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn unknown_field() {
    assert_eq!(
        violation(json!({"filter": {"currency": "USD"}})),
        pair("query.filter.currency", "UNSUPPORTED_FIELD")
    );
    assert_eq!(
        violation(json!({"filter": {"$and": [{"status": "PAID"}, {"nope": {"$eq": "x"}}]}})),
        pair("query.filter.$and[1].nope", "UNSUPPORTED_FIELD")
    );
    assert_eq!(
        violation(json!({"filter": {"$not": {"amount": "1"}}})),
        pair("query.filter.$not.amount", "UNSUPPORTED_FIELD")
    );
}

/// A value of the right shape for `op`, so only the operator itself can be refused.
fn operand(op: &str) -> serde_json::Value {
    match op {
        "$exists" | "$isEmpty" => json!(true),
        "$in" | "$nin" | "$hasSome" | "$hasAll" => json!(["UNPAID"]),
        _ => json!("UNPAID"),
    }
}

#[test]
fn each_field_refuses_the_operators_outside_its_type() {
    for (field, refused) in [
        (
            "amount.amount",
            &["$ne", "$in", "$nin", "$exists", "$isEmpty", "$startsWith"][..],
        ),
        (
            "status",
            &["$gt", "$gte", "$lt", "$lte", "$isEmpty", "$startsWith"][..],
        ),
        ("createdDate", &["$isEmpty", "$startsWith"][..]),
        ("expirationDate", &["$isEmpty", "$startsWith"][..]),
    ] {
        for op in refused {
            assert_eq!(
                violation(json!({"filter": {field: {*op: operand(op)}}})),
                pair(&format!("query.filter.{field}"), "UNSUPPORTED_OPERATOR"),
                "{field} {op}"
            );
        }
    }
}

#[test]
fn no_field_takes_array_or_unknown_operators() {
    for field in ["title", "id", "status", "createdDate", "amount.amount"] {
        for op in ["$hasSome", "$hasAll", "$contains", "$regex"] {
            assert_eq!(
                violation(json!({"filter": {field: {op: operand(op)}}})),
                pair(&format!("query.filter.{field}"), "UNSUPPORTED_OPERATOR"),
                "{field} {op}"
            );
        }
    }
    assert_eq!(
        violation(json!({"filter": {"$nor": [{"title": "x"}]}})),
        pair("query.filter.$nor", "UNSUPPORTED_OPERATOR")
    );
}

#[test]
fn each_field_accepts_the_operators_of_its_type() {
    for (field, value, accepted) in [
        (
            "title",
            json!("x"),
            &[
                "$eq",
                "$ne",
                "$gt",
                "$lt",
                "$gte",
                "$lte",
                "$isEmpty",
                "$exists",
                "$in",
                "$nin",
                "$startsWith",
            ][..],
        ),
        (
            "updatedDate",
            json!("2026-06-01T00:00:00Z"),
            &[
                "$eq", "$ne", "$gt", "$lt", "$gte", "$lte", "$exists", "$in", "$nin",
            ][..],
        ),
        (
            "status",
            json!("PAID"),
            &["$eq", "$ne", "$in", "$nin", "$exists"][..],
        ),
        (
            "amount.amount",
            json!("1.50"),
            &["$eq", "$gt", "$gte", "$lt", "$lte"][..],
        ),
    ] {
        for op in accepted {
            let operand = match *op {
                "$exists" | "$isEmpty" => json!(false),
                "$in" | "$nin" => json!([value]),
                _ => value.clone(),
            };
            let query = json!({"filter": {field: {*op: operand}}});
            assert!(Query::parse(&query).is_ok(), "{query}");
        }
    }
}

#[test]
fn wrong_value_types() {
    for (filter, path, rule) in [
        (json!({"title": 5}), "query.filter.title", "TYPE"),
        (json!({"title": null}), "query.filter.title", "TYPE"),
        (json!({"title": {"$in": "x"}}), "query.filter.title", "TYPE"),
        (
            json!({"title": {"$in": ["x", 1]}}),
            "query.filter.title",
            "TYPE",
        ),
        (
            json!({"title": {"$exists": "yes"}}),
            "query.filter.title",
            "TYPE",
        ),
        (
            json!({"title": {"$startsWith": 1}}),
            "query.filter.title",
            "TYPE",
        ),
        (
            json!({"title": {"$isEmpty": "yes"}}),
            "query.filter.title",
            "TYPE",
        ),
        (
            json!({"title": {"$nin": "x"}}),
            "query.filter.title",
            "TYPE",
        ),
        (
            json!({"status": {"$nin": ["PAID", 3]}}),
            "query.filter.status",
            "TYPE",
        ),
        (
            json!({"createdDate": "yesterday"}),
            "query.filter.createdDate",
            "FORMAT",
        ),
        (
            json!({"createdDate": {"$gt": "2026-13-01T00:00:00Z"}}),
            "query.filter.createdDate",
            "FORMAT",
        ),
        (
            json!({"createdDate": {"$gt": 1_750_000_000}}),
            "query.filter.createdDate",
            "TYPE",
        ),
        (
            json!({"amount.amount": "ten"}),
            "query.filter.amount.amount",
            "FORMAT",
        ),
        (
            json!({"amount.amount": true}),
            "query.filter.amount.amount",
            "TYPE",
        ),
        (json!({"$and": {"title": "x"}}), "query.filter.$and", "TYPE"),
        (json!({"$or": ["x"]}), "query.filter.$or[0]", "TYPE"),
        (json!({"$not": []}), "query.filter.$not", "TYPE"),
    ] {
        assert_eq!(
            violation(json!({ "filter": filter })),
            pair(path, rule),
            "{filter}"
        );
    }
    assert_eq!(
        violation(json!({"filter": ["title"]})),
        pair("query.filter", "TYPE")
    );
}

#[test]
fn every_problem_is_reported() {
    let v = violations(json!({
        "filter": {"nope": 1, "title": {"$gt": 2}},
        "sort": [{"fieldName": "id"}],
        "cursorPaging": {"limit": 500}
    }));
    let fields: Vec<&str> = v.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "query.cursorPaging.limit",
            "query.filter.nope",
            "query.filter.title",
            "query.sort[0].fieldName"
        ]
    );
}

#[test]
fn sort_errors() {
    assert_eq!(
        violation(json!({"sort": [{"fieldName": "id"}]})),
        pair("query.sort[0].fieldName", "UNSORTABLE_FIELD")
    );
    assert_eq!(
        violation(json!({"sort": [{"fieldName": "title"}, {"fieldName": "currency"}]})),
        pair("query.sort[1].fieldName", "UNSUPPORTED_FIELD")
    );
    assert_eq!(
        violation(json!({"sort": [{"fieldName": "title", "order": "UP"}]})),
        pair("query.sort[0].order", "INVALID_ENUM_VALUE")
    );
    assert_eq!(
        violation(json!({"sort": [{"order": "ASC"}]})),
        pair("query.sort[0].fieldName", "REQUIRED_FIELD")
    );
    assert_eq!(
        violation(json!({"sort": {"fieldName": "title"}})),
        pair("query.sort", "TYPE")
    );
    let six: Vec<_> = [
        "title",
        "status",
        "createdDate",
        "updatedDate",
        "description",
        "orderNumber",
    ]
    .iter()
    .map(|f| json!({"fieldName": f}))
    .collect();
    assert_eq!(
        violation(json!({ "sort": six })),
        pair("query.sort", "MAX_ITEMS")
    );
    let five = &six[..5];
    assert!(Query::parse(&json!({ "sort": five })).is_ok());
}

#[test]
fn limit_bounds() {
    for ok in [0, 1, 100] {
        assert_eq!(q(json!({"cursorPaging": {"limit": ok}})).limit(), ok);
    }
    assert_eq!(q(json!({"cursorPaging": {}})).limit(), 100);
    for (limit, rule) in [
        (json!(-1), "MIN"),
        (json!(101), "MAX"),
        (json!(u64::MAX), "MAX"),
        (json!(1.5), "TYPE"),
        (json!("10"), "TYPE"),
    ] {
        assert_eq!(
            violation(json!({"cursorPaging": {"limit": limit}})),
            pair("query.cursorPaging.limit", rule),
            "{limit}"
        );
    }
    let v = violations(json!({"cursorPaging": {"limit": 101}}));
    assert_eq!(v[0].data, Some(json!({"threshold": 100})));
    assert_eq!(
        violation(json!({"cursorPaging": 3})),
        pair("query.cursorPaging", "TYPE")
    );
}

fn a_cursor() -> String {
    let r: Vec<Rec> = (1..=3).map(rec).collect();
    q(json!({"cursorPaging": {"limit": 1}}))
        .run(&r)
        .next_cursor
        .unwrap_or_default()
}

#[test]
fn cursor_with_filter_or_sort_is_refused() {
    let cursor = a_cursor();
    assert_eq!(
        violation(json!({"filter": {"status": "PAID"}, "cursorPaging": {"cursor": cursor}})),
        pair("query.filter", "NOT_ALLOWED_WITH_CURSOR")
    );
    assert_eq!(
        violation(json!({"sort": [{"fieldName": "title"}], "cursorPaging": {"cursor": cursor}})),
        pair("query.sort", "NOT_ALLOWED_WITH_CURSOR")
    );
}

#[test]
fn bad_cursors() {
    let forged = |doc: serde_json::Value| URL_SAFE_NO_PAD.encode(doc.to_string());
    let good = a_cursor();
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    for cursor in [
        "not a cursor!".to_string(),
        "AAAA".to_string(),
        truncated,
        forged(json!({"v": 2, "f": null, "s": [], "b": null})),
        forged(json!({"v": 1, "f": {"currency": "USD"}, "s": [], "b": null})),
        forged(json!({"v": 1, "f": null, "s": [{"fieldName": "id"}], "b": null})),
        forged(
            json!({"v": 1, "f": null, "s": [{"fieldName": "createdDate"}],
            "b": {"d": "a", "i": false, "k": ["not a date"], "id": "00000000-0000-0000-0000-000000000001"}}),
        ),
        forged(
            json!({"v": 1, "f": null, "s": [{"fieldName": "createdDate"}],
            "b": {"d": "a", "i": false, "k": [], "id": "00000000-0000-0000-0000-000000000001"}}),
        ),
        forged(json!({"v": 1, "f": null, "s": [],
            "b": {"d": "x", "i": false, "k": [null], "id": "00000000-0000-0000-0000-000000000001"}})),
        forged(
            json!({"v": 1, "f": null, "s": [], "b": {"d": "a", "i": false, "k": [null], "id": "x"}}),
        ),
    ] {
        assert_eq!(
            violation(json!({"cursorPaging": {"cursor": cursor}})),
            pair("query.cursorPaging.cursor", "INVALID_CURSOR"),
            "{cursor}"
        );
    }
    assert_eq!(
        violation(json!({"cursorPaging": {"cursor": 12}})),
        pair("query.cursorPaging.cursor", "TYPE")
    );
    assert_eq!(
        violation(json!({"cursorPaging": {"cursor": "a".repeat(16_001)}})),
        pair("query.cursorPaging.cursor", "MAX_LENGTH")
    );
    // An empty cursor is no cursor.
    assert!(Query::parse(&json!({"cursorPaging": {"cursor": ""}})).is_ok());
}
