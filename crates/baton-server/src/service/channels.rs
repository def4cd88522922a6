//! Channels: configured by admins, and the inbound side of each (see `crate::channels`).

use baton_core::channel::{
    ChannelKind, ChannelSettings, ConversationChannel, WHATSAPP_WINDOW_MS, WhatsappSettings,
    whatsapp_window_open,
};
use baton_core::contact::ContactClaim;
use baton_core::handoff::{Command, ContactInfo, Handoff, HandoffState, UserRef};
use baton_core::ids::{BotId, ChannelId, ConversationId, Id};
use baton_core::message::{Author, AuthorKind};
use baton_core::time::Timestamp;
use baton_core::user::User;
use baton_core::values::MessageText;
use baton_store::{
    Channel, ChannelDelivery, ContactLink, Conversation, NewConversation, NewMessage, OwnerGuard, StoreError,
};

use super::audit;
use crate::auth::{CONTACT_TOKEN_PREFIX, hash_token, new_token};
use crate::channels::whatsapp::{self, Notification};
use crate::channels::{Refused, slack, twilio};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, SharedState};

const MAX_NAME: usize = 100;
/// The most sends one page of the log holds.
pub const MAX_PAGE: u32 = 200;

/// A channel as an admin gives it.
pub struct ChannelForm {
    pub kind: String,
    pub bot_id: BotId,
    pub name: Option<String>,
    pub settings: serde_json::Value,
    pub enabled: Option<bool>,
}

