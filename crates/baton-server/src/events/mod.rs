//! The event log's consumers: how one change reaches everyone who reacts to it.
//!
//! A use case only changes state; the store writes the events describing the change in the
//! same transaction and, once it commits, wakes the consumers. Each consumer is a worker that
//! reads the outbox after its own cursor (`outbox_consumers`), reacts to a batch of events and
//! then moves its cursor past them. So:
//!
//! - every consumer sees every event, in commit order, at least once: a consumer that fails
//!   (or a process that dies) leaves its cursor where it was, and the batch comes again;
//! - a consumer that fails or lags holds back nobody else, because cursors are independent;
//! - an event is deleted once every cursor has passed it (see [`prune`]).
//!
//! The consumers: [`crate::realtime::publish`] (websockets), [`routing`] (re-runs routing
//! after anything that changes its inputs), [`crate::webhooks`] (signed deliveries),
//! [`crate::metrics`] (counters), [`watchdog`] (contacts left unanswered), [`crate::email`]
//! (mail), [`analytics`] (the facts reports add up) and [`crate::channels`] (messages to
//! contacts on WhatsApp and other channels). Each has one [`step`] that tests can
//! call; [`run`] repeats it. New events are read once for all of them into the [`tail`],
//! after each commit and with a slow poll for events other processes wrote; a consumer takes
//! its batch from there, or from the store when it is further behind.
//!
//! Callers that answer a change over HTTP wait, in one middleware ([`settle_writes`]), until
//! routing has taken their events, so a client that requested a handoff reads it already
//! offered; the timer worker waits the same way after firing.

pub mod analytics;
pub mod routing;
pub mod tail;
pub mod watchdog;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use baton_store::StoredEvent;
use tokio::sync::watch;

use crate::state::{AppState, SharedState, stopped};

/// Events read in one step.
pub const BATCH: i64 = 500;
/// Looks for events other processes wrote this often (this process's own wake consumers at once).
pub(crate) const POLL: Duration = Duration::from_secs(1);
/// The pause after a failing step; it doubles with each failure up to the longest.
const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How often a running consumer stores its cursor.
const PERSIST_EVERY: Duration = Duration::from_secs(1);
/// How long a write's answer waits for routing to take its events before answering anyway.
const SETTLE_PATIENCE: Duration = Duration::from_secs(10);

