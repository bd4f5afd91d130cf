//! The command tree (`wix-opr <command>`), dispatch and exit codes: 0 on success, 1 when a call
//! or a flow fails (the report is on stderr), 2 for a command line that does not parse.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Args, FromArgMatches, Subcommand};
use wix_order_payment_requests::WixClient;

use crate::flows::{self, Flow};
use crate::generated::cli::CliCommand;
use crate::json_body;
use crate::operations;
use crate::output::{self, OutputFormat};
use crate::report::ErrorReport;
use crate::target::TargetArgs;

/// The flags every command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Credentials, target and output")]
pub struct GlobalArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Output format; `table` applies to lists (query-order-payment-requests, resend)
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Json)]
    output: OutputFormat,
}

/// The whole command line: the generated operation commands, then the flows.
pub fn command() -> clap::Command {
    let mut command = clap::Command::new("wix-opr");
    command = GlobalArgs::augment_args(command);
    for operation in CliCommand::iter() {
        command = command.subcommand(operations::command(operation));
    }
    // After the flows: their enum's doc would otherwise become the program's about.
    let command = Flow::augment_subcommands(command)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Wix eCommerce Order Payment Requests from the command line")
        .long_about(
            "Wix eCommerce Order Payment Requests from the command line.\n\n\
             Credentials and target come from WIX_API_KEY with WIX_SITE_ID or WIX_ACCOUNT_ID, \
             or WIX_APP_ID, WIX_APP_SECRET and WIX_INSTANCE_ID (OAuth), and WIX_BASE_URL; \
             the flags below override them. Results are JSON on stdout; errors go to stderr \
             with a non-zero exit status.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true);
    hide_global_flags(command, &flows::CLIENTLESS)
}

/// `command` with the global flags hidden from the help of `subcommands` (they call no API).
/// Each of those subcommands gets a hidden copy of every global flag, which clap's propagation
/// of the global one then leaves alone; the flags are still accepted there, as before.
fn hide_global_flags(command: clap::Command, subcommands: &[&str]) -> clap::Command {
    let globals: Vec<clap::Arg> = GlobalArgs::augment_args(clap::Command::new("globals"))
        .get_arguments()
        .map(|arg| arg.clone().global(false).hide(true))
        .collect();
    subcommands.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| sub.args(globals.iter().cloned()))
    })
}

/// Runs `wix-opr` with `args` (the program name first).
pub async fn run(args: Vec<OsString>) -> ExitCode {
    let (args, stdin_body) = match json_body::substitute_stdin(args, std::io::stdin()) {
        Ok(substituted) => substituted,
        Err(error) => {
            eprintln!("error: cannot read the JSON body from stdin: {error}");
            return ExitCode::FAILURE;
        }
    };
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    match dispatch(&matches).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Report(mut report)) => {
            if let (Some(path), Some(message)) = (&stdin_body, &report.message) {
                // The temporary copy's name means nothing to the user.
                let path = path.to_string_lossy();
                report.message = Some(message.replace(path.as_ref(), "the JSON body from stdin"));
            }
            eprint!("{}", report.render());
            ExitCode::FAILURE
        }
    }
}

/// Why a command did not succeed.
enum Failure {
    /// The command line asks for something the command cannot do.
    Usage(String),
    /// The command ran and failed.
    Report(ErrorReport),
}

impl From<ErrorReport> for Failure {
    fn from(report: ErrorReport) -> Self {
        Failure::Report(report)
    }
}

async fn dispatch(matches: &clap::ArgMatches) -> Result<(), Failure> {
    let global =
        GlobalArgs::from_arg_matches(matches).map_err(|e| Failure::Usage(e.to_string()))?;
    let Some((name, sub_matches)) = matches.subcommand() else {
        return Err(Failure::Usage(
            "a command is required; see `wix-opr --help`".into(),
        ));
    };
    if let Some(operation) = operations::find(name) {
        require_list(global.output, operations::is_list(operation), name)?;
        let lost = operations::flags_lost_to_body(operation, sub_matches);
        if !lost.is_empty() {
            return Err(Failure::Usage(format!(
                "{} would be replaced by the body of --json-body; put the value in the JSON body instead",
                lost.join(", ")
            )));
        }
        let client = client(&global, name)?;
        return Ok(operations::execute(operation, sub_matches, &client, global.output).await?);
    }
    let flow = Flow::from_arg_matches(matches).map_err(|e| Failure::Usage(e.to_string()))?;
    require_list(global.output, flow.is_list(), flow.name())?;
    let client = if flow.needs_client() {
        Some(client(&global, flow.name())?)
    } else {
        None
    };
    run_flow(&flow, client.as_ref(), global.output).await
}

async fn run_flow(
    flow: &Flow,
    client: Option<&WixClient>,
    format: OutputFormat,
) -> Result<(), Failure> {
    let client = || client.ok_or_else(|| Failure::Usage("this command needs a client".into()));
    match flow {
        Flow::Send(args) => output::print(&output::json(&flows::send::run(args, client()?).await?)),
        Flow::Resend(args) => {
            let rows = flows::resend::run(args, client()?).await?;
            output::print(&match format {
                OutputFormat::Json => output::json(&serde_json::Value::Array(rows)),
                OutputFormat::Table => output::table(&rows, flows::resend::COLUMNS),
            });
        }
        Flow::Listen(args) => flows::listen::run(args).await?,
        Flow::VerifyWebhook(args) => {
            output::print(&output::json(&flows::verify::run(args, std::io::stdin())?))
        }
        Flow::Schema(args) => output::print(&flows::schema::run(args)?),
    }
    Ok(())
}

/// `--output table` is only for lists.
fn require_list(format: OutputFormat, is_list: bool, name: &str) -> Result<(), Failure> {
    if format == OutputFormat::Table && !is_list {
        return Err(Failure::Usage(format!(
            "--output table applies to lists (query-order-payment-requests, resend), not to {name}"
        )));
    }
    Ok(())
}

fn client(global: &GlobalArgs, name: &str) -> Result<WixClient, Failure> {
    global.target.client().map_err(|error| {
        Failure::Report(ErrorReport {
            operation: name.to_string(),
            message: Some(format!("cannot build the client: {error}")),
            ..ErrorReport::default()
        })
    })
}
