//! The emulator's own bounds on time and size. Wix publishes none of these, so they are chosen to
//! be generous for real use and small enough that no single caller can exhaust the process.

use std::time::Duration;

/// Default [`Limits::header_read_timeout`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`Limits::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`Limits::max_body_bytes`] (2 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 2 << 20;
/// Default [`Limits::max_namespace_bytes`] (64 KiB).
pub const DEFAULT_MAX_NAMESPACE_BYTES: usize = 64 << 10;
/// Default [`Limits::max_extended_fields_bytes`] (256 KiB).
pub const DEFAULT_MAX_EXTENDED_FIELDS_BYTES: usize = 256 << 10;

/// Time and size bounds of one emulator; set them with `EmulatorBuilder::limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a connection may take to send a request's head (request line and headers),
    /// counted from when the server starts waiting for it, idle keep-alive time included. The
    /// connection is closed when it runs out.
    pub header_read_timeout: Duration,
    /// How long a request's body may take to arrive once its head has; the answer is then
    /// `408` and the connection is closed.
    pub body_read_timeout: Duration,
    /// Largest request body; a larger one is answered `413`.
    pub max_body_bytes: usize,
    /// Largest data of one extended-fields namespace, as compact JSON.
    pub max_namespace_bytes: usize,
    /// Largest extended fields of one entity (every namespace, names included), as
    /// compact JSON.
    pub max_extended_fields_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_namespace_bytes: DEFAULT_MAX_NAMESPACE_BYTES,
            max_extended_fields_bytes: DEFAULT_MAX_EXTENDED_FIELDS_BYTES,
        }
    }
}
