use std::time::Duration;

use crate::realtime::bus::BusEvent;
use crate::state::AppState;

const BATCH: i64 = 500;
/// A safety net: events are normally dispatched as soon as a write signals them.
const POLL: Duration = Duration::from_secs(1);
/// Dispatched events are kept this long (for debugging), then deleted.
const RETENTION_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// How often old events are deleted.
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Publishes one batch of pending outbox events and marks them dispatched. Returns how many.
pub async fn dispatch_once(state: &AppState) -> anyhow::Result<usize> {
    let events = state.store.pending_events(BATCH).await?;
    for event in &events {
        state.bus.publish(BusEvent::from_stored(event));
    }
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    if !ids.is_empty() {
        state.store.mark_dispatched(&ids, state.now()).await?;
    }
    Ok(events.len())
}

/// Dispatches until shutdown, waking on every signalled write.
pub async fn run(state: std::sync::Arc<AppState>) {
    let mut shutdown = state.shutdown.clone();
    let mut next_prune = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_prune {
            next_prune += PRUNE_EVERY;
            let before = state.now().plus_millis(-RETENTION_MILLIS);
            if let Err(error) = state.store.prune_dispatched(before).await {
                tracing::warn!(?error, "pruning dispatched outbox events failed");
            }
        }
        match dispatch_once(&state).await {
            Ok(n) if n as i64 == BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::error!(?error, "dispatching outbox events failed"),
        }
        tokio::select! {
            _ = state.outbox_ready.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = crate::state::stopped(&mut shutdown) => return,
        }
    }
}
