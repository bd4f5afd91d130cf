//! Why a client could not be built ([`BuildError`]), worded for where the setting was given
//! ([`Origin`]): the `WIX_*` environment variables or the builder's methods.

use std::fmt;

/// Where a setting of the client was given, so that a [`BuildError`] names what to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// In code: the client builder's methods, [`Credentials`](crate::context::Credentials) or
    /// [`Tenant`](crate::context::Tenant).
    Code,
    /// The `WIX_*` environment variables (the client builder's `from_env` and `from_vars`).
    Env,
}

/// The example in the messages about ids that are not GUIDs.
const GUID_EXAMPLE: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";

/// The variables of OAuth client credentials, which go together.
pub const OAUTH_VARS: [&str; 3] = ["WIX_APP_ID", "WIX_APP_SECRET", "WIX_INSTANCE_ID"];

/// Why a client could not be built. The message names what to set or change: the `WIX_*`
/// variables for a setting read from the environment ([`Origin::Env`]), the
/// client builder's methods for one given in code ([`Origin::Code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// Neither an API key nor OAuth client credentials were given.
    NoCredentials(Origin),
    /// An API key was given without the site or account the calls act on (OAuth client
    /// credentials need neither: their app instance names it).
    NoTenant(Origin),
    /// Some of `WIX_APP_ID`, `WIX_APP_SECRET` and `WIX_INSTANCE_ID` are set, not all: these
    /// are missing.
    IncompleteOAuth(Vec<&'static str>),
    /// Both a site id and an account id were given; Wix accepts one.
    SiteAndAccount(Origin),
    /// Both an API key and OAuth client credentials were given.
    ApiKeyAndOAuth(Origin),
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl(String, Origin),
    /// The HTTP client could not be created.
    Http(String),
    /// The site id is not a GUID.
    InvalidSiteId(String, Origin),
    /// The account id is not a GUID.
    InvalidAccountId(String, Origin),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Origin::{Code, Env};
        match self {
            BuildError::NoCredentials(Env) => write!(
                f,
                "no credentials: set WIX_API_KEY with WIX_SITE_ID or WIX_ACCOUNT_ID, or \
                 WIX_APP_ID, WIX_APP_SECRET and WIX_INSTANCE_ID"
            ),
            BuildError::NoCredentials(Code) => write!(
                f,
                "no credentials: call ClientBuilder::api_key with ClientBuilder::site_id or \
                 ClientBuilder::account_id, or ClientBuilder::oauth"
            ),
            BuildError::NoTenant(Env) => write!(
                f,
                "WIX_API_KEY is set without WIX_SITE_ID or WIX_ACCOUNT_ID: set one of them to \
                 the GUID of the site or account the calls act on"
            ),
            BuildError::NoTenant(Code) => write!(
                f,
                "an API key needs the site or account the calls act on: call \
                 ClientBuilder::site_id or ClientBuilder::account_id with its GUID"
            ),
            BuildError::IncompleteOAuth(missing) => write!(
                f,
                "incomplete OAuth client credentials: set {} too ({} go together)",
                and_list(missing),
                and_list(&OAUTH_VARS)
            ),
            BuildError::SiteAndAccount(Env) => write!(
                f,
                "both WIX_SITE_ID and WIX_ACCOUNT_ID are set; a call acts on exactly one: unset \
                 one of them"
            ),
            BuildError::SiteAndAccount(Code) => write!(
                f,
                "both a site id and an account id were given (ClientBuilder::site_id and \
                 ClientBuilder::account_id); a call acts on exactly one"
            ),
            BuildError::ApiKeyAndOAuth(Env) => write!(
                f,
                "both WIX_API_KEY and OAuth client credentials ({}) are set; unset one or the \
                 other",
                and_list(&OAUTH_VARS)
            ),
            BuildError::ApiKeyAndOAuth(Code) => write!(
                f,
                "both an API key and OAuth client credentials were given (ClientBuilder::api_key \
                 and ClientBuilder::oauth); choose one"
            ),
            BuildError::InvalidBaseUrl(url, origin) => write!(
                f,
                "invalid base URL {url:?}{}: expected an absolute http:// or https:// URL",
                given_in(*origin, "WIX_BASE_URL", "ClientBuilder::base_url")
            ),
            BuildError::Http(message) => write!(f, "HTTP client: {message}"),
            BuildError::InvalidSiteId(id, origin) => write!(
                f,
                "invalid site id {id:?}{}: expected a GUID such as {GUID_EXAMPLE}",
                given_in(*origin, "WIX_SITE_ID", "")
            ),
            BuildError::InvalidAccountId(id, origin) => write!(
                f,
                "invalid account id {id:?}{}: expected a GUID such as {GUID_EXAMPLE}",
                given_in(*origin, "WIX_ACCOUNT_ID", "")
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// ` in VAR` for a value read from the environment, ` (METHOD)` for one given in code (nothing
/// when `method` is empty: an id reaches the client through more than one method).
fn given_in(origin: Origin, var: &str, method: &str) -> String {
    match origin {
        Origin::Env => format!(" in {var}"),
        Origin::Code if method.is_empty() => String::new(),
        Origin::Code => format!(" ({method})"),
    }
}

/// `A`, `A and B`, `A, B and C`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
