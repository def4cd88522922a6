//! An outside helpdesk (Freshchat) in place of Baton's inbox, for a bot with an enabled
//! Freshchat channel.
//!
//! Such a bot's handoffs are queued as usual, but Baton's routing leaves them to the helpdesk
//! (`routing::Snapshot` skips them). The `helpdesk` consumer hands each queued one over
//! ([`hand_over`]): a Freshchat user for the contact, a conversation with the summary and
//! the transcript, and a timer of the channel's `assign_timeout_seconds`. The contact's
//! messages past the transcript are queued for Freshchat like any channel's sends
//! ([`relay`]); the consumer takes events in order, so none is passed over while the
//! conversation is being opened, and one the transcript already holds is not sent again. Freshchat's calls
//! ([`take_call`]) assign the handoff (to the channel standing in as its holder), bring its
//! agents' messages into the chat, and close the handoff when the conversation is resolved,
//! which gives the chat back to the bot and asks for a rating. Any failure (the API refusing
//! or not answering, nobody assigned in time) records `handoff.failed` with the reason and
//! applies the channel's `on_failure`: Baton's own queue (routing takes the handoff from
//! then on) or offline.

use std::time::Duration;

use baton_core::channel::{ChannelKind, ChannelSettings, FreshchatSettings, HelpdeskFallback};
use baton_core::deadline::Deadline;
use baton_core::event::{Event, HandoffFailed};
use baton_core::handoff::{Command, Handoff, HandoffState, UserRef};
use baton_core::ids::{BotId, HandoffId, Id};
use baton_core::message::{Author, AuthorKind, Message};
use baton_store::{
    Channel, HelpdeskHandoff, HelpdeskState, NewChannelDelivery, NewEvent, Opened, OwnerGuard, Timer,
};

use super::conversations::{bot_of, load};
use super::handoffs::routing_messages;
use super::{apply_command, new_message};
use crate::channels::freshchat::{self, Notification};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How many of the latest messages the transcript handed over holds.
const TRANSCRIPT: i64 = 50;

/// The bot's enabled helpdesk channel, if it has one.
pub async fn helpdesk_of(state: &AppState, bot: BotId) -> ApiResult<Option<Channel>> {
    let channels = state.store.channels().await?;
    Ok(channels
        .into_iter()
        .find(|channel| channel.enabled && channel.bot_id == bot && channel.kind() == ChannelKind::Freshchat))
}

/// The channel standing in as the holder of the handoffs its helpdesk takes: no user has its id.
fn stand_in(channel: &Channel) -> UserRef {
    UserRef { id: Id::from_uuid(channel.id.as_uuid()), name: channel.name.clone() }
}

fn timeout(state: &AppState) -> Duration {
    Duration::from_secs(state.settings.channels.timeout_seconds)
}

/// Hands a queued handoff of a helpdesk bot over; once per handoff.
pub async fn hand_over(state: &AppState, handoff: &Handoff) -> ApiResult<()> {
    let conversation = load(state, handoff.conversation_id).await?;
    let Some(channel) = helpdesk_of(state, conversation.bot_id).await? else { return Ok(()) };
    let ChannelSettings::Freshchat(settings) = &channel.settings else { return Ok(()) };
    let row = HelpdeskHandoff {
        handoff_id: handoff.id,
        channel_id: channel.id,
        conversation_id: conversation.id,
        remote_user_id: None,
        remote_conversation_id: None,
        transcript_seq: None,
        state: HelpdeskState::Opening,
        reason: None,
        created_at: state.now(),
    };
    if !state.store.start_helpdesk_handoff(&row).await? {
        // Seen before: handed over, failed, or cut short by a crash while opening (then it is
        // opened again; Freshchat may hold it twice, Baton relays to the newest).
        let known = state.store.helpdesk_handoff(handoff.id).await?;
        if known.is_none_or(|known| known.state != HelpdeskState::Opening) {
            return Ok(());
        }
    }
    let contact = match conversation.contact_id {
        Some(id) => state.store.contact(id).await?,
        None => None,
    };
    let phone = contact.as_ref().and_then(|c| c.phone.clone());
    let email = conversation
        .contact
        .email
        .clone()
        .or_else(|| handoff.lead.as_ref().map(|l| l.email.as_str().to_owned()));
    let name = conversation.contact.name.clone();
    let (transcript, covered) = transcript(state, handoff).await?;
    let opened = async {
        let user = freshchat::create_user(
            &state.http,
            settings,
            &conversation.id.to_string(),
            name.as_deref(),
            email.as_deref(),
            phone.as_deref(),
            timeout(state),
        )
        .await?;
        let remote =
            freshchat::create_conversation(&state.http, settings, &user, &transcript, timeout(state)).await?;
        Ok::<_, freshchat::ApiFailure>((user, remote))
    }
    .await;
    match opened {
        Ok((user, remote)) => {
            state
                .store
                .move_helpdesk_handoff(
                    handoff.id,
                    &[HelpdeskState::Opening],
                    HelpdeskState::Open,
                    Some(Opened { user: &user, conversation: &remote, transcript_seq: covered }),
                    None,
                    state.now(),
                )
                .await?;
            let due = state.now().plus_millis(settings.assign_timeout_seconds as i64 * 1000);
            state.store.set_timer(&Timer::new(Deadline::HelpdeskUnassigned(handoff.id), due)).await?;
            tracing::info!(handoff = %handoff.id, "handed over to Freshchat");
            Ok(())
        }
        Err(freshchat::ApiFailure(reason)) => fail(state, &channel, settings, handoff.id, &reason).await,
    }
}

