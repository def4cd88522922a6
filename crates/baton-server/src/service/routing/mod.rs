//! Routing in the server: who gets each queued handoff, and what the waiting contact is told.
//!
//! The decision itself is pure and lives in `baton_core::routing`; this module feeds it and
//! carries it out. [`reroute`] runs after anything that changes its inputs (a handoff queued,
//! declined, expired, taken or closed; a user's presence, languages, capacity or teams; a
//! bot's or team's settings; office hours opening or closing) and, serialised by one lock so
//! two decisions never hand out the same capacity:
//!
//! 1. **settles** what the moment makes impossible: an offer to a user who is no longer
//!    online is withdrawn at once, and a handoff whose route has nobody left on duty (or whose
//!    bot is now outside its office hours) gets the policy's fallback;
//! 2. **decides** and makes the offers (`round_robin`, `least_busy`), each with an expiry; a
//!    handoff every eligible user declined starts a new round;
//! 3. **announces** each waiting contact's place and expected wait
//!    (`handoff.queue_updated`) when it changed (far back in a long queue, only when it moved
//!    by a tenth: `eta::worth_announcing`), with a system message when the place is first
//!    known and when they reach the head of the queue;
//! 4. **arms** the durable timers the state calls for: offer expiries, the no-accept timeout,
//!    the first-response SLA and the next opening or closing of office hours.
//!
//! Each step re-reads what the previous one changed, so one call leaves a settled state. With
//! several instances on one PostgreSQL database only the coordinating one routes
//! (`crate::cluster`), so the lock serialises every decision of the deployment.
//!
//! The writes a decision makes are grouped: the notices to waiting contacts go to the store
//! side by side (so they share its commits), the queue places in one transaction, the timers
//! in another. A burst of thousands of handoffs otherwise queues each decision behind
//! hundreds of single writes.

mod availability;
mod deadlines;
mod snapshot;

use std::collections::HashMap;

use baton_core::deadline::Deadline;
use baton_core::event::{Event, QueuePlaceChanged};
use baton_core::handoff::{Command, Handoff, HandoffState, UserRef};
use baton_core::ids::HandoffId;
use baton_core::policy::{Fallback, Policy};
use baton_core::routing::{decide, eta};
use baton_core::time::Timestamp;
use baton_store::{NewEvent, OwnerGuard, Timer};
use futures_util::{StreamExt, TryStreamExt};

pub use availability::{Availability, QueuePlace, queue_places, waiting};
pub use deadlines::fire;
pub use snapshot::Snapshot;

