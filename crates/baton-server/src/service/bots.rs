//! Bots: their settings (admins), and an external bot acting in its conversations through
//! the API with its key.

use baton_ai::webhook::HandoffAnswer;
use baton_core::backend::MAX_RETRIES;
use baton_core::conversation::Owner;
use baton_core::handoff::Handoff;
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::{Author, AuthorKind};
use baton_core::policy::BotSettings;
use baton_core::user::User;
use baton_core::values::MessageText;
use baton_store::{Bot, OwnerGuard};

use super::conversations::load;
use super::{Sent, ai, audit, send};
use crate::auth::{BOT_KEY_PREFIX, hash_token, new_token};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const BOT_NAME_MAX_CHARS: usize = 200;

pub(super) fn checked(name: &str, settings: &BotSettings) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > BOT_NAME_MAX_CHARS {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("name: must be 1 to {BOT_NAME_MAX_CHARS} characters"),
        });
    }
    if settings.policy.ai_failure.retries > MAX_RETRIES {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("policy.ai_failure.retries: at most {MAX_RETRIES}"),
        });
    }
    if let Some(problem) = settings.identity_problem() {
        return Err(ApiError::Unprocessable { code: "validation_failed", detail: problem });
    }
    if let Some(problem) = settings.content_problem() {
        return Err(ApiError::Unprocessable { code: "validation_failed", detail: problem });
    }
    if let Some(problem) = settings.policy.language_problem() {
        return Err(ApiError::Unprocessable { code: "validation_failed", detail: problem });
    }
    if let Some(problem) = settings.policy.routing_problem() {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("policy.{problem}"),
        });
    }
    if let Some(problem) = settings.backend.problem() {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("backend: {problem}"),
        });
    }
    Ok(name.to_owned())
}

pub async fn create(state: &AppState, by: &User, name: &str, settings: BotSettings) -> ApiResult<Bot> {
    let name = checked(name, &settings)?;
    let bot = Bot { id: state.new_id(), name, is_default: false, settings, created_at: state.now() };
    state.store.create_bot(bot.clone()).await?;
    audit::record(state, Some(by), "bot.created", None, Some(&bot)).await?;
    Ok(bot)
}

pub async fn get(state: &AppState, id: BotId) -> ApiResult<Bot> {
    state.store.bot(id).await?.ok_or(ApiError::NotFound { what: "bot" })
}

/// Replaces a bot's name and settings. Secrets sent back as read (redacted) keep their
/// stored value, so a read-modify-write round trip does not erase them.
pub async fn update(
    state: &AppState,
    by: &User,
    id: BotId,
    name: &str,
    mut settings: BotSettings,
) -> ApiResult<Bot> {
    let stored = get(state, id).await?;
    settings.keep_secrets_from(&stored.settings);
    let name = checked(name, &settings)?;
    let bot =
        state.store.update_bot(id, &name, &settings).await?.ok_or(ApiError::NotFound { what: "bot" })?;
    audit::record(state, Some(by), "bot.updated", Some(&stored), Some(&bot)).await?;
    Ok(bot)
}

/// A new API key for the bot, replacing any earlier one; shown only this once.
pub async fn rotate_api_key(state: &AppState, by: &User, id: BotId) -> ApiResult<String> {
    let bot = get(state, id).await?;
    let key = new_token(BOT_KEY_PREFIX);
    if !state.store.set_bot_api_key(id, &hash_token(&key)).await? {
        return Err(ApiError::NotFound { what: "bot" });
    }
    audit::record_changes(state, Some(by), "bot.api_key_issued", audit::Audited::subject(&bot), Vec::new())
        .await?;
    Ok(key)
}

/// The conversation, if it is `bot`'s; others look like they do not exist.
async fn own_conversation(
    state: &AppState,
    bot: &Bot,
    id: ConversationId,
) -> ApiResult<baton_store::Conversation> {
    let conversation = load(state, id).await?;
    if conversation.bot_id != bot.id {
        return Err(ApiError::NotFound { what: "conversation" });
    }
    Ok(conversation)
}

fn not_bot_owned() -> ApiError {
    ApiError::conflict("not_bot_owned", "a human has this conversation now; the bot may not write into it")
}

/// An external bot answers in one of its conversations, while the bot owns it.
pub async fn say(
    state: &AppState,
    bot: &Bot,
    conversation: ConversationId,
    text: MessageText,
    client_id: Option<String>,
) -> ApiResult<Sent> {
    own_conversation(state, bot, conversation).await?;
    let author = Author::of_kind(AuthorKind::Bot);
    send(state, conversation, author, text, client_id, OwnerGuard::Must(Owner::Bot), None)
        .await?
        .ok_or_else(not_bot_owned)
}

/// An external bot hands one of its conversations to a human.
pub async fn hand_off(
    state: &AppState,
    bot: &Bot,
    conversation: ConversationId,
    answer: HandoffAnswer,
) -> ApiResult<Handoff> {
    let conversation = own_conversation(state, bot, conversation).await?;
    if conversation.owner != Owner::Bot {
        return Err(not_bot_owned());
    }
    ai::hand_off(state, &conversation, answer.into()).await
}
