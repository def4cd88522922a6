//! The team's Slack channel as an event consumer: each handoff of a bot with an enabled Slack
//! channel is posted there as a thread's root (summary, priority, the details gathered, a
//! Claim button and a link to the inbox), the root is updated when someone takes the chat or
//! it closes, and while the handoff is open the customer's messages and the team's replies
//! made in the inbox are posted in the thread. Replies written in the thread come back through
//! the channel's webhook (`service::inbound`), marked so they are not posted again.
//!
//! Slack's outages and rate limits fail the batch, which the consumer takes again later; a
//! refusal (a wrong channel id, a revoked token) is logged and skipped, so one bad setting never
//! holds the other consumers' reactions back.

use std::collections::HashMap;

use baton_core::channel::{ChannelKind, ChannelSettings, SlackSettings};
use baton_core::event::Event;
use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::BotId;
use baton_core::message::{AuthorKind, Message};
use baton_store::{Channel, SlackThread, StoredEvent};
use serde_json::{Value, json};

use super::slack::{self, ApiError};
use crate::events::Consumer;
use crate::state::AppState;

/// The `client_id` prefix of a message written in a Slack thread: it is not posted back.
pub const FROM_SLACK_PREFIX: &str = "slack:";

pub struct SlackThreads;

impl Consumer for SlackThreads {
    fn name(&self) -> &'static str {
        "slack"
    }

    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        let channels: Vec<Channel> = state
            .store
            .channels()
            .await?
            .into_iter()
            .filter(|c| c.enabled && c.kind() == ChannelKind::Slack)
            .collect();
        if channels.is_empty() {
            return Ok(());
        }
        let by_bot: HashMap<BotId, &Channel> = channels.iter().map(|c| (c.bot_id, c)).collect();
        for stored in events {
            let outcome = match &stored.event {
                Event::HandoffQueued(handoff) | Event::HandoffOffline(handoff) => {
                    post_handoff(state, &by_bot, handoff).await
                }
                Event::HandoffAssigned(handoff)
                | Event::HandoffClosed(handoff)
                | Event::LeadCaptured(handoff) => update_root(state, &channels, handoff).await,
                Event::MessageCreated(message) if mirrored(message) => {
                    post_message(state, &channels, message).await
                }
                _ => Ok(()),
            };
            match outcome {
                Ok(()) => {}
                Err(ApiError::Transient(why)) => anyhow::bail!("Slack: {why}"),
                Err(ApiError::Permanent(why)) => {
                    tracing::warn!(event = stored.id, %why, "Slack refused a post")
                }
            }
        }
        Ok(())
    }
}

/// The messages a thread shows: the customer's, and the team's written in the inbox.
fn mirrored(message: &Message) -> bool {
    let from_slack = message.client_id.as_deref().is_some_and(|id| id.starts_with(FROM_SLACK_PREFIX));
    !message.note && !from_slack && matches!(message.author.kind, AuthorKind::Contact | AuthorKind::User)
}

fn settings(channel: &Channel) -> Option<&SlackSettings> {
    match &channel.settings {
        ChannelSettings::Slack(settings) => Some(settings),
        _ => None,
    }
}

