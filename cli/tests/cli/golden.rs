//! Golden output: `--help` texts and error reports. `UPDATE_GOLDENS=1 cargo test -p wix-opr`
//! rewrites the files in `tests/cli/golden/`.

use wix_opr_emulator::Emulator;

use crate::support::{assert_golden, run, run_against, without_request_ids, ORDER};

#[tokio::test]
async fn top_level_help_lists_the_ten_operations_and_the_flows() {
    let help = run(&["--help"], &[], "").await.ok();
    for command in [
        "create-order-payment-request",
        "bulk-create-order-payment-requests",
        "get-order-payment-request",
        "update-order-payment-request",
        "delete-order-payment-request",
        "query-order-payment-requests",
        "get-order-payment-request-url",
        "update-extended-fields",
        "void-order-payment-request",
        "charge-order-payment-request",
        "send",
        "resend",
        "listen",
        "verify-webhook",
        "schema",
    ] {
        assert!(
            help.stdout.contains(&format!("\n  {command} ")),
            "{command} missing from:\n{}",
            help.stdout
        );
    }
    assert_golden("help.txt", &help.stdout);
}

#[tokio::test]
async fn command_help_matches_the_goldens() {
    for (args, golden) in [
        (&["send", "--help"][..], "help_send.txt"),
        (&["listen", "--help"][..], "help_listen.txt"),
        (
            &["void-order-payment-request", "--help"][..],
            "help_void.txt",
        ),
        (
            &["query-order-payment-requests", "-h"][..],
            "help_query_short.txt",
        ),
    ] {
        let run = run(args, &[], "").await.ok();
        assert_golden(golden, &run.stdout);
    }
}

#[tokio::test]
async fn an_api_error_shows_code_description_and_request_id_and_exits_non_zero() {
    let emulator = Emulator::start().await.unwrap();
    let run = run_against(
        &emulator,
        &[
            "get-order-payment-request",
            "--order-payment-request-id",
            "00000000-0000-4000-8000-000000000001",
        ],
        "",
    )
    .await;
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("request id: "), "{}", run.stderr);
    assert_golden("error_not_found.txt", &without_request_ids(&run.stderr));
}

#[tokio::test]
async fn field_violations_are_listed_one_per_line() {
    let emulator = Emulator::start().await.unwrap();
    // Complete enough to parse, but with more blocked payment methods than the API takes (the
    // generated commands leave that check to the API).
    let body = format!(
        r#"{{"orderPaymentRequest": {{"orderId": "{ORDER}", "amount": {{"amount": "1"}}, "title": "T", "blockedPaymentMethods": ["MANUAL", "MANUAL"]}}}}"#
    );
    let run = run_against(
        &emulator,
        &["create-order-payment-request", "--json-body", "-"],
        &body,
    )
    .await;
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(run.stderr.contains("field violations:"), "{}", run.stderr);
    assert_golden("error_violations.txt", &without_request_ids(&run.stderr));
}

#[tokio::test]
async fn the_client_side_errors_are_reported_too() {
    let no_credentials = run(
        &["send", "--order-id", ORDER, "--amount", "1", "--title", "T"],
        &[],
        "",
    )
    .await;
    assert_eq!(no_credentials.code, Some(1));
    let bad_amount = run(
        &[
            "send",
            "--order-id",
            ORDER,
            "--amount",
            "15,50",
            "--title",
            "T",
        ],
        &[],
        "",
    )
    .await;
    assert_eq!(bad_amount.code, Some(2));
    let table_of_one = run(
        &[
            "--output",
            "table",
            "send",
            "--order-id",
            ORDER,
            "--amount",
            "1",
            "--title",
            "T",
        ],
        &[],
        "",
    )
    .await;
    assert_eq!(table_of_one.code, Some(2));
    let credentials = [
        ("WIX_API_KEY", "k"),
        ("WIX_SITE_ID", crate::support::SITE),
        ("WIX_BASE_URL", "http://127.0.0.1:9"),
    ];
    let flag_and_body = run(
        &[
            "update-extended-fields",
            "--id",
            "x",
            "--namespace",
            "app",
            "--json-body",
            "-",
        ],
        &credentials,
        "{}",
    )
    .await;
    assert_eq!(flag_and_body.code, Some(2));
    let broken_body = run(
        &["void-order-payment-request", "--json-body", "-"],
        &credentials,
        "{broken",
    )
    .await;
    assert_eq!(broken_body.code, Some(1));
    let text = format!(
        "$ wix-opr send (no credentials)\n{}\n$ wix-opr send --amount 15,50\n{}\n$ wix-opr --output table send\n{}\n$ wix-opr update-extended-fields --namespace app --json-body -\n{}\n$ wix-opr void-order-payment-request --json-body - <<< '{{broken'\n{}",
        no_credentials.stderr,
        bad_amount.stderr,
        table_of_one.stderr,
        flag_and_body.stderr,
        broken_body.stderr
    );
    assert_golden("error_client_side.txt", &text);
}

#[tokio::test]
async fn secrets_given_as_flags_never_appear_in_the_output() {
    let secret = "sk-very-secret-value";
    let run = run(
        &[
            "--api-key",
            secret,
            "--site-id",
            "not-a-guid",
            "get-order-payment-request",
            "--order-payment-request-id",
            "00000000-0000-4000-8000-000000000001",
        ],
        &[],
        "",
    )
    .await;
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert!(run.stderr.contains("invalid site id"), "{}", run.stderr);
    assert!(!run.stderr.contains(secret) && !run.stdout.contains(secret));
}
