//! Webhook verification and decoding: the happy path for every event type, every attack the
//! verifier must refuse (one test each, asserting the precise error), the ledger, and the
//! encoder's output shape. Payloads in the shape of Wix's published examples, and the string
//! form of their bodies, are in `webhooks_wix_examples.rs`.

#![cfg(feature = "webhooks")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::testing::{
    forge_token, peek_claims, sign_with_header, tamper_claims,
};
use wix_order_payment_requests::webhooks::{
    decode_claims, Event, EventPayload, FixedClock, WebhookError, WebhookEventKind,
    WebhookEventType, WebhookSigner, WebhookVerifier, MAX_BODY_BYTES,
};
use wix_order_payment_requests::WebhookIdentityType;

const APP_PRIVATE: &[u8] = wix_order_payment_requests::testing::APP_PRIVATE_KEY_PEM.as_bytes();
const APP_PUBLIC: &[u8] = wix_order_payment_requests::testing::APP_PUBLIC_KEY_PEM.as_bytes();
const WRONG_PRIVATE: &[u8] = wix_order_payment_requests::testing::WRONG_PRIVATE_KEY_PEM.as_bytes();
const REQUEST_JSON: &str = include_str!("../../fixtures/webhooks/order_payment_request.json");

/// The fixed "now" of these tests: 2026-07-02T12:00:00Z.
const NOW: u64 = 1_782_993_600;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::from_rsa_pem(APP_PUBLIC)
        .unwrap()
        .with_clock(FixedClock::at_unix(NOW))
}

fn signer() -> WebhookSigner {
    WebhookSigner::from_rsa_pem(APP_PRIVATE)
        .unwrap()
        .with_kid("test-only")
}

fn request() -> types::OrderPaymentRequest {
    serde_json::from_str(REQUEST_JSON).unwrap()
}

fn payload(event_type: WebhookEventType) -> EventPayload {
    EventPayload::new(event_type, request())
        .with_event_id("evt-1")
        .with_sequence(7)
        .with_instance_id("0f6c3a57-7a4b-4c3e-9a51-1d2e3f4a5b6c".parse().unwrap())
        .with_identity(types::IdentificationData {
            identity_type: Some(WebhookIdentityType::App),
            app_id: Some("8f2d3c4b-1a2b-4c5d-8e9f-0a1b2c3d4e5f".parse().unwrap()),
            ..Default::default()
        })
        .with_event_time("2026-07-02T11:59:58Z".parse().unwrap())
}

fn paid_token() -> String {
    signer()
        .sign_event(
            &payload(WebhookEventType::WixEcomV1OrderPaymentRequestPaid),
            now(),
        )
        .unwrap()
}

/// Signs claims whose envelope is `envelope` (a JSON value put into `data` as a string).
fn sign_envelope(envelope: &Value) -> String {
    signer()
        .sign_json(&json!({"data": envelope.to_string(), "iat": NOW, "exp": NOW + 300}))
        .unwrap()
}

