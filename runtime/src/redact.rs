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

/// `url` with every password it carries (its user part's, and the value of each `password`
/// query parameter) replaced by `***`: for logs and errors.
pub fn redact_url(url: &str) -> String {
    let mut shown = String::with_capacity(url.len());
    let mut from = 0;
    for span in password_spans(url) {
        shown.push_str(&url[from..span.start]);
        shown.push_str("***");
        from = span.end;
    }
    shown.push_str(&url[from..]);
    shown
}

/// The passwords `url` carries, as they are written in it (not percent-decoded).
#[cfg(feature = "postgres")]
pub(crate) fn url_passwords(url: &str) -> Vec<&str> {
    password_spans(url)
        .into_iter()
        .map(|span| &url[span])
        .collect()
}

/// Where in `url` its passwords are, in order: the user part's (`scheme://user:PASSWORD@`)
/// and the value of each `password=` pair after the `?`.
fn password_spans(url: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return spans;
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| scheme_end + at);
    if let Some(at) = url[scheme_end..authority_end].rfind('@') {
        let user_info = scheme_end..scheme_end + at;
        if let Some(colon) = url[user_info.clone()].find(':') {
            spans.push(user_info.start + colon + 1..user_info.end);
        }
    }
    if let Some(question) = url[authority_end..].find('?').map(|at| authority_end + at) {
        // Every `&`- or `#`-separated pair after the `?`: a password in the fragment is still
        // a password in the text.
        let mut start = question + 1;
        for pair in url[start..].split(['&', '#']) {
            if let Some(value) = pair.strip_prefix("password=") {
                let value_start = start + "password=".len();
                spans.push(value_start..value_start + value.len());
            }
            start += pair.len() + 1;
        }
    }
    spans
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

    #[test]
    fn redacts_a_password_given_as_a_query_parameter() {
        assert_eq!(
            redact_url("postgres://app@db/inbox?sslmode=require&password=s3cret#x"),
            "postgres://app@db/inbox?sslmode=require&password=***#x"
        );
        assert_eq!(
            redact_url("postgres://app:one@db/inbox?password=two"),
            "postgres://app:***@db/inbox?password=***"
        );
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn finds_every_password_of_a_url() {
        assert_eq!(
            super::url_passwords("postgres://app:one@db/inbox?password=two"),
            ["one", "two"]
        );
    }
}