impl ChannelForm {
    /// The channel these fields make; `stored` is the channel being changed, whose secrets a
    /// read-back form keeps (see [`ChannelSettings::keep_secrets_from`]).
    async fn checked(
        self,
        state: &AppState,
        stored: Option<&Channel>,
    ) -> ApiResult<(ChannelSettings, String, bool)> {
        let kind = ChannelKind::parse(&self.kind).ok_or_else(|| {
            ApiError::invalid(format!(
                "kind: one of {}",
                ChannelKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        if let Some(stored) = stored
            && stored.kind() != kind
        {
            return Err(ApiError::invalid(format!(
                "kind: a {} channel stays one; make a new channel instead",
                stored.kind().as_str()
            )));
        }
        if state.store.bot(self.bot_id).await?.is_none() {
            return Err(ApiError::Unprocessable {
                code: "unknown_bot",
                detail: format!("bot_id: no bot has the id {}", self.bot_id),
            });
        }
        let mut settings = ChannelSettings::parse(kind, self.settings).map_err(ApiError::invalid)?;
        if let Some(stored) = stored {
            settings.keep_secrets_from(&stored.settings);
        }
        if let Some(problem) = settings.problem() {
            return Err(ApiError::invalid(problem));
        }
        let called = match &settings {
            ChannelSettings::Whatsapp(s) => Some(("graph_url", &s.graph_url)),
            ChannelSettings::Sms(s) => Some(("api_url", &s.api_url)),
            ChannelSettings::Slack(s) => Some(("api_url", &s.api_url)),
            ChannelSettings::Voice(_) => None,
        };
        if let Some((field, url)) = called {
            baton_ai::outbound::check_url(url, state.settings.outbound.allow_private_addresses)
                .map_err(|blocked| ApiError::invalid(format!("settings.{field}: {blocked}")))?;
        }
        let name = self.name.unwrap_or_default().trim().to_owned();
        if name.chars().count() > MAX_NAME {
            return Err(ApiError::invalid(format!("name: at most {MAX_NAME} characters")));
        }
        let name = if name.is_empty() { default_name(&settings) } else { name };
        Ok((settings, name, self.enabled.unwrap_or(true)))
    }
}

fn default_name(settings: &ChannelSettings) -> String {
    match settings {
        ChannelSettings::Whatsapp(s) => format!("WhatsApp {}", s.phone_number_id),
        ChannelSettings::Sms(s) => format!("SMS {}", s.from),
        ChannelSettings::Slack(s) => format!("Slack {}", s.channel),
        ChannelSettings::Voice(s) => format!("Phone, forwarded to {}", s.forward_to),
    }
}

pub async fn create(state: &AppState, by: &User, form: ChannelForm) -> ApiResult<Channel> {
    let bot_id = form.bot_id;
    let (settings, name, enabled) = form.checked(state, None).await?;
    let channel = Channel { id: state.new_id(), bot_id, name, settings, enabled, created_at: state.now() };
    state.store.create_channel(&channel).await?;
    audit::record(state, Some(by), "channel.created", None, Some(&channel)).await?;
    Ok(channel)
}

pub async fn get(state: &AppState, id: ChannelId) -> ApiResult<Channel> {
    state.store.channel(id).await?.ok_or(ApiError::NotFound { what: "channel" })
}

pub async fn list(state: &AppState) -> ApiResult<Vec<Channel>> {
    Ok(state.store.channels().await?)
}

pub async fn update(state: &AppState, by: &User, id: ChannelId, form: ChannelForm) -> ApiResult<Channel> {
    let before = get(state, id).await?;
    let bot_id = form.bot_id;
    let (settings, name, enabled) = form.checked(state, Some(&before)).await?;
    let channel = Channel { bot_id, name, settings, enabled, ..before.clone() };
    if !state.store.update_channel(&channel).await? {
        return Err(ApiError::NotFound { what: "channel" });
    }
    audit::record(state, Some(by), "channel.updated", Some(&before), Some(&channel)).await?;
    Ok(channel)
}

pub async fn delete(state: &AppState, by: &User, id: ChannelId) -> ApiResult<()> {
    let before = get(state, id).await?;
    if !state.store.delete_channel(id).await? {
        return Err(ApiError::NotFound { what: "channel" });
    }
    audit::record(state, Some(by), "channel.deleted", Some(&before), None).await?;
    Ok(())
}

/// A page of the channel's send log, newest first.
pub async fn deliveries(
    state: &AppState,
    id: ChannelId,
    before: Option<Timestamp>,
    limit: Option<u32>,
) -> ApiResult<Vec<ChannelDelivery>> {
    get(state, id).await?;
    let limit = limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::invalid(format!("limit: between 1 and {MAX_PAGE}")));
    }
    Ok(state.store.channel_deliveries(id, before, i64::from(limit)).await?)
}

/// An enabled channel, for its webhook.
async fn open_channel(state: &AppState, id: ChannelId) -> ApiResult<Channel> {
    let channel = get(state, id).await?;
    if !channel.enabled {
        return Err(ApiError::conflict("channel_disabled", "the channel is disabled"));
    }
    Ok(channel)
}

/// The provider's check of the webhook's URL: the challenge to answer with.
pub async fn verify_webhook(
    state: &AppState,
    id: ChannelId,
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&str>,
) -> ApiResult<String> {
    let channel = open_channel(state, id).await?;
    let ChannelSettings::Whatsapp(settings) = &channel.settings else {
        return Err(ApiError::NotFound { what: "verification for this kind of channel" });
    };
    whatsapp::challenge(settings, mode, token, challenge).map(str::to_owned).ok_or_else(|| {
        ApiError::Forbidden {
            code: "verification_failed",
            detail: "hub.mode must be subscribe and hub.verify_token the channel's verify_token".into(),
        }
    })
}

/// A call of a channel's webhook, as it arrived.
pub struct WebhookCall<'a> {
    pub headers: &'a axum::http::HeaderMap,
    /// The path and query Baton was called on (Twilio signs the whole URL).
    pub path_and_query: &'a str,
    pub body: &'a [u8],
}

/// What to answer the provider: Twilio wants TwiML, Slack its challenge, Meta anything with 200.
pub struct WebhookAnswer {
    pub content_type: &'static str,
    pub body: String,
}

fn refused(refused: Refused) -> ApiError {
    match refused {
        Refused::BadSignature => ApiError::Forbidden {
            code: "bad_signature",
            detail: "the request's signature does not match it: it is not from the channel's provider".into(),
        },
        Refused::Malformed(why) => ApiError::invalid(format!("the notification does not read: {why}")),
    }
}

/// A notification from the provider: checked, then each contact message stored, each status
/// recorded. Nothing is stored unless the signature holds and the whole body reads.
pub async fn receive_webhook(
    state: &SharedState,
    id: ChannelId,
    call: WebhookCall<'_>,
) -> ApiResult<WebhookAnswer> {
    let channel = open_channel(state, id).await?;
    let header = |name: &str| call.headers.get(name).and_then(|v| v.to_str().ok());
    match &channel.settings {
        ChannelSettings::Whatsapp(settings) => {
            let notification =
                whatsapp::verify_signature(&settings.app_secret, header("x-hub-signature-256"), call.body)
                    .and_then(|()| whatsapp::parse(call.body, &settings.phone_number_id))
                    .map_err(refused)?;
            take_whatsapp(state, &channel, settings, notification).await?;
            Ok(WebhookAnswer { content_type: "text/plain", body: String::new() })
        }
        ChannelSettings::Sms(settings) => {
            let fields = twilio_fields(state, &call, &settings.auth_token)?;
            match twilio::parse(&fields).map_err(refused)? {
                twilio::Notification::Incoming { sid, from, text } => {
                    let from = from.strip_prefix('+').unwrap_or(&from);
                    take_message(state, &channel, from, None, &sid, &text).await?;
                }
                twilio::Notification::Status { sid, status, error } => {
                    state.store.report_channel_status(channel.id, &sid, status, error.as_deref()).await?;
                }
                twilio::Notification::Other => {}
            }
            Ok(WebhookAnswer { content_type: "text/xml", body: "<Response></Response>".into() })
        }
        ChannelSettings::Voice(settings) => {
            let fields = twilio_fields(state, &call, &settings.auth_token)?;
            let voice = twilio::voice_call(&fields).map_err(refused)?;
            let Some(caller) = baton_core::channel::phone_address(voice.from.trim_start_matches('+')) else {
                return Err(ApiError::invalid("From: the caller's number is withheld or not a phone number"));
            };
            let conversation = conversation_of(state, &channel, &caller, None).await?;
            let step = call
                .path_and_query
                .split_once('?')
                .and_then(|(_, query)| query.split('&').find_map(|pair| pair.strip_prefix("step=")));
            let twiml = super::voice::answer(state, &channel, settings, &conversation, voice, step).await?;
            Ok(WebhookAnswer { content_type: "text/xml", body: twiml })
        }
        ChannelSettings::Slack(settings) => {
            slack::verify_signature(
                &settings.signing_secret,
                header("x-slack-request-timestamp"),
                header("x-slack-signature"),
                call.body,
                state.now(),
            )
            .map_err(refused)?;
            let answer = super::slack::take_call(
                state,
                &channel,
                settings,
                slack::parse(header("content-type"), call.body).map_err(refused)?,
            )
            .await?;
            Ok(WebhookAnswer { content_type: "text/plain", body: answer })
        }
    }
}

/// A Twilio call's form fields, once its signature holds for one of the URLs it may have
/// called: the one under `public_url`, or the one the `Host` header names.
fn twilio_fields(
    state: &AppState,
    call: &WebhookCall<'_>,
    auth_token: &str,
) -> ApiResult<Vec<(String, String)>> {
    let fields = twilio::fields(call.body).map_err(refused)?;
    let mut urls = vec![format!("{}{}", state.settings.public_base_url(), call.path_and_query)];
    if let Some(host) = call.headers.get("host").and_then(|v| v.to_str().ok()) {
        urls.push(format!("https://{host}{}", call.path_and_query));
        urls.push(format!("http://{host}{}", call.path_and_query));
    }
    let signature = call.headers.get("x-twilio-signature").and_then(|v| v.to_str().ok());
    twilio::verify_signature(auth_token, signature, &urls, &fields).map_err(refused)?;
    Ok(fields)
}

async fn take_whatsapp(
    state: &SharedState,
    channel: &Channel,
    settings: &WhatsappSettings,
    notification: Notification,
) -> ApiResult<()> {
    for message in notification.messages {
        if let Some(media) = &message.media
            && take_file(state, channel, settings, &message, media).await?
        {
            continue;
        }
        take_message(state, channel, &message.from, message.profile_name, &message.id, &message.text).await?;
    }
    for report in notification.statuses {
        state
            .store
            .report_channel_status(channel.id, &report.id, report.status, report.error.as_deref())
            .await?;
    }
    for echo in notification.echoes {
        take_echo(state, channel, echo).await?;
    }
    Ok(())
}

/// The `client_id` prefix of a message a person already sent by other means (from the
/// business phone): it is recorded, and the channel sends it nowhere.
pub const ECHO_CLIENT_ID_PREFIX: &str = "echo:";

/// A person answered from the business phone itself (WhatsApp's coexistence echoes): that is a
/// takeover. The bot stops, the chat is live with "the business phone" (closing it in the inbox
/// gives it back to the bot), and the message joins the transcript, not sent again.
async fn take_echo(state: &AppState, channel: &Channel, echo: whatsapp::Echo) -> ApiResult<()> {
    let Some(address) = baton_core::channel::phone_address(&echo.to) else { return Ok(()) };
    let Ok(text) = MessageText::parse(echo.text.chars().take(MessageText::MAX_CHARS).collect::<String>())
    else {
        return Ok(());
    };
    let conversation = conversation_of(state, channel, &address, None).await?;
    // The phone stands in as the assignee, under the channel's id: no user holds it.
    let phone = UserRef {
        id: Id::from_uuid(channel.id.as_uuid()),
        name: format!("{} (business phone)", channel.name),
    };
    let author = Author { kind: AuthorKind::User, id: None, name: Some(phone.name.clone()) };
    let message = NewMessage {
        client_id: Some(format!("{ECHO_CLIENT_ID_PREFIX}{}", client_id(&echo.id))),
        ..super::new_message(state, conversation.id, author, text.into_string())
    };
    let open = state.store.open_handoff(conversation.id).await?.map(|h| h.value);
    let handoff = match open {
        None => {
            let transition = Handoff::take_over(
                state.new_id(),
                conversation.id,
                phone.clone(),
                conversation.contact.clone(),
                state.now(),
            );
            match super::commit_transition(state, None, transition, vec![message.clone()]).await {
                Ok((saved, _)) => Some(saved.value),
                // A handoff opened meanwhile: the message is recorded below.
                Err(StoreError::Conflict(_)) => {
                    state.store.open_handoff(conversation.id).await?.map(|h| h.value)
                }
                Err(other) => return Err(other.into()),
            }
        }
        Some(waiting)
            if matches!(
                waiting.state,
                HandoffState::Queued | HandoffState::Offered | HandoffState::Offline | HandoffState::Ticket
            ) =>
        {
            let user = phone.clone();
            Some(
                super::apply_command(
                    state,
                    waiting.id,
                    |_| Ok(Command::Assign { user: user.clone() }),
                    |_, _| Vec::new(),
                )
                .await?,
            )
        }
        other => other,
    };
    // Stored once, whichever way came first (a repeated notification finds it by client_id).
    state.store.append_message(message, OwnerGuard::Anyone).await?;
    if let Some(handoff) = handoff.filter(|h| h.state == HandoffState::Live && h.first_response_at.is_none())
    {
        super::apply_command(state, handoff.id, |_| Ok(Command::RecordFirstResponse), |_, _| Vec::new())
            .await?;
    }
    Ok(())
}

/// A file a contact sent on WhatsApp, fetched and sent into the chat as a file of its own, its
/// caption as a message after it. `false` when it cannot be (the Graph API failing, a type or
/// size `[attachments]` refuses): the caller stores the line naming it instead, so the team
/// still knows something came.
async fn take_file(
    state: &SharedState,
    channel: &Channel,
    settings: &WhatsappSettings,
    message: &whatsapp::Incoming,
    media: &whatsapp::Media,
) -> ApiResult<bool> {
    let Some(address) = baton_core::channel::phone_address(&message.from) else { return Ok(false) };
    let timeout = std::time::Duration::from_secs(state.settings.channels.timeout_seconds);
    let (bytes, content_type) = match whatsapp::download(&state.http, settings, &media.id, timeout).await {
        Ok(file) => file,
        Err(why) => {
            tracing::warn!(channel = %channel.id, %why, "a WhatsApp file could not be fetched");
            return Ok(false);
        }
    };
    let conversation = conversation_of(state, channel, &address, message.profile_name.clone()).await?;
    let caller = crate::auth::Caller::Contact;
    let id = client_id(&message.id);
    let sent = super::attachments::send(
        state,
        conversation.id,
        &caller,
        &media.name,
        &content_type,
        bytes,
        Some(id.clone()),
    )
    .await;
    match sent {
        Ok(_) => {}
        Err(ApiError::Internal(error)) => return Err(ApiError::Internal(error)),
        Err(refused) => {
            tracing::info!(channel = %channel.id, %refused, "a WhatsApp file was not kept");
            return Ok(false);
        }
    }
    if let Some(caption) = media.caption.as_deref().and_then(|c| MessageText::parse(c.to_owned()).ok()) {
        let caption_id = format!("{id}:caption");
        super::conversations::contact_message(state, conversation.id, caption, Some(caption_id), None)
            .await?;
    }
    Ok(true)
}

/// Stores a contact's message from `from` (a phone number's digits), in its conversation.
async fn take_message(
    state: &SharedState,
    channel: &Channel,
    from: &str,
    name: Option<String>,
    provider_id: &str,
    text: &str,
) -> ApiResult<()> {
    let Some(address) = baton_core::channel::phone_address(from) else {
        tracing::warn!(channel = %channel.id, "a message from an address that is not a phone number");
        return Ok(());
    };
    let conversation = conversation_of(state, channel, &address, name).await?;
    // What a phone sends is stored as it came, but for control characters nobody typed
    // (PostgreSQL cannot store U+0000) and what passes a message's length.
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(MessageText::MAX_CHARS)
        .collect();
    let Ok(text) = MessageText::parse(text) else {
        tracing::info!(channel = %channel.id, "an empty message was left out");
        return Ok(());
    };
    super::conversations::contact_message(state, conversation.id, text, Some(client_id(provider_id)), None)
        .await?;
    Ok(())
}

/// A provider's message id as a `client_id` (at most 100 characters: a longer one is hashed).
fn client_id(provider_id: &str) -> String {
    if provider_id.len() <= 100 { provider_id.to_owned() } else { hash_token(provider_id) }
}

/// The conversation of `address` on the channel, started when it has none.
async fn conversation_of(
    state: &AppState,
    channel: &Channel,
    address: &str,
    name: Option<String>,
) -> ApiResult<Conversation> {
    if let Some(conversation) = state.store.channel_conversation(channel.id, address).await? {
        return Ok(conversation);
    }
    let name = name.map(|n| n.trim().chars().take(super::conversations::NAME_MAX_CHARS).collect::<String>());
    let name =
        name.filter(|n| !n.is_empty() && baton_core::values::reject_control_characters("name", n).is_ok());
    let claim =
        ContactClaim { name: name.clone(), phone: Some(address.to_owned()), ..ContactClaim::default() };
    let new = NewConversation {
        id: state.new_id(),
        bot_id: channel.bot_id,
        // Nobody holds this token: the contact writes through the provider, not the API.
        token_hash: hash_token(&new_token(CONTACT_TOKEN_PREFIX)),
        contact: ContactInfo { name, email: None },
        locale: None,
        language: None,
        created_at: state.now(),
        contact_link: Some(ContactLink { new_id: state.new_id(), claim }),
        channel: Some(ConversationChannel {
            channel_id: Some(channel.id),
            kind: channel.kind(),
            address: address.to_owned(),
        }),
    };
    // No greeting: on a messenger the contact speaks first, and the bot answers that.
    match state.store.create_conversation(new, None).await {
        Ok(conversation) => Ok(conversation),
        // Two notifications of a new contact at once: the other one made it.
        Err(StoreError::Conflict(_)) => state
            .store
            .channel_conversation(channel.id, address)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a channel conversation vanished"))),
        Err(other) => Err(other.into()),
    }
}

/// Until when a person may answer the conversation freely on its channel: `Some` only for
/// channels with such a window (WhatsApp's 24 hours from the contact's last message).
pub async fn reply_window(state: &AppState, conversation: &Conversation) -> ApiResult<Option<Timestamp>> {
    match conversation.channel.as_ref().map(|c| c.kind) {
        Some(ChannelKind::Whatsapp) => {
            let last = state.store.last_contact_message_at(conversation.id).await?;
            Ok(Some(last.map_or(conversation.created_at, |at| at.plus_millis(WHATSAPP_WINDOW_MS))))
        }
        _ => Ok(None),
    }
}

/// Refuses a team member's message that the conversation's channel would not deliver now.
pub async fn check_reply_allowed(state: &AppState, conversation: ConversationId) -> ApiResult<()> {
    let conversation = super::conversations::load(state, conversation).await?;
    match conversation.channel.as_ref().map(|c| c.kind) {
        Some(ChannelKind::Whatsapp) => {}
        Some(ChannelKind::Voice) => {
            return Err(ApiError::conflict(
                "no_text_channel",
                "this conversation is a phone call: call the customer back on their number",
            ));
        }
        _ => return Ok(()),
    }
    let last = state.store.last_contact_message_at(conversation.id).await?;
    if whatsapp_window_open(last, state.now()) {
        return Ok(());
    }
    Err(ApiError::conflict(
        "reply_window_closed",
        "WhatsApp lets a business answer only within 24 hours of the customer's last message; \
         outside it only approved templates can be sent",
    ))
}