fn good_envelope() -> Value {
    let claims = peek_claims(&paid_token()).unwrap();
    serde_json::from_str(claims["data"].as_str().unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Happy path
// ---------------------------------------------------------------------------------------------

#[test]
fn a_signed_paid_event_decodes_with_its_metadata() {
    let event = verifier().verify(paid_token().as_bytes()).unwrap();
    let Event::Paid(paid) = &event else {
        panic!("expected Paid, got {event:?}")
    };
    assert_eq!(paid.order_payment_request, request());
    let meta = &paid.metadata;
    assert_eq!(meta.event_id.as_deref(), Some("evt-1"));
    assert_eq!(
        meta.entity_id.as_deref(),
        Some("5a8f1e0c-3b8e-4a57-9d7a-2a8f2c1d9e11")
    );
    assert_eq!(meta.entity_event_sequence, Some(7));
    assert_eq!(meta.entity_event_sequence_raw.as_deref(), Some("7"));
    assert_eq!(meta.slug.as_deref(), Some("paid"));
    assert_eq!(
        meta.entity_fqdn.as_deref(),
        Some("wix.ecom.v1.order_payment_request")
    );
    assert_eq!(
        meta.event_time,
        Some("2026-07-02T11:59:58Z".parse().unwrap())
    );
    assert_eq!(
        meta.instance_id,
        Some("0f6c3a57-7a4b-4c3e-9a51-1d2e3f4a5b6c".parse().unwrap())
    );
    let identity = meta.identity.as_ref().unwrap();
    assert_eq!(identity.identity_type, Some(WebhookIdentityType::App));
    assert_eq!(
        event.event_type(),
        &WebhookEventType::WixEcomV1OrderPaymentRequestPaid
    );
    assert_eq!(
        event.order_payment_request().unwrap().status,
        wix_order_payment_requests::Status::Paid
    );
}

#[test]
fn every_event_type_of_the_spec_round_trips_to_its_variant() {
    for event_type in WebhookEventType::KNOWN {
        let token = signer()
            .sign_event(&payload(event_type.clone()), now())
            .unwrap();
        let event = verifier().verify(token.as_bytes()).unwrap();
        let matches = matches!(
            (&event, event_type),
            (
                Event::Created(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestCreated
            ) | (
                Event::Updated(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestUpdated
            ) | (
                Event::Deleted(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestDeleted
            ) | (
                Event::Paid(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestPaid
            ) | (
                Event::Expired(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestExpired
            ) | (
                Event::Voided(_),
                WebhookEventType::WixEcomV1OrderPaymentRequestVoided
            )
        );
        assert!(matches, "{event_type} decoded as {event:?}");
        assert_eq!(event.order_payment_request(), Some(&request()));
        assert_eq!(event.metadata().slug.as_deref(), event_type.slug());
    }
}

#[test]
fn the_generated_event_types_follow_the_spec() {
    assert_eq!(WebhookEventType::KNOWN.len(), 6);
    let paid = WebhookEventType::from("wix.ecom.v1.order_payment_request_paid");
    assert_eq!(paid.slug(), Some("paid"));
    assert_eq!(paid.kind(), Some(WebhookEventKind::Action));
    assert_eq!(paid.body_schema(), Some("OrderPaymentRequestPaid"));
    let created = WebhookEventType::WixEcomV1OrderPaymentRequestCreated;
    assert_eq!(created.kind(), Some(WebhookEventKind::Created));
    assert_eq!(created.body_schema(), Some("OrderPaymentRequest"));
    let other = WebhookEventType::from("wix.ecom.v1.order_payment_request_refunded");
    assert!(other.is_unknown());
    assert_eq!(other.kind(), None);
}

#[test]
fn an_unknown_event_type_is_kept_raw() {
    let mut envelope = good_envelope();
    envelope["eventType"] = json!("wix.ecom.v1.order_payment_request_refunded");
    let token = sign_envelope(&envelope);
    let event = verifier().verify(token.as_bytes()).unwrap();
    let Event::Unknown(unknown) = event else {
        panic!("expected Unknown")
    };
    assert_eq!(
        unknown.metadata.event_type.as_str(),
        "wix.ecom.v1.order_payment_request_refunded"
    );
    assert_eq!(unknown.metadata.event_id.as_deref(), Some("evt-1"));
    assert_eq!(unknown.raw_domain_event, envelope["data"].as_str().unwrap());
    assert!(unknown.domain_event.action_event.is_some());
}

#[test]
fn an_unknown_event_type_with_a_body_of_another_shape_still_decodes() {
    let mut envelope = good_envelope();
    envelope["eventType"] = json!("wix.ecom.v1.order_payment_request_refunded");
    let mut domain: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
    domain["slug"] = json!("refunded");
    domain["actionEvent"]["body"] =
        json!({"orderPaymentRequest": "opr-1", "refund": {"amount": "5"}});
    envelope["data"] = json!(domain.to_string());
    let event = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap();
    let Event::Unknown(unknown) = event else {
        panic!("expected Unknown")
    };
    assert_eq!(unknown.metadata.slug.as_deref(), Some("refunded"));
    assert_eq!(unknown.metadata.entity_event_sequence, Some(7));
    assert_eq!(
        unknown.domain_event.action_event.as_ref().unwrap().body,
        None
    );
    assert_eq!(unknown.raw_domain_event, envelope["data"].as_str().unwrap());

    // The same body under a known event type is refused, naming the member.
    envelope["eventType"] = json!("wix.ecom.v1.order_payment_request_paid");
    let err = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::MalformedJson { path, .. }
            if path == "data.data.actionEvent.body.orderPaymentRequest"),
        "{err:?}"
    );
}

#[test]
fn an_unknown_identity_type_does_not_fail() {
    let mut envelope = good_envelope();
    envelope["identity"] = json!(json!({"identityType": "ROBOT"}).to_string());
    let event = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap();
    assert_eq!(
        event.metadata().identity.as_ref().unwrap().identity_type,
        Some(WebhookIdentityType::Unrecognized("ROBOT".into()))
    );
}

#[test]
fn leeway_accepts_small_clock_skew() {
    let token = paid_token();
    // exp = NOW + 300; 30 s after it, within the default 60 s leeway.
    let late = WebhookVerifier::from_rsa_pem(APP_PUBLIC)
        .unwrap()
        .with_clock(FixedClock::at_unix(NOW + 330));
    assert!(late.verify(token.as_bytes()).is_ok());
    let strict = late.clone().with_leeway(Duration::ZERO);
    assert!(matches!(
        strict.verify(token.as_bytes()),
        Err(WebhookError::Expired { .. })
    ));
}

#[test]
fn decode_claims_works_on_claims_alone() {
    let claims = payload(WebhookEventType::WixEcomV1OrderPaymentRequestVoided)
        .claims(now(), Duration::from_secs(60))
        .unwrap();
    assert!(matches!(decode_claims(&claims).unwrap(), Event::Voided(_)));
}

#[test]
fn the_encoder_nests_json_strings_and_embeds_the_body_as_wix_does() {
    let claims = peek_claims(&paid_token()).unwrap();
    assert_eq!(claims["iat"], json!(NOW));
    assert_eq!(claims["exp"], json!(NOW + 300));
    let envelope: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
    assert_eq!(
        envelope["eventType"],
        "wix.ecom.v1.order_payment_request_paid"
    );
    assert!(envelope["identity"].is_string());
    let domain: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
    assert_eq!(domain["entityEventSequence"], "7");
    // The action body is an embedded object, not a string, and only under its primary name.
    let action = domain["actionEvent"].as_object().unwrap();
    assert_eq!(action.keys().collect::<Vec<_>>(), ["body"]);
    assert_eq!(
        action["body"]["orderPaymentRequest"]["amount"]["amount"],
        "15.50"
    );
    for (event_type, member, body) in [
        (
            WebhookEventType::WixEcomV1OrderPaymentRequestCreated,
            "createdEvent",
            "entity",
        ),
        (
            WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
            "updatedEvent",
            "currentEntity",
        ),
        (
            WebhookEventType::WixEcomV1OrderPaymentRequestDeleted,
            "deletedEvent",
            "deletedEntity",
        ),
    ] {
        let claims = payload(event_type)
            .claims(now(), Duration::from_secs(60))
            .unwrap();
        let envelope: Value = serde_json::from_str(&claims.data).unwrap();
        let domain: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
        let carried = domain[member].as_object().unwrap();
        assert_eq!(carried.keys().collect::<Vec<_>>(), [body], "{member}");
        assert_eq!(carried[body], serde_json::to_value(request()).unwrap());
    }
}

#[test]
fn the_signer_does_not_show_its_key() {
    let shown = format!("{:?}", signer());
    assert!(shown.contains("redacted"));
    let pem = std::str::from_utf8(APP_PRIVATE).unwrap();
    let key_line = pem.lines().nth(1).unwrap();
    assert!(!shown.contains(&key_line[..20]));
}

// ---------------------------------------------------------------------------------------------
// Attacks: each must fail with its own error.
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_alg_none_is_refused() {
    let claims = peek_claims(&paid_token()).unwrap();
    let token = forge_token(&json!({"alg": "none", "typ": "JWT"}), &claims, b"");
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, WebhookError::WrongAlgorithm { found } if found == "none"),
        "{err:?}"
    );
    assert_eq!(err.http_status(), 401);
}

#[test]
fn attack_hs256_signed_with_the_public_key_is_refused() {
    let claims = peek_claims(&paid_token()).unwrap();
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(APP_PUBLIC),
    )
    .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, WebhookError::WrongAlgorithm { found } if found == "HS256"),
        "{err:?}"
    );
}

