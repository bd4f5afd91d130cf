//! Times as the inbox and the create locks keep them: whole milliseconds since the Unix epoch,
//! which every process compares alike.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The current time in milliseconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, of)
}

/// `duration` in whole milliseconds, saturating.
pub fn of(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
