//! The fault configuration: what fails, how often, and the deterministic choice per request.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Delay of the [`FaultKind::Slow`] fault when none is given.
pub const DEFAULT_SLOW: Duration = Duration::from_millis(2000);

/// Longest accepted delay of the [`FaultKind::Slow`] fault (ten minutes).
pub const MAX_SLOW: Duration = Duration::from_secs(600);

/// One kind of injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `429` with `{"message": "Too many requests", "details": {}}` and no `Retry-After`
    /// (Wix documents none). The request is not processed.
    TooManyRequests,
    /// `503` with `{"message": "", "details": {}}` (Wix's empty 5xx body). The request is not
    /// processed.
    Unavailable,
    /// The request is processed and answered correctly, but the answer is held back for the
    /// configured delay.
    Slow,
    /// The request is processed, then the connection is closed before the response head is
    /// written: the client sees a transport error and cannot tell whether the change happened.
    DropConnection,
}

impl FaultKind {
    /// Every kind, in a fixed order (the default set).
    pub const ALL: [FaultKind; 4] = [
        FaultKind::TooManyRequests,
        FaultKind::Unavailable,
        FaultKind::Slow,
        FaultKind::DropConnection,
    ];

    /// The canonical name used in JSON (`TOO_MANY_REQUESTS`, `UNAVAILABLE`, `SLOW`,
    /// `DROP_CONNECTION`).
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests => "TOO_MANY_REQUESTS",
            FaultKind::Unavailable => "UNAVAILABLE",
            FaultKind::Slow => "SLOW",
            FaultKind::DropConnection => "DROP_CONNECTION",
        }
    }

    /// The short name used by the command-line syntax (`429`, `503`, `slow`, `drop`).
    pub fn short_name(self) -> &'static str {
        match self {
            FaultKind::TooManyRequests => "429",
            FaultKind::Unavailable => "503",
            FaultKind::Slow => "slow",
            FaultKind::DropConnection => "drop",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FaultKind {
    type Err = FaultConfigError;

    /// Accepts the canonical and the short names, case-insensitively, with `-` or `_`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_uppercase().replace('-', "_");
        let kind = match norm.as_str() {
            "429" | "TOO_MANY_REQUESTS" => FaultKind::TooManyRequests,
            "503" | "UNAVAILABLE" => FaultKind::Unavailable,
            "SLOW" => FaultKind::Slow,
            "DROP" | "DROP_CONNECTION" => FaultKind::DropConnection,
            _ => {
                return Err(FaultConfigError::new(format!(
                    "unknown fault kind {s:?}: expected one of TOO_MANY_REQUESTS (429), \
                     UNAVAILABLE (503), SLOW, DROP_CONNECTION (drop)"
                )))
            }
        };
        Ok(kind)
    }
}

impl Serialize for FaultKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for FaultKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a fault configuration was rejected; the message is meant for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultConfigError(String);

impl FaultConfigError {
    /// An error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FaultConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid fault config: {}", self.0)
    }
}

impl std::error::Error for FaultConfigError {}

/// What fails and how often.
///
/// The n-th request after the configuration is set (n = 0, 1, ...) gets a decision that depends
/// only on `seed`, `rate`, `kinds` and n (see [`FaultConfig::decision`]), so a run can be
/// replayed with the same seed.
///
/// As a command-line value (`FromStr`/`Display`):
/// `rate=0.2,seed=7,kinds=429+503+slow+drop,slow-ms=1500`. Only `rate` is required; `seed`
/// defaults to 0, `kinds` to all four, `slow-ms` to 2000. As JSON:
/// `{"rate":0.2,"seed":7,"kinds":["TOO_MANY_REQUESTS","UNAVAILABLE","SLOW","DROP_CONNECTION"],"slowMs":1500}`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Fraction of requests that fail, from 0 (none) to 1 (all).
    pub rate: f64,
    /// Seed of the deterministic choice.
    pub seed: u64,
    /// The faults to pick from (uniformly); never empty once validated.
    pub kinds: Vec<FaultKind>,
    /// Delay of the [`FaultKind::Slow`] fault.
    pub slow: Duration,
}

impl FaultConfig {
    /// A validated configuration.
    pub fn new(
        rate: f64,
        seed: u64,
        kinds: Vec<FaultKind>,
        slow: Duration,
    ) -> Result<Self, FaultConfigError> {
        let cfg = Self {
            rate,
            seed,
            kinds,
            slow,
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks the ranges: `rate` in 0..=1, at least one kind, `slow` at most [`MAX_SLOW`].
    pub fn validate(&self) -> Result<(), FaultConfigError> {
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(FaultConfigError::new(format!(
                "rate must be a number from 0 to 1, got {}",
                self.rate
            )));
        }
        if self.kinds.is_empty() {
            return Err(FaultConfigError::new("kinds must name at least one fault"));
        }
        if self.slow > MAX_SLOW {
            return Err(FaultConfigError::new(format!(
                "slow delay must be at most {} ms",
                MAX_SLOW.as_millis()
            )));
        }
        Ok(())
    }

    /// The decision for the n-th request: `None` to answer normally, or the fault to inject.
    pub fn decision(&self, n: u64) -> Option<FaultKind> {
        let x = splitmix64(self.seed ^ splitmix64(n));
        let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
        if self.kinds.is_empty() || unit >= self.rate {
            return None;
        }
        let index = splitmix64(x) % self.kinds.len() as u64;
        self.kinds.get(index as usize).copied()
    }

    /// The JSON form served by the admin endpoint.
    pub fn to_json(&self) -> Value {
        json!({
            "rate": self.rate,
            "seed": self.seed,
            "kinds": self.kinds,
            "slowMs": self.slow.as_millis() as u64,
        })
    }

    /// Parses and validates the JSON form; unknown fields are rejected.
    pub fn from_json(body: &[u8]) -> Result<Self, FaultConfigError> {
        let raw: JsonConfig = serde_json::from_slice(body)
            .map_err(|e| FaultConfigError::new(format!("bad JSON body: {e}")))?;
        Self::new(
            raw.rate,
            raw.seed.unwrap_or(0),
            raw.kinds.unwrap_or_else(|| FaultKind::ALL.to_vec()),
            raw.slow_ms.map_or(DEFAULT_SLOW, Duration::from_millis),
        )
    }
}

/// The JSON body of `PUT /_emulator/faults`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsonConfig {
    rate: f64,
    seed: Option<u64>,
    kinds: Option<Vec<FaultKind>>,
    slow_ms: Option<u64>,
}

