//! The emulator's clock: wall time plus an offset that tests move forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

/// A shared clock; clones see the same offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The emulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward (or back, with a negative duration); returns the new offset.
    pub fn advance(&self, by: Duration) -> Duration {
        let ms = by.num_milliseconds();
        Duration::milliseconds(self.offset_ms.fetch_add(ms, Ordering::SeqCst) + ms)
    }

    /// How far the clock is ahead of wall time.
    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }
}
