//! The newest part of the event log, read once for all of this process's consumers.
//!
//! Every consumer used to read each new event from the store itself: six queries and six JSON
//! decodings per change. [`run`] reads each new event once, after each commit (and polling for
//! other processes' events), and keeps the last [`CAPACITY`] in memory; a consumer whose
//! cursor lies within what the tail holds takes its batch from there, and one further behind
//! (after a restart, or a long failure) reads the store as before. The tail is only a cache:
//! cursors, at-least-once delivery and commit order are the store's, as they were.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use baton_store::StoredEvent;
use tokio::sync::watch;

use super::{BATCH, POLL};
use crate::state::{SharedState, stopped};

/// How many of the newest events the tail keeps.
pub const CAPACITY: usize = 4096;

pub struct Tail {
    held: Mutex<Held>,
    /// The id of the newest event read into the tail: consumers wait on it.
    newest: watch::Sender<i64>,
}

#[derive(Default)]
struct Held {
    /// `None` until [`run`] starts; then every event with an id above this is in `events`,
    /// up to `newest`.
    complete_after: Option<i64>,
    events: VecDeque<StoredEvent>,
}

impl Default for Tail {
    fn default() -> Self {
        Self { held: Mutex::new(Held::default()), newest: watch::Sender::new(0) }
    }
}

impl Tail {
    /// The events after `cursor` (at most `limit`) if the tail holds every one of them it
    /// has read; `None` when the cursor lies before what it holds (read the store).
    pub fn after(&self, cursor: i64, limit: usize) -> Option<Vec<StoredEvent>> {
        let held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if held.complete_after.is_none_or(|complete_after| cursor < complete_after) {
            return None;
        }
        let start = held.events.partition_point(|event| event.id <= cursor);
        Some(held.events.range(start..).take(limit).cloned().collect())
    }

    /// Changes when the tail has read newer events.
    pub fn watch(&self) -> watch::Receiver<i64> {
        self.newest.subscribe()
    }

    fn start(&self, at: i64) {
        let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *held = Held { complete_after: Some(at), events: VecDeque::new() };
    }

    fn append(&self, events: Vec<StoredEvent>) {
        let Some(newest) = events.last().map(|event| event.id) else { return };
        {
            let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            held.events.extend(events);
            while held.events.len() > CAPACITY {
                let dropped = held.events.pop_front().map(|event| event.id);
                held.complete_after = held.complete_after.max(dropped);
            }
        }
        self.newest.send_replace(newest);
    }
}

/// Reads new events into the state's tail until shutdown, starting at the head of the log.
pub async fn run(state: SharedState) {
    let mut committed = state.store.watch_events();
    let mut announced = state.cluster.watch_announced();
    let mut shutdown = state.shutdown.clone();
    let mut cursor: Option<i64> = None;
    loop {
        committed.borrow_and_update();
        announced.borrow_and_update();
        let mut more = false;
        let mut failed = false;
        match cursor {
            None => match state.store.outbox_head().await {
                Ok(head) => {
                    state.tail.start(head);
                    cursor = Some(head);
                    more = true;
                }
                Err(error) => {
                    tracing::warn!(?error, "reading the head of the event log failed");
                    failed = true;
                }
            },
            Some(after) => match state.store.events_after(after, BATCH).await {
                Ok(events) => {
                    more = events.len() as i64 == BATCH;
                    if let Some(last) = events.last() {
                        cursor = Some(last.id);
                    }
                    state.tail.append(events);
                }
                Err(error) => {
                    tracing::warn!(?error, "reading new events failed");
                    failed = true;
                }
            },
        }
        if more {
            continue;
        }
        let pause = if failed { Duration::from_millis(200) } else { POLL };
        tokio::select! {
            _ = committed.changed(), if !failed => {}
            _ = announced.changed(), if !failed => {}
            () = tokio::time::sleep(pause) => {}
            () = stopped(&mut shutdown) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use baton_core::event::{Event, UserStatusChanged};
    use baton_core::ids::UserId;
    use baton_core::time::Timestamp;
    use baton_core::user::Presence;

    use super::*;

    fn event(id: i64) -> StoredEvent {
        let at = Timestamp::from_millis(id);
        let changed = UserStatusChanged {
            user_id: UserId::new_v7(at, [1; 10]),
            name: "Ana".into(),
            status: Presence::Online,
        };
        StoredEvent { id, event: Event::UserStatusChanged(changed), created_at: at }
    }

    fn ids(events: Option<Vec<StoredEvent>>) -> Option<Vec<i64>> {
        events.map(|events| events.iter().map(|event| event.id).collect())
    }

    #[test]
    fn serves_what_it_holds_and_sends_older_cursors_to_the_store() {
        let tail = Tail::default();
        assert_eq!(ids(tail.after(0, 10)), None, "not started");
        tail.start(10);
        assert_eq!(ids(tail.after(10, 10)), Some(vec![]), "nothing new yet");
        tail.append((11..=15).map(event).collect());
        assert_eq!(ids(tail.after(10, 10)), Some(vec![11, 12, 13, 14, 15]));
        assert_eq!(ids(tail.after(12, 2)), Some(vec![13, 14]));
        assert_eq!(ids(tail.after(15, 10)), Some(vec![]));
        assert_eq!(ids(tail.after(9, 10)), None, "from before the tail began");
        assert_eq!(*tail.watch().borrow(), 15);
    }

    #[test]
    fn forgets_the_oldest_beyond_its_capacity() {
        let tail = Tail::default();
        tail.start(0);
        let last = CAPACITY as i64 + 5;
        tail.append((1..=last).map(event).collect());
        assert_eq!(ids(tail.after(4, 1)), None, "5 was dropped");
        assert_eq!(ids(tail.after(5, 1)), Some(vec![6]));
        assert_eq!(ids(tail.after(last - 1, 10)), Some(vec![last]));
    }
}
