//! Where calls go and as whom: flags that override the environment variables
//! [`ClientBuilder::from_env`] reads, through the same [`ClientBuilder::from_vars`].

use std::fmt;

use clap::Args;
use secrecy::{ExposeSecret, SecretString};
use wix_order_payment_requests::{BuildError, ClientBuilder, WixClient};

/// The credential and target flags; each overrides the environment variable it names.
#[derive(Args, Clone, Default)]
pub struct TargetArgs {
    /// API base URL (overrides `WIX_BASE_URL`; Wix's API host by default).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "API base URL [overrides WIX_BASE_URL; default https://www.wixapis.com]"
    )]
    base_url: Option<String>,
    /// API key [overrides WIX_API_KEY]
    #[arg(long, global = true, value_name = "KEY", value_parser = secret)]
    api_key: Option<SecretString>,
    /// Site id (a GUID) the calls act on [overrides WIX_SITE_ID]
    #[arg(long, global = true, value_name = "GUID")]
    site_id: Option<String>,
    /// Account id (a GUID) the calls act on [overrides WIX_ACCOUNT_ID]
    #[arg(long, global = true, value_name = "GUID")]
    account_id: Option<String>,
    /// OAuth app id [overrides WIX_APP_ID]
    #[arg(long, global = true, value_name = "ID")]
    app_id: Option<String>,
    /// OAuth app secret [overrides WIX_APP_SECRET]
    #[arg(long, global = true, value_name = "SECRET", value_parser = secret)]
    app_secret: Option<SecretString>,
    /// OAuth app instance id [overrides WIX_INSTANCE_ID]
    #[arg(long, global = true, value_name = "ID")]
    instance_id: Option<String>,
}

fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value))
}

impl fmt::Debug for TargetArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<SecretString>| s.as_ref().map(|_| "[redacted]");
        f.debug_struct("TargetArgs")
            .field("base_url", &self.base_url)
            .field("api_key", &redacted(&self.api_key))
            .field("site_id", &self.site_id)
            .field("account_id", &self.account_id)
            .field("app_id", &self.app_id)
            .field("app_secret", &redacted(&self.app_secret))
            .field("instance_id", &self.instance_id)
            .finish()
    }
}

impl TargetArgs {
    /// The value the flag standing for the environment variable `name` was given, if any.
    fn flag(&self, name: &str) -> Option<String> {
        let plain = |v: &Option<String>| v.clone();
        let secret = |v: &Option<SecretString>| v.as_ref().map(|s| s.expose_secret().to_string());
        match name {
            "WIX_BASE_URL" => plain(&self.base_url),
            "WIX_API_KEY" => secret(&self.api_key),
            "WIX_SITE_ID" => plain(&self.site_id),
            "WIX_ACCOUNT_ID" => plain(&self.account_id),
            "WIX_APP_ID" => plain(&self.app_id),
            "WIX_APP_SECRET" => secret(&self.app_secret),
            "WIX_INSTANCE_ID" => plain(&self.instance_id),
            _ => None,
        }
    }

    /// The builder [`ClientBuilder::from_vars`] makes when each variable is read from its flag
    /// when given, else from `env`.
    pub fn builder_with(&self, env: impl Fn(&str) -> Option<String>) -> ClientBuilder {
        ClientBuilder::from_vars(|name| self.flag(name).or_else(|| env(name)))
    }

    /// The client for these flags over the process environment.
    pub fn client(&self) -> Result<WixClient, TargetError> {
        self.client_with(|name| std::env::var(name).ok())
    }

    /// The client for these flags over `env`.
    fn client_with(&self, env: impl Fn(&str) -> Option<String>) -> Result<WixClient, TargetError> {
        self.builder_with(env).build().map_err(|error| TargetError {
            error,
            flags: FLAGS
                .iter()
                .filter(|(variable, _)| self.flag(variable).is_some())
                .copied()
                .collect(),
        })
    }
}

/// Each variable [`ClientBuilder::from_vars`] reads, with the flag that overrides it.
const FLAGS: [(&str, &str); 7] = [
    ("WIX_BASE_URL", "--base-url"),
    ("WIX_API_KEY", "--api-key"),
    ("WIX_SITE_ID", "--site-id"),
    ("WIX_ACCOUNT_ID", "--account-id"),
    ("WIX_APP_ID", "--app-id"),
    ("WIX_APP_SECRET", "--app-secret"),
    ("WIX_INSTANCE_ID", "--instance-id"),
];

