//! Flows against the in-process emulator: send → query → resend → void, with `listen`
//! receiving the emulator's signed deliveries, `verify-webhook` verifying one, and `schema`.

use std::process::Stdio;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdout};
use tokio::sync::mpsc;
use wix_opr_emulator::Emulator;

use crate::support::{command, public_key_file, run, run_against, ORDER};

/// How long a test waits for a line before failing instead of hanging.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `wix-opr listen`.
struct Listener {
    _child: Child,
    _key: tempfile::TempPath,
    url: String,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: Lines<BufReader<ChildStderr>>,
}

impl Listener {
    async fn start(extra: &[&str]) -> Self {
        let key = public_key_file();
        let key_path = key.to_str().unwrap().to_string();
        let mut args = vec!["listen", "--port", "0", "--public-key", &key_path];
        args.extend_from_slice(extra);
        let mut child = command(&args, &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = next_line(&mut stderr).await;
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        Self {
            _child: child,
            _key: key,
            url,
            stdout,
            stderr,
        }
    }

    /// The next line on stderr that contains `text`.
    async fn stderr_line_containing(&mut self, text: &str) -> String {
        loop {
            let line = next_line(&mut self.stderr).await;
            if line.contains(text) {
                return line;
            }
        }
    }

    /// The next event printed on stdout.
    async fn next_event(&mut self) -> Value {
        let line = next_line(&mut self.stdout).await;
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    /// Events until one of `event_type` about `id`.
    async fn event_for(&mut self, event_type: &str, id: &str) -> Value {
        loop {
            let event = self.next_event().await;
            if event["eventType"] == event_type && event["orderPaymentRequest"]["id"] == id {
                return event;
            }
        }
    }
}

async fn next_line<R: tokio::io::AsyncBufRead + Unpin>(lines: &mut Lines<R>) -> String {
    tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .expect("a line within the test's patience")
        .unwrap()
        .expect("the process is still writing")
}

async fn emulator_delivering_to(url: &str) -> Emulator {
    Emulator::builder()
        .webhook_subscriber(format!("{url}/webhooks/opr"))
        .start()
        .await
        .unwrap()
}

const CREATED: &str = "wix.ecom.v1.order_payment_request_created";
const VOIDED: &str = "wix.ecom.v1.order_payment_request_voided";

#[tokio::test(flavor = "multi_thread")]
async fn send_query_resend_void_and_listen_receives_the_events() {
    let mut listener = Listener::start(&[]).await;
    let emulator = emulator_delivering_to(&listener.url).await;

    let sent = run_against(
        &emulator,
        &[
            "send",
            "--order-id",
            ORDER,
            "--amount",
            "15.50",
            "--title",
            "Balance Due for Order #10052",
            "--external-id",
            "cli-e2e-1",
            "--expires-in",
            "7d",
        ],
        "",
    )
    .await
    .ok()
    .json();
    let id = sent["id"].as_str().expect("an id").to_string();
    let url = sent["url"].as_str().expect("a URL");
    assert!(url.starts_with("http"), "{sent}");
    assert_eq!(sent["created"], true);

    let again = run_against(
        &emulator,
        &[
            "send",
            "--order-id",
            ORDER,
            "--amount",
            "15.50",
            "--title",
            "Again",
            "--external-id",
            "cli-e2e-1",
        ],
        "",
    )
    .await
    .ok()
    .json();
    assert_eq!(
        again["id"],
        id.as_str(),
        "the same external id finds the same request"
    );
    assert_eq!(again["created"], false);
    assert!(
        again["url"].as_str().unwrap().starts_with("http"),
        "{again}"
    );

    let query = r#"{"query": {"filter": {"source.externalId": {"$eq": "cli-e2e-1"}}}}"#;
    let found = run_against(
        &emulator,
        &["query-order-payment-requests", "--json-body", "-"],
        query,
    )
    .await
    .ok()
    .json();
    let found = found["orderPaymentRequests"].as_array().unwrap().clone();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], id.as_str());
    assert_eq!(found[0]["amount"]["amount"], "15.50");
    assert_eq!(found[0]["status"], "UNPAID");

