//! The copilot: a reply drafted by the bot's LLM for the agent to edit and send. It reads the
//! conversation, the details gathered and the bot's instructions and FAQ, and writes in the
//! contact's language; nothing reaches the contact unless the agent sends it.

use std::time::Duration;

use baton_ai::{AiBackend, Backend};
use baton_core::backend::BackendSettings;
use baton_core::ids::ConversationId;
use baton_core::policy::BotSettings;
use baton_core::user::User;

use super::{access, ai, conversations};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How much of the conversation the draft reads.
const HISTORY: i64 = 40;
/// How long the agent waits for a draft at most.
const PATIENCE: Duration = Duration::from_secs(30);

/// Whether a bot with these settings can draft replies (it has an LLM backend).
pub fn available(settings: &BotSettings) -> bool {
    matches!(settings.backend, BackendSettings::OpenAi(_))
}

fn no_llm() -> ApiError {
    ApiError::conflict("no_llm", "this conversation's bot has no LLM backend to draft a reply with")
}

/// A draft reply in conversation `id`, for `user`, who may see it.
#[tracing::instrument(skip_all, fields(conversation = %id))]
pub async fn draft(state: &AppState, user: &User, id: ConversationId) -> ApiResult<String> {
    let conversation = conversations::load(state, id).await?;
    access::conversation(state, user, &conversation).await?;
    let bot = conversations::bot_of(state, &conversation).await?;
    if !available(&bot.settings) {
        return Err(no_llm());
    }
    let history =
        state.store.messages_after(id, (conversation.last_seq - HISTORY).max(0), false, HISTORY).await?;
    let gathered = state.store.latest_handoff(id).await?.map(|h| h.value.gathered).unwrap_or_default();
    let details =
        gathered.iter().map(|(key, value)| format!("{key}: {value}")).collect::<Vec<_>>().join("; ");
    let last = history.iter().rev().find(|m| m.author.kind == baton_core::message::AuthorKind::Contact);
    let text = last.map_or("", |m| m.text.as_str());
    let turn = ai::turn(&conversation, &bot.settings, &history, text);
    let backend = Backend::new(&bot.settings.backend, &state.http);
    match tokio::time::timeout(PATIENCE, backend.draft(turn, &details)).await {
        Ok(Ok(Some(text))) => Ok(ai::clip(&text)),
        Ok(Ok(None)) => Err(no_llm()),
        Ok(Err(error)) => {
            Err(ApiError::Unavailable { detail: format!("the AI could not write a draft: {error}") })
        }
        Err(_) => Err(ApiError::Unavailable { detail: "the AI took too long to write a draft".into() }),
    }
}
