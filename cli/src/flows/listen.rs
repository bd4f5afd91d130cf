//! `listen`: a local webhook receiver. Every delivery POSTed to any path is verified with the
//! client's [`WebhookVerifier`]; a verified one prints its event as one JSON line on stdout
//! (and with `--forward-to` its raw body is POSTed there), a rejected one prints the reason on
//! stderr and is answered with the verifier's status.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::Router;
use clap::Args;
use wix_order_payment_requests::webhooks::WebhookVerifier;

use crate::report::ErrorReport;

/// `listen`'s flags.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Port to listen on (0 picks a free one; the address is printed on stderr)
    #[arg(long)]
    port: u16,
    /// Interface to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// PEM file with the app's webhook public key
    #[arg(long, value_name = "FILE")]
    public_key: PathBuf,
    /// Also POST the raw body of each verified delivery to this URL, and answer with its status
    #[arg(long, value_name = "URL")]
    forward_to: Option<reqwest::Url>,
}

struct Receiver {
    verifier: WebhookVerifier,
    forward_to: Option<reqwest::Url>,
    http: reqwest::Client,
}

/// Serves until interrupted (Ctrl-C).
pub async fn run(args: &ListenArgs) -> Result<(), ErrorReport> {
    let failed = |message: String| ErrorReport {
        operation: "listen".into(),
        message: Some(message),
        ..ErrorReport::default()
    };
    let verifier = super::verify::verifier(&args.public_key, "listen")?;
    let limit = verifier.max_body_bytes();
    let receiver = Arc::new(Receiver {
        verifier,
        forward_to: args.forward_to.clone(),
        http: reqwest::Client::new(),
    });
    let app = Router::new()
        .fallback(receive)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(receiver);
    let address = SocketAddr::new(args.host, args.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| failed(format!("cannot listen on {address}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| failed(format!("cannot read the bound address: {e}")))?;
    eprintln!("listening on http://{bound}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| failed(format!("server stopped: {e}")))
}

/// Answers one request to any path.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> StatusCode {
    if method != Method::POST {
        eprintln!("rejected {method} {uri}: deliveries are POSTed");
        return StatusCode::METHOD_NOT_ALLOWED;
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            eprintln!("rejected delivery to {uri}: {rejection}");
            return rejection.status();
        }
    };
    let event = match receiver.verifier.verify(&body) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("rejected delivery to {uri}: {error}");
            return StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        }
    };
    match serde_json::to_string(&event) {
        Ok(line) => crate::output::print(&format!("{line}\n")),
        Err(error) => eprintln!("cannot print a verified event: {error}"),
    }
    match &receiver.forward_to {
        Some(url) => forward(&receiver.http, url, &headers, body).await,
        None => StatusCode::OK,
    }
}

/// POSTs the raw body to `url` with the delivery's content type; the answer's status, or
/// `502 Bad Gateway` when there is none.
async fn forward(
    http: &reqwest::Client,
    url: &reqwest::Url,
    headers: &HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut request = http.post(url.clone()).body(body);
    if let Some(content_type) = headers.get(axum::http::header::CONTENT_TYPE) {
        request = request.header(reqwest::header::CONTENT_TYPE, content_type.as_bytes());
    }
    match request.send().await {
        Ok(answer) => {
            let status = answer.status();
            eprintln!("forwarded to {url}: {status}");
            StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY)
        }
        Err(error) => {
            eprintln!("forward to {url} failed: {error}");
            StatusCode::BAD_GATEWAY
        }
    }
}
