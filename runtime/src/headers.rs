//! The HTTP headers of Wix's platform that every client reads or writes.

use http::HeaderName;

/// Header in which Wix returns the id of a request; support needs it.
pub const REQUEST_ID_HEADER: &str = "x-wix-request-id";

/// [`REQUEST_ID_HEADER`] as a header name, made once: looking it up by text would check and
/// convert the text on every response.
pub static REQUEST_ID: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

/// Header naming the site a call acts on.
pub const SITE_ID_HEADER: &str = "wix-site-id";

/// Header naming the account a call acts on.
pub const ACCOUNT_ID_HEADER: &str = "wix-account-id";

/// The id `headers` carry in [`REQUEST_ID_HEADER`], if it is text.
pub fn request_id(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
