//! The first emulator (being replaced module by module).
//!
//! Responses are built from the generated client's `types::*`, so the wire format of the
//! emulator and the client come from the same spec.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;
use wix_order_payment_requests::types::OrderPaymentRequest;
use wix_order_payment_requests::Status;

/// One order known to the emulator, as read from `fixtures/orders.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Order {
    /// Order GUID.
    pub id: Uuid,
    /// Order number shown to customers.
    pub number: String,
    /// ISO-4217 currency of the order.
    pub currency: String,
    /// Order total.
    pub total: String,
    /// Unpaid balance.
    pub balance: String,
    /// Order status (for example `INITIALIZED`).
    pub status: String,
    /// Whether the order has a subscription.
    pub subscription: bool,
}

/// The orders every site sees at start-up.
pub fn fixture_orders() -> Vec<Order> {
    serde_json::from_str(include_str!("../fixtures/orders.json")).expect("valid fixture")
}

#[derive(Default)]
struct Inner {
    orders: HashMap<Uuid, Order>,
    /// Payment requests per site id (each site is its own tenant).
    sites: HashMap<String, HashMap<Uuid, OrderPaymentRequest>>,
}

#[derive(Clone)]
struct AppState {
    inner: Arc<Mutex<Inner>>,
    base_url: Arc<str>,
    /// Seconds added to the wall clock (advanced by the admin clock endpoint).
    offset: Arc<std::sync::atomic::AtomicI64>,
}

impl AppState {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let off = self.offset.load(std::sync::atomic::Ordering::SeqCst);
        chrono::Utc::now() + chrono::Duration::seconds(off)
    }
}

fn wix_error(status: StatusCode, code: &str, description: &str) -> Response {
    let body = json!({"message": description, "details": {"applicationError": {
        "code": code, "description": description, "data": {}}}});
    (status, Json(body)).into_response()
}

fn violations(list: Vec<(String, String, &str)>) -> Response {
    let fv: Vec<Value> = list
        .into_iter()
        .map(|(f, d, r)| json!({"field": f, "description": d, "violatedRule": r}))
        .collect();
    let body = json!({"message": "INVALID_ARGUMENT", "details": {"validationError": {"fieldViolations": fv}}});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Reads the tenant from the headers, or returns the error response Wix would send.
#[allow(clippy::result_large_err)] // the error is the finished HTTP response
fn tenant(headers: &HeaderMap) -> Result<String, Response> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth.trim().is_empty() {
        let body = json!({"message": "Unauthorized", "details": {}});
        return Err((StatusCode::UNAUTHORIZED, Json(body)).into_response());
    }
    let site = headers.get("wix-site-id").and_then(|v| v.to_str().ok());
    if site.is_some() && headers.get("wix-account-id").is_some() {
        return Err(violations(vec![(
            "wix-site-id".into(),
            "send either wix-site-id or wix-account-id, not both".into(),
            "ONE_OF",
        )]));
    }
    Ok(site.unwrap_or("").to_string())
}

fn status_of(s: &str) -> Status {
    serde_json::from_value(json!(s)).expect("status")
}

