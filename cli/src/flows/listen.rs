//! `listen`: a webhook receiver on the client's [`Inbox`]. Every delivery POSTed to any path is
//! verified and stored before it is answered `200`; workers then hand the stored events, one
//! at a time and in the order received, to the printer (one JSON line on stdout per event) or
//! with `--forward-to` to the application, retried until it answers `2xx`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use clap::Args;
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument;
use wix_order_payment_requests::webhooks::inbox::{
    open_store, redact_url, Inbox, InboxConfig, InboxEvent,
};
use wix_order_payment_requests::RetryPolicy;

use crate::report::ErrorReport;

/// The header that carries the event id (`DomainEvent.id`) of a forwarded event.
pub const EVENT_ID_HEADER: &str = "wix-opr-event-id";
/// The header that carries which try a forward is: 1 the first time.
pub const ATTEMPT_HEADER: &str = "wix-opr-attempt";
/// The header that carries when listen verified and stored the event, in Unix seconds: the
/// time an app checks the forwarded token's `exp` against.
pub const RECEIVED_AT_HEADER: &str = "wix-opr-received-at";
/// The content type of a forwarded body (the signed JWT), as Wix sends it.
pub const FORWARD_CONTENT_TYPE: &str = "text/plain; charset=utf-8";
/// The first wait between tries of a failing event; it doubles at each further try.
pub const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between tries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The shortest `--lease`: the lease is extended every third of its length.
const MIN_LEASE: Duration = Duration::from_secs(1);
/// How much of a failed answer's body a log line shows.
const BODY_EXCERPT_CHARS: usize = 200;
/// Log directives unless `RUST_LOG` says otherwise: the inbox's own lines (stored, duplicate,
/// stale) and warnings, without the SQL drivers' notices.
const DEFAULT_LOG: &str = "info,wix_runtime::inbox=debug,sqlx=warn";

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
    /// Where deliveries are stored until handled: `sqlite:PATH` (one process; survives
    /// restarts and crashes), `postgres://USER:PASSWORD@HOST/DB` (shared by several listen
    /// processes) or `memory:` (events held only in memory are lost on restart)
    #[arg(
        long,
        value_name = "URL",
        env = "WIX_OPR_INBOX",
        hide_env_values = true,
        default_value = "memory:"
    )]
    inbox: String,
    /// POST each stored event's raw body (the signed JWT) to this URL instead of printing it,
    /// with the headers wix-opr-event-id and wix-opr-attempt; retried until it answers 2xx
    #[arg(long, value_name = "URL")]
    forward_to: Option<reqwest::Url>,
    /// How long one forward may take before it counts as failed (and is tried again)
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30s",
        value_parser = humantime::parse_duration
    )]
    forward_timeout: Duration,
    /// Park an event as dead after N failed tries [default: try until it succeeds]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_attempts: Option<u32>,
    /// How long a claimed event is reserved to this process (extended while it is handled);
    /// after a crash the event is handled again once the lease ends
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = lease)]
    lease: Duration,
}

fn lease(text: &str) -> Result<Duration, String> {
    let lease = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if lease < MIN_LEASE {
        return Err(format!(
            "the lease must be at least {}",
            humantime::format_duration(MIN_LEASE)
        ));
    }
    Ok(lease)
}

impl ListenArgs {
    /// The inbox configuration these flags ask for: one event at a time, backoff from
    /// [`INITIAL_BACKOFF`] to [`MAX_BACKOFF`].
    pub fn inbox_config(&self) -> InboxConfig {
        let mut config = InboxConfig::default();
        config.max_attempts = self.max_attempts;
        config.initial_backoff = INITIAL_BACKOFF;
        config.max_backoff = MAX_BACKOFF;
        config.lease = self.lease;
        config.concurrency = 1;
        config
    }
}

