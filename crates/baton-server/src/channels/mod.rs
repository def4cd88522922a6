//! Channels: conversations on the contact's own messenger instead of Baton's widget.
//!
//! A channel has two sides, and neither knows the bot, the triggers or routing:
//!
//! - **Inbound** (`crate::service::inbound`, called by `POST /v1/channels/{id}/webhook`):
//!   the provider's notification is checked (signature) and read ([`whatsapp::parse`]); each
//!   contact message finds or starts the conversation of its address and is stored through
//!   the same use case as the widget's (`service::conversations::contact_message`), with the
//!   provider's message id as its `client_id`, so a notification delivered twice stores the
//!   message once. From there the bot's turn, the triggers, gathering, routing and the inbox
//!   work as for any conversation.
//! - **Outbound** ([`Channels`], an event consumer, and [`sender`]): every message the contact
//!   may see (the bot's, the team's, Baton's own) in a conversation on an enabled channel is
//!   queued as a `channel_deliveries` row, unique per message, and the sender sends it to the
//!   provider, retrying outages and rate limits on `[channels] retry_schedule_seconds`. The
//!   provider's later reports (delivered, read, failed) update the row.
//!
//! Queue messages, offline notices and requests for a rating are ordinary messages, so they
//! go out like any answer; a rating is typed back ("5", "five"), as the widget's buttons do
//! not exist there.

pub mod email;
pub mod freshchat;
pub mod helpdesk;
pub mod imap;
pub mod sender;
pub mod slack;
pub mod slack_threads;
pub mod twilio;
pub mod whatsapp;

use std::collections::HashMap;

use baton_core::event::Event;
use baton_core::message::AuthorKind;
use baton_store::{NewChannelDelivery, StoredEvent};

use crate::events::Consumer;
use crate::state::AppState;

/// Why a webhook call was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    BadSignature,
    Malformed(String),
}

/// What sending a message came to.
#[derive(Debug)]
pub enum SendOutcome {
    Sent {
        provider_id: String,
        response_code: u16,
    },
    /// Worth trying again later: a rate limit, an outage, no answer.
    Transient {
        response_code: Option<u16>,
        error: String,
    },
    /// Trying again would fail the same way (a bad token, the window closed, a blocked number).
    Permanent {
        response_code: Option<u16>,
        error: String,
    },
}

/// Hex text as bytes (the signature headers), `None` unless it is hex.
pub(crate) fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Compares a secret without taking longer the more of it matches.
pub(crate) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A send that got no answer: worth trying again.
pub(crate) fn unanswered(error: &reqwest::Error, timeout: std::time::Duration) -> SendOutcome {
    let error = if error.is_timeout() {
        format!("no answer within {} s", timeout.as_secs())
    } else {
        format!("the request failed: {error}")
    };
    SendOutcome::Transient { response_code: None, error }
}

/// Whether a message was sent by other means before Baton recorded it (a person on the
/// business phone).
fn already_sent(message: &baton_core::message::Message) -> bool {
    message
        .client_id
        .as_deref()
        .is_some_and(|id| id.starts_with(crate::service::inbound::ECHO_CLIENT_ID_PREFIX))
}

/// The URL a channel's provider calls: the one to give it, and for Twilio each message's
/// status callback.
pub fn webhook_url(state: &AppState, channel: baton_core::ids::ChannelId) -> String {
    format!("{}/v1/channels/{channel}/webhook", state.settings.public_base_url())
}

/// The outbound side: queues each contact-visible message of a channel conversation.
pub struct Channels;

impl Consumer for Channels {
    fn name(&self) -> &'static str {
        "channels"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let outgoing: Vec<_> = events
            .iter()
            .filter_map(|stored| match &stored.event {
                Event::MessageCreated(message)
                    if !message.note
                        && message.author.kind != AuthorKind::Contact
                        && !already_sent(message) =>
                {
                    Some(message)
                }
                _ => None,
            })
            .collect();
        if outgoing.is_empty() {
            return Ok(());
        }
        let mut conversations: Vec<_> = outgoing.iter().map(|m| m.conversation_id).collect();
        conversations.sort_unstable();
        conversations.dedup();
        let recipients: HashMap<_, _> = state
            .store
            .channel_recipients(&conversations)
            .await?
            .into_iter()
            .map(|(conversation, channel, address)| (conversation, (channel, address)))
            .collect();
        // A waiting web customer who continued on WhatsApp (their number confirmed by the code
        // they sent from it) gets the team's replies there: each one written after the number
        // was confirmed and before the handoff closed, even if it closed since.
        let mut routes = HashMap::new();
        for message in &outgoing {
            let id = message.conversation_id;
            if message.author.kind == AuthorKind::User
                && !recipients.contains_key(&id)
                && !routes.contains_key(&id)
            {
                let route = match state.store.confirmed_follow_up_route(id).await? {
                    Some(route) => {
                        let handoff = state.store.handoff(route.handoff_id).await?.map(|h| h.value);
                        handoff.map(|h| (route, h.closed_at))
                    }
                    None => None,
                };
                routes.insert(id, route);
            }
        }
        let routed = |message: &&baton_core::message::Message| {
            let Some(Some((route, closed_at))) = routes.get(&message.conversation_id) else { return None };
            let written_while_open = route.verified_at.is_some_and(|at| message.created_at >= at)
                && closed_at.is_none_or(|closed| message.created_at <= closed);
            let address = route.address.clone()?;
            (message.author.kind == AuthorKind::User && written_while_open)
                .then_some((route.channel_id, address))
        };
        let deliveries: Vec<NewChannelDelivery> = outgoing
            .into_iter()
            .filter_map(|message| {
                // On a route, only what the team writes goes out, not the widget's notices.
                let (channel, address) = match recipients.get(&message.conversation_id) {
                    Some((channel, address)) => (*channel, address.clone()),
                    None => routed(&message)?,
                };
                Some(NewChannelDelivery {
                    id: state.new_id(),
                    channel_id: channel,
                    conversation_id: message.conversation_id,
                    message_id: message.id,
                    seq: message.seq,
                    recipient: address,
                    body: message.text.clone(),
                    template: message.template.clone(),
                    attachment: message.attachment.clone(),
                    created_at: state.now(),
                })
            })
            .collect();
        if !deliveries.is_empty() {
            state.store.queue_channel_deliveries(&deliveries).await?;
        }
        Ok(())
    }
}
