//! The storage contract of the inbox: what a store keeps, and the operations workers and
//! receivers run on it.

use std::fmt;

use async_trait::async_trait;

/// Milliseconds since the Unix epoch: every time a store keeps or compares. The inbox passes
/// the current time into each call, so stores never read a clock of their own.
pub type Millis = i64;

/// An event as the receiver stores it, right after verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent<'a> {
    /// `DomainEvent.id`: the key that makes a redelivery a duplicate.
    pub event_id: &'a str,
    /// The envelope's `eventType`.
    pub event_type: &'a str,
    /// `DomainEvent.entityId`.
    pub entity_id: Option<&'a str>,
    /// `DomainEvent.entityEventSequence`, parsed.
    pub sequence: Option<u64>,
    /// The delivery's body as received: the signed JWT.
    pub body: &'a str,
    /// When it was received.
    pub received_at: Millis,
}

/// What [`InboxStore::insert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// The event was not known and is now stored, pending.
    New,
    /// An event with this id was already stored (in any state); nothing changed.
    Duplicate,
}

/// Where an event is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EventState {
    /// Waiting for a worker, being handled, or waiting for its next try.
    Pending,
    /// The handler succeeded.
    Done,
    /// Not handled: the entity already had a handled event with a higher
    /// `entityEventSequence`.
    Stale,
    /// The handler failed on every allowed try, or the stored event cannot be decoded; kept
    /// with its last error until [`InboxStore::replay`].
    Dead,
}

impl EventState {
    /// The name stores keep: `pending`, `done`, `stale` or `dead`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Pending => "pending",
            EventState::Done => "done",
            EventState::Stale => "stale",
            EventState::Dead => "dead",
        }
    }

    /// The state a store's name stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "pending" => EventState::Pending,
            "done" => EventState::Done,
            "stale" => EventState::Stale,
            "dead" => EventState::Dead,
            _ => return None,
        })
    }
}

