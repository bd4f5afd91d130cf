//! progenitor's `ClientHooks` for the generated `Client`: adds the authentication headers
//! before each call and records the response's status and request id for error reporting.

use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::context::Tenant;
use crate::error::record_response;
use crate::generated::client::Client;
use crate::ClientContext;

/// Header naming the site a call acts on.
pub const SITE_ID_HEADER: &str = "wix-site-id";
/// Header naming the account a call acts on.
pub const ACCOUNT_ID_HEADER: &str = "wix-account-id";

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let Some(credentials) = self.inner().credentials() else {
            return Ok(());
        };
        let invalid = |what: &str| {
            progenitor_client::Error::InvalidRequest(format!(
                "{}: the {what} is not a valid HTTP header value",
                info.operation_id
            ))
        };
        let mut authorization =
            HeaderValue::from_str(credentials.authorization()).map_err(|_| invalid("API key"))?;
        authorization.set_sensitive(true);
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization);
        if let Some(tenant) = credentials.tenant() {
            let (name, id) = match tenant {
                Tenant::Site(id) => (SITE_ID_HEADER, id),
                Tenant::Account(id) => (ACCOUNT_ID_HEADER, id),
            };
            let value = HeaderValue::from_str(id).map_err(|_| invalid(name))?;
            headers.insert(HeaderName::from_static(name), value);
        }
        Ok(())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Ok(response) = result {
            record_response(response.status(), response.headers());
        }
        Ok(())
    }
}
