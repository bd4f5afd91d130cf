//! Name conversions shared by the generators.

use heck::{ToPascalCase, ToUpperCamelCase};

/// `createOrderPaymentRequest` -> `CreateOrderPaymentRequest` (progenitor's builder name).
pub fn type_name_of_operation(operation_id: &str) -> String {
    operation_id.to_pascal_case()
}

/// `CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST` or `ANONYMOUS_VISITOR` -> `CannotVoidPaidOrderPaymentRequest`.
pub fn variant_name(wire_value: &str) -> String {
    let name = wire_value.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("V{name}")
    } else {
        name
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from tokens.
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|t| format!("/{}", pointer_token(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_follow_rust_conventions() {
        assert_eq!(
            variant_name("CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST"),
            "CannotVoidPaidOrderPaymentRequest"
        );
        assert_eq!(variant_name("ASC"), "Asc");
        assert_eq!(variant_name("WIX_USER"), "WixUser");
        assert_eq!(variant_name("3DS"), "V3ds");
    }

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(
            pointer(["paths", "/ecom/v1/x", "post"]),
            "/paths/~1ecom~1v1~1x/post"
        );
        assert_eq!(pointer(["a~b"]), "/a~0b");
    }
}
