//! What a [`WebhookHub`](super::WebhookHub) is configured with, and Wix's retry schedule.

use std::fmt;
use std::time::Duration;

use uuid::Uuid;

/// How long Wix waits between a failed delivery and each of its (up to 12) later tries: 1 min,
/// 10 min, 1 h, 2 h three times, 4 h three times, 8 h twice, 12 h.
pub const WIX_RETRY_SCHEDULE: [Duration; 12] = [
    Duration::from_secs(60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(3600),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(4 * 3600),
    Duration::from_secs(4 * 3600),
    Duration::from_secs(4 * 3600),
    Duration::from_secs(8 * 3600),
    Duration::from_secs(8 * 3600),
    Duration::from_secs(12 * 3600),
];

/// How long a receiver has to answer `200` before the attempt counts as failed: 1250 ms.
pub const DEFAULT_DELIVERY_TIMEOUT: Duration = Duration::from_millis(1250);

/// The app id the emulator's deliveries come from unless configured otherwise
/// (`identity.appId` of the events it emits).
pub const DEFAULT_APP_ID: Uuid = Uuid::from_u128(0x6f2e_0c5a_8d1b_4e7f_9a3c_2b5d_e0f1_a7c4);

/// The JWT header `kid` of the emulator's deliveries unless configured otherwise.
pub const DEFAULT_KEY_ID: &str = "wix-emulator";

/// How many delivery attempts the log keeps by default (the oldest are dropped first).
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// How many HTTP requests to subscribers may be in flight at once by default.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;

/// Configuration of the emulator's webhook deliveries.
///
/// Build it with struct update syntax:
///
/// ```
/// use std::time::Duration;
/// use wix_emulator_core::webhooks::WebhookConfig;
///
/// let config = WebhookConfig {
///     subscribers: vec!["http://127.0.0.1:3000/webhooks".into()],
///     retry_compression: 60_000.0, // 1 min becomes 1 ms
///     delivery_timeout: Duration::from_millis(300),
///     ..WebhookConfig::default()
/// };
/// assert_eq!(config.retry_delays()[0], Duration::from_millis(1));
/// ```
///
/// Its `Debug` output never shows the private key.
#[derive(Clone, PartialEq)]
pub struct WebhookConfig {
    /// URLs every event is POSTed to (`http` or `https`).
    pub subscribers: Vec<String>,
    /// Wix's retry schedule ([`WIX_RETRY_SCHEDULE`]) is divided by this: `60_000.0` turns 1 min
    /// into 1 ms. Default `1.0` (real time). Must be finite and greater than zero.
    pub retry_compression: f64,
    /// How long a receiver has to answer `200` ([`DEFAULT_DELIVERY_TIMEOUT`] by default).
    pub delivery_timeout: Duration,
    /// How many tries follow a failed first attempt, at most 12 (the default, as Wix).
    pub max_retries: usize,
    /// The app's RSA private key (PEM, PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`) that
    /// signs deliveries. `None` uses the built-in throwaway key, which is public and only fit
    /// for local testing.
    pub private_key_pem: Option<String>,
    /// The JWT header `kid` ([`DEFAULT_KEY_ID`] by default).
    pub key_id: String,
    /// The app's id: `identity.appId` of the events emitted without an explicit identity.
    pub app_id: Uuid,
    /// The envelope's `instanceId` for every site. `None` (the default) gives each site its own
    /// instance: the site id itself when it is a GUID, otherwise a random GUID kept for the life
    /// of the hub.
    pub instance_id: Option<Uuid>,
    /// How many attempts the delivery log keeps ([`DEFAULT_LOG_CAPACITY`] by default).
    pub log_capacity: usize,
    /// How many HTTP requests to subscribers may run at once
    /// ([`DEFAULT_MAX_CONCURRENT_REQUESTS`] by default). Waiting retries do not count.
    pub max_concurrent_requests: usize,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            subscribers: Vec::new(),
            retry_compression: 1.0,
            delivery_timeout: DEFAULT_DELIVERY_TIMEOUT,
            max_retries: WIX_RETRY_SCHEDULE.len(),
            private_key_pem: None,
            key_id: DEFAULT_KEY_ID.to_string(),
            app_id: DEFAULT_APP_ID,
            instance_id: None,
            log_capacity: DEFAULT_LOG_CAPACITY,
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
        }
    }
}

