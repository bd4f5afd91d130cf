use serde_json::{json, Value};

use super::*;
use crate::spec::document::{schema, spec};

const ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
const ORDER: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

fn valid_opr() -> Value {
    json!({"orderId": ORDER, "amount": {"amount": "15.50"}, "title": "Balance Due"})
}

/// `(field, rule)` of each violation, in order.
fn pairs(list: &[Violation]) -> Vec<(String, String)> {
    list.iter()
        .map(|v| (v.field.clone(), v.rule.clone()))
        .collect()
}

fn has(list: &[Violation], field: &str, rule: &str) -> bool {
    list.iter().any(|v| v.field == field && v.rule == rule)
}

fn find<'a>(list: &'a [Violation], field: &str) -> &'a Violation {
    list.iter()
        .find(|v| v.field == field)
        .unwrap_or_else(|| panic!("no violation at {field}: {list:?}"))
}

fn every_operation_id() -> Vec<&'static str> {
    let paths = spec()["paths"].as_object().unwrap();
    paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .collect()
}

#[test]
fn valid_create_has_no_violations() {
    let body = json!({ "orderPaymentRequest": valid_opr() });
    assert_eq!(validate_request("createOrderPaymentRequest", &body), vec![]);
}

#[test]
fn every_request_example_of_the_spec_is_valid() {
    for op in every_operation_id() {
        let (_, _, o) = operation(op).unwrap();
        if let Some(example) = o.pointer("/requestBody/content/application~1json/example") {
            assert_eq!(validate_request(op, example), vec![], "{op}");
        }
    }
}

#[test]
fn every_response_example_of_the_spec_is_valid() {
    for op in every_operation_id() {
        let (_, _, o) = operation(op).unwrap();
        for (status, response) in o["responses"].as_object().unwrap() {
            let response = resolve(response);
            let Some(example) = response.pointer("/content/application~1json/example") else {
                continue;
            };
            let code = status.replace("XX", "00").parse().unwrap();
            assert_eq!(
                validate_response(op, code, example),
                vec![],
                "{op} {status}"
            );
        }
    }
}

#[test]
fn missing_entity_is_required_and_nothing_inside_it_is_reported() {
    let v = validate_request("createOrderPaymentRequest", &json!({}));
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequest".into(), "REQUIRED_FIELD".into())]
    );
    let v = validate_request("createOrderPaymentRequest", &Value::Null);
    assert_eq!(v.len(), 1);
}

#[test]
fn create_only_required_fields_are_reported_together() {
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({"orderPaymentRequest": {}}),
    );
    assert_eq!(
        pairs(&v),
        vec![
            ("orderPaymentRequest.title".into(), "REQUIRED_FIELD".into()),
            (
                "orderPaymentRequest.orderId".into(),
                "REQUIRED_FIELD".into()
            ),
            ("orderPaymentRequest.amount".into(), "REQUIRED_FIELD".into()),
        ]
    );
}

#[test]
fn amount_without_its_amount_is_required_and_null_is_absent() {
    let mut opr = valid_opr();
    opr["amount"] = json!({});
    opr["title"] = Value::Null;
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    assert_eq!(
        pairs(&v),
        vec![
            (
                "orderPaymentRequest.amount.amount".into(),
                "REQUIRED_FIELD".into()
            ),
            ("orderPaymentRequest.title".into(), "REQUIRED_FIELD".into()),
        ]
    );
}

#[test]
fn type_mismatches_at_every_depth() {
    let body = json!({"orderPaymentRequest": {
        "title": 5, "orderId": ORDER, "amount": "15.50",
        "blockedPaymentMethods": "MANUAL", "image": {"altText": false},
        "extendedFields": {"namespaces": {"@app/ns": 7}},
    }});
    let v = validate_request("createOrderPaymentRequest", &body);
    let p = "orderPaymentRequest";
    for field in [
        "title",
        "amount",
        "blockedPaymentMethods",
        "image.altText",
        "extendedFields.namespaces.@app/ns",
    ] {
        assert!(has(&v, &format!("{p}.{field}"), "TYPE"), "{field}: {v:?}");
    }
    assert_eq!(
        find(&v, "orderPaymentRequest.title").data,
        Some(json!({"expected": "string"}))
    );
    // A present value of the wrong type is not also "required".
    assert!(!v.iter().any(|x| x.rule == "REQUIRED_FIELD"), "{v:?}");
}

