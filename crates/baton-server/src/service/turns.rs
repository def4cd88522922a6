//! The bot's turn queue, which survives restarts without a queue table.
//!
//! Each conversation keeps a cursor, `bot_seq`: the last contact message the bot has taken its
//! turn on. The contact messages after it are the bot's pending work, so storing a message is
//! enqueueing it, in the same transaction. This module only wakes the work up: one task per
//! busy conversation reads the pending messages from the store, in `seq` order, takes each turn
//! ([`super::bot::take_turn`]) and moves the cursor past it. Replies therefore never overtake
//! each other, a message committed out of order is still judged in order, and a slow backend
//! holds up only its own conversation. After a restart, [`resume`] wakes every conversation
//! with pending messages.

use std::collections::hash_map::Entry;
use std::panic::AssertUnwindSafe;

use baton_core::ids::ConversationId;
use baton_core::time::Timestamp;
use futures_util::FutureExt;

use super::bot::Cursor;
use crate::error::ApiResult;
use crate::state::SharedState;

/// How many pending messages a task reads at a time.
const BATCH: i64 = 50;

/// Makes sure the bot takes its turns in `conversation`: starts its task, or, if one is
/// running, has it look again for new messages when it is done with those it read.
pub fn wake(state: &SharedState, conversation: ConversationId) {
    let mut turns = state.bot_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match turns.entry(conversation) {
        Entry::Occupied(mut woken) => *woken.get_mut() = true,
        Entry::Vacant(slot) => {
            slot.insert(false);
            tokio::spawn(run(state.clone(), conversation));
        }
    }
}

async fn run(state: SharedState, conversation: ConversationId) {
    loop {
        let pending = match state.store.pending_turns(conversation, BATCH).await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::error!(%conversation, ?error, "could not read the bot's pending turns");
                Vec::new()
            }
        };
        if pending.is_empty() {
            let mut turns = state.bot_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if turns.get(&conversation) == Some(&true) {
                turns.insert(conversation, false);
                continue;
            }
            turns.remove(&conversation);
            return;
        }
        for message in pending {
            // A panic in one turn must not leave the conversation without a bot.
            let turn = AssertUnwindSafe(super::bot::take_turn(&state, &message)).catch_unwind().await;
            match turn {
                // The reply was written with the cursor's move: nothing more to store.
                Ok(Ok(Cursor::Moved)) => continue,
                Ok(Ok(Cursor::Stays)) => {}
                Ok(Err(error)) => {
                    tracing::error!(%conversation, seq = message.seq, ?error, "the bot's turn failed")
                }
                Err(_) => tracing::error!(%conversation, seq = message.seq, "the bot's turn panicked"),
            }
            // Done, whatever happened: a turn that failed on a broken store would fail again.
            if let Err(error) = state.store.set_bot_seq(conversation, message.seq).await {
                tracing::error!(%conversation, seq = message.seq, ?error, "could not record the bot's turn");
                return_after_failure(&state, conversation);
                return;
            }
        }
    }
}

/// The cursor cannot move (the store is failing): stop rather than spin; the next message or
/// a restart wakes the conversation again.
fn return_after_failure(state: &SharedState, conversation: ConversationId) {
    state.bot_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&conversation);
}

/// Wakes every conversation whose turns the bot had not taken when the server last stopped.
pub async fn resume(state: &SharedState) -> ApiResult<usize> {
    resume_waiting_since(state, Timestamp::from_millis(i64::MAX)).await
}

/// Wakes every conversation with a contact message the bot has not taken that was written
/// before `before`.
pub async fn resume_waiting_since(state: &SharedState, before: Timestamp) -> ApiResult<usize> {
    let waiting = state.store.conversations_with_turns_pending_since(before).await?;
    for conversation in &waiting {
        wake(state, *conversation);
    }
    Ok(waiting.len())
}
