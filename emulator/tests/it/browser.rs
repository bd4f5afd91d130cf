//! The payment page in a real headless browser (Debian's `chromium` driven through
//! `chromedriver` over the W3C WebDriver protocol).
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` (or the paths in `EMULATOR_CHROMIUM`
//! and `EMULATOR_CHROMEDRIVER`) the tests print a notice and pass, unless
//! `EMULATOR_REQUIRE_BROWSER=1`, in which case they fail. Install with
//! `apt-get install -y chromium chromium-driver`.

use std::io::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wix_opr_emulator::Emulator;

const ORDER_ID: &str = "a931e280-254a-49a7-9641-22ef64c444ae";
/// WebDriver's key for an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

type TestResult<T = ()> = Result<T, String>;

// ---------------------------------------------------------------------------------------------
// Finding the browser
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

// ---------------------------------------------------------------------------------------------
// A minimal WebDriver client
// ---------------------------------------------------------------------------------------------

/// A running `chromedriver` with one headless chromium session; both end when dropped.
struct Browser {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
}

impl Browser {
    async fn launch(paths: &BrowserPaths) -> TestResult<Self> {
        let port = free_port()?;
        let driver = Command::new(&paths.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", paths.chromedriver.display()))?;
        let mut browser = Self {
            driver,
            http: reqwest::Client::new(),
            session: String::new(),
            base: format!("http://127.0.0.1:{port}"),
        };
        browser.wait_ready().await?;
        browser.session = browser.new_session(paths).await?;
        Ok(browser)
    }

    async fn wait_ready(&self) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(v) = self.send(reqwest::Method::GET, "/status", None).await {
                if v["ready"] == true {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("chromedriver did not become ready within 20 s".into())
    }

    async fn new_session(&self, paths: &BrowserPaths) -> TestResult<String> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": paths.chromium.display().to_string(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--no-first-run"],
            },
        }}});
        let v = self
            .send(reqwest::Method::POST, "/session", Some(caps))
            .await?;
        let id = v["sessionId"].as_str().ok_or("no sessionId in answer")?;
        let session = id.to_string();
        let timeouts = json!({"implicit": 5000, "pageLoad": 20000});
        let path = format!("/session/{session}/timeouts");
        self.send(reqwest::Method::POST, &path, Some(timeouts))
            .await?;
        Ok(session)
    }

    /// One WebDriver command; returns its `value` or the WebDriver error as text.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> TestResult<Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.map_err(|e| format!("{path}: {e}"))?;
        let ok = res.status().is_success();
        let v: Value = res.json().await.map_err(|e| format!("{path}: {e}"))?;
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        if ok {
            Ok(value)
        } else {
            Err(format!("{path}: {} {}", value["error"], value["message"]))
        }
    }

    async fn cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> TestResult<Value> {
        let path = format!("/session/{}{path}", self.session);
        self.send(method, &path, body).await
    }

    async fn goto(&self, url: &str) -> TestResult {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await
            .map(drop)
    }

    /// The element matching `css`, waiting up to the implicit timeout.
    async fn find(&self, css: &str) -> TestResult<String> {
        let body = json!({"using": "css selector", "value": css});
        let v = self
            .cmd(reqwest::Method::POST, "/element", Some(body))
            .await
            .map_err(|e| format!("finding {css}: {e}"))?;
        let id = v[ELEMENT_KEY].as_str().ok_or("bad element reference")?;
        Ok(id.to_string())
    }

    async fn text(&self, css: &str) -> TestResult<String> {
        let id = self.find(css).await?;
        let v = self
            .cmd(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    async fn click(&self, css: &str) -> TestResult {
        let id = self.find(css).await?;
        let path = format!("/element/{id}/click");
        self.cmd(reqwest::Method::POST, &path, Some(json!({})))
            .await
            .map(drop)
    }

    /// Whether an element matching `css` is on the page now (no waiting).
    async fn exists(&self, css: &str) -> TestResult<bool> {
        let script = "return document.querySelector(arguments[0]) !== null;";
        let body = json!({"script": script, "args": [css]});
        let v = self
            .cmd(reqwest::Method::POST, "/execute/sync", Some(body))
            .await?;
        Ok(v == true)
    }

    /// Waits until `#message` is on the page (after a form submission) and returns its text.
    async fn message(&self) -> TestResult<String> {
        self.text("#message").await
    }
}

