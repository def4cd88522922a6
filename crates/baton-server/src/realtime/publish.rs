//! The websockets' consumer: publishes each event on the in-process [`Bus`](super::bus::Bus),
//! from which every open socket takes what it may see. It keeps no stored cursor: a socket
//! opened later replays what it missed from the store, so a restarted process starts at the
//! head of the log.
//!
//! While an inbox is open it also works out, once per event for every inbox of the process,
//! who may see the event's conversation ([`ConversationFacts`]): a handoff event carries the
//! handoff itself, so the store is read only for a conversation not known yet, after an event
//! that may move it without saying how, or (while no handoff is open, when its language
//! decides) once its facts are older than [`REREAD_AFTER`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use baton_core::event::{Event, EventKind};
use baton_core::ids::ConversationId;
use baton_store::StoredEvent;

use crate::events::Consumer;
use crate::realtime::bus::{BusEvent, Known};
use crate::service::access::ConversationFacts;
use crate::state::AppState;

/// How long facts that depend on a conversation's language are trusted: detecting the
/// language changes it without an event.
const REREAD_AFTER: Duration = Duration::from_secs(10);

pub struct Websockets;

impl Consumer for Websockets {
    fn name(&self) -> &'static str {
        "websockets"
    }

    /// Each process publishes to its own sockets, from the events committed while it runs.
    fn durable(&self) -> bool {
        false
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let inboxes_open = state.bus.inboxes_open();
        if !inboxes_open {
            // Nobody needs them now, and they would not be kept up to date.
            state.bus.forget_all();
        }
        // Everything is worked out before anything is published, so a failed read publishes
        // nothing and the batch comes again whole.
        let mut ready = Vec::with_capacity(events.len());
        for stored in events {
            let mut event = BusEvent::from_stored(stored);
            if let (true, Some(conversation)) = (inboxes_open, event.conversation_id) {
                event.facts = facts_after(state, conversation, &stored.event).await?;
            }
            ready.push(event);
        }
        for event in ready {
            state.bus.publish(event);
        }
        Ok(())
    }
}

/// Who may see `conversation` once `event` happened to it; `None` if it is gone.
async fn facts_after(
    state: &AppState,
    conversation: ConversationId,
    event: &Event,
) -> anyhow::Result<Option<Arc<ConversationFacts>>> {
    let known = state.bus.known(conversation);
    let trusted = |known: &Known, open_after: bool| open_after || known.read_at.elapsed() < REREAD_AFTER;
    let facts = match (known, event.handoff()) {
        (Some(known), Some(handoff)) if trusted(&known, handoff.state.is_open()) => {
            let facts = ConversationFacts {
                bot_id: known.facts.bot_id,
                language: known.facts.language.clone(),
                latest: Some(handoff.clone()),
            };
            Known { facts: Arc::new(facts), read_at: known.read_at }
        }
        (Some(known), None) if !moves_view(event.kind()) && trusted(&known, known.facts.handoff_open()) => {
            return Ok(Some(known.facts));
        }
        (_, carried) => {
            let Some(found) = state.store.conversation(conversation).await? else { return Ok(None) };
            let latest = match carried {
                Some(handoff) => Some(handoff.clone()),
                None => state.store.latest_handoff(conversation).await?.map(|handoff| handoff.value),
            };
            Known { facts: Arc::new(ConversationFacts::new(&found, latest)), read_at: Instant::now() }
        }
    };
    let shared = facts.facts.clone();
    state.bus.remember(conversation, facts);
    Ok(Some(shared))
}

/// Whether an event that carries no handoff may change who sees its conversation. Those that
/// only tell of what is already so (a message, a queue place, a deadline passed) do not.
fn moves_view(kind: EventKind) -> bool {
    !matches!(
        kind,
        EventKind::MessageCreated
            | EventKind::Typing
            | EventKind::HandoffQueueUpdated
            | EventKind::FeedbackRequested
            | EventKind::FeedbackReceived
            | EventKind::SlaBreached
            | EventKind::FirstReplyOverdue
            | EventKind::ContactUnanswered
    )
}