#[test]
fn non_object_bodies_and_entities_are_type_errors() {
    for body in [json!([]), json!("x"), json!(1), json!(true)] {
        let v = validate_request("createOrderPaymentRequest", &body);
        assert_eq!(pairs(&v), vec![("".into(), "TYPE".into())], "{body}");
    }
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({"orderPaymentRequest": []}),
    );
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequest".into(), "TYPE".into())]
    );
}

#[test]
fn lengths_count_characters_and_carry_the_threshold() {
    let mut opr = valid_opr();
    opr["title"] = json!("é".repeat(200));
    let ok = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    assert_eq!(ok, vec![]);
    opr["title"] = json!("é".repeat(201));
    opr["description"] = json!("d".repeat(301));
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    let title = find(&v, "orderPaymentRequest.title");
    assert_eq!(title.rule, "MAX_LENGTH");
    assert_eq!(title.data, Some(json!({"threshold": 200})));
    assert_eq!(title.description, "must have at most 200 characters");
    let d = find(&v, "orderPaymentRequest.description");
    assert_eq!(
        (d.rule.as_str(), d.data.clone()),
        ("MAX_LENGTH", Some(json!({"threshold": 300})))
    );
    opr["title"] = json!("");
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    let title = find(&v, "orderPaymentRequest.title");
    assert_eq!(
        (title.rule.as_str(), title.data.clone()),
        ("MIN_LENGTH", Some(json!({"threshold": 1})))
    );
}

#[test]
fn formats() {
    let mut opr = valid_opr();
    opr["orderId"] = json!("not-a-guid");
    opr["expirationDate"] = json!("2026-07-15 23:59");
    opr["source"] = json!({"appId": "A931E280254A49A7964122EF64C444AE"});
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    assert_eq!(
        pairs(&v),
        vec![
            ("orderPaymentRequest.expirationDate".into(), "FORMAT".into()),
            ("orderPaymentRequest.orderId".into(), "FORMAT".into()),
            ("orderPaymentRequest.source.appId".into(), "FORMAT".into()),
        ]
    );
    assert_eq!(
        find(&v, "orderPaymentRequest.orderId").data,
        Some(json!({"format": "uuid"}))
    );
}

#[test]
fn decimal_amount_pattern_and_range() {
    let check = |amount: &str| {
        let mut opr = valid_opr();
        opr["amount"]["amount"] = json!(amount);
        validate_request(
            "createOrderPaymentRequest",
            &json!({ "orderPaymentRequest": opr }),
        )
    };
    for ok in ["0", "15.50", "1000000000000000", "1000000000000000.000"] {
        assert_eq!(check(ok), vec![], "{ok}");
    }
    for (bad, rule) in [
        ("1000000000000000.01", "DECIMAL_RANGE"),
        ("99999999999999999999999999999999", "DECIMAL_RANGE"),
        ("1.00000000000000000000000000001", "FORMAT"),
        ("-1", "PATTERN"),
        ("abc", "PATTERN"),
        ("1e5", "PATTERN"),
        ("15.", "PATTERN"),
        ("", "PATTERN"),
    ] {
        let v = check(bad);
        assert_eq!(
            pairs(&v),
            vec![("orderPaymentRequest.amount.amount".into(), rule.into())],
            "{bad}"
        );
    }
    let v = check("1000000000000001");
    assert_eq!(
        v[0].data,
        Some(json!({"gte": "0", "lte": "1000000000000000"}))
    );
}

#[test]
fn array_bounds_and_enum_values() {
    let mut opr = valid_opr();
    opr["blockedPaymentMethods"] = json!(["MANUAL", "CARD"]);
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({ "orderPaymentRequest": opr }),
    );
    assert_eq!(
        pairs(&v),
        vec![
            (
                "orderPaymentRequest.blockedPaymentMethods".into(),
                "MAX_ITEMS".into()
            ),
            (
                "orderPaymentRequest.blockedPaymentMethods[1]".into(),
                "ENUM".into()
            ),
        ]
    );
    assert_eq!(v[0].data, Some(json!({"threshold": 1})));
    assert_eq!(v[1].data, Some(json!({"allowed": ["MANUAL"]})));
}

