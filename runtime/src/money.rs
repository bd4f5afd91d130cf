//! Exact decimal amounts.
//!
//! Wix sends amounts as decimal strings (`"15.50"`). [`Decimal`] holds them as a
//! [`rust_decimal::Decimal`], never an `f64`, and writes back exactly the digits it read: the
//! scale is kept, so `"15.50"` stays `"15.50"`. Each decimal schema of a spec with an
//! `x-wix-decimal-range` gets a generated marker type implementing [`DecimalSchema`] (its
//! range, the field it names in errors, its JSON Schema); `Decimal<ThatMarker>` holds values
//! of it. Values outside the range, or with more precision than a `Decimal` holds, are
//! rejected rather than rounded.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use crate::rules::DecimalRange;

/// A decimal schema of a spec (generated as a marker type, one per `x-wix-decimal-range`).
pub trait DecimalSchema: 'static {
    /// The spec's name of the schema (`DecimalAmount`).
    const NAME: &'static str;
    /// Its `x-wix-decimal-range`.
    const RANGE: DecimalRange;
    /// The field its values are in, as Wix names it (`amount` of a price): what a
    /// [`DecimalError`] names.
    const FIELD: &'static str;
    /// Its JSON Schema, as the spec writes it (vendor extensions left out).
    const JSON_SCHEMA: &'static str;
}

/// A non-negative decimal in the range of the schema `S`, kept exactly as written.
pub struct Decimal<S> {
    value: rust_decimal::Decimal,
    schema: PhantomData<fn() -> S>,
}

/// Why a value is not a valid [`Decimal`]. The text names the field and what is wrong:
/// ``amount: `-1` is out of range: must be at least 0``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a plain decimal string: digits, optionally a point and more digits; no sign, no
    /// exponent, no separators.
    Malformed {
        /// The field, as Wix names it.
        field: &'static str,
        /// The text as given.
        text: String,
    },
    /// A decimal outside the schema's range (negative, or above the maximum).
    OutOfRange {
        /// The field, as Wix names it.
        field: &'static str,
        /// The text as given.
        text: String,
        /// What the value must be, from the range: `must be at least 0`.
        requirement: String,
    },
    /// More digits than can be held exactly.
    TooPrecise {
        /// The field, as Wix names it.
        field: &'static str,
        /// The text as given.
        text: String,
    },
}

impl DecimalError {
    fn malformed<S: DecimalSchema>(text: &str) -> Self {
        DecimalError::Malformed {
            field: S::FIELD,
            text: text.to_string(),
        }
    }

    fn out_of_range<S: DecimalSchema>(text: &str) -> Self {
        DecimalError::OutOfRange {
            field: S::FIELD,
            text: text.to_string(),
            requirement: range_requirement(&S::RANGE, text),
        }
    }

    fn too_precise<S: DecimalSchema>(text: &str) -> Self {
        DecimalError::TooPrecise {
            field: S::FIELD,
            text: text.to_string(),
        }
    }

    /// What is wrong, without the field: what a decoder reports under the path of the member
    /// it was decoding.
    pub fn problem(&self) -> String {
        match self {
            DecimalError::Malformed { text, .. } => format!(
                "`{text}` is not a plain decimal (expected digits with an optional fractional \
                 part, without sign or exponent, like \"15.50\")"
            ),
            DecimalError::OutOfRange {
                text, requirement, ..
            } => format!("`{text}` is out of range: {requirement}"),
            DecimalError::TooPrecise { text, .. } => {
                format!("`{text}` has more precision than can be held exactly")
            }
        }
    }

    /// The field, as Wix names it.
    pub fn field(&self) -> &'static str {
        match self {
            DecimalError::Malformed { field, .. }
            | DecimalError::OutOfRange { field, .. }
            | DecimalError::TooPrecise { field, .. } => field,
        }
    }
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field(), self.problem())
    }
}

impl std::error::Error for DecimalError {}

/// What a value must be, for a `text` outside `range`: the end it passes (`must be at least
/// 0`, `must be at most 1000000000000000`).
fn range_requirement(range: &DecimalRange, text: &str) -> String {
    let below = match rust_decimal::Decimal::from_str_exact(text) {
        Ok(value) => range.gte.is_some_and(|end| value < end.value),
        // More digits than a decimal holds: past one end or the other.
        Err(_) => text.starts_with('-'),
    };
    match (below, range.gte, range.lte) {
        (true, Some(end), _) | (false, _, Some(end)) => format!(
            "must be {} {}",
            if below { "at least" } else { "at most" },
            end.text
        ),
        _ => "must lie within the spec's range".to_string(),
    }
}

impl<S: DecimalSchema> Decimal<S> {
    /// The largest value the schema's range allows.
    pub const MAX: rust_decimal::Decimal = match S::RANGE.lte {
        Some(end) => end.value,
        None => rust_decimal::Decimal::MAX,
    };

    /// Wraps a decimal after checking the range.
    pub fn new(value: rust_decimal::Decimal) -> Result<Self, DecimalError> {
        if !S::RANGE.contains(value) {
            return Err(DecimalError::out_of_range::<S>(&value.to_string()));
        }
        Ok(Self {
            value,
            schema: PhantomData,
        })
    }
}

impl<S> Decimal<S> {
    /// The decimal value.
    pub fn value(&self) -> rust_decimal::Decimal {
        self.value
    }
}

