//! The access tokens the emulator issued: only these are accepted, and only until they expire.
//!
//! Lifetimes run on real (monotonic) time, not on the emulator's clock: a client refreshes its
//! token by its own clock, so moving the emulator's clock forward must not expire it. At most
//! [`MAX_LIVE_TOKENS`] are kept; issuing one more first forgets expired ones, then the oldest.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Prefix of the access tokens the emulator hands out.
pub const OAUTH_TOKEN_PREFIX: &str = "emu-oauth.";

/// Most tokens kept at once (about 150 bytes each).
pub const MAX_LIVE_TOKENS: usize = 100_000;

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// The emulator did not issue it (or has forgotten it).
    Unknown,
    /// Its lifetime is over.
    Expired,
}

impl TokenRefusal {
    /// The message of the `401` answer.
    pub fn message(self) -> &'static str {
        match self {
            Self::Unknown => "The access token is not valid: get one from POST /oauth2/token.",
            Self::Expired => "The access token has expired: get a new one from POST /oauth2/token.",
        }
    }
}

/// One issued token.
#[derive(Debug)]
struct Issued {
    instance: Arc<str>,
    /// When it stops being accepted (`None`: a lifetime too long for `Instant`, never).
    expires: Option<Instant>,
}

impl Issued {
    fn expired(&self, now: Instant) -> bool {
        self.expires.is_some_and(|at| at <= now)
    }
}

#[derive(Debug, Default)]
struct Book {
    by_token: HashMap<Arc<str>, Issued>,
    /// Tokens in the order they were issued (so also in the order they expire).
    order: VecDeque<Arc<str>>,
}

/// The issued tokens of one emulator.
#[derive(Debug)]
pub struct TokenBook {
    ttl: Duration,
    book: Mutex<Book>,
}

impl TokenBook {
    /// An empty book whose tokens live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            book: Mutex::default(),
        }
    }

    /// How long a token lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a token for the app instance `instance`.
    pub fn issue(&self, instance: &str) -> String {
        let now = Instant::now();
        let token: Arc<str> = format!("{OAUTH_TOKEN_PREFIX}{}", Uuid::new_v4().simple()).into();
        let mut book = self.lock();
        while let Some(oldest) = book.order.front().cloned() {
            let expired = book.by_token.get(&oldest).is_none_or(|t| t.expired(now));
            if !expired && book.by_token.len() < MAX_LIVE_TOKENS {
                break;
            }
            book.order.pop_front();
            book.by_token.remove(&oldest);
        }
        book.by_token.insert(
            Arc::clone(&token),
            Issued {
                instance: instance.into(),
                expires: now.checked_add(self.ttl),
            },
        );
        book.order.push_back(Arc::clone(&token));
        token.to_string()
    }

    /// The app instance of a token this book issued and that has not expired.
    pub fn instance_of(&self, token: &str) -> Result<Arc<str>, TokenRefusal> {
        let book = self.lock();
        let issued = book.by_token.get(token).ok_or(TokenRefusal::Unknown)?;
        if issued.expired(Instant::now()) {
            return Err(TokenRefusal::Expired);
        }
        Ok(Arc::clone(&issued.instance))
    }

    fn lock(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_name_their_instance_others_are_unknown() {
        let book = TokenBook::new(Duration::from_secs(60));
        let token = book.issue("inst");
        assert!(token.starts_with(OAUTH_TOKEN_PREFIX));
        assert_eq!(book.instance_of(&token).as_deref(), Ok("inst"));
        assert_eq!(book.instance_of("emu-oauth.x"), Err(TokenRefusal::Unknown));
        assert_ne!(book.issue("inst"), token);
    }

    #[test]
    fn tokens_expire_and_expired_ones_are_forgotten_on_issue() {
        let book = TokenBook::new(Duration::ZERO);
        let token = book.issue("inst");
        assert_eq!(book.instance_of(&token), Err(TokenRefusal::Expired));
        book.issue("inst");
        assert_eq!(book.instance_of(&token), Err(TokenRefusal::Unknown));
        assert_eq!(book.lock().by_token.len(), 1);
    }

    #[test]
    fn the_book_is_bounded() {
        let book = TokenBook::new(Duration::from_secs(3600));
        let first = book.issue("a");
        for _ in 0..MAX_LIVE_TOKENS {
            book.issue("b");
        }
        let guard = book.lock();
        assert_eq!(guard.by_token.len(), MAX_LIVE_TOKENS);
        assert_eq!(guard.order.len(), MAX_LIVE_TOKENS);
        drop(guard);
        assert_eq!(book.instance_of(&first), Err(TokenRefusal::Unknown));
    }

    #[test]
    fn an_endless_lifetime_does_not_overflow() {
        let book = TokenBook::new(Duration::MAX);
        let token = book.issue("a");
        assert!(book.instance_of(&token).is_ok());
    }
}
