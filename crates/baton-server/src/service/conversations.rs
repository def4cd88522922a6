//! The contact's side: starting a conversation, sending, leaving a lead, rating.

use baton_core::catalog::language_of_locale;
use baton_core::handoff::{Command, ContactInfo, Handoff, HandoffState, Lead};
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::{Author, AuthorKind};
use baton_core::values::{Email, MessageText, Rating, optional_text};
use baton_store::{Appended, Bot, Conversation, NewConversation, OwnerGuard};

use super::contacts::ContactInput;
use super::{Sent, append_typed, apply_command, bot_message, system_message, typed_message};
use crate::auth::{CONTACT_TOKEN_PREFIX, hash_token, new_token};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, SharedState};

pub const NAME_MAX_CHARS: usize = 200;
pub const COMMENT_MAX_CHARS: usize = 2_000;

pub async fn bot_of(state: &AppState, conversation: &Conversation) -> ApiResult<Bot> {
    state
        .store
        .bot(conversation.bot_id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("conversation {} has no bot", conversation.id)))
}

pub async fn load(state: &AppState, id: ConversationId) -> ApiResult<Conversation> {
    state.store.conversation(id).await?.ok_or(ApiError::NotFound { what: "conversation" })
}

/// Starts a conversation with `bot` (the default bot when `None`), linked to its contact's
/// record when `contact` or `input` names them (see [`super::contacts`]); returns it with the
/// contact's token, which is shown only this once.
pub async fn start(
    state: &AppState,
    bot: Option<BotId>,
    contact: ContactInfo,
    input: ContactInput,
    locale: Option<String>,
) -> ApiResult<(Conversation, String)> {
    let name = optional_text("contact.name", contact.name.as_deref(), NAME_MAX_CHARS)?;
    let email = match contact.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(email) => Some(Email::parse(email)?),
        None => None,
    };
    let locale = optional_text("locale", locale.as_deref(), 35)?;
    let bot = match bot {
        Some(id) => state.store.bot(id).await?.ok_or(ApiError::Unprocessable {
            code: "unknown_bot",
            detail: format!("bot_id: no bot has the id {id}"),
        })?,
        None => state
            .store
            .default_bot()
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no bot is configured")))?,
    };
    let contact_link =
        super::contacts::link(state, &bot.settings.identity_secret, name.as_deref(), email.as_ref(), input)?;
    let contact = ContactInfo { name, email: email.map(|e| e.as_str().to_owned()) };
    let token = new_token(CONTACT_TOKEN_PREFIX);
    let id = state.new_id();
    let greeting = Some(bot.settings.greeting.trim())
        .filter(|g| !g.is_empty())
        .map(|greeting| bot_message(state, id, greeting));
    let language = locale
        .as_deref()
        .and_then(language_of_locale)
        .filter(|language| bot.settings.policy.speaks(language))
        .map(String::from);
    let new = NewConversation {
        id,
        bot_id: bot.id,
        token_hash: hash_token(&token),
        contact,
        locale,
        language,
        created_at: state.now(),
        contact_link,
        channel: None,
    };
    let conversation = state.store.create_conversation(new, greeting).await?;
    Ok((conversation, token))
}

