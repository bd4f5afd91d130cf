//! Exact money amounts.
//!
//! Wix sends amounts as decimal strings (`"15.50"`). [`Amount`] holds them as a
//! [`rust_decimal::Decimal`], never an `f64`, and writes back exactly the digits it read: the
//! scale is kept, so `"15.50"` stays `"15.50"`. Values outside the spec's range
//! (`x-wix-decimal-range` of `DecimalAmount`, generated as
//! [`crate::generated::rules::DECIMAL_AMOUNT_RANGE`]) or with more precision than a `Decimal`
//! holds are rejected rather than rounded. The type is the runtime's [`Decimal`] of the
//! generated marker [`DecimalAmount`](crate::generated::rules::DecimalAmount).

pub use wix_runtime::money::{Decimal, DecimalError, DecimalSchema};

/// A non-negative amount in Wix's range (`DecimalAmount`), kept exactly as written.
pub type Amount = Decimal<crate::generated::rules::DecimalAmount>;

/// Why a value is not a valid [`Amount`]. The text names the field and what is wrong:
/// ``amount: `-1` is out of range: must be at least 0``.
pub type AmountError = DecimalError;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::rules::DECIMAL_AMOUNT_RANGE;

    #[test]
    fn max_is_one_quadrillion() {
        assert_eq!(Amount::MAX.to_string(), "1000000000000000");
    }

    #[test]
    fn messages_name_the_field_and_the_bound_from_the_spec() {
        let message = |text: &str| text.parse::<Amount>().unwrap_err().to_string();
        let low = DECIMAL_AMOUNT_RANGE.gte.unwrap().text;
        let high = DECIMAL_AMOUNT_RANGE.lte.unwrap().text;
        assert_eq!(
            message("-1"),
            format!("amount: `-1` is out of range: must be at least {low}")
        );
        assert_eq!(
            message("1000000000000000.01"),
            format!("amount: `1000000000000000.01` is out of range: must be at most {high}")
        );
        let amount: Amount = serde_json::from_value(serde_json::json!("15.50")).unwrap();
        assert_eq!(serde_json::to_value(amount).unwrap(), "15.50");
    }
}
