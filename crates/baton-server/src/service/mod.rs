//! What Baton does, one function per use case; HTTP handlers parse, authorise and call these.
//!
//! A handoff changes state through [`commit_transition`]: the pure transition from
//! `baton-core`, the messages that announce it to the contact, and its outbox events are saved
//! in one transaction, compare-and-set on the handoff's version. [`apply_command`] retries a
//! command that lost a race against the state the winner left, so the loser gets the domain's
//! answer (for a claim: someone else has it) rather than a generic conflict.

pub mod access;
pub mod ai;
pub mod analytics;
pub mod attachments;
pub mod audit;
pub mod bot;
pub mod bots;
pub mod canned;
pub mod channels;
pub mod contacts;
pub mod conversations;
pub mod copilot;
pub mod directory;
pub mod email;
pub mod follow_up;
pub mod gathering;
pub mod handoffs;
pub mod helpdesk;
pub mod history;
pub mod inactivity;
pub mod inbound;
pub mod judge;
pub mod mailbox;
pub mod presence;
pub mod routing;
pub mod semantic;
pub mod slack;
pub mod teams;
pub mod transfers;
pub mod trial;
pub mod turns;
pub mod typing;
pub mod users;
pub mod voice;
pub mod webhooks;

use baton_core::conversation::Owner;
use baton_core::event::Event;
use baton_core::handoff::{Command, Handoff, Transition};
use baton_core::ids::{ConversationId, HandoffId};
use baton_core::message::{Author, AuthorKind, Message};
use baton_core::values::MessageText;
use baton_store::{Appended, HandoffChange, NewEvent, NewMessage, OwnerGuard, StoreError, Versioned};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How often a command is re-read and re-applied after losing a race.
const COMMAND_ATTEMPTS: usize = 5;

pub fn new_message(
    state: &AppState,
    conversation: ConversationId,
    author: Author,
    text: impl Into<String>,
) -> NewMessage {
    NewMessage {
        id: state.new_id(),
        conversation_id: conversation,
        author,
        text: text.into(),
        note: false,
        client_id: None,
        created_at: state.now(),
        completes_turn: None,
        template: None,
    }
}

pub fn system_message(state: &AppState, conversation: ConversationId, text: impl Into<String>) -> NewMessage {
    new_message(state, conversation, Author::of_kind(AuthorKind::System), text)
}

pub fn bot_message(state: &AppState, conversation: ConversationId, text: impl Into<String>) -> NewMessage {
    new_message(state, conversation, Author::of_kind(AuthorKind::Bot), text)
}

/// Whether a typed message was new, or a repeat of an earlier send with the same `client_id`.
pub enum Sent {
    New(Message),
    Repeated(Message),
}

/// Stores a message someone typed; `None` when `guard`'s owner no longer owns the conversation.
pub async fn send(
    state: &AppState,
    conversation: ConversationId,
    author: Author,
    text: MessageText,
    client_id: Option<String>,
    guard: OwnerGuard,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Option<Sent>> {
    let message = typed_message(state, conversation, author, text, client_id)?;
    store_typed(state, message, guard, attachment).await
}

/// A message someone typed, with the `client_id` their app gave it (checked).
pub fn typed_message(
    state: &AppState,
    conversation: ConversationId,
    author: Author,
    text: MessageText,
    client_id: Option<String>,
) -> ApiResult<NewMessage> {
    if client_id.as_ref().is_some_and(|id| id.is_empty() || id.len() > 100) {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: "client_id: must be 1 to 100 characters".into(),
        });
    }
    Ok(NewMessage { client_id, ..new_message(state, conversation, author, text.into_string()) })
}

/// Stores a typed message under `guard`: new, a repeat of its `client_id`, or `None` when the
/// guard's owner no longer owns the conversation.
pub async fn store_typed(
    state: &AppState,
    message: NewMessage,
    guard: OwnerGuard,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Option<Sent>> {
    Ok(match append_typed(state, message, guard, attachment).await? {
        Appended::Created { message, .. } => Some(Sent::New(message)),
        Appended::Duplicate(message) => Some(Sent::Repeated(message)),
        Appended::OwnerMoved => None,
    })
}

/// Appends a typed message, with the file it sends if any, under `guard`.
pub async fn append_typed(
    state: &AppState,
    message: NewMessage,
    guard: OwnerGuard,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Appended> {
    Ok(match attachment {
        Some(attachment) => state.store.append_attachment(message, attachment, guard).await?,
        None => state.store.append_message(message, guard).await?,
    })
}

/// The outbox events of a transition, each with its typed payload.
fn events_of(state: &AppState, transition: &Transition) -> Vec<NewEvent> {
    let now = state.now();
    transition
        .events
        .iter()
        .filter_map(|&kind| Event::of_handoff(kind, &transition.handoff))
        .map(|event| NewEvent::new(event, now))
        .collect()
}

/// Saves `transition` (computed from `version`, or new when `None`) with `messages`.
pub async fn commit_transition(
    state: &AppState,
    version: Option<i64>,
    transition: Transition,
    messages: Vec<NewMessage>,
) -> Result<(Versioned<Handoff>, Vec<Message>), StoreError> {
    let events = events_of(state, &transition);
    let handoff = transition.handoff;
    let change = HandoffChange {
        owner: Owner::for_handoff(Some(&handoff)),
        handoff: handoff.clone(),
        expected_version: version,
        events,
        messages,
    };
    let saved = state.store.save_handoff(change).await?;
    Ok((Versioned { value: handoff, version: saved.version }, saved.messages))
}

/// Applies `command` to the handoff, announcing it with the messages `announce` derives from
/// the result (only when the command produced events, so a repeated command says nothing
/// twice). Retries when a concurrent change won the race.
pub async fn apply_command(
    state: &AppState,
    id: HandoffId,
    command: impl Fn(&Handoff) -> ApiResult<Command>,
    announce: impl Fn(&Handoff, &Transition) -> Vec<NewMessage>,
) -> ApiResult<Handoff> {
    for _ in 0..COMMAND_ATTEMPTS {
        let current = state.store.handoff(id).await?.ok_or(ApiError::NotFound { what: "handoff" })?;
        let transition = current.value.apply(command(&current.value)?, state.now())?;
        if transition.events.is_empty() && transition.handoff == current.value {
            return Ok(current.value);
        }
        let messages =
            if transition.events.is_empty() { Vec::new() } else { announce(&current.value, &transition) };
        match commit_transition(state, Some(current.version), transition, messages).await {
            Ok((saved, _)) => return Ok(saved.value),
            Err(StoreError::Conflict(_)) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::conflict("busy", "the handoff is changing too quickly; try again"))
}
