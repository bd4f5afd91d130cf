//! Dropping duplicate and out-of-order deliveries.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use super::event::Event;

/// What a ledger says about one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerOutcome {
    /// Not seen before, and not older than what is known of its entity: process it.
    New,
    /// This event id was already recorded: drop it.
    Duplicate,
    /// The entity already had an event with a higher `entityEventSequence`: drop it.
    Stale {
        /// The highest sequence recorded for the entity.
        latest: u64,
    },
}

/// Remembers which events were processed, so a receiver can drop Wix's redeliveries and
/// updates that arrive after newer ones. Implement it over your own store (a database table
/// keyed by event id, a per-entity sequence column) to survive restarts and share state between
/// instances.
pub trait EventLedger: Send + Sync {
    /// Checks one delivery and, when it is [`LedgerOutcome::New`], records it. Must be atomic:
    /// two concurrent calls with the same event id return `New` at most once.
    ///
    /// An event without an id is always `New`; without an entity id or a sequence, only the id
    /// is checked.
    fn check_and_record(
        &self,
        event_id: Option<&str>,
        entity_id: Option<&str>,
        sequence: Option<u64>,
    ) -> LedgerOutcome;

    /// [`EventLedger::check_and_record`] with the ids and sequence of `event`.
    fn check_event(&self, event: &Event) -> LedgerOutcome {
        let meta = event.metadata();
        self.check_and_record(
            meta.event_id.as_deref(),
            meta.entity_id.as_deref(),
            meta.entity_event_sequence,
        )
    }
}

/// An in-memory [`EventLedger`] with bounded memory.
///
/// It remembers at most `capacity` event ids and the latest sequence of at most `capacity`
/// entities; past that, the oldest recorded id (or entity) is forgotten first (FIFO). A
/// forgotten event delivered again is treated as new, so choose a capacity that covers Wix's
/// retry window (up to about two days) at your event rate. State is lost on restart.
#[derive(Debug)]
pub struct InMemoryLedger {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    ids: HashSet<String>,
    id_order: VecDeque<String>,
    sequences: HashMap<String, u64>,
    entity_order: VecDeque<String>,
}

impl InMemoryLedger {
    /// Default capacity: 100,000 event ids and as many entities (a few MiB at most).
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A ledger remembering at most `capacity` event ids and `capacity` entities (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// How many event ids are currently remembered.
    pub fn len(&self) -> usize {
        self.lock().ids.len()
    }

    /// Whether no event id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves the maps consistent (every update is a single
        // insert), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for InMemoryLedger {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl EventLedger for InMemoryLedger {
    fn check_and_record(
        &self,
        event_id: Option<&str>,
        entity_id: Option<&str>,
        sequence: Option<u64>,
    ) -> LedgerOutcome {
        let mut state = self.lock();
        if let Some(id) = event_id {
            if state.ids.contains(id) {
                return LedgerOutcome::Duplicate;
            }
        }
        if let (Some(entity), Some(seq)) = (entity_id, sequence) {
            if let Some(&latest) = state.sequences.get(entity) {
                if seq < latest {
                    return LedgerOutcome::Stale { latest };
                }
            }
        }
        if let Some(id) = event_id {
            if state.ids.len() >= self.capacity {
                if let Some(oldest) = state.id_order.pop_front() {
                    state.ids.remove(&oldest);
                }
            }
            state.ids.insert(id.to_string());
            state.id_order.push_back(id.to_string());
        }
        if let (Some(entity), Some(seq)) = (entity_id, sequence) {
            match state.sequences.get_mut(entity) {
                Some(latest) => *latest = (*latest).max(seq),
                None => {
                    if state.sequences.len() >= self.capacity {
                        if let Some(oldest) = state.entity_order.pop_front() {
                            state.sequences.remove(&oldest);
                        }
                    }
                    state.sequences.insert(entity.to_string(), seq);
                    state.entity_order.push_back(entity.to_string());
                }
            }
        }
        LedgerOutcome::New
    }
}
