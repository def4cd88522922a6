//! The timer worker: fires the durable timers (`Store::claim_due_timers`) as they come due.
//!
//! Timers live in the database, so a restart loses none: a server that was down fires, when it
//! comes back, everything that came due meanwhile. Each timer is leased while it fires and
//! removed only once its action is done, so a crash mid-fire means it fires again; every action
//! is therefore written to be harmless when repeated. Time comes from the state's clock: tests
//! move an injected clock and call [`fire_due`], one step, instead of sleeping.

use std::time::Duration;

use baton_core::deadline::Deadline;
use baton_core::time::Timestamp;
use baton_store::Timer;

use crate::error::ApiResult;
use crate::events::watchdog;
use crate::service::{inactivity, presence, routing};
use crate::state::{SharedState, stopped};

/// How long a claimed timer is left to its firing before it is due again.
const LEASE_MS: i64 = 60_000;
/// How many timers one step fires at most.
const BATCH: i64 = 100;
/// The longest the worker sleeps without looking, in case a timer was set elsewhere (another
/// instance) without waking it.
const IDLE: Duration = Duration::from_secs(1);

/// Fires what is due now; returns how many fired.
#[tracing::instrument(skip_all)]
pub async fn fire_due(state: &SharedState) -> ApiResult<usize> {
    let now = state.now();
    let due =
        state.store.claim_due_timers(now, Timestamp::from_millis(now.as_millis() + LEASE_MS), BATCH).await?;
    let count = due.len();
    for timer in due {
        match fire(state, &timer).await {
            Ok(()) => state.store.timer_done(&timer).await?,
            // Left leased: it fires again when the lease ends.
            Err(error) => {
                tracing::error!(kind = timer.kind, subject = timer.subject, ?error, "a timer failed")
            }
        }
    }
    if count > 0 {
        // Callers (and tests moving the clock) read the state after routing took the change.
        crate::events::routing_caught_up(state).await;
    }
    Ok(count)
}

async fn fire(state: &SharedState, timer: &Timer) -> ApiResult<()> {
    let Some(deadline) = timer.deadline() else {
        tracing::warn!(kind = timer.kind, subject = timer.subject, "a timer of an unknown kind was dropped");
        return Ok(());
    };
    match deadline {
        Deadline::PresenceGrace(user) => presence::grace_over(state, user).await,
        Deadline::ContactInactive(handoff) => inactivity::fire(state, handoff).await,
        Deadline::OfferExpiry(_)
        | Deadline::NoAccept(_)
        | Deadline::FirstResponseSla(_)
        | Deadline::OfficeHours
        | Deadline::FirstReply(_)
        | Deadline::Reclaim(_) => routing::fire(state, deadline).await,
        Deadline::ContactUnanswered(handoff) => watchdog::fire(state, handoff, timer).await,
        Deadline::EmailWaiting(handoff) => crate::email::fire_waiting(state, handoff).await,
        Deadline::EmailUnclaimed(handoff) => crate::email::fire_unclaimed(state, handoff).await,
        Deadline::HelpdeskUnassigned(handoff) => {
            crate::service::helpdesk::fire_unassigned(state, handoff).await
        }
    }
}

pub async fn run(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    // The store says when this process sets a timer; others' are found within IDLE.
    let mut set = state.store.watch_timers();
    loop {
        set.borrow_and_update();
        if let Err(error) = fire_due(&state).await {
            tracing::error!(?error, "firing timers failed");
        }
        let wait = match state.store.next_timer_due().await {
            Ok(Some(due)) => {
                let millis = (due.as_millis() - state.now().as_millis()).clamp(0, IDLE.as_millis() as i64);
                Duration::from_millis(millis as u64)
            }
            _ => IDLE,
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = set.changed() => {}
            _ = stopped(&mut shutdown) => return,
        }
    }
}
