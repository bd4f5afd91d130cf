//! Admin routes under `/_emulator/webhooks` (listed in the [module docs](super)).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::hub::WebhookHub;
use super::HubEvent;

/// The admin routes, full paths under `/_emulator/webhooks`, state applied: `.merge()` them
/// into the emulator's router.
pub fn admin_router<E: HubEvent>(hub: Arc<WebhookHub<E>>) -> Router {
    Router::new()
        .route("/_emulator/webhooks", get(summary::<E>))
        .route(
            "/_emulator/webhooks/subscribers",
            get(list_subscribers::<E>)
                .post(add_subscriber::<E>)
                .delete(remove_subscriber::<E>),
        )
        .route("/_emulator/webhooks/public-key", get(public_key::<E>))
        .route(
            "/_emulator/webhooks/deliveries",
            get(list_deliveries::<E>).delete(clear_deliveries::<E>),
        )
        .route(
            "/_emulator/webhooks/deliveries/{delivery_id}/redeliver",
            post(redeliver::<E>),
        )
        .with_state(hub)
}

type Hub<E> = State<Arc<WebhookHub<E>>>;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "message": message.into() }))).into_response()
}

async fn summary<E: HubEvent>(State(hub): Hub<E>) -> Response {
    let config = hub.config();
    let delays_ms: Vec<u128> = hub.retry_delays().iter().map(|d| d.as_millis()).collect();
    Json(json!({
        "subscribers": hub.subscribers(),
        "appId": config.app_id,
        "keyId": config.key_id,
        "instanceId": config.instance_id,
        "retryCompression": config.retry_compression,
        "retryDelaysMs": delays_ms,
        "deliveryTimeoutMs": config.delivery_timeout.as_millis(),
        "inFlight": hub.in_flight(),
        "publicKeyPem": hub.public_key_pem(),
    }))
    .into_response()
}

async fn list_subscribers<E: HubEvent>(State(hub): Hub<E>) -> Response {
    Json(json!({ "subscribers": hub.subscribers() })).into_response()
}

#[derive(Debug, Default, Deserialize)]
struct UrlParam {
    url: Option<String>,
}

/// The `url` of a JSON body `{"url": ...}`, else of the query string; else why not.
fn url_from(query: UrlParam, body: &[u8]) -> Result<String, String> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        let parsed: UrlParam = serde_json::from_slice(body)
            .map_err(|e| format!("expected a JSON body {{\"url\": \"...\"}}: {e}"))?;
        if let Some(url) = parsed.url {
            return Ok(url);
        }
    }
    query
        .url
        .ok_or_else(|| "give the subscriber as {\"url\": \"...\"} or ?url=".to_string())
}

async fn add_subscriber<E: HubEvent>(
    State(hub): Hub<E>,
    Query(query): Query<UrlParam>,
    body: Bytes,
) -> Response {
    let url = match url_from(query, &body) {
        Ok(url) => url,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    match hub.subscribe(url) {
        Ok(added) => {
            let status = if added {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let subscribers = hub.subscribers();
            (
                status,
                Json(json!({ "added": added, "subscribers": subscribers })),
            )
                .into_response()
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn remove_subscriber<E: HubEvent>(
    State(hub): Hub<E>,
    Query(query): Query<UrlParam>,
    body: Bytes,
) -> Response {
    let url = match url_from(query, &body) {
        Ok(url) => url,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if hub.unsubscribe(&url) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("{url:?} is not subscribed"))
    }
}

async fn public_key<E: HubEvent>(State(hub): Hub<E>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        hub.public_key_pem().to_string(),
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryFilter {
    event_id: Option<String>,
    entity_id: Option<String>,
    delivery_id: Option<Uuid>,
    url: Option<String>,
}

async fn list_deliveries<E: HubEvent>(
    State(hub): Hub<E>,
    Query(filter): Query<DeliveryFilter>,
) -> Response {
    let deliveries: Vec<_> = hub
        .deliveries()
        .into_iter()
        .filter(|r| filter.event_id.as_ref().is_none_or(|id| *id == r.event_id))
        .filter(|r| {
            filter
                .entity_id
                .as_ref()
                .is_none_or(|id| Some(id) == r.entity_id.as_ref())
        })
        .filter(|r| filter.delivery_id.is_none_or(|id| id == r.delivery_id))
        .filter(|r| filter.url.as_ref().is_none_or(|url| *url == r.url))
        .collect();
    Json(json!({ "deliveries": deliveries })).into_response()
}

async fn clear_deliveries<E: HubEvent>(State(hub): Hub<E>) -> Response {
    hub.clear_deliveries();
    StatusCode::NO_CONTENT.into_response()
}

async fn redeliver<E: HubEvent>(State(hub): Hub<E>, Path(delivery_id): Path<String>) -> Response {
    let Ok(id) = delivery_id.parse::<Uuid>() else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("{delivery_id:?} is not a delivery id (GUID)"),
        );
    };
    match hub.redeliver(id) {
        Some(new_id) => (
            StatusCode::ACCEPTED,
            Json(json!({ "deliveryId": new_id, "redeliveryOf": id })),
        )
            .into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            format!("no delivery {id} (unknown, too old, or webhooks are disabled)"),
        ),
    }
}
