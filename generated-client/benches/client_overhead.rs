//! The client's call path beside a hand-written `reqwest` + `serde_json` call making the same
//! request to the same local server, in alternating pairs in one process run.
//!
//! `wix_client` is [`WixClient`] with its defaults (retries armed, 60 s deadline, validation,
//! `wix.call` tracing span, typed errors); the hand-written call sends the same headers and
//! body with the same 60 s timeout and decodes into the same types. The server (fixed answers,
//! its own thread and runtime) is the same for both; the caller runs on a current-thread
//! runtime on the main thread, so that thread's CPU time is the caller's own work.
//!
//! ```text
//! cargo bench -p wix-order-payment-requests --bench client_overhead
//! CALLS=20000 PAIRS=10 cargo bench -p wix-order-payment-requests --bench client_overhead
//! cargo bench -p wix-order-payment-requests --bench client_overhead -- get   # one path only
//! ```
//!
//! `SIDE=client` or `SIDE=hand` runs one side of one path (`get`, or `query`) `CALLS` times and
//! nothing else, for counting its instructions under `valgrind --tool=callgrind`.

#[path = "../../emulator/benches/support/pairs.rs"]
mod pairs;

use std::time::Duration;

use axum::routing::{get, post};
use serde_json::json;
use wix_order_payment_requests::{types, Field, Query, Status, WixClient};

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
            .expect("server runtime");
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
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(format!(
                "http://{}",
                listener.local_addr().expect("address")
            ))
            .expect("send address");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

/// A path's name, the client's side and the hand-written side.
type Sides<'a> = (&'a str, &'a dyn Fn(), &'a dyn Fn());

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let wants = |what: &str| {
        !args.iter().any(|a| a == "get" || a == "query") || args.iter().any(|a| a == what)
    };
    let calls = env_or("CALLS", 10_000);
    let pair_count = env_or("PAIRS", 10);
    let base = start_server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let wix = WixClient::builder()
        .base_url(&base)
        .api_key(KEY)
        .site_id(SITE)
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let id: uuid::Uuid = ID.parse().expect("id");
    let order_id: uuid::Uuid = ORDER_ID.parse().expect("order id");

    let wix_get = || {
        rt.block_on(async {
            for _ in 0..calls {
                std::hint::black_box(wix.get(id).await.expect("get"));
            }
        })
    };
    let hand_get = || {
        rt.block_on(async {
            for _ in 0..calls {
                // The id changes from call to call in real use: the URL is made each time.
                let response = http
                    .get(format!("{base}/ecom/v1/order-payment-requests/{id}"))
                    .header("accept", "application/json")
                    .header("authorization", KEY)
                    .header("wix-site-id", SITE)
                    // The client bounds every attempt by its 60 s default deadline; the same here.
                    .timeout(Duration::from_secs(60))
                    .send()
                    .await
                    .expect("get");
                let bytes = response.bytes().await.expect("body");
                std::hint::black_box(
                    serde_json::from_slice::<types::GetOrderPaymentRequestResponse>(&bytes)
                        .expect("decode"),
                );
            }
        })
    };
    let wix_query = || {
        rt.block_on(async {
            for _ in 0..calls {
                let query = Query::new()
                    .filter(Field::OrderId.eq(order_id))
                    .filter(Field::Status.eq(Status::Unpaid));
                std::hint::black_box(wix.query(query).first_page().await.expect("query"));
            }
        })
    };
    let hand_query = || {
        rt.block_on(async {
            for _ in 0..calls {
                let url = format!("{base}/ecom/v1/order-payment-requests/query");
                let body = json!({"query": {"filter": {"orderId": ORDER_ID, "status": "UNPAID"}}});
                let response = http
                    .post(&url)
                    .header("accept", "application/json")
                    .header("authorization", KEY)
                    .header("wix-site-id", SITE)
                    .header("content-type", "application/json")
                    .body(serde_json::to_vec(&body).expect("encode"))
                    .timeout(Duration::from_secs(60))
                    .send()
                    .await
                    .expect("query");
                let bytes = response.bytes().await.expect("body");
                std::hint::black_box(
                    serde_json::from_slice::<types::QueryOrderPaymentRequestsResponse>(&bytes)
                        .expect("decode"),
                );
            }
        })
    };

    // One side alone, for counting its instructions (see BENCHMARKS.md): `SIDE=client` or
    // `SIDE=hand`, with the path as the argument.
    if let Ok(side) = std::env::var("SIDE") {
        let path = if wants("get") { "get" } else { "query" };
        match (side.as_str(), path) {
            ("client", "get") => wix_get(),
            ("hand", "get") => hand_get(),
            ("client", _) => wix_query(),
            _ => hand_query(),
        }
        return;
    }
    println!(
        "## Client call path beside a hand-written call ({pair_count} alternating pairs of {calls} calls each)"
    );
    println!();
    println!("| path | time: client / hand-written, median (spread) | caller CPU: client / hand-written, median (spread) | per call: client | per call: hand-written |");
    println!("|---|---|---|---|---|");
    let sides: [Sides<'_>; 2] = [
        ("get", &wix_get, &hand_get),
        ("query (first page)", &wix_query, &hand_query),
    ];
    for (name, client, hand) in sides {
        if !wants(name.split(' ').next().unwrap_or(name)) {
            continue;
        }
        // Warm up both (connection, allocator, caches).
        client();
        hand();
        let result = pairs::alternate(pair_count, &mut || client(), &mut || hand());
        let (c, h) = result.per_call(calls);
        println!(
            "| {name} | {} | {} | {:.1} µs | {:.1} µs |",
            result.wall_ratio(),
            result.cpu_ratio(),
            c.as_secs_f64() * 1e6,
            h.as_secs_f64() * 1e6
        );
    }
    println!();
}
