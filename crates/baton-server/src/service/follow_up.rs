//! Leave the queue, keep your place, on WhatsApp: a web customer waiting for a person
//! continues the chat on WhatsApp instead (the email form of this is
//! `conversations::follow_up_by_email`).
//!
//! Nobody types a number: the customer is given a one-time code and a link that opens WhatsApp
//! with a message carrying it, addressed to the business number. The message that brings the
//! code back names the number ([`confirm_code`]); so no one can route someone else's number to
//! their chat. Only then does the handoff record the choice (`Command::FollowUpOnMessenger`,
//! keeping its state and place) and the route (`follow_up_routes`) send the conversation there
//! while the handoff is open:
//! - the `channels` consumer queues the team's replies (texts, files, templates) to the number;
//! - what the number writes on that channel joins this conversation (`inbound::conversation_of`);
//! - WhatsApp's 24-hour window (`service::channels`) is the number's, open from the code's
//!   message, so the team answers freely at once.

use baton_core::channel::{ChannelSettings, WhatsappSettings, phone_address};
use baton_core::handoff::{Command, HandoffState};
use baton_core::ids::{BotId, ConversationId};
use baton_store::{Channel, Conversation, FollowUpRoute, NewMessage};
use serde::Serialize;
use utoipa::ToSchema;

use super::conversations::load;
use super::{apply_command, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The bot's WhatsApp number, if it has an enabled one that shows customers its number (the
/// first made).
pub async fn whatsapp_channel_of(
    state: &AppState,
    bot: BotId,
) -> ApiResult<Option<(Channel, WhatsappSettings)>> {
    let mut channels: Vec<(Channel, WhatsappSettings)> = state
        .store
        .channels()
        .await?
        .into_iter()
        .filter(|c| c.bot_id == bot && c.enabled)
        .filter_map(|c| match &c.settings {
            ChannelSettings::Whatsapp(s) if !s.display_phone_number.trim().is_empty() => {
                let settings = s.clone();
                Some((c, settings))
            }
            _ => None,
        })
        .collect();
    channels.sort_by_key(|(c, _)| c.created_at);
    Ok(channels.into_iter().next())
}

/// What the widget shows to continue on WhatsApp: the business number, the message to send
/// (it carries the code) and a link that opens WhatsApp with it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatsappInvite {
    /// The business number, as customers dial it (`+15550001111`).
    pub number: String,
    pub code: String,
    /// The message to send from WhatsApp; it carries the code.
    pub text: String,
    /// `https://wa.me/<number>?text=<the message>`: opens WhatsApp with it.
    pub link: String,
}

impl WhatsappInvite {
    fn new(number: &str, code: &str) -> Self {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        let text = format!("Continue my chat, code {code}");
        let link = format!("https://wa.me/{digits}?text={}", text.replace(' ', "%20"));
        Self { number: number.trim().to_owned(), code: code.to_owned(), text, link }
    }
}

/// Letters and digits nobody confuses (no I, O, 0 or 1).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 8;

