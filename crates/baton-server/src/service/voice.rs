//! Phone calls to a Twilio Voice number. A call opens a handoff in the caller's conversation
//! on the channel (found by their number, like a text), whose summary carries what the caller's
//! last chat was about. If the team is on duty (the bot's office hours, someone available) the
//! caller hears the greeting and is forwarded to the phone of the team the handoff is routed
//! to, or else the channel's `forward_to` number; a call
//! answered there closes the handoff. Outside hours, or when nobody answers, the caller leaves
//! a voicemail, which turns the handoff into a ticket holding the recording's link.
//!
//! Each step is one signed call of the channel's webhook; the step is named in its query
//! (`?step=dialed`, `?step=voicemail`), which Twilio's signature covers.

use baton_core::channel::VoiceSettings;
use baton_core::handoff::{Command, Evidence, Handoff, HandoffState, Trigger};
use baton_core::message::{Author, AuthorKind};
use baton_core::routing::{Target, TeamKey};
use baton_core::search::ConversationSearch;
use baton_store::{Channel, Conversation, NewMessage, OwnerGuard};

use super::handoffs::{self, Known};
use crate::channels::twilio::{VoiceCall, twiml};
use crate::error::ApiResult;
use crate::state::AppState;

/// What Twilio is told to do next, as TwiML.
pub async fn answer(
    state: &AppState,
    channel: &Channel,
    settings: &VoiceSettings,
    conversation: &Conversation,
    call: VoiceCall,
    step: Option<&str>,
) -> ApiResult<String> {
    let webhook = crate::channels::webhook_url(state, channel.id);
    let voicemail = || twiml::voicemail(&settings.voicemail_prompt, &format!("{webhook}?step=voicemail"));
    let open = state.store.open_handoff(conversation.id).await?.map(|h| h.value);
    match step {
        None => {
            let handoff = match open {
                Some(open) => open,
                None => open_for_call(state, conversation, &call).await?,
            };
            if matches!(handoff.state, HandoffState::Queued | HandoffState::Offered) {
                let number = forward_number(state, conversation, &handoff).await?;
                Ok(twiml::forward(
                    &settings.greeting,
                    number.as_deref().unwrap_or(&settings.forward_to),
                    &format!("{webhook}?step=dialed"),
                ))
            } else {
                Ok(voicemail())
            }
        }
        Some("dialed") => {
            let Some(handoff) = open else { return Ok(twiml::goodbye(None)) };
            if call.dial_status.as_deref() == Some("completed") {
                // Someone took the call on the phone: nothing is left waiting in the inbox.
                if matches!(handoff.state, HandoffState::Queued | HandoffState::Offered) {
                    let closed = super::apply_command(
                        state,
                        handoff.id,
                        |_| Ok(Command::ReturnToBot),
                        |_, _| Vec::new(),
                    );
                    closed.await?;
                }
                return Ok(twiml::goodbye(None));
            }
            Ok(voicemail())
        }
        Some("voicemail") => {
            let Some(url) = call.recording_url.as_deref() else { return Ok(twiml::goodbye(None)) };
            let seconds = call.recording_seconds.unwrap_or(0);
            let text = format!("Voicemail ({seconds} s): {url}");
            let message = NewMessage {
                client_id: Some(format!("voicemail:{}", call.call_sid)),
                ..super::new_message(state, conversation.id, Author::of_kind(AuthorKind::Contact), text)
            };
            state.store.append_message(message, OwnerGuard::Anyone).await?;
            if let Some(handoff) = open.filter(|h| {
                matches!(h.state, HandoffState::Queued | HandoffState::Offered | HandoffState::Offline)
            }) {
                super::apply_command(state, handoff.id, |_| Ok(Command::TakeVoicemail), |_, _| Vec::new())
                    .await?;
            }
            Ok(twiml::goodbye(Some("Thank you. Goodbye.")))
        }
        Some(_) => Ok(twiml::goodbye(None)),
    }
}

/// The phone of the first team the handoff is routed to that has one (its own targets, else
/// its policy's for its language); `None`: the channel's `forward_to`.
async fn forward_number(
    state: &AppState,
    conversation: &Conversation,
    handoff: &Handoff,
) -> ApiResult<Option<String>> {
    let bot = super::conversations::bot_of(state, conversation).await?;
    let targets = match &handoff.targets {
        Some(targets) => targets.clone(),
        None => bot.settings.policy.assignment.targets_for(handoff.language.as_deref()).to_vec(),
    };
    let teams = state.store.teams().await?;
    Ok(targets.iter().find_map(|target| {
        let Target::Team(key) = target else { return None };
        let team = teams.iter().find(|team| match key {
            TeamKey::Id(id) => team.id == *id,
            TeamKey::Name(name) => team.name == *name,
        })?;
        team.settings.phone.clone()
    }))
}

/// The handoff a call opens, summarised with the caller's last chat.
async fn open_for_call(
    state: &AppState,
    conversation: &Conversation,
    call: &VoiceCall,
) -> ApiResult<Handoff> {
    let caller = &call.from;
    let earlier = match conversation.contact_id {
        Some(contact) => {
            let search = ConversationSearch { contact: Some(contact), limit: 5, ..Default::default() };
            let hits = state.store.search_conversations(&search).await?;
            hits.into_iter()
                .filter(|hit| hit.conversation.id != conversation.id)
                .find_map(|hit| hit.handoffs.last().and_then(|h| h.evidence.summary.clone()))
        }
        None => None,
    };
    let summary = match earlier {
        Some(earlier) => format!("Phone call from {caller}. Their last chat: {earlier}"),
        None => format!("Phone call from {caller}; no earlier chat."),
    };
    let known = Known { summary: Some(summary), ..Known::default() };
    let reason = format!("phone call from {caller}");
    handoffs::request_with(state, conversation, Trigger::ExplicitRequest, reason, Evidence::default(), known)
        .await
}
