//! Retries against the emulator's fault injection: a `get` gets through injected `503`s and
//! `429`s, and fails with the typed error when only one attempt is allowed; a `create` whose
//! answer is lost (dropped connection, timeout) after the emulator stored it is found, never
//! made twice, even on its last attempt; when it cannot be looked up the answer says the
//! outcome is unknown.

use crate::emulator_support;

use std::sync::Arc;
use std::time::Duration;

use emulator_support::{
    client, emulator, held_with_external_id, new_request, policy, RecordingSleeper, ORDER_ID,
};
use wix_opr_emulator::faults::DEFAULT_SLOW;
use wix_opr_emulator::{FaultConfig, FaultKind};
use wix_order_payment_requests::{Error, RetryPolicy, WixClient};

fn faults(rate: f64, seed: u64, kinds: &[FaultKind]) -> FaultConfig {
    FaultConfig::new(rate, seed, kinds.to_vec(), DEFAULT_SLOW).unwrap()
}

/// How many requests in a row, from the first, the configuration makes fail.
fn leading_faults(cfg: &FaultConfig) -> usize {
    (0..).take_while(|&n| cfg.decision(n).is_some()).count()
}

/// The first seed (from 0) whose configuration satisfies `pick`; the decisions depend only on
/// the seed, so the choice is the same on every run.
fn seed_where(rate: f64, kinds: &[FaultKind], pick: impl Fn(&FaultConfig) -> bool) -> FaultConfig {
    (0..10_000)
        .map(|seed| faults(rate, seed, kinds))
        .find(|cfg| pick(cfg))
        .expect("a seed with the wanted decisions")
}

const TRANSIENT: [FaultKind; 2] = [FaultKind::Unavailable, FaultKind::TooManyRequests];

#[tokio::test]
async fn get_gets_through_injected_503_and_429() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(10, &sleeper));
    let id = wix
        .create(new_request(ORDER_ID, "Balance", None))
        .await
        .unwrap()
        .request
        .id;

    // rate 0.5: a seed whose first three requests fail, with both kinds among them.
    let cfg = seed_where(0.5, &TRANSIENT, |cfg| {
        let kinds: Vec<_> = (0..3).filter_map(|n| cfg.decision(n)).collect();
        leading_faults(cfg) == 3 && TRANSIENT.iter().all(|k| kinds.contains(k))
    });
    emu.faults().set(Some(cfg));
    let got = wix.get(id).await.unwrap();
    assert_eq!(got.id, id);
    assert_eq!(sleeper.waits().len(), 3, "one wait per injected failure");
}

#[tokio::test]
async fn a_single_attempt_fails_with_the_typed_error() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(10, &sleeper));
    let id = wix
        .create(new_request(ORDER_ID, "Balance", None))
        .await
        .unwrap()
        .request
        .id;
    let once = wix.with_retry_policy(RetryPolicy::disabled());
    for (kind, status) in [
        (FaultKind::Unavailable, 503),
        (FaultKind::TooManyRequests, 429),
    ] {
        let cfg = seed_where(0.5, &TRANSIENT, |cfg| cfg.decision(0) == Some(kind));
        emu.faults().set(Some(cfg.clone()));
        let error = once.get(id).await.unwrap_err();
        let Error::Api(api) = &error else {
            panic!("expected an API error, got {error:?}");
        };
        assert_eq!(api.status.as_u16(), status);
        assert!(api.code.is_none(), "{api:?}");
        assert!(
            api.request_id.is_some(),
            "injected errors keep the request id"
        );

        // The same through a scope around the original client's call.
        emu.faults().set(Some(cfg));
        let error = RetryPolicy::disabled()
            .scope(wix.get(id))
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
    assert!(sleeper.waits().is_empty(), "no attempt was repeated");
}

/// Drops the connection of the first request only (the next few answer normally).
fn drop_first_request_only() -> FaultConfig {
    seed_where(0.5, &[FaultKind::DropConnection], |cfg| {
        cfg.decision(0).is_some() && (1..8).all(|n| cfg.decision(n).is_none())
    })
}

#[tokio::test]
async fn create_with_external_id_is_found_instead_of_made_twice() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(3, &sleeper));
    emu.faults().set(Some(drop_first_request_only()));
    let created = wix
        .create(new_request(ORDER_ID, "Balance", Some("invoice-1")))
        .await
        .unwrap();
    emu.faults().set(None);
    let request = created.request;
    assert_eq!(
        request.source.unwrap().external_id.unwrap().to_string(),
        "invoice-1"
    );
    let url = created.url.to_string();
    assert!(url.contains(&request.id.to_string()), "{url}");
    assert_eq!(emu.payment_request_count(), 1);
    assert_eq!(held_with_external_id(&wix, "invoice-1").await, 1);
    assert!(sleeper.waits().is_empty(), "found at once, no retry wait");
}

