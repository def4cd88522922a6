//! The unanswered-contact watchdog: a contact in a live chat who has waited the policy's
//! `watchdog.unanswered_alert_seconds` for an answer raises `handoff.unanswered` for the
//! admins.
//!
//! As a consumer of `message.created`: a contact's message in a live chat sets a durable timer
//! for the chat unless one is set (so it counts from the first unanswered message), and a
//! team member's reply cancels it. When the timer fires it checks the transcript again, and
//! alerts once per unanswered stretch. (The assignee's own reminder and the chat's return to
//! the queue are timers of routing, `service::routing::deadlines`.)

use std::collections::HashMap;

use baton_core::deadline::Deadline;
use baton_core::event::{ContactUnanswered, Event};
use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::{BotId, ConversationId, HandoffId};
use baton_core::message::{AuthorKind, Message};
use baton_core::time::Timestamp;
use baton_store::{NewEvent, StoredEvent, Timer};

use super::Consumer;
use crate::error::ApiResult;
use crate::service::conversations::{bot_of, load};
use crate::state::AppState;

/// How many conversations the consumer remembers before starting afresh.
const MEMORY: usize = 100_000;
/// How far back the transcript is read to find where the unanswered stretch began.
const LOOK_BACK: i64 = 50;

/// Remembers, per conversation with a live chat, whether a timer is set for the current
/// unanswered stretch, so a contact writing ten times costs one timer write and one read of
/// the open chats, not ten. Any other event of the conversation (its handoff changed) makes it
/// forget. After a restart it is empty, and setting a timer that is set already changes nothing.
#[derive(Default)]
pub struct Watchdog {
    /// `Some(seq)`: a timer is set for the stretch that began at `seq`; `None`: no timer.
    armed: std::sync::Mutex<HashMap<ConversationId, Option<i64>>>,
}

/// What the watchdog reads of the store, once per batch that needs it.
struct OpenChats {
    handoffs: HashMap<ConversationId, (Handoff, BotId)>,
    /// Each bot's `watchdog.unanswered_alert_seconds`.
    alert_after: HashMap<BotId, u32>,
}

impl OpenChats {
    async fn read(state: &AppState) -> anyhow::Result<Self> {
        let handoffs = state
            .store
            .open_handoffs()
            .await?
            .into_iter()
            .map(|open| (open.handoff.value.conversation_id, (open.handoff.value, open.bot_id)))
            .collect();
        let alert_after = state
            .store
            .bots()
            .await?
            .into_iter()
            .map(|bot| (bot.id, bot.settings.policy.watchdog.unanswered_alert_seconds))
            .collect();
        Ok(Self { handoffs, alert_after })
    }
}

impl Consumer for Watchdog {
    fn name(&self) -> &'static str {
        "watchdog"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let mut open: Option<OpenChats> = None;
        // The timers this batch sets, written together at its end.
        let mut to_set: HashMap<ConversationId, Timer> = HashMap::new();
        for stored in events {
            let message = match &stored.event {
                Event::MessageCreated(message)
                    if !message.note
                        && matches!(message.author.kind, AuthorKind::Contact | AuthorKind::User) =>
                {
                    message
                }
                other => {
                    if let Some(conversation) = other.conversation_id() {
                        self.forget(conversation);
                    }
                    continue;
                }
            };
            let conversation = message.conversation_id;
            let known = self.known(conversation);
            let nothing_to_do = match message.author.kind {
                // The stretch's timer is set already.
                AuthorKind::Contact => matches!(known, Some(Some(_))),
                // There is no timer to cancel.
                _ => known == Some(None),
            };
            if nothing_to_do {
                continue;
            }
            if open.is_none() {
                open = Some(OpenChats::read(state).await?);
            }
            let chats = open.as_ref().expect("read above");
            let Some((handoff, bot)) = chats.handoffs.get(&conversation) else { continue };
            if message.author.kind == AuthorKind::User {
                // The stretch is over.
                to_set.remove(&conversation);
                let unanswered = Deadline::ContactUnanswered(handoff.id);
                state.store.cancel_timer(unanswered.kind(), &unanswered.subject()).await?;
                self.remember(conversation, None);
                continue;
            }
            let seconds = chats.alert_after.get(bot).copied().unwrap_or(0);
            if handoff.state != HandoffState::Live || seconds == 0 {
                continue;
            }
            to_set.insert(
                conversation,
                Timer {
                    data: serde_json::json!({ "since_seq": message.seq }),
                    ..Timer::new(
                        Deadline::ContactUnanswered(handoff.id),
                        message.created_at.plus_millis(i64::from(seconds) * 1000),
                    )
                },
            );
            self.remember(conversation, Some(message.seq));
        }
        let timers: Vec<Timer> = to_set.values().cloned().collect();
        if let Err(error) = state.store.set_timers_if_unset(&timers).await {
            // Not set after all: the batch is retried from scratch.
            for conversation in to_set.keys() {
                self.forget(*conversation);
            }
            return Err(error.into());
        }
        Ok(())
    }
}