impl<S: DecimalSchema> FromStr for Decimal<S> {
    type Err = DecimalError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let range = S::RANGE;
        let negative = text.strip_prefix('-');
        let unsigned = negative.unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return Err(DecimalError::malformed::<S>(text));
        }
        let value = rust_decimal::Decimal::from_str_exact(text);
        if negative.is_some() {
            // The API takes no sign: a negative decimal is below the range; `-0` is zero
            // written in a form the API refuses.
            return Err(match value {
                Ok(value) if range.contains(value) => DecimalError::malformed::<S>(text),
                _ => DecimalError::out_of_range::<S>(text),
            });
        }
        // A decimal cannot hold it: too many digits after the point, or too many before it
        // (past the range).
        let value = value.map_err(|_| match rust_decimal::Decimal::from_str_exact(whole) {
            Ok(whole) if range.contains(whole) => DecimalError::too_precise::<S>(text),
            _ => DecimalError::out_of_range::<S>(text),
        })?;
        Self::new(value).map_err(|_| DecimalError::out_of_range::<S>(text))
    }
}

impl<S: DecimalSchema> TryFrom<rust_decimal::Decimal> for Decimal<S> {
    type Error = DecimalError;
    fn try_from(value: rust_decimal::Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl<S: DecimalSchema> TryFrom<&str> for Decimal<S> {
    type Error = DecimalError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl<S> From<Decimal<S>> for rust_decimal::Decimal {
    fn from(value: Decimal<S>) -> Self {
        value.value
    }
}

impl<S> fmt::Display for Decimal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl<S> fmt::Debug for Decimal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Decimal").field(&self.value).finish()
    }
}

// By hand: derived impls would ask the same of the marker `S`, which is never a value.
impl<S> Clone for Decimal<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Decimal<S> {}

impl<S> PartialEq for Decimal<S> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<S> Eq for Decimal<S> {}

impl<S> Hash for Decimal<S> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<S> PartialOrd for Decimal<S> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<S> Ord for Decimal<S> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<S> serde::Serialize for Decimal<S> {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_str(&self.value)
    }
}

impl<'de, S: DecimalSchema> serde::Deserialize<'de> for Decimal<S> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse()
            .map_err(|e: DecimalError| serde::de::Error::custom(e.problem()))
    }
}

#[cfg(feature = "schemars")]
impl<S: DecimalSchema> schemars::JsonSchema for Decimal<S> {
    fn schema_name() -> String {
        S::NAME.to_string()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        // A JSON object, written by codegen from the spec: every JSON object is a schema.
        serde_json::from_str(S::JSON_SCHEMA).expect("a JSON object is a schema")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::DecimalEnd;

    /// A schema like a spec's amount: 0 to 1000000000000000.
    enum TestAmount {}

    impl DecimalSchema for TestAmount {
        const NAME: &'static str = "TestAmount";
        const RANGE: DecimalRange = DecimalRange {
            schema: "TestAmount",
            gte: Some(DecimalEnd {
                value: rust_decimal::Decimal::ZERO,
                text: "0",
            }),
            lte: Some(DecimalEnd {
                value: rust_decimal::Decimal::from_parts(2764472320, 232830, 0, false, 0),
                text: "1000000000000000",
            }),
        };
        const FIELD: &'static str = "amount";
        const JSON_SCHEMA: &'static str = r#"{"type":"string","format":"decimal"}"#;
    }

    type Amount = Decimal<TestAmount>;

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
    fn max_is_the_ranges_upper_end() {
        assert_eq!(Amount::MAX.to_string(), "1000000000000000");
    }

    #[test]
    fn rejects_what_wix_rejects() {
        let kind = |text: &str| match text.parse::<Amount>() {
            Ok(_) => "ok",
            Err(DecimalError::Malformed { .. }) => "malformed",
            Err(DecimalError::OutOfRange { .. }) => "out of range",
            Err(DecimalError::TooPrecise { .. }) => "too precise",
        };
        assert_eq!(kind("-1"), "out of range");
        for malformed in ["-0", "+1", "1e3", "1_000", ".5", "5."] {
            assert_eq!(kind(malformed), "malformed", "{malformed}");
        }
        assert_eq!(kind("1000000000000000.01"), "out of range");
        assert_eq!(kind("1.00000000000000000000000000001"), "too precise");
        assert!(Amount::new(rust_decimal::Decimal::NEGATIVE_ONE).is_err());
    }

    #[test]
    fn messages_name_the_field_and_the_bound_from_the_range() {
        let message = |text: &str| text.parse::<Amount>().unwrap_err().to_string();
        for below in ["-1", "-0.01", "-99999999999999999999999999999999"] {
            assert_eq!(
                message(below),
                format!("amount: `{below}` is out of range: must be at least 0")
            );
        }
        for above in ["1000000000000000.01", "99999999999999999999999999999999"] {
            assert_eq!(
                message(above),
                format!("amount: `{above}` is out of range: must be at most 1000000000000000")
            );
        }
        assert_eq!(
            Amount::new(rust_decimal::Decimal::NEGATIVE_ONE)
                .unwrap_err()
                .to_string(),
            "amount: `-1` is out of range: must be at least 0"
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
        assert_eq!(
            error.to_string(),
            "`-1` is out of range: must be at least 0"
        );
    }

    #[test]
    fn numbers_are_not_amounts() {
        assert!(serde_json::from_value::<Amount>(serde_json::json!(15.5)).is_err());
    }
}