    let table = run_against(
        &emulator,
        &[
            "--output",
            "table",
            "query-order-payment-requests",
            "--json-body",
            "-",
        ],
        query,
    )
    .await
    .ok()
    .stdout;
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(
        lines[0].starts_with("ID ") && lines[0].contains("  STATUS "),
        "{table}"
    );
    let status_column = lines[0].find("STATUS").unwrap();
    assert!(lines[1].starts_with(&id), "{table}");
    assert_eq!(
        &lines[1][status_column..status_column + 6],
        "UNPAID",
        "{table}"
    );
    assert!(!table.contains("Some("), "{table}");

    let resent = run_against(&emulator, &["resend", "--order-id", ORDER], "")
        .await
        .ok()
        .json();
    let row = resent
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} not in {resent}"));
    assert!(row["url"].as_str().unwrap().starts_with("http"), "{row}");
    assert_eq!(row["amount"], "15.50");

    run_against(
        &emulator,
        &[
            "void-order-payment-request",
            "--order-payment-request-id",
            &id,
        ],
        "",
    )
    .await
    .ok();
    let got = run_against(
        &emulator,
        &[
            "get-order-payment-request",
            "--order-payment-request-id",
            &id,
        ],
        "",
    )
    .await
    .ok()
    .json();
    assert_eq!(got["orderPaymentRequest"]["status"], "VOIDED");

    let created = listener.event_for(CREATED, &id).await;
    assert_eq!(created["orderPaymentRequest"]["status"], "UNPAID");
    assert_eq!(created["entityId"], id.as_str());
    let voided = listener.event_for(VOIDED, &id).await;
    assert_eq!(voided["orderPaymentRequest"]["status"], "VOIDED");

    let after_void = run_against(&emulator, &["resend", "--order-id", ORDER], "")
        .await
        .ok()
        .json();
    assert!(
        after_void
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != id.as_str()),
        "a voided request is not resent: {after_void}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_rejects_a_forgery_on_stderr_and_answers_an_error() {
    let mut listener = Listener::start(&[]).await;
    let answer = reqwest::Client::new()
        .post(format!("{}/anything", listener.url))
        .body("eyJhbGciOiJub25lIn0.e30.")
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_client_error(), "{}", answer.status());
    let line = listener.stderr_line_containing("webhook refused").await;
    assert!(line.contains("path=/anything"), "{line}");

    let answer = reqwest::Client::new()
        .get(format!("{}/anything", listener.url))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 405);
    let line = listener
        .stderr_line_containing("deliveries are POSTed")
        .await;
    assert!(line.contains("method=GET"), "{line}");
}

/// One POST the recorder got.
#[derive(Debug)]
struct Forwarded {
    event_id: String,
    attempt: String,
    received_at: String,
    content_type: String,
    body: String,
}

