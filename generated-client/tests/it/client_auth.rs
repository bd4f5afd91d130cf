//! Construction and authentication: builder rules, environment variables, OAuth token
//! caching, refresh and single flight, and secrets kept out of `Debug` and errors.

use crate::client_common;
use crate::support;

use std::collections::HashMap;
use std::sync::Arc;

use client_common::{opr_json, policy, RecordingSleeper, OPR_ID};
use serde_json::json;
use support::{Scripted, TestServer, API_KEY, SITE_ID};
use wix_order_payment_requests::Origin;
use wix_order_payment_requests::{BuildError, ClientBuilder, Credentials, Tenant, WixClient};

const SECRET: &str = "app-secret-value-9f8e7d";

fn got() -> Scripted {
    Scripted::json(
        200,
        json!({"orderPaymentRequest": opr_json(OPR_ID, "ext-1")}),
    )
}

fn token(value: &str, expires_in: u64) -> Scripted {
    Scripted::json(
        200,
        json!({"access_token": value, "token_type": "Bearer", "expires_in": expires_in}),
    )
}

fn oauth_client(server: &TestServer) -> WixClient {
    let sleeper = Arc::new(RecordingSleeper::default());
    WixClient::builder()
        .base_url(&server.base_url)
        .oauth("app-id-1", SECRET, "instance-1")
        .retry_policy(policy(1, &sleeper))
        .build()
        .unwrap()
}

#[test]
fn builder_rejects_both_site_and_account_and_missing_credentials() {
    let both = WixClient::builder()
        .api_key("k")
        .site_id(SITE_ID)
        .account_id(SITE_ID)
        .build()
        .unwrap_err();
    assert_eq!(both, BuildError::SiteAndAccount(Origin::Code));
    assert_eq!(
        WixClient::builder().build().unwrap_err(),
        BuildError::NoCredentials(Origin::Code)
    );
    let mixed = WixClient::builder()
        .api_key("k")
        .oauth("a", "b", "c")
        .build()
        .unwrap_err();
    assert_eq!(mixed, BuildError::ApiKeyAndOAuth(Origin::Code));
    assert!(matches!(
        WixClient::builder()
            .base_url("ftp://x")
            .api_key("k")
            .build(),
        Err(BuildError::InvalidBaseUrl(_, Origin::Code))
    ));
}

#[test]
fn site_and_account_ids_that_are_not_guids_are_refused_at_build_time() {
    for bad in [
        "",
        "s",
        "my-site",
        "5f3a9c1e2b4d4e6f8a0b1c2d3e4f5a6b",
        "{5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b}",
        " 5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
        "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6g",
        "5f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b\n",
    ] {
        let site = WixClient::builder().api_key("k").site_id(bad).build();
        assert_eq!(
            site.unwrap_err(),
            BuildError::InvalidSiteId(bad.to_string(), Origin::Code)
        );
        let account = WixClient::builder().api_key("k").account_id(bad).build();
        assert_eq!(
            account.unwrap_err(),
            BuildError::InvalidAccountId(bad.to_string(), Origin::Code)
        );
        assert_eq!(
            Credentials::api_key_for_site("k", bad).unwrap_err(),
            BuildError::InvalidSiteId(bad.to_string(), Origin::Code)
        );
        assert_eq!(
            Credentials::api_key_for_account("k", bad).unwrap_err(),
            BuildError::InvalidAccountId(bad.to_string(), Origin::Code)
        );
        assert!(Tenant::site(bad).is_err() && Tenant::account(bad).is_err());
    }
    let message = WixClient::builder()
        .api_key("k")
        .site_id("my-site")
        .build()
        .unwrap_err()
        .to_string();
    assert!(message.contains("\"my-site\""), "{message}");
    assert!(message.contains("GUID"), "{message}");
    // The id is checked with OAuth credentials too, though they do not send it.
    assert!(matches!(
        WixClient::builder()
            .oauth("app", SECRET, "inst")
            .site_id("x")
            .build(),
        Err(BuildError::InvalidSiteId(_, Origin::Code))
    ));
}