#[test]
fn attack_wrong_key_is_refused() {
    let token = WebhookSigner::from_rsa_pem(WRONG_PRIVATE)
        .unwrap()
        .sign_event(
            &payload(WebhookEventType::WixEcomV1OrderPaymentRequestPaid),
            now(),
        )
        .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature), "{err:?}");
}

#[test]
fn attack_expired_token_is_refused() {
    let token = signer()
        .with_ttl(Duration::from_secs(60))
        .sign_event(
            &payload(WebhookEventType::WixEcomV1OrderPaymentRequestPaid),
            now() - Duration::from_secs(3600),
        )
        .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(err, WebhookError::Expired { exp, now, leeway_secs: 60 }
            if exp == NOW as i64 - 3540 && now == NOW as i64),
        "{err:?}"
    );
}

#[test]
fn attack_token_issued_in_the_future_is_refused() {
    let token = signer()
        .sign_event(
            &payload(WebhookEventType::WixEcomV1OrderPaymentRequestPaid),
            now() + Duration::from_secs(600),
        )
        .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(err, WebhookError::NotYetValid { iat, .. } if iat == NOW as i64 + 600),
        "{err:?}"
    );
}

#[test]
fn attack_tampered_payload_is_refused() {
    let token = paid_token();
    let mut claims = peek_claims(&token).unwrap();
    let mut envelope: Value = serde_json::from_str(claims["data"].as_str().unwrap()).unwrap();
    envelope["instanceId"] = json!("11111111-1111-4111-8111-111111111111");
    claims["data"] = json!(envelope.to_string());
    let err = verifier()
        .verify(tamper_claims(&token, &claims).as_bytes())
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature), "{err:?}");
}

