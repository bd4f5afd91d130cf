//! Which tenant a call acts on, from its context headers.
//!
//! The headers are the spec's `siteId` and `accountId` security schemes (`wix-site-id`,
//! `wix-account-id`); their `x-wix-format: uuid` says the value is a GUID. A call sends at most
//! one of them:
//!
//! | headers | tenant |
//! |---|---|
//! | `wix-site-id: <GUID>` | the site: `<guid>` (lower case, so any letter case names the same site) |
//! | `wix-account-id: <GUID>` | `account:<guid>` |
//! | neither, with an OAuth token | `instance:<guid>` of the token's app instance |
//! | neither, with an API key | refused: an API key names no site |
//!
//! Both headers, a value that is not readable text, or a value that is not a GUID are refused
//! with a `400` whose violation names the header.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderName};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api_error::{ApiError, Violation};
use crate::spec::document as spec_doc;

/// A context header, as the spec's security scheme describes it.
#[derive(Debug)]
pub struct ContextHeader {
    /// The header's name, e.g. `wix-site-id`.
    pub name: &'static str,
    /// The same name, parsed once for looking the header up.
    header: Option<HeaderName>,
    /// Whether the value must be a GUID (`x-wix-format: uuid`).
    pub guid: bool,
}

impl ContextHeader {
    /// The header of the security scheme `scheme` (a name missing from the spec matches no
    /// header; a unit test checks both are there).
    fn of_scheme(scheme: &str) -> Self {
        let object = spec_doc::spec().pointer(&format!("/components/securitySchemes/{scheme}"));
        let text = |key: &str| object.and_then(|o| o.get(key)).and_then(Value::as_str);
        let name = text("name").unwrap_or_default();
        Self {
            name,
            header: HeaderName::from_bytes(name.as_bytes()).ok(),
            guid: text("x-wix-format") == Some("uuid"),
        }
    }
}

/// `wix-site-id`.
pub static SITE_HEADER: LazyLock<ContextHeader> =
    LazyLock::new(|| ContextHeader::of_scheme("siteId"));
/// `wix-account-id`.
pub static ACCOUNT_HEADER: LazyLock<ContextHeader> =
    LazyLock::new(|| ContextHeader::of_scheme("accountId"));

/// The tenant key of a call: from its context headers, else from `oauth_instance` (the app
/// instance of its OAuth token, if it carries one).
pub fn resolve(headers: &HeaderMap, oauth_instance: Option<&str>) -> Result<String, ApiError> {
    let site = read(headers, &SITE_HEADER);
    let account = read(headers, &ACCOUNT_HEADER);
    match (site, account) {
        (Some(_), Some(_)) => Err(ApiError::invalid(
            SITE_HEADER.name,
            "ONE_OF",
            format!(
                "send either {} or {}, not both",
                SITE_HEADER.name, ACCOUNT_HEADER.name
            ),
        )),
        (Some(site), None) => site,
        (None, Some(account)) => account.map(|id| format!("account:{id}")),
        (None, None) => match oauth_instance {
            Some(instance) => Ok(format!("instance:{instance}")),
            None => Err(ApiError::invalid(
                SITE_HEADER.name,
                "REQUIRED_FIELD",
                format!(
                    "a call with an API key must name its site with {} (or its account with {})",
                    SITE_HEADER.name, ACCOUNT_HEADER.name
                ),
            )),
        },
    }
}

/// The value of a context header, if sent: its canonical form, or the violation that refuses it.
fn read(headers: &HeaderMap, header: &ContextHeader) -> Option<Result<String, ApiError>> {
    let raw = headers.get(header.header.as_ref()?)?;
    let Ok(text) = raw.to_str() else {
        return Some(Err(format_error(
            header,
            "the value is not readable text (only visible ASCII is)",
        )));
    };
    let text = text.trim();
    if !header.guid {
        return Some(if text.is_empty() {
            Err(ApiError::invalid(
                header.name,
                "REQUIRED_FIELD",
                "must not be empty",
            ))
        } else {
            Ok(text.to_string())
        });
    }
    Some(
        canonical_guid(text)
            .ok_or_else(|| format_error(header, &format!("{text:?} is not a GUID"))),
    )
}

/// A GUID in its hyphenated form (`8-4-4-4-12` hex digits), in lower case.
pub fn canonical_guid(text: &str) -> Option<String> {
    (text.len() == 36)
        .then(|| Uuid::try_parse(text).ok())
        .flatten()
        .map(|id| id.hyphenated().to_string())
}

fn format_error(header: &ContextHeader, why: &str) -> ApiError {
    ApiError::Validation(vec![Violation::new(
        header.name,
        "FORMAT",
        format!("must be a GUID: {why}"),
    )
    .with_data(json!({"format": "uuid"}))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_context_headers_come_from_the_spec() {
        assert_eq!(SITE_HEADER.name, "wix-site-id");
        assert_eq!(ACCOUNT_HEADER.name, "wix-account-id");
        assert!(SITE_HEADER.guid && ACCOUNT_HEADER.guid);
    }

    #[test]
    fn tenants_by_header() {
        let id = Uuid::new_v4();
        let mut headers = HeaderMap::new();
        headers.insert(
            "wix-site-id",
            HeaderValue::from_str(&id.to_string().to_uppercase()).unwrap(),
        );
        assert_eq!(resolve(&headers, Some("i")).unwrap(), id.to_string());
        let mut headers = HeaderMap::new();
        headers.insert(
            "wix-account-id",
            HeaderValue::from_str(&id.to_string()).unwrap(),
        );
        assert_eq!(resolve(&headers, None).unwrap(), format!("account:{id}"));
        assert_eq!(
            resolve(&HeaderMap::new(), Some("abc")).unwrap(),
            "instance:abc"
        );
        assert!(resolve(&HeaderMap::new(), None).is_err());
    }

    #[test]
    fn guids_only_in_their_hyphenated_form() {
        let id = Uuid::new_v4();
        assert!(canonical_guid(&id.simple().to_string()).is_none());
        assert!(canonical_guid(&id.braced().to_string()).is_none());
        assert!(canonical_guid(&format!(" {id}")).is_none());
        assert_eq!(canonical_guid(&id.to_string()), Some(id.to_string()));
    }
}
