//! progenitor's `ClientHooks` for the generated `Client`: each hook is the runtime's
//! ([`wix_runtime::hooks`]), with the operation's retry strategy from the rule table.

use std::future::Future;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use wix_runtime::hooks;

use crate::generated::client::Client;
use crate::ClientContext;

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        hooks::authorize(self.inner(), self.client(), self.baseurl(), request)
            .await
            .map_err(progenitor_client::Error::Custom)
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        hooks::after_response(self.inner(), result).await;
        Ok(())
    }

    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        let strategy = crate::retry::strategy_of_generated(info.operation_id);
        hooks::exec(
            self.inner(),
            self.client(),
            request,
            info.operation_id,
            strategy,
        )
    }
}