impl fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("subscribers", &self.subscribers)
            .field("retry_compression", &self.retry_compression)
            .field("delivery_timeout", &self.delivery_timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "private_key_pem",
                &self.private_key_pem.as_ref().map(|_| "<redacted>"),
            )
            .field("key_id", &self.key_id)
            .field("app_id", &self.app_id)
            .field("instance_id", &self.instance_id)
            .field("log_capacity", &self.log_capacity)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .finish()
    }
}

impl WebhookConfig {
    /// Whether [`retry_compression`](Self::retry_compression) is usable (finite, above zero).
    pub fn compression_is_valid(&self) -> bool {
        self.retry_compression.is_finite() && self.retry_compression > 0.0
    }

    /// The waits before each retry: the first [`max_retries`](Self::max_retries) entries of
    /// [`WIX_RETRY_SCHEDULE`], divided by [`retry_compression`](Self::retry_compression) (an
    /// unusable compression counts as `1.0`).
    pub fn retry_delays(&self) -> Vec<Duration> {
        let compression = if self.compression_is_valid() {
            self.retry_compression
        } else {
            1.0
        };
        WIX_RETRY_SCHEDULE
            .iter()
            .take(self.max_retries)
            .map(|delay| {
                Duration::try_from_secs_f64(delay.as_secs_f64() / compression)
                    .unwrap_or(Duration::MAX)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_is_wix_s() {
        let config = WebhookConfig::default();
        let delays = config.retry_delays();
        assert_eq!(delays.len(), 12);
        assert_eq!(delays[0], Duration::from_secs(60));
        assert_eq!(delays[11], Duration::from_secs(12 * 3600));
        let total: Duration = delays.iter().sum();
        assert_eq!(
            total,
            Duration::from_secs(60 + 600 + 3600 * (1 + 6 + 12 + 16 + 12))
        );
        assert_eq!(config.delivery_timeout, Duration::from_millis(1250));
    }

    #[test]
    fn compression_divides_the_schedule() {
        let config = WebhookConfig {
            retry_compression: 60_000.0,
            ..WebhookConfig::default()
        };
        let delays = config.retry_delays();
        assert_eq!(delays[0], Duration::from_millis(1));
        assert_eq!(delays[1], Duration::from_millis(10));
        assert_eq!(delays[11], Duration::from_millis(720));
    }

    #[test]
    fn unusable_compression_counts_as_real_time() {
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            let config = WebhookConfig {
                retry_compression: bad,
                ..WebhookConfig::default()
            };
            assert!(!config.compression_is_valid());
            assert_eq!(config.retry_delays()[0], Duration::from_secs(60));
        }
        let tiny = WebhookConfig {
            retry_compression: f64::MIN_POSITIVE,
            ..WebhookConfig::default()
        };
        assert_eq!(tiny.retry_delays()[0], Duration::MAX);
    }

    #[test]
    fn max_retries_truncates() {
        let config = WebhookConfig {
            max_retries: 2,
            ..WebhookConfig::default()
        };
        assert_eq!(config.retry_delays().len(), 2);
        let more = WebhookConfig {
            max_retries: 50,
            ..WebhookConfig::default()
        };
        assert_eq!(more.retry_delays().len(), 12);
    }

    #[test]
    fn debug_hides_the_private_key() {
        let config = WebhookConfig {
            private_key_pem: Some("-----BEGIN PRIVATE KEY-----\nSECRET\n".into()),
            ..WebhookConfig::default()
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("SECRET"));
        assert!(debug.contains("<redacted>"));
    }
}
