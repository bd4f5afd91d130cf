//! The emulator's clock is bounded: it never passes the latest time an RFC 3339 timestamp with a
//! four-digit year can name, an advance past it is refused, and nothing panics near it.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::*;
use reqwest::Method;
use serde_json::json;
use wix_opr_emulator::Clock;
use wix_opr_emulator::{Announcement, Emulator, EventSink};
use wix_order_payment_requests::Status;

fn latest() -> DateTime<Utc> {
    "9999-12-31T23:59:59.999Z".parse().unwrap()
}

#[derive(Default)]
struct Expired(Mutex<Vec<uuid::Uuid>>);

impl EventSink for Expired {
    fn emit(&self, a: &Announcement<'_>) {
        if a.event.as_str().ends_with("_expired") {
            self.0.lock().unwrap().push(a.opr.id);
        }
    }
}

#[tokio::test]
async fn advancing_past_the_bound_is_refused_over_http_and_the_api_keeps_working() {
    let emu = Emulator::start().await.unwrap();
    let (c, site) = site_client(&emu);
    let id = create(&c, json!({"expirationDate": "9000-01-01T00:00:00Z"}))
        .await
        .id;
    let mut refused = None;
    for _ in 0..1_000 {
        let (status, body, headers) = raw(
            &emu,
            Method::POST,
            "/_emulator/clock/advance",
            "",
            Some(json!({"seconds": 1e10})),
        )
        .await;
        if status != 200 {
            assert!(headers.contains_key("x-wix-request-id"));
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.expect("an advance past the bound was refused");
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["details"], json!({}), "{body}");
    assert!(body["message"].as_str().unwrap().contains("9999"), "{body}");

    let (status, clock, _) = raw(&emu, Method::GET, "/_emulator/clock", "", None).await;
    assert_eq!(status, 200);
    let now: DateTime<Utc> = clock["now"].as_str().unwrap().parse().unwrap();
    assert!(now <= latest() && now.timestamp() > 253_402_300_799 - 10_000_000_000);

    // Every operation still answers, and what became due expired.
    assert_eq!(get(&c, id).await.status, Status::Expired);
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/ecom/v1/order-payment-requests/query",
        &site,
        Some(json!({"query": {}})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let created = create(&c, json!({})).await;
    assert!(created.created_date <= latest());
}

#[tokio::test]
async fn the_background_sweep_survives_a_clock_moved_to_its_bound() {
    let emu = Emulator::builder()
        .sweep_interval(Duration::from_millis(5))
        .start()
        .await
        .unwrap();
    let expired = Arc::new(Expired::default());
    emu.add_event_sink(expired.clone());
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({"expirationDate": "9999-12-31T23:59:59Z"}))
        .await
        .id;
    // Moves the clock alone, without the sweep an API call or an admin advance runs.
    emu.clock().advance(chrono::Duration::MAX);
    assert_eq!(emu.clock().now(), latest());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !expired.0.lock().unwrap().contains(&id) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the background sweep never expired {id}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(get(&c, id).await.status, Status::Expired);
}

#[tokio::test]
async fn the_rust_api_saturates_or_refuses_at_the_bound() {
    let emu = Emulator::start().await.unwrap();
    assert!(emu.try_advance_clock(Duration::MAX).is_err());
    let before = emu.clock().now();
    assert!(before < latest());
    let err = emu
        .try_advance_clock(Duration::from_secs(10_000 * 366 * 24 * 3600))
        .unwrap_err();
    assert!(err.to_string().contains("9999"), "{err}");
    assert!(
        emu.clock().now() < latest(),
        "a refused advance moved the clock"
    );
    emu.try_advance_clock(Duration::from_secs(3600)).unwrap();
    assert!(emu.clock().offset() >= chrono::Duration::seconds(3600));

    emu.advance_clock(Duration::MAX);
    assert_eq!(emu.clock().now(), latest());
    emu.advance_clock(Duration::from_secs(1));
    assert_eq!(emu.clock().now(), latest());

    let clock = Clock::default();
    clock.advance(chrono::Duration::MIN);
    assert!(clock.now() >= DateTime::<Utc>::UNIX_EPOCH);
    clock.advance(chrono::Duration::MAX);
    clock.advance(chrono::Duration::MAX);
    assert_eq!(clock.now(), latest());
}

#[tokio::test]
async fn fractional_negative_and_non_numeric_advances_are_refused_in_wix_shape() {
    let emu = Emulator::start().await.unwrap();
    for bad in [
        json!({"seconds": -1}),
        json!({"seconds": "10"}),
        json!({}),
        json!({"seconds": 1e300}),
    ] {
        let (status, body, _) = raw(
            &emu,
            Method::POST,
            "/_emulator/clock/advance",
            "",
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["details"], json!({}));
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert!(emu.clock().offset() == chrono::Duration::zero());
}
