//! Many tasks voiding, paying, charging and updating the same requests at once never produce
//! an impossible transition.

use crate::common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::{Announcement, Emulator, EventSink};
use wix_order_payment_requests::{types, Status};

/// Records each request's status sequence as the events announce it.
#[derive(Default)]
struct Transitions(Mutex<HashMap<Uuid, Vec<String>>>);

impl EventSink for Transitions {
    fn emit(&self, a: &Announcement<'_>) {
        let (id, status) = (a.opr.id, &a.opr.status);
        {
            let kind = a
                .event
                .as_str()
                .rsplit('_')
                .next()
                .unwrap_or("")
                .to_string();
            let mut log = self.0.lock().unwrap();
            let seq = log.entry(id).or_default();
            // Events of one request are announced in order, numbered 1, 2, 3, ...
            assert_eq!(a.sequence, seq.len() as u64 + 1, "{id}: {seq:?}");
            seq.push(format!("{kind}:{}", status.as_str()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_changes_keep_the_lifecycle_consistent() {
    let emu = Emulator::builder()
        .charge_settle(Duration::from_millis(5))
        .start()
        .await
        .unwrap();
    let transitions = Arc::new(Transitions::default());
    emu.add_event_sink(transitions.clone());
    let (c, _) = site_client(&emu);
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(create(&c, json!({})).await.id);
    }
    let mut tasks = Vec::new();
    for worker in 0..32usize {
        let c = c.clone();
        let ids = ids.clone();
        let base = emu.base_url();
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut paid_by_me = 0;
            for (n, id) in ids.iter().enumerate() {
                match (worker + n) % 4 {
                    0 => {
                        let _ = c
                            .void_order_payment_request()
                            .body(types::VoidOrderPaymentRequestRequest { order_payment_request_id: *id })
                            .send()
                            .await;
                    }
                    1 => {
                        let res = http
                            .post(format!("{base}/_emulator/pay/{id}"))
                            .form(&[("method", "CARD")])
                            .send()
                            .await
                            .unwrap();
                        if res.status() == 200 {
                            paid_by_me += 1;
                        }
                    }
                    2 => {
                        let body: types::ChargeOrderPaymentRequestRequest = serde_json::from_value(
                            json!({"orderPaymentRequestId": id, "paymentToken": format!("tok-{worker}-{n}")}),
                        )
                        .unwrap();
                        let _ = c.charge_order_payment_request().body(body).send().await;
                    }
                    _ => {
                        let _ = c
                            .update_order_payment_request()
                            .order_payment_request_id(*id)
                            .body(types::UpdateOrderPaymentRequestRequest {
                                order_payment_request: serde_json::from_value(
                                    json!({"id": id, "title": format!("w{worker}")}),
                                )
                                .unwrap(),
                            })
                            .send()
                            .await;
                    }
                }
            }
            paid_by_me
        }));
    }
    let mut page_payments = 0;
    for t in tasks {
        page_payments += t.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    let log = transitions.0.lock().unwrap().clone();
    let mut paid = 0;
    for id in &ids {
        let final_status = get(&c, *id).await.status;
        assert!(
            matches!(final_status, Status::Paid | Status::Voided),
            "{id}: {final_status:?}"
        );
        let seq = &log[id];
        assert_eq!(seq[0], "created:UNPAID");
        // Every event after a terminal action carries that terminal status: nothing leaves
        // PAID or VOIDED, and each happens at most once.
        let terminal: Vec<&String> = seq
            .iter()
            .filter(|e| e.starts_with("paid:") || e.starts_with("voided:"))
            .collect();
        assert_eq!(terminal.len(), 1, "{id}: {seq:?}");
        let at = seq.iter().position(|e| e == terminal[0]).unwrap();
        for later in &seq[at..] {
            assert!(
                later.ends_with(terminal[0].split(':').nth(1).unwrap()),
                "{id}: {seq:?}"
            );
        }
        for before in &seq[..at - 1] {
            assert!(before.ends_with(":UNPAID"), "{id}: {seq:?}");
        }
        if final_status == Status::Paid {
            paid += 1;
        }
    }
    assert!(
        page_payments <= paid,
        "a page payment succeeded on a request that did not end PAID"
    );
}
