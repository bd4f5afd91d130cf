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

/// The field an amount is in, as Wix names it (`amount.amount` of a price): what an
/// [`AmountError`] names.
const FIELD: &str = "amount";

/// What an amount must be, for a `text` outside the range: the end it passes, from the
/// spec's range (`must be at least 0`, `must be at most 1000000000000000`).
fn range_requirement(text: &str) -> String {
    let (low, high) = (DECIMAL_AMOUNT_RANGE.gte, DECIMAL_AMOUNT_RANGE.lte);
    let below = match Decimal::from_str_exact(text) {
        Ok(value) => low.is_some_and(|end| value < end.value),
        // More digits than a decimal holds: past one end or the other.
        Err(_) => text.starts_with('-'),
    };
    match (below, low, high) {
        (true, Some(end), _) | (false, _, Some(end)) => format!(
            "must be {} {}",
            if below { "at least" } else { "at most" },
            end.text
        ),
        _ => "must lie within the spec's range".to_string(),
    }
}

/// A non-negative decimal amount in Wix's range, kept exactly as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount(Decimal);

/// Why a value is not a valid [`Amount`]. The text names the field and what is wrong:
/// ``amount: `-1` is out of range: must be at least 0``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Not a plain decimal string: digits, optionally a point and more digits; no sign, no
    /// exponent, no separators.
    Malformed(String),
    /// A decimal outside the spec's range (negative, or above the maximum).
    OutOfRange(String),
    /// More digits than can be held exactly.
    TooPrecise(String),
}

impl AmountError {
    /// What is wrong, without the field: what a decoder reports under the path of the member
    /// it was decoding.
    fn problem(&self) -> String {
        match self {
            AmountError::Malformed(text) => format!(
                "`{text}` is not a plain decimal (expected digits with an optional fractional \
                 part, without sign or exponent, like \"15.50\")"
            ),
            AmountError::OutOfRange(text) => {
                format!("`{text}` is out of range: {}", range_requirement(text))
            }
            AmountError::TooPrecise(text) => {
                format!("`{text}` has more precision than can be held exactly")
            }
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FIELD}: {}", self.problem())
    }
}

impl std::error::Error for AmountError {}

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
        let negative = text.strip_prefix('-');
        let unsigned = negative.unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return Err(AmountError::Malformed(text.to_string()));
        }
        let value = Decimal::from_str_exact(text);
        if negative.is_some() {
            // The API takes no sign: a negative decimal is below the range; `-0` is zero
            // written in a form the API refuses.
            return Err(match value {
                Ok(value) if DECIMAL_AMOUNT_RANGE.contains(value) => {
                    AmountError::Malformed(text.to_string())
                }
                _ => AmountError::OutOfRange(text.to_string()),
            });
        }
        // A decimal cannot hold it: too many digits after the point, or too many before it
        // (past the range).
        let value = value.map_err(|_| match Decimal::from_str_exact(whole) {
            Ok(whole) if DECIMAL_AMOUNT_RANGE.contains(whole) => {
                AmountError::TooPrecise(text.to_string())
            }
            _ => AmountError::OutOfRange(text.to_string()),
        })?;
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
        text.parse()
            .map_err(|e: AmountError| serde::de::Error::custom(e.problem()))
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
            Err(AmountError::OutOfRange(_))
        ));
        assert!(matches!(
            "-0".parse::<Amount>(),
            Err(AmountError::Malformed(_))
        ));
        assert!(matches!(
            "+1".parse::<Amount>(),
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
    fn messages_name_the_field_and_the_bound_from_the_spec() {
        let message = |text: &str| text.parse::<Amount>().unwrap_err().to_string();
        let low = DECIMAL_AMOUNT_RANGE.gte.unwrap().text;
        let high = DECIMAL_AMOUNT_RANGE.lte.unwrap().text;
        for below in ["-1", "-0.01", "-99999999999999999999999999999999"] {
            assert_eq!(
                message(below),
                format!("amount: `{below}` is out of range: must be at least {low}")
            );
        }
        for above in ["1000000000000000.01", "99999999999999999999999999999999"] {
            assert_eq!(
                message(above),
                format!("amount: `{above}` is out of range: must be at most {high}")
            );
        }
        assert_eq!(
            Amount::new(Decimal::NEGATIVE_ONE).unwrap_err().to_string(),
            format!("amount: `-1` is out of range: must be at least {low}")
        );
        for malformed in ["15,50", "1e3", "-0", ""] {
            assert_eq!(
                message(malformed),
                format!(
                    "amount: `{malformed}` is not a plain decimal (expected digits with an \
                     optional fractional part, without sign or exponent, like \"15.50\")"
                )
            );
        }
        assert_eq!(
            message("1.00000000000000000000000000001"),
            "amount: `1.00000000000000000000000000001` has more precision than can be held exactly"
        );
    }

    #[test]
    fn a_decoder_hears_the_rule_and_names_the_member_itself() {
        let error = serde_json::from_value::<Amount>(serde_json::json!("-1")).unwrap_err();
        let low = DECIMAL_AMOUNT_RANGE.gte.unwrap().text;
        assert_eq!(
            error.to_string(),
            format!("`-1` is out of range: must be at least {low}")
        );
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