impl FromStr for FaultConfig {
    type Err = FaultConfigError;

    /// Parses `rate=0.2,seed=7,kinds=429+503+slow+drop,slow-ms=1500` (see the type's docs).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut rate = None;
        let mut seed = 0;
        let mut kinds = FaultKind::ALL.to_vec();
        let mut slow = DEFAULT_SLOW;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                FaultConfigError::new(format!("expected key=value, got {part:?}"))
            })?;
            match key.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "rate" => rate = Some(parse_number::<f64>("rate", value)?),
                "seed" => seed = parse_number("seed", value)?,
                "kinds" => kinds = parse_kinds(value)?,
                "slow-ms" | "slowms" => {
                    slow = Duration::from_millis(parse_number("slow-ms", value)?)
                }
                other => {
                    return Err(FaultConfigError::new(format!(
                        "unknown key {other:?}: expected rate, seed, kinds or slow-ms"
                    )))
                }
            }
        }
        let rate = rate.ok_or_else(|| FaultConfigError::new("rate is required, e.g. rate=0.2"))?;
        Self::new(rate, seed, kinds, slow)
    }
}

impl fmt::Display for FaultConfig {
    /// The command-line form, which [`FromStr`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.short_name()).collect();
        write!(
            f,
            "rate={},seed={},kinds={},slow-ms={}",
            self.rate,
            self.seed,
            kinds.join("+"),
            self.slow.as_millis()
        )
    }
}

fn parse_number<T: FromStr>(key: &str, value: &str) -> Result<T, FaultConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| FaultConfigError::new(format!("{key} must be a number, got {value:?}")))
}

fn parse_kinds(value: &str) -> Result<Vec<FaultKind>, FaultConfigError> {
    value
        .split('+')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::parse)
        .collect()
}

/// SplitMix64: a fixed, well-mixed hash of a counter (stable across versions and platforms).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_cli_form() {
        let cfg: FaultConfig = "rate=0.2,seed=7,kinds=429+503+slow+drop,slow-ms=1500"
            .parse()
            .unwrap();
        assert_eq!(cfg.rate, 0.2);
        assert_eq!(cfg.seed, 7);
        assert_eq!(cfg.kinds, FaultKind::ALL.to_vec());
        assert_eq!(cfg.slow, Duration::from_millis(1500));
        assert_eq!(cfg.to_string().parse::<FaultConfig>().unwrap(), cfg);
    }

    #[test]
    fn defaults_and_aliases() {
        let cfg: FaultConfig = "rate=1,kinds=too-many-requests+DROP_CONNECTION"
            .parse()
            .unwrap();
        assert_eq!(cfg.seed, 0);
        assert_eq!(cfg.slow, DEFAULT_SLOW);
        assert_eq!(
            cfg.kinds,
            vec![FaultKind::TooManyRequests, FaultKind::DropConnection]
        );
    }

    #[test]
    fn rejects_bad_cli_values() {
        for bad in [
            "",
            "seed=1",
            "rate=2",
            "rate=-0.1",
            "rate=NaN",
            "rate=x",
            "rate=0.1,kinds=",
            "rate=0.1,kinds=500",
            "rate=0.1,colour=red",
            "rate",
            "rate=0.1,slow-ms=999999999",
        ] {
            let err = bad.parse::<FaultConfig>().unwrap_err();
            assert!(!err.message().is_empty(), "{bad}");
        }
    }

    #[test]
    fn json_round_trip_and_rejection() {
        let cfg = FaultConfig::from_json(br#"{"rate":0.5,"seed":7,"kinds":["SLOW"],"slowMs":10}"#)
            .unwrap();
        assert_eq!(cfg.kinds, vec![FaultKind::Slow]);
        let back = FaultConfig::from_json(cfg.to_json().to_string().as_bytes()).unwrap();
        assert_eq!(back, cfg);
        assert!(FaultConfig::from_json(br#"{"rate":0.5,"slow_ms":1}"#).is_err());
        assert!(FaultConfig::from_json(br#"{"seed":1}"#).is_err());
        assert!(FaultConfig::from_json(b"not json").is_err());
    }

    #[test]
    fn decisions_follow_the_rate() {
        let cfg = FaultConfig::new(0.3, 42, FaultKind::ALL.to_vec(), DEFAULT_SLOW).unwrap();
        let failed = (0..10_000).filter(|&n| cfg.decision(n).is_some()).count();
        assert!((2_700..3_300).contains(&failed), "{failed}");
        let none = FaultConfig {
            rate: 0.0,
            ..cfg.clone()
        };
        assert!((0..1_000).all(|n| none.decision(n).is_none()));
        let all = FaultConfig { rate: 1.0, ..cfg };
        assert!((0..1_000).all(|n| all.decision(n).is_some()));
    }
}
