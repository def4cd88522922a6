//! Requesting, claiming, closing and taking over handoffs; users writing into conversations.

use baton_core::channel::TemplateUse;
use baton_core::conversation::Owner;
use std::collections::BTreeMap;

use baton_core::handoff::{
    Command, Evidence, Handoff, HandoffState, Priority, Request, Transition, Trigger, UserRef,
};
use baton_core::ids::{ConversationId, HandoffId};
use baton_core::message::AuthorKind;
use baton_core::message::{Author, Message};
use baton_core::policy::Policy;
use baton_core::summary::{Summary, SummaryInput, summarize, summarize_human_part};
use baton_core::triggers::{Context, frustration};
use baton_core::user::{Role, User};
use baton_core::values::MessageText;
use baton_store::{Appended, Conversation, NewMessage, OwnerGuard, StoreError};

use super::Sent;
use super::access;
use super::conversations::{bot_of, load};
use super::gathering;
use super::routing::Snapshot;
use super::{apply_command, bot_message, commit_transition, new_message, system_message};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn user_ref(user: &User) -> UserRef {
    UserRef { id: user.id, name: user.name.clone() }
}

/// Whether an eligible human can take a handoff in `language` now: the bot within its office
/// hours and, if the policy checks, someone eligible on duty.
pub(super) async fn humans_available(
    state: &AppState,
    policy: &Policy,
    language: Option<&str>,
) -> ApiResult<bool> {
    let snapshot = Snapshot::load_roster(state).await?;
    Ok(snapshot.humans_available(policy, &snapshot.route_for_language(policy, language)))
}

/// Whether a new handoff of `conversation` finds someone: an outside helpdesk always takes
/// it (or fails it over), otherwise an eligible human on duty.
pub(super) async fn can_take(
    state: &AppState,
    conversation: &Conversation,
    policy: &Policy,
) -> ApiResult<bool> {
    if super::helpdesk::helpdesk_of(state, conversation.bot_id).await?.is_some() {
        return Ok(true);
    }
    humans_available(state, policy, conversation.language.as_deref()).await
}

/// What the contact is told when a handoff reaches `reached`.
pub(super) fn routing_messages(
    state: &AppState,
    conversation: &Conversation,
    policy: &Policy,
    reached: HandoffState,
) -> Vec<NewMessage> {
    let texts = policy.messages_for(conversation.language.as_deref());
    let id = conversation.id;
    match reached {
        HandoffState::Queued => vec![system_message(state, id, texts.handoff_queued)],
        // A mail's sender is known: the email channel leaves the lead itself (`MailLeads`).
        HandoffState::Offline if on_email(conversation) => vec![system_message(state, id, texts.offline)],
        HandoffState::Offline => {
            vec![system_message(state, id, texts.offline), system_message(state, id, texts.lead_prompt)]
        }
        _ => Vec::new(),
    }
}

fn on_email(conversation: &Conversation) -> bool {
    conversation
        .channel
        .as_ref()
        .is_some_and(|channel| channel.kind == baton_core::channel::ChannelKind::Email)
}

/// What an AI already knows about a handoff it opens or summarises; it takes the place of
/// what Baton would work out itself.
#[derive(Debug, Default)]
pub struct Known {
    pub summary: Option<String>,
    pub priority: Option<Priority>,
    /// Values of fields to gather; each is validated like a contact's answer.
    pub gathered: BTreeMap<String, String>,
    /// What the AI tells the contact, sent as the bot's message in the same transaction as
    /// the handoff, so it is never sent without one (or twice).
    pub message: Option<String>,
}

/// Opens a handoff for `conversation`, routed to the queue or to offline. 409 if one is open.
pub async fn request(
    state: &AppState,
    conversation: &Conversation,
    trigger: Trigger,
    reason: String,
    evidence: Evidence,
) -> ApiResult<Handoff> {
    request_with(state, conversation, trigger, reason, evidence, Known::default()).await
}

