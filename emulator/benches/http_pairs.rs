//! The emulator over HTTP (release build, loopback, keep-alive):
//!
//! - `ratio`: the emulator beside a plain axum handler that returns the same bytes (for the
//!   query, after reading the same request body), in alternating pairs in one run; the figure
//!   is the baseline's time over the emulator's (1.0: as fast as the baseline);
//! - `latency`: query latencies (p50, p99) with 100,000 and 1,000,000 payment requests in one
//!   tenant, each response decoded into the generated types.
//!
//! ```text
//! cargo bench -p wix-opr-emulator --bench http_pairs            # both
//! cargo bench -p wix-opr-emulator --bench http_pairs -- ratio   # or one of them
//! BENCH_SIZES=100000 cargo bench -p wix-opr-emulator --bench http_pairs -- latency
//! ```
//!
//! `SIDE=emulator` or `SIDE=axum` (with `PATH_KIND=get` or `query`, and `CALLS`) runs only
//! that side's calls after the setup, for counting instructions under
//! `valgrind --tool=callgrind`.
//!
//! Both servers run on one shared two-worker runtime on their own threads; the caller is a
//! current-thread runtime on the main thread, making one call at a time.

#[path = "support/pairs.rs"]
mod pairs;

use std::time::{Duration, Instant};

use axum::routing::{get, post};
use serde_json::{json, Value};
use tokio::runtime::Runtime;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::types;

const SITE: &str = "6b4c1e2a-0000-4000-8000-00000000be0c";
const ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

/// A typical request: the docs' order, a title, a description, an external id; every third
/// one with an expiration date (the same sample as the `store_capacity` bench).
fn sample(i: usize) -> Value {
    let mut v = json!({
        "orderId": ORDER_ID,
        "title": format!("Balance Due for Order #{}", 10_000 + i % 5000),
        "description": "Remaining balance for your recent purchase",
        "amount": {"amount": format!("{}.{:02}", i % 500, i % 100)},
        "source": {"externalId": format!("invoice-{i}")},
    });
    if i.is_multiple_of(3) {
        v["expirationDate"] = json!("2999-01-01T00:00:00Z");
    }
    v
}

struct Bench {
    client_rt: Runtime,
    server_rt: Runtime,
    http: reqwest::Client,
}

impl Bench {
    fn new() -> Self {
        Self {
            client_rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("client runtime"),
            server_rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("server runtime"),
            http: reqwest::Client::new(),
        }
    }

    fn emulator(&self, capacity: usize) -> Emulator {
        self.server_rt
            .block_on(Emulator::builder().capacity(capacity).start())
            .expect("emulator")
    }

    async fn post(&self, url: &str, body: &Value) -> reqwest::Response {
        let res = self
            .http
            .post(url)
            .header("authorization", "bench")
            .header("wix-site-id", SITE)
            .json(body)
            .send()
            .await
            .expect("request");
        assert!(res.status().is_success(), "{url}: {}", res.status());
        res
    }

    /// Creates `n` requests through Bulk Create, 100 a call; gives the first one's id.
    fn fill(&self, emu: &Emulator, n: usize) -> String {
        let url = format!(
            "{}/ecom/v1/bulk/order-payment-requests/create",
            emu.base_url()
        );
        let start = Instant::now();
        let mut first = None;
        self.client_rt.block_on(async {
            for chunk in 0..n.div_ceil(100) {
                let items: Vec<Value> = (chunk * 100..((chunk + 1) * 100).min(n))
                    .map(sample)
                    .collect();
                let res = self
                    .post(&url, &json!({"orderPaymentRequests": items}))
                    .await;
                if first.is_none() {
                    let body: Value = res.json().await.expect("bulk create answer");
                    first = body
                        .pointer("/results/0/itemMetadata/id")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                }
            }
        });
        eprintln!("filled {n} in {:.1} s", start.elapsed().as_secs_f64());
        first.expect("a created id")
    }
}

