//! Query: the WQL subset of this API over the caller's payment requests.

use axum::extract::State;
use serde_json::Value;
use wix_order_payment_requests::types;

use super::checked::{self, Checked};
use super::JsonReply;
use crate::http::extract::Caller;
use crate::state::Shared;
use wix_emulator_core::api_error::ApiError;
use wix_emulator_core::wql::Query;

/// `POST /ecom/v1/order-payment-requests/query`.
pub async fn query(
    State(state): State<Shared>,
    caller: Caller,
    Checked { raw: body, .. }: Checked<checked::Query>,
) -> Result<JsonReply, ApiError> {
    state.sweep();
    let empty = Value::Object(Default::default());
    let query = Query::parse(body.get("query").unwrap_or(&empty))?;
    let tenant = state.store.lookup(&caller.tenant);
    let map = tenant.read();
    let page = query.run_indexed(&*map);
    let items: Vec<_> = page.items.iter().map(|r| map.rendered(r)).collect();
    let rest = types::QueryOrderPaymentRequestsResponse {
        paging_metadata: Some(types::CursorPagingMetadata {
            count: i32::try_from(items.len()).ok(),
            has_next: Some(page.has_next),
            cursors: Some(types::Cursors {
                next: page.next_cursor.and_then(|c| c.try_into().ok()),
                prev: page.prev_cursor.and_then(|c| c.try_into().ok()),
            }),
        }),
        order_payment_requests: Vec::new(),
    };
    JsonReply::list::<checked::Query>(&items, &rest)
}
