//! The payment page every `orderPaymentRequestUrl` points to: `GET /_emulator/pay/{id}` shows
//! the request, `POST /_emulator/pay/{id}` (the page's form, field `method`) pays it. A payment
//! made here is the customer's: its `updated` and `paid` events carry an `ANONYMOUS_VISITOR`
//! identity (a random `anonymousVisitorId` per payment) rather than the app's.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

use crate::domain::events::Actor;
use crate::domain::payment::mark_paid;
use crate::domain::record::{to_ms, Lifecycle, Record};
use crate::http::payment_page::{
    refusal_reason, render_not_found, render_page, render_paid, render_refused, PageView, PayForm,
};
use crate::state::Shared;

/// The page routes, with the state applied by the caller.
pub fn routes() -> Router<Shared> {
    Router::new().route("/_emulator/pay/{id}", get(show).post(pay))
}

/// Where the image with this `image.id` can be loaded from: an http(s) URL as it is, a Wix
/// media reference (`wix:image://v1/<media id>/<file name>#...`) or a bare media id
/// (`<hash>~mv2.jpg`) on Wix's media host.
fn image_url(id: &str) -> Option<String> {
    const MEDIA_HOST: &str = "https://static.wixstatic.com/media/";
    if id.starts_with("https://") || id.starts_with("http://") {
        return Some(id.to_string());
    }
    let media_id = match id.strip_prefix("wix:image://v1/") {
        Some(rest) => rest.split(['/', '#']).next()?,
        None => id,
    };
    let plausible = !media_id.is_empty()
        && media_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '~' | '.' | '-'));
    plausible.then(|| format!("{MEDIA_HOST}{media_id}"))
}

fn view(record: &Record) -> PageView {
    let extras = record.extras.as_deref();
    let image = extras.and_then(|e| e.image.as_ref());
    PageView {
        id: record.id,
        title: record.title.to_string(),
        description: record.description.as_deref().map(str::to_string),
        formatted_amount: record.formatted_amount(),
        currency: record.currency().to_string(),
        image_url: image.and_then(|i| i.id.as_ref().and_then(|id| image_url(id.as_str()))),
        image_alt: image.and_then(|i| i.alt_text.as_ref().map(|s| s.to_string())),
        status: record.status.as_str().to_string(),
        manual_allowed: !record.blocked_manual,
        order_number: Some(record.order_number.to_string()),
    }
}

fn missing() -> Response {
    (StatusCode::NOT_FOUND, Html(render_not_found())).into_response()
}

/// Shows the payment page.
async fn show(State(state): State<Shared>, Path(id): Path<Uuid>) -> Response {
    state.sweep();
    let Some((_, tenant)) = state.store.owner_of(id) else {
        return missing();
    };
    let map = tenant.read();
    match map.get(&id) {
        Some(record) => Html(render_page(&view(record))).into_response(),
        None => missing(),
    }
}

/// Pays the request, or shows why it can't be paid.
async fn pay(State(state): State<Shared>, Path(id): Path<Uuid>, body: Bytes) -> Response {
    match pay_as_customer(&state, id, &PayForm::from_body(&body)) {
        Paid::Yes(page) => Html(render_paid(&page)).into_response(),
        Paid::Refused(page, reason) => {
            (StatusCode::CONFLICT, Html(render_refused(&page, &reason))).into_response()
        }
        Paid::NoSuchRequest => missing(),
    }
}

/// What paying on the page did.
pub(crate) enum Paid {
    /// Paid: the page as it is now.
    Yes(PageView),
    /// Refused: the page and why (already paid, expired, voided, a payment in progress, a
    /// method that is not offered).
    Refused(PageView, String),
    /// No request has this id.
    NoSuchRequest,
}

/// Pays request `id` as the customer does on its page, with the method `form` chose.
pub(crate) fn pay_as_customer(state: &Shared, id: Uuid, form: &PayForm) -> Paid {
    state.sweep();
    let Some((site, tenant)) = state.store.owner_of(id) else {
        return Paid::NoSuchRequest;
    };
    let mut map = tenant.write();
    let Some(record) = map.get_mut(&id) else {
        return Paid::NoSuchRequest;
    };
    let page = view(record);
    let refusal = match form.method_for(&page) {
        Err(reason) => Some(reason),
        Ok(_) if record.charging => {
            Some("A payment for this request is already in progress.".to_string())
        }
        Ok(_) => refusal_reason(&page.status),
    };
    if let Some(reason) = refusal {
        return Paid::Refused(page, reason);
    }
    debug_assert_eq!(record.status, Lifecycle::Unpaid);
    // The customer pays as an anonymous visitor, with an id of their own for this payment.
    let payer = Actor::Visitor(Uuid::new_v4());
    mark_paid(state, &site, record, to_ms(state.clock.now()), payer);
    Paid::Yes(view(record))
}

#[cfg(test)]
mod tests {
    use super::image_url;

    #[test]
    fn image_ids_become_urls() {
        assert_eq!(
            image_url("https://x.test/a.png").as_deref(),
            Some("https://x.test/a.png")
        );
        assert_eq!(
            image_url("wix:image://v1/11062b_abc~mv2.jpg/photo.jpg#originWidth=10&originHeight=10")
                .as_deref(),
            Some("https://static.wixstatic.com/media/11062b_abc~mv2.jpg")
        );
        assert_eq!(
            image_url("11062b_abc~mv2.png").as_deref(),
            Some("https://static.wixstatic.com/media/11062b_abc~mv2.png")
        );
        assert_eq!(image_url("javascript:alert(1)"), None);
        assert_eq!(image_url(""), None);
    }
}
