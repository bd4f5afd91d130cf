//! [`WixClient`]: the high-level client. Built by [`ClientBuilder`] (API key and tenant, or an
//! app's OAuth client credentials; from code or environment variables), it validates inputs
//! before sending, retries what is safe to retry, follows query cursors as a stream, and wraps
//! the documented flows.
//!
//! Two ways to create, with different guarantees (see the README's "What create guarantees"):
//!
//! - [`WixClient::create`] sends one create. With a `source.externalId`, an attempt whose
//!   outcome is unknown is settled by a lookup, so **one call** never creates two requests;
//!   two calls create two.
//! - [`WixClient::create_once`] takes the `externalId` as an argument and creates a request
//!   only if none has it: the lookup and the create run under a lock on the `externalId`, in
//!   one process always, and across processes and replicas with a shared
//!   [`crate::create_lock::CreateLock`]. Repeated and concurrent calls with one
//!   `externalId` give one request.
//!
//! The low-level client it wraps stays reachable through [`WixClient::raw`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{Stream, TryStreamExt};
use progenitor_client::ClientInfo;
use secrecy::{ExposeSecret, SecretString};

use crate::context::{ClientContext, Credentials, Tenant};
use crate::create_lock::{CreateLock, LocalLocks, DEFAULT_LOCK_WAIT};
use crate::error::{ApplicationErrorCode, Error};
use crate::generated::client::types;
use crate::generated::enums::Status;
use crate::generated::error_codes::{
    BulkCreateOrderPaymentRequestsErrorCode, ChargeOrderPaymentRequestErrorCode,
    CreateOrderPaymentRequestErrorCode, DeleteOrderPaymentRequestErrorCode,
    GetOrderPaymentRequestErrorCode, GetOrderPaymentRequestUrlErrorCode,
    QueryOrderPaymentRequestsErrorCode, UpdateOrderPaymentRequestErrorCode,
    VoidOrderPaymentRequestErrorCode,
};
use crate::query::{Field, Query};
use crate::raw::Client;
use crate::retry::{self, RetryPolicy};
use crate::validate;
use wix_runtime::build_error::{BuildError, Origin, OAUTH_VARS};
use wix_runtime::retry::engine::Reconciled;
use wix_runtime::retry::{Budget, Deadline};

/// Wix's API host.
pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com";

/// A base URL without the trailing slashes the operation paths would double.
fn trim_base_url(url: String) -> String {
    url.trim_end_matches('/').to_string()
}

/// A setting of the builder and where it was given.
struct Given<T> {
    value: T,
    origin: Origin,
}

impl<T> Given<T> {
    fn code(value: T) -> Self {
        Self {
            value,
            origin: Origin::Code,
        }
    }

    fn env(value: T) -> Self {
        Self {
            value,
            origin: Origin::Env,
        }
    }
}

/// The origin to name for a conflict between two settings: the environment's only when both
/// were read from it.
fn both_from(a: Origin, b: Origin) -> Origin {
    if a == Origin::Env && b == Origin::Env {
        Origin::Env
    } else {
        Origin::Code
    }
}

struct OAuthConfig {
    app_id: String,
    app_secret: SecretString,
    instance_id: String,
}

/// Configures a [`WixClient`].
pub struct ClientBuilder {
    base_url: Given<String>,
    api_key: Option<Given<SecretString>>,
    site_id: Option<Given<String>>,
    account_id: Option<Given<String>>,
    oauth: Option<Given<OAuthConfig>>,
    /// The OAuth variables missing when some, not all, were set.
    oauth_missing: Vec<&'static str>,
    /// Where the credentials were to be given: the environment for a builder of
    /// [`ClientBuilder::from_vars`] (what [`BuildError::NoCredentials`] names).
    origin: Origin,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    create_lock: Option<Arc<dyn CreateLock>>,
    lock_wait: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = |g: &Option<Given<String>>| g.as_ref().map(|g| g.value.clone());
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.value)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("site_id", &value(&self.site_id))
            .field("account_id", &value(&self.account_id))
            .field(
                "oauth",
                &self
                    .oauth
                    .as_ref()
                    .map(|o| (&o.value.app_id, "[redacted]", &o.value.instance_id)),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: Given::code(DEFAULT_BASE_URL.to_string()),
            api_key: None,
            site_id: None,
            account_id: None,
            oauth: None,
            oauth_missing: Vec::new(),
            origin: Origin::Code,
            retry: RetryPolicy::default(),
            timeout: None,
            http: None,
            create_lock: None,
            lock_wait: DEFAULT_LOCK_WAIT,
        }
    }
}