#[test]
fn from_vars_refuses_a_site_id_that_is_not_a_guid() {
    let vars: HashMap<&str, String> = [
        ("WIX_API_KEY", API_KEY.to_string()),
        ("WIX_SITE_ID", "my-site".to_string()),
    ]
    .into();
    assert_eq!(
        wix_order_payment_requests::ClientBuilder::from_vars(|name| vars.get(name).cloned())
            .build()
            .unwrap_err(),
        BuildError::InvalidSiteId("my-site".to_string(), Origin::Env)
    );
}

const ALL_VARS: [&str; 7] = [
    "WIX_BASE_URL",
    "WIX_API_KEY",
    "WIX_SITE_ID",
    "WIX_ACCOUNT_ID",
    "WIX_APP_ID",
    "WIX_APP_SECRET",
    "WIX_INSTANCE_ID",
];

/// Variables, the error they give, and what its message must name.
type Case<'a> = (Vec<(&'a str, &'a str)>, BuildError, Vec<&'a str>);

fn from_vars(vars: &[(&str, &str)]) -> Result<WixClient, BuildError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ClientBuilder::from_vars(|name| vars.get(name).cloned()).build()
}

#[test]
fn from_vars_refuses_each_missing_or_invalid_combination_naming_the_variables_to_set() {
    let key = ("WIX_API_KEY", API_KEY);
    let site = ("WIX_SITE_ID", SITE_ID);
    let account = ("WIX_ACCOUNT_ID", SITE_ID);
    let app = ("WIX_APP_ID", "app");
    let secret = ("WIX_APP_SECRET", SECRET);
    let instance = ("WIX_INSTANCE_ID", "instance");
    let cases: Vec<Case> = vec![
        (
            vec![],
            BuildError::NoCredentials(Origin::Env),
            vec![
                "WIX_API_KEY",
                "WIX_SITE_ID",
                "WIX_ACCOUNT_ID",
                "WIX_APP_ID",
                "WIX_APP_SECRET",
                "WIX_INSTANCE_ID",
            ],
        ),
        (
            vec![site, ("WIX_BASE_URL", "http://127.0.0.1:9")],
            BuildError::NoCredentials(Origin::Env),
            vec!["WIX_API_KEY", "WIX_APP_ID"],
        ),
        (
            vec![key],
            BuildError::NoTenant(Origin::Env),
            vec!["WIX_API_KEY", "WIX_SITE_ID", "WIX_ACCOUNT_ID"],
        ),
        // An empty variable is an unset one.
        (
            vec![key, ("WIX_SITE_ID", ""), ("WIX_ACCOUNT_ID", "")],
            BuildError::NoTenant(Origin::Env),
            vec!["WIX_SITE_ID", "WIX_ACCOUNT_ID"],
        ),
        (
            vec![key, ("WIX_SITE_ID", "my-site")],
            BuildError::InvalidSiteId("my-site".into(), Origin::Env),
            vec!["\"my-site\" in WIX_SITE_ID", "GUID"],
        ),
        (
            vec![key, ("WIX_ACCOUNT_ID", "acct")],
            BuildError::InvalidAccountId("acct".into(), Origin::Env),
            vec!["\"acct\" in WIX_ACCOUNT_ID", "GUID"],
        ),
        (
            vec![key, site, account],
            BuildError::SiteAndAccount(Origin::Env),
            vec!["WIX_SITE_ID", "WIX_ACCOUNT_ID"],
        ),
        (
            vec![key, site, app, secret, instance],
            BuildError::ApiKeyAndOAuth(Origin::Env),
            vec![
                "WIX_API_KEY",
                "WIX_APP_ID",
                "WIX_APP_SECRET",
                "WIX_INSTANCE_ID",
            ],
        ),
        (
            vec![app],
            BuildError::IncompleteOAuth(vec!["WIX_APP_SECRET", "WIX_INSTANCE_ID"]),
            vec!["set WIX_APP_SECRET and WIX_INSTANCE_ID"],
        ),
        (
            vec![app, secret, ("WIX_INSTANCE_ID", "")],
            BuildError::IncompleteOAuth(vec!["WIX_INSTANCE_ID"]),
            vec!["set WIX_INSTANCE_ID"],
        ),
        (
            vec![key, site, ("WIX_BASE_URL", "ftp://x")],
            BuildError::InvalidBaseUrl("ftp://x".into(), Origin::Env),
            vec!["\"ftp://x\" in WIX_BASE_URL"],
        ),
    ];
    for (vars, expected, named) in cases {
        let error = from_vars(&vars).unwrap_err();
        assert_eq!(error, expected, "{vars:?}");
        let message = error.to_string();
        for name in named {
            assert!(message.contains(name), "{vars:?}: {message:?} lacks {name}");
        }
        // The variables, not the builder's methods; and never a secret.
        assert!(!message.contains("ClientBuilder"), "{message}");
        assert!(
            !message.contains(API_KEY) && !message.contains(SECRET),
            "{message}"
        );
        assert!(
            ALL_VARS.iter().any(|name| message.contains(name)),
            "{message}"
        );
    }
    for complete in [
        vec![key, site],
        vec![key, account],
        // OAuth client credentials carry their app instance: no site or account id.
        vec![app, secret, instance],
    ] {
        assert!(from_vars(&complete).is_ok(), "{complete:?}");
    }
}