impl Browser {
    /// Closes the session (and so its chromium), then stops the driver.
    async fn quit(mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.send(reqwest::Method::DELETE, &path, None).await;
            self.session.clear();
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> TestResult<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok(port)
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

async fn pays_an_unpaid_request(browser: &Browser) -> TestResult {
    let site = Site::start().await;
    let (id, url) = site
        .create(json!({"description": "Rest of order #10001"}))
        .await;
    browser.goto(&url).await?;
    check_eq("title", &browser.text("#title").await?, "Balance")?;
    check_contains("amount", &browser.text("#amount").await?, "15.50")?;
    check_contains("status", &browser.text("#status").await?, "UNPAID")?;
    check("CARD offered", browser.exists("#method-card").await?)?;
    check("MANUAL offered", browser.exists("#method-manual").await?)?;
    browser.click("#pay").await?;
    browser.find("#confirmation").await?;
    check_contains("message", &browser.message().await?, "received")?;
    check_eq("status after paying", &site.status(&id).await, "PAID")?;
    browser.goto(&url).await?;
    check("no Pay button once paid", !browser.exists("#pay").await?)?;
    Ok(())
}

async fn hides_blocked_manual(browser: &Browser) -> TestResult {
    let site = Site::start().await;
    let (_, url) = site
        .create(json!({"blockedPaymentMethods": ["MANUAL"]}))
        .await;
    browser.goto(&url).await?;
    browser.find("#pay").await?;
    check("CARD offered", browser.exists("#method-card").await?)?;
    check(
        "MANUAL not offered",
        !browser.exists("#method-manual").await?,
    )?;
    let manual = "input[name=method][value=MANUAL]";
    check("no MANUAL input at all", !browser.exists(manual).await?)?;
    Ok(())
}

async fn refuses_a_voided_request(browser: &Browser) -> TestResult {
    let site = Site::start().await;
    let (id, url) = site.create(json!({})).await;
    browser.goto(&url).await?;
    browser.find("#pay").await?;
    // Voided while the customer has the page open: paying is refused.
    site.post(
        "/ecom/v1/order-payment-requests/void",
        json!({"orderPaymentRequestId": id}),
    )
    .await;
    browser.click("#pay").await?;
    check_contains("refusal", &browser.message().await?.to_lowercase(), "void")?;
    check_eq("status stays", &site.status(&id).await, "VOIDED")?;
    // Opened afresh: no Pay button, and the reason is shown.
    browser.goto(&url).await?;
    check_contains("status", &browser.text("#status").await?, "VOIDED")?;
    check_contains("message", &browser.message().await?.to_lowercase(), "void")?;
    check("no Pay button", !browser.exists("#pay").await?)?;
    Ok(())
}

fn check(what: &str, ok: bool) -> TestResult {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}"))
    }
}

fn check_eq(what: &str, got: &str, want: &str) -> TestResult {
    check(&format!("{what}: got {got:?}, want {want:?}"), got == want)
}

fn check_contains(what: &str, got: &str, part: &str) -> TestResult {
    check(
        &format!("{what}: {got:?} should contain {part:?}"),
        got.contains(part),
    )
}

/// A fresh browser, or `None` when there is none and none is required.
async fn launch_or_skip(name: &str) -> Option<Browser> {
    let paths = browser_or_skip(name)?;
    match Browser::launch(&paths).await {
        Ok(b) => Some(b),
        Err(e) => panic!("{name}: could not start the browser: {e}"),
    }
}

/// Ends the browser session, then fails the test if the scenario failed.
async fn finish(name: &str, browser: Browser, result: TestResult) {
    browser.quit().await;
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pays_an_unpaid_request() {
    let name = "pays_an_unpaid_request";
    let Some(browser) = launch_or_skip(name).await else {
        return;
    };
    let result = pays_an_unpaid_request(&browser).await;
    finish(name, browser, result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_hides_blocked_manual() {
    let name = "hides_blocked_manual";
    let Some(browser) = launch_or_skip(name).await else {
        return;
    };
    let result = hides_blocked_manual(&browser).await;
    finish(name, browser, result).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_refuses_a_voided_request() {
    let name = "refuses_a_voided_request";
    let Some(browser) = launch_or_skip(name).await else {
        return;
    };
    let result = refuses_a_voided_request(&browser).await;
    finish(name, browser, result).await;
}
