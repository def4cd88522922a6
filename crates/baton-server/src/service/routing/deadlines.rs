//! What routing's durable timers do when they fire. Each re-reads the handoff and acts only
//! if it is still in the state the timer was set for, so a timer that fires twice (a crash
//! mid-fire) or late (a server that was down) does the right thing once.

use baton_core::deadline::Deadline;
use baton_core::event::{Event, FirstReplyOverdue, SlaBreached};
use baton_core::handoff::{Command, HandoffState};
use baton_store::NewEvent;

use super::{Unavailable, fall_back, reroute, try_apply};
use crate::error::ApiResult;
use crate::service::conversations::{bot_of, load};
use crate::state::AppState;

/// Routing's deadline fired: an offer expired, nobody accepted in time, a first response is
/// due, office hours changed, or a live chat's assignee has stayed silent.
pub async fn fire(state: &AppState, deadline: Deadline) -> ApiResult<()> {
    let Some(id) = deadline.handoff() else {
        // Office hours opened or closed somewhere.
        return reroute(state).await;
    };
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    let handoff = current.value;
    let now = state.now();
    match deadline {
        Deadline::OfferExpiry(_) => {
            if handoff.state == HandoffState::Offered && handoff.offer_expires_at.is_some_and(|at| at <= now)
            {
                try_apply(state, id, Command::ExpireOffer, |_| Vec::new()).await?;
            }
        }
        // An outside helpdesk has its own time (`service::helpdesk`).
        Deadline::NoAccept(_) if state.store.held_by_helpdesk(handoff.conversation_id).await?.is_some() => {}
        Deadline::NoAccept(_) => {
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
        Deadline::FirstResponseSla(_) => {
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
        Deadline::FirstReply(_) | Deadline::Reclaim(_) => {
            return silent_assignee(state, deadline, &handoff).await;
        }
        other => {
            tracing::warn!(?other, "a deadline that is not routing's reached routing");
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
    deadline: Deadline,
    handoff: &baton_core::handoff::Handoff,
) -> ApiResult<()> {
    let (Some(assignee), Some(since)) = (&handoff.assignee, handoff.assigned_at) else { return Ok(()) };
    if handoff.state != HandoffState::Live || handoff.first_response_at.is_some() {
        return Ok(());
    }
    let conversation = load(state, handoff.conversation_id).await?;
    let policy = bot_of(state, &conversation).await?.settings.policy;
    let now = state.now();
    let reminder = matches!(deadline, Deadline::FirstReply(_));
    let seconds =
        if reminder { policy.watchdog.first_reply_seconds } else { policy.waiting.reassign_after_seconds };
    if seconds == 0 || since.plus_millis(i64::from(seconds) * 1000) > now {
        return Ok(());
    }
    if reminder {
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
