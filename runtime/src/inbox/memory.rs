//! An inbox store in process memory: for tests, demos and receivers that accept losing what
//! they hold on a restart.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;

use super::store::{
    ClaimRequest, EventState, EventSummary, Finish, InboxCounts, InboxStore, Inserted, Millis,
    NewEvent, StoreError, StoredEvent,
};

/// An [`InboxStore`] in memory. Everything it holds is lost when the process ends, so it
/// gives none of the inbox's guarantees across a restart; use `SqliteStore` or
/// `PostgresStore` for that.
///
/// It holds at most `capacity` unfinished events: past that, [`InboxStore::insert`] fails
/// with [`StoreError::Full`] (a receiver answers `503`, and Wix retries later). Finished
/// events are kept for deduplication, at most `capacity` of them, the oldest forgotten first.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Every known event, by id.
    rows: HashMap<String, Row>,
    /// Pending events by arrival position: the claim order.
    pending: BTreeMap<u64, String>,
    /// Finished events (done, stale) by arrival position: the forgetting order.
    finished: BTreeMap<u64, String>,
    /// Latest handled sequence per entity.
    entities: HashMap<String, u64>,
    /// Entities in the order they were first handled: the forgetting order.
    entity_order: VecDeque<String>,
    next_position: u64,
}

#[derive(Debug, Clone)]
struct Row {
    position: u64,
    event: StoredEvent,
    state: EventState,
    next_try_at: Millis,
    lease: Option<(String, Millis)>,
    finished_at: Option<Millis>,
}

impl Row {
    fn summary(&self) -> EventSummary {
        EventSummary {
            event_id: self.event.event_id.clone(),
            event_type: self.event.event_type.clone(),
            entity_id: self.event.entity_id.clone(),
            sequence: self.event.sequence,
            state: self.state,
            attempts: self.event.attempts,
            last_error: self.event.last_error.clone(),
            received_at: self.event.received_at,
        }
    }

    fn is_claimable(&self, now: Millis) -> bool {
        self.next_try_at <= now && self.lease.as_ref().is_none_or(|(_, until)| *until <= now)
    }

    fn is_held_by(&self, token: &str) -> bool {
        self.state == EventState::Pending
            && self.lease.as_ref().is_some_and(|(held, _)| held == token)
    }
}

impl MemoryStore {
    /// Default capacity: 100,000 unfinished and as many finished events.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store holding at most `capacity` unfinished events (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every change below leaves the maps consistent before anything can panic, so a
        // poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl State {
    /// Raises the entity's latest handled sequence to at least `sequence`, forgetting the
    /// entity handled first when more than `capacity` are known.
    fn record_sequence(&mut self, entity: &str, sequence: u64, capacity: usize) {
        if let Some(latest) = self.entities.get_mut(entity) {
            *latest = (*latest).max(sequence);
            return;
        }
        self.entities.insert(entity.to_string(), sequence);
        self.entity_order.push_back(entity.to_string());
        while self.entity_order.len() > capacity {
            if let Some(oldest) = self.entity_order.pop_front() {
                self.entities.remove(&oldest);
            }
        }
    }

    fn forget_oldest_finished(&mut self, capacity: usize) {
        while self.finished.len() > capacity {
            let Some((_, id)) = self.finished.pop_first() else {
                return;
            };
            self.rows.remove(&id);
        }
    }

    fn set_finished(&mut self, id: &str, state: EventState, now: Millis) {
        let Some(row) = self.rows.get_mut(id) else {
            return;
        };
        row.state = state;
        row.lease = None;
        row.finished_at = Some(now);
        let position = row.position;
        self.pending.remove(&position);
        self.finished.insert(position, id.to_string());
    }
}

#[async_trait]
impl InboxStore for MemoryStore {
    async fn insert(&self, event: &NewEvent<'_>) -> Result<Inserted, StoreError> {
        let mut state = self.lock();
        if state.rows.contains_key(event.event_id) {
            return Ok(Inserted::Duplicate);
        }
        if state.pending.len() >= self.capacity {
            return Err(StoreError::Full(format!(
                "the in-memory store holds {} unfinished events, its capacity",
                self.capacity
            )));
        }
        let position = state.next_position;
        state.next_position += 1;
        let id = event.event_id.to_string();
        state.pending.insert(position, id.clone());
        state.rows.insert(
            id.clone(),
            Row {
                position,
                event: StoredEvent {
                    event_id: id,
                    event_type: event.event_type.to_string(),
                    entity_id: event.entity_id.map(str::to_string),
                    sequence: event.sequence,
                    body: event.body.to_string(),
                    received_at: event.received_at,
                    attempts: 0,
                    last_error: None,
                },
                state: EventState::Pending,
                next_try_at: event.received_at,
                lease: None,
                finished_at: None,
            },
        );
        Ok(Inserted::New)
    }

