//! The renamed spec (this spec renamed to the Invoices API) generates code that names only
//! its own API. `cargo xtask test` also compiles that code as a crate and runs its tests.

use xtask::renamed_api::renamed_spec;

#[test]
fn a_renamed_spec_generates_code_that_names_only_its_own_api() {
    let spec = std::fs::read_to_string(xtask::workspace_root().join(codegen::SPEC_PATH)).unwrap();
    let text = renamed_spec(&spec);
    assert!(!text.contains("OrderPaymentRequest"));
    let files =
        codegen::generate_from_str(&text, "renamed.yaml").expect("the renamed spec generates");
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    for name in [
        "OrderPaymentRequest",
        "order_payment_request",
        "wix_order_payment_requests",
    ] {
        let lines: Vec<&str> = all.lines().filter(|l| l.contains(name)).take(8).collect();
        assert!(
            lines.is_empty(),
            "the generated code still names `{name}`: {lines:#?}"
        );
    }
    for expected in [
        "pub struct Invoice {",
        "CreateInvoiceErrorCode",
        "Operation::VoidInvoice",
        "wix_invoices::generated::client",
        "\"/ecom/v1/invoices\"",
    ] {
        assert!(
            all.contains(expected),
            "the generated code lacks `{expected}`"
        );
    }
}
