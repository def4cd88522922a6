//! Moving a live chat: to another user or a team's queue, with a note for whoever takes it,
//! and releasing it back to the bot. Each is an event and a line in the transcript.

use baton_core::handoff::{Command, Handoff, HandoffState, UserRef};
use baton_core::ids::{ConversationId, HandoffId};
use baton_core::message::Author;
use baton_core::routing::{Reach, Target};
use baton_core::user::{Role, User};
use baton_store::NewMessage;

use super::conversations::{bot_of, load};
use super::handoffs::assigned_message;
use super::routing::Snapshot;
use super::{apply_command, bot_message, new_message, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The longest transfer note; a note is a hand-over, not a transcript.
pub const NOTE_MAX_CHARS: usize = 2_000;

/// The live handoff `by` may move: theirs, or any if they are an admin.
async fn movable(state: &AppState, id: HandoffId, by: &User) -> ApiResult<Handoff> {
    let handoff = state.store.handoff(id).await?.ok_or(ApiError::NotFound { what: "handoff" })?.value;
    may_move(&handoff, by)?;
    Ok(handoff)
}

/// Whether `by` may move `handoff` as it is now. Checked again on every attempt of the
/// command, so of two simultaneous moves by its owner the second, re-read after the first
/// won, finds the chat no longer theirs.
fn may_move(handoff: &Handoff, by: &User) -> ApiResult<()> {
    if handoff.state != HandoffState::Live {
        return Err(ApiError::conflict("not_live", "only a live chat can be transferred or released"));
    }
    let theirs = handoff.assignee.as_ref().is_some_and(|assignee| assignee.id == by.id);
    if !theirs && by.role != Role::Admin {
        return Err(ApiError::Forbidden {
            code: "not_assignee",
            detail: "only the user who has the chat (or an admin) can move it".into(),
        });
    }
    Ok(())
}

/// Hands a live chat to `to` (`user:<id or email>` or `team:<name or id>`), leaving `note`
/// for them. A user gets it at once; a team gets it through its queue, where the team's
/// strategy picks the member.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %by.id, to))]
pub async fn transfer(
    state: &AppState,
    id: HandoffId,
    by: &User,
    to: &str,
    note: Option<String>,
) -> ApiResult<Handoff> {
    let target = Target::parse(to).map_err(|e| ApiError::invalid(format!("to: {e}")))?;
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS) {
        return Err(ApiError::invalid(format!("note: at most {NOTE_MAX_CHARS} characters")));
    }
    let handoff = movable(state, id, by).await?;
    let conversation = load(state, handoff.conversation_id).await?;
    let policy = bot_of(state, &conversation).await?.settings.policy;
    let texts = policy.messages_for(conversation.language.as_deref());
    let snapshot = Snapshot::load_roster(state).await?;
    let reach = snapshot
        .resolve(&target)
        .ok_or_else(|| ApiError::invalid(format!("to: no such {}", kind(&target))))?;
    let note_message = |text: &str| NewMessage {
        note: true,
        ..new_message(
            state,
            conversation.id,
            Author::user(by.id, by.name.clone()),
            format!("Transfer note: {text}"),
        )
    };
    let (command, announcement) = match reach {
        Reach::User(user) => {
            if handoff.assignee.as_ref().is_some_and(|assignee| assignee.id == user) {
                return Err(ApiError::invalid("to: the chat is already theirs"));
            }
            let name = snapshot.user_name(user).unwrap_or_default().to_owned();
            let joined = assigned_message(state, &policy, &conversation, &name);
            (Command::Transfer { to: UserRef { id: user, name } }, joined)
        }
        Reach::Team(_) => {
            let passing = system_message(state, conversation.id, texts.transferred_to_team);
            (Command::TransferToQueue { targets: vec![target] }, passing)
        }
        Reach::Everyone => return Err(ApiError::invalid("to: name a user or a team")),
    };
    let moved = apply_command(
        state,
        id,
        |current| may_move(current, by).map(|()| command.clone()),
        |_, _| {
            let mut messages: Vec<NewMessage> = note.as_deref().map(note_message).into_iter().collect();
            messages.push(announcement.clone());
            messages
        },
    )
    .await?;
    Ok(moved)
}

fn kind(target: &Target) -> &'static str {
    match target {
        Target::User(_) => "user",
        _ => "team",
    }
}

/// Gives a live chat back to the bot without asking the contact for feedback: the human part
/// is over, and the bot says so.
pub async fn release(state: &AppState, conversation: ConversationId, by: &User) -> ApiResult<Handoff> {
    let open = state.store.open_handoff(conversation).await?;
    let handoff = open.ok_or_else(|| ApiError::conflict("not_live", "no live chat to release"))?.value;
    let handoff = movable(state, handoff.id, by).await?;
    let conv = load(state, conversation).await?;
    let policy = bot_of(state, &conv).await?.settings.policy;
    let closing = policy.messages_for(conv.language.as_deref()).closing;
    let released = apply_command(
        state,
        handoff.id,
        |current| {
            may_move(current, by)?;
            Ok(Command::Close { by: by.id, as_admin: by.role == Role::Admin, request_feedback: false })
        },
        |_, _| vec![bot_message(state, conversation, closing.clone())],
    )
    .await?;
    Ok(released)
}
