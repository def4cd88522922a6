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
//! after anything that changes its inputs), [`crate::webhooks`] (signed deliveries) and
//! [`crate::metrics`] (counters). Each has one [`step`] that tests can call; [`run`] repeats
//! it, woken by the store after each commit, with a slow poll for events other processes
//! wrote.
//!
//! Callers that answer a change over HTTP wait, in one middleware ([`settle_writes`]), until
//! routing has taken their events, so a client that requested a handoff reads it already
//! offered; the timer worker waits the same way after firing.

pub mod routing;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use baton_store::StoredEvent;
use tokio::sync::watch;

use crate::state::{AppState, SharedState, stopped};

/// Events read in one step.
pub const BATCH: i64 = 500;
/// Looks for events other processes wrote this often (this process's own wake consumers at once).
const POLL: Duration = Duration::from_secs(1);
/// The longest pause after a failing step; pauses double from one second up to it.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How long a write's answer waits for routing to take its events before answering anyway.
const SETTLE_PATIENCE: Duration = Duration::from_secs(10);

/// A reaction to events. `consume` gets each batch in id order; an error leaves the cursor
/// before the batch, so it is offered again (after a pause): a consumer must tolerate seeing
/// an event twice.
pub trait Consumer: Send + Sync + 'static {
    /// Its cursor's name in the store; also its label in metrics.
    fn name(&self) -> &'static str;
    fn consume(&self, state: &AppState, events: &[StoredEvent]) -> impl Future<Output = anyhow::Result<()>> + Send;
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

    fn set(&self, name: &'static str, cursor: i64) {
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

/// Takes the next batch after the consumer's stored cursor; returns how many events it took.
pub async fn step<C: Consumer>(state: &AppState, consumer: &C) -> anyhow::Result<usize> {
    let cursor = state.store.consumer_cursor(consumer.name()).await?;
    step_from(state, consumer, cursor).await.map(|(taken, _)| taken)
}

#[tracing::instrument(skip_all, fields(consumer = consumer.name(), after = cursor))]
async fn step_from<C: Consumer>(state: &AppState, consumer: &C, cursor: i64) -> anyhow::Result<(usize, i64)> {
    let events = state.store.events_after(cursor, BATCH).await?;
    let Some(last) = events.last().map(|event| event.id) else {
        state.progress.set(consumer.name(), cursor);
        return Ok((0, cursor));
    };
    consumer.consume(state, &events).await?;
    state.store.advance_consumer(consumer.name(), last).await?;
    state.progress.set(consumer.name(), last);
    Ok((events.len(), last))
}

/// Runs `consumer` until shutdown.
pub async fn run<C: Consumer>(state: SharedState, consumer: C) {
    let mut committed = state.store.watch_events();
    let mut shutdown = state.shutdown.clone();
    let mut cursor = None;
    let mut backoff: Option<Duration> = None;
    loop {
        committed.borrow_and_update();
        let outcome = match cursor {
            Some(at) => step_from(&state, &consumer, at).await,
            None => match state.store.consumer_cursor(consumer.name()).await {
                Ok(at) => step_from(&state, &consumer, at).await,
                Err(error) => Err(error.into()),
            },
        };
        match outcome {
            Ok((taken, at)) => {
                cursor = Some(at);
                backoff = None;
                if taken as i64 == BATCH {
                    continue;
                }
            }
            Err(error) => {
                let pause = backoff.map_or(Duration::from_secs(1), |b| (b * 2).min(MAX_BACKOFF));
                tracing::error!(consumer = consumer.name(), ?error, retry_in = ?pause, "an event consumer failed");
                backoff = Some(pause);
            }
        }
        tokio::select! {
            _ = committed.changed(), if backoff.is_none() => {}
            () = tokio::time::sleep(backoff.unwrap_or(POLL)) => {}
            () = stopped(&mut shutdown) => return,
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

/// Spawns every consumer.
pub fn spawn_all(state: &SharedState) -> Vec<tokio::task::JoinHandle<()>> {
    state.consumers_started();
    vec![
        tokio::spawn(run(state.clone(), crate::realtime::publish::Websockets)),
        tokio::spawn(run(state.clone(), routing::Routing)),
        tokio::spawn(run(state.clone(), crate::webhooks::Webhooks)),
        tokio::spawn(run(state.clone(), crate::metrics::Metrics)),
    ]
}
