//! The `wix.call` tracing span of each call. Alone in its test binary: tracing caches
//! per-callsite interest process-wide, so a span test must not race other tests' calls.

#[path = "it/client_common.rs"]
mod client_common;
#[path = "it/support.rs"]
mod support;

use std::sync::{Arc, Mutex};

use client_common::{client, opr_json, policy, RecordingSleeper, OPR_ID};
use serde_json::json;
use support::{Scripted, TestServer, API_KEY};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Captures the `wix.call` span's fields and everything any event or span logs.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<(String, String)>>>);

impl Visit for Capture {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .lock()
            .unwrap()
            .push((field.name().to_string(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .lock()
            .unwrap()
            .push((field.name().to_string(), value.to_string()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        _ctx: Context<'_, S>,
    ) {
        attrs.record(&mut self.clone());
    }
    fn on_record(
        &self,
        _id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: Context<'_, S>,
    ) {
        values.record(&mut self.clone());
    }
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        event.record(&mut self.clone());
    }
}

#[tokio::test]
async fn each_call_has_a_span_with_operation_attempts_status_and_request_id() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = TestServer::start(vec![
        Scripted::json(503, json!({"message": ""})),
        Scripted::json(200, json!({"orderPaymentRequest": opr_json(OPR_ID, "e")})),
    ])
    .await;
    client(&server, policy(2, &Arc::new(RecordingSleeper::default())))
        .get(OPR_ID.parse().unwrap())
        .await
        .unwrap();
    let fields = capture.0.lock().unwrap().clone();
    let get = |name: &str| {
        fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .next_back()
    };
    assert_eq!(
        get("operation").as_deref(),
        Some("get_order_payment_request")
    );
    assert_eq!(get("attempt").as_deref(), Some("2"));
    assert_eq!(get("status").as_deref(), Some("200"));
    assert_eq!(get("request_id").as_deref(), Some("req-1234567890"));
    assert!(get("duration_ms").is_some());
    assert!(fields.iter().all(|(_, v)| !v.contains(API_KEY)));
    assert!(
        fields.iter().all(|(_, v)| !v.contains("Balance Due")),
        "no bodies"
    );
}
