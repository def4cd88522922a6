//! Channels, configured by admins (see `crate::channels`; their providers' calls are
//! `super::inbound`'s), and what a channel allows a team member to send.

use baton_core::channel::{
    ChannelKind, ChannelSettings, WHATSAPP_WINDOW_MS, WhatsappTemplate, whatsapp_window_open,
};
use baton_core::ids::{BotId, ChannelId, ConversationId};
use baton_core::time::Timestamp;
use baton_core::user::User;
use baton_store::{Channel, ChannelDelivery, Conversation};

use super::audit;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

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
        if matches!(settings, ChannelSettings::Email(_)) && state.mailer.is_none() {
            return Err(ApiError::invalid(
                "kind: an email channel answers through the SMTP server of [smtp]; set smtp.url first",
            ));
        }
        let called = match &settings {
            // The mailbox is the team's own, often on the same machine or network.
            ChannelSettings::Email(_) => None,
            ChannelSettings::Freshchat(s) => {
                if crate::channels::freshchat::rsa_key(&s.public_key).is_none() {
                    return Err(ApiError::invalid(
                        "settings.public_key: the PEM key from Freshchat's webhook settings does not read",
                    ));
                }
                Some(("api_url", &s.api_url))
            }
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
        ChannelSettings::Email(s) => format!("Email {}", s.address),
        ChannelSettings::Freshchat(_) => "Freshchat".to_owned(),
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

/// Where the conversation reaches its contact on WhatsApp, if it does: the channel, and when
/// the contact last wrote there (what WhatsApp's 24-hour window runs from). That is the
/// conversation's own channel, or the number a waiting web customer chose
/// (`super::follow_up`).
struct WhatsappReach {
    channel_id: Option<ChannelId>,
    last_inbound: Option<Timestamp>,
    /// When the window counts from if the contact never wrote: it is closed from the start.
    since: Timestamp,
}

async fn whatsapp_reach(state: &AppState, conversation: &Conversation) -> ApiResult<Option<WhatsappReach>> {
    if let Some(own) = conversation.channel.as_ref() {
        if own.kind != ChannelKind::Whatsapp {
            return Ok(None);
        }
        let last_inbound = state.store.last_contact_message_at(conversation.id).await?;
        return Ok(Some(WhatsappReach {
            channel_id: own.channel_id,
            last_inbound,
            since: conversation.created_at,
        }));
    }
    let Some(route) = super::follow_up::route_of(state, conversation).await? else { return Ok(None) };
    let address = route.address.as_deref().unwrap_or_default();
    // The number may also have a WhatsApp conversation of its own with the channel.
    let own = match state.store.channel_conversation(route.channel_id, address).await? {
        Some(elsewhere) => state.store.last_contact_message_at(elsewhere.id).await?,
        None => None,
    };
    Ok(Some(WhatsappReach {
        channel_id: Some(route.channel_id),
        last_inbound: route.last_inbound_at.max(own),
        since: route.created_at,
    }))
}

/// Until when a person may answer the conversation freely on its channel: `Some` only where
/// the contact is reached on WhatsApp (24 hours from their last message there).
pub async fn reply_window(state: &AppState, conversation: &Conversation) -> ApiResult<Option<Timestamp>> {
    Ok(whatsapp_reach(state, conversation)
        .await?
        .map(|reach| reach.last_inbound.map_or(reach.since, |at| at.plus_millis(WHATSAPP_WINDOW_MS))))
}

/// The approved templates a team member may send in the conversation: those of the WhatsApp
/// channel its contact is reached on, none elsewhere.
pub async fn templates(state: &AppState, conversation: &Conversation) -> ApiResult<Vec<WhatsappTemplate>> {
    let reach = whatsapp_reach(state, conversation).await?;
    templates_of(state, reach.and_then(|r| r.channel_id)).await
}

async fn templates_of(state: &AppState, channel: Option<ChannelId>) -> ApiResult<Vec<WhatsappTemplate>> {
    let Some(channel) = channel else { return Ok(Vec::new()) };
    Ok(match state.store.channel(channel).await?.map(|c| c.settings) {
        Some(ChannelSettings::Whatsapp(settings)) => settings.templates,
        _ => Vec::new(),
    })
}

/// The template `name` in `language` of the WhatsApp channel the conversation's contact is
/// reached on.
pub async fn template(
    state: &AppState,
    conversation: &Conversation,
    name: &str,
    language: &str,
) -> ApiResult<WhatsappTemplate> {
    let Some(reach) = whatsapp_reach(state, conversation).await? else {
        return Err(ApiError::conflict("no_templates", "only WhatsApp conversations are sent templates"));
    };
    let templates = templates_of(state, reach.channel_id).await?;
    templates.into_iter().find(|t| t.name == name && t.language == language).ok_or_else(|| {
        ApiError::invalid(format!(
            "template: the channel has no approved template '{name}' in {language} (see its settings)"
        ))
    })
}

/// Refuses a team member's message that the conversation's channel would not deliver now.
pub async fn check_reply_allowed(state: &AppState, conversation: ConversationId) -> ApiResult<()> {
    let conversation = super::conversations::load(state, conversation).await?;
    if conversation.channel.as_ref().is_some_and(|c| c.kind == ChannelKind::Voice) {
        return Err(ApiError::conflict(
            "no_text_channel",
            "this conversation is a phone call: call the customer back on their number",
        ));
    }
    let Some(reach) = whatsapp_reach(state, &conversation).await? else { return Ok(()) };
    if whatsapp_window_open(reach.last_inbound, state.now()) {
        return Ok(());
    }
    Err(ApiError::conflict(
        "reply_window_closed",
        "WhatsApp lets a business answer only within 24 hours of the customer's last message; \
         outside it only approved templates can be sent",
    ))
}