#[test]
fn builder_errors_name_the_builder_methods() {
    let cases = [
        (
            WixClient::builder().build(),
            BuildError::NoCredentials(Origin::Code),
            vec!["ClientBuilder::api_key", "ClientBuilder::oauth"],
        ),
        (
            WixClient::builder().api_key(API_KEY).build(),
            BuildError::NoTenant(Origin::Code),
            vec!["ClientBuilder::site_id", "ClientBuilder::account_id"],
        ),
        (
            WixClient::builder()
                .api_key(API_KEY)
                .site_id(SITE_ID)
                .account_id(SITE_ID)
                .build(),
            BuildError::SiteAndAccount(Origin::Code),
            vec!["ClientBuilder::site_id", "ClientBuilder::account_id"],
        ),
        (
            WixClient::builder()
                .api_key(API_KEY)
                .site_id(SITE_ID)
                .oauth("app", SECRET, "instance")
                .build(),
            BuildError::ApiKeyAndOAuth(Origin::Code),
            vec!["ClientBuilder::api_key", "ClientBuilder::oauth"],
        ),
        (
            WixClient::builder()
                .base_url("ftp://x")
                .api_key(API_KEY)
                .site_id(SITE_ID)
                .build(),
            BuildError::InvalidBaseUrl("ftp://x".into(), Origin::Code),
            vec!["\"ftp://x\" (ClientBuilder::base_url)"],
        ),
        (
            WixClient::builder().api_key(API_KEY).site_id("x").build(),
            BuildError::InvalidSiteId("x".into(), Origin::Code),
            vec!["invalid site id \"x\": expected a GUID"],
        ),
    ];
    for (result, expected, named) in cases {
        let error = result.unwrap_err();
        assert_eq!(error, expected);
        let message = error.to_string();
        for name in named {
            assert!(message.contains(name), "{message:?} lacks {name}");
        }
        assert!(!message.contains("WIX_"), "{message}");
    }
    // A setting given in code after `from_vars` is named as given in code.
    let key_from_env = [("WIX_API_KEY".to_string(), API_KEY.to_string())];
    let vars: HashMap<String, String> = key_from_env.into();
    let error = ClientBuilder::from_vars(|name| vars.get(name).cloned())
        .site_id("x")
        .build()
        .unwrap_err();
    assert_eq!(error, BuildError::InvalidSiteId("x".into(), Origin::Code));
}

#[tokio::test]
async fn a_guid_in_upper_case_is_accepted_and_sent_in_lower_case() {
    let server = TestServer::start(vec![got()]).await;
    let wix = WixClient::builder()
        .base_url(&server.base_url)
        .api_key(API_KEY)
        .site_id(SITE_ID.to_uppercase())
        .build()
        .unwrap();
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    assert_eq!(server.single().header("wix-site-id"), Some(SITE_ID));
}

