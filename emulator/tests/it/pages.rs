//! The payment page over plain HTTP (the browser test drives the same page in chromium).

use crate::common;

use common::*;
use serde_json::json;
use uuid::Uuid;
use wix_opr_emulator::Emulator;
use wix_order_payment_requests::Status;

async fn page(emu: &Emulator, id: Uuid) -> (u16, String) {
    let res = reqwest::get(format!("{}/_emulator/pay/{id}", emu.base_url()))
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_page_shows_the_request_escaped_and_hides_blocked_manual() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let open = create(
        &c,
        json!({"title": "Balance <Due>", "description": "Rest & more"}),
    )
    .await
    .id;
    let (status, html) = page(&emu, open).await;
    assert_eq!(status, 200);
    assert!(html.contains("Balance &lt;Due&gt;") && html.contains("Rest &amp; more"));
    assert!(html.contains("$15.50") && html.contains("id=\"pay\""));
    assert!(html.contains("MANUAL"));
    let blocked = create(&c, json!({"blockedPaymentMethods": ["MANUAL"]}))
        .await
        .id;
    let (_, html) = page(&emu, blocked).await;
    assert!(!html.contains("value=\"MANUAL\""));
    let res = reqwest::Client::new()
        .post(format!("{}/_emulator/pay/{blocked}", emu.base_url()))
        .form(&[("method", "MANUAL")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(get(&c, blocked).await.status, Status::Unpaid);
    assert_eq!(page(&emu, Uuid::new_v4()).await.0, 404);
}

#[tokio::test]
async fn paying_marks_paid_and_refuses_what_cannot_be_paid() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    assert_eq!(pay_on_page(&emu, id).await, 200);
    assert_eq!(get(&c, id).await.status, Status::Paid);
    assert_eq!(pay_on_page(&emu, id).await, 409, "paid twice");
    let voided = create(&c, json!({})).await.id;
    void(&c, voided).await;
    assert_eq!(pay_on_page(&emu, voided).await, 409);
    let (_, html) = page(&emu, voided).await;
    assert!(html.contains("VOIDED") && !html.contains("id=\"pay\""));
}

#[tokio::test]
async fn emulator_pay_pays_as_the_page_does_and_refuses_as_it_does() {
    let emu = Emulator::start().await.unwrap();
    let (c, _) = site_client(&emu);
    let id = create(&c, json!({})).await.id;
    emu.pay(id).unwrap();
    let paid = c
        .get_order_payment_request()
        .order_payment_request_id(id)
        .send()
        .await
        .unwrap()
        .into_inner()
        .order_payment_request;
    assert_eq!(paid.status, Status::Paid);

    // Paying again is refused with the page's own reason, and so is an unknown id.
    let again = emu.pay(id).unwrap_err();
    assert_eq!(again.id, id);
    let (status, html) = {
        let res = reqwest::Client::new()
            .post(format!("{}/_emulator/pay/{id}", emu.base_url()))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(status, 409);
    assert!(
        html.contains(&again.reason),
        "{} not in {html}",
        again.reason
    );
    let unknown = Uuid::new_v4();
    assert_eq!(
        emu.pay(unknown).unwrap_err().to_string(),
        format!("payment request {unknown} was not paid: no payment request has this id")
    );
}
