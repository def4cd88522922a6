//! The bot's turns. Each contact message is queued per conversation and answered in `seq`
//! order by one task per busy conversation, so replies never overtake each other and a slow
//! backend blocks only its own conversation.
//!
//! A turn first checks the triggers (an explicit request for a human opens a handoff before
//! the bot says anything), then asks the AI backend, then writes the reply only if the bot
//! still owns the conversation: a reply computed while a user claimed it is dropped.

use std::collections::VecDeque;
use std::collections::hash_map::Entry;

use baton_ai::{Reply, Turn};
use baton_core::conversation::Owner;
use baton_core::handoff::Trigger;
use baton_core::message::Message;
use baton_core::triggers::detect_explicit_request;
use baton_store::OwnerGuard;

use super::bot_message;
use super::conversations::{bot_of, load};
use super::handoffs;
use crate::error::ApiResult;
use crate::state::SharedState;

/// How many earlier messages the backend sees.
const HISTORY: i64 = 20;

/// Queues `message` for the bot, starting the conversation's task if it is idle.
pub fn enqueue(state: &SharedState, message: Message) {
    let conversation = message.conversation_id;
    let mut turns = state.bot_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match turns.entry(conversation) {
        Entry::Occupied(mut queue) => {
            let queue = queue.get_mut();
            let at = queue.partition_point(|queued| queued.seq < message.seq);
            queue.insert(at, message);
        }
        Entry::Vacant(slot) => {
            slot.insert(VecDeque::from([message]));
            tokio::spawn(run_turns(state.clone(), conversation));
        }
    }
}

async fn run_turns(state: SharedState, conversation: baton_core::ids::ConversationId) {
    loop {
        let next = {
            let mut turns = state.bot_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match turns.get_mut(&conversation).and_then(VecDeque::pop_front) {
                Some(message) => message,
                None => {
                    turns.remove(&conversation);
                    return;
                }
            }
        };
        if let Err(error) = take_turn(&state, &next).await {
            tracing::error!(%conversation, seq = next.seq, ?error, "the bot's turn failed");
        }
    }
}

async fn take_turn(state: &SharedState, message: &Message) -> ApiResult<()> {
    let conversation = load(state, message.conversation_id).await?;
    let bot = bot_of(state, &conversation).await?;
    let policy = &bot.settings.policy;
    let open = state.store.open_handoff(conversation.id).await?.map(|h| h.value);

    if policy.enabled && policy.triggers().explicit_request {
        if let Some(found) = detect_explicit_request(&message.text) {
            let reason = format!("explicit request: '{}' ({})", found.phrase, found.language);
            return match open {
                None => handoffs::request(
                    state,
                    &conversation,
                    Trigger::ExplicitRequest,
                    reason,
                    Default::default(),
                )
                .await
                .map(drop),
                Some(open) => handoffs::repeat_request(state, &conversation, &open).await,
            };
        }
    }
    if conversation.owner != Owner::Bot {
        return Ok(());
    }

    let history =
        state.store.messages_after(conversation.id, (message.seq - HISTORY).max(0), false, HISTORY).await?;
    let reply =
        state.ai.reply(Turn { settings: &bot.settings, history: &history, text: &message.text }).await;
    let (text, helped) = match reply {
        Reply::Answer(text) => (text, true),
        Reply::CannotHelp(text) => (text, false),
    };
    let written = state
        .store
        .append_message(bot_message(state, conversation.id, text), OwnerGuard::Must(Owner::Bot))
        .await?;
    if !matches!(written, baton_store::Appended::Created(_)) {
        return Ok(());
    }
    state.outbox_ready.notify_one();

    let failures = if helped { 0 } else { conversation.bot_failures + 1 };
    let threshold = i64::from(policy.triggers().bot_failure_threshold);
    let hand_off = policy.enabled && threshold > 0 && failures >= threshold && open.is_none();
    let failures = if hand_off { 0 } else { failures };
    if failures != conversation.bot_failures {
        state.store.set_bot_failures(conversation.id, failures).await?;
    }
    if hand_off {
        let reason = format!("the bot could not help {threshold} times in a row");
        handoffs::request(state, &conversation, Trigger::BotFailure, reason, Default::default()).await?;
    }
    Ok(())
}
