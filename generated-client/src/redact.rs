//! Store URLs (`memory:`, `sqlite:PATH`, `postgres://…`): what they name, and keeping their
//! credentials out of what is shown (logs, error messages).

/// What a store URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreUrl<'a> {
    /// `memory:` (or `memory`).
    Memory,
    /// `sqlite:PATH` or `sqlite://PATH`: the file's path.
    Sqlite(&'a str),
    /// `postgres://…` or `postgresql://…`: the whole URL.
    Postgres(&'a str),
}

impl<'a> StoreUrl<'a> {
    /// What `url` names, or `None` for a scheme of none of the stores.
    pub(crate) fn parse(url: &'a str) -> Option<Self> {
        if url == "memory:" || url == "memory" {
            return Some(StoreUrl::Memory);
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Some(StoreUrl::Sqlite(path));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Some(StoreUrl::Postgres(url));
        }
        None
    }
}

/// `url` with the password of its user part, if any, replaced by `***`: for logs and errors.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let user_info = &authority[..at];
    let Some(colon) = user_info.find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:***{}",
        &url[..scheme_end + 3],
        &user_info[..colon],
        &rest[at..]
    )
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_only_the_password() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/inbox?sslmode=require"),
            "postgres://app:***@db:5432/inbox?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://app@db/inbox"),
            "postgres://app@db/inbox"
        );
        assert_eq!(redact_url("sqlite:/tmp/inbox.db"), "sqlite:/tmp/inbox.db");
        assert_eq!(
            redact_url("postgres://a:b:c@h/db?x=1@2"),
            "postgres://a:***@h/db?x=1@2"
        );
    }
}