/// The summary and the conversation so far, as the helpdesk's first message, and the last
/// message's `seq` it covers.
async fn transcript(state: &AppState, handoff: &Handoff) -> ApiResult<(String, i64)> {
    let conversation = load(state, handoff.conversation_id).await?;
    let after = (conversation.last_seq - TRANSCRIPT).max(0);
    let messages = state.store.messages_after(conversation.id, after, false, TRANSCRIPT).await?;
    let mut text = String::from("Handed over by Baton.\n");
    if let Some(summary) = &handoff.evidence.summary {
        text.push_str(&format!("Summary: {summary}\n"));
    }
    text.push_str(&format!("Priority: {:?}\n", handoff.priority).to_lowercase());
    for (key, value) in &handoff.gathered {
        text.push_str(&format!("{key}: {value}\n"));
    }
    text.push_str("\nTranscript:\n");
    for message in &messages {
        let who = match message.author.kind {
            AuthorKind::Contact => "Customer",
            AuthorKind::Bot => "Bot",
            AuthorKind::User => message.author.name.as_deref().unwrap_or("Agent"),
            AuthorKind::System => "Baton",
        };
        text.push_str(&format!("{who}: {}\n", message.text));
    }
    let covered = messages.last().map_or(after, |m| m.seq);
    Ok((text, covered))
}

/// Queues a contact's message for the helpdesk that holds the conversation's handoff.
pub async fn relay(state: &AppState, message: &Message) -> ApiResult<()> {
    if message.note || message.author.kind != AuthorKind::Contact {
        return Ok(());
    }
    let Some(held) = state.store.held_by_helpdesk(message.conversation_id).await? else { return Ok(()) };
    let Some(remote) = held.remote_conversation_id else { return Ok(()) };
    if held.transcript_seq.is_some_and(|covered| message.seq <= covered) {
        return Ok(());
    }
    let delivery = NewChannelDelivery {
        id: state.new_id(),
        channel_id: held.channel_id,
        conversation_id: message.conversation_id,
        message_id: message.id,
        seq: message.seq,
        recipient: remote,
        body: message.text.clone(),
        template: None,
        attachment: None,
        created_at: state.now(),
    };
    state.store.queue_channel_deliveries(&[delivery]).await?;
    Ok(())
}

/// The user id a relayed message is sent as.
pub async fn remote_user(
    state: &AppState,
    conversation: baton_core::ids::ConversationId,
) -> ApiResult<Option<String>> {
    Ok(state.store.held_by_helpdesk(conversation).await?.and_then(|held| held.remote_user_id))
}

/// A Freshchat call, its signature already checked.
pub async fn take_call(state: &AppState, channel: &Channel, notification: Notification) -> ApiResult<()> {
    let conversation = match &notification {
        Notification::AgentMessage { conversation, .. }
        | Notification::Assigned { conversation }
        | Notification::Resolved { conversation } => conversation,
        Notification::Other => return Ok(()),
    };
    // A conversation Baton did not open (or one it gave up on) is none of its business.
    let Some(held) = state.store.helpdesk_handoff_by_remote(channel.id, conversation).await? else {
        return Ok(());
    };
    if !held.state.holds() {
        return Ok(());
    }
    match notification {
        Notification::Assigned { .. } => assigned(state, channel, &held).await,
        Notification::AgentMessage { id, text, .. } => {
            assigned(state, channel, &held).await?;
            let author = Author { kind: AuthorKind::User, id: None, name: Some(channel.name.clone()) };
            let Some(text) = super::inbound::message_text(&text) else { return Ok(()) };
            let message = baton_store::NewMessage {
                client_id: Some(super::inbound::client_id(&format!("freshchat:{id}"))),
                ..new_message(state, held.conversation_id, author, text.into_string())
            };
            state.store.append_message(message, OwnerGuard::Anyone).await?;
            let handoff = state.store.handoff(held.handoff_id).await?.map(|h| h.value);
            if handoff.is_some_and(|h| h.state == HandoffState::Live && h.first_response_at.is_none()) {
                apply_command(
                    state,
                    held.handoff_id,
                    |_| Ok(Command::RecordFirstResponse),
                    |_, _| Vec::new(),
                )
                .await?;
            }
            Ok(())
        }
        Notification::Resolved { .. } => {
            state
                .store
                .move_helpdesk_handoff(
                    held.handoff_id,
                    &[HelpdeskState::Opening, HelpdeskState::Open, HelpdeskState::Assigned],
                    HelpdeskState::Resolved,
                    None,
                    None,
                    state.now(),
                )
                .await?;
            state
                .store
                .cancel_timer(
                    Deadline::HelpdeskUnassigned(held.handoff_id).kind(),
                    &held.handoff_id.to_string(),
                )
                .await?;
            super::handoffs::close_as(state, held.handoff_id, stand_in(channel).id, true).await.map(drop)
        }
        Notification::Other => Ok(()),
    }
}

