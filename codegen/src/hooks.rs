//! The generated `Client`'s progenitor hooks: each is the runtime's ([`wix_runtime::hooks`]),
//! with the operation's retry strategy read from the generated rule table. The impl must sit
//! in the crate that defines `Client`, so it is generated rather than written by hand.

use proc_macro2::TokenStream;
use quote::quote;

use crate::rules;

/// `impl ClientHooks<ClientContext> for Client`.
pub fn client_hooks() -> TokenStream {
    let rules_path: TokenStream = rules::MODULE_PATH.parse().expect("a Rust path");
    quote! {
        impl ::progenitor_client::ClientHooks<::wix_runtime::context::ClientContext> for Client {
            async fn pre<E>(
                &self,
                request: &mut ::reqwest::Request,
                _info: &::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), ::progenitor_client::Error<E>> {
                ::wix_runtime::hooks::authorize(self.inner(), self.client(), self.baseurl(), request)
                    .await
                    .map_err(::progenitor_client::Error::Custom)
            }

            async fn post<E>(
                &self,
                result: &::reqwest::Result<::reqwest::Response>,
                _info: &::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), ::progenitor_client::Error<E>> {
                ::wix_runtime::hooks::after_response(self.inner(), result).await;
                Ok(())
            }

            fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<Output = ::reqwest::Result<::reqwest::Response>> {
                let strategy = #rules_path::operation_of_generated(info.operation_id)
                    .map_or(::wix_runtime::retry::RetryStrategy::Never, |op| op.retry.into());
                ::wix_runtime::hooks::exec(
                    self.inner(),
                    self.client(),
                    request,
                    info.operation_id,
                    strategy,
                )
            }
        }
    }
}
