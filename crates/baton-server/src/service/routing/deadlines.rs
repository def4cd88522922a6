//! What routing's durable timers do when they fire. Each re-reads the handoff and acts only
//! if it is still in the state the timer was set for, so a timer that fires twice (a crash
//! mid-fire) or late (a server that was down) does the right thing once.

use baton_core::event::{Event, FirstReplyOverdue, SlaBreached};
use baton_core::handoff::{Command, HandoffState};
use baton_core::ids::HandoffId;
use baton_store::{NewEvent, Timer};

use super::{Unavailable, fall_back, reroute, try_apply};
use crate::error::ApiResult;
use crate::service::conversations::{bot_of, load};
use crate::state::AppState;

/// An offer's time to answer ran out: the next user gets it.
pub const OFFER_TIMER: &str = "offer_expiry";
/// Nobody accepted a queued handoff within the policy's `waiting.timeout_seconds` (or the
/// contact did not finish answering the gathering questions within it).
pub const NO_ACCEPT_TIMER: &str = "no_accept";
/// A live handoff's first human reply is due (the team's first-response SLA).
pub const SLA_TIMER: &str = "first_response_sla";
/// Office hours open or close: who is on duty changes.
pub const SCHEDULE_TIMER: &str = "office_hours";
/// A live chat's assignee has not replied within the policy's `watchdog.first_reply_seconds`.
pub const FIRST_REPLY_TIMER: &str = "first_reply";
/// ... nor within `waiting.reassign_after_seconds`: the chat goes back to the queue.
pub const RECLAIM_TIMER: &str = "reclaim";

pub async fn fire(state: &AppState, timer: &Timer) -> ApiResult<()> {
    if timer.kind == SCHEDULE_TIMER {
        return reroute(state).await;
    }
    let Ok(id) = timer.subject.parse::<HandoffId>() else {
        tracing::warn!(
            kind = timer.kind,
            subject = timer.subject,
            "a routing timer for something that is not a handoff"
        );
        return Ok(());
    };
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    let handoff = current.value;
    let now = state.now();
    match timer.kind.as_str() {
        OFFER_TIMER => {
            if handoff.state == HandoffState::Offered && handoff.offer_expires_at.is_some_and(|at| at <= now)
            {
                try_apply(state, id, Command::ExpireOffer, |_| Vec::new()).await?;
            }
        }
        NO_ACCEPT_TIMER => {
            let conversation = load(state, handoff.conversation_id).await?;
            let policy = bot_of(state, &conversation).await?.settings.policy;
            let timeout = i64::from(policy.waiting.timeout_seconds) * 1000;
            let waited_enough = handoff.queued_at.is_some_and(|queued| queued.plus_millis(timeout) <= now);
            if matches!(handoff.state, HandoffState::Queued | HandoffState::Offered)
                && timeout > 0
                && waited_enough
            {
                fall_back(state, &handoff, &policy, Unavailable::NobodyInTime).await?;
            }
            // A contact who stopped answering the gathering questions: the handoff ends rather
            // than waiting for them for ever (they can ask for a human again).
            if handoff.state == HandoffState::Gathering
                && timeout > 0
                && handoff.requested_at.plus_millis(timeout) <= now
            {
                try_apply(state, id, Command::ReturnToBot, |_| Vec::new()).await?;
            }
        }
        SLA_TIMER => {
            let (Some(user), Some(since)) = (&handoff.assignee, handoff.assigned_at) else { return Ok(()) };
            let sla = super::Snapshot::load_roster(state).await?.sla_seconds(user.id);
            let late = sla.filter(|&sla| since.plus_millis(i64::from(sla) * 1000) <= now);
            if let Some(sla) = late
                && handoff.state == HandoffState::Live
                && handoff.first_response_at.is_none()
            {
                let breached = SlaBreached {
                    conversation_id: handoff.conversation_id,
                    handoff_id: handoff.id,
                    assignee: user.clone(),
                    assigned_at: since,
                    first_response_sla_seconds: sla,
                };
                state.store.record_events(vec![NewEvent::new(Event::SlaBreached(breached), now)]).await?;
            }
            return Ok(());
        }
        FIRST_REPLY_TIMER | RECLAIM_TIMER => return silent_assignee(state, timer, &handoff).await,
        other => {
            tracing::warn!(kind = other, "a routing timer of an unknown kind was dropped");
            return Ok(());
        }
    }
    // What the timer changed reaches routing as events (see `events::routing`).
    Ok(())
}

/// The watchdog on a live chat whose assignee has not replied since taking it: a reminder
/// first, then (if the policy says so) the chat goes back to the queue with a note and is
/// offered to someone else.
async fn silent_assignee(
    state: &AppState,
    timer: &Timer,
    handoff: &baton_core::handoff::Handoff,
) -> ApiResult<()> {
    let (Some(assignee), Some(since)) = (&handoff.assignee, handoff.assigned_at) else { return Ok(()) };
    if handoff.state != HandoffState::Live || handoff.first_response_at.is_some() {
        return Ok(());
    }
    let conversation = load(state, handoff.conversation_id).await?;
    let policy = bot_of(state, &conversation).await?.settings.policy;
    let now = state.now();
    let seconds = match timer.kind.as_str() {
        FIRST_REPLY_TIMER => policy.watchdog.first_reply_seconds,
        _ => policy.waiting.reassign_after_seconds,
    };
    if seconds == 0 || since.plus_millis(i64::from(seconds) * 1000) > now {
        return Ok(());
    }
    if timer.kind == FIRST_REPLY_TIMER {
        let overdue = FirstReplyOverdue {
            conversation_id: handoff.conversation_id,
            handoff_id: handoff.id,
            assignee: assignee.clone(),
            assigned_at: since,
            first_reply_seconds: seconds,
        };
        state.store.record_events(vec![NewEvent::new(Event::FirstReplyOverdue(overdue), now)]).await?;
        return Ok(());
    }
    let note = format!(
        "Back in the queue: {} had not replied {} after taking the chat.",
        assignee.name,
        baton_core::summary::duration(now.millis_since(since))
    );
    let silent = assignee.id;
    try_apply(state, handoff.id, Command::Reclaim { silent }, |_| {
        vec![baton_store::NewMessage {
            note: true,
            ..crate::service::system_message(state, conversation.id, note.clone())
        }]
    })
    .await?;
    Ok(())
}
