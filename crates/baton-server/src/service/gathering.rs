//! Gathering the policy's information before a handoff is routed: what the contact already
//! said is taken, each missing required field is asked in the policy's order, each answer is
//! validated and its value taken from the sentence by kind ("it is 4417" is the number 4417,
//! "sure, ana@example.com" the email; a bad one is asked again with the reason), and when
//! nothing required is missing the handoff goes to the queue or offline. A contact who asks
//! for a human again instead of answering is routed at once with whatever is known.

use std::collections::BTreeMap;

use baton_core::gathering::{Field, extract, validate};
use baton_core::handoff::{Command, Handoff, HandoffState};
use baton_core::policy::Policy;
use baton_store::{Conversation, NewMessage, StoreError};

use super::handoffs::routing_messages;
use super::{bot_message, commit_transition};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The values found in what the contact said (latest mention wins) or that an AI already
/// knew (`known`, kept when valid), and the first required field still missing.
pub(super) fn from_what_was_said(
    policy: &Policy,
    said: &[&str],
    known: BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Option<String>) {
    let gathered: BTreeMap<String, String> = policy
        .gather
        .iter()
        .filter_map(|field| {
            let given = known.get(&field.key).and_then(|value| validate(field, value).ok());
            given
                .or_else(|| said.iter().rev().find_map(|text| extract(field, text)))
                .map(|v| (field.key.clone(), v))
        })
        .collect();
    let ask = first_missing(policy, &gathered, None).map(|field| field.key.clone());
    (gathered, ask)
}

fn first_missing<'a>(
    policy: &'a Policy,
    gathered: &BTreeMap<String, String>,
    skip: Option<&str>,
) -> Option<&'a Field> {
    policy
        .gather
        .iter()
        .find(|f| f.required && !gathered.contains_key(&f.key) && Some(f.key.as_str()) != skip)
}

fn field<'a>(policy: &'a Policy, key: &str) -> Option<&'a Field> {
    policy.gather.iter().find(|f| f.key == key)
}

/// The question for field `key`, in the conversation's language.
pub(super) fn prompt(
    state: &AppState,
    conversation: &Conversation,
    policy: &Policy,
    key: Option<&str>,
) -> Option<NewMessage> {
    let field = field(policy, key?)?;
    let texts = policy.messages_for(conversation.language.as_deref());
    Some(bot_message(state, conversation.id, texts.gather_prompt.replace("{label}", &field.label)))
}

/// The contact's message while their handoff is gathering. `asked_for_human` is whether the
/// message itself asks for a human again.
pub async fn answer(
    state: &AppState,
    conversation: &Conversation,
    policy: &Policy,
    handoff: &Handoff,
    text: &str,
    asked_for_human: bool,
) -> ApiResult<()> {
    let current = state.store.handoff(handoff.id).await?.ok_or(ApiError::NotFound { what: "handoff" })?;
    if current.value.state != HandoffState::Gathering {
        return Ok(());
    }
    let handoff = &current.value;
    let asking = handoff.asking.as_deref().and_then(|key| field(policy, key));
    let verdict = asking.map(|field| (field, validate(field, text)));
    let mut gathered = handoff.gathered.clone();
    let mut messages = Vec::new();
    let mut transition = None;
    let give_up = asked_for_human;
    match verdict {
        Some((field, Err(reason))) if !give_up => {
            // Ask again, with the reason; nothing changes on the handoff.
            let texts = policy.messages_for(conversation.language.as_deref());
            let again = texts.gather_invalid.replace("{reason}", &reason).replace("{label}", &field.label);
            messages.push(bot_message(state, conversation.id, again));
        }
        verdict => {
            let answered = verdict.and_then(|(field, value)| value.ok().map(|v| (field.key.clone(), v)));
            if let Some((key, value)) = &answered {
                gathered.insert(key.clone(), value.clone());
            }
            let next = if give_up { None } else { first_missing(policy, &gathered, None) };
            let gather = Command::Gather {
                key: answered.as_ref().map(|(key, _)| key.clone()).unwrap_or_default(),
                value: answered.map(|(_, value)| value),
                next: next.map(|f| f.key.clone()),
            };
            let mut step = handoff.apply(gather, state.now())?;
            match next {
                Some(field) => messages.extend(prompt(state, conversation, policy, Some(&field.key))),
                None => {
                    let available = super::handoffs::can_take(state, conversation, policy).await?;
                    let route = Command::FinishGathering { humans_available: available };
                    let routed = step.handoff.apply(route, state.now())?;
                    messages.extend(routing_messages(state, conversation, policy, routed.handoff.state));
                    step.events.extend(routed.events);
                    step.handoff = routed.handoff;
                }
            }
            transition = Some(step);
        }
    }
    match transition {
        Some(step) => match commit_transition(state, Some(current.version), step, messages).await {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(ApiError::conflict("busy", "the handoff changed meanwhile")),
            Err(other) => Err(other.into()),
        },
        None => {
            for message in messages {
                state.store.append_message(message, baton_store::OwnerGuard::Anyone).await?;
            }
            Ok(())
        }
    }
}
