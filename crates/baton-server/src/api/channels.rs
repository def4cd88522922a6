//! Channels, for admins, and each channel's webhook, for its provider. See `crate::channels`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use baton_core::channel::{ChannelKind, SendStatus};
use baton_core::ids::{BotId, ChannelDeliveryId, ChannelId, ConversationId, MessageId};
use baton_core::time::Timestamp;
use baton_store::{Channel, ChannelDelivery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Admin;
use crate::error::{ApiJson, ApiPath, ApiQuery, ApiResult, Problem};
use crate::service::channels::{self, ChannelForm};
use crate::service::inbound;
use crate::state::SharedState;

/// A channel as admins read it: secrets show as `********`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelView {
    pub id: ChannelId,
    pub kind: ChannelKind,
    pub bot_id: BotId,
    pub name: String,
    /// The provider's settings (see docs/channels.md), secrets hidden.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    pub enabled: bool,
    /// The URL to give the provider for its notifications.
    pub webhook_url: String,
    #[schema(value_type = i64)]
    pub created_at: Timestamp,
}

impl ChannelView {
    fn of(state: &SharedState, channel: Channel) -> Self {
        Self {
            webhook_url: format!("{}/v1/channels/{}/webhook", state.settings.public_base_url(), channel.id),
            id: channel.id,
            kind: channel.kind(),
            bot_id: channel.bot_id,
            name: channel.name,
            settings: serde_json::to_value(channel.settings.redacted()).unwrap_or_default(),
            enabled: channel.enabled,
            created_at: channel.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelBody {
    /// `whatsapp`, `sms`, `email`, `slack`, `voice` or `freshchat`.
    pub kind: String,
    /// The bot that answers on the channel.
    pub bot_id: BotId,
    /// Shown in the console; defaults to the kind and number.
    #[serde(default)]
    pub name: Option<String>,
    /// The provider's settings; a secret read back as `********` keeps its stored value.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    /// Defaults to `true`; a disabled channel takes no messages in and sends none out.
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl From<ChannelBody> for ChannelForm {
    fn from(body: ChannelBody) -> Self {
        Self {
            kind: body.kind,
            bot_id: body.bot_id,
            name: body.name,
            settings: body.settings,
            enabled: body.enabled,
        }
    }
}

/// Every channel.
#[utoipa::path(get, path = "/v1/channels", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<ChannelView>), (status = 403, body = Problem)))]
pub async fn list_channels(
    State(state): State<SharedState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<ChannelView>>> {
    let channels = channels::list(&state).await?;
    Ok(Json(channels.into_iter().map(|channel| ChannelView::of(&state, channel)).collect()))
}

/// Adds a channel to a bot.
#[utoipa::path(post, path = "/v1/channels", tag = "admin", request_body = ChannelBody, security(("bearer" = [])),
    responses((status = 201, body = ChannelView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_channel(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiJson(body): ApiJson<ChannelBody>,
) -> ApiResult<(StatusCode, Json<ChannelView>)> {
    let channel = channels::create(&state, &admin, body.into()).await?;
    Ok((StatusCode::CREATED, Json(ChannelView::of(&state, channel))))
}

/// One channel.
#[utoipa::path(get, path = "/v1/channels/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ChannelView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_channel(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<ChannelId>,
) -> ApiResult<Json<ChannelView>> {
    Ok(Json(ChannelView::of(&state, channels::get(&state, id).await?)))
}

/// Replaces a channel's bot, name, settings or whether it is enabled; its kind stays.
#[utoipa::path(put, path = "/v1/channels/{id}", tag = "admin", params(("id" = String, Path)),
    request_body = ChannelBody, security(("bearer" = [])),
    responses((status = 200, body = ChannelView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn put_channel(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<ChannelId>,
    ApiJson(body): ApiJson<ChannelBody>,
) -> ApiResult<Json<ChannelView>> {
    Ok(Json(ChannelView::of(&state, channels::update(&state, &admin, id, body.into()).await?)))
}

/// Deletes a channel and its send log; its conversations stay.
#[utoipa::path(delete, path = "/v1/channels/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_channel(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<ChannelId>,
) -> ApiResult<StatusCode> {
    channels::delete(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A message sent to a contact on the channel, and how it went.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelDeliveryView {
    pub id: ChannelDeliveryId,
    pub conversation_id: ConversationId,
    pub message_id: MessageId,
    pub recipient: String,
    pub text: String,
    /// The WhatsApp template the text went as, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<baton_core::channel::TemplateUse>,
    /// `pending` until the provider takes it, then what the provider reported.
    pub status: SendStatus,
    pub attempts: u32,
    /// While pending: when the next attempt is due.
    #[schema(value_type = Option<i64>)]
    pub next_attempt_at: Option<Timestamp>,
    #[schema(value_type = Option<i64>)]
    pub last_attempt_at: Option<Timestamp>,
    pub response_code: Option<u16>,
    /// What went wrong on the last attempt, or what the provider reported.
    pub error: Option<String>,
    /// The provider's id for the message (the first text's, when an SMS answer went as several).
    pub provider_message_id: Option<String>,
    /// On SMS: how many parts the carrier charges (GSM-7 or UCS-2, across every text sent).
    pub sms_segments: Option<usize>,
    #[schema(value_type = i64)]
    pub created_at: Timestamp,
}

impl ChannelDeliveryView {
    fn of(d: ChannelDelivery, kind: ChannelKind) -> Self {
        let sms_segments = (kind == ChannelKind::Sms).then(|| {
            baton_core::sms::split(&d.body).iter().map(|part| baton_core::sms::segments(part)).sum()
        });
        Self {
            sms_segments,
            id: d.id,
            conversation_id: d.conversation_id,
            message_id: d.message_id,
            recipient: d.recipient,
            text: d.body,
            template: d.template,
            next_attempt_at: d.next_attempt_at.filter(|_| d.status == SendStatus::Pending),
            status: d.status,
            attempts: d.attempts,
            last_attempt_at: d.last_attempt_at,
            response_code: d.response_code,
            error: d.error,
            provider_message_id: d.provider_message_id,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelDeliveryPage {
    pub deliveries: Vec<ChannelDeliveryView>,
    /// Pass as `before` for the next page; absent on the last.
    #[schema(value_type = Option<i64>)]
    pub next_before: Option<Timestamp>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChannelDeliveryQuery {
    /// Only messages queued before this instant (unix ms, from `next_before`).
    pub before: Option<i64>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u32>,
}

/// The channel's send log, newest first: every message sent to contacts, with its status.
#[utoipa::path(get, path = "/v1/channels/{id}/deliveries", tag = "admin", params(("id" = String, Path), ChannelDeliveryQuery),
    security(("bearer" = [])),
    responses((status = 200, body = ChannelDeliveryPage), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_channel_deliveries(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<ChannelId>,
    ApiQuery(query): ApiQuery<ChannelDeliveryQuery>,
) -> ApiResult<Json<ChannelDeliveryPage>> {
    let limit = query.limit.unwrap_or(50);
    let before = query.before.map(Timestamp::from_millis);
    let kind = channels::get(&state, id).await?.kind();
    let deliveries = channels::deliveries(&state, id, before, Some(limit)).await?;
    let next_before =
        (deliveries.len() == limit as usize).then(|| deliveries.last().map(|d| d.created_at)).flatten();
    let deliveries = deliveries.into_iter().map(|d| ChannelDeliveryView::of(d, kind)).collect();
    Ok(Json(ChannelDeliveryPage { deliveries, next_before }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct VerifyQuery {
    #[serde(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

/// The provider checks the webhook URL (WhatsApp: `hub.mode=subscribe`, `hub.verify_token`,
/// `hub.challenge`); the answer is the challenge, as plain text.
#[utoipa::path(get, path = "/v1/channels/{id}/webhook", tag = "channels", params(("id" = String, Path), VerifyQuery),
    responses((status = 200, body = String, content_type = "text/plain"), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn verify_channel_webhook(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ChannelId>,
    ApiQuery(query): ApiQuery<VerifyQuery>,
) -> ApiResult<String> {
    inbound::verify_webhook(
        &state,
        id,
        query.mode.as_deref(),
        query.verify_token.as_deref(),
        query.challenge.as_deref(),
    )
    .await
}

/// The provider's notifications: contact messages and the statuses of messages sent. Signed
/// (WhatsApp: `X-Hub-Signature-256`; Twilio: `X-Twilio-Signature`); a bad signature is refused
/// and nothing is stored. Twilio is answered with empty TwiML.
#[utoipa::path(post, path = "/v1/channels/{id}/webhook", tag = "channels", params(("id" = String, Path)),
    request_body(content = Object, description = "The provider's notification, as it sends it"),
    responses((status = 200), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn channel_webhook(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ChannelId>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<impl axum::response::IntoResponse> {
    let path_and_query = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    let call = inbound::WebhookCall { headers: &headers, path_and_query, body: &body };
    let answer = inbound::receive_webhook(&state, id, call).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, answer.content_type)], answer.body))
}
