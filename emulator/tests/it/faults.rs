//! Fault injection over real HTTP: a small app with the fault middleware on its API route and the
//! fault admin routes beside it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use wix_opr_emulator::faults::{self, FaultConfig, FaultKind, Faults, FAULT_HEADER};

/// A running test app: its base URL, its fault switch and how often the API handler ran.
struct App {
    base: String,
    faults: Faults,
    handled: Arc<AtomicUsize>,
    http: reqwest::Client,
}

/// One request's outcome, comparable across runs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Slow,
    TransportError,
}

async fn handler(State(count): State<Arc<AtomicUsize>>) -> Json<Value> {
    let n = count.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({"handled": n}))
}

async fn start() -> App {
    let faults = Faults::disabled();
    let handled = Arc::new(AtomicUsize::new(0));
    let api = Router::new()
        .route("/ecom/v1/thing", post(handler))
        .with_state(handled.clone())
        .layer(faults::InjectLayer::new(faults.clone()));
    let app = api.merge(faults::admin_router(faults.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    App {
        base: format!("http://{addr}"),
        faults,
        handled,
        http: reqwest::Client::new(),
    }
}

impl App {
    fn set(&self, rate: f64, seed: u64, kinds: &[FaultKind], slow_ms: u64) {
        let cfg = FaultConfig::new(rate, seed, kinds.to_vec(), Duration::from_millis(slow_ms));
        self.faults.set(Some(cfg.unwrap()));
    }

    async fn call(&self) -> Result<reqwest::Response, reqwest::Error> {
        let res = self
            .http
            .post(format!("{}/ecom/v1/thing", self.base))
            .json(&json!({}))
            .send()
            .await?;
        Ok(res)
    }

    async fn outcome(&self) -> Outcome {
        let Ok(res) = self.call().await else {
            return Outcome::TransportError;
        };
        let status = res.status().as_u16();
        let slow = res.headers().get(FAULT_HEADER).is_some_and(|v| v == "SLOW");
        match res.bytes().await {
            Err(_) => Outcome::TransportError,
            Ok(_) if slow => Outcome::Slow,
            Ok(_) if status == 200 => Outcome::Ok,
            Ok(_) => Outcome::Status(status),
        }
    }

    async fn outcomes(&self, n: usize) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.outcome().await);
        }
        out
    }

    async fn admin(&self, method: reqwest::Method, body: Option<&str>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/_emulator/faults", self.base));
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }
}

#[tokio::test]
async fn disabled_by_default_and_rate_zero_never_fails() {
    let app = start().await;
    assert_eq!(app.faults.config(), None);
    assert!(app.outcomes(20).await.iter().all(|o| *o == Outcome::Ok));
    app.set(0.0, 7, &FaultKind::ALL, 1);
    assert!(app.outcomes(50).await.iter().all(|o| *o == Outcome::Ok));
    assert_eq!(app.handled.load(Ordering::SeqCst), 70);
}

#[tokio::test]
async fn too_many_requests_is_429_without_retry_after() {
    let app = start().await;
    app.set(1.0, 1, &[FaultKind::TooManyRequests], 1);
    for _ in 0..3 {
        let res = app.call().await.unwrap();
        assert_eq!(res.status().as_u16(), 429);
        assert!(res.headers().get("retry-after").is_none());
        assert_eq!(res.headers()[FAULT_HEADER], "TOO_MANY_REQUESTS");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["details"], json!({}));
        assert!(body["message"].is_string());
    }
    assert_eq!(app.handled.load(Ordering::SeqCst), 0, "not processed");
}

#[tokio::test]
async fn unavailable_is_503_with_the_empty_body() {
    let app = start().await;
    app.set(1.0, 1, &[FaultKind::Unavailable], 1);
    let res = app.call().await.unwrap();
    assert_eq!(res.status().as_u16(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"message": "", "details": {}}));
    assert_eq!(app.handled.load(Ordering::SeqCst), 0, "not processed");
}

#[tokio::test]
async fn slow_answers_correctly_after_the_delay() {
    let app = start().await;
    app.set(1.0, 1, &[FaultKind::Slow], 200);
    let started = Instant::now();
    let res = app.call().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"handled": 1}));
}

#[tokio::test]
async fn drop_connection_is_a_transport_error_after_processing() {
    let app = start().await;
    app.set(1.0, 1, &[FaultKind::DropConnection], 1);
    for _ in 0..3 {
        match app.call().await {
            Ok(res) => panic!("expected a transport error, got HTTP {}", res.status()),
            Err(e) => assert!(e.status().is_none(), "{e}"),
        }
    }
    assert_eq!(
        app.handled.load(Ordering::SeqCst),
        3,
        "processed, answer lost"
    );
    app.faults.set(None);
    assert_eq!(app.outcome().await, Outcome::Ok, "later connections work");
}

#[tokio::test]
async fn same_seed_replays_and_another_seed_differs() {
    let app = start().await;
    let run = |seed| {
        app.set(0.5, seed, &FaultKind::ALL, 1);
        app.outcomes(50)
    };
    let first = run(7).await;
    let again = run(7).await;
    let other = run(8).await;
    assert_eq!(first, again);
    assert_ne!(first, other);
    let faulty = first.iter().filter(|o| **o != Outcome::Ok).count();
    assert!((10..=40).contains(&faulty), "rate 0.5 gave {faulty}/50");
    for kind in [
        Outcome::Status(429),
        Outcome::Status(503),
        Outcome::Slow,
        Outcome::TransportError,
    ] {
        let seen = [&first, &other].iter().any(|run| run.contains(&kind));
        assert!(seen, "{kind:?} never picked");
    }
}