#[test]
fn several_violations_are_reported_at_once() {
    let body = json!({"orderPaymentRequest": {
        "title": "t".repeat(201), "orderId": "x", "amount": {"amount": "5000000000000000"},
        "expirationDate": "tomorrow", "blockedPaymentMethods": ["NOPE"],
        "image": {"id": "i".repeat(201)}, "source": {"externalId": ""},
    }});
    let v = validate_request("createOrderPaymentRequest", &body);
    let p = "orderPaymentRequest";
    let expected = [
        ("amount.amount", "DECIMAL_RANGE"),
        ("blockedPaymentMethods[0]", "ENUM"),
        ("expirationDate", "FORMAT"),
        ("image.id", "MAX_LENGTH"),
        ("orderId", "FORMAT"),
        ("source.externalId", "MIN_LENGTH"),
        ("title", "MAX_LENGTH"),
    ];
    for (field, rule) in expected {
        assert!(has(&v, &format!("{p}.{field}"), rule), "{field}: {v:?}");
    }
    assert_eq!(v.len(), expected.len(), "{v:?}");
}

#[test]
fn read_only_and_unknown_properties_are_ignored_on_input() {
    let mut opr = valid_opr();
    opr["status"] = json!("BOGUS");
    opr["currency"] = json!(5);
    opr["createdDate"] = json!("yesterday");
    opr["id"] = json!("not-a-guid");
    opr["amount"]["formattedAmount"] = json!(15);
    opr["image"] = json!({"width": "wide", "filename": "f".repeat(500)});
    opr["somethingNew"] = json!({"x": 1});
    let body = json!({"orderPaymentRequest": opr, "extra": true});
    assert_eq!(validate_request("createOrderPaymentRequest", &body), vec![]);
}

#[test]
fn bulk_items_have_indexed_paths_and_need_an_external_id() {
    let mut good = valid_opr();
    good["source"] = json!({"externalId": "inv-1"});
    let mut no_source = valid_opr();
    no_source["title"] = json!("");
    let mut no_external_id = valid_opr();
    no_external_id["source"] = json!({"appId": ORDER});
    let body = json!({"orderPaymentRequests": [good, no_source, no_external_id, {}, 5]});
    let v = validate_request("bulkCreateOrderPaymentRequests", &body);
    let expected = [
        ("orderPaymentRequests[1].title", "MIN_LENGTH"),
        ("orderPaymentRequests[1].source", "REQUIRED_FIELD"),
        (
            "orderPaymentRequests[2].source.externalId",
            "REQUIRED_FIELD",
        ),
        ("orderPaymentRequests[3].title", "REQUIRED_FIELD"),
        ("orderPaymentRequests[3].orderId", "REQUIRED_FIELD"),
        ("orderPaymentRequests[3].amount", "REQUIRED_FIELD"),
        ("orderPaymentRequests[3].source", "REQUIRED_FIELD"),
        ("orderPaymentRequests[4]", "TYPE"),
    ];
    for (field, rule) in expected {
        assert!(has(&v, field, rule), "{field}: {v:?}");
    }
    assert_eq!(v.len(), expected.len(), "{v:?}");
    assert!(!v
        .iter()
        .any(|x| x.field.starts_with("orderPaymentRequests[0]")));
}

#[test]
fn bulk_item_count_bounds() {
    let v = validate_request(
        "bulkCreateOrderPaymentRequests",
        &json!({"orderPaymentRequests": []}),
    );
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequests".into(), "MIN_ITEMS".into())]
    );
    let mut item = valid_opr();
    item["source"] = json!({"externalId": "x"});
    let items = vec![item; 101];
    let v = validate_request(
        "bulkCreateOrderPaymentRequests",
        &json!({ "orderPaymentRequests": items }),
    );
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequests".into(), "MAX_ITEMS".into())]
    );
    assert_eq!(v[0].data, Some(json!({"threshold": 100})));
    let v = validate_request("bulkCreateOrderPaymentRequests", &json!({}));
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequests".into(), "REQUIRED_FIELD".into())]
    );
}

#[test]
fn update_requires_a_valid_id_and_nothing_else() {
    let ok = json!({"orderPaymentRequest": {"id": ID, "title": "New"}});
    assert_eq!(validate_request("updateOrderPaymentRequest", &ok), vec![]);
    let v = validate_request(
        "updateOrderPaymentRequest",
        &json!({"orderPaymentRequest": {"title": "New"}}),
    );
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequest.id".into(), "REQUIRED_FIELD".into())]
    );
    let v = validate_request(
        "updateOrderPaymentRequest",
        &json!({"orderPaymentRequest": {"id": "nope", "title": ""}}),
    );
    assert_eq!(
        pairs(&v),
        vec![
            ("orderPaymentRequest.id".into(), "FORMAT".into()),
            ("orderPaymentRequest.title".into(), "MIN_LENGTH".into()),
        ]
    );
}

