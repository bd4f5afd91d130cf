//! The generated operation commands: named by operation id in kebab case, their results
//! printed as JSON (or a table for the query), their errors reported on stderr.

use std::cell::Cell;
use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;
use wix_order_payment_requests::generated::client::{Error, ResponseValue};
use wix_order_payment_requests::WixClient;

use crate::generated::cli::{Cli, CliCommand, CliConfig};
use crate::output::{self, OutputFormat, REQUEST_COLUMNS};
use crate::report::ErrorReport;

/// The command name of an operation: its operation id in kebab case.
pub fn name(operation: CliCommand) -> String {
    operation.operation_id().replace('_', "-")
}

/// The operation whose command is called `name`.
pub fn find(name: &str) -> Option<CliCommand> {
    CliCommand::iter().find(|op| self::name(*op) == name)
}

/// The member of the operation's answer that holds a list of entities, which
/// `--output table` shows, from the generated rule table.
pub fn list_member(operation: CliCommand) -> Option<&'static str> {
    operation
        .operation()
        .rule()
        .entity_field
        .filter(|field| field.list)
        .map(|field| field.name)
}

/// Whether the operation's answer is a list `--output table` can show.
pub fn is_list(operation: CliCommand) -> bool {
    list_member(operation).is_some()
}

/// The operation's `clap` command: progenitor's, named, with the summary as the short help
/// (the listing of `wix-opr --help`) and summary plus description as the long help.
pub fn command(operation: CliCommand) -> clap::Command {
    let generated = Cli::<Printer>::get_command(operation).name(name(operation));
    let about = generated
        .get_about()
        .map(ToString::to_string)
        .unwrap_or_default();
    let summary = about.split("\n\n").next().unwrap_or_default().to_string();
    let mut command = generated.about(summary).long_about(about);
    if command.get_arguments().any(|a| a.get_id() == "json-body") {
        command = command
            .mut_arg("json-body", |arg| {
                arg.help("File with the full JSON body (`-` reads it from stdin)")
            })
            // progenitor declares the flag but generates nothing that reads it.
            .mut_arg("json-body-template", |arg| arg.hide(true));
    }
    command
}

/// The body-field flags given together with `--json-body`. progenitor's command sets them and
/// then replaces the whole body with the file's, so they would be lost: the caller refuses
/// them instead. Path parameters are the required flags, and they are kept.
pub fn flags_lost_to_body(operation: CliCommand, matches: &clap::ArgMatches) -> Vec<String> {
    use clap::parser::ValueSource;
    let given = |id: &str| {
        matches!(matches.try_contains_id(id), Ok(true))
            && matches.value_source(id) == Some(ValueSource::CommandLine)
    };
    if !given("json-body") {
        return Vec::new();
    }
    command(operation)
        .get_arguments()
        .filter(|arg| !arg.is_global_set() && !arg.is_required_set())
        .filter(|arg| arg.get_id() != "json-body" && arg.get_long().is_some())
        .filter(|arg| given(arg.get_id().as_str()))
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect()
}

/// Runs a generated command; `Err` carries the report to print (already complete).
pub async fn execute(
    operation: CliCommand,
    matches: &clap::ArgMatches,
    client: &WixClient,
    format: OutputFormat,
) -> Result<(), ErrorReport> {
    let failure: Rc<Cell<Option<ErrorReport>>> = Rc::default();
    let printer = Printer {
        operation,
        format,
        failure: failure.clone(),
    };
    let cli = Cli::new(client.raw().clone(), printer);
    match cli.execute(operation, matches).await {
        Ok(()) => Ok(()),
        Err(error) => Err(failure.take().unwrap_or_else(|| ErrorReport {
            operation: name(operation),
            message: Some(format!("{error:#}")),
            ..ErrorReport::default()
        })),
    }
}

/// Prints what the generated commands produce.
pub struct Printer {
    operation: CliCommand,
    format: OutputFormat,
    failure: Rc<Cell<Option<ErrorReport>>>,
}

impl Printer {
    fn print_value<T: Serialize>(&self, value: &T) {
        let json = serde_json::to_value(value).unwrap_or(Value::Null);
        let rows = list_member(self.operation).and_then(|member| json.get(member));
        let text = match (self.format, rows) {
            (OutputFormat::Table, Some(Value::Array(rows))) => output::table(rows, REQUEST_COLUMNS),
            _ => output::json(&json),
        };
        output::print(&text);
    }

    fn fail<T: Serialize + std::fmt::Debug>(&self, error: &Error<T>) {
        self.failure
            .set(Some(ErrorReport::from_raw(&name(self.operation), error)));
    }
}

impl CliConfig for Printer {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.print_value(&**value);
    }

    fn success_no_item(&self, _: &ResponseValue<()>) {}

    fn error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.fail(error);
    }

    fn list_start<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.print_value(value);
    }

    fn list_end_success<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.fail(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_sends_the_operation_it_is_named_after() {
        for command in CliCommand::iter() {
            let rule = command.operation().rule();
            let camel_to_kebab: String = rule
                .operation_id
                .chars()
                .flat_map(|c| match c.is_ascii_uppercase() {
                    true => vec!['-', c.to_ascii_lowercase()],
                    false => vec![c],
                })
                .collect();
            assert_eq!(name(command), camel_to_kebab);
        }
    }

    #[test]
    fn only_the_query_answers_a_list_the_table_shows() {
        let lists: Vec<(String, &str)> = CliCommand::iter()
            .filter_map(|c| Some((name(c), list_member(c)?)))
            .collect();
        assert_eq!(
            lists,
            [(
                "query-order-payment-requests".to_string(),
                "orderPaymentRequests"
            )]
        );
    }
}