impl ClientBuilder {
    /// A builder for `https://www.wixapis.com` with the default retry policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder from environment variables: `WIX_BASE_URL`, `WIX_API_KEY` with `WIX_SITE_ID`
    /// or `WIX_ACCOUNT_ID`, or `WIX_APP_ID`, `WIX_APP_SECRET` and `WIX_INSTANCE_ID` for OAuth.
    /// An empty variable counts as unset. [`build`](Self::build)'s errors name the variables
    /// to set or change.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        let mut builder = Self {
            origin: Origin::Env,
            ..Self::new()
        };
        if let Some(url) = var("WIX_BASE_URL") {
            builder.base_url = Given::env(trim_base_url(url));
        }
        builder.api_key = var("WIX_API_KEY").map(|key| Given::env(SecretString::from(key)));
        builder.site_id = var("WIX_SITE_ID").map(Given::env);
        builder.account_id = var("WIX_ACCOUNT_ID").map(Given::env);
        match OAUTH_VARS.map(var) {
            [Some(app_id), Some(app_secret), Some(instance_id)] => {
                builder.oauth = Some(Given::env(OAuthConfig {
                    app_id,
                    app_secret: SecretString::from(app_secret),
                    instance_id,
                }));
            }
            [None, None, None] => {}
            given => {
                builder.oauth_missing = OAUTH_VARS
                    .iter()
                    .zip(given)
                    .filter(|(_, value)| value.is_none())
                    .map(|(name, _)| *name)
                    .collect();
            }
        }
        builder
    }

    /// A lock shared with other processes that [`WixClient::create_once`] holds for each
    /// `externalId` (see [`crate::create_lock`]; [`open_lock`](crate::create_lock::open_lock)
    /// opens one from a URL). Without it, `create_once` is safe within this process only.
    pub fn create_lock(mut self, lock: Arc<dyn CreateLock>) -> Self {
        self.create_lock = Some(lock);
        self
    }

    /// How long [`WixClient::create_once`] waits for a key that another caller holds in the
    /// shared lock (default [`DEFAULT_LOCK_WAIT`]).
    pub fn create_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The API's base URL (default `https://www.wixapis.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Given::code(trim_base_url(url.into()));
        self
    }

    /// Authenticates with an API key; also set [`site_id`](Self::site_id) or
    /// [`account_id`](Self::account_id): [`build`](Self::build) refuses a key without either.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Given::code(SecretString::from(key.into())));
        self
    }

    /// Calls act on this site (`wix-site-id`); a GUID, checked by [`build`](Self::build).
    pub fn site_id(mut self, id: impl Into<String>) -> Self {
        self.site_id = Some(Given::code(id.into()));
        self
    }

    /// Calls act on this account (`wix-account-id`); a GUID, checked by
    /// [`build`](Self::build).
    pub fn account_id(mut self, id: impl Into<String>) -> Self {
        self.account_id = Some(Given::code(id.into()));
        self
    }

    /// Authenticates as an app instance with OAuth client credentials (the instance names the
    /// site: no site or account id is needed).
    pub fn oauth(
        mut self,
        app_id: impl Into<String>,
        app_secret: impl Into<String>,
        instance_id: impl Into<String>,
    ) -> Self {
        self.oauth = Some(Given::code(OAuthConfig {
            app_id: app_id.into(),
            app_secret: SecretString::from(app_secret.into()),
            instance_id: instance_id.into(),
        }));
        self.oauth_missing.clear();
        self
    }

    /// The retry policy of every call (default [`RetryPolicy::default`]). Override it for some
    /// calls with [`WixClient::with_retry_policy`] or [`RetryPolicy::scope`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A timeout for each attempt (default: none beyond the retry policy's deadline). It
    /// applies also with an HTTP client given to [`http_client`](Self::http_client); an
    /// attempt ends at the deadline in any case.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest::Client` (connection pool, proxies, TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client, or says why it cannot, before any request is sent: no credentials,
    /// an API key without a site or account id, a site or account id that is not a GUID,
    /// among others (see [`BuildError`]).
    pub fn build(self) -> Result<WixClient, BuildError> {
        let base_url = self.base_url.value;
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(BuildError::InvalidBaseUrl(base_url, self.base_url.origin));
        }
        let tenant = match (self.site_id, self.account_id) {
            (Some(site), Some(account)) => {
                return Err(BuildError::SiteAndAccount(both_from(
                    site.origin,
                    account.origin,
                )))
            }
            (Some(site), None) => Some(
                Tenant::site(&site.value)
                    .map_err(|_| BuildError::InvalidSiteId(site.value, site.origin))?,
            ),
            (None, Some(account)) => Some(
                Tenant::account(&account.value)
                    .map_err(|_| BuildError::InvalidAccountId(account.value, account.origin))?,
            ),
            (None, None) => None,
        };
        let credentials = match (self.api_key, self.oauth) {
            (Some(key), Some(oauth)) => {
                return Err(BuildError::ApiKeyAndOAuth(both_from(
                    key.origin,
                    oauth.origin,
                )))
            }
            (None, None) if !self.oauth_missing.is_empty() => {
                return Err(BuildError::IncompleteOAuth(self.oauth_missing))
            }
            (None, None) => return Err(BuildError::NoCredentials(self.origin)),
            (Some(key), None) => match tenant {
                Some(tenant) => Credentials::api_key(key.value.expose_secret(), Some(tenant)),
                None => return Err(BuildError::NoTenant(key.origin)),
            },
            // The app instance names the site; a site or account id given beside it was
            // checked above and is not sent.
            (None, Some(Given { value: o, .. })) => {
                Credentials::oauth(o.app_id, o.app_secret.expose_secret(), o.instance_id)
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                // Also bounds the OAuth token requests, which bypass the retry engine.
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|e| BuildError::Http(e.to_string()))?
            }
        };
        let context = ClientContext::new(credentials)
            .with_retry_policy(self.retry)
            .with_attempt_timeout(self.timeout);
        Ok(WixClient {
            raw: Arc::new(Client::new_with_client(&base_url, http, context)),
            create_lock: self.create_lock,
            lock_wait: self.lock_wait,
        })
    }
}

