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
    /// Receive webhook deliveries, verify them and print one JSON line per event
    Listen(listen::ListenArgs),
    /// Verify one webhook delivery read from stdin and print its event as JSON
    VerifyWebhook(verify::VerifyArgs),
    /// Print the JSON Schema of a named type (without NAME: list the names)
    Schema(schema::SchemaArgs),
}

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
        matches!(self, Flow::Send(_) | Flow::Resend(_))
    }
}
