//! The hand-written commands: one small module per flow.

pub mod listen;
pub mod resend;
pub mod schema;
pub mod send;
pub mod verify;

use clap::Subcommand;

/// The flow commands.
#[derive(Debug, Subcommand)]
pub enum Flow {
    /// Create a payment request (safe to repeat with --external-id) and print its id and URL
    Send(send::SendArgs),
    /// List an order's unpaid payment requests with fresh payment URLs
    Resend(resend::ResendArgs),
    /// Receive webhook deliveries into an inbox, then print or forward each event
    ///
    /// Every delivery POSTed to any path is verified with the app's public key and stored in
    /// the inbox (--inbox) before Wix gets its 200, so answering Wix never waits for your
    /// app. A delivery of an event already stored (Wix retries, and sometimes delivers twice)
    /// is answered 200 and dropped. A refused delivery is answered 400, 401 or 413 and logged
    /// on stderr; when the inbox cannot store it, 503, and Wix delivers it again later.
    ///
    /// Stored events are handled one at a time, in the order received (a failed one is tried
    /// again later, after newer ones). Without --forward-to each is printed as one JSON line
    /// on stdout. With --forward-to its raw body (the signed JWT) is POSTed there as
    /// text/plain with the headers wix-opr-event-id, wix-opr-attempt and wix-opr-received-at
    /// (Unix seconds when listen verified it): the token's exp may have passed by a retry, so
    /// an app that verifies it again checks its times as of wix-opr-received-at (the Rust
    /// client's WebhookVerifier::verify_at). Anything but a 2xx answer within
    /// --forward-timeout is a failure, tried again after a backoff (about 1s, doubling up to
    /// 60s, with jitter), forever unless --max-attempts is given. An event older
    /// (entityEventSequence) than one already handled for the same payment request is skipped,
    /// whatever its type. One line per outcome goes to stderr (RUST_LOG changes how much).
    ///
    /// Delivery is at least once: an event is marked done only after your app answered 2xx,
    /// so if listen stops while a forward is under way (crash, kill), that event is forwarded
    /// again once its --lease ends. Drop repeats by wix-opr-event-id.
    ///
    /// The default inbox, memory:, holds events only in memory: they are lost on restart.
    /// With sqlite:PATH a restarted listen resumes where it stopped; with postgres://... several
    /// listen processes (behind one load balancer) share one inbox and each event is handled by
    /// one of them. The Postgres password is never printed.
    Listen(listen::ListenArgs),
    /// Verify one webhook delivery read from stdin and print its event as JSON
    VerifyWebhook(verify::VerifyArgs),
    /// Print the JSON Schema of a named type (without NAME: list the names)
    Schema(schema::SchemaArgs),
}

/// The flows that call no API: their help lists no credential, target or output flag.
pub const CLIENTLESS: [&str; 3] = ["listen", "verify-webhook", "schema"];

impl Flow {
    /// The command's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Flow::Send(_) => "send",
            Flow::Resend(_) => "resend",
            Flow::Listen(_) => "listen",
            Flow::VerifyWebhook(_) => "verify-webhook",
            Flow::Schema(_) => "schema",
        }
    }

    /// Whether the command prints a list `--output table` can show.
    pub fn is_list(&self) -> bool {
        matches!(self, Flow::Resend(_))
    }

    /// Whether the command calls the API (and so needs credentials).
    pub fn needs_client(&self) -> bool {
        !CLIENTLESS.contains(&self.name())
    }
}
