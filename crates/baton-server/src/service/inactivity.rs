//! Live chats whose contact has left. A contact who closes the tab mid-chat never says
//! goodbye, and their chat would hold a place in the agent's capacity for ever. After
//! `contact_inactive_minutes` (0: never) with neither a message from the contact nor a widget
//! of theirs open, the chat is closed with a note for the team, freeing the place.
//!
//! Each live chat has a durable timer, first due that long after it went live. When it fires,
//! the contact's latest sign of life is worked out (an open widget is one now; otherwise their
//! last message, or when their last widget closed): if it is recent, the timer moves to that
//! time plus the limit; otherwise the chat closes. Open widgets are counted per process, like
//! inboxes (see `presence`).

use std::collections::HashMap;

use baton_core::deadline::Deadline;
use baton_core::handoff::{Command, HandoffState};
use baton_core::ids::{ConversationId, HandoffId};
use baton_core::message::AuthorKind;
use baton_core::summary::duration;
use baton_core::time::Timestamp;
use baton_store::{NewMessage, Timer};

use super::conversations::{bot_of, load};
use super::{apply_command, bot_message, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How many recent messages are searched for the contact's latest one.
const RECENT: i64 = 50;

/// A conversation's open widgets, and when the last one closed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Widgets {
    open: usize,
    last_closed_at: Option<Timestamp>,
}

fn widgets(state: &AppState) -> std::sync::MutexGuard<'_, HashMap<ConversationId, Widgets>> {
    state.contact_widgets.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A contact's widget connected.
pub fn widget_opened(state: &AppState, conversation: ConversationId) {
    let first = {
        let mut widgets = widgets(state);
        let seen = widgets.entry(conversation).or_default();
        seen.open += 1;
        seen.open == 1
    };
    if first {
        state.cluster.widget_here(conversation, true);
    }
}

/// Whether a widget of `conversation` is open in this process.
pub fn widget_open(state: &AppState, conversation: ConversationId) -> bool {
    widgets(state).get(&conversation).is_some_and(|seen| seen.open > 0)
}

/// A contact's widget disconnected.
pub fn widget_closed(state: &AppState, conversation: ConversationId) {
    let now = state.now();
    let mut widgets = widgets(state);
    let entry = widgets.entry(conversation).or_default();
    let was_open = entry.open > 0;
    entry.open = entry.open.saturating_sub(1);
    entry.last_closed_at = Some(now);
    if was_open && entry.open == 0 {
        state.cluster.widget_here(conversation, false);
    }
}

/// Forgets conversations with no widget open for longer than the limit matters (all closed
/// ones when chats never close for inactivity), so the map does not grow with every visitor.
pub fn forget_idle(state: &AppState) {
    let now = state.now();
    let keep_ms = limit_ms(state).unwrap_or(0);
    widgets(state).retain(|_, seen| {
        seen.open > 0 || seen.last_closed_at.is_some_and(|at| at.plus_millis(keep_ms) > now)
    });
}

/// How many of the conversation's widgets are open in this process.
pub fn open_widgets(state: &AppState, conversation: ConversationId) -> usize {
    widgets(state).get(&conversation).map_or(0, |widgets| widgets.open)
}

/// How many contact widgets are open in this process, in all.
pub fn all_open_widgets(state: &AppState) -> usize {
    widgets(state).values().map(|widgets| widgets.open).sum()
}

/// The limit, or `None` when chats are never closed for inactivity.
pub fn limit_ms(state: &AppState) -> Option<i64> {
    let minutes = state.settings.contact_inactive_minutes;
    (minutes > 0).then(|| i64::try_from(minutes).unwrap_or(i64::MAX / 60_000).saturating_mul(60_000))
}

/// The timer's action: close the chat, or look again later.
pub async fn fire(state: &AppState, id: HandoffId) -> ApiResult<()> {
    let Some(limit) = limit_ms(state) else { return Ok(()) };
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    let handoff = current.value;
    let (HandoffState::Live, Some(assignee), Some(since)) =
        (handoff.state, &handoff.assignee, handoff.assigned_at)
    else {
        return Ok(());
    };
    let now = state.now();
    let conversation = load(state, handoff.conversation_id).await?;
    let seen = widgets(state).get(&conversation.id).copied().unwrap_or_default();
    // A widget open on another instance counts too; when one closed there is known only there.
    let open_elsewhere = seen.open == 0
        && crate::cluster::widget_open_elsewhere(&state.cluster, conversation.id).await.map_err(|error| {
            ApiError::Unavailable { detail: format!("asking the other instances about a widget: {error}") }
        })?;
    let last_sign = if seen.open > 0 || open_elsewhere {
        now
    } else {
        let after = (conversation.last_seq - RECENT).max(0);
        let recent = state.store.messages_after(conversation.id, after, false, RECENT).await?;
        let last_message =
            recent.iter().rev().find(|m| m.author.kind == AuthorKind::Contact).map(|m| m.created_at);
        [Some(since), last_message, seen.last_closed_at].into_iter().flatten().max().unwrap_or(since)
    };
    if last_sign.plus_millis(limit) > now {
        let again = Timer::new(Deadline::ContactInactive(id), last_sign.plus_millis(limit));
        state.store.set_timer(&again).await?;
        return Ok(());
    }
    let policy = bot_of(state, &conversation).await?.settings.policy;
    let closing = policy.messages_for(conversation.language.as_deref()).closing;
    let note = format!(
        "Closed automatically: the contact sent nothing and had no chat window open for {}.",
        duration(now.millis_since(last_sign))
    );
    let by = assignee.id;
    let closed = apply_command(
        state,
        id,
        |_| Ok(Command::Close { by, as_admin: true, request_feedback: false }),
        |_, _| {
            vec![
                bot_message(state, conversation.id, closing.clone()),
                NewMessage { note: true, ..system_message(state, conversation.id, note.clone()) },
            ]
        },
    )
    .await;
    match closed {
        Ok(_) => Ok(()),
        // Closed or moved meanwhile: nothing left to do.
        Err(crate::error::ApiError::Conflict { .. }) => Ok(()),
        Err(other) => Err(other),
    }
}