/// One of the helpdesk's agents took the handoff: it is live, held by the channel.
async fn assigned(state: &AppState, channel: &Channel, held: &HelpdeskHandoff) -> ApiResult<()> {
    let moved = state
        .store
        .move_helpdesk_handoff(
            held.handoff_id,
            &[HelpdeskState::Opening, HelpdeskState::Open],
            HelpdeskState::Assigned,
            None,
            None,
            state.now(),
        )
        .await?;
    if !moved {
        return Ok(());
    }
    state
        .store
        .cancel_timer(Deadline::HelpdeskUnassigned(held.handoff_id).kind(), &held.handoff_id.to_string())
        .await?;
    let user = stand_in(channel);
    let result = apply_command(
        state,
        held.handoff_id,
        |handoff| match handoff.state {
            HandoffState::Queued | HandoffState::Offered => Ok(Command::Assign { user: user.clone() }),
            _ => Err(ApiError::conflict("not_waiting", "the handoff no longer waits")),
        },
        |_, _| Vec::new(),
    )
    .await;
    match result {
        Ok(_) | Err(ApiError::Conflict { .. }) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Nobody took the handoff in Freshchat within the channel's time.
pub async fn fire_unassigned(state: &AppState, handoff: HandoffId) -> ApiResult<()> {
    let Some(held) = state.store.helpdesk_handoff(handoff).await? else { return Ok(()) };
    if held.state != HelpdeskState::Open {
        return Ok(());
    }
    let Some(channel) = state.store.channel(held.channel_id).await? else { return Ok(()) };
    let ChannelSettings::Freshchat(settings) = &channel.settings else { return Ok(()) };
    let reason = format!("no Freshchat agent took it within {} s", settings.assign_timeout_seconds);
    fail(state, &channel, settings, handoff, &reason).await
}

/// Records the failure and applies the channel's fallback.
async fn fail(
    state: &AppState,
    channel: &Channel,
    settings: &FreshchatSettings,
    handoff: HandoffId,
    reason: &str,
) -> ApiResult<()> {
    let moved = state
        .store
        .move_helpdesk_handoff(
            handoff,
            &[HelpdeskState::Opening, HelpdeskState::Open],
            HelpdeskState::Failed,
            None,
            Some(reason),
            state.now(),
        )
        .await?;
    if !moved {
        return Ok(());
    }
    tracing::warn!(%handoff, channel = %channel.id, reason, "the helpdesk did not take a handoff");
    metrics::counter!("baton_helpdesk_failures_total").increment(1);
    let Some(current) = state.store.handoff(handoff).await?.map(|h| h.value) else { return Ok(()) };
    let failed = HandoffFailed {
        conversation_id: current.conversation_id,
        handoff_id: handoff,
        helpdesk: channel.kind().as_str().to_owned(),
        reason: reason.to_owned(),
    };
    // Routing reads this event and, the handoff being failed over, routes it as Baton's own.
    state.store.record_events(vec![NewEvent::new(Event::HandoffFailed(failed), state.now())]).await?;
    if settings.on_failure == HelpdeskFallback::Offline
        && matches!(current.state, HandoffState::Queued | HandoffState::Offered)
    {
        let conversation = load(state, current.conversation_id).await?;
        let bot = bot_of(state, &conversation).await?;
        let policy = bot.settings.policy.clone();
        // Routing sees the handoff as Baton's own from the moment the row failed, and may
        // have sent it offline itself (nobody on duty) before this command runs.
        let result = apply_command(
            state,
            handoff,
            |handoff| match handoff.state {
                HandoffState::Queued | HandoffState::Offered => Ok(Command::GoOffline),
                _ => Err(ApiError::conflict("not_waiting", "the handoff no longer waits")),
            },
            |_, t| routing_messages(state, &conversation, &policy, t.handoff.state),
        )
        .await;
        return match result {
            Ok(_) => Ok(()),
            Err(ApiError::Conflict { code: "not_waiting" | "illegal_transition", .. }) => Ok(()),
            Err(other) => Err(other),
        };
    }
    Ok(())
}