#[test]
fn attack_truncated_token_is_refused() {
    let token = paid_token();
    let err = verifier()
        .verify(&token.as_bytes()[..token.len() / 2])
        .unwrap_err();
    assert!(matches!(err, WebhookError::NotAJwt { .. }), "{err:?}");
    // Cut inside the signature: the segments are there, the signature does not verify.
    let err = verifier()
        .verify(&token.as_bytes()[..token.len() - 8])
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature), "{err:?}");
}

#[test]
fn attack_inner_data_not_a_string_is_refused() {
    let mut envelope = good_envelope();
    let domain: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
    envelope["data"] = domain;
    let err = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::NotAString { path, found: "an object" } if path == "data.data"),
        "{err:?}"
    );
    assert_eq!(err.http_status(), 400);
}

#[test]
fn attack_inner_json_malformed_is_refused() {
    let mut envelope = good_envelope();
    envelope["data"] = json!("{\"id\": \"evt-1\", \"actionEvent\": ");
    let err = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::MalformedJson { path, .. } if path == "data.data"),
        "{err:?}"
    );
}

#[test]
fn attack_oversized_body_is_refused_before_parsing() {
    let body = vec![b'a'; MAX_BODY_BYTES + 1];
    let err = verifier().verify(&body).unwrap_err();
    assert!(
        matches!(err, WebhookError::BodyTooLarge { size, limit }
            if size == MAX_BODY_BYTES + 1 && limit == MAX_BODY_BYTES),
        "{err:?}"
    );
    assert_eq!(err.http_status(), 413);
}