impl fmt::Display for EventState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a worker asks of [`InboxStore::claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimRequest<'a> {
    /// The claim's token: a fresh random value per claim. Only the holder of the token can
    /// extend the lease or finish the event.
    pub token: &'a str,
    /// The current time.
    pub now: Millis,
    /// The lease ends at this time unless extended; after it, another worker may claim the
    /// event.
    pub lease_until: Millis,
    /// At most this many events.
    pub limit: usize,
}

/// A claimed event: stored, pending, due, and leased to the claim's token. The claim counts
/// as one try ([`StoredEvent::attempts`] includes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// `DomainEvent.id`.
    pub event_id: String,
    /// The envelope's `eventType`.
    pub event_type: String,
    /// `DomainEvent.entityId`.
    pub entity_id: Option<String>,
    /// `DomainEvent.entityEventSequence`.
    pub sequence: Option<u64>,
    /// The delivery's body as received (the signed JWT).
    pub body: String,
    /// When it was received.
    pub received_at: Millis,
    /// Tries so far, this one included.
    pub attempts: u32,
    /// The error of the previous try, if it failed.
    pub last_error: Option<String>,
}

/// How a claimed event ends, or waits for its next try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish<'a> {
    /// The handler succeeded. When the event names an entity and a sequence, the entity's
    /// latest handled sequence becomes at least this one, in the same step.
    Done {
        /// `DomainEvent.entityId`.
        entity_id: Option<&'a str>,
        /// `DomainEvent.entityEventSequence`.
        sequence: Option<u64>,
    },
    /// Not handled: older than the entity's latest handled event.
    Stale,
    /// The try failed; the event is due again at `at`.
    Retry {
        /// Why the try failed.
        error: &'a str,
        /// When it is due again.
        at: Millis,
    },
    /// The try failed and no try is left, or the event cannot be decoded.
    Dead {
        /// Why.
        error: &'a str,
    },
}

/// One stored event, as listed for a person: no body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSummary {
    /// `DomainEvent.id`.
    pub event_id: String,
    /// The envelope's `eventType`.
    pub event_type: String,
    /// `DomainEvent.entityId`.
    pub entity_id: Option<String>,
    /// `DomainEvent.entityEventSequence`.
    pub sequence: Option<u64>,
    /// Where the event is.
    pub state: EventState,
    /// Tries so far.
    pub attempts: u32,
    /// The last try's error.
    pub last_error: Option<String>,
    /// When it was received.
    pub received_at: Millis,
}

/// How many stored events are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct InboxCounts {
    /// Waiting, being handled or waiting to be tried again.
    pub pending: u64,
    /// Handled.
    pub done: u64,
    /// Skipped as stale.
    pub stale: u64,
    /// Parked.
    pub dead: u64,
}

/// Why a store could not do what was asked. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store cannot be reached (connection refused, database down, file not openable).
    #[error("the inbox store is unreachable: {0}")]
    Unreachable(String),
    /// The store is out of room (disk full, or the in-memory store's capacity).
    #[error("the inbox store is full: {0}")]
    Full(String),
    /// The store is locked by someone else for longer than its timeout.
    #[error("the inbox store is locked: {0}")]
    Locked(String),
    /// What the store holds is not what the inbox wrote (damaged file, foreign table, a
    /// schema from a newer version).
    #[error("the inbox store is corrupt or incompatible: {0}")]
    Corrupt(String),
    /// The store URL is not one this build understands.
    #[error("invalid inbox store URL: {0}")]
    InvalidUrl(String),
    /// The URL names a store whose cargo feature (`sqlite` or `postgres`) this build lacks.
    #[error(
        "{0} stores need the client crate's feature `{0}` \
         (features = [\"{0}\"] in Cargo.toml)"
    )]
    FeatureDisabled(&'static str),
    /// Any other failure of the store.
    #[error("the inbox store failed: {0}")]
    Other(String),
}

/// Where the inbox keeps events: durably, deduplicated by event id, claimable by many workers
/// at once. Implementations: [`MemoryStore`](super::MemoryStore) (always there, for tests),
/// `SqliteStore` (feature `sqlite`) and `PostgresStore` (feature `postgres`).
///
/// Every method is atomic on its own. A store never reads a clock: times come in as
/// arguments.
#[async_trait]
pub trait InboxStore: Send + Sync + fmt::Debug {
    /// Stores `event` as pending and due now, unless an event with its id is already stored.
    /// Returns only once the event is durable.
    async fn insert(&self, event: &NewEvent<'_>) -> Result<Inserted, StoreError>;

    /// Leases up to `request.limit` pending events that are due (`next try <= now`) and not
    /// leased (or whose lease ended), oldest first, to `request.token`, counting one try for
    /// each. Two concurrent claims never return the same event.
    async fn claim(&self, request: &ClaimRequest<'_>) -> Result<Vec<StoredEvent>, StoreError>;

    /// Moves the lease of `event_id` held by `token` to `lease_until`. `false` when the claim
    /// was lost (the lease ended and another worker claimed it, or it was finished).
    async fn extend_lease(
        &self,
        event_id: &str,
        token: &str,
        lease_until: Millis,
    ) -> Result<bool, StoreError>;

    /// Ends the claim of `event_id` held by `token` as `finish` says, at `now`. `false` when
    /// the claim was lost; nothing changed then.
    async fn finish(
        &self,
        event_id: &str,
        token: &str,
        finish: &Finish<'_>,
        now: Millis,
    ) -> Result<bool, StoreError>;

    /// The highest `entityEventSequence` handled (`Done`) for `entity_id`.
    async fn latest_sequence(&self, entity_id: &str) -> Result<Option<u64>, StoreError>;

    /// Up to `limit` events in `state`, oldest first.
    async fn list(&self, state: EventState, limit: usize) -> Result<Vec<EventSummary>, StoreError>;

    /// Makes a `Dead` event pending again, due now, with its tries reset to zero. `false`
    /// when no dead event has this id.
    async fn replay(&self, event_id: &str, now: Millis) -> Result<bool, StoreError>;

    /// How many events are in each state.
    async fn counts(&self) -> Result<InboxCounts, StoreError>;

    /// Forgets `Done` and `Stale` events finished before `before`, and returns how many. Their
    /// ids stop deduplicating: keep them longer than Wix redelivers (a few days).
    async fn purge_finished(&self, before: Millis) -> Result<u64, StoreError>;
}
