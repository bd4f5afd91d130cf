//! The payment page in a real headless browser (Debian's `chromium` driven through
//! `chromedriver` over the W3C WebDriver protocol, with the `fantoccini` client).
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` (or the paths in `EMULATOR_CHROMIUM`
//! and `EMULATOR_CHROMEDRIVER`) the tests print a notice and pass, unless
//! `EMULATOR_REQUIRE_BROWSER=1`, in which case they fail. Install with
//! `apt-get install -y chromium chromium-driver`.

use std::future::Future;
use std::io::Write as _;
use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt as _;
use serde_json::{json, Value};
use wix_opr_emulator::Emulator;

use wix_order_payment_requests::testing::DOCS_ORDER_ID as ORDER_ID;

// ---------------------------------------------------------------------------------------------
// Finding and starting the browser
// ---------------------------------------------------------------------------------------------

struct BrowserPaths {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

fn path_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The browser's paths, or `None` (after a loud notice) when it is missing and not required.
fn browser_or_skip(test: &str) -> Option<BrowserPaths> {
    let paths = BrowserPaths {
        chromium: path_from_env("EMULATOR_CHROMIUM", "/usr/bin/chromium"),
        chromedriver: path_from_env("EMULATOR_CHROMEDRIVER", "/usr/bin/chromedriver"),
    };
    let missing: Vec<String> = [&paths.chromium, &paths.chromedriver]
        .into_iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some(paths);
    }
    let notice = format!(
        "browser test {test}: {} not found (install: apt-get install -y chromium chromium-driver)",
        missing.join(" and ")
    );
    let required = std::env::var("EMULATOR_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{notice}; EMULATOR_REQUIRE_BROWSER=1 requires it"
    );
    // Written to the stream itself, not through `eprintln!`, so the test harness shows it.
    let bar = "!".repeat(78);
    let _ = writeln!(std::io::stderr(), "\n{bar}\n!!! SKIPPED {notice}\n{bar}");
    None
}

/// A running `chromedriver`; it is stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `chromedriver` and opens one headless chromium session through it.
async fn launch(paths: &BrowserPaths) -> (Driver, Client) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free local port")
        .port();
    let driver = Driver(
        Command::new(&paths.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", paths.chromedriver.display())),
    );
    let mut capabilities = Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": paths.chromium.display().to_string(),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking"],
        }),
    );
    let mut builder = ClientBuilder::rustls().expect("a WebDriver client");
    builder.capabilities(capabilities);
    let url = format!("http://127.0.0.1:{port}");
    // chromedriver takes a moment to listen: retry the session until it answers.
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        match builder.connect(&url).await {
            Ok(client) => break client,
            Err(e) if Instant::now() >= deadline => panic!("no WebDriver session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    // Finding an element waits up to 5 s for it (pages load after a form is submitted).
    let timeouts = TimeoutConfiguration::new(
        None,
        Some(Duration::from_secs(20)),
        Some(Duration::from_secs(5)),
    );
    client
        .update_timeouts(timeouts)
        .await
        .expect("WebDriver timeouts");
    (driver, client)
}

/// Runs `scenario` in a fresh browser (or skips it, see the module docs). The session is closed
/// and the driver stopped before a failed scenario fails the test.
async fn in_browser<F, Fut>(name: &str, scenario: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<(), fantoccini::error::CmdError>>,
{
    let Some(paths) = browser_or_skip(name) else {
        return;
    };
    let (driver, client) = launch(&paths).await;
    let outcome = AssertUnwindSafe(scenario(client.clone()))
        .catch_unwind()
        .await;
    let _ = client.close().await;
    drop(driver);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{name}: WebDriver: {e}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// The text of the element matching `css`.
async fn text(browser: &Client, css: &str) -> Result<String, fantoccini::error::CmdError> {
    browser.find(Locator::Css(css)).await?.text().await
}

/// Whether an element matching `css` is on the page now (without waiting for one).
async fn exists(browser: &Client, css: &str) -> Result<bool, fantoccini::error::CmdError> {
    let script = "return document.querySelector(arguments[0]) !== null;";
    Ok(browser.execute(script, vec![json!(css)]).await? == json!(true))
}

// ---------------------------------------------------------------------------------------------
// The emulator side
// ---------------------------------------------------------------------------------------------

/// An emulator with one site, talked to over its REST API.
struct Site {
    emu: Emulator,
    http: reqwest::Client,
    site_id: String,
}

impl Site {
    async fn start() -> Self {
        Self {
            emu: Emulator::start().await.expect("emulator starts"),
            http: reqwest::Client::new(),
            site_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}{path}", self.emu.base_url()))
            .header("authorization", "k")
            .header("wix-site-id", &self.site_id)
            .json(&body)
            .send()
            .await
            .expect("emulator answers");
        assert!(res.status().is_success(), "POST {path}: {}", res.status());
        res.json().await.expect("JSON answer")
    }

    /// Creates a payment request; returns its id and its page URL.
    async fn create(&self, extra: Value) -> (String, String) {
        let mut opr =
            json!({"orderId": ORDER_ID, "amount": {"amount": "15.50"}, "title": "Balance"});
        if let (Some(opr), Some(extra)) = (opr.as_object_mut(), extra.as_object()) {
            opr.extend(extra.clone());
        }
        let v = self
            .post(
                "/ecom/v1/order-payment-requests",
                json!({"orderPaymentRequest": opr}),
            )
            .await;
        let id = v["orderPaymentRequest"]["id"].as_str().expect("id");
        let url = v["orderPaymentRequestUrl"].as_str().expect("url");
        (id.to_string(), url.to_string())
    }

    async fn status(&self, id: &str) -> String {
        let url = format!(
            "{}/ecom/v1/order-payment-requests/{id}",
            self.emu.base_url()
        );
        let res = self
            .http
            .get(url)
            .header("authorization", "k")
            .header("wix-site-id", &self.site_id)
            .send()
            .await
            .expect("emulator answers");
        let v: Value = res.json().await.expect("JSON answer");
        v["orderPaymentRequest"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pays_an_unpaid_request() {
    in_browser("pays_an_unpaid_request", |browser| async move {
        let site = Site::start().await;
        let (id, url) = site
            .create(json!({"description": "Rest of order #10001"}))
            .await;
        browser.goto(&url).await?;
        assert_eq!(text(&browser, "#title").await?, "Balance");
        assert!(text(&browser, "#amount").await?.contains("15.50"));
        assert!(text(&browser, "#status").await?.contains("UNPAID"));
        assert!(exists(&browser, "#method-card").await?, "CARD offered");
        assert!(exists(&browser, "#method-manual").await?, "MANUAL offered");
        browser.find(Locator::Css("#pay")).await?.click().await?;
        browser.find(Locator::Css("#confirmation")).await?;
        let message = text(&browser, "#message").await?;
        assert!(message.contains("received"), "{message:?}");
        assert_eq!(site.status(&id).await, "PAID");
        browser.goto(&url).await?;
        assert!(!exists(&browser, "#pay").await?, "no Pay button once paid");
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_hides_blocked_manual() {
    in_browser("hides_blocked_manual", |browser| async move {
        let site = Site::start().await;
        let (_, url) = site
            .create(json!({"blockedPaymentMethods": ["MANUAL"]}))
            .await;
        browser.goto(&url).await?;
        browser.find(Locator::Css("#pay")).await?;
        assert!(exists(&browser, "#method-card").await?, "CARD offered");
        assert!(
            !exists(&browser, "#method-manual").await?,
            "MANUAL not offered"
        );
        let manual = "input[name=method][value=MANUAL]";
        assert!(!exists(&browser, manual).await?, "no MANUAL input at all");
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_refuses_a_voided_request() {
    in_browser("refuses_a_voided_request", |browser| async move {
        let site = Site::start().await;
        let (id, url) = site.create(json!({})).await;
        browser.goto(&url).await?;
        let pay = browser.find(Locator::Css("#pay")).await?;
        // Voided while the customer has the page open: paying is refused.
        site.post(
            "/ecom/v1/order-payment-requests/void",
            json!({"orderPaymentRequestId": id}),
        )
        .await;
        pay.click().await?;
        let refusal = text(&browser, "#message").await?.to_lowercase();
        assert!(refusal.contains("void"), "{refusal:?}");
        assert_eq!(site.status(&id).await, "VOIDED", "status stays");
        // Opened afresh: no Pay button, and the reason is shown.
        browser.goto(&url).await?;
        assert!(text(&browser, "#status").await?.contains("VOIDED"));
        let message = text(&browser, "#message").await?.to_lowercase();
        assert!(message.contains("void"), "{message:?}");
        assert!(!exists(&browser, "#pay").await?, "no Pay button");
        Ok(())
    })
    .await;
}