/// The high-level client of the Order Payment Requests API. Cheap to clone: clones share the
/// connection pool, the credentials and the cached OAuth token.
///
/// Built by [`ClientBuilder`] (API key and tenant, or an app's OAuth client credentials; from
/// code or environment variables), it validates inputs before sending, retries what is safe to
/// retry, follows query cursors as a stream, and wraps the documented flows.
///
/// Two ways to create, with different guarantees (see the README's "What create guarantees"):
///
/// - [`WixClient::create`] sends one create. With a `source.externalId`, an attempt whose
///   outcome is unknown is settled by a lookup, so **one call** never creates two requests;
///   two calls create two.
/// - [`WixClient::create_once`] takes the `externalId` as an argument and creates a request
///   only if none has it: the lookup and the create run under a lock on the `externalId`, in
///   one process always, and across processes and replicas with a shared
///   [`crate::create_lock::CreateLock`]. Repeated and concurrent calls with one
///   `externalId` give one request.
///
/// The low-level [`raw::Client`](crate::raw::Client) it wraps is [`WixClient::raw`], with the
/// same authentication and retries.
///
/// Retries follow the client's [`RetryPolicy`]; for some calls use another one with
/// [`with_retry_policy`](Self::with_retry_policy) (a copy of the client) or
/// [`RetryPolicy::scope`] (every call made while a future runs):
///
/// ```no_run
/// use wix_order_payment_requests::{RetryPolicy, WixClient};
///
/// # async fn demo(wix: WixClient, id: uuid::Uuid) -> Result<(), Box<dyn std::error::Error>> {
/// let once = wix.with_retry_policy(RetryPolicy::disabled());
/// let request = once.get(id).await?; // a single attempt
/// # let _ = request; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct WixClient {
    raw: Arc<Client>,
    create_lock: Option<Arc<dyn CreateLock>>,
    lock_wait: Duration,
}

fn invalid<C: ApplicationErrorCode>(
    violations: Vec<types::FieldViolation>,
) -> Result<(), Error<C>> {
    let operation_id = C::OPERATION_ID;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidRequest {
            operation_id,
            violations,
        })
    }
}