/// Stores a contact message and queues it for the bot, unless a person owns the conversation
/// (then the store has already moved the bot's cursor past it).
#[tracing::instrument(skip_all, fields(conversation = %conversation))]
pub async fn contact_message(
    state: &SharedState,
    conversation: ConversationId,
    text: MessageText,
    client_id: Option<String>,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Sent> {
    let message = typed_message(state, conversation, Author::of_kind(AuthorKind::Contact), text, client_id)?;
    match append_typed(state, message, OwnerGuard::Anyone, attachment).await? {
        Appended::Created { message, awaits_bot } => {
            if awaits_bot {
                super::turns::wake(state, conversation);
            }
            Ok(Sent::New(message))
        }
        Appended::Duplicate(message) => {
            // The first send may have been stored after its caller stopped waiting, before it
            // woke the bot: a retry makes sure the turn is taken (nothing pending, no work).
            super::turns::wake(state, conversation);
            Ok(Sent::Repeated(message))
        }
        Appended::OwnerMoved => {
            Err(ApiError::Internal(anyhow::anyhow!("an unguarded append reported an owner change")))
        }
    }
}

/// The details a contact leaves, checked.
fn lead(email: &str, name: Option<&str>, message: Option<&str>) -> ApiResult<Lead> {
    Ok(Lead {
        email: Email::parse(email)?,
        name: optional_text("name", name, NAME_MAX_CHARS)?,
        message: optional_text("message", message, MessageText::MAX_CHARS)?,
    })
}

/// The contact leaves their details while nobody is available: the handoff becomes a ticket.
pub async fn capture_lead(
    state: &AppState,
    conversation: ConversationId,
    email: &str,
    name: Option<&str>,
    message: Option<&str>,
) -> ApiResult<Handoff> {
    let lead = lead(email, name, message)?;
    let refused = || ApiError::conflict("not_offline", "a lead can be left only while the team is offline");
    let offline = |state: HandoffState| state == HandoffState::Offline;
    leave_details(state, conversation, offline, refused, Command::CaptureLead { lead }).await
}

/// While waiting for a person, the contact chooses to be answered by email instead of staying
/// in the chat: the handoff keeps its place in the queue and holds the address, and the team's
/// replies are mailed there while the chat is not open (see `crate::email`).
pub async fn follow_up_by_email(
    state: &AppState,
    conversation: ConversationId,
    email: &str,
    name: Option<&str>,
    message: Option<&str>,
) -> ApiResult<Handoff> {
    let lead = lead(email, name, message)?;
    let refused = || {
        ApiError::conflict("not_waiting", "an email follow-up can be chosen only while waiting in the queue")
    };
    let waiting = |state: HandoffState| matches!(state, HandoffState::Queued | HandoffState::Offered);
    leave_details(state, conversation, waiting, refused, Command::FollowUpBy { lead }).await
}

/// Applies `command` (the contact leaving their details) to the open handoff when its state
/// allows it, thanking the contact in their language; `refused` otherwise.
async fn leave_details(
    state: &AppState,
    conversation: ConversationId,
    allowed: impl Fn(HandoffState) -> bool,
    refused: impl FnOnce() -> ApiError,
    command: Command,
) -> ApiResult<Handoff> {
    let conv = load(state, conversation).await?;
    let bot = bot_of(state, &conv).await?;
    let open = state.store.open_handoff(conversation).await?;
    let Some(open) = open.filter(|h| allowed(h.value.state)) else { return Err(refused()) };
    let thanks = bot.settings.policy.messages_for(conv.language.as_deref()).lead_success;
    apply_command(
        state,
        open.value.id,
        |_| Ok(command.clone()),
        |_, _| vec![system_message(state, conversation, thanks.clone())],
    )
    .await
}

/// Whether the contact was asked to rate the last handoff and has not yet.
pub async fn feedback_pending(state: &AppState, conversation: ConversationId) -> ApiResult<bool> {
    let latest = state.store.latest_handoff(conversation).await?.map(|h| h.value);
    Ok(latest.is_some_and(|h| h.state == HandoffState::Closed && h.feedback_requested && h.rating.is_none()))
}

/// The contact wrote while their ticket is open: tell them it was added to the ticket, once
/// for a run of messages (not again while the last thing Baton said was this).
pub async fn added_to_ticket(
    state: &AppState,
    conversation: &Conversation,
    policy: &baton_core::policy::Policy,
    ticket: &Handoff,
    history: &[baton_core::message::Message],
    message: &baton_core::message::Message,
) -> ApiResult<()> {
    let text = policy.messages_for(conversation.language.as_deref()).ticket_added;
    let told = history
        .iter()
        .rev()
        .filter(|m| m.seq < message.seq && !m.note)
        .find(|m| m.author.kind != AuthorKind::Contact)
        .is_some_and(|m| m.text == text);
    if told || ticket.state != HandoffState::Ticket {
        return Ok(());
    }
    // Only while the conversation is still the ticket's (the bot's): a user who claimed it
    // meanwhile answers themselves.
    let guard = OwnerGuard::Must(baton_core::conversation::Owner::Bot);
    state.store.append_message(system_message(state, conversation.id, text), guard).await?;
    Ok(())
}

/// The contact rates the human part of the most recent handoff.
pub async fn give_feedback(
    state: &AppState,
    conversation: ConversationId,
    rating: Rating,
    comment: Option<&str>,
) -> ApiResult<Handoff> {
    let comment = optional_text("comment", comment, COMMENT_MAX_CHARS)?;
    let conv = load(state, conversation).await?;
    let bot = bot_of(state, &conv).await?;
    let latest = state.store.latest_handoff(conversation).await?;
    let Some(latest) = latest else {
        return Err(ApiError::conflict(
            "feedback_not_pending",
            "no feedback is pending for this conversation",
        ));
    };
    let thanks = bot.settings.policy.messages_for(conv.language.as_deref()).feedback_thanks;
    apply_command(
        state,
        latest.value.id,
        |_| Ok(Command::RecordFeedback { rating, comment: comment.clone() }),
        |_, _| vec![bot_message(state, conversation, thanks.clone())],
    )
    .await
}
