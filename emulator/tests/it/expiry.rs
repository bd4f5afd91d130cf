//! Expiry without sleeping: the emulator's clock moves forward on request.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::json;
use wix_opr_emulator::{Announcement, Emulator, EventSink};
use wix_order_payment_requests::Status;

#[derive(Default)]
struct Recorder(Mutex<Vec<(String, uuid::Uuid, u64)>>);

impl EventSink for Recorder {
    fn emit(&self, a: &Announcement<'_>) {
        self.0
            .lock()
            .unwrap()
            .push((a.event.as_str().to_string(), a.opr.id, a.sequence));
    }
}

#[tokio::test]
async fn a_request_expires_when_its_date_passes() {
    let emu = Emulator::start().await.unwrap();
    let recorder = Arc::new(Recorder::default());
    emu.add_event_sink(recorder.clone());
    let (c, _) = site_client(&emu);
    let at = emu.clock().now() + chrono::Duration::hours(2);
    let id = create(&c, json!({"expirationDate": at})).await.id;
    emu.advance_clock(Duration::from_secs(3600));
    assert_eq!(get(&c, id).await.status, Status::Unpaid);
    emu.advance_clock(Duration::from_secs(3601));
    let expired = get(&c, id).await;
    assert_eq!(expired.status, Status::Expired);
    assert!(expired.updated_date >= at);
    let events: Vec<(String, u64)> = recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|e| (e.0.clone(), e.2))
        .collect();
    assert_eq!(
        events,
        [
            ("wix.ecom.v1.order_payment_request_created".to_string(), 1),
            ("wix.ecom.v1.order_payment_request_updated".to_string(), 2),
            ("wix.ecom.v1.order_payment_request_expired".to_string(), 3),
        ]
    );
    // Expired is final: paying fails, the status stays.
    assert_eq!(pay_on_page(&emu, id).await, 409);
    assert_eq!(get(&c, id).await.status, Status::Expired);
}

#[tokio::test]
async fn the_admin_endpoint_advances_the_clock_and_the_sweep_expires() {
    let emu = Emulator::builder()
        .sweep_interval(Duration::from_millis(10))
        .start()
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    emu.add_event_sink(recorder.clone());
    let (c, _) = site_client(&emu);
    let id = create(
        &c,
        json!({"expirationDate": emu.clock().now() + chrono::Duration::minutes(10)}),
    )
    .await
    .id;
    let (status, body, _) = raw(
        &emu,
        Method::POST,
        "/_emulator/clock/advance",
        "",
        Some(json!({"seconds": 601})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["offsetSeconds"].as_f64().unwrap() >= 601.0);
    // No API call after the advance: the background sweep alone expires it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .any(|e| e.0.ends_with("_expired"))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "sweep never expired {id}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(get(&c, id).await.status, Status::Expired);
    let (status, _, _) = raw(
        &emu,
        Method::POST,
        "/_emulator/clock/advance",
        "",
        Some(json!({"seconds": -5})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn paid_voided_and_dateless_requests_never_expire() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let soon = emu.clock().now() + chrono::Duration::minutes(1);
    let paid = create(&c, json!({"expirationDate": soon})).await.id;
    pay_on_page(&emu, paid).await;
    let voided = create(&c, json!({"expirationDate": soon})).await.id;
    void(&c, voided).await;
    let open = create(&c, json!({})).await.id;
    emu.advance_clock(Duration::from_secs(86_400 * 365));
    assert_eq!(get(&c, paid).await.status, Status::Paid);
    assert_eq!(get(&c, voided).await.status, Status::Voided);
    assert_eq!(get(&c, open).await.status, Status::Unpaid);
}