/// Serves until interrupted (Ctrl-C or, on Unix, SIGTERM), then lets the event being handled
/// finish.
pub async fn run(args: &ListenArgs) -> Result<(), ErrorReport> {
    let failed = |message: String| ErrorReport {
        operation: "listen".into(),
        message: Some(message),
        ..ErrorReport::default()
    };
    init_logging();
    let verifier = super::verify::verifier(&args.public_key, "listen")?;
    let inbox_name = redact_url(&args.inbox);
    let store = open_store(&args.inbox)
        .await
        .map_err(|e| failed(format!("cannot open the inbox {inbox_name}: {e}")))?;
    let inbox = Inbox::with_shared_store(verifier, store).with_config(args.inbox_config());

    let address = SocketAddr::new(args.host, args.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| failed(format!("cannot listen on {address}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| failed(format!("cannot read the bound address: {e}")))?;
    eprintln!("listening on http://{bound}");
    if is_memory(&args.inbox) {
        eprintln!(
            "inbox: memory: events held only in memory are lost on restart \
             (--inbox sqlite:PATH keeps them)"
        );
    } else {
        eprintln!("inbox: {inbox_name}");
    }

    let (stopping, stop) = watch::channel(false);
    let workers = match &args.forward_to {
        Some(url) => {
            let forwarder = Arc::new(
                Forwarder::new(url.clone(), args.forward_timeout, stop)
                    .map_err(|e| failed(format!("cannot build the HTTP client: {e}")))?,
            );
            eprintln!("forwarding to {}", forwarder.shown_url);
            inbox.spawn_workers(move |event: InboxEvent| {
                let forwarder = Arc::clone(&forwarder);
                async move { forwarder.forward(event).await }
            })
        }
        None => inbox.spawn_workers(|event: InboxEvent| async move { print_event(&event) }),
    };

    let app = Router::new()
        .fallback(inbox.receiver())
        .layer(axum::middleware::from_fn(delivery_span));
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    let _ = stopping.send(true);
    workers.shutdown().await;
    served.map_err(|e| failed(format!("server stopped: {e}")))
}

fn is_memory(url: &str) -> bool {
    matches!(url, "memory:" | "memory")
}

/// Log lines on stderr, one per event; `RUST_LOG` overrides [`DEFAULT_LOG`].
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .try_init();
}

/// Refuses anything but `POST`, and names the request's path in the receiver's log lines.
async fn delivery_span(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if request.method() != Method::POST {
        tracing::warn!(method = %request.method(), path = %path, "refused: deliveries are POSTed");
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    next.run(request)
        .instrument(tracing::info_span!("delivery", path = %path))
        .await
}

async fn shutdown_signal() {
    let interrupted = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminated) => {
                tokio::select! {
                    () = interrupted => {}
                    _ = terminated.recv() => {}
                }
            }
            Err(_) => interrupted.await,
        }
    }
    #[cfg(not(unix))]
    interrupted.await;
}

/// Prints the event as one JSON line on stdout; fails (and is tried again) when stdout does
/// not take it.
fn print_event(event: &InboxEvent) -> Result<(), String> {
    use std::io::Write;
    let line =
        serde_json::to_string(&event.event).map_err(|e| format!("cannot print the event: {e}"))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

/// POSTs stored events to the application.
///
/// Besides each event's own backoff, consecutive failures pause every forward (the same
/// doubling wait, up to [`MAX_BACKOFF`]): an application that is down gets one try per pause,
/// however many events wait for it.
struct Forwarder {
    http: reqwest::Client,
    url: reqwest::Url,
    shown_url: String,
    pause: Mutex<Pause>,
    stop: watch::Receiver<bool>,
}

/// When the next forward may start, after consecutive failures.
#[derive(Debug, Default)]
struct Pause {
    failures: u32,
    until: Option<Instant>,
}

impl Forwarder {
    fn new(
        url: reqwest::Url,
        timeout: Duration,
        stop: watch::Receiver<bool>,
    ) -> reqwest::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            shown_url: redact_url(url.as_str()),
            url,
            pause: Mutex::new(Pause::default()),
            stop,
        })
    }

    async fn forward(&self, event: InboxEvent) -> Result<(), String> {
        self.wait_for_pause().await?;
        let outcome = self.send(&event).await;
        let mut pause = self.pause.lock().unwrap_or_else(PoisonError::into_inner);
        match &outcome {
            Ok(status) => {
                *pause = Pause::default();
                tracing::info!(
                    event_id = event.event_id,
                    attempt = event.attempt,
                    status,
                    "forwarded"
                );
            }
            Err(_) => {
                pause.failures = pause.failures.saturating_add(1);
                let wait = RetryPolicy::default()
                    .with_backoff(INITIAL_BACKOFF, MAX_BACKOFF)
                    .without_jitter()
                    .backoff(pause.failures);
                pause.until = Some(Instant::now() + wait);
            }
        }
        outcome.map(drop)
    }

    /// Waits out the pause that earlier failures set; fails at once when listen is stopping.
    async fn wait_for_pause(&self) -> Result<(), String> {
        let until = self
            .pause
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .until;
        let Some(until) = until else {
            return Ok(());
        };
        let mut stop = self.stop.clone();
        tokio::select! {
            () = tokio::time::sleep_until(until) => Ok(()),
            _ = stop.wait_for(|stopping| *stopping) => {
                Err("listen stopped before the forward".to_string())
            }
        }
    }

    /// One POST; the status when it is a success.
    async fn send(&self, event: &InboxEvent) -> Result<u16, String> {
        let answer = self
            .http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, FORWARD_CONTENT_TYPE)
            .header(EVENT_ID_HEADER, &event.event_id)
            .header(ATTEMPT_HEADER, event.attempt.to_string())
            .header(
                RECEIVED_AT_HEADER,
                event.received_at.timestamp().to_string(),
            )
            .body(event.body.clone())
            .send()
            .await
            .map_err(|e| {
                let e = e.without_url();
                format!("forward to {} failed: {}", self.shown_url, error_chain(&e))
            })?;
        let status = answer.status();
        // Read to the end, so that the connection can be reused.
        let body = answer.text().await.unwrap_or_default();
        if status.is_success() {
            return Ok(status.as_u16());
        }
        let excerpt: String = body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(BODY_EXCERPT_CHARS)
            .collect();
        let mut message = format!("{} answered {status}", self.shown_url);
        if !excerpt.is_empty() {
            message.push_str(": ");
            message.push_str(&excerpt);
        }
        Err(message)
    }
}

/// An error with its causes, on one line (reqwest's own message leaves out why a request
/// failed).
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let shown = cause.to_string();
        if !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}