/// A server that records what is POSTed to it, and answers `503` to the first `failures`
/// requests, then `200`.
async fn recorder(failures: usize) -> (String, mpsc::UnboundedReceiver<Forwarded>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
        let sender = sender.clone();
        let n = seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            let _ = sender.send(Forwarded {
                event_id: header("wix-opr-event-id"),
                attempt: header("wix-opr-attempt"),
                received_at: header("wix-opr-received-at"),
                content_type: header("content-type"),
                body,
            });
            if n < failures {
                (StatusCode::SERVICE_UNAVAILABLE, "not now")
            } else {
                (StatusCode::OK, "ok")
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

async fn next_forwarded(forwarded: &mut mpsc::UnboundedReceiver<Forwarded>) -> Forwarded {
    tokio::time::timeout(PATIENCE, forwarded.recv())
        .await
        .expect("a forwarded delivery")
        .unwrap()
}

/// Sends a payment request through `emulator` and returns its id.
async fn send_tip(emulator: &Emulator) -> String {
    let sent = run_against(
        emulator,
        &[
            "send",
            "--order-id",
            ORDER,
            "--amount",
            "3.00",
            "--title",
            "Tip",
        ],
        "",
    )
    .await
    .ok()
    .json();
    sent["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_forwards_stored_deliveries_and_verify_webhook_reads_one() {
    let (forward_url, mut forwarded) = recorder(0).await;
    let listener = Listener::start(&["--forward-to", &forward_url]).await;
    let emulator = emulator_delivering_to(&listener.url).await;
    let id = send_tip(&emulator).await;

    let key = public_key_file();
    let mut verified = None;
    while verified.is_none() {
        let delivery = next_forwarded(&mut forwarded).await;
        assert_eq!(delivery.attempt, "1", "{delivery:?}");
        assert_eq!(delivery.content_type, "text/plain; charset=utf-8");
        let received_at: i64 = delivery.received_at.parse().expect("Unix seconds");
        let now = chrono::Utc::now().timestamp();
        assert!((now - 60..=now).contains(&received_at), "{delivery:?}");
        let run = run(
            &["verify-webhook", "--public-key", key.to_str().unwrap()],
            &[],
            &delivery.body,
        )
        .await
        .ok();
        let event = run.json();
        assert_eq!(event["eventId"], delivery.event_id.as_str(), "{event}");
        if event["eventType"] == CREATED && event["orderPaymentRequest"]["id"] == id.as_str() {
            verified = Some(event);
        }
    }

    let tampered = run(
        &["verify-webhook", "--public-key", key.to_str().unwrap()],
        &[],
        "not.a.token",
    )
    .await;
    assert_eq!(tampered.code, Some(1));
    assert!(
        tampered.stderr.contains("rejected: "),
        "{}",
        tampered.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_answers_wix_once_stored_and_retries_the_forward_until_the_app_takes_it() {
    let (forward_url, mut forwarded) = recorder(1).await;
    let mut listener = Listener::start(&["--forward-to", &forward_url]).await;
    let emulator = emulator_delivering_to(&listener.url).await;
    send_tip(&emulator).await;

    let first = next_forwarded(&mut forwarded).await;
    assert_eq!(first.attempt, "1");
    let second = next_forwarded(&mut forwarded).await;
    assert_eq!(second.event_id, first.event_id);
    assert_eq!(second.attempt, "2");
    assert_eq!(second.body, first.body);
    listener.stderr_line_containing("will retry").await;
    let line = listener.stderr_line_containing("forwarded").await;
    assert!(line.contains(&first.event_id), "{line}");
    assert!(line.contains("attempt=2"), "{line}");

    tokio::time::timeout(PATIENCE, emulator.webhooks().idle())
        .await
        .expect("the emulator's deliveries settle");
    let deliveries = emulator.webhooks().deliveries();
    let attempts: Vec<_> = deliveries
        .iter()
        .filter(|d| d.event_id == first.event_id)
        .collect();
    assert_eq!(attempts.len(), 1, "Wix got its 200 at once: {attempts:#?}");
    assert!(attempts[0].outcome.is_delivered(), "{attempts:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_parks_an_event_as_dead_after_max_attempts() {
    let (forward_url, mut forwarded) = recorder(usize::MAX).await;
    let mut listener =
        Listener::start(&["--forward-to", &forward_url, "--max-attempts", "1"]).await;
    let emulator = emulator_delivering_to(&listener.url).await;
    send_tip(&emulator).await;

    let first = next_forwarded(&mut forwarded).await;
    let line = listener.stderr_line_containing("parked as dead").await;
    assert!(line.contains(&first.event_id), "{line}");
    assert!(line.contains("503"), "{line}");
}

#[tokio::test]
async fn schema_prints_the_json_schema_of_a_named_type() {
    let schema = run(&["schema", "OrderPaymentRequest"], &[], "")
        .await
        .ok()
        .json();
    assert_eq!(schema["title"], "OrderPaymentRequest");
    assert!(schema["properties"]["title"].is_object(), "{schema}");
    let amount = &schema["definitions"]["DecimalAmount"];
    let spec: Value = serde_yaml::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        amount["pattern"], spec["components"]["schemas"]["DecimalAmount"]["pattern"],
        "{schema}"
    );
    let status = &schema["definitions"]["Status"];
    assert_eq!(status["type"], "string", "an unknown status is accepted");
    assert!(status["examples"]
        .as_array()
        .unwrap()
        .contains(&"VOIDED".into()));

    let names = run(&["schema"], &[], "").await.ok().stdout;
    assert!(names.lines().any(|n| n == "OrderPaymentRequest"), "{names}");
    let unknown = run(&["schema", "Nope"], &[], "").await;
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("no schema named \"Nope\""),
        "{}",
        unknown.stderr
    );
}
