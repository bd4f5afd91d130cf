//! Memory per stored payment request (with the tenant's indexes) and engine query latency at
//! 100k requests.
//!
//! Run: `cargo bench -p wix-opr-emulator --bench store_capacity` (numbers go to BENCHMARKS.md).
//!
//! Memory is counted by a global allocator that tracks live heap bytes, so the figure is the
//! exact heap cost of the store per request (record, map slot, expiry entry), not an RSS guess.
//! Query latency is measured on the engine alone over one tenant, by the linear pass and by
//! the planner with the tenant's indexes; over HTTP it is measured by the `http_pairs` bench.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{json, Value};
use wix_opr_emulator::fixture_orders;
use wix_opr_emulator::testing::Query;
use wix_opr_emulator::testing::Record;
use wix_opr_emulator::testing::Store;
use wix_order_payment_requests::types;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A typical request: docs' order, a title, a description, an external id; every third one
/// with an expiration date.
fn sample(i: usize) -> types::NewOrderPaymentRequest {
    let mut v = json!({
        "orderId": "a931e280-254a-49a7-9641-22ef64c444ae",
        "title": format!("Balance Due for Order #{}", 10_000 + i % 5000),
        "description": "Remaining balance for your recent purchase",
        "amount": {"amount": format!("{}.{:02}", i % 500, i % 100)},
        "source": {"externalId": format!("invoice-{i}")},
    });
    if i.is_multiple_of(3) {
        v["expirationDate"] = json!("2999-01-01T00:00:00Z");
    }
    serde_json::from_value(v).expect("valid sample")
}

fn fill(store: &Store, site: &str, n: usize) {
    let order = fixture_orders().remove(0);
    let tenant = store.tenant(site);
    let now = Utc::now();
    for i in 0..n {
        let input = sample(i);
        let record = Record::create(
            &input,
            0,
            &order,
            input.amount.amount,
            now - chrono::Duration::milliseconds(i as i64),
        )
        .expect("a valid sample");
        store.reserve(1).expect("capacity");
        store.insert_locked(site, &mut tenant.write(), record);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn queries() -> Vec<(&'static str, Value)> {
    vec![
        ("default sort (createdDate DESC), limit 100", json!({})),
        (
            "filter source.externalId $eq (one match)",
            json!({"filter": {"source.externalId": "invoice-77777"}}),
        ),
        (
            "orderId $eq + status UNPAID, all match (the resend flow)",
            json!({"filter": {"orderId": "a931e280-254a-49a7-9641-22ef64c444ae", "status": "UNPAID"}}),
        ),
        (
            "filter status $in + amount $gte, sort amount ASC",
            json!({
            "filter": {"status": {"$in": ["UNPAID", "PAID"]}, "amount.amount": {"$gte": "250"}},
            "sort": [{"fieldName": "amount.amount", "order": "ASC"}]}),
        ),
        (
            "title $startsWith, sort title DESC, limit 50",
            json!({
            "filter": {"title": {"$startsWith": "balance due for order #12"}},
            "sort": [{"fieldName": "title", "order": "DESC"}], "cursorPaging": {"limit": 50}}),
        ),
    ]
}

fn memory() {
    const N: usize = 1_000_000;
    let before = LIVE.load(Ordering::SeqCst);
    let store = Store::new(N);
    let start = Instant::now();
    fill(&store, "bench-site", N);
    let took = start.elapsed();
    let bytes = LIVE.load(Ordering::SeqCst) - before;
    println!("## Store memory");
    println!();
    println!("{N} payment requests in one tenant: {} MiB live heap, {} bytes per request, filled in {:.2} s.",
        bytes / (1024 * 1024), bytes / N as isize, took.as_secs_f64());
    println!();
    drop(store);
}

fn engine_latency() {
    const N: usize = 100_000;
    let store = Store::new(N);
    fill(&store, "bench-site", N);
    let tenant = store.tenant("bench-site");
    println!("## Query latency, engine only ({N} requests in the tenant, 50 runs each)");
    println!();
    println!("| query | linear pass: median | p95 | planned (indexes): median | p95 |");
    println!("|---|---|---|---|---|");
    for (name, q) in queries() {
        let query = Query::parse(&q).expect("valid query");
        let map = tenant.read();
        let mut linear = Vec::new();
        let mut planned = Vec::new();
        for _ in 0..50 {
            let start = Instant::now();
            let page = query.run(map.values());
            std::hint::black_box(page.items.len());
            linear.push(start.elapsed());
            let start = Instant::now();
            let page = query.run_indexed(&*map);
            std::hint::black_box(page.items.len());
            planned.push(start.elapsed());
        }
        println!("| {name} | {} | {} |", cells(linear), cells(planned));
    }
    println!();
}

fn cells(mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!(
        "{:.2} ms | {:.2} ms",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.95).as_secs_f64() * 1e3
    )
}

fn main() {
    wix_opr_emulator::testing::install_model();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    memory();
    engine_latency();
}