use super::conversations::load;
use super::handoffs::routing_messages;
use super::inactivity;
use super::{apply_command, bot_message, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What routing remembers between decisions: what each contact was last told, and which
/// timers are set, so an unchanged queue costs no writes.
#[derive(Default)]
pub struct RoutingMemory {
    announced: HashMap<HandoffId, (usize, u32)>,
    armed: HashMap<Deadline, Timestamp>,
    /// The open handoffs as last read (see [`Snapshot::load_known`]).
    open: HashMap<HandoffId, baton_store::OpenHandoff>,
    /// The number of the last request a decision has started for (see [`reroute`]).
    started: u64,
}

/// How many times one call re-reads the store after changing something; each pass settles
/// more, and three are enough for the longest chain (withdraw → fall back → offer).
const PASSES: usize = 4;

/// Route everything that waits; see the module documentation.
///
/// Requests are numbered; a decision that starts after a request was numbered reads the store
/// after that caller's change, so a caller whose number a started decision already covers has
/// nothing left to do. Under a burst of changes, callers waiting on the lock thus share one
/// decision instead of running one each.
#[tracing::instrument(skip_all)]
pub async fn reroute(state: &AppState) -> ApiResult<()> {
    let request = state.routing_requests.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    let mut memory = state.routing.lock().await;
    if memory.started >= request {
        return Ok(());
    }
    let covered = memory.started;
    memory.started = state.routing_requests.load(std::sync::atomic::Ordering::SeqCst);
    let decided = decide_settled(state, &mut memory).await;
    if decided.is_err() {
        // Callers who would have shared this decision must not take it as done.
        memory.started = covered;
    }
    decided
}

async fn decide_settled(state: &AppState, memory: &mut RoutingMemory) -> ApiResult<()> {
    for _ in 0..PASSES {
        let snapshot = Snapshot::load_known(state, &mut memory.open).await?;
        if settle(state, &snapshot).await? || offer(state, &snapshot).await? {
            continue;
        }
        // Independent writes, so they wait for the store together rather than in turn.
        let RoutingMemory { announced, armed, .. } = memory;
        tokio::try_join!(announce(state, &snapshot, announced), arm(state, &snapshot, armed))?;
        return Ok(());
    }
    Ok(())
}

/// Applies `command`, treating a refusal by the state machine (the handoff moved on since the
/// snapshot) as nothing to do.
async fn try_apply(
    state: &AppState,
    id: HandoffId,
    command: Command,
    announce: impl Fn(&Handoff) -> Vec<baton_store::NewMessage>,
) -> ApiResult<bool> {
    match apply_command(state, id, |_| Ok(command.clone()), |_, t| announce(&t.handoff)).await {
        Ok(_) => Ok(true),
        Err(error) if moved_on(&error) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Whether `error` is the state machine refusing a command because the handoff moved on.
fn moved_on(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Conflict { code: "illegal_transition" | "already_assigned" | "offer_not_expired", .. }
            | ApiError::Forbidden { code: "not_offered_to_you" | "not_assignee", .. }
            | ApiError::NotFound { .. }
    )
}

/// Withdraws offers to users who left, and applies the fallback to handoffs nobody can take.
async fn settle(state: &AppState, snapshot: &Snapshot) -> ApiResult<bool> {
    let mut changed = false;
    for open in &snapshot.open {
        let handoff = &open.handoff.value;
        let (Some(policy), Some(route)) = (snapshot.policy(open.bot_id), snapshot.route_of(handoff.id))
        else {
            continue;
        };
        if let (HandoffState::Offered, Some(user)) = (handoff.state, &handoff.assignee)
            && !snapshot.is_online(user.id)
        {
            changed |= try_apply(state, handoff.id, Command::WithdrawOffer, |_| Vec::new()).await?;
            continue;
        }
        if matches!(handoff.state, HandoffState::Queued | HandoffState::Offered)
            && !snapshot.humans_available(policy, route)
        {
            changed |= fall_back(state, handoff, policy, Unavailable::NobodyOnDuty).await?;
        }
    }
    Ok(changed)
}

/// Makes the decision's offers; whether anything changed.
async fn offer(state: &AppState, snapshot: &Snapshot) -> ApiResult<bool> {
    let decision = decide(&snapshot.queue, &snapshot.roster);
    let mut changed = false;
    let bot_of: HashMap<HandoffId, _> =
        snapshot.open.iter().map(|open| (open.handoff.value.id, open.bot_id)).collect();
    for made in &decision.offers {
        let Some(policy) = bot_of.get(&made.handoff).and_then(|&bot| snapshot.policy(bot)) else { continue };
        let name = snapshot.user_name(made.user).unwrap_or_default().to_owned();
        let command = Command::Offer {
            user: UserRef { id: made.user, name },
            expires_at: policy.assignment.offer_expires_at(snapshot.now),
        };
        if try_apply(state, made.handoff, command, |_| Vec::new()).await? {
            state.store.set_last_assigned(made.user, snapshot.now).await?;
            changed = true;
        }
    }
    // Handoffs every eligible user declined are not offered again in this waiting period: they
    // wait in the queue, where any of those users may still claim them, until the no-accept
    // timeout applies the policy's fallback.
    Ok(changed)
}

/// Why nobody takes a handoff, which decides what the contact is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Nobody eligible is on duty (or the bot is outside its hours): the team is offline.
    NobodyOnDuty,
    /// People were there, but nobody accepted within the policy's `waiting.timeout_seconds`.
    NobodyInTime,
}

/// The policy's fallback for a handoff nobody took: widen once, go offline, or back to the bot.
pub async fn fall_back(
    state: &AppState,
    handoff: &Handoff,
    policy: &Policy,
    why: Unavailable,
) -> ApiResult<bool> {
    let conversation = load(state, handoff.conversation_id).await?;
    let texts = policy.messages_for(conversation.language.as_deref());
    let id = conversation.id;
    let (command, messages) = match &policy.waiting.fallback {
        Fallback::Widen(targets) if !handoff.widened => {
            (Command::Widen { targets: targets.clone() }, Vec::new())
        }
        Fallback::Bot => (Command::ReturnToBot, vec![bot_message(state, id, texts.nobody_answered)]),
        // Saying the team is offline while people are online would be untrue: say what
        // happened, then offer to take their details.
        _ if why == Unavailable::NobodyInTime => (
            Command::GoOffline,
            vec![
                system_message(state, id, texts.nobody_in_time),
                system_message(state, id, texts.lead_prompt),
            ],
        ),
        _ => (Command::GoOffline, routing_messages(state, &conversation, policy, HandoffState::Offline)),
    };
    try_apply(state, handoff.id, command, move |_| messages.clone()).await
}

/// Tells waiting contacts their place and expected wait when it changed.
async fn announce(
    state: &AppState,
    snapshot: &Snapshot,
    announced: &mut HashMap<HandoffId, (usize, u32)>,
) -> ApiResult<()> {
    let mut events = Vec::new();
    let mut notices = Vec::new();
    let mut still_queued = std::collections::HashSet::new();
    // Per route: its typical wait and users on duty, worked out once, not once per handoff.
    let mut pace = HashMap::new();
    let open: HashMap<HandoffId, _> =
        snapshot.open.iter().map(|open| (open.handoff.value.id, open)).collect();
    for (queued, place) in baton_core::routing::places(&snapshot.queue, &snapshot.roster) {
        still_queued.insert(queued.id);
        let Some(route) = snapshot.queue.route_by_id(queued.route) else { continue };
        let &mut (typical, on_duty) = pace
            .entry(queued.route)
            .or_insert_with(|| (snapshot.typical_wait(route), snapshot.roster.on_duty_count(route)));
        let eta_seconds = eta::eta_seconds(place, typical, on_duty);
        let before = announced.get(&queued.id).copied();
        if !eta::worth_announcing(before, place, eta_seconds) {
            continue;
        }
        announced.insert(queued.id, (place, eta_seconds));
        let Some(open) = open.get(&queued.id) else { continue };
        let handoff = &open.handoff.value;
        let place_changed = QueuePlaceChanged {
            conversation_id: handoff.conversation_id,
            handoff_id: handoff.id,
            position: place,
            eta_seconds,
        };
        events.push(NewEvent::new(Event::HandoffQueueUpdated(place_changed), snapshot.now));
        let told = match before {
            None => Some(Told::Place { place, minutes: eta::minutes(eta_seconds) }),
            Some((earlier, _)) if earlier > 1 && place == 1 => Some(Told::Next),
            _ => None,
        };
        if let Some(told) = told {
            notices.push((handoff.conversation_id, open.bot_id, told));
        }
    }
    announced.retain(|id, _| still_queued.contains(id));
    // Sent side by side, so they share the store's commits instead of waiting for one each.
    let notices = futures_util::stream::iter(notices)
        .map(|(conversation, bot, told)| tell(state, snapshot, conversation, bot, told))
        .buffer_unordered(NOTICES_AT_ONCE)
        .try_collect::<()>();
    let places = async {
        if !events.is_empty() {
            state.store.record_events(events).await?;
        }
        Ok(())
    };
    tokio::try_join!(notices, places)?;
    Ok(())
}

/// How many queue notices are written at once.
const NOTICES_AT_ONCE: usize = 32;

/// What a waiting contact is told in the chat.
#[derive(Clone, Copy)]
enum Told {
    /// Their place and expected wait, when first known.
    Place { place: usize, minutes: u32 },
    /// That they are next.
    Next,
}

async fn tell(
    state: &AppState,
    snapshot: &Snapshot,
    conversation: baton_core::ids::ConversationId,
    bot: baton_core::ids::BotId,
    told: Told,
) -> ApiResult<()> {
    let Some(policy) = snapshot.policy(bot) else { return Ok(()) };
    let conversation = load(state, conversation).await?;
    let texts = policy.messages_for(conversation.language.as_deref());
    let text = match told {
        Told::Place { place, minutes } => texts
            .queue_position
            .replace("{position}", &place.to_string())
            .replace("{minutes}", &minutes.to_string()),
        Told::Next => texts.queue_next,
    };
    // Only while the contact still waits (nobody owns the conversation): the snapshot may be
    // older than a timer that has just sent the handoff offline or to the bot.
    let waiting = OwnerGuard::Must(baton_core::conversation::Owner::None);
    state.store.append_message(system_message(state, conversation.id, text), waiting).await?;
    Ok(())
}

/// Sets the timers the current state calls for, skipping those already set for the same time.
async fn arm(
    state: &AppState,
    snapshot: &Snapshot,
    armed: &mut HashMap<Deadline, Timestamp>,
) -> ApiResult<()> {
    let mut wanted: Vec<(Deadline, Timestamp)> = Vec::new();
    for open in &snapshot.open {
        let handoff = &open.handoff.value;
        let Some(policy) = snapshot.policy(open.bot_id) else { continue };
        let id = handoff.id;
        match handoff.state {
            HandoffState::Offered => {
                if let Some(expires) = handoff.offer_expires_at {
                    wanted.push((Deadline::OfferExpiry(id), expires));
                }
            }
            HandoffState::Live => {
                if let (None, Some(since), Some(user)) =
                    (handoff.first_response_at, handoff.assigned_at, &handoff.assignee)
                    && let Some(sla) = snapshot.sla_seconds(user.id)
                {
                    wanted.push((Deadline::FirstResponseSla(id), since.plus_millis(i64::from(sla) * 1000)));
                }
                if let (None, Some(since)) = (handoff.first_response_at, handoff.assigned_at) {
                    let watch = [
                        (Deadline::FirstReply(id), policy.watchdog.first_reply_seconds),
                        (Deadline::Reclaim(id), policy.waiting.reassign_after_seconds),
                    ];
                    for (deadline, seconds) in watch.into_iter().filter(|(_, seconds)| *seconds > 0) {
                        wanted.push((deadline, since.plus_millis(i64::from(seconds) * 1000)));
                    }
                }
                if let (Some(limit), Some(since)) = (inactivity::limit_ms(state), handoff.assigned_at) {
                    wanted.push((Deadline::ContactInactive(id), since.plus_millis(limit)));
                }
            }
            _ => {}
        }
        let timeout = i64::from(policy.waiting.timeout_seconds) * 1000;
        let waiting_since = match handoff.state {
            HandoffState::Queued | HandoffState::Offered => handoff.queued_at,
            HandoffState::Gathering => Some(handoff.requested_at),
            _ => None,
        };
        if let (true, Some(since)) = (timeout > 0, waiting_since) {
            wanted.push((Deadline::NoAccept(id), since.plus_millis(timeout)));
        }
    }
    if let Some(boundary) = snapshot.next_boundary() {
        wanted.push((Deadline::OfficeHours, boundary));
    }
    wanted.retain(|(deadline, due_at)| armed.get(deadline) != Some(due_at));
    let timers: Vec<Timer> = wanted.iter().map(|&(deadline, due_at)| Timer::new(deadline, due_at)).collect();
    state.store.set_timers(&timers).await?;
    armed.extend(wanted);
    let open: std::collections::HashSet<HandoffId> =
        snapshot.open.iter().map(|open| open.handoff.value.id).collect();
    armed.retain(|deadline, _| deadline.handoff().is_none_or(|handoff| open.contains(&handoff)));
    Ok(())
}