/// [`request`], with what an AI already knows.
#[tracing::instrument(skip_all, fields(conversation = %conversation.id, trigger = ?trigger))]
pub async fn request_with(
    state: &AppState,
    conversation: &Conversation,
    trigger: Trigger,
    reason: String,
    mut evidence: Evidence,
    known: Known,
) -> ApiResult<Handoff> {
    let bot = bot_of(state, conversation).await?;
    let policy = &bot.settings.policy;
    if !policy.enabled {
        return Err(ApiError::conflict("handoff_disabled", "this bot does not hand conversations to humans"));
    }
    let after = (conversation.last_seq - SUMMARY_WINDOW).max(0);
    let recent = state.store.messages_after(conversation.id, after, false, SUMMARY_WINDOW).await?;
    let said: Vec<&str> =
        recent.iter().filter(|m| m.author.kind == AuthorKind::Contact).map(|m| m.text.as_str()).collect();
    let summary = summarize_contact(trigger, &reason, evidence.topic.as_deref(), &said, evidence.frustration);
    evidence.summary = Some(known.summary.unwrap_or(summary.text));
    let priority = policy.prioritize(known.priority.unwrap_or(summary.priority), evidence.topic.as_deref());
    let (gathered, ask) = gathering::from_what_was_said(policy, &said, known.gathered);
    let transition = Handoff::request(
        Request {
            id: state.new_id(),
            conversation_id: conversation.id,
            trigger,
            reason,
            language: conversation.language.clone(),
            priority,
            contact: conversation.contact.clone(),
            evidence,
            gathered,
            ask,
            humans_available: can_take(state, conversation, policy).await?,
        },
        state.now(),
    );
    let mut messages: Vec<NewMessage> =
        known.message.into_iter().map(|text| bot_message(state, conversation.id, text)).collect();
    messages.extend(routing_messages(state, conversation, policy, transition.handoff.state));
    messages.extend(gathering::prompt(state, conversation, policy, transition.handoff.asking.as_deref()));
    match commit_transition(state, None, transition, messages).await {
        Ok((saved, _)) => Ok(saved.value),
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::conflict("handoff_open", "this conversation already has an open handoff"))
        }
        Err(other) => Err(other.into()),
    }
}

/// How many recent messages the summary reads.
const SUMMARY_WINDOW: i64 = 40;

/// The deterministic summary and priority of a handoff about to open, from what the contact said.
/// `latest_frustration` is the trigger engine's figure for the latest message (judged with
/// the conversation around it): the summary's mood ends on that same figure, so the inbox shows
/// one frustration, not two.
pub(super) fn summarize_contact(
    trigger: Trigger,
    reason: &str,
    topic: Option<&str>,
    said: &[&str],
    latest_frustration: Option<f32>,
) -> Summary {
    let mut contact_messages: Vec<(&str, f32)> = said
        .iter()
        .map(|text| {
            (*text, frustration(&Context { earlier: &[], text, bot_failures: None, semantic: &[] }).score)
        })
        .collect();
    if let (Some(last), Some(score)) = (contact_messages.last_mut(), latest_frustration) {
        last.1 = score;
    }
    summarize(&SummaryInput { trigger, reason, topic, contact_messages: &contact_messages })
}

/// The contact asked for a human again while a handoff is open: put an offline one back in
/// the queue if someone came online, otherwise remind them where things stand.
pub async fn repeat_request(state: &AppState, conversation: &Conversation, open: &Handoff) -> ApiResult<()> {
    let bot = bot_of(state, conversation).await?;
    let policy = &bot.settings.policy;
    let texts = policy.messages_for(conversation.language.as_deref());
    let reminder = match open.state {
        HandoffState::Offline if humans_available(state, policy, open.language.as_deref()).await? => {
            let policy = policy.clone();
            apply_command(
                state,
                open.id,
                |_| Ok(Command::Requeue),
                |_, t: &Transition| routing_messages(state, conversation, &policy, t.handoff.state),
            )
            .await?;
            return Ok(());
        }
        HandoffState::Offline => texts.lead_prompt,
        HandoffState::Queued | HandoffState::Offered | HandoffState::Gathering => texts.already_waiting,
        HandoffState::Ticket => texts.lead_success,
        HandoffState::Live | HandoffState::Closed => return Ok(()),
    };
    let message = system_message(state, conversation.id, reminder);
    state.store.append_message(message, OwnerGuard::Anyone).await?;
    Ok(())
}