    async fn claim(&self, request: &ClaimRequest<'_>) -> Result<Vec<StoredEvent>, StoreError> {
        let mut state = self.lock();
        let State { rows, pending, .. } = &mut *state;
        let mut claimed = Vec::new();
        for id in pending.values() {
            if claimed.len() >= request.limit {
                break;
            }
            let Some(row) = rows.get_mut(id) else {
                continue;
            };
            if !row.is_claimable(request.now) {
                continue;
            }
            row.lease = Some((request.token.to_string(), request.lease_until));
            row.event.attempts = row.event.attempts.saturating_add(1);
            claimed.push(row.event.clone());
        }
        Ok(claimed)
    }

    async fn extend_lease(
        &self,
        event_id: &str,
        token: &str,
        lease_until: Millis,
    ) -> Result<bool, StoreError> {
        let mut state = self.lock();
        match state.rows.get_mut(event_id) {
            Some(row) if row.is_held_by(token) => {
                row.lease = Some((token.to_string(), lease_until));
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn finish(
        &self,
        event_id: &str,
        token: &str,
        finish: &Finish<'_>,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let mut state = self.lock();
        if !state
            .rows
            .get(event_id)
            .is_some_and(|row| row.is_held_by(token))
        {
            return Ok(false);
        }
        match finish {
            Finish::Done {
                entity_id,
                sequence,
            } => {
                state.set_finished(event_id, EventState::Done, now);
                if let (Some(entity), Some(sequence)) = (entity_id, sequence) {
                    state.record_sequence(entity, *sequence, self.capacity);
                }
                state.forget_oldest_finished(self.capacity);
            }
            Finish::Stale => {
                state.set_finished(event_id, EventState::Stale, now);
                state.forget_oldest_finished(self.capacity);
            }
            Finish::Retry { error, at } => {
                if let Some(row) = state.rows.get_mut(event_id) {
                    row.lease = None;
                    row.next_try_at = *at;
                    row.event.last_error = Some(error.to_string());
                }
            }
            Finish::Dead { error } => {
                if let Some(row) = state.rows.get_mut(event_id) {
                    row.state = EventState::Dead;
                    row.lease = None;
                    row.finished_at = Some(now);
                    row.event.last_error = Some(error.to_string());
                    let position = row.position;
                    state.pending.remove(&position);
                }
            }
        }
        Ok(true)
    }

    async fn latest_sequence(&self, entity_id: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.lock().entities.get(entity_id).copied())
    }

    async fn list(
        &self,
        wanted: EventState,
        limit: usize,
    ) -> Result<Vec<EventSummary>, StoreError> {
        let state = self.lock();
        let mut rows: Vec<&Row> = state.rows.values().filter(|r| r.state == wanted).collect();
        rows.sort_by_key(|r| r.position);
        Ok(rows.into_iter().take(limit).map(Row::summary).collect())
    }

    async fn replay(&self, event_id: &str, now: Millis) -> Result<bool, StoreError> {
        let mut state = self.lock();
        let Some(row) = state.rows.get_mut(event_id) else {
            return Ok(false);
        };
        if row.state != EventState::Dead {
            return Ok(false);
        }
        row.state = EventState::Pending;
        row.event.attempts = 0;
        row.next_try_at = now;
        row.finished_at = None;
        let position = row.position;
        state.pending.insert(position, event_id.to_string());
        Ok(true)
    }

    async fn counts(&self) -> Result<InboxCounts, StoreError> {
        let state = self.lock();
        let mut counts = InboxCounts::default();
        for row in state.rows.values() {
            match row.state {
                EventState::Pending => counts.pending += 1,
                EventState::Done => counts.done += 1,
                EventState::Stale => counts.stale += 1,
                EventState::Dead => counts.dead += 1,
            }
        }
        Ok(counts)
    }

    async fn purge_finished(&self, before: Millis) -> Result<u64, StoreError> {
        let mut state = self.lock();
        let old: Vec<(u64, String)> = state
            .finished
            .iter()
            .filter(|(_, id)| {
                state
                    .rows
                    .get(*id)
                    .and_then(|r| r.finished_at)
                    .is_some_and(|at| at < before)
            })
            .map(|(position, id)| (*position, id.clone()))
            .collect();
        for (position, id) in &old {
            state.finished.remove(position);
            state.rows.remove(id);
        }
        Ok(old.len() as u64)
    }
}
