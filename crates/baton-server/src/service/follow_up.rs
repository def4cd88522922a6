//! Leave the queue, keep your place, on WhatsApp: a web customer waiting for a person gives
//! their WhatsApp number instead of staying in the chat (the email form of this is
//! `conversations::follow_up_by_email`).
//!
//! The handoff keeps its state and place (`Command::FollowUpOnMessenger`); a route beside it
//! (`follow_up_routes`) sends the conversation there while the handoff is open:
//! - the `channels` consumer queues the team's replies (texts, files, templates) to the number
//!   on the bot's WhatsApp channel;
//! - a message from the number on that channel joins this conversation instead of a WhatsApp
//!   conversation of its own (`inbound::conversation_of`), and opens WhatsApp's 24-hour window;
//! - the window, the composer's check and the templates (`service::channels`) are the
//!   channel's. A number that never wrote has no open window, so the team's first message is
//!   an approved template, as WhatsApp asks of a business that writes first.

use baton_core::channel::{ChannelSettings, phone_address};
use baton_core::handoff::{Command, Handoff, HandoffState};
use baton_core::ids::{BotId, ConversationId};
use baton_store::{Channel, Conversation, FollowUpRoute};

use baton_store::NewMessage;

use super::conversations::load;
use super::{apply_command, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The bot's WhatsApp number, if it has an enabled one (the first made).
pub async fn whatsapp_channel_of(state: &AppState, bot: BotId) -> ApiResult<Option<Channel>> {
    let mut channels: Vec<Channel> = state
        .store
        .channels()
        .await?
        .into_iter()
        .filter(|c| c.bot_id == bot && c.enabled && matches!(c.settings, ChannelSettings::Whatsapp(_)))
        .collect();
    channels.sort_by_key(|c| c.created_at);
    Ok(channels.into_iter().next())
}

/// Whether the conversation's contact may choose WhatsApp while waiting: a chat in the web
/// widget whose bot has a WhatsApp number.
pub async fn whatsapp_offered(state: &AppState, conversation: &Conversation) -> ApiResult<bool> {
    Ok(conversation.channel.is_none() && whatsapp_channel_of(state, conversation.bot_id).await?.is_some())
}

/// The waiting contact of a web chat chooses to be answered on WhatsApp at `number`.
pub async fn follow_up_on_whatsapp(
    state: &AppState,
    conversation: ConversationId,
    number: &str,
) -> ApiResult<Handoff> {
    let address = number.trim().strip_prefix('+').and_then(phone_address).ok_or_else(|| {
        ApiError::invalid("whatsapp: your number in international form, such as +4915112345678")
    })?;
    let conv = load(state, conversation).await?;
    if conv.channel.is_some() {
        return Err(ApiError::conflict("not_web", "only a chat in the web widget can move to WhatsApp"));
    }
    let Some(channel) = whatsapp_channel_of(state, conv.bot_id).await? else {
        return Err(ApiError::conflict("no_whatsapp", "this chat has no WhatsApp number to answer on"));
    };
    let open = state.store.open_handoff(conversation).await?.map(|h| h.value);
    let Some(open) = open.filter(|h| matches!(h.state, HandoffState::Queued | HandoffState::Offered)) else {
        return Err(ApiError::conflict(
            "not_waiting",
            "WhatsApp can be chosen only while waiting in the queue",
        ));
    };
    // A note tells the team (and moves the chat on, so an open inbox reads the route).
    let note = format!(
        "The customer chose to be answered on WhatsApp at +{address} instead of waiting in the chat."
    );
    let handoff = apply_command(
        state,
        open.id,
        |_| Ok(Command::FollowUpOnMessenger),
        |_, _| vec![NewMessage { note: true, ..system_message(state, conversation, note.clone()) }],
    )
    .await?;
    let route = FollowUpRoute {
        conversation_id: conversation,
        handoff_id: handoff.id,
        channel_id: channel.id,
        address,
        last_inbound_at: None,
        created_at: state.now(),
    };
    state.store.set_follow_up_route(&route).await?;
    Ok(handoff)
}

/// The route the conversation's replies take while its handoff is open, when it is not the
/// conversation's own channel.
pub async fn route_of(state: &AppState, conversation: &Conversation) -> ApiResult<Option<FollowUpRoute>> {
    if conversation.channel.is_some() {
        return Ok(None);
    }
    Ok(state.store.follow_up_route(conversation.id).await?)
}