/// "{name} has joined the conversation", in the contact's language.
pub(super) fn assigned_message(
    state: &AppState,
    policy: &Policy,
    conversation: &Conversation,
    name: &str,
) -> NewMessage {
    let text = policy.messages_for(conversation.language.as_deref()).handoff_assigned.replace("{name}", name);
    system_message(state, conversation.id, text)
}

/// Handoff `id`, its conversation, and its bot's policy.
async fn handoff_context(state: &AppState, id: HandoffId) -> ApiResult<(Handoff, Conversation, Policy)> {
    let handoff = state.store.handoff(id).await?.ok_or(ApiError::NotFound { what: "handoff" })?.value;
    let conversation = load(state, handoff.conversation_id).await?;
    let policy = bot_of(state, &conversation).await?.settings.policy;
    Ok((handoff, conversation, policy))
}

/// The broadcast strategy: the first eligible user to claim wins; the others get 409. An
/// agent may claim only handoffs routed to them (their team, their language); admins any.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %user.id))]
pub async fn claim(state: &AppState, id: HandoffId, user: &User) -> ApiResult<Handoff> {
    let (handoff, conversation, policy) = handoff_context(state, id).await?;
    if user.role != Role::Admin
        && matches!(handoff.state, HandoffState::Queued | HandoffState::Offline | HandoffState::Ticket)
    {
        let snapshot = Snapshot::load_roster(state).await?;
        let route = snapshot.route(&handoff, &policy);
        if !snapshot.roster.reaches_user(user.id, &route) {
            return Err(ApiError::Forbidden {
                code: "not_eligible",
                detail: "this handoff is routed to other users (another team or language)".into(),
            });
        }
    }
    access::handoff(state, user, &handoff).await?;
    let claimed = apply_command(
        state,
        id,
        |_| Ok(Command::Claim { user: user_ref(user) }),
        |_, _| vec![assigned_message(state, &policy, &conversation, &user.name)],
    )
    .await?;
    // A chat taken by hand counts as a turn: round robin serves whoever waited longest.
    state.store.set_last_assigned(user.id, state.now()).await?;
    Ok(claimed)
}

/// An admin gives a waiting handoff (queued, offered, offline or a ticket) to `assignee`, who
/// must be an enabled user: it goes live with them, whatever routing would have chosen.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %assignee))]
pub async fn assign(
    state: &AppState,
    id: HandoffId,
    assignee: baton_core::ids::UserId,
) -> ApiResult<Handoff> {
    let user = state.store.user(assignee).await?.ok_or_else(|| ApiError::Unprocessable {
        code: "validation_failed",
        detail: "user_id: no such user".into(),
    })?;
    if user.disabled {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("user_id: {} is disabled", user.name),
        });
    }
    let (_, conversation, policy) = handoff_context(state, id).await?;
    let assigned = apply_command(
        state,
        id,
        |_| Ok(Command::Assign { user: user_ref(&user) }),
        |_, _| vec![assigned_message(state, &policy, &conversation, &user.name)],
    )
    .await?;
    state.store.set_last_assigned(user.id, state.now()).await?;
    Ok(assigned)
}

/// Accepts an offer made to `user`; the handoff goes live with them.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %user.id))]
pub async fn accept(state: &AppState, id: HandoffId, user: &User) -> ApiResult<Handoff> {
    let (_, conversation, policy) = handoff_context(state, id).await?;
    let accepted = apply_command(
        state,
        id,
        |_| Ok(Command::Accept { user: user.id }),
        |_, _| vec![assigned_message(state, &policy, &conversation, &user.name)],
    )
    .await?;
    Ok(accepted)
}

