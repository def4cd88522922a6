//! What the team does in Slack: claim a handoff with its button, and answer the customer by
//! replying in the handoff's thread. A Slack user acts as the Baton user with the same email
//! (read with `users.info`), with that user's rights; someone without an account is told so in
//! the thread and nothing changes.

use baton_core::channel::SlackSettings;
use baton_core::handoff::HandoffState;
use baton_core::ids::HandoffId;
use baton_core::user::User;
use baton_core::values::MessageText;
use baton_store::Channel;

use crate::channels::slack::{self, Call};
use crate::channels::slack_threads::FROM_SLACK_PREFIX;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Acts on a verified call; the text to answer Slack with.
pub async fn take_call(
    state: &AppState,
    channel: &Channel,
    settings: &SlackSettings,
    call: Call,
) -> ApiResult<String> {
    match call {
        Call::UrlVerification { challenge } => Ok(challenge),
        Call::Claim { slack_user, handoff } => {
            let Ok(handoff) = handoff.parse::<HandoffId>() else {
                return Err(ApiError::invalid("the claim names no handoff"));
            };
            let Some(thread) = state.store.slack_thread(handoff).await? else {
                return Err(ApiError::NotFound { what: "handoff posted to this channel" });
            };
            if thread.channel_id != channel.id {
                return Err(ApiError::NotFound { what: "handoff posted to this channel" });
            }
            let Some(user) = baton_user(state, settings, &slack_user, &thread.ts).await? else {
                return Ok(String::new());
            };
            if let Err(refused) = super::handoffs::claim(state, handoff, &user).await {
                tell(state, settings, &thread.ts, &format!("{} could not claim it: {refused}", user.name))
                    .await;
            }
            Ok(String::new())
        }
        Call::ThreadReply { slack_user, thread_ts, text, event_id } => {
            let Some(thread) = state.store.slack_thread_by_ts(channel.id, &thread_ts).await? else {
                return Ok(String::new());
            };
            let Ok(text) = MessageText::parse(text) else { return Ok(String::new()) };
            let Some(user) = baton_user(state, settings, &slack_user, &thread.ts).await? else {
                return Ok(String::new());
            };
            // Answering a chat nobody holds yet takes it, as replying in the inbox would after
            // a claim.
            let open = state.store.open_handoff(thread.conversation_id).await?;
            if let Some(open) = open.filter(|h| h.value.id == thread.handoff_id)
                && open.value.state != HandoffState::Live
                && let Err(refused) = super::handoffs::claim(state, open.value.id, &user).await
            {
                tell(state, settings, &thread.ts, &format!("Not sent: {refused}")).await;
                return Ok(String::new());
            }
            let client_id = format!("{FROM_SLACK_PREFIX}{event_id}");
            let sent = super::handoffs::user_message(
                state,
                thread.conversation_id,
                &user,
                text,
                Some(client_id),
                None,
            )
            .await;
            if let Err(refused) = sent {
                tell(state, settings, &thread.ts, &format!("Not sent to the customer: {refused}")).await;
            }
            Ok(String::new())
        }
        Call::Ignored => Ok(String::new()),
    }
}

/// The Baton user a Slack user is, by email; `None` (and a word in the thread) when none is.
async fn baton_user(
    state: &AppState,
    settings: &SlackSettings,
    slack_user: &str,
    thread: &str,
) -> ApiResult<Option<User>> {
    let email = slack::user_email(&state.http, settings, slack_user)
        .await
        .map_err(|e| ApiError::Unavailable { detail: format!("Slack did not say who that was: {e}") })?;
    let user = match &email {
        Some(email) => state.store.user_credentials(email).await?.map(|(user, _)| user),
        None => None,
    };
    match user.filter(|u| !u.disabled) {
        Some(user) => Ok(Some(user)),
        None => {
            let who = email.unwrap_or_else(|| "this Slack user".into());
            tell(state, settings, thread, &format!("{who} has no Baton account, so nothing was done.")).await;
            Ok(None)
        }
    }
}

/// A word from Baton in the thread; a failure to post it is only logged.
async fn tell(state: &AppState, settings: &SlackSettings, thread: &str, text: &str) {
    if let Err(error) = slack::post_message(&state.http, settings, text, None, Some(thread)).await {
        tracing::warn!(%error, "could not post to the Slack thread");
    }
}
