//! Per-client state carried by the generated `Client`: who we are to Wix.

use std::fmt;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

use crate::build_error::{BuildError, Origin};
use crate::retry::RetryPolicy;

/// How long before its expiry a cached OAuth access token is replaced.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Which Wix tenant a call acts on. Wix rejects calls that name both a site and an account, so
/// the type allows exactly one. Both ids are GUIDs; [`Tenant::site`] and [`Tenant::account`]
/// refuse anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenant {
    /// Site-level calls: sent as the `wix-site-id` header.
    Site(Uuid),
    /// Account-level calls: sent as the `wix-account-id` header.
    Account(Uuid),
}

impl Tenant {
    /// A site, from its id (a GUID such as `5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b`).
    pub fn site(id: impl AsRef<str>) -> Result<Self, BuildError> {
        parse_guid(id.as_ref())
            .map(Tenant::Site)
            .ok_or_else(|| BuildError::InvalidSiteId(id.as_ref().to_string(), Origin::Code))
    }

    /// An account, from its id (a GUID such as `5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b`).
    pub fn account(id: impl AsRef<str>) -> Result<Self, BuildError> {
        parse_guid(id.as_ref())
            .map(Tenant::Account)
            .ok_or_else(|| BuildError::InvalidAccountId(id.as_ref().to_string(), Origin::Code))
    }

    /// The header that names this tenant, and its value.
    fn header(&self) -> (HeaderName, HeaderValue) {
        let (name, id) = match self {
            Tenant::Site(id) => (crate::headers::SITE_ID_HEADER, id),
            Tenant::Account(id) => (crate::headers::ACCOUNT_ID_HEADER, id),
        };
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let value = HeaderValue::from_bytes(id.hyphenated().encode_lower(&mut text).as_bytes())
            .expect("a hyphenated GUID is a valid header value");
        (HeaderName::from_static(name), value)
    }
}

/// A GUID in its usual form, 36 characters with hyphens (any case); `None` for anything else.
fn parse_guid(text: &str) -> Option<Uuid> {
    if text.len() != uuid::fmt::Hyphenated::LENGTH {
        return None;
    }
    Uuid::try_parse(text).ok()
}

/// How calls authenticate. The secret never appears in `Debug` output or errors.
#[derive(Clone)]
pub struct Credentials {
    /// The API key as a sensitive header value, made once (`None` if it can't be one).
    authorization_header: Option<HeaderValue>,
    tenant: Option<Tenant>,
    /// The tenant's header, made once.
    tenant_header: Option<(HeaderName, HeaderValue)>,
    oauth: Option<Arc<OAuth>>,
}

impl Credentials {
    /// An API key for site-level calls; the site id must be a GUID.
    pub fn api_key_for_site(
        api_key: impl Into<String>,
        site_id: impl AsRef<str>,
    ) -> Result<Self, BuildError> {
        Ok(Self::api_key(api_key, Some(Tenant::site(site_id)?)))
    }

    /// An API key for account-level calls; the account id must be a GUID.
    pub fn api_key_for_account(
        api_key: impl Into<String>,
        account_id: impl AsRef<str>,
    ) -> Result<Self, BuildError> {
        Ok(Self::api_key(api_key, Some(Tenant::account(account_id)?)))
    }

    /// An API key (or an OAuth access token, which travels the same way) with an optional tenant.
    pub fn api_key(api_key: impl Into<String>, tenant: Option<Tenant>) -> Self {
        // Held as a secret (wiped when dropped) until it is a sensitive header value.
        let api_key = SecretString::from(api_key.into());
        let authorization_header =
            HeaderValue::from_str(api_key.expose_secret())
                .ok()
                .map(|mut value| {
                    value.set_sensitive(true);
                    value
                });
        Self {
            authorization_header,
            tenant_header: tenant.as_ref().map(Tenant::header),
            tenant,
            oauth: None,
        }
    }

    /// An app's OAuth client credentials: the client fetches an access token from
    /// `POST {base}/oauth2/token`, caches it and refreshes it before it expires.
    pub fn oauth(
        app_id: impl Into<String>,
        app_secret: impl Into<String>,
        instance_id: impl Into<String>,
    ) -> Self {
        Self {
            authorization_header: None,
            tenant: None,
            tenant_header: None,
            oauth: Some(Arc::new(OAuth {
                app_id: app_id.into(),
                app_secret: SecretString::from(app_secret.into()),
                instance_id: instance_id.into(),
                token: tokio::sync::Mutex::new(None),
                token_requests: AtomicU64::new(0),
            })),
        }
    }

    /// The OAuth client credentials, when calls authenticate with them.
    pub(crate) fn oauth_source(&self) -> Option<&OAuth> {
        self.oauth.as_deref()
    }