/// A reaction to events. `consume` gets each batch in id order; an error leaves the cursor
/// before the batch, so it is offered again (after a pause): a consumer must tolerate seeing
/// an event twice.
pub trait Consumer: Send + Sync + 'static {
    /// Its cursor's name in the store; also its label in metrics.
    fn name(&self) -> &'static str;
    /// Whether its cursor is stored, so it resumes where it stopped. One that reacts only for
    /// this process's present (publishing to open sockets) starts at the head instead, and
    /// holds back no pruning.
    fn durable(&self) -> bool {
        true
    }
    fn consume(
        &self,
        state: &AppState,
        events: &[StoredEvent],
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Where each consumer of this process has got to, for callers waiting on one.
#[derive(Default)]
pub struct Progress {
    cursors: Mutex<HashMap<&'static str, watch::Sender<i64>>>,
}

impl Progress {
    fn sender<T>(&self, name: &'static str, use_it: impl FnOnce(&watch::Sender<i64>) -> T) -> T {
        let mut cursors = self.cursors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        use_it(cursors.entry(name).or_insert_with(|| watch::Sender::new(0)))
    }

    pub(crate) fn set(&self, name: &'static str, cursor: i64) {
        self.sender(name, |sender| sender.send_if_modified(|at| std::mem::replace(at, cursor) != cursor));
    }

    /// Watches a consumer's cursor.
    pub fn watch(&self, name: &'static str) -> watch::Receiver<i64> {
        self.sender(name, watch::Sender::subscribe)
    }

    /// Every running consumer's cursor.
    pub fn cursors(&self) -> Vec<(&'static str, i64)> {
        let cursors = self.cursors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cursors.iter().map(|(name, sender)| (*name, *sender.borrow())).collect()
    }
}

/// Takes the next batch after the consumer's stored cursor and stores the cursor past it;
/// returns how many events it took. (The running workers store theirs less often: see [`run`].)
pub async fn step<C: Consumer>(state: &AppState, consumer: &C) -> anyhow::Result<usize> {
    let cursor = state.store.consumer_cursor(consumer.name()).await?;
    let (taken, last) = take(state, consumer, cursor).await?;
    if last > cursor {
        state.store.advance_consumer(consumer.name(), last).await?;
    }
    Ok(taken)
}

/// Hands the consumer the batch after `cursor`; returns how many events it took and the id
/// of the last.
#[tracing::instrument(skip_all, fields(consumer = consumer.name(), after = cursor))]
async fn take<C: Consumer>(state: &AppState, consumer: &C, cursor: i64) -> anyhow::Result<(usize, i64)> {
    let events = match state.tail.after(cursor, BATCH as usize) {
        Some(events) => events,
        None => state.store.events_after(cursor, BATCH).await?,
    };
    let Some(last) = events.last().map(|event| event.id) else {
        state.progress.set(consumer.name(), cursor);
        return Ok((0, cursor));
    };
    consumer.consume(state, &events).await?;
    state.progress.set(consumer.name(), last);
    Ok((events.len(), last))
}

/// Where a running consumer starts: its stored cursor, or for one that keeps none, the head
/// of the log (what came before was for sockets that are gone).
async fn starting_cursor<C: Consumer>(state: &AppState, consumer: &C) -> anyhow::Result<i64> {
    Ok(if consumer.durable() {
        state.store.consumer_cursor(consumer.name()).await?
    } else {
        state.store.outbox_head().await?
    })
}

/// Runs `consumer` until shutdown. Its cursor is kept in memory and stored at most once a
/// [`PERSIST_EVERY`] (when the second is up, busy or idle) and at shutdown: storing it whenever
/// it ran out of events would add a write per consumer to every change on a server that keeps
/// up. After a crash a consumer sees again what
/// it took since its cursor was last stored, which at-least-once delivery allows.
pub async fn run<C: Consumer>(state: SharedState, consumer: C) {
    // New events reach the tail first (see [`tail`]); a consumer behind it reads the store.
    let mut committed = state.tail.watch();
    let mut shutdown = state.shutdown.clone();
    let mut cursor: Option<i64> = None;
    let mut stored = 0;
    let mut stored_at = Instant::now();
    let mut backoff: Option<Duration> = None;
    loop {
        committed.borrow_and_update();
        let outcome = match cursor {
            Some(at) => take(&state, &consumer, at).await,
            None => match starting_cursor(&state, &consumer).await {
                Ok(at) => {
                    stored = at;
                    take(&state, &consumer, at).await
                }
                Err(error) => Err(error),
            },
        };
        let mut more = false;
        match outcome {
            Ok((taken, at)) => {
                cursor = Some(at);
                backoff = None;
                more = taken as i64 == BATCH;
                if consumer.durable() && at > stored && stored_at.elapsed() >= PERSIST_EVERY {
                    match state.store.advance_consumer(consumer.name(), at).await {
                        Ok(()) => (stored, stored_at) = (at, Instant::now()),
                        Err(error) => {
                            tracing::warn!(consumer = consumer.name(), ?error, "storing a cursor failed");
                            // Tried again in a second, not at once.
                            stored_at = Instant::now();
                        }
                    }
                }
            }
            Err(error) => {
                let pause = backoff.map_or(MIN_BACKOFF, |b| (b * 2).min(MAX_BACKOFF));
                tracing::error!(consumer = consumer.name(), ?error, retry_in = ?pause, "an event consumer failed");
                backoff = Some(pause);
            }
        }
        if more {
            continue;
        }
        // A cursor not yet stored is stored when its second is up, even if nothing new comes.
        let unstored = cursor.is_some_and(|at| consumer.durable() && at > stored);
        let store_in = unstored.then(|| PERSIST_EVERY.saturating_sub(stored_at.elapsed()));
        let wait = backoff.unwrap_or_else(|| store_in.map_or(POLL, |due| due.min(POLL)));
        tokio::select! {
            _ = committed.changed(), if backoff.is_none() => {}
            () = tokio::time::sleep(wait) => {}
            () = stopped(&mut shutdown) => {
                if let Some(at) = cursor.filter(|at| consumer.durable() && *at > stored)
                    && let Err(error) = state.store.advance_consumer(consumer.name(), at).await
                {
                    tracing::warn!(consumer = consumer.name(), ?error, "storing a cursor at shutdown failed");
                }
                return;
            }
        }
    }
}

/// Deletes the events every consumer has passed.
pub async fn prune(state: &AppState) {
    match state.store.prune_consumed_events().await {
        Ok(deleted) if deleted > 0 => tracing::debug!(deleted, "pruned consumed events"),
        Ok(_) => {}
        Err(error) => tracing::warn!(?error, "pruning consumed events failed"),
    }
}

/// Waits (up to a limit) until routing has taken every event this process has committed.
pub async fn routing_caught_up(state: &AppState) {
    let head = *state.store.watch_events().borrow();
    let mut cursor = state.progress.watch(routing::NAME);
    if *cursor.borrow() >= head || !state.consumers_running() {
        return;
    }
    // Another instance routes; only NATS brings its progress here.
    if !state.cluster.coordinating() && !state.cluster.connected() {
        return;
    }
    let _ = tokio::time::timeout(SETTLE_PATIENCE, cursor.wait_for(|at| *at >= head)).await;
}

/// Answers a write only once routing has reacted to it (see the module documentation).
pub async fn settle_writes(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let reads_only = request.method().is_safe();
    let response = next.run(request).await;
    if !reads_only {
        routing_caught_up(&state).await;
    }
    response
}

/// Spawns the work every instance does: reading new events into the tail, and publishing
/// them to this instance's websockets.
pub fn spawn_all(state: &SharedState) -> Vec<tokio::task::JoinHandle<()>> {
    state.consumers_started();
    vec![
        tokio::spawn(tail::run(state.clone())),
        tokio::spawn(run(state.clone(), crate::realtime::publish::Websockets)),
    ]
}

/// Spawns the consumers with a stored cursor, which only the coordinating instance runs
/// (see `crate::cluster`).
pub fn coordinated(state: &SharedState) -> tokio::task::JoinSet<()> {
    let mut consumers = tokio::task::JoinSet::new();
    consumers.spawn(run(state.clone(), routing::Routing));
    consumers.spawn(run(state.clone(), crate::webhooks::Webhooks));
    consumers.spawn(run(state.clone(), crate::metrics::Metrics));
    consumers.spawn(run(state.clone(), watchdog::Watchdog::default()));
    consumers.spawn(run(state.clone(), crate::email::Emails));
    consumers.spawn(run(state.clone(), analytics::Analytics));
    consumers.spawn(run(state.clone(), crate::channels::Channels));
    consumers.spawn(run(state.clone(), crate::channels::slack_threads::SlackThreads));
    consumers.spawn(run(state.clone(), crate::channels::email::MailLeads));
    consumers.spawn(run(state.clone(), crate::channels::helpdesk::Helpdesk));
    consumers
}