#[allow(clippy::result_large_err)] // the error is the finished HTTP response
fn create_one(st: &AppState, site: &str, input: &Value) -> Result<OrderPaymentRequest, Response> {
    let mut bad = Vec::new();
    let p = "orderPaymentRequest";
    let title = input.get("title").and_then(Value::as_str);
    match title {
        None => bad.push((
            format!("{p}.title"),
            "must not be empty".into(),
            "REQUIRED_FIELD",
        )),
        Some(t) if t.is_empty() || t.chars().count() > 200 => bad.push((
            format!("{p}.title"),
            "length must be between 1 and 200".into(),
            "MAX_LENGTH",
        )),
        _ => {}
    }
    if let Some(d) = input.get("description").and_then(Value::as_str) {
        if d.chars().count() > 300 {
            bad.push((
                format!("{p}.description"),
                "length must be at most 300".into(),
                "MAX_LENGTH",
            ));
        }
    }
    let order_id = input
        .get("orderId")
        .and_then(Value::as_str)
        .map(Uuid::parse_str);
    match order_id {
        None => bad.push((
            format!("{p}.orderId"),
            "must not be empty".into(),
            "REQUIRED_FIELD",
        )),
        Some(Err(_)) => bad.push((
            format!("{p}.orderId"),
            "must be a valid GUID".into(),
            "FORMAT",
        )),
        _ => {}
    }
    if input
        .pointer("/amount/amount")
        .and_then(Value::as_str)
        .is_none()
    {
        bad.push((
            format!("{p}.amount.amount"),
            "must not be empty".into(),
            "REQUIRED_FIELD",
        ));
    }
    if !bad.is_empty() {
        return Err(violations(bad));
    }
    let order_id = order_id.and_then(Result::ok).expect("checked");
    let mut inner = st.inner.lock().expect("lock");
    let Some(order) = inner.orders.get(&order_id).cloned() else {
        return Err(wix_error(
            StatusCode::NOT_FOUND,
            "ORDER_NOT_FOUND",
            "Order not found.",
        ));
    };
    let amount = input
        .pointer("/amount/amount")
        .and_then(Value::as_str)
        .unwrap_or("");
    if order.subscription && amount != order.total {
        return Err(wix_error(
            StatusCode::PRECONDITION_REQUIRED,
            "PARTIAL_PAYMENT_NOT_SUPPORTED_FOR_SUBSCRIPTION",
            "Partial payment isn't supported for orders with subscriptions.",
        ));
    }
    if order.subscription && order.status != "INITIALIZED" {
        return Err(wix_error(
            StatusCode::PRECONDITION_REQUIRED,
            "INVALID_ORDER_STATUS_FOR_SUBSCRIPTION",
            "The order must have a status of INITIALIZED.",
        ));
    }
    let mut v = input.clone();
    let obj = v.as_object_mut().expect("object");
    for ro in [
        "id",
        "status",
        "orderNumber",
        "currency",
        "paymentGatewayOrderId",
        "createdDate",
        "updatedDate",
    ] {
        obj.remove(ro);
    }
    let now = st.now();
    let id = Uuid::new_v4();
    let symbol = if order.currency == "USD" {
        "$".to_string()
    } else {
        format!("{} ", order.currency)
    };
    obj.insert("id".into(), json!(id));
    obj.insert("status".into(), json!("UNPAID"));
    obj.insert("orderNumber".into(), json!(order.number));
    obj.insert("currency".into(), json!(order.currency));
    obj.insert("paymentGatewayOrderId".into(), json!(Uuid::new_v4()));
    obj.insert(
        "amount".into(),
        json!({"amount": amount, "formattedAmount": format!("{symbol}{amount}")}),
    );
    obj.insert("createdDate".into(), json!(now));
    obj.insert("updatedDate".into(), json!(now));
    let mut opr: OrderPaymentRequest = serde_json::from_value(v)
        .map_err(|e| violations(vec![(p.into(), e.to_string(), "FORMAT")]))?;
    if opr.expiration_date.is_some_and(|d| d <= now) {
        opr.status = Some(status_of("EXPIRED"));
    }
    inner
        .sites
        .entry(site.to_string())
        .or_default()
        .insert(id, opr.clone());
    Ok(opr)
}

fn expire_on_read(opr: &mut OrderPaymentRequest, now: chrono::DateTime<chrono::Utc>) {
    if opr.status == Some(Status::Unpaid) && opr.expiration_date.is_some_and(|d| d <= now) {
        opr.status = Some(Status::Expired);
    }
}