impl WixClient {
    /// A [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from environment variables (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self, BuildError> {
        ClientBuilder::from_env().build()
    }

    /// Wraps a generated client.
    pub fn from_raw(raw: Client) -> Self {
        Self {
            raw: Arc::new(raw),
            create_lock: None,
            lock_wait: DEFAULT_LOCK_WAIT,
        }
    }

    /// A copy of this client whose [`create_once`](Self::create_once) also holds `lock`, shared
    /// with other processes, for each `externalId` (see [`crate::create_lock`]); it waits at
    /// most `wait` for a key another caller holds. The copy shares the connection pool and
    /// credentials.
    pub fn with_create_lock(&self, lock: Arc<dyn CreateLock>, wait: Duration) -> Self {
        Self {
            create_lock: Some(lock),
            lock_wait: wait,
            ..self.clone()
        }
    }

    /// A copy of this client whose calls use `policy` instead of the client's retry policy
    /// (attempts, backoff, total deadline). The copy shares the connection pool, credentials
    /// and OAuth token cache; this client is unchanged. A [`RetryPolicy::scope`] around a call
    /// still takes precedence.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        let mut raw = Client::clone(&self.raw);
        raw.inner = raw.inner.with_retry_policy(policy);
        Self {
            raw: Arc::new(raw),
            ..self.clone()
        }
    }

    /// The retry policy this client's calls use outside a [`RetryPolicy::scope`].
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.raw.inner().retry_policy()
    }

    /// The generated client, with the same authentication, retries and tracing.
    pub fn raw(&self) -> &Client {
        &self.raw
    }

    /// Creates an order payment request and returns it with its payment page URL
    /// ([`Created`]: `created.request`, `created.url`).
    ///
    /// The required fields (`orderId`, `amount`, `title`) are plain fields of
    /// [`types::NewOrderPaymentRequest`] ([`types::NewOrderPaymentRequest::new`]).
    ///
    /// What the answer means (see the README's "What create guarantees"):
    ///
    /// - `Ok`: the request exists, once, and the answer carries it and its payment page URL
    ///   (fetched when the API's answer lacked it).
    /// - [`Error::OutcomeUnknown`]: the last attempt's outcome is unknown (dropped connection,
    ///   timeout, 500/502/503/504) and the client could not find out: the request had no
    ///   `source.externalId`, or looking it up failed within the deadline. It may exist: look
    ///   it up with [`find_by_external_id`](Self::find_by_external_id) before creating it
    ///   again.
    /// - [`Error::UrlUnknown`]: the request exists (the error carries it) but its URL could not
    ///   be fetched within the deadline; fetch it with [`get_url`](Self::get_url).
    /// - any other error: the request was not created.
    ///
    /// Retries follow the call's [`RetryPolicy`] like every other operation (at most
    /// `max_attempts`, `Retry-After` or the backoff, all within the total deadline, lookups
    /// included), with create's strategy ([`retry::RetryStrategy::Reconcile`]): a `429` or a
    /// refused connection is tried again at once; after an unknown outcome the request is
    /// first looked up by `source.externalId`, and the one found is returned; it is sent
    /// again only when the lookup proves it absent. One call never creates two requests.
    pub async fn create(
        &self,
        order_payment_request: types::NewOrderPaymentRequest,
    ) -> Result<Created, Error<CreateOrderPaymentRequestErrorCode>> {
        let body = types::CreateOrderPaymentRequestRequest {
            order_payment_request,
        };
        invalid(validate::create(&body))?;
        let external_id = body
            .order_payment_request
            .source
            .as_ref()
            .and_then(|s| s.external_id.as_ref())
            .cloned();
        let policy = wix_runtime::retry::effective(self.raw.inner().retry_policy());
        wix_runtime::retry::engine::run_call(
            &policy,
            retry::strategy(CreateOrderPaymentRequestErrorCode::OPERATION_ID),
            |deadline| self.create_attempt(body.clone(), external_id.as_ref(), deadline),
            |outcome, deadline| self.look_up_created(external_id.as_ref(), outcome, deadline),
        )
        .await
        .map(Created::from)
    }

    /// One create attempt within `deadline`, completed with the payment URL when the API's
    /// answer carries the created request without it (the answer breaks the spec's guarantee,
    /// but the request exists: reporting a failure would invite a duplicate); a success whose
    /// body cannot be read at all is settled by a lookup by `external_id`.
    async fn create_attempt(
        &self,
        body: types::CreateOrderPaymentRequestRequest,
        external_id: Option<&types::SourceExternalId>,
        deadline: Deadline,
    ) -> Result<types::CreateOrderPaymentRequestResponse, Error<CreateOrderPaymentRequestErrorCode>>
    {
        let send = self.raw.create_order_payment_request().body(body).send();
        match deadline.run(send).await {
            Ok(answer) => Ok(answer.into_inner()),
            Err(error) => match created_without_url(&error) {
                Some(request) => self.with_url(request, &deadline).await,
                None if is_unreadable_success(&error) => {
                    self.settle_unreadable_success(external_id, error, deadline)
                        .await
                }
                None => Err(error),
            },
        }
    }

    /// A create the API answered with success but a body that breaks the spec's guarantees:
    /// the request was stored, so the answer is looked up by `external_id` (never "not
    /// created", which would invite a duplicate). Not found, or nothing to look up by:
    /// [`Error::OutcomeUnknown`] carrying the unreadable answer.
    async fn settle_unreadable_success(
        &self,
        external_id: Option<&types::SourceExternalId>,
        unreadable: Error<CreateOrderPaymentRequestErrorCode>,
        deadline: Deadline,
    ) -> Result<types::CreateOrderPaymentRequestResponse, Error<CreateOrderPaymentRequestErrorCode>>
    {
        match self
            .look_up_created(external_id, Err(unreadable), deadline)
            .await
        {
            Reconciled::Answer(answer) => answer,
            Reconciled::Absent(Ok(answer)) => Ok(answer),
            Reconciled::Absent(Err(attempt)) => Err(Error::OutcomeUnknown {
                operation_id: CreateOrderPaymentRequestErrorCode::OPERATION_ID,
                external_id: external_id.map(|id| id.to_string()),
                attempt: Box::new(attempt),
                lookup: None,
            }),
        }
    }

    /// The lookup after a create attempt whose outcome is unknown: the request found by
    /// `external_id`, with its URL; proof that it is absent (the attempt's own error, which
    /// may be repeated); or [`Error::OutcomeUnknown`] when the lookup cannot run.
    async fn look_up_created(
        &self,
        external_id: Option<&types::SourceExternalId>,
        attempt: Result<
            types::CreateOrderPaymentRequestResponse,
            Error<CreateOrderPaymentRequestErrorCode>,
        >,
        deadline: Deadline,
    ) -> Reconciled<
        Result<types::CreateOrderPaymentRequestResponse, Error<CreateOrderPaymentRequestErrorCode>>,
    > {
        let attempt = match attempt {
            Ok(created) => return Reconciled::Answer(Ok(created)),
            Err(error) => error,
        };
        let unknown = |lookup: Option<Box<dyn std::error::Error + Send + Sync>>, attempt| {
            Reconciled::Answer(Err(Error::OutcomeUnknown {
                operation_id: CreateOrderPaymentRequestErrorCode::OPERATION_ID,
                external_id: external_id.map(|id| id.to_string()),
                attempt: Box::new(attempt),
                lookup,
            }))
        };
        let Some(external_id) = external_id else {
            return unknown(None, attempt);
        };
        tracing::info!("create outcome unknown; looking it up by externalId");
        match deadline.run(self.find_by_external_id(external_id)).await {
            Ok(None) => Reconciled::Absent(Err(attempt)),
            Ok(Some(found)) => Reconciled::Answer(self.with_url(found, &deadline).await),
            Err(lookup) => {
                tracing::warn!(error = %lookup, "lookup by externalId failed");
                unknown(Some(Box::new(lookup)), attempt)
            }
        }
    }

    /// A created `request` with its payment page URL, fetched within `deadline`; or
    /// [`Error::UrlUnknown`], which carries the request.
    async fn with_url(
        &self,
        request: types::OrderPaymentRequest,
        deadline: &Deadline,
    ) -> Result<types::CreateOrderPaymentRequestResponse, Error<CreateOrderPaymentRequestErrorCode>>
    {
        let fetched = deadline
            .run(self.get_url(request.id))
            .await
            .map_err(|e| e.to_string());
        match fetched {
            Ok(url) => Ok(types::CreateOrderPaymentRequestResponse {
                order_payment_request: request,
                order_payment_request_url: url,
            }),
            Err(reason) => Err(Error::UrlUnknown {
                operation_id: CreateOrderPaymentRequestErrorCode::OPERATION_ID,
                entity_id: format!("order payment request {}", request.id),
                entity: Box::new(request),
                reason,
            }),
        }
    }

    /// Creates up to 100 order payment requests; each carries its `source.externalId`
    /// ([`types::NewBulkOrderPaymentRequest::new`]).
    pub async fn bulk_create(
        &self,
        order_payment_requests: Vec<types::NewBulkOrderPaymentRequest>,
        return_entity: bool,
    ) -> Result<
        types::BulkCreateOrderPaymentRequestsResponse,
        Error<BulkCreateOrderPaymentRequestsErrorCode>,
    > {
        let body = types::BulkCreateOrderPaymentRequestsRequest {
            order_payment_requests,
            return_entity,
        };
        invalid(validate::bulk_create(&body))?;
        Ok(self
            .raw
            .bulk_create_order_payment_requests()
            .body(body)
            .send()
            .await?
            .into_inner())
    }

    /// Retrieves an order payment request.
    pub async fn get(
        &self,
        id: uuid::Uuid,
    ) -> Result<types::OrderPaymentRequest, Error<GetOrderPaymentRequestErrorCode>> {
        let response = self
            .raw
            .get_order_payment_request()
            .order_payment_request_id(id)
            .send()
            .await?
            .into_inner();
        Ok(response.order_payment_request)
    }

    /// Updates an order payment request: `patch` holds only the fields to change
    /// ([`types::OrderPaymentRequestPatch::new`]); the path and `orderPaymentRequest.id` are both
    /// set from `id`.
    pub async fn update(
        &self,
        id: uuid::Uuid,
        mut patch: types::OrderPaymentRequestPatch,
    ) -> Result<types::OrderPaymentRequest, Error<UpdateOrderPaymentRequestErrorCode>> {
        patch.id = id;
        let body = types::UpdateOrderPaymentRequestRequest {
            order_payment_request: patch,
        };
        invalid(validate::update(id, &body))?;
        let response = self
            .raw
            .update_order_payment_request()
            .order_payment_request_id(id)
            .body(body)
            .send()
            .await?
            .into_inner();
        Ok(response.order_payment_request)
    }

    /// Deletes an order payment request (any status but `PAID`).
    pub async fn delete(
        &self,
        id: uuid::Uuid,
    ) -> Result<(), Error<DeleteOrderPaymentRequestErrorCode>> {
        self.raw
            .delete_order_payment_request()
            .order_payment_request_id(id)
            .send()
            .await?;
        Ok(())
    }

    /// Voids an `UNPAID` order payment request (voiding a voided one succeeds).
    pub async fn void(
        &self,
        id: uuid::Uuid,
    ) -> Result<(), Error<VoidOrderPaymentRequestErrorCode>> {
        self.raw
            .void_order_payment_request()
            .body(types::VoidOrderPaymentRequestRequest {
                order_payment_request_id: id,
            })
            .send()
            .await?;
        Ok(())
    }

    /// Charges an order payment request with a Wix Cashier payment token; returns the
    /// `paymentResponseToken` to pass to `paymentsApi.continuePayment()`.
    pub async fn charge(
        &self,
        id: uuid::Uuid,
        payment_token: &str,
    ) -> Result<Option<String>, Error<ChargeOrderPaymentRequestErrorCode>> {
        invalid(validate::payment_token(payment_token))?;
        let token = payment_token.parse().map_err(|_| Error::InvalidRequest {
            operation_id: ChargeOrderPaymentRequestErrorCode::OPERATION_ID,
            violations: vec![validate::violation(
                "paymentToken",
                "FORMAT",
                "is not a valid payment token",
            )],
        })?;
        let response = self
            .raw
            .charge_order_payment_request()
            .body(types::ChargeOrderPaymentRequestRequest {
                order_payment_request_id: id,
                payment_token: Some(token),
            })
            .send()
            .await?
            .into_inner();
        Ok(response.payment_response_token.map(|t| t.to_string()))
    }

    /// The payment page URL of an order payment request.
    pub async fn get_url(
        &self,
        id: uuid::Uuid,
    ) -> Result<types::PaymentPageUrl, Error<GetOrderPaymentRequestUrlErrorCode>> {
        let response = self
            .raw
            .get_order_payment_request_url()
            .body(types::GetOrderPaymentRequestUrlRequest {
                order_payment_request_id: id,
            })
            .send()
            .await?
            .into_inner();
        Ok(response.order_payment_request_url)
    }

    /// A query; run it with [`QueryRun::first_page`], [`QueryRun::pages`] or
    /// [`QueryRun::stream`].
    pub fn query(&self, query: Query) -> QueryRun {
        QueryRun {
            client: self.clone(),
            query,
        }
    }

    /// The order's `UNPAID` payment requests, newest first: the first step of the "retrieve
    /// and resend a payment link" flow (then [`get_url`](Self::get_url)).
    pub async fn find_unpaid_for_order(
        &self,
        order_id: uuid::Uuid,
    ) -> Result<Vec<types::OrderPaymentRequest>, Error<QueryOrderPaymentRequestsErrorCode>> {
        self.query(
            Query::new()
                .filter(Field::OrderId.eq(order_id))
                .filter(Field::Status.eq(Status::Unpaid))
                .sort_desc(Field::CreatedDate),
        )
        .stream()
        .try_collect()
        .await
    }

    /// The order payment request with this `source.externalId`, if any. When several have
    /// it (created by calls that were not [`create_once`](Self::create_once)), the oldest is
    /// returned and a warning is logged; [`find_all_by_external_id`](Self::find_all_by_external_id)
    /// returns them all.
    pub async fn find_by_external_id(
        &self,
        external_id: &types::SourceExternalId,
    ) -> Result<Option<types::OrderPaymentRequest>, Error<QueryOrderPaymentRequestsErrorCode>> {
        let page = self
            .query(
                Query::new()
                    .filter(Field::SourceExternalId.eq(external_id.as_str()))
                    .sort_asc(Field::CreatedDate)
                    .limit(2),
            )
            .first_page()
            .await?;
        let mut found = page.order_payment_requests.into_iter();
        let oldest = found.next();
        if found.next().is_some() {
            tracing::warn!(
                external_id = external_id.as_str(),
                "several order payment requests have this externalId; using the oldest"
            );
        }
        Ok(oldest)
    }

    /// Every order payment request with this `source.externalId`, oldest first. More than one
    /// means it was created more than once (not through [`create_once`](Self::create_once)):
    /// a customer could pay each of them.
    pub async fn find_all_by_external_id(
        &self,
        external_id: &types::SourceExternalId,
    ) -> Result<Vec<types::OrderPaymentRequest>, Error<QueryOrderPaymentRequestsErrorCode>> {
        self.query(
            Query::new()
                .filter(Field::SourceExternalId.eq(external_id.as_str()))
                .sort_asc(Field::CreatedDate),
        )
        .stream()
        .try_collect()
        .await
    }

    /// Creates an order payment request with `source.externalId` = `external_id` unless one
    /// already has it, and returns the request, its payment page URL and whether this call
    /// created it ([`CreatedOnce`]).
    ///
    /// The lookup by `externalId` and the create run under a lock on (base URL, tenant,
    /// `externalId`): calls in this process run one at a time per key, whichever
    /// [`WixClient`] makes them; with a shared lock
    /// ([`ClientBuilder::create_lock`], [`crate::create_lock`]) so do calls in other processes
    /// and replicas. So repeated and concurrent calls with one `externalId` yield one request.
    ///
    /// `order_payment_request.source.externalId` may be left empty (it is set here) or equal
    /// `external_id`; another value is refused before anything is sent.
    ///
    /// Errors: [`Error::NotSent`] when the shared lock or the lookup failed (nothing was
    /// created: calling again is safe); [`Error::UrlUnknown`] when the request exists but its
    /// URL could not be fetched; otherwise what [`create`](Self::create) returns.
    ///
    /// ```no_run
    /// # use wix_order_payment_requests::{types, WixClient};
    /// # async fn demo(client: WixClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let invoice = "invoice-10052".parse()?;
    /// let request = types::NewOrderPaymentRequest::new(
    ///     "a931e280-254a-49a7-9641-22ef64c444ae".parse()?,
    ///     "15.50".parse()?,
    ///     "Balance Due for Order #10052".parse()?,
    /// );
    /// // On every "order placed" for this invoice: one payment request, one link.
    /// let once = client.create_once(&invoice, request).await?;
    /// println!("{} ({}): {}", once.request.id, if once.created { "new" } else { "existing" }, once.url);
    /// # Ok(()) }
    /// ```
    pub async fn create_once(
        &self,
        external_id: &types::SourceExternalId,
        mut order_payment_request: types::NewOrderPaymentRequest,
    ) -> Result<CreatedOnce, Error<CreateOrderPaymentRequestErrorCode>> {
        const OPERATION_ID: &str = CreateOrderPaymentRequestErrorCode::OPERATION_ID;
        let source = order_payment_request
            .source
            .get_or_insert_with(Default::default);
        match &source.external_id {
            Some(given) if given != external_id => {
                return Err(Error::InvalidRequest {
                    operation_id: OPERATION_ID,
                    violations: vec![validate::violation(
                        "orderPaymentRequest.source.externalId",
                        "FORMAT",
                        format!(
                            "{:?} differs from the externalId {:?} create_once was given",
                            given.as_str(),
                            external_id.as_str()
                        ),
                    )],
                })
            }
            _ => source.external_id = Some(external_id.clone()),
        }
        invalid(validate::create(&types::CreateOrderPaymentRequestRequest {
            order_payment_request: order_payment_request.clone(),
        }))?;

        let key = self.create_lock_key(external_id);
        let _in_process = LocalLocks::global().lock(&key).await;
        let shared = match &self.create_lock {
            None => None,
            Some(lock) => {
                Some(
                    lock.acquire(&key, self.lock_wait)
                        .await
                        .map_err(|e| Error::NotSent {
                            operation_id: OPERATION_ID,
                            reason: "the create lock could not be taken",
                            source: Box::new(e),
                        })?,
                )
            }
        };
        let outcome = self
            .find_or_create(external_id, order_payment_request)
            .await;
        if let Some(guard) = shared {
            if let Err(error) = guard.release().await {
                tracing::warn!(%error, "the create lock could not be released; it will lapse");
            }
        }
        outcome
    }

    /// The request with `external_id` and its URL, or a new one: the part of
    /// [`create_once`](Self::create_once) that runs under its locks.
    async fn find_or_create(
        &self,
        external_id: &types::SourceExternalId,
        order_payment_request: types::NewOrderPaymentRequest,
    ) -> Result<CreatedOnce, Error<CreateOrderPaymentRequestErrorCode>> {
        let found = self
            .find_by_external_id(external_id)
            .await
            .map_err(|e| Error::NotSent {
                operation_id: CreateOrderPaymentRequestErrorCode::OPERATION_ID,
                reason: "the lookup by externalId failed",
                source: Box::new(e),
            })?;
        if let Some(existing) = found {
            let policy = wix_runtime::retry::effective(self.raw.inner().retry_policy());
            let deadline = Budget::start(&policy).step(&policy);
            let answer = self.with_url(existing, &deadline).await?;
            return Ok(CreatedOnce {
                request: answer.order_payment_request,
                url: answer.order_payment_request_url,
                created: false,
            });
        }
        let created = self.create(order_payment_request).await?;
        Ok(CreatedOnce {
            request: created.request,
            url: created.url,
            created: true,
        })
    }

    /// The key [`create_once`](Self::create_once) locks for `external_id`: the API's base
    /// URL, the tenant and the id (`https://www.wixapis.com|site:<GUID>|invoice-10052`), so
    /// that two sites, or an emulator and Wix, never wait for each other. Code of your own
    /// that must not run beside a `create_once` for this id can hold the same key.
    pub fn create_lock_key(&self, external_id: &types::SourceExternalId) -> String {
        let tenant = self
            .raw
            .inner()
            .credentials()
            .map_or_else(|| "-".to_string(), Credentials::acting_for);
        format!("{}|{tenant}|{}", self.raw.baseurl(), external_id.as_str())
    }
}