#[test]
fn query_paging_sort_and_integer_bounds() {
    let body = json!({"query": {
        "cursorPaging": {"limit": 101, "cursor": "c".repeat(16001)},
        "sort": [{"fieldName": "title", "order": "UP"}, {}, {}, {}, {}, {}],
        "filter": {"anything": {"$eq": 1}},
    }});
    let v = validate_request("queryOrderPaymentRequests", &body);
    let expected = [
        ("query.cursorPaging.cursor", "MAX_LENGTH"),
        ("query.cursorPaging.limit", "MAX"),
        ("query.sort", "MAX_ITEMS"),
        ("query.sort[0].order", "ENUM"),
    ];
    for (field, rule) in expected {
        assert!(has(&v, field, rule), "{field}: {v:?}");
    }
    assert_eq!(v.len(), expected.len(), "{v:?}");
    assert_eq!(
        find(&v, "query.cursorPaging.limit").data,
        Some(json!({"threshold": 100}))
    );
    let check = |limit: Value| {
        pairs(&validate_request(
            "queryOrderPaymentRequests",
            &json!({"query": {"cursorPaging": {"limit": limit}}}),
        ))
    };
    let at = |rule: &str| vec![("query.cursorPaging.limit".to_string(), rule.to_string())];
    assert_eq!(check(json!(-1)), at("MIN"));
    assert_eq!(check(json!(1.5)), at("TYPE"));
    assert_eq!(check(json!("10")), at("TYPE"));
    assert_eq!(
        check(json!(5_000_000_000i64)),
        at("FORMAT")
            .into_iter()
            .chain(at("MAX"))
            .collect::<Vec<_>>()
    );
    assert_eq!(check(json!(100)), vec![]);
    assert_eq!(check(json!(0)), vec![]);
    let v = validate_request("queryOrderPaymentRequests", &json!({}));
    assert_eq!(pairs(&v), vec![("query".into(), "REQUIRED_FIELD".into())]);
    assert_eq!(
        validate_request("queryOrderPaymentRequests", &json!({"query": {}})),
        vec![]
    );
}

#[test]
fn other_bodies() {
    let v = validate_request(
        "voidOrderPaymentRequest",
        &json!({"orderPaymentRequestId": 1}),
    );
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequestId".into(), "TYPE".into())]
    );
    let v = validate_request(
        "chargeOrderPaymentRequest",
        &json!({"paymentToken": "t".repeat(101)}),
    );
    assert_eq!(
        pairs(&v),
        vec![
            ("paymentToken".into(), "MAX_LENGTH".into()),
            ("orderPaymentRequestId".into(), "REQUIRED_FIELD".into()),
        ]
    );
    let v = validate_request(
        "updateExtendedFields",
        &json!({"id": ID, "namespace": "", "namespaceData": []}),
    );
    assert_eq!(
        pairs(&v),
        vec![
            ("namespace".into(), "MIN_LENGTH".into()),
            ("namespaceData".into(), "TYPE".into()),
        ]
    );
    assert_eq!(
        validate_request("getOrderPaymentRequest", &json!({"x": 1})),
        vec![]
    );
    assert_eq!(validate_request("noSuchOperation", &json!({})), vec![]);
}

#[test]
fn path_params() {
    assert_eq!(
        validate_path_param("getOrderPaymentRequest", "orderPaymentRequestId", ID),
        vec![]
    );
    let v = validate_path_param("deleteOrderPaymentRequest", "orderPaymentRequestId", "x");
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequestId".into(), "FORMAT".into())]
    );
    let v = validate_path_param("updateOrderPaymentRequest", "orderPaymentRequestId", "x");
    assert_eq!(
        pairs(&v),
        vec![("orderPaymentRequest.id".into(), "FORMAT".into())]
    );
    let v = validate_path_param("updateExtendedFields", "id", "");
    assert_eq!(pairs(&v), vec![("id".into(), "MIN_LENGTH".into())]);
    assert_eq!(
        validate_path_param("updateExtendedFields", "id", "not-a-guid-but-fine"),
        vec![]
    );
    assert_eq!(
        validate_path_param("getOrderPaymentRequest", "nope", "x"),
        vec![]
    );
}