// More refusals.

#[test]
fn claims_data_not_a_string_is_refused() {
    let token = signer()
        .sign_json(&json!({"data": good_envelope(), "iat": NOW, "exp": NOW + 300}))
        .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, WebhookError::NotAString { path, .. } if path == "data"),
        "{err:?}"
    );
}

#[test]
fn attack_critical_extension_is_refused_though_the_signature_verifies() {
    let claims = peek_claims(&paid_token()).unwrap();
    for crit in [
        json!(["http://example.com/must-understand"]),
        json!(["exp"]),
        json!([]),
        json!("b64"),
    ] {
        let header = json!({
            "alg": "RS256",
            "typ": "JWT",
            "crit": crit,
            "http://example.com/must-understand": true,
        });
        let token = sign_with_header(APP_PRIVATE, &header, &claims).unwrap();
        // The same header without `crit` verifies: only `crit` is refused.
        let mut plain = header.clone();
        plain.as_object_mut().unwrap().remove("crit");
        let accepted = sign_with_header(APP_PRIVATE, &plain, &claims).unwrap();
        assert!(verifier().verify(accepted.as_bytes()).is_ok());

        let err = verifier().verify(token.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, WebhookError::UnsupportedCritical { crit: found }
                if serde_json::from_str::<Value>(found).unwrap() == crit),
            "{err:?}"
        );
        assert_eq!(err.http_status(), 401);
    }
}

/// A token signed with the app key whose claims are the paid event's plus `nbf`.
fn token_with_nbf(nbf: Value) -> String {
    let mut claims = peek_claims(&paid_token()).unwrap();
    claims["nbf"] = nbf;
    signer().sign_json(&claims).unwrap()
}

#[test]
fn attack_token_not_valid_yet_is_refused() {
    let token = token_with_nbf(json!(NOW + 600));
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(err, WebhookError::NotBefore { nbf, now, leeway_secs: 60 }
            if nbf == NOW as i64 + 600 && now == NOW as i64),
        "{err:?}"
    );
    assert_eq!(err.http_status(), 401);
}

#[test]
fn nbf_has_the_same_leeway_as_exp() {
    // 30 s ahead of the clock: within the default 60 s leeway, outside a zero one.
    let token = token_with_nbf(json!(NOW + 30));
    assert!(verifier().verify(token.as_bytes()).is_ok());
    let strict = verifier().with_leeway(Duration::ZERO);
    assert!(matches!(
        strict.verify(token.as_bytes()),
        Err(WebhookError::NotBefore { .. })
    ));
    // Passed: accepted even without leeway.
    let past = token_with_nbf(json!(NOW - 1));
    assert!(strict.verify(past.as_bytes()).is_ok());
}

#[test]
fn a_malformed_nbf_is_refused() {
    let token = token_with_nbf(json!("tomorrow"));
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, WebhookError::MalformedJson { path, .. } if path == "nbf"),
        "{err:?}"
    );
}

#[test]
fn a_token_without_exp_is_refused_unless_allowed() {
    let token = signer()
        .sign_json(&json!({"data": good_envelope().to_string(), "iat": NOW}))
        .unwrap();
    let err = verifier().verify(token.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, WebhookError::Missing { path } if path == "exp"),
        "{err:?}"
    );
    assert!(verifier()
        .require_exp(false)
        .verify(token.as_bytes())
        .is_ok());
}

