//! Runs the emulator: `wix-opr-emulator --port 8080` prints the base URL (the first line of
//! stdout) and serves until Ctrl-C. `wix-opr-emulator --print-webhook-public-key` prints the PEM
//! public key webhook receivers verify deliveries with, and exits. `--help` lists every option.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use uuid::Uuid;
use wix_opr_emulator::limits;
use wix_opr_emulator::webhooks::{DEFAULT_KEY_ID, WIX_RETRY_SCHEDULE};
use wix_opr_emulator::Clock;
use wix_opr_emulator::{Emulator, FaultConfig, Limits, Order, WebhookConfig, WebhookHub};

/// A local, stateful emulator of the Wix eCommerce Order Payment Requests API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "EMULATOR_HOST")]
    host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080, env = "EMULATOR_PORT")]
    port: u16,
    /// Base URL payment-page links start with (default: the bound address).
    #[arg(long)]
    public_url: Option<String>,
    /// Most payment requests held; creates beyond it answer 429.
    #[arg(long, default_value_t = wix_opr_emulator::DEFAULT_CAPACITY)]
    capacity: usize,
    /// Accept only this API key (repeat for several). Default: any non-empty key.
    #[arg(long = "api-key", value_name = "KEY")]
    api_keys: Vec<String>,
    /// A JSON file with more orders (an array, same shape as fixtures/orders.json).
    #[arg(long, value_name = "FILE")]
    orders: Option<PathBuf>,
    /// Milliseconds between an accepted charge and PAID.
    #[arg(long, default_value_t = 100)]
    charge_settle_ms: u64,
    /// Milliseconds between expiry sweeps.
    #[arg(long, default_value_t = 250)]
    sweep_ms: u64,
    /// Fault injection, e.g. `rate=0.2,seed=7,kinds=429+503+slow+drop,slow-ms=1500`.
    #[arg(long, value_name = "SPEC")]
    faults: Option<FaultConfig>,
    /// Deliver webhooks to this URL (repeat for several).
    #[arg(long = "webhook", value_name = "URL")]
    webhooks: Vec<String>,
    /// Divide Wix's webhook retry schedule by this (60000 turns 1 minute into 1 ms).
    #[arg(long, default_value_t = 1.0)]
    webhook_compression: f64,
    /// Milliseconds a webhook receiver has to answer 200.
    #[arg(long, default_value_t = 1250)]
    webhook_timeout_ms: u64,
    /// PEM file of the RSA private key that signs webhooks (default: a built-in test key).
    #[arg(long, value_name = "FILE")]
    webhook_private_key: Option<PathBuf>,
    /// How many times a failed webhook delivery is tried again (0 to 12; Wix's 12 by default).
    #[arg(long, value_name = "N", default_value_t = WIX_RETRY_SCHEDULE.len() as u8,
          value_parser = clap::value_parser!(u8).range(0..=WIX_RETRY_SCHEDULE.len() as i64))]
    webhook_max_retries: u8,
    /// The `kid` in the JWT header of webhook deliveries.
    #[arg(long, value_name = "KID", default_value = DEFAULT_KEY_ID)]
    webhook_key_id: String,
    /// The app id (GUID) webhook events name as `identity.appId` (default: a fixed test id).
    #[arg(long, value_name = "GUID")]
    webhook_app_id: Option<Uuid>,
    /// The `instanceId` (GUID) of every webhook event (default: one per site, the site id when
    /// it is a GUID).
    #[arg(long, value_name = "GUID")]
    webhook_instance_id: Option<Uuid>,
    /// Print the public key (PEM) that verifies webhook deliveries, and exit.
    #[arg(long)]
    print_webhook_public_key: bool,
    /// Start with creates failing ORDER_PAYMENT_REQUEST_PAGE_NOT_FOUND.
    #[arg(long)]
    page_not_found: bool,
    /// Start with creates failing SITE_NOT_PUBLISHED.
    #[arg(long)]
    site_not_published: bool,
    /// Seconds an OAuth access token from /oauth2/token lives (real time).
    #[arg(long, default_value_t = wix_opr_emulator::TOKEN_TTL_SECONDS)]
    oauth_token_ttl_secs: u64,
    /// Milliseconds a connection has to send a request's head before it is closed.
    #[arg(long, default_value_t = limits::DEFAULT_HEADER_READ_TIMEOUT.as_millis() as u64)]
    header_read_timeout_ms: u64,
    /// Milliseconds a request's body has to arrive after its head (408 otherwise).
    #[arg(long, default_value_t = limits::DEFAULT_BODY_READ_TIMEOUT.as_millis() as u64)]
    body_read_timeout_ms: u64,
    /// Largest request body in bytes (413 otherwise).
    #[arg(long, default_value_t = limits::DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// Largest data of one extended-fields namespace, in bytes of compact JSON.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_NAMESPACE_BYTES)]
    max_namespace_bytes: usize,
    /// Largest extended fields of one payment request, in bytes of compact JSON.
    #[arg(long, default_value_t = limits::DEFAULT_MAX_EXTENDED_FIELDS_BYTES)]
    max_extended_fields_bytes: usize,
}