#[test]
fn the_quick_path_check_agrees_with_the_walk_of_the_schema() {
    let params = path_param::all();
    assert!(params.len() >= 4, "{} path parameters", params.len());
    assert!(
        params.iter().all(|p| p.plain_string().is_some()),
        "{params:?}"
    );
    let get = path_param::find("getOrderPaymentRequest", "orderPaymentRequestId").unwrap();
    assert!(
        get.plain_string().is_some(),
        "the Get's id takes the quick check"
    );
    let upper = ID.to_uppercase();
    let braced = format!("{{{ID}}}");
    let simple = ID.replace('-', "");
    let long = format!("{ID}0");
    let not_hex = ID.replace('c', "z");
    let values = [
        ID,
        &upper,
        &braced,
        &simple,
        &long,
        &not_hex,
        "",
        "x",
        "😀",
        " ",
        "not-a-guid-but-fine",
    ];
    for param in params {
        for value in values {
            assert_eq!(
                param.violations(value),
                param.walk(value),
                "{param:?}: {value:?}"
            );
        }
    }
}

#[test]
fn strip_read_only_removes_read_only_members_at_any_depth() {
    let mut body = json!({"orderPaymentRequest": {
        "title": "T", "orderId": ORDER, "amount": {"amount": "1.00"},
        "image": {"id": "img", "altText": "a", "width": 5, "height": 6, "filename": "f"},
        "unknown": 1,
    }});
    strip_read_only("createOrderPaymentRequest", &mut body);
    assert_eq!(
        body,
        json!({"orderPaymentRequest": {
            "title": "T", "orderId": ORDER, "amount": {"amount": "1.00"},
            "image": {"id": "img", "altText": "a"}, "unknown": 1,
        }})
    );

    let mut body = json!({"orderPaymentRequests": [
        {"title": "A", "image": {"width": 1}}, 7, {"title": "B"},
    ], "returnEntity": true});
    strip_read_only("bulkCreateOrderPaymentRequests", &mut body);
    assert_eq!(
        body,
        json!({"orderPaymentRequests": [{"title": "A", "image": {}}, 7, {"title": "B"}], "returnEntity": true})
    );

    for mut odd in [
        json!(null),
        json!([1]),
        json!("x"),
        json!({"orderPaymentRequest": 3}),
    ] {
        let before = odd.clone();
        strip_read_only("createOrderPaymentRequest", &mut odd);
        assert_eq!(odd, before);
    }
}

#[test]
fn input_schemas_leave_out_every_field_wix_sets_and_ignore_it_when_sent() {
    let set_by_wix: Vec<&str> = schema("OrderPaymentRequest")
        .and_then(|s| s.get("x-wix-read-only-fields"))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(set_by_wix.contains(&"status"), "{set_by_wix:?}");
    for input in [
        "NewOrderPaymentRequest",
        "NewBulkOrderPaymentRequest",
        "OrderPaymentRequestPatch",
    ] {
        let properties = schema(input)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("{input} has no properties"));
        for field in &set_by_wix {
            // The patch names the request it changes by its `id`.
            if input == "OrderPaymentRequestPatch" && *field == "id" {
                continue;
            }
            assert!(!properties.contains_key(*field), "{input} declares {field}");
        }
    }
    let mut opr = valid_opr();
    opr["status"] = json!(5);
    opr["currency"] = json!(["not", "a", "code"]);
    assert_eq!(
        validate_request(
            "createOrderPaymentRequest",
            &json!({ "orderPaymentRequest": opr })
        ),
        vec![]
    );
}

#[test]
fn required_in_request_follows_the_create_input_schema() {
    assert_eq!(
        required_in_request::<
            wix_order_payment_requests::generated::operations::CreateOrderPaymentRequest,
        >("orderPaymentRequest"),
        vec!["title", "orderId", "amount", "amount.amount"]
    );
}