/// Why the client could not be built, in the command line's terms: [`BuildError`]'s message
/// names the variables to set, and here a variable whose flag was given is named by its flag
/// (`invalid site id "x" in --site-id: ...`).
#[derive(Debug)]
pub struct TargetError {
    error: BuildError,
    /// The variables whose flags were given, with those flags.
    flags: Vec<(&'static str, &'static str)>,
}

impl TargetError {
    /// The library's error.
    pub fn build_error(&self) -> &BuildError {
        &self.error
    }
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.error.to_string();
        for (variable, flag) in &self.flags {
            text = text.replace(variable, flag);
        }
        f.write_str(&text)
    }
}

impl std::error::Error for TargetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use wix_order_payment_requests::Origin;

    use super::*;

    #[derive(Parser)]
    struct Line {
        #[command(flatten)]
        target: TargetArgs,
    }

    fn target(args: &[&str]) -> TargetArgs {
        Line::parse_from(std::iter::once("wix-opr").chain(args.iter().copied())).target
    }

    const SITE_A: &str = "11111111-1111-4111-8111-111111111111";
    const SITE_B: &str = "22222222-2222-4222-8222-222222222222";

    fn env(name: &str) -> Option<String> {
        match name {
            "WIX_API_KEY" => Some("env-key".into()),
            "WIX_SITE_ID" => Some(SITE_A.into()),
            "WIX_BASE_URL" => Some("http://env.example".into()),
            _ => None,
        }
    }

    #[test]
    fn a_flag_overrides_its_variable_and_the_rest_comes_from_the_environment() {
        let builder = target(&["--site-id", SITE_B]).builder_with(env);
        let shown = format!("{builder:?}");
        assert!(shown.contains(SITE_B) && !shown.contains(SITE_A), "{shown}");
        assert!(shown.contains("http://env.example"), "{shown}");
        assert!(builder.build().is_ok());
    }

    #[test]
    fn the_builder_refuses_what_from_env_refuses() {
        let both = target(&["--account-id", SITE_B]).builder_with(env).build();
        assert_eq!(both.unwrap_err(), BuildError::SiteAndAccount(Origin::Env));
        let none = target(&[]).builder_with(|_| None).build();
        assert_eq!(none.unwrap_err(), BuildError::NoCredentials(Origin::Env));
    }

    #[test]
    fn a_key_without_a_site_or_account_is_refused_naming_what_to_set() {
        let key_only = |name: &str| (name == "WIX_API_KEY").then(|| "env-key".to_string());
        let error = target(&[]).client_with(key_only).unwrap_err();
        assert_eq!(error.build_error(), &BuildError::NoTenant(Origin::Env));
        let text = error.to_string();
        assert!(
            text.contains("WIX_API_KEY") && text.contains("WIX_SITE_ID"),
            "{text}"
        );
        // Given as a flag, the key is named by its flag.
        let text = target(&["--api-key", "flag-key"])
            .client_with(|_| None)
            .unwrap_err()
            .to_string();
        assert!(
            text.starts_with("--api-key is set without WIX_SITE_ID or WIX_ACCOUNT_ID"),
            "{text}"
        );
        assert!(!text.contains("flag-key"), "{text}");
    }

    #[test]
    fn an_invalid_value_is_named_by_the_flag_or_the_variable_that_gave_it() {
        let flag = target(&["--site-id", "my-site"])
            .client_with(env)
            .unwrap_err();
        assert!(
            flag.to_string()
                .contains("\"my-site\" in --site-id: expected a GUID"),
            "{flag}"
        );
        let variable = |name: &str| match name {
            "WIX_SITE_ID" => Some("my-site".to_string()),
            other => env(other),
        };
        let text = target(&[]).client_with(variable).unwrap_err().to_string();
        assert!(
            text.contains("\"my-site\" in WIX_SITE_ID: expected a GUID"),
            "{text}"
        );
    }

    #[test]
    fn secrets_given_as_flags_are_redacted_in_debug() {
        let args = target(&["--api-key", "flag-key", "--app-secret", "flag-secret"]);
        let shown = format!("{args:?} {:?}", args.builder_with(env));
        assert!(
            !shown.contains("flag-key") && !shown.contains("flag-secret"),
            "{shown}"
        );
        assert!(!shown.contains("env-key"), "{shown}");
    }
}