#[tokio::test]
async fn create_dropped_on_its_only_attempt_is_found_with_its_url() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(1, &sleeper));
    emu.faults().set(Some(drop_first_request_only()));
    let created = wix
        .create(new_request(ORDER_ID, "Balance", Some("invoice-last")))
        .await
        .unwrap();
    emu.faults().set(None);
    let id = created.request.id;
    let url = created.url.to_string();
    assert!(url.contains(&id.to_string()), "{url}");
    assert_eq!(emu.payment_request_count(), 1);
}

#[tokio::test]
async fn create_that_times_out_after_being_stored_is_found_not_made_twice() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    // The first request is answered 5 s late; the client gives each attempt 1 s.
    let slow_first = seed_where(0.5, &[FaultKind::Slow], |cfg| {
        cfg.decision(0).is_some() && (1..8).all(|n| cfg.decision(n).is_none())
    });
    let slow_first = FaultConfig {
        slow: Duration::from_secs(5),
        ..slow_first
    };
    let wix = WixClient::builder()
        .base_url(emu.base_url())
        .api_key(emulator_support::API_KEY)
        .site_id(emulator_support::SITE_ID)
        .timeout(Duration::from_secs(1))
        .retry_policy(policy(3, &sleeper))
        .build()
        .unwrap();
    emu.faults().set(Some(slow_first));
    let created = wix
        .create(new_request(ORDER_ID, "Balance", Some("invoice-slow")))
        .await
        .unwrap();
    emu.faults().set(None);
    assert!(!created.url.as_str().is_empty());
    assert_eq!(emu.payment_request_count(), 1);
    assert_eq!(held_with_external_id(&wix, "invoice-slow").await, 1);
    assert!(sleeper.waits().is_empty(), "found at once, no retry wait");
}

#[tokio::test]
async fn the_attempt_timeout_holds_under_a_deadline() {
    // A request's own timeout replaces the HTTP client's, so a deadline must not lift the
    // builder's attempt timeout: the slow answer is cut off, not waited for.
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = WixClient::builder()
        .base_url(emu.base_url())
        .api_key(emulator_support::API_KEY)
        .site_id(emulator_support::SITE_ID)
        .timeout(Duration::from_millis(500))
        .retry_policy(policy(1, &sleeper).with_deadline(Some(Duration::from_secs(60))))
        .build()
        .unwrap();
    let id = wix
        .create(new_request(ORDER_ID, "Balance", None))
        .await
        .unwrap()
        .request
        .id;
    let slow_first = FaultConfig {
        slow: Duration::from_secs(10),
        ..seed_where(0.5, &[FaultKind::Slow], |cfg| cfg.decision(0).is_some())
    };
    emu.faults().set(Some(slow_first));
    let error = wix.get(id).await.unwrap_err();
    emu.faults().set(None);
    let Error::Transport { source, .. } = &error else {
        panic!("expected the attempt to time out, got {error:?}");
    };
    assert!(source.is_timeout(), "{source:?}");
}

#[tokio::test]
async fn create_without_external_id_answers_outcome_unknown_without_resending() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(3, &sleeper));
    emu.faults().set(Some(drop_first_request_only()));
    let error = wix
        .create(new_request(ORDER_ID, "Balance", None))
        .await
        .unwrap_err();
    emu.faults().set(None);
    assert!(error.is_outcome_unknown(), "{error:?}");
    let Error::OutcomeUnknown { attempt, .. } = &error else {
        unreachable!()
    };
    assert!(attempt.is_transport(), "{attempt:?}");
    // The emulator stored the request before dropping the answer, and holds only that one.
    assert_eq!(emu.payment_request_count(), 1);
    assert!(sleeper.waits().is_empty());
}

#[tokio::test]
async fn create_whose_lookup_also_fails_answers_outcome_unknown_and_is_not_resent() {
    let emu = emulator().await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let wix = client(&emu, policy(3, &sleeper));
    // Every request loses its answer: the create and each lookup attempt.
    emu.faults()
        .set(Some(faults(1.0, 0, &[FaultKind::DropConnection])));
    let error = wix
        .create(new_request(ORDER_ID, "Balance", Some("invoice-2")))
        .await
        .unwrap_err();
    emu.faults().set(None);
    let Error::OutcomeUnknown {
        external_id,
        lookup,
        ..
    } = &error
    else {
        panic!("expected OutcomeUnknown, got {error:?}");
    };
    assert_eq!(external_id.as_deref(), Some("invoice-2"));
    assert!(lookup.is_some());
    assert_eq!(emu.payment_request_count(), 1);
    assert_eq!(held_with_external_id(&wix, "invoice-2").await, 1);
}