#[test]
fn responses_are_checked_by_status() {
    let body = json!({"orderPaymentRequest": {"id": "x", "status": "LOST", "title": "T"}, "orderPaymentRequestUrl": "no url"});
    let v = validate_response("createOrderPaymentRequest", 200, &body);
    assert_eq!(
        pairs(&v),
        vec![
            ("orderPaymentRequest.id".into(), "FORMAT".into()),
            ("orderPaymentRequest.status".into(), "ENUM".into()),
            (
                "orderPaymentRequest.orderId".into(),
                "REQUIRED_FIELD".into()
            ),
            ("orderPaymentRequest.amount".into(), "REQUIRED_FIELD".into()),
            (
                "orderPaymentRequest.currency".into(),
                "REQUIRED_FIELD".into()
            ),
            (
                "orderPaymentRequest.createdDate".into(),
                "REQUIRED_FIELD".into()
            ),
            (
                "orderPaymentRequest.updatedDate".into(),
                "REQUIRED_FIELD".into()
            ),
        ]
    );
    let error = json!({"message": "", "details": {}});
    assert_eq!(
        validate_response("voidOrderPaymentRequest", 503, &error),
        vec![]
    );
    let bad_error = json!({"message": 5, "details": {"validationError": {"fieldViolations": {}}}});
    let v = validate_response("voidOrderPaymentRequest", 400, &bad_error);
    assert_eq!(
        pairs(&v),
        vec![
            (
                "details.validationError.fieldViolations".into(),
                "TYPE".into()
            ),
            ("message".into(), "TYPE".into()),
        ]
    );
    let v = validate_response("voidOrderPaymentRequest", 418, &error);
    assert_eq!(pairs(&v), vec![("".into(), "STATUS".into())]);
    let v = validate_response("nope", 200, &error);
    assert_eq!(pairs(&v), vec![("".into(), "OPERATION".into())]);
    let listed = response_statuses("voidOrderPaymentRequest");
    assert!(listed.contains(&"200") && listed.contains(&"5XX"));
}

#[test]
fn api_error_bodies_of_violations_match_the_spec() {
    let v = validate_request(
        "createOrderPaymentRequest",
        &json!({"orderPaymentRequest": {"title": ""}}),
    );
    let body = crate::api_error::ApiError::Validation(v).body();
    assert_eq!(
        validate_response("createOrderPaymentRequest", 400, &body),
        vec![]
    );
}

/// Odd values put in place of every property of every example: nothing may panic.
#[test]
fn never_panics_on_odd_input() {
    let odd = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5e300),
        json!(u64::MAX),
        json!(""),
        json!("😀".repeat(300)),
        json!([]),
        json!([null, {}, [[]]]),
        json!({}),
        json!({"a": {"b": {"c": []}}}),
    ];
    let mut base = vec![
        json!({ "orderPaymentRequest": valid_opr() }),
        json!({"orderPaymentRequests": [valid_opr()]}),
        json!({"query": {"cursorPaging": {"limit": 1}, "sort": [{"order": "ASC"}]}}),
    ];
    base.extend(odd.iter().cloned());
    for op in every_operation_id() {
        for body in &base {
            for variant in variants(body, &odd) {
                let _ = validate_request(op, &variant);
                let _ = validate_response(op, 200, &variant);
                let mut stripped = variant.clone();
                strip_read_only(op, &mut stripped);
            }
        }
        for value in ["", "x", "😀", ID] {
            let _ = validate_path_param(op, "orderPaymentRequestId", value);
            let _ = validate_path_param(op, "id", value);
        }
    }
}

/// `body` itself and `body` with each leaf or inner value replaced by each odd value.
fn variants(body: &Value, odd: &[Value]) -> Vec<Value> {
    let mut out = vec![body.clone()];
    let mut pointers = Vec::new();
    collect_pointers(body, String::new(), &mut pointers);
    for pointer in pointers {
        for value in odd {
            let mut copy = body.clone();
            if let Some(slot) = copy.pointer_mut(&pointer) {
                *slot = value.clone();
                out.push(copy);
            }
        }
    }
    out
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                collect_pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                collect_pointers(v, p, out);
            }
        }
        _ => {}
    }
}

/// Patterns are evaluated only on decimal schemas (no regular expression engine): any other
/// `pattern` in the spec would go unchecked, so there must be none.
#[test]
fn every_pattern_of_the_spec_is_on_a_decimal_schema() {
    fn visit(value: &Value, found: &mut Vec<Value>) {
        match value {
            Value::Object(map) => {
                if map.get("pattern").is_some_and(Value::is_string) {
                    found.push(value.clone());
                }
                map.values().for_each(|v| visit(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| visit(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    visit(spec(), &mut found);
    assert!(!found.is_empty());
    for schema in found {
        let decimal = schema.get("format") == Some(&json!("decimal"))
            || schema.get("x-wix-decimal-range").is_some();
        assert!(decimal, "a pattern the checker cannot evaluate: {schema}");
    }
}