/// The root message's words and blocks for a handoff as it now stands.
fn root(state: &AppState, handoff: &Handoff) -> (String, Value) {
    let who =
        handoff.contact.name.clone().or_else(|| handoff.contact.email.clone()).unwrap_or("A customer".into());
    let summary = handoff.evidence.summary.clone().unwrap_or_else(|| handoff.reason.clone());
    let priority = serde_json::to_value(handoff.priority).ok().and_then(|p| p.as_str().map(str::to_owned));
    let headline = format!("*{who}* needs a person · priority {}", priority.unwrap_or_default());
    let mut fields: Vec<Value> = handoff
        .gathered
        .iter()
        .map(
            |(key, value)| json!({"type": "mrkdwn", "text": format!("*{}*\n{value}", key.replace('_', " "))}),
        )
        .collect();
    if let Some(language) = &handoff.language {
        fields.push(json!({"type": "mrkdwn", "text": format!("*Language*\n{language}")}));
    }
    let link = format!("{}/inbox#c={}", state.settings.public_base_url(), handoff.conversation_id);
    let status = match (handoff.state, &handoff.assignee) {
        (HandoffState::Closed, _) => "Closed".to_owned(),
        (HandoffState::Live, Some(user)) => format!("Claimed by {}", user.name),
        (HandoffState::Ticket, _) => "The customer left their details: a ticket".to_owned(),
        (HandoffState::Offline, _) => "Nobody is on duty: the customer was asked for their email".to_owned(),
        _ => "Waiting".to_owned(),
    };
    let mut blocks = vec![
        json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("{headline}\n{summary}")}}),
    ];
    if !fields.is_empty() {
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    let mut actions = Vec::new();
    if matches!(
        handoff.state,
        HandoffState::Queued | HandoffState::Offered | HandoffState::Offline | HandoffState::Ticket
    ) {
        actions.push(json!({"type": "button", "style": "primary", "action_id": "claim", "value": handoff.id.to_string(),
            "text": {"type": "plain_text", "text": "Claim"}}));
    }
    actions.push(json!({"type": "button", "action_id": "open", "url": link, "text": {"type": "plain_text", "text": "Open in Baton"}}));
    blocks.push(json!({"type": "actions", "elements": actions}));
    blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": status}]}));
    (format!("{who} needs a person: {summary}"), Value::Array(blocks))
}

async fn post_handoff(
    state: &AppState,
    by_bot: &HashMap<BotId, &Channel>,
    handoff: &Handoff,
) -> Result<(), ApiError> {
    let store_error = |e: baton_store::StoreError| ApiError::Transient(e.to_string());
    if state.store.slack_thread(handoff.id).await.map_err(store_error)?.is_some() {
        return Ok(());
    }
    let Some(conversation) = state.store.conversation(handoff.conversation_id).await.map_err(store_error)?
    else {
        return Ok(());
    };
    let Some(channel) = by_bot.get(&conversation.bot_id) else { return Ok(()) };
    let Some(settings) = settings(channel) else { return Ok(()) };
    let (text, blocks) = root(state, handoff);
    let ts = slack::post_message(&state.http, settings, &text, Some(blocks), None).await?;
    let thread = SlackThread {
        handoff_id: handoff.id,
        channel_id: channel.id,
        conversation_id: handoff.conversation_id,
        slack_channel: settings.channel.clone(),
        ts,
        created_at: state.now(),
    };
    state.store.save_slack_thread(&thread).await.map_err(store_error)?;
    Ok(())
}

async fn update_root(state: &AppState, channels: &[Channel], handoff: &Handoff) -> Result<(), ApiError> {
    let store_error = |e: baton_store::StoreError| ApiError::Transient(e.to_string());
    let Some(thread) = state.store.slack_thread(handoff.id).await.map_err(store_error)? else {
        return Ok(());
    };
    let Some(settings) = channels.iter().find(|c| c.id == thread.channel_id).and_then(settings) else {
        return Ok(());
    };
    let (text, blocks) = root(state, handoff);
    slack::update_message(&state.http, settings, &thread.ts, &text, blocks).await
}

async fn post_message(state: &AppState, channels: &[Channel], message: &Message) -> Result<(), ApiError> {
    let store_error = |e: baton_store::StoreError| ApiError::Transient(e.to_string());
    let threads = state.store.slack_threads_of(&[message.conversation_id]).await.map_err(store_error)?;
    let Some(thread) = threads.into_iter().next() else { return Ok(()) };
    // Only while the thread's handoff is open: afterwards the customer talks to the bot again.
    let open = state.store.open_handoff(message.conversation_id).await.map_err(store_error)?;
    if open.is_none_or(|h| h.value.id != thread.handoff_id) {
        return Ok(());
    }
    let Some(settings) = channels.iter().find(|c| c.id == thread.channel_id).and_then(settings) else {
        return Ok(());
    };
    let who = match message.author.kind {
        AuthorKind::Contact => "Customer".to_owned(),
        _ => message.author.name.clone().unwrap_or_else(|| "Team".into()),
    };
    let text = format!("*{who}:* {}", message.text);
    slack::post_message(&state.http, settings, &text, None, Some(&thread.ts)).await.map(drop)
}
