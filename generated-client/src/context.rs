//! Per-client state carried by the generated `Client`: who we are to Wix.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// Which Wix tenant a call acts on. Wix rejects calls that name both a site and an account, so
/// the type allows exactly one.
#[derive(Clone, PartialEq, Eq)]
pub enum Tenant {
    /// Site-level calls: sent as the `wix-site-id` header.
    Site(String),
    /// Account-level calls: sent as the `wix-account-id` header.
    Account(String),
}

impl fmt::Debug for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tenant::Site(id) => f.debug_tuple("Site").field(id).finish(),
            Tenant::Account(id) => f.debug_tuple("Account").field(id).finish(),
        }
    }
}

/// How calls authenticate. The secret never appears in `Debug` output or errors.
#[derive(Clone)]
pub struct Credentials {
    authorization: SecretString,
    tenant: Option<Tenant>,
}

impl Credentials {
    /// An API key for site-level calls.
    pub fn api_key_for_site(api_key: impl Into<String>, site_id: impl Into<String>) -> Self {
        Self::api_key(api_key, Some(Tenant::Site(site_id.into())))
    }

    /// An API key for account-level calls.
    pub fn api_key_for_account(api_key: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self::api_key(api_key, Some(Tenant::Account(account_id.into())))
    }

    /// An API key (or an OAuth access token, which travels the same way) with an optional tenant.
    pub fn api_key(api_key: impl Into<String>, tenant: Option<Tenant>) -> Self {
        Self {
            authorization: SecretString::from(api_key.into()),
            tenant,
        }
    }

    /// The tenant calls act on.
    pub fn tenant(&self) -> Option<&Tenant> {
        self.tenant.as_ref()
    }

    pub(crate) fn authorization(&self) -> &str {
        self.authorization.expose_secret()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("authorization", &"[redacted]")
            .field("tenant", &self.tenant)
            .finish()
    }
}

/// The state the generated `Client` carries (progenitor's "inner type"); the hand-written hooks
/// read it on every call.
#[derive(Debug, Clone, Default)]
pub struct ClientContext {
    credentials: Option<Credentials>,
}

impl ClientContext {
    /// A context that authenticates every call with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials: Some(credentials),
        }
    }

    /// A context that sends no authentication headers (for tests of the 401 path).
    pub fn unauthenticated() -> Self {
        Self::default()
    }

    /// The credentials, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }
}
