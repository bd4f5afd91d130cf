//! The sample flows of `examples/`, run against an in-process emulator: each example file is
//! included as a module, and its flow function is called with a client of a fresh emulator
//! (the environment is not read, so a developer's `WIX_*` variables do not matter).
//!
//! Both examples include the same `examples/wix_or_emulator/mod.rs`, so it is compiled twice
//! here, once inside each example module.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)]
#[path = "../../examples/send_payment_url.rs"]
mod send_payment_request;

#[allow(dead_code)]
#[path = "../../examples/resend_payment_url.rs"]
mod resend_payment_url;

use futures::TryStreamExt;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::{Field, Query, Status};

#[tokio::test]
async fn send_payment_request_flow_creates_one_request_with_a_link() {
    let emu = Emulator::start().await.unwrap();
    let wix = send_payment_request::emulator_client(&emu).unwrap();
    let inputs = send_payment_request::Inputs {
        order_id: send_payment_request::EMULATOR_ORDER_ID.parse().unwrap(),
        amount: "15.50".parse().unwrap(),
        external_id: "invoice-10052-1".into(),
    };
    let sent = send_payment_request::send_payment_request(&wix, &inputs)
        .await
        .unwrap();
    let id = sent.request.id;
    assert_eq!(sent.request.status, Status::Unpaid);
    assert_eq!(sent.request.amount.amount.to_string(), "15.50");
    let url = sent.url;
    assert!(
        url.as_str().starts_with(&emu.base_url()) && url.as_str().contains(&id.to_string()),
        "{url}"
    );
    assert_eq!(emu.payment_request_count(), 1);
    let found: Vec<_> = wix
        .query(Query::new().filter(Field::SourceExternalId.eq("invoice-10052-1")))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
}

#[tokio::test]
async fn resend_payment_url_flow_finds_the_newest_unpaid_request() {
    let emu = Emulator::start().await.unwrap();
    let wix = resend_payment_url::emulator_client(&emu).unwrap();
    let order_id: uuid::Uuid = resend_payment_url::EMULATOR_ORDER_ID.parse().unwrap();

    // Nothing to resend yet.
    assert!(resend_payment_url::resend_payment_url(&wix, order_id)
        .await
        .unwrap()
        .is_none());

    resend_payment_url::seed_emulator(&wix, order_id)
        .await
        .unwrap();
    emu.advance_clock(std::time::Duration::from_secs(60));
    resend_payment_url::seed_emulator(&wix, order_id)
        .await
        .unwrap();
    let resend = resend_payment_url::resend_payment_url(&wix, order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resend.unpaid, 2);
    let newest = wix.find_unpaid_for_order(order_id).await.unwrap()[0].id;
    assert_eq!(resend.id, newest);
    assert!(
        resend.url.as_str().contains(&newest.to_string()),
        "{}",
        resend.url
    );
}