/// The created request of a create answer that lacks its payment URL: a 2xx whose body
/// breaks the spec only by the missing `orderPaymentRequestUrl`.
/// Whether `error` is a success status whose body could not be read as the operation's answer.
fn is_unreadable_success(error: &Error<CreateOrderPaymentRequestErrorCode>) -> bool {
    matches!(error, Error::InvalidResponse { status, .. } if status.is_success())
}

fn created_without_url(
    error: &Error<CreateOrderPaymentRequestErrorCode>,
) -> Option<types::OrderPaymentRequest> {
    let Error::InvalidResponse { status, body, .. } = error else {
        return None;
    };
    if !status.is_success() {
        return None;
    }
    let answer: types::GetOrderPaymentRequestResponse = serde_json::from_slice(body).ok()?;
    Some(answer.order_payment_request)
}

/// A created order payment request and its payment page URL: the answer of
/// [`WixClient::create`].
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The created request, as the API returns it.
    pub request: types::OrderPaymentRequest,
    /// Its payment page URL, to send to the customer.
    pub url: types::PaymentPageUrl,
}

impl From<types::CreateOrderPaymentRequestResponse> for Created {
    fn from(answer: types::CreateOrderPaymentRequestResponse) -> Self {
        Self {
            request: answer.order_payment_request,
            url: answer.order_payment_request_url,
        }
    }
}