#[test]
fn a_paid_event_without_its_body_is_refused() {
    let mut envelope = good_envelope();
    let mut domain: Value = serde_json::from_str(envelope["data"].as_str().unwrap()).unwrap();
    domain.as_object_mut().unwrap().remove("actionEvent");
    envelope["data"] = json!(domain.to_string());
    let err = verifier()
        .verify(sign_envelope(&envelope).as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::Missing { path } if path == "data.data.actionEvent.body"),
        "{err:?}"
    );
}

/// A P-256 public key: a valid `PUBLIC KEY` PEM, but not RSA.
const EC_PUBLIC: &[u8] = include_bytes!("../../fixtures/webhooks/test_only_ec_public.pem");
/// [`APP_PUBLIC`] in its PKCS #1 form (`openssl rsa -pubin -RSAPublicKey_out`).
const APP_PUBLIC_PKCS1: &[u8] =
    include_bytes!("../../fixtures/webhooks/test_only_app_key_public_pkcs1.pem");

#[test]
fn a_key_that_is_not_an_rsa_public_key_is_refused_when_the_verifier_is_made() {
    for (pem, why) in [
        (EC_PUBLIC, "not an RSA public key"),
        (APP_PRIVATE, "not a public key"),
    ] {
        let Err(WebhookError::InvalidKey { reason }) = WebhookVerifier::from_rsa_pem(pem) else {
            panic!("{why}: refused");
        };
        assert!(reason.contains(why), "{reason}");
    }
    // The same key's PKCS #1 form is accepted, and verifies what the SPKI form verifies.
    assert!(APP_PUBLIC_PKCS1.starts_with(b"-----BEGIN RSA PUBLIC KEY-----"));
    let verifier = WebhookVerifier::from_rsa_pem(APP_PUBLIC_PKCS1)
        .unwrap()
        .with_clock(FixedClock::at_unix(NOW));
    assert!(verifier.verify(paid_token().as_bytes()).is_ok());
}

#[test]
fn a_non_pem_key_is_refused() {
    assert!(matches!(
        WebhookVerifier::from_rsa_pem(b"not a key"),
        Err(WebhookError::InvalidKey { .. })
    ));
    assert!(matches!(
        WebhookSigner::from_rsa_pem(APP_PUBLIC),
        Err(WebhookError::InvalidKey { .. })
    ));
}

#[test]
fn verify_at_checks_the_times_as_of_receipt_and_the_signature_as_always() {
    // Signed two hours ago with the default five-minute lifetime: expired now.
    let signed_at = SystemTime::now() - Duration::from_secs(7200);
    let request: types::OrderPaymentRequest = serde_json::from_str(REQUEST_JSON).unwrap();
    let payload = EventPayload::new(WebhookEventType::WixEcomV1OrderPaymentRequestPaid, request)
        .with_event_id("evt-stored");
    let token = WebhookSigner::from_rsa_pem(APP_PRIVATE)
        .unwrap()
        .sign_event(&payload, signed_at)
        .unwrap();
    let verifier = WebhookVerifier::from_rsa_pem(APP_PUBLIC).unwrap();
    assert!(matches!(
        verifier.verify(token.as_bytes()),
        Err(WebhookError::Expired { .. })
    ));
    // Received (and stored) a second after it was signed: it was fresh then.
    let received_at = signed_at + Duration::from_secs(1);
    let event = verifier.verify_at(token.as_bytes(), received_at).unwrap();
    assert_eq!(event.metadata().event_id.as_deref(), Some("evt-stored"));
    // A receipt time after the token's exp does not pass.
    assert!(matches!(
        verifier.verify_at(token.as_bytes(), signed_at + Duration::from_secs(3600)),
        Err(WebhookError::Expired { .. })
    ));
    // Nor does another key's signature, whatever the time.
    let forged = WebhookSigner::from_rsa_pem(WRONG_PRIVATE)
        .unwrap()
        .sign_event(&payload, signed_at)
        .unwrap();
    assert!(matches!(
        verifier.verify_at(forged.as_bytes(), received_at),
        Err(WebhookError::InvalidSignature)
    ));
}
