//! A channel's provider calling in: each call's signature checked before anything is read,
//! then contact messages (and files) stored through the widget's own use cases, provider
//! statuses recorded, WhatsApp's business-phone echoes taken as takeovers, Twilio Voice's and
//! Slack's calls handed to `super::voice` and `super::slack`.

use baton_core::channel::{ChannelKind, ChannelSettings, ConversationChannel, WhatsappSettings};
use baton_core::contact::ContactClaim;
use baton_core::handoff::{Command, ContactInfo, Handoff, HandoffState, UserRef};
use baton_core::ids::{ChannelId, Id};
use baton_core::message::{Author, AuthorKind};
use baton_core::values::MessageText;
use baton_store::{Channel, ContactLink, Conversation, NewConversation, NewMessage, OwnerGuard, StoreError};

use crate::auth::{CONTACT_TOKEN_PREFIX, hash_token, new_token};
use crate::channels::whatsapp::{self, Notification};
use crate::channels::{Refused, slack, twilio};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, SharedState};

/// An enabled channel, for its webhook.
async fn open_channel(state: &AppState, id: ChannelId) -> ApiResult<Channel> {
    let channel = super::channels::get(state, id).await?;
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
        ChannelSettings::Email(_) => {
            Err(ApiError::NotFound { what: "webhook: an email channel reads its mailbox" })
        }
        ChannelSettings::Freshchat(settings) => {
            let notification = crate::channels::freshchat::verify_signature(
                &settings.public_key,
                header("x-freshchat-signature"),
                call.body,
            )
            .and_then(|()| crate::channels::freshchat::parse(call.body))
            .map_err(refused)?;
            super::helpdesk::take_call(state, &channel, notification).await?;
            Ok(WebhookAnswer { content_type: "text/plain", body: String::new() })
        }
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
            // A withheld number has no conversation to keep a handoff or a voicemail in.
            let Some(caller) = baton_core::channel::phone_address(voice.from.trim_start_matches('+')) else {
                let words = "Sorry, we cannot take calls from a withheld number. \
                             Please call again with your number shown.";
                return Ok(WebhookAnswer {
                    content_type: "text/xml",
                    body: twilio::twiml::goodbye(Some(words)),
                });
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
        // A waiting web customer's code: from now on this number is that chat's.
        super::follow_up::confirm_code(state, channel, &message.from, &message.text).await?;
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
    wrote_on_route(state, &conversation).await?;
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
    wrote_on_route(state, &conversation).await?;
    let Some(text) = message_text(text) else {
        tracing::info!(channel = %channel.id, "an empty message was left out");
        return Ok(());
    };
    super::conversations::contact_message(state, conversation.id, text, Some(client_id(provider_id)), None)
        .await?;
    Ok(())
}

/// A message from the number a web chat is routed to (`super::follow_up`) opens WhatsApp's
/// window for that chat.
async fn wrote_on_route(state: &AppState, conversation: &Conversation) -> ApiResult<()> {
    if conversation.channel.is_none() {
        state.store.touch_follow_up_route(conversation.id, state.now()).await?;
    }
    Ok(())
}

/// What a customer sent, stored as it came but for control characters nobody typed
/// (PostgreSQL cannot store U+0000) and what passes a message's length; `None` when empty.
pub(super) fn message_text(text: &str) -> Option<MessageText> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(MessageText::MAX_CHARS)
        .collect();
    MessageText::parse(text).ok()
}

/// A provider's message id as a `client_id` (at most 100 characters: a longer one is hashed).
pub(super) fn client_id(provider_id: &str) -> String {
    if provider_id.len() <= 100 { provider_id.to_owned() } else { hash_token(provider_id) }
}

/// The conversation of `address` on the channel, started when it has none. The address is
/// the contact's phone number, or their email address on an email channel. While a waiting
/// web customer's replies go to the address (`super::follow_up`), it is that conversation.
pub(super) async fn conversation_of(
    state: &AppState,
    channel: &Channel,
    address: &str,
    name: Option<String>,
) -> ApiResult<Conversation> {
    // A waiting web customer who chose to be answered here: what they write joins that chat.
    if let Some(route) = state.store.follow_up_route_to(channel.id, address).await? {
        return super::conversations::load(state, route.conversation_id).await;
    }
    if let Some(conversation) = state.store.channel_conversation(channel.id, address).await? {
        return Ok(conversation);
    }
    let name = name.map(|n| n.trim().chars().take(super::conversations::NAME_MAX_CHARS).collect::<String>());
    let name =
        name.filter(|n| !n.is_empty() && baton_core::values::reject_control_characters("name", n).is_ok());
    let email = (channel.kind() == ChannelKind::Email).then(|| address.to_owned());
    let phone = email.is_none().then(|| address.to_owned());
    let claim = ContactClaim {
        name: name.clone(),
        phone,
        email: email.as_deref().and_then(|e| baton_core::values::Email::parse(e).ok()),
        ..ContactClaim::default()
    };
    let new = NewConversation {
        id: state.new_id(),
        bot_id: channel.bot_id,
        // Nobody holds this token: the contact writes through the provider, not the API.
        token_hash: hash_token(&new_token(CONTACT_TOKEN_PREFIX)),
        contact: ContactInfo { name, email },
        locale: None,
        language: None,
        created_at: state.now(),
        contact_link: Some(ContactLink { new_id: state.new_id(), claim }),
        channel: Some(ConversationChannel {
            channel_id: Some(channel.id),
            kind: channel.kind(),
            address: Some(address.to_owned()),
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
