//! Exact money amounts.
//!
//! Wix sends amounts as decimal strings (`"15.50"`). [`Amount`] holds them as a
//! [`rust_decimal::Decimal`], never an `f64`, and writes back exactly the digits it read: the
//! scale is kept, so `"15.50"` stays `"15.50"`. Values outside the spec's range
//! (`x-wix-decimal-range` of `DecimalAmount`, generated as
//! [`crate::generated::rules::DECIMAL_AMOUNT_RANGE`]) or with more precision than a `Decimal`
//! holds are rejected rather than rounded.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::generated::rules::DECIMAL_AMOUNT_RANGE;

/// The range's ends as text, for messages.
fn range_text() -> String {
    let end = |e: Option<crate::generated::rules::DecimalEnd>| e.map_or("any", |e| e.text);
    format!(
        "{} to {}",
        end(DECIMAL_AMOUNT_RANGE.gte),
        end(DECIMAL_AMOUNT_RANGE.lte)
    )
}

/// A non-negative decimal amount in Wix's range, kept exactly as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(Decimal);

/// Why a value is not a valid [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Not a plain decimal string (digits, optionally a point and more digits).
    #[error("`{0}` is not a decimal amount (expected digits with an optional fractional part, like \"15.50\")")]
    Malformed(String),
    /// Outside the spec's range.
    #[error("`{0}` is outside the allowed range {range}", range = range_text())]
    OutOfRange(String),
    /// More digits than can be held exactly.
    #[error("`{0}` has more precision than can be held exactly")]
    TooPrecise(String),
}

impl Amount {
    /// The largest amount Wix accepts.
    pub const MAX: Decimal = match DECIMAL_AMOUNT_RANGE.lte {
        Some(end) => end.value,
        None => Decimal::MAX,
    };

    /// Wraps a decimal after checking the range.
    pub fn new(value: Decimal) -> Result<Self, AmountError> {
        if !DECIMAL_AMOUNT_RANGE.contains(value) {
            return Err(AmountError::OutOfRange(value.to_string()));
        }
        Ok(Self(value))
    }

    /// The decimal value.
    pub fn value(&self) -> Decimal {
        self.0
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return Err(AmountError::Malformed(text.to_string()));
        }
        let value =
            Decimal::from_str_exact(text).map_err(|_| AmountError::TooPrecise(text.to_string()))?;
        Self::new(value).map_err(|_| AmountError::OutOfRange(text.to_string()))
    }
}

impl TryFrom<Decimal> for Amount {
    type Error = AmountError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for Amount {
    type Error = AmountError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Amount> for Decimal {
    fn from(value: Amount) -> Self {
        value.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        let amount: Amount = serde_json::from_value(serde_json::json!(text)).unwrap();
        serde_json::to_value(amount)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn keeps_every_digit_it_read() {
        for text in [
            "15.50",
            "0",
            "0.00",
            "1000000000000000",
            "123456789012345.678901",
            "7.1",
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn max_is_one_quadrillion() {
        assert_eq!(Amount::MAX.to_string(), "1000000000000000");
    }

    #[test]
    fn rejects_what_wix_rejects() {
        assert!(matches!(
            "-1".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            "1e3".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            "1_000".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            ".5".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            "5.".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            "1000000000000000.01".parse::<Amount>(),
            Err(AmountError::OutOfRange(_))
        ));
        assert!(Amount::new(Decimal::NEGATIVE_ONE).is_err());
    }

    #[test]
    fn refuses_to_round() {
        let text = "1.00000000000000000000000000001";
        assert!(matches!(
            text.parse::<Amount>(),
            Err(AmountError::TooPrecise(_))
        ));
    }

    #[test]
    fn numbers_are_not_amounts() {
        assert!(serde_json::from_value::<Amount>(serde_json::json!(15.5)).is_err());
    }
}