#[tokio::test]
async fn from_vars_reads_key_site_and_base_url() {
    let server = TestServer::start(vec![got()]).await;
    let vars: HashMap<&str, String> = [
        ("WIX_API_KEY", API_KEY.to_string()),
        ("WIX_SITE_ID", SITE_ID.to_string()),
        ("WIX_BASE_URL", server.base_url.clone()),
    ]
    .into();
    let wix = wix_order_payment_requests::ClientBuilder::from_vars(|name| vars.get(name).cloned())
        .build()
        .unwrap();
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    let request = server.single();
    assert_eq!(request.header("authorization"), Some(API_KEY));
    assert_eq!(request.header("wix-site-id"), Some(SITE_ID));
    let account: HashMap<&str, String> = [
        ("WIX_API_KEY", API_KEY.to_string()),
        ("WIX_SITE_ID", SITE_ID.to_string()),
        ("WIX_ACCOUNT_ID", SITE_ID.to_string()),
    ]
    .into();
    assert_eq!(
        wix_order_payment_requests::ClientBuilder::from_vars(|n| account.get(n).cloned())
            .build()
            .unwrap_err(),
        BuildError::SiteAndAccount(Origin::Env)
    );
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_errors() {
    let server = TestServer::start(vec![Scripted::json(
        401,
        json!({"message": "bad key", "details": {}}),
    )])
    .await;
    let builder = WixClient::builder()
        .base_url(&server.base_url)
        .api_key(API_KEY)
        .site_id(SITE_ID);
    assert!(!format!("{builder:?}").contains(API_KEY));
    let wix = builder.build().unwrap();
    assert!(!format!("{wix:?}").contains(API_KEY));
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    assert!(!format!("{error}").contains(API_KEY));
    assert!(!format!("{error:?}").contains(API_KEY));

    let oauth = WixClient::builder().oauth("app", SECRET, "inst");
    assert!(!format!("{oauth:?}").contains(SECRET));
    assert!(!format!("{:?}", oauth.build().unwrap()).contains(SECRET));
}

#[tokio::test]
async fn oauth_token_is_fetched_once_sent_raw_and_cached() {
    let server = TestServer::start(vec![token("tok-A", 3600), got(), got()]).await;
    let wix = oauth_client(&server);
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[0].method.as_str(), "POST");
    assert_eq!(recorded[0].path, "/oauth2/token");
    assert_eq!(
        recorded[0].json(),
        json!({
            "grant_type": "client_credentials",
            "client_id": "app-id-1",
            "client_secret": SECRET,
            "instance_id": "instance-1",
        })
    );
    assert_eq!(recorded[1].header("authorization"), Some("tok-A"));
    assert_eq!(recorded[2].header("authorization"), Some("tok-A"));
    assert_eq!(recorded[1].header("wix-site-id"), None);
}