fn ratio(bench: &Bench) {
    const RECORDS: usize = 1_000;
    let calls: usize = std::env::var("CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    const PAIRS: usize = 10;
    let emu = bench.emulator(RECORDS);
    let id = bench.fill(&emu, RECORDS);
    let get_path = format!("/ecom/v1/order-payment-requests/{id}");
    let query_path = "/ecom/v1/order-payment-requests/query";
    let query = json!({"query": {
        "filter": {"orderId": ORDER_ID, "status": "UNPAID"},
        "cursorPaging": {"limit": 10}
    }});
    // The bytes the emulator answers, for the baseline to answer.
    let (get_bytes, query_bytes) = bench.client_rt.block_on(async {
        let get = bench
            .http
            .get(format!("{}{get_path}", emu.base_url()))
            .header("authorization", "bench")
            .header("wix-site-id", SITE)
            .send()
            .await
            .expect("get")
            .bytes()
            .await
            .expect("get body");
        let query = bench
            .post(&format!("{}{query_path}", emu.base_url()), &query)
            .await
            .bytes()
            .await
            .expect("query body");
        (get, query)
    });
    let app = axum::Router::new()
        .route(
            "/ecom/v1/order-payment-requests/{id}",
            get(move || {
                let body = get_bytes.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        )
        .route(
            query_path,
            post(move |_request: axum::body::Bytes| {
                let body = query_bytes.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        );
    let listener = bench
        .server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let axum_base = format!("http://{}", listener.local_addr().expect("address"));
    bench.server_rt.spawn(async move {
        axum::serve(listener, app).await.expect("axum serves");
    });

    let run_get = |base: &str| {
        let url = format!("{base}{get_path}");
        bench.client_rt.block_on(async {
            for _ in 0..calls {
                let res = bench
                    .http
                    .get(&url)
                    .header("authorization", "bench")
                    .header("wix-site-id", SITE)
                    .send()
                    .await
                    .expect("get");
                std::hint::black_box(res.bytes().await.expect("body").len());
            }
        })
    };
    let run_query = |base: &str| {
        let url = format!("{base}{query_path}");
        let body = serde_json::to_vec(&query).expect("query body");
        bench.client_rt.block_on(async {
            for _ in 0..calls {
                let res = bench
                    .http
                    .post(&url)
                    .header("authorization", "bench")
                    .header("wix-site-id", SITE)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("query");
                std::hint::black_box(res.bytes().await.expect("body").len());
            }
        })
    };
    let emu_base = emu.base_url();
    // One side of one path alone, for counting instructions (see BENCHMARKS.md):
    // `SIDE=emulator` or `SIDE=axum`, `PATH_KIND=get` or `query`.
    if let Ok(side) = std::env::var("SIDE") {
        let base = if side == "axum" {
            &axum_base
        } else {
            &emu_base
        };
        match std::env::var("PATH_KIND").as_deref() {
            Ok("query") => run_query(base),
            _ => run_get(base),
        }
        return;
    }
    // Warm both up (connections, caches).
    run_get(&emu_base);
    run_get(&axum_base);
    let get_pairs = pairs::alternate(PAIRS, &mut || run_get(&axum_base), &mut || {
        run_get(&emu_base)
    });
    run_query(&emu_base);
    run_query(&axum_base);
    let query_pairs = pairs::alternate(PAIRS, &mut || run_query(&axum_base), &mut || {
        run_query(&emu_base)
    });
    println!("## Emulator beside plain axum ({PAIRS} alternating pairs of {calls} calls each)");
    println!();
    println!("| path | axum time / emulator time: median (spread) | per call: axum | per call: emulator |");
    println!("|---|---|---|---|");
    for (name, p) in [
        ("GET by id", &get_pairs),
        (
            "query (orderId + status UNPAID, limit 10, of 1,000)",
            &query_pairs,
        ),
    ] {
        let (a, e) = p.per_call(calls);
        println!(
            "| {name} | {} | {:.1} µs | {:.1} µs |",
            p.wall_ratio(),
            a.as_secs_f64() * 1e6,
            e.as_secs_f64() * 1e6
        );
    }
    println!();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn latency(bench: &Bench, n: usize) {
    const SAMPLES: usize = 200;
    let emu = bench.emulator(n);
    bench.fill(&emu, n);
    let url = format!("{}/ecom/v1/order-payment-requests/query", emu.base_url());
    let by_created = json!([{"fieldName": "createdDate", "order": "DESC"}]);
    let queries = [
        (
            "`orderId` `$eq` (every request matches; default sort, limit 100)",
            json!({"filter": {"orderId": ORDER_ID}}),
        ),
        (
            "`status` `$in` [UNPAID, PAID], sort `createdDate` DESC, limit 100",
            json!({"filter": {"status": {"$in": ["UNPAID", "PAID"]}}, "sort": by_created}),
        ),
        (
            "`source.externalId` `$eq` (one match)",
            json!({"filter": {"source.externalId": format!("invoice-{}", n / 2)}}),
        ),
    ];
    println!("## Query latency over HTTP, {n} requests in the tenant ({SAMPLES} calls each)");
    println!();
    println!("| query | p50 | p99 |");
    println!("|---|---|---|");
    let report = |name: &str, mut samples: Vec<Duration>| {
        samples.sort();
        println!(
            "| {name} | {:.2} ms | {:.2} ms |",
            percentile(&samples, 0.5).as_secs_f64() * 1e3,
            percentile(&samples, 0.99).as_secs_f64() * 1e3
        );
    };
    bench.client_rt.block_on(async {
        let call = |body: Value| {
            let url = url.clone();
            async move {
                let start = Instant::now();
                let res = bench.post(&url, &json!({ "query": body })).await;
                let page: types::QueryOrderPaymentRequestsResponse =
                    res.json().await.expect("decode");
                (start.elapsed(), page)
            }
        };
        for (name, q) in &queries {
            for _ in 0..20 {
                call(q.clone()).await;
            }
            let mut samples = Vec::with_capacity(SAMPLES);
            for _ in 0..SAMPLES {
                let (took, page) = call(q.clone()).await;
                assert!(
                    !page.order_payment_requests.is_empty(),
                    "{name}: empty page"
                );
                samples.push(took);
            }
            report(name, samples);
        }
        // Cursor paging: the pages after the first of the `status` query, one after another.
        let (_, mut page) = call(queries[1].1.clone()).await;
        let mut samples = Vec::with_capacity(SAMPLES);
        while samples.len() < SAMPLES {
            let cursor = page
                .paging_metadata
                .as_ref()
                .and_then(|m| m.cursors.as_ref())
                .and_then(|c| c.next.as_ref())
                .map(|c| c.to_string())
                .expect("a next cursor");
            let (took, next) = call(json!({"cursorPaging": {"cursor": cursor}})).await;
            samples.push(took);
            page = next;
        }
        report(
            "cursor paging: each next page of the `status` query (limit 100)",
            samples,
        );
    });
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let wants = |what: &str| {
        !args.iter().any(|a| a == "ratio" || a == "latency") || args.iter().any(|a| a == what)
    };
    let bench = Bench::new();
    if wants("ratio") {
        ratio(&bench);
    }
    if wants("latency") {
        let sizes = std::env::var("BENCH_SIZES").unwrap_or_else(|_| "100000,1000000".into());
        for n in sizes.split(',').filter_map(|s| s.trim().parse().ok()) {
            latency(&bench, n);
        }
    }
}
