//! Running the built binary, starting the emulator, and golden files.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use sqlx::Connection;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;
use wix_opr_emulator::Emulator;

/// A site id (GUID) the tests act on.
pub const SITE: &str = "6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
/// An order of the emulator's fixture orders (balance 15.50 USD).
pub const ORDER: &str = "a931e280-254a-49a7-9641-22ef64c444ae";

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout as JSON; fails the test with the whole run when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:#?}"))
    }

    /// Fails the test unless the run succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "{self:#?}");
        self
    }
}

/// `wix-opr` with an empty environment plus `env`.
pub fn command(args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_wix-opr"));
    command.env_clear().args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.kill_on_drop(true);
    command
}

/// Runs `wix-opr` to the end, feeding `stdin`.
pub async fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The environment that points `wix-opr` at `emulator` with an API key for [`SITE`].
pub fn env_for(emulator: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("WIX_BASE_URL", emulator.base_url()),
        ("WIX_API_KEY", "test-key".to_string()),
        ("WIX_SITE_ID", SITE.to_string()),
    ]
}

/// Runs `wix-opr` against `emulator` (credentials from the environment).
pub async fn run_against(emulator: &Emulator, args: &[&str], stdin: &str) -> Run {
    let env = env_for(emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run(args, &env, stdin).await
}

/// A file holding the emulator's webhook public key; removed when dropped.
pub fn public_key_file() -> tempfile::TempPath {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        wix_opr_emulator::webhooks::DEFAULT_PUBLIC_KEY_PEM,
    )
    .unwrap();
    file.into_temp_path()
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/golden")
        .join(name)
}

/// Compares `actual` with the golden file `name`; with `UPDATE_GOLDENS=1` writes it instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDENS=1 to write it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {} (UPDATE_GOLDENS=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// `text` with the value after `request id: ` (which differs each run) replaced.
pub fn without_request_ids(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once("request id: ") {
            Some((head, _)) => format!("{head}request id: <request-id>"),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A database of its own on the Postgres server `WIX_TEST_POSTGRES_URL` names.
pub struct Database {
    server: String,
    name: String,
    pub url: String,
}

impl Database {
    /// `None` (after a note on stderr) when no server is configured, unless
    /// `WIX_REQUIRE_POSTGRES=1`.
    pub async fn create(test: &str) -> Option<Self> {
        let Ok(server) = std::env::var("WIX_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("WIX_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "WIX_REQUIRE_POSTGRES=1 but WIX_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipped {test}: WIX_TEST_POSTGRES_URL is not set");
            return None;
        };
        let name = format!("x_{}", Uuid::new_v4().simple());
        let mut connection = within_a_minute("Postgres", sqlx::PgConnection::connect(&server))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot connect to {}: {e}",
                    wix_order_payment_requests::webhooks::inbox::redact_url(&server)
                )
            });
        within_a_minute(
            "the database to be created",
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection),
        )
        .await
        .expect("the test database is created");
        let _ = connection.close().await;
        let mut url = reqwest::Url::parse(&server).expect("WIX_TEST_POSTGRES_URL is a URL");
        url.set_path(&format!("/{name}"));
        Some(Self {
            server,
            name,
            url: url.to_string(),
        })
    }

    pub async fn drop(self) {
        if let Ok(mut connection) = sqlx::PgConnection::connect(&self.server).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut connection)
            .await;
        }
    }
}

/// A small xorshift generator: the kill moments and application delays of a run, replayable
/// with `WIX_TEST_SEED`.
pub struct Random {
    pub seed: u64,
    state: u64,
}

impl Random {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            state: seed.max(1),
        }
    }

    pub fn from_env() -> Self {
        let seed = std::env::var("WIX_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        Self::new(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// A number in `low..high`.
    pub fn below(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low).max(1)
    }
}

async fn within_a_minute<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(60), future)
        .await
        .unwrap_or_else(|_| panic!("timed out after a minute waiting for {what}"))
}