    /// The tenant calls act on.
    pub fn tenant(&self) -> Option<&Tenant> {
        self.tenant.as_ref()
    }

    /// Whom calls made with these credentials act for, as text: `site:<GUID>`,
    /// `account:<GUID>`, or `instance:<id>` for an app's OAuth client credentials (whose app
    /// instance names the site). Holds no secret; create-lock keys include it.
    pub fn acting_for(&self) -> String {
        match (&self.tenant, &self.oauth) {
            (Some(Tenant::Site(id)), _) => format!("site:{id}"),
            (Some(Tenant::Account(id)), _) => format!("account:{id}"),
            (None, Some(oauth)) => format!("instance:{}", oauth.instance_id()),
            (None, None) => "-".to_string(),
        }
    }

    /// The API key as a sensitive `Authorization` value, or `None` when it holds characters a
    /// header can't carry.
    pub(crate) fn authorization_header(&self) -> Option<&HeaderValue> {
        self.authorization_header.as_ref()
    }

    /// The tenant's header name and value.
    pub(crate) fn tenant_header(&self) -> Option<(&HeaderName, &HeaderValue)> {
        self.tenant_header
            .as_ref()
            .map(|(name, value)| (name, value))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("authorization", &"[redacted]")
            .field("tenant", &self.tenant)
            .field("oauth", &self.oauth)
            .finish()
    }
}

/// The state the generated `Client` carries (progenitor's "inner type"); the hand-written hooks
/// read it on every call.
///
/// A context made here sends each request once; opt in to retries with
/// [`with_retry_policy`](Self::with_retry_policy). A client's builder enables
/// [`RetryPolicy::default`].
#[derive(Debug, Clone)]
pub struct ClientContext {
    credentials: Option<Credentials>,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
}

impl Default for ClientContext {
    fn default() -> Self {
        Self {
            credentials: None,
            retry: RetryPolicy::disabled(),
            attempt_timeout: None,
        }
    }
}

impl ClientContext {
    /// A context that authenticates every call with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials: Some(credentials),
            ..Self::default()
        }
    }

    /// Replaces the retry policy of every call (default here: a single attempt).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy of every call, unless a call overrides it.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Ends each attempt after `timeout` (`None`, the default: only at the retry policy's
    /// deadline).
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The timeout of each attempt, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
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

/// An app's OAuth client credentials and its cached access token.
pub(crate) struct OAuth {
    app_id: String,
    app_secret: SecretString,
    instance_id: String,
    token: tokio::sync::Mutex<Option<CachedToken>>,
    token_requests: AtomicU64,
}

struct CachedToken {
    value: SecretString,
    refresh_at: tokio::time::Instant,
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("app_id", &self.app_id)
            .field("app_secret", &"[redacted]")
            .field("instance_id", &self.instance_id)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl OAuth {
    /// The app instance the credentials act for.
    pub(crate) fn instance_id(&self) -> &str {
        &self.instance_id
    }
}

impl OAuth {
    /// A valid access token: the cached one, or a new one from `POST {base}/oauth2/token`.
    /// Concurrent callers wait for one request instead of each making their own.
    pub(crate) async fn access_token(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<SecretString, String> {
        let mut slot = self.token.lock().await;
        if let Some(token) = slot.as_ref() {
            if tokio::time::Instant::now() < token.refresh_at {
                return Ok(token.value.clone());
            }
        }
        self.token_requests.fetch_add(1, Ordering::Relaxed);
        let body = serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": self.app_id,
            "client_secret": self.app_secret.expose_secret(),
            "instance_id": self.instance_id,
        });
        let url = format!("{}/oauth2/token", base_url.trim_end_matches('/'));
        let response = http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("OAuth token request failed: {}", e.without_url()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("OAuth token request failed: HTTP {status}"));
        }
        let token: TokenResponse = response
            .json()
            .await
            .map_err(|_| "OAuth token response is not the documented JSON".to_string())?;
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(0));
        let value = SecretString::from(token.access_token);
        *slot = Some(CachedToken {
            value: value.clone(),
            refresh_at: tokio::time::Instant::now() + lifetime.saturating_sub(TOKEN_REFRESH_MARGIN),
        });
        Ok(value)
    }

    /// Drops the cached token, so the next call fetches a new one.
    pub(crate) async fn invalidate(&self) {
        *self.token.lock().await = None;
    }

    /// How many token requests were made (for tests and metrics).
    pub(crate) fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::Relaxed)
    }
}

impl Credentials {
    /// How many OAuth token requests these credentials have made (0 for an API key).
    pub fn oauth_token_requests(&self) -> u64 {
        self.oauth.as_ref().map_or(0, |o| o.token_requests())
    }
}
