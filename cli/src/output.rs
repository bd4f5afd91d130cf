//! What goes to stdout: the API's JSON (pretty-printed), or for lists an aligned table.

use std::io::Write;

use clap::ValueEnum;
use serde_json::Value;
use tabwriter::TabWriter;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// The JSON value, pretty-printed.
    #[default]
    Json,
    /// Aligned columns, one row per item (lists only: `query-order-payment-requests`, `resend`).
    Table,
}

/// One table column: its heading and where its value sits in a row's JSON.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Heading.
    pub heading: &'static str,
    /// JSON pointer into the row, e.g. `/amount/amount`.
    pub pointer: &'static str,
}

/// The columns of an order payment request.
pub const REQUEST_COLUMNS: &[Column] = &[
    Column {
        heading: "ID",
        pointer: "/id",
    },
    Column {
        heading: "STATUS",
        pointer: "/status",
    },
    Column {
        heading: "ORDER",
        pointer: "/orderId",
    },
    Column {
        heading: "AMOUNT",
        pointer: "/amount/amount",
    },
    Column {
        heading: "CURRENCY",
        pointer: "/currency",
    },
    Column {
        heading: "TITLE",
        pointer: "/title",
    },
    Column {
        heading: "EXTERNAL ID",
        pointer: "/source/externalId",
    },
    Column {
        heading: "EXPIRES",
        pointer: "/expirationDate",
    },
];

/// A value as a table cell: strings bare, numbers and booleans as written, nothing as `-`.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `rows` as a table with `columns`, aligned, heading first. Tabs and newlines inside values
/// become spaces so that each row stays one line.
pub fn table(rows: &[Value], columns: &[Column]) -> String {
    let clean = |s: String| s.replace(['\t', '\n', '\r'], " ");
    let mut writer = TabWriter::new(Vec::new()).padding(2);
    let headings: Vec<_> = columns.iter().map(|c| c.heading).collect();
    let mut text = headings.join("\t");
    text.push('\n');
    for row in rows {
        let cells: Vec<_> = columns
            .iter()
            .map(|c| clean(cell(row.pointer(c.pointer))))
            .collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    // Writing into a Vec cannot fail.
    let _ = writer.write_all(text.as_bytes());
    let bytes = writer.into_inner().unwrap_or_default();
    let rendered = String::from_utf8_lossy(&bytes).into_owned();
    rendered
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `value` as pretty JSON with a final newline.
pub fn json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

/// Prints `text` on stdout; a closed stdout (`wix-opr ... | head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_align_and_missing_values_show_a_dash() {
        let rows = [
            json!({"id": "a", "status": "UNPAID", "amount": {"amount": "15.50"}, "title": "T"}),
            json!({"id": "bbbbbb", "status": "PAID", "title": "two\twords"}),
        ];
        let columns = &REQUEST_COLUMNS[..2];
        assert_eq!(
            table(&rows, columns),
            "ID      STATUS\na       UNPAID\nbbbbbb  PAID\n"
        );
        let amounts = table(&rows, &[REQUEST_COLUMNS[3], REQUEST_COLUMNS[5]]);
        assert_eq!(amounts, "AMOUNT  TITLE\n15.50   T\n-       two words\n");
    }
}