/// A one-time code: 32^8 (about 10^12) of them, so a stranger who sends WhatsApp messages full
/// of guesses does not hit the few that wait at any time.
fn new_code() -> String {
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// The waiting contact of a web chat asks to continue on WhatsApp: their invitation (the same
/// one again while it waits for its code).
pub async fn invite_to_whatsapp(state: &AppState, conversation: ConversationId) -> ApiResult<WhatsappInvite> {
    let conv = load(state, conversation).await?;
    if conv.channel.is_some() {
        return Err(ApiError::conflict("not_web", "only a chat in the web widget can move to WhatsApp"));
    }
    let Some((channel, settings)) = whatsapp_channel_of(state, conv.bot_id).await? else {
        return Err(ApiError::conflict("no_whatsapp", "this chat has no WhatsApp number to continue on"));
    };
    let open = state.store.open_handoff(conversation).await?.map(|h| h.value);
    let Some(open) = open.filter(|h| matches!(h.state, HandoffState::Queued | HandoffState::Offered)) else {
        return Err(ApiError::conflict(
            "not_waiting",
            "WhatsApp can be chosen only while waiting in the queue",
        ));
    };
    if let Some(route) = state.store.follow_up_route(conversation).await?
        && route.channel_id == channel.id
        && route.handoff_id == open.id
    {
        if route.verified_at.is_some() {
            return Err(ApiError::conflict("already_on_whatsapp", "this chat already continues on WhatsApp"));
        }
        return Ok(WhatsappInvite::new(&settings.display_phone_number, &route.code));
    }
    let code = new_code();
    let route = FollowUpRoute {
        conversation_id: conversation,
        handoff_id: open.id,
        channel_id: channel.id,
        code: code.clone(),
        address: None,
        verified_at: None,
        last_inbound_at: None,
        created_at: state.now(),
    };
    state.store.set_follow_up_route(&route).await?;
    Ok(WhatsappInvite::new(&settings.display_phone_number, &code))
}

/// Where a web chat stands with WhatsApp, for the views of it.
#[derive(Debug, Default)]
pub struct WhatsappStanding {
    /// Its contact may continue on WhatsApp while waiting (the bot has a WhatsApp number).
    pub offered: bool,
    /// The invitation given, while its code has not come back.
    pub invite: Option<WhatsappInvite>,
    /// The number it continues on, once the code came back.
    pub number: Option<String>,
}

/// Where the conversation stands with WhatsApp (nothing for a chat on a channel of its own).
pub async fn standing(state: &AppState, conversation: &Conversation) -> ApiResult<WhatsappStanding> {
    if conversation.channel.is_some() {
        return Ok(WhatsappStanding::default());
    }
    let offered = whatsapp_channel_of(state, conversation.bot_id).await?;
    let route = state.store.follow_up_route(conversation.id).await?;
    let invite = match (&route, &offered) {
        (Some(route), Some((channel, settings)))
            if route.verified_at.is_none() && route.channel_id == channel.id =>
        {
            Some(WhatsappInvite::new(&settings.display_phone_number, &route.code))
        }
        _ => None,
    };
    let number = route.filter(|r| r.verified_at.is_some()).and_then(|r| r.address);
    Ok(WhatsappStanding { offered: offered.is_some(), invite, number })
}

/// A WhatsApp message from `from` that carries a waiting route's code confirms that route: the
/// number is the contact's, the handoff records the choice (keeping its place) and a note tells
/// the team. The conversation the message belongs to then, if it did.
pub async fn confirm_code(
    state: &AppState,
    channel: &Channel,
    from: &str,
    text: &str,
) -> ApiResult<Option<ConversationId>> {
    let Some(address) = phone_address(from) else { return Ok(None) };
    let pending = state.store.pending_follow_up_routes(channel.id).await?;
    let carries = |code: &str| {
        text.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| word.eq_ignore_ascii_case(code))
    };
    let Some(route) = pending.into_iter().find(|route| carries(&route.code)) else { return Ok(None) };
    if !state.store.confirm_follow_up_route(route.conversation_id, &address, state.now()).await? {
        return Ok(None);
    }
    let note = format!(
        "The customer continues on WhatsApp at +{address}: replies go there, and what they write there comes here."
    );
    let conversation = route.conversation_id;
    let handoff = state.store.handoff(route.handoff_id).await?.map(|h| h.value);
    let note_message = || NewMessage { note: true, ..system_message(state, conversation, note.clone()) };
    if handoff.is_some_and(|h| matches!(h.state, HandoffState::Queued | HandoffState::Offered)) {
        apply_command(
            state,
            route.handoff_id,
            |_| Ok(Command::FollowUpOnMessenger),
            |_, _| vec![note_message()],
        )
        .await?;
    } else {
        // Someone took the chat meanwhile: there is no place to keep, only the team to tell.
        state.store.append_message(note_message(), baton_store::OwnerGuard::Anyone).await?;
    }
    Ok(Some(conversation))
}

/// The confirmed route the conversation's replies take while its handoff is open, when it is
/// not the conversation's own channel.
pub async fn route_of(state: &AppState, conversation: &Conversation) -> ApiResult<Option<FollowUpRoute>> {
    Ok(route_any(state, conversation)
        .await?
        .filter(|route| route.verified_at.is_some() && route.address.is_some()))
}

async fn route_any(state: &AppState, conversation: &Conversation) -> ApiResult<Option<FollowUpRoute>> {
    if conversation.channel.is_some() {
        return Ok(None);
    }
    Ok(state.store.follow_up_route(conversation.id).await?)
}