#[tokio::test]
async fn concurrent_calls_make_a_single_token_request() {
    let mut script = vec![token("tok-A", 3600)];
    script.extend(std::iter::repeat_n(got(), 20));
    let server = TestServer::start(script).await;
    let wix = oauth_client(&server);
    let calls = (0..20).map(|_| {
        let wix = wix.clone();
        tokio::spawn(async move { wix.get(OPR_ID.parse().unwrap()).await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    let recorded = server.recorded();
    let token_requests = recorded
        .iter()
        .filter(|r| r.path == "/oauth2/token")
        .count();
    assert_eq!(token_requests, 1);
    assert_eq!(recorded.len(), 21);
    assert!(recorded[1..]
        .iter()
        .all(|r| r.header("authorization") == Some("tok-A")));
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    // A 30 s token is inside the 60 s refresh margin: the next call fetches a new one.
    let server = TestServer::start(vec![
        token("tok-A", 30),
        got(),
        token("tok-B", 3600),
        got(),
        got(),
    ])
    .await;
    let wix = oauth_client(&server);
    for _ in 0..3 {
        wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    }
    let auth: Vec<_> = server
        .recorded()
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.header("authorization").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(auth[1].1.as_deref(), Some("tok-A"));
    assert_eq!(auth[2].0, "/oauth2/token");
    assert_eq!(auth[3].1.as_deref(), Some("tok-B"));
    assert_eq!(auth[4].1.as_deref(), Some("tok-B"));
}

#[tokio::test]
async fn a_401_drops_the_cached_token() {
    let server = TestServer::start(vec![
        token("tok-A", 3600),
        Scripted::json(401, json!({"message": "expired"})),
        token("tok-B", 3600),
        got(),
    ])
    .await;
    let wix = oauth_client(&server);
    wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    wix.get(OPR_ID.parse().unwrap()).await.unwrap();
    assert_eq!(server.recorded()[3].header("authorization"), Some("tok-B"));
}

#[tokio::test]
async fn failed_token_request_is_an_error_without_the_secret() {
    let server = TestServer::start(vec![Scripted::json(400, json!({"error": "bad"}))]).await;
    let wix = oauth_client(&server);
    let error = wix.get(OPR_ID.parse().unwrap()).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("OAuth token request failed: HTTP 400"),
        "{text}"
    );
    assert!(!text.contains(SECRET));
    assert_eq!(
        server.recorded().len(),
        1,
        "the API call itself was not sent"
    );
}

#[tokio::test]
async fn authorization_header_values_are_marked_sensitive() {
    use progenitor_client::{ClientHooks, OperationInfo};
    let server = TestServer::start(vec![token("tok-secret-A", 3600)]).await;
    let info = OperationInfo {
        operation_id: "get_order_payment_request",
    };
    // API key.
    let wix = WixClient::builder()
        .base_url(&server.base_url)
        .api_key(API_KEY)
        .site_id(SITE_ID)
        .build()
        .unwrap();
    let mut request = reqwest::Request::new(
        reqwest::Method::GET,
        format!("{}/x", server.base_url).parse().unwrap(),
    );
    ClientHooks::pre::<()>(wix.raw(), &mut request, &info)
        .await
        .unwrap();
    let value = request.headers().get("authorization").unwrap();
    assert!(value.is_sensitive());
    assert!(!format!("{request:?}").contains(API_KEY));
    // OAuth token.
    let wix = oauth_client(&server);
    let mut request = reqwest::Request::new(
        reqwest::Method::GET,
        format!("{}/x", server.base_url).parse().unwrap(),
    );
    ClientHooks::pre::<()>(wix.raw(), &mut request, &info)
        .await
        .unwrap();
    let value = request.headers().get("authorization").unwrap();
    assert_eq!(value.to_str().unwrap(), "tok-secret-A");
    assert!(value.is_sensitive());
    assert!(!format!("{request:?}").contains("tok-secret-A"));
}

#[tokio::test(start_paused = true)]
async fn token_is_refreshed_when_its_expiry_nears_in_paused_time() {
    let server = TestServer::start(vec![
        token("tok-A", 3600),
        got(),
        got(),
        token("tok-B", 3600),
        got(),
    ])
    .await;
    let wix = WixClient::builder()
        .base_url(&server.base_url)
        .oauth("app-id-1", SECRET, "instance-1")
        .retry_policy(wix_order_payment_requests::RetryPolicy::disabled().with_deadline(None))
        .build()
        .unwrap();
    let id = OPR_ID.parse().unwrap();
    wix.get(id).await.unwrap();
    // 3539 s later the token still has more than the 60 s margin left.
    tokio::time::advance(std::time::Duration::from_secs(3539)).await;
    wix.get(id).await.unwrap();
    // 2 s more and it is inside the margin: a new token is fetched before the call.
    tokio::time::advance(std::time::Duration::from_secs(2)).await;
    wix.get(id).await.unwrap();
    let recorded = server.recorded();
    let paths: Vec<_> = recorded.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths[3], "/oauth2/token", "{paths:?}");
    assert_eq!(recorded[2].header("authorization"), Some("tok-A"));
    assert_eq!(recorded[4].header("authorization"), Some("tok-B"));
}
