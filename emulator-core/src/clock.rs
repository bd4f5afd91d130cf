//! The emulator's clock: wall time plus an offset that tests move forward.
//!
//! The clock shows times from the Unix epoch to `latest()` (`9999-12-31T23:59:59.999Z`, the last
//! instant an RFC 3339 timestamp with a four-digit year can name, and so the last one Wix's
//! timestamps or an `expirationDate` can hold). [`Clock::try_advance`] refuses to move past it;
//! [`Clock::advance`] stops at it. No arithmetic here can overflow.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

/// Milliseconds since the epoch of `latest()`.
const LATEST_MS: i64 = 253_402_300_799_999;

/// The latest time the clock shows: `9999-12-31T23:59:59.999Z`.
pub fn latest() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(LATEST_MS).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A shared clock; clones see the same offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The emulator's current time, between the Unix epoch and `latest()`.
    pub fn now(&self) -> DateTime<Utc> {
        let ms = shown_ms(Utc::now().timestamp_millis(), self.offset_ms());
        DateTime::from_timestamp_millis(ms).unwrap_or_else(latest)
    }

    /// Moves the clock forward (or back, with a negative duration), stopping at `latest()` (or
    /// at the Unix epoch); returns the new offset.
    pub fn advance(&self, by: Duration) -> Duration {
        let step = by.num_milliseconds();
        let mut new_offset = 0;
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                let (lowest, highest) = offset_range(Utc::now().timestamp_millis());
                new_offset = offset.saturating_add(step).clamp(lowest, highest);
                Some(new_offset)
            });
        milliseconds(new_offset)
    }

    /// Moves the clock forward by `by` (not negative), or refuses and leaves it when the clock
    /// would then show a time past `latest()`; returns the new offset.
    pub fn try_advance(&self, by: Duration) -> Result<Duration, PastTheLatestTime> {
        let step = by.num_milliseconds().max(0);
        let mut new_offset = 0;
        let result = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                let wall = Utc::now().timestamp_millis();
                let next = offset.checked_add(step)?;
                (wall.checked_add(next)? <= LATEST_MS).then(|| {
                    new_offset = next;
                    next
                })
            });
        match result {
            Ok(_) => Ok(milliseconds(new_offset)),
            Err(_) => Err(PastTheLatestTime),
        }
    }

    /// How far the clock is ahead of wall time.
    pub fn offset(&self) -> Duration {
        milliseconds(self.offset_ms())
    }

    fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

/// The time shown, in milliseconds, for wall time `wall` and offset `offset`.
fn shown_ms(wall: i64, offset: i64) -> i64 {
    wall.saturating_add(offset).clamp(0, LATEST_MS)
}

/// The offsets that keep the clock between the epoch and `latest()` at wall time `wall`
/// (never an empty range: `LATEST_MS` is not negative).
fn offset_range(wall: i64) -> (i64, i64) {
    (0i64.saturating_sub(wall), LATEST_MS.saturating_sub(wall))
}

/// A duration of `ms` milliseconds (in range for every `i64` but `i64::MIN`, which saturates).
fn milliseconds(ms: i64) -> Duration {
    Duration::try_milliseconds(ms).unwrap_or(Duration::MIN)
}

/// An advance that would take the clock past the latest time it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastTheLatestTime;

impl std::fmt::Display for PastTheLatestTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the emulator's clock can't pass {}: advance it by less",
            latest().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        )
    }
}

impl std::error::Error for PastTheLatestTime {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_is_the_last_millisecond_of_year_9999() {
        assert_eq!(
            latest(),
            "9999-12-31T23:59:59.999Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn extreme_offsets_show_times_in_range() {
        assert_eq!(shown_ms(1, i64::MAX), LATEST_MS);
        assert_eq!(shown_ms(1, i64::MIN), 0);
        assert_eq!(milliseconds(i64::MIN), Duration::MIN);
    }

    #[test]
    fn advance_saturates_and_try_advance_refuses() {
        let clock = Clock::default();
        assert_eq!(clock.try_advance(Duration::MAX), Err(PastTheLatestTime));
        assert_eq!(clock.offset(), Duration::zero());
        clock.try_advance(Duration::hours(1)).unwrap();
        assert!(clock.offset() >= Duration::hours(1));
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), latest());
        assert!(clock.try_advance(Duration::milliseconds(1)).is_err());
        clock.advance(Duration::MIN);
        assert_eq!(clock.now(), DateTime::<Utc>::UNIX_EPOCH);
    }
}
