//! Bots: admins read and change their settings (AI backend, policy) and issue API keys; an
//! external bot uses its key to answer and hand off in its own conversations.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_ai::webhook::HandoffAnswer;
use baton_core::backend::ReasonCode;
use baton_core::handoff::{Handoff, Priority};
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::Message;
use baton_core::policy::BotSettings;
use baton_core::values::MessageText;
use baton_store::Bot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::contact::SendMessage;
use crate::auth::{Admin, CurrentBot};
use crate::error::{ApiJson, ApiPath, ApiResult, Problem};
use crate::service::{Sent, bots, trial};
use crate::state::SharedState;

/// A bot as admins read it: secrets in its settings are shown as `********`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BotView {
    pub id: BotId,
    pub name: String,
    pub is_default: bool,
    /// Greeting, FAQ, AI backend and handoff policy.
    #[schema(value_type = Object)]
    pub settings: BotSettings,
}

impl From<Bot> for BotView {
    fn from(bot: Bot) -> Self {
        Self { id: bot.id, name: bot.name, is_default: bot.is_default, settings: bot.settings.redacted() }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BotForm {
    pub name: String,
    /// Missing fields take their defaults.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub settings: BotSettings,
}

/// Every bot.
#[utoipa::path(get, path = "/v1/bots", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<BotView>), (status = 403, body = Problem)))]
pub async fn list_bots(State(state): State<SharedState>, _admin: Admin) -> ApiResult<Json<Vec<BotView>>> {
    Ok(Json(state.store.bots().await?.into_iter().map(BotView::from).collect()))
}

/// Creates a bot.
#[utoipa::path(post, path = "/v1/bots", tag = "admin", request_body = BotForm, security(("bearer" = [])),
    responses((status = 201, body = BotView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_bot(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiJson(form): ApiJson<BotForm>,
) -> ApiResult<(StatusCode, Json<BotView>)> {
    let bot = bots::create(&state, &admin, &form.name, form.settings).await?;
    Ok((StatusCode::CREATED, Json(bot.into())))
}

/// One bot.
#[utoipa::path(get, path = "/v1/bots/{id}", tag = "admin", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = BotView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_bot(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<BotId>,
) -> ApiResult<Json<BotView>> {
    Ok(Json(bots::get(&state, id).await?.into()))
}

/// Replaces a bot's name and settings. Secrets sent back as `********` keep their value.
#[utoipa::path(put, path = "/v1/bots/{id}", tag = "admin", params(("id" = String, Path)), request_body = BotForm,
    security(("bearer" = [])),
    responses((status = 200, body = BotView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_bot(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<BotId>,
    ApiJson(form): ApiJson<BotForm>,
) -> ApiResult<Json<BotView>> {
    Ok(Json(bots::update(&state, &admin, id, &form.name, form.settings).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    /// Send as `Authorization: Bearer <api_key>`; shown only this once.
    pub api_key: String,
}

/// Issues a new API key for the bot, for an external bot to call the bot API; any earlier key
/// stops working.
#[utoipa::path(post, path = "/v1/bots/{id}/api-key", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 201, body = ApiKey), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn rotate_api_key(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<BotId>,
) -> ApiResult<(StatusCode, Json<ApiKey>)> {
    let api_key = bots::rotate_api_key(&state, &admin, id).await?;
    Ok((StatusCode::CREATED, Json(ApiKey { api_key })))
}

/// The languages a policy may name, and Baton's built-in messages in each.
#[derive(Debug, Serialize, ToSchema)]
pub struct Catalog {
    pub languages: Vec<&'static str>,
    /// Language → the texts a policy's `messages` entry for it replaces.
    #[schema(value_type = Object)]
    pub messages: BTreeMap<&'static str, baton_core::policy::PolicyMessages>,
}

/// The languages Baton speaks and its built-in messages in each, which a policy's `messages`
/// replace (the console shows them as placeholders).
#[utoipa::path(get, path = "/v1/catalog", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Catalog), (status = 403, body = Problem)))]
pub async fn catalog(_admin: Admin) -> Json<Catalog> {
    let languages = baton_core::catalog::LANGUAGES.to_vec();
    let messages =
        languages.iter().map(|&language| (language, baton_core::catalog::messages(language))).collect();
    Json(Catalog { languages, messages })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialForm {
    /// The conversation to judge, oldest first; its last contact message is the one judged
    /// (at most 20 lines).
    pub messages: Vec<trial::TrialLine>,
    /// The conversation's language; detected among the policy's languages when absent.
    pub language: Option<String>,
    /// Settings to try instead of the saved ones (the editor's unsaved changes); checked as
    /// saving them would be.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<BotSettings>,
}

/// What the bot's policy would do with a conversation: which trigger fires with its
/// evidence, the summary, priority and gathered details, and where it would be routed right
/// now (who is eligible, or why it would go offline). Uses the real trigger engine and
/// routing; changes nothing and calls no AI backend.
#[utoipa::path(post, path = "/v1/bots/{id}/trial", tag = "admin", params(("id" = String, Path)),
    request_body = TrialForm, security(("bearer" = [])),
    responses((status = 200, body = trial::Trial), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn try_bot(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<BotId>,
    ApiJson(form): ApiJson<TrialForm>,
) -> ApiResult<Json<trial::Trial>> {
    let bot = bots::get(&state, id).await?;
    Ok(Json(trial::run(&state, &bot, form.settings, form.messages, form.language).await?))
}

/// An external bot answers in one of its conversations (while the bot owns it). 201 when
/// stored, 200 when `client_id` repeats an earlier send, 409 when a human has it.
#[utoipa::path(post, path = "/v1/bot/conversations/{id}/messages", tag = "bot", params(("id" = String, Path)),
    request_body = SendMessage, security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 200, body = Message), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn bot_message(
    State(state): State<SharedState>,
    CurrentBot(bot): CurrentBot,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(body): ApiJson<SendMessage>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let text = MessageText::parse(body.text)?;
    Ok(match bots::say(&state, &bot, id, text, body.client_id).await? {
        Sent::New(message) => (StatusCode::CREATED, Json(message)),
        Sent::Repeated(message) => (StatusCode::OK, Json(message)),
    })
}

/// An external bot's request for a human, with what it knows.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BotHandoff {
    #[schema(value_type = Option<String>, example = "missing_knowledge")]
    pub reason_code: Option<ReasonCode>,
    /// One sentence for the human who takes over.
    #[serde(default)]
    pub reason: String,
    pub priority: Option<Priority>,
    /// Sent to the contact first, in their language.
    pub message: Option<String>,
    pub summary: Option<String>,
    /// Values of the policy's fields to gather; invalid ones are asked again.
    #[serde(default)]
    pub gathered: BTreeMap<String, String>,
}

/// An external bot hands one of its conversations to a human.
#[utoipa::path(post, path = "/v1/bot/conversations/{id}/handoff", tag = "bot", params(("id" = String, Path)),
    request_body = BotHandoff, security(("bearer" = [])),
    responses((status = 201, body = Handoff), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn bot_handoff(
    State(state): State<SharedState>,
    CurrentBot(bot): CurrentBot,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(body): ApiJson<BotHandoff>,
) -> ApiResult<(StatusCode, Json<Handoff>)> {
    let answer = HandoffAnswer {
        reason_code: body.reason_code,
        reason: body.reason,
        priority: body.priority,
        message: body.message,
        summary: body.summary,
        gathered: body.gathered,
    };
    let handoff = bots::hand_off(&state, &bot, id, answer).await?;
    Ok((StatusCode::CREATED, Json(handoff)))
}