/// The answer of [`WixClient::create_once`]: the request with the `externalId`, its payment
/// page URL, and whether this call created it.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedOnce {
    /// The request, as the API returns it.
    pub request: types::OrderPaymentRequest,
    /// Its payment page URL, to send to the customer.
    pub url: types::PaymentPageUrl,
    /// `true` when this call created it; `false` when it existed already.
    pub created: bool,
}

/// A query ready to run.
#[derive(Debug, Clone)]
pub struct QueryRun {
    client: WixClient,
    query: Query,
}

impl QueryRun {
    async fn fetch(
        &self,
        body: types::CursorQuery,
    ) -> Result<types::QueryOrderPaymentRequestsResponse, Error<QueryOrderPaymentRequestsErrorCode>>
    {
        invalid(validate::query(&body))?;
        Ok(self
            .client
            .raw
            .query_order_payment_requests()
            .body(types::QueryOrderPaymentRequestsRequest { query: body })
            .send()
            .await?
            .into_inner())
    }

    /// The first page only.
    pub async fn first_page(
        &self,
    ) -> Result<types::QueryOrderPaymentRequestsResponse, Error<QueryOrderPaymentRequestsErrorCode>>
    {
        self.fetch(self.query.to_cursor_query()).await
    }

    /// Every page, following `pagingMetadata.cursors.next`. Stops after a page with
    /// `hasNext == false` or no next cursor, when a cursor repeats, or after yielding an error.
    pub fn pages(
        self,
    ) -> impl Stream<
        Item = Result<
            types::QueryOrderPaymentRequestsResponse,
            Error<QueryOrderPaymentRequestsErrorCode>,
        >,
    > + Send {
        let query = self.query.clone();
        wix_runtime::paging::pages(query, move |body| {
            let run = self.clone();
            async move { run.fetch(body).await }
        })
    }

    /// Every matching order payment request, page after page. Items already yielded stay
    /// yielded when a later page fails; the error is the stream's last item.
    pub fn stream(
        self,
    ) -> impl Stream<
        Item = Result<types::OrderPaymentRequest, Error<QueryOrderPaymentRequestsErrorCode>>,
    > + Send {
        wix_runtime::paging::items(self.pages())
    }
}