#[tokio::test]
async fn admin_endpoints_set_read_and_clear() {
    let app = start().await;
    let (status, body) = app.admin(reqwest::Method::GET, None).await;
    assert_eq!((status, body), (200, json!({"enabled": false})));

    let put = r#"{"rate":1,"seed":7,"kinds":["UNAVAILABLE"],"slowMs":300}"#;
    let (status, body) = app.admin(reqwest::Method::PUT, Some(put)).await;
    assert_eq!(status, 200);
    let expected =
        json!({"enabled": true, "rate": 1.0, "seed": 7, "kinds": ["UNAVAILABLE"], "slowMs": 300});
    assert_eq!(body, expected);
    assert_eq!(app.admin(reqwest::Method::GET, None).await.1, expected);
    assert_eq!(app.outcome().await, Outcome::Status(503));
    let (status, _) = app.admin(reqwest::Method::GET, None).await;
    assert_eq!(status, 200, "admin routes never fail");

    let (status, body) = app.admin(reqwest::Method::DELETE, None).await;
    assert_eq!((status, body), (200, json!({"enabled": false})));
    assert_eq!(app.faults.config(), None);
    assert_eq!(app.outcome().await, Outcome::Ok);
}

#[tokio::test]
async fn admin_defaults_and_short_kind_names() {
    let app = start().await;
    let (status, body) = app
        .admin(
            reqwest::Method::PUT,
            Some(r#"{"rate":0.25,"kinds":["429","drop"]}"#),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["seed"], 0);
    assert_eq!(body["slowMs"], 2000);
    assert_eq!(
        body["kinds"],
        json!(["TOO_MANY_REQUESTS", "DROP_CONNECTION"])
    );
}

#[tokio::test]
async fn invalid_config_is_rejected_and_changes_nothing() {
    let app = start().await;
    app.set(0.5, 3, &[FaultKind::Slow], 10);
    let before = app.faults.config();
    for bad in [
        r#"{"rate":2}"#,
        r#"{"rate":-1}"#,
        r#"{"seed":1}"#,
        r#"{"rate":0.5,"kinds":[]}"#,
        r#"{"rate":0.5,"kinds":["TEAPOT"]}"#,
        r#"{"rate":0.5,"slow_ms":10}"#,
        r#"{"rate":0.5,"slowMs":-5}"#,
        r#"{"rate":0.5,"slowMs":99999999}"#,
        r#"{"rate":"half"}"#,
        "not json",
        "",
    ] {
        let (status, body) = app.admin(reqwest::Method::PUT, Some(bad)).await;
        assert_eq!(status, 400, "{bad}");
        let message = body["message"].as_str().unwrap();
        assert!(message.starts_with("invalid fault config: "), "{message}");
    }
    assert_eq!(app.faults.config(), before);
}

/// In the emulator, faults fall on the API's paths (any method, so also a wrong method's `405`)
/// and the OAuth token endpoint; unknown routes and the `/_emulator` routes are left alone.
#[tokio::test]
async fn the_emulators_faults_fall_on_api_paths_only() {
    let unavailable = FaultConfig::new(1.0, 1, vec![FaultKind::Unavailable], Duration::ZERO);
    let emu = wix_opr_emulator::Emulator::builder()
        .faults(unavailable.unwrap())
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let id = "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f";
    for (method, path, expected) in [
        ("GET", format!("/ecom/v1/order-payment-requests/{id}"), 503),
        (
            "PUT",
            "/ecom/v1/order-payment-requests/void".to_string(),
            503,
        ),
        (
            "POST",
            "/ecom/v1/bulk/order-payment-requests/create".to_string(),
            503,
        ),
        ("POST", "/oauth2/token".to_string(), 503),
        ("GET", "/ecom/v1/nothing-here".to_string(), 404),
        (
            "GET",
            "/ecom/v1/order-payment-requests/a/b".to_string(),
            404,
        ),
        ("GET", "/_emulator/clock".to_string(), 200),
        ("GET", "/_emulator/faults".to_string(), 200),
    ] {
        let res = http
            .request(method.parse().unwrap(), format!("{}{path}", emu.base_url()))
            .header("authorization", "k")
            .header("wix-site-id", id)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{method} {path}");
        assert_eq!(
            res.headers().get(FAULT_HEADER).is_some(),
            expected == 503,
            "{method} {path}"
        );
    }
}

/// Requests off the API's paths take no decision: the API's sequence of faults under a seed is
/// the same with or without them in between.
#[tokio::test]
async fn requests_off_the_api_paths_are_not_counted() {
    let emu = wix_opr_emulator::Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = emu.base_url();
    let cfg = || FaultConfig::new(0.5, 7, vec![FaultKind::Unavailable], Duration::ZERO).unwrap();
    let api_status = || async {
        http.get(format!(
            "{base}/ecom/v1/order-payment-requests/3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f"
        ))
        .header("authorization", "k")
        .header("wix-site-id", "3c8f1a2e-7b4d-4f9e-8c61-5d2e9a0b1c3f")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
    };
    emu.faults().set(Some(cfg()));
    let mut alone = Vec::new();
    for _ in 0..12 {
        alone.push(api_status().await);
    }
    emu.faults().set(Some(cfg()));
    let mut between = Vec::new();
    for _ in 0..12 {
        for path in ["/_emulator/clock", "/ecom/v1/nothing-here"] {
            http.get(format!("{base}{path}")).send().await.unwrap();
        }
        between.push(api_status().await);
    }
    assert_eq!(alone, between);
    assert!(alone.contains(&503) && alone.contains(&404), "{alone:?}");
}
