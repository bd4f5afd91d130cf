//! Time per call of the client (`get`, `query`) beside a hand-written `reqwest` + `serde_json`
//! call making the same request to the same local server, in the same run. `wix_client` is
//! [`WixClient`] with its defaults (retries armed, 60 s deadline); `generated_client` is the
//! generated builder through the same hooks; `reqwest_serde_json` sends the same headers and
//! body with the same 60 s timeout and decodes into the same types.
//!
//! ```text
//! cargo bench -p wix-order-payment-requests --bench client_overhead
//! ```

use std::time::Duration;

use axum::routing::{get, post};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use wix_order_payment_requests::{types, Field, Query, WixClient};

const ID: &str = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
const ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";
const KEY: &str = "IST.bench-key";
const SITE: &str = "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";

fn opr() -> serde_json::Value {
    json!({
        "id": ID, "orderId": ORDER_ID, "title": "Balance Due for Order #10052",
        "description": "Remaining balance for your recent purchase",
        "amount": {"amount": "15.50", "formattedAmount": "$15.50"}, "currency": "USD",
        "status": "UNPAID", "orderNumber": "10052", "source": {"externalId": "invoice-10052-1"},
        "createdDate": "2026-07-01T10:00:00.000Z", "updatedDate": "2026-07-01T10:00:00.000Z",
        "expirationDate": "2026-07-15T23:59:59.000Z", "blockedPaymentMethods": ["MANUAL"],
    })
}

/// Starts a server with fixed answers on its own thread and runtime; returns its base URL.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let get_body = json!({"orderPaymentRequest": opr()}).to_string();
            let items: Vec<_> = (0..10).map(|_| opr()).collect();
            let query_body = json!({
                "orderPaymentRequests": items,
                "pagingMetadata": {"count": 10, "hasNext": false}
            })
            .to_string();
            let app = axum::Router::new()
                .route(
                    "/ecom/v1/order-payment-requests/{id}",
                    get(move || {
                        let body = get_body.clone();
                        async move { ([("content-type", "application/json")], body) }
                    }),
                )
                .route(
                    "/ecom/v1/order-payment-requests/query",
                    // Reads the request body before answering, as a real server does.
                    post(move |_request: axum::body::Bytes| {
                        let body = query_body.clone();
                        async move { ([("content-type", "application/json")], body) }
                    }),
                );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap()))
                .unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn bench(c: &mut Criterion) {
    let base = start_server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let wix = WixClient::builder()
        .base_url(&base)
        .api_key(KEY)
        .site_id(SITE)
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let id: uuid::Uuid = ID.parse().unwrap();
    let order_id: uuid::Uuid = ORDER_ID.parse().unwrap();

    let mut group = c.benchmark_group("get");
    group
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    group.bench_function("wix_client", |b| {
        b.to_async(&rt)
            .iter(|| async { wix.get(id).await.unwrap() })
    });
    group.bench_function("generated_client", |b| {
        b.to_async(&rt).iter(|| async {
            wix.raw()
                .get_order_payment_request()
                .order_payment_request_id(id)
                .send()
                .await
                .unwrap()
        })
    });
    group.bench_function("reqwest_serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            let response = http
                .get(format!("{base}/ecom/v1/order-payment-requests/{id}"))
                .header("accept", "application/json")
                .header("authorization", KEY)
                .header("wix-site-id", SITE)
                // The client bounds every attempt by its 60 s default deadline; the same here.
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<types::GetOrderPaymentRequestResponse>(&bytes).unwrap()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("query");
    group
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    group.bench_function("wix_client", |b| {
        b.to_async(&rt).iter(|| async {
            wix.query(
                Query::new()
                    .filter(Field::OrderId.eq(order_id))
                    .filter(Field::Status.eq(wix_order_payment_requests::Status::Unpaid)),
            )
            .first_page()
            .await
            .unwrap()
        })
    });
    group.bench_function("generated_client", |b| {
        b.to_async(&rt).iter(|| async {
            let query = types::CursorQuery {
                cursor_paging: None,
                filter: json!({"orderId": ORDER_ID, "status": "UNPAID"})
                    .as_object()
                    .unwrap()
                    .clone(),
                sort: Vec::new(),
            };
            wix.raw()
                .query_order_payment_requests()
                .body(types::QueryOrderPaymentRequestsRequest { query })
                .send()
                .await
                .unwrap()
        })
    });
    group.bench_function("reqwest_serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            let body = json!({"query": {"filter": {"orderId": ORDER_ID, "status": "UNPAID"}}});
            let response = http
                .post(format!("{base}/ecom/v1/order-payment-requests/query"))
                .header("accept", "application/json")
                .header("authorization", KEY)
                .header("wix-site-id", SITE)
                .body(serde_json::to_vec(&body).unwrap())
                .header("content-type", "application/json")
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            serde_json::from_slice::<types::QueryOrderPaymentRequestsResponse>(&bytes).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