impl Watchdog {
    fn known(&self, conversation: ConversationId) -> Option<Option<i64>> {
        self.armed.lock().unwrap_or_else(|p| p.into_inner()).get(&conversation).copied()
    }

    fn forget(&self, conversation: ConversationId) {
        self.armed.lock().unwrap_or_else(|p| p.into_inner()).remove(&conversation);
    }

    fn remember(&self, conversation: ConversationId, armed_by: Option<i64>) {
        let mut armed = self.armed.lock().unwrap_or_else(|p| p.into_inner());
        // Forget now and then, so the map does not grow with every chat ever watched.
        if armed.len() > MEMORY {
            armed.clear();
        }
        armed.insert(conversation, armed_by);
    }
}

/// The timer fired: alert if the contact is still waiting, since the message that set it.
pub async fn fire(state: &AppState, id: HandoffId, timer: &Timer) -> ApiResult<()> {
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    let handoff = current.value;
    if handoff.state != HandoffState::Live {
        return Ok(());
    }
    let conversation = load(state, handoff.conversation_id).await?;
    let seconds = bot_of(state, &conversation).await?.settings.policy.watchdog.unanswered_alert_seconds;
    let after = (conversation.last_seq - LOOK_BACK).max(0);
    let recent = state.store.messages_after(conversation.id, after, false, LOOK_BACK).await?;
    let live_since = handoff.assigned_at.unwrap_or(handoff.requested_at);
    let Some(waiting) = unanswered_since(&recent, live_since) else { return Ok(()) };
    // Only the timer of the stretch's first message alerts: one alert per stretch.
    let set_by = timer.data.get("since_seq").and_then(serde_json::Value::as_i64);
    let now = state.now();
    if seconds == 0
        || set_by != Some(waiting.seq)
        || waiting.created_at.plus_millis(i64::from(seconds) * 1000) > now
    {
        return Ok(());
    }
    let alert = ContactUnanswered {
        conversation_id: conversation.id,
        handoff_id: handoff.id,
        assignee: handoff.assignee.clone(),
        waiting_since: waiting.created_at,
        unanswered_alert_seconds: seconds,
    };
    state.store.record_events(vec![NewEvent::new(Event::ContactUnanswered(alert), now)]).await?;
    Ok(())
}

/// The first of the contact's messages since the chat went live and after the team's last
/// reply, if the contact is waiting.
fn unanswered_since(recent: &[Message], live_since: Timestamp) -> Option<Waiting> {
    let answered = recent.iter().rposition(|m| m.author.kind == AuthorKind::User).map_or(0, |at| at + 1);
    recent[answered..]
        .iter()
        .find(|m| m.author.kind == AuthorKind::Contact && m.created_at >= live_since)
        .map(|m| Waiting { seq: m.seq, created_at: m.created_at })
}

struct Waiting {
    seq: i64,
    created_at: Timestamp,
}