impl Args {
    /// The time and size bounds the flags set.
    fn limits(&self) -> Limits {
        Limits {
            header_read_timeout: Duration::from_millis(self.header_read_timeout_ms),
            body_read_timeout: Duration::from_millis(self.body_read_timeout_ms),
            max_body_bytes: self.max_body_bytes,
            max_namespace_bytes: self.max_namespace_bytes,
            max_extended_fields_bytes: self.max_extended_fields_bytes,
        }
    }
}

fn read_orders(path: &PathBuf) -> Result<Vec<Order>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let orders: Vec<Order> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for order in &orders {
        order
            .check()
            .map_err(|e| format!("{}: order {}: {e}", path.display(), order.id))?;
    }
    Ok(orders)
}

/// The webhook settings of `args` (reads the private key file, if any).
fn webhook_config(args: &Args) -> Result<WebhookConfig, String> {
    let mut webhooks = WebhookConfig {
        subscribers: args.webhooks.clone(),
        retry_compression: args.webhook_compression,
        delivery_timeout: Duration::from_millis(args.webhook_timeout_ms),
        max_retries: usize::from(args.webhook_max_retries),
        key_id: args.webhook_key_id.clone(),
        instance_id: args.webhook_instance_id,
        ..WebhookConfig::default()
    };
    if let Some(app_id) = args.webhook_app_id {
        webhooks.app_id = app_id;
    }
    if let Some(path) = &args.webhook_private_key {
        webhooks.private_key_pem =
            Some(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    Ok(webhooks)
}

/// The PEM public key deliveries made with `webhooks` verify with. The key is loaded exactly as
/// at startup, so an unusable private key is an error here too.
fn webhook_public_key(webhooks: WebhookConfig) -> Result<String, String> {
    let key_only = WebhookConfig {
        subscribers: Vec::new(),
        ..webhooks
    };
    let hub = WebhookHub::try_new(key_only, Clock::default()).map_err(|e| e.to_string())?;
    Ok(hub.public_key_pem().to_string())
}

async fn run(args: Args) -> Result<(), String> {
    let webhooks = webhook_config(&args)?;
    if args.print_webhook_public_key {
        let pem = webhook_public_key(webhooks)?;
        print!("{pem}");
        if !pem.ends_with('\n') {
            println!();
        }
        return Ok(());
    }
    let limits = args.limits();
    let mut builder = Emulator::builder()
        .host(args.host)
        .port(args.port)
        .capacity(args.capacity)
        .charge_settle(Duration::from_millis(args.charge_settle_ms))
        .sweep_interval(Duration::from_millis(args.sweep_ms))
        .webhooks(webhooks)
        .page_not_found(args.page_not_found)
        .site_not_published(args.site_not_published)
        .limits(limits)
        .oauth_token_ttl(Duration::from_secs(args.oauth_token_ttl_secs));
    if let Some(url) = args.public_url {
        builder = builder.public_url(url);
    }
    if !args.api_keys.is_empty() {
        builder = builder.api_keys(args.api_keys);
    }
    if let Some(faults) = args.faults {
        builder = builder.faults(faults);
    }
    if let Some(path) = &args.orders {
        for order in read_orders(path)? {
            builder = builder.order(order);
        }
    }
    let emulator = builder.start().await.map_err(|e| e.to_string())?;
    println!("{}", emulator.base_url());
    tracing::info!(url = %emulator.base_url(), "emulator listening");
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wix-opr-emulator: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
