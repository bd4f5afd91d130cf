//! The `wix-opr-emulator` binary, run as a user runs it.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;
use wix_opr_emulator::webhooks::DEFAULT_PUBLIC_KEY_PEM;
use wix_order_payment_requests::webhooks::WebhookVerifier;

const BIN: &str = env!("CARGO_BIN_EXE_wix-opr-emulator");

/// How long the binary may take to start and print its URL.
const WAIT: Duration = Duration::from_secs(30);

fn emulator(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("EMULATOR_HOST")
        .env_remove("EMULATOR_PORT")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Starts the binary with `args` and returns it with the first line it printed.
async fn serve(args: &[&str]) -> (Child, String) {
    let mut child = emulator(args).stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut first = String::new();
    tokio::time::timeout(WAIT, BufReader::new(stdout).read_line(&mut first))
        .await
        .expect("the URL within the deadline")
        .unwrap();
    (child, first.trim_end().to_string())
}

/// Runs `command` to its end (killing it if it has not exited by the deadline).
async fn exit_of(mut command: Command) -> std::process::Output {
    tokio::time::timeout(WAIT, command.output())
        .await
        .expect("exits within the deadline")
        .unwrap()
}

async fn get_json(url: &str) -> (u16, Value) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn print_webhook_public_key_prints_the_pem_and_exits() {
    let output = exit_of(emulator(&["--print-webhook-public-key", "--port", "0"])).await;
    assert!(output.status.success(), "{output:?}");
    let pem = String::from_utf8(output.stdout).unwrap();
    assert_eq!(pem.trim(), DEFAULT_PUBLIC_KEY_PEM.trim());
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    WebhookVerifier::from_rsa_pem(pem.as_bytes()).expect("a usable RSA public key");
}

#[tokio::test]
async fn print_webhook_public_key_refuses_an_unusable_private_key() {
    let path = std::env::temp_dir().join(format!("wix-opr-bad-key-{}.pem", Uuid::new_v4()));
    std::fs::write(
        &path,
        "-----BEGIN PRIVATE KEY-----\nTk9UQUtFWQ==\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let output = exit_of(emulator(&[
        "--print-webhook-public-key",
        "--webhook-private-key",
        path.to_str().unwrap(),
    ]))
    .await;
    let _ = std::fs::remove_file(&path);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn port_zero_prints_the_url_first_and_serves_there() {
    let (mut child, url) = serve(&["--port", "0"]).await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");
    assert_ne!(url, "http://127.0.0.1:0");
    let (status, clock) = get_json(&format!("{url}/_emulator/clock")).await;
    assert_eq!(status, 200);
    assert!(clock["now"].is_string(), "{clock}");
    assert_eq!(clock["offsetSeconds"], 0.0);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn webhook_flags_reach_the_webhook_settings() {
    let (app_id, instance_id) = (Uuid::new_v4(), Uuid::new_v4());
    let (mut child, url) = serve(&[
        "--port",
        "0",
        "--webhook-max-retries",
        "3",
        "--webhook-key-id",
        "kid-7",
        "--webhook-app-id",
        &app_id.to_string(),
        "--webhook-instance-id",
        &instance_id.to_string(),
        "--webhook-compression",
        "60000",
    ])
    .await;
    let (status, settings) = get_json(&format!("{url}/_emulator/webhooks")).await;
    child.kill().await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(settings["keyId"], "kid-7");
    assert_eq!(settings["appId"], app_id.to_string());
    assert_eq!(settings["instanceId"], instance_id.to_string());
    assert_eq!(settings["retryDelaysMs"], serde_json::json!([1, 10, 60]));
    assert_eq!(settings["publicKeyPem"], DEFAULT_PUBLIC_KEY_PEM);
}

#[tokio::test]
async fn out_of_range_retries_are_refused() {
    let output = exit_of(emulator(&["--port", "0", "--webhook-max-retries", "13"])).await;
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn limit_and_token_flags_reach_the_server() {
    let (mut child, url) = serve(&[
        "--port",
        "0",
        "--oauth-token-ttl-secs",
        "90",
        "--max-body-bytes",
        "150",
    ])
    .await;
    let http = reqwest::Client::new();
    let token = http
        .post(format!("{url}/oauth2/token"))
        .json(
            &serde_json::json!({"grant_type": "client_credentials", "client_id": "a",
                                  "client_secret": "s", "instance_id": Uuid::new_v4()}),
        )
        .send()
        .await
        .unwrap();
    let token: Value = token.json().await.unwrap();
    let large = http
        .post(format!("{url}/_emulator/clock/advance"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"seconds": 1, "padding": "{}"}}"#,
            "x".repeat(200)
        ))
        .send()
        .await
        .unwrap();
    let status = large.status();
    child.kill().await.unwrap();
    assert_eq!(token["expires_in"], 90);
    assert_eq!(status, 413);
}