/// Declines an offer made to `user`; routing offers it to the next eligible user at once.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %user.id))]
pub async fn decline(state: &AppState, id: HandoffId, user: &User) -> ApiResult<Handoff> {
    let declined =
        apply_command(state, id, |_| Ok(Command::Decline { user: user.id }), |_, _| Vec::new()).await?;
    Ok(declined)
}

/// Ends the handoff. A live chat goes back to the bot, which says so and asks for feedback.
#[tracing::instrument(skip_all, fields(handoff = %id, user = %user.id))]
pub async fn close(state: &AppState, id: HandoffId, user: &User) -> ApiResult<Handoff> {
    let (handoff, _, _) = handoff_context(state, id).await?;
    access::handoff(state, user, &handoff).await?;
    close_as(state, id, user.id, user.role == Role::Admin).await
}

/// Closes the handoff as `by` (a user, or the helpdesk channel standing in for its agents).
pub(super) async fn close_as(
    state: &AppState,
    id: HandoffId,
    by: baton_core::ids::UserId,
    as_admin: bool,
) -> ApiResult<Handoff> {
    let (handoff, conversation, policy) = handoff_context(state, id).await?;
    let texts = policy.messages_for(conversation.language.as_deref());
    let human_part = human_part_note(state, &conversation, &handoff).await?;
    let closed = apply_command(
        state,
        id,
        |_| Ok(Command::Close { by, as_admin, request_feedback: policy.feedback }),
        |before, after| {
            let mut messages = Vec::new();
            if matches!(before.state, HandoffState::Live | HandoffState::Queued | HandoffState::Offered) {
                messages.push(bot_message(state, conversation.id, texts.closing.clone()));
            }
            if after.handoff.feedback_requested {
                messages.push(bot_message(state, conversation.id, texts.feedback_request.clone()));
            }
            if let (HandoffState::Live, Some(note)) = (before.state, &human_part) {
                messages
                    .push(NewMessage { note: true, ..system_message(state, conversation.id, note.clone()) });
            }
            messages
        },
    )
    .await?;
    Ok(closed)
}

/// How many recent messages the note about the human part reads.
const HUMAN_PART_WINDOW: i64 = 200;

/// The note summing up a live chat about to close; `None` unless the handoff is live.
async fn human_part_note(
    state: &AppState,
    conversation: &Conversation,
    handoff: &Handoff,
) -> ApiResult<Option<String>> {
    let (HandoffState::Live, Some(assignee), Some(since)) =
        (handoff.state, &handoff.assignee, handoff.assigned_at)
    else {
        return Ok(None);
    };
    let after = (conversation.last_seq - HUMAN_PART_WINDOW).max(0);
    let recent = state.store.messages_after(conversation.id, after, false, HUMAN_PART_WINDOW).await?;
    let during = |kind: AuthorKind| -> Vec<&str> {
        recent
            .iter()
            .filter(|m| m.author.kind == kind && m.created_at >= since)
            .map(|m| m.text.as_str())
            .collect()
    };
    Ok(Some(summarize_human_part(
        &assignee.name,
        state.now().millis_since(since),
        &during(AuthorKind::User),
        &during(AuthorKind::Contact),
    )))
}

/// A user takes the conversation: claims its waiting handoff, or starts a live one.
#[tracing::instrument(skip_all, fields(conversation = %conversation, user = %user.id))]
pub async fn take_over(state: &AppState, conversation: ConversationId, user: &User) -> ApiResult<Handoff> {
    let conv = load(state, conversation).await?;
    access::conversation(state, user, &conv).await?;
    if let Some(open) = state.store.open_handoff(conversation).await? {
        return claim(state, open.value.id, user).await;
    }
    let bot = bot_of(state, &conv).await?;
    let transition =
        Handoff::take_over(state.new_id(), conversation, user_ref(user), conv.contact.clone(), state.now());
    let messages = vec![assigned_message(state, &bot.settings.policy, &conv, &user.name)];
    match commit_transition(state, None, transition, messages).await {
        Ok((saved, _)) => Ok(saved.value),
        // A handoff opened meanwhile: take that one instead.
        Err(StoreError::Conflict(_)) => match state.store.open_handoff(conversation).await? {
            Some(open) => claim(state, open.value.id, user).await,
            None => Err(ApiError::conflict("busy", "the conversation is changing; try again")),
        },
        Err(other) => Err(other.into()),
    }
}