async fn create(
    State(st): State<AppState>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let site = match tenant(&headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(input) = body.get("orderPaymentRequest").filter(|v| v.is_object()) else {
        return violations(vec![(
            "orderPaymentRequest".into(),
            "must not be empty".into(),
            "REQUIRED_FIELD",
        )]);
    };
    match create_one(&st, &site, input) {
        Ok(opr) => {
            let url = format!("{}/_emulator/pay/{}", st.base_url, opr.id.expect("id"));
            Json(json!({"orderPaymentRequest": opr, "orderPaymentRequestUrl": url})).into_response()
        }
        Err(r) => r,
    }
}

async fn get_one(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let site = match tenant(&headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return violations(vec![(
            "orderPaymentRequestId".into(),
            "must be a valid GUID".into(),
            "FORMAT",
        )]);
    };
    let now = st.now();
    let mut inner = st.inner.lock().expect("lock");
    match inner.sites.get_mut(&site).and_then(|m| m.get_mut(&id)) {
        Some(opr) => {
            expire_on_read(opr, now);
            Json(json!({"orderPaymentRequest": opr})).into_response()
        }
        None => wix_error(
            StatusCode::NOT_FOUND,
            "ORDER_PAYMENT_REQUEST_NOT_FOUND",
            "Order payment request not found.",
        ),
    }
}

async fn void(State(st): State<AppState>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let site = match tenant(&headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(Ok(id)) = body
        .get("orderPaymentRequestId")
        .and_then(Value::as_str)
        .map(Uuid::parse_str)
    else {
        return violations(vec![(
            "orderPaymentRequestId".into(),
            "must be a valid GUID".into(),
            "FORMAT",
        )]);
    };
    let now = st.now();
    let mut inner = st.inner.lock().expect("lock");
    let Some(opr) = inner.sites.get_mut(&site).and_then(|m| m.get_mut(&id)) else {
        return wix_error(
            StatusCode::NOT_FOUND,
            "ORDER_PAYMENT_REQUEST_NOT_FOUND",
            "Order payment request not found.",
        );
    };
    expire_on_read(opr, now);
    match opr.status {
        Some(Status::Paid) => wix_error(
            StatusCode::PRECONDITION_REQUIRED,
            "CANNOT_VOID_PAID_ORDER_PAYMENT_REQUEST",
            "Order payment requests with a status of PAID can't be voided.",
        ),
        Some(Status::Expired) => wix_error(
            StatusCode::PRECONDITION_REQUIRED,
            "CANNOT_VOID_EXPIRED_ORDER_PAYMENT_REQUEST",
            "Order payment requests with a status of EXPIRED can't be voided.",
        ),
        Some(Status::Voided) => Json(json!({})).into_response(),
        _ => {
            opr.status = Some(Status::Voided);
            opr.updated_date = Some(now);
            Json(json!({})).into_response()
        }
    }
}

async fn delete(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let site = match tenant(&headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return violations(vec![(
            "orderPaymentRequestId".into(),
            "must be a valid GUID".into(),
            "FORMAT",
        )]);
    };
    let mut inner = st.inner.lock().expect("lock");
    let Some(m) = inner.sites.get_mut(&site) else {
        return wix_error(
            StatusCode::NOT_FOUND,
            "ORDER_PAYMENT_REQUEST_NOT_FOUND",
            "Order payment request not found.",
        );
    };
    match m.get(&id).map(|o| o.status.clone()) {
        None => wix_error(
            StatusCode::NOT_FOUND,
            "ORDER_PAYMENT_REQUEST_NOT_FOUND",
            "Order payment request not found.",
        ),
        Some(Some(Status::Paid)) => wix_error(
            StatusCode::PRECONDITION_REQUIRED,
            "CANNOT_DELETE_PAID_ORDER_PAYMENT_REQUEST",
            "Order payment requests with a status of PAID can't be deleted.",
        ),
        Some(_) => {
            m.remove(&id);
            Json(json!({})).into_response()
        }
    }
}

/// Emulator payment page action: marks an UNPAID request PAID.
async fn pay(State(st): State<AppState>, Path(id): Path<Uuid>) -> Response {
    let now = st.now();
    let mut inner = st.inner.lock().expect("lock");
    for m in inner.sites.values_mut() {
        if let Some(opr) = m.get_mut(&id) {
            expire_on_read(opr, now);
            if opr.status == Some(Status::Unpaid) {
                opr.status = Some(Status::Paid);
                opr.updated_date = Some(now);
                return (StatusCode::OK, "<html><body><h1>Paid</h1></body></html>").into_response();
            }
            return (
                StatusCode::CONFLICT,
                "<html><body><h1>This payment request can't be paid</h1></body></html>",
            )
                .into_response();
        }
    }
    (StatusCode::NOT_FOUND, "not found").into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The emulator's payment page: title, description, amount, image and a Pay form.
async fn page(State(st): State<AppState>, Path(id): Path<Uuid>) -> Response {
    let now = st.now();
    let mut inner = st.inner.lock().expect("lock");
    for m in inner.sites.values_mut() {
        if let Some(opr) = m.get_mut(&id) {
            expire_on_read(opr, now);
            let v = serde_json::to_value(&*opr).expect("serializable");
            let text = |p: &str| html_escape(v.pointer(p).and_then(Value::as_str).unwrap_or(""));
            let manual = if v["blockedPaymentMethods"]
                .as_array()
                .is_some_and(|a| a.iter().any(|m| m == "MANUAL"))
            {
                String::new()
            } else {
                "<label><input type=\"radio\" name=\"method\" value=\"MANUAL\"> Manual payment</label>".to_string()
            };
            let html = format!(
                "<!doctype html><html><head><title>{t}</title></head><body><h1 id=\"title\">{t}</h1><p id=\"description\">{d}</p><p id=\"amount\">{a}</p><img id=\"image\" src=\"{i}\" alt=\"\"><p id=\"status\">{s}</p><form method=\"post\" action=\"/_emulator/pay/{id}\"><label><input type=\"radio\" name=\"method\" value=\"CARD\" checked> Card</label>{manual}<button id=\"pay\" type=\"submit\">Pay</button></form></body></html>",
                t = text("/title"), d = text("/description"), a = text("/amount/formattedAmount"), i = text("/image/url"), s = text("/status"),
            );
            return axum::response::Html(html).into_response();
        }
    }
    (StatusCode::NOT_FOUND, "not found").into_response()
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

/// Admin: moves the emulator's clock forward by `seconds`.
async fn advance_clock(State(st): State<AppState>, Json(a): Json<Advance>) -> Response {
    let off = st
        .offset
        .fetch_add(a.seconds, std::sync::atomic::Ordering::SeqCst)
        + a.seconds;
    Json(json!({"offsetSeconds": off, "now": st.now()})).into_response()
}

async fn request_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let id = Uuid::new_v4().to_string();
    res.headers_mut().insert(
        "x-wix-request-id",
        HeaderValue::from_str(&id).expect("ascii"),
    );
    res
}

/// Builds the emulator's router for the given public base URL.
pub fn router(base_url: &str) -> Router {
    let inner = Inner {
        orders: fixture_orders().into_iter().map(|o| (o.id, o)).collect(),
        ..Inner::default()
    };
    let st = AppState {
        inner: Arc::new(Mutex::new(inner)),
        base_url: base_url.into(),
        offset: Arc::default(),
    };
    Router::new()
        .route("/ecom/v1/order-payment-requests", post(create))
        .route("/ecom/v1/order-payment-requests/void", post(void))
        .route(
            "/ecom/v1/order-payment-requests/{id}",
            get(get_one).delete(delete),
        )
        .route("/_emulator/pay/{id}", post(pay).get(page))
        .route("/_emulator/clock/advance", post(advance_clock))
        .layer(axum::middleware::from_fn(request_id))
        .with_state(st)
}

/// A running in-process emulator; shuts down when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Emulator {
    /// Starts the emulator on an ephemeral localhost port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(0).await
    }

    /// Starts the emulator on the given localhost port (0 for any free port).
    pub async fn start_on(port: u16) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let app = router(&format!("http://{addr}"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shutdown: Some(tx),
        })
    }

    /// The base URL to give to the client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