/// A user's reply; only the user who owns the conversation may send one.
#[tracing::instrument(skip_all, fields(conversation = %conversation, user = %user.id))]
pub async fn user_message(
    state: &AppState,
    conversation: ConversationId,
    user: &User,
    text: MessageText,
    client_id: Option<String>,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Sent> {
    super::channels::check_reply_allowed(state, conversation).await?;
    let author = Author::user(user.id, user.name.clone());
    let message = super::typed_message(state, conversation, author, text, client_id)?;
    owner_sends(state, user, message, attachment).await
}

/// A user's reply as one of the conversation's WhatsApp channel's approved templates, its
/// variables filled with `choice.parameters`: allowed whether or not the 24-hour window is
/// open. The transcript shows the filled body.
#[tracing::instrument(skip_all, fields(conversation = %conversation, user = %user.id))]
pub async fn template_message(
    state: &AppState,
    conversation: ConversationId,
    user: &User,
    choice: TemplateUse,
    client_id: Option<String>,
) -> ApiResult<Sent> {
    let conv = load(state, conversation).await?;
    if conv.owner != (Owner::User { user_id: user.id }) {
        return Err(not_owner());
    }
    let template = super::channels::template(state, &conv, &choice.name, &choice.language).await?;
    let text = template.fill(&choice.parameters).map_err(ApiError::invalid)?;
    let author = Author::user(user.id, user.name.clone());
    let message = super::typed_message(state, conversation, author, MessageText::parse(text)?, client_id)?;
    owner_sends(state, user, NewMessage { template: Some(choice), ..message }, None).await
}

/// Stores `message` if `user` still owns its conversation, recording the handoff's first
/// response.
async fn owner_sends(
    state: &AppState,
    user: &User,
    message: NewMessage,
    attachment: Option<baton_store::NewAttachment>,
) -> ApiResult<Sent> {
    let conversation = message.conversation_id;
    let guard = OwnerGuard::Must(Owner::User { user_id: user.id });
    match super::store_typed(state, message, guard, attachment).await? {
        Some(Sent::New(message)) => {
            record_first_response(state, conversation).await?;
            Ok(Sent::New(message))
        }
        Some(repeated) => Ok(repeated),
        None => Err(not_owner()),
    }
}

fn not_owner() -> ApiError {
    ApiError::conflict(
        "not_owner",
        "you do not own this conversation: claim its handoff or take it over first",
    )
}

async fn record_first_response(state: &AppState, conversation: ConversationId) -> ApiResult<()> {
    let Some(open) = state.store.open_handoff(conversation).await? else {
        return Ok(());
    };
    if open.value.state == HandoffState::Live && open.value.first_response_at.is_none() {
        apply_command(state, open.value.id, |_| Ok(Command::RecordFirstResponse), |_, _| Vec::new()).await?;
    }
    Ok(())
}

/// A note: visible to users only, on any conversation the user may see.
pub async fn note(
    state: &AppState,
    conversation: ConversationId,
    user: &User,
    text: MessageText,
) -> ApiResult<Message> {
    access::conversation(state, user, &load(state, conversation).await?).await?;
    let message = NewMessage {
        note: true,
        ..new_message(state, conversation, Author::user(user.id, user.name.clone()), text.into_string())
    };
    match state.store.append_message(message, OwnerGuard::Anyone).await? {
        Appended::Created { message, .. } | Appended::Duplicate(message) => Ok(message),
        Appended::OwnerMoved => {
            Err(ApiError::Internal(anyhow::anyhow!("an unguarded append reported an owner change")))
        }
    }
}
