//! The bot's turn on one contact message ([`super::turns`] queues them).
//!
//! A turn first checks the triggers (an explicit request for a human opens a handoff before
//! the bot says anything), then asks the AI backend, then writes the reply only if the bot
//! still owns the conversation: a reply computed while a user claimed it is dropped. With the
//! semantic layer and an LLM, the model is asked while the layer searches, and its answer is
//! dropped unsent when the search hands off (the contact may have seen the bot typing).

use std::future::Future;
use std::pin::Pin;

use baton_ai::Reply;
use baton_core::backend::BackendSettings;
use baton_core::conversation::Owner;
use baton_core::handoff::{Evidence, SignalRecord};
use baton_core::handoff::{HandoffState, Trigger};
use baton_core::message::AuthorKind;
use baton_core::message::Message;
use baton_core::policy::BotSettings;
use baton_core::triggers::engine::Engine;
use baton_core::triggers::{Context, Line, SemanticHit, Speaker};
use baton_store::Conversation;
use baton_store::{NewMessage, OwnerGuard};

use super::bot_message;
use super::conversations::{self, bot_of, load};
use super::{ai, gathering, handoffs};
use crate::error::ApiResult;
use crate::state::SharedState;

/// How many earlier messages the backend sees. Notes are among them: Baton's own (the summary
/// of a closed handoff) tell an AI what happened; backends leave out the team's.
const HISTORY: i64 = 20;

/// Where a turn left the bot's cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cursor {
    /// Already past the message: the turn's reply moved it, or another turn took it.
    Moved,
    /// Still before the message: the queue moves it.
    Stays,
}

/// Judges one contact message and answers it (the queue in [`super::turns`] calls this).
#[tracing::instrument(skip_all, fields(conversation = %message.conversation_id, seq = message.seq))]
pub(super) async fn take_turn(state: &SharedState, message: &Message) -> ApiResult<Cursor> {
    let mut conversation = load(state, message.conversation_id).await?;
    if conversation.bot_seq >= message.seq {
        return Ok(Cursor::Moved);
    }
    // A person took the chat since the message came: they answer it, and asking again for a
    // person is moot. (Messages sent while a person owns the chat never get here: the store
    // moves the cursor past them.)
    if matches!(conversation.owner, Owner::User { .. }) {
        return Ok(Cursor::Stays);
    }
    let bot = bot_of(state, &conversation).await?;
    let policy = &bot.settings.policy;
    let open = state.store.open_handoff(conversation.id).await?.map(|h| h.value);
    let mut history =
        state.store.messages_after(conversation.id, (message.seq - HISTORY).max(0), true, HISTORY).await?;
    // What came after this message is not part of this turn.
    history.retain(|m| m.seq <= message.seq);
    if !conversation.language_from_locale {
        update_language(state, &mut conversation, &policy.languages, &history).await?;
    }
    // While a ticket is open the team answers by email: the message joins the ticket (users
    // see it, and may still claim the ticket and answer live) instead of the bot starting over.
    if let Some(ticket) = open.as_ref().filter(|h| h.state == HandoffState::Ticket) {
        return conversations::added_to_ticket(state, &conversation, policy, ticket, &history, message)
            .await
            .map(|()| Cursor::Stays);
    }
    // A messenger has no lead form: while the team is offline, a message there that holds an
    // email address leaves the lead, with the message as what the contact wants.
    if conversation.channel.is_some()
        && open.as_ref().is_some_and(|h| h.state == HandoffState::Offline)
        && let Some(email) = baton_core::gathering::email_in(&message.text)
    {
        let name = conversation.contact.name.clone();
        return conversations::capture_lead(
            state,
            conversation.id,
            email.as_str(),
            name.as_deref(),
            Some(&message.text),
        )
        .await
        .map(|_| Cursor::Stays);
    }
    // Asked to rate the human part, the contact may type the rating instead of clicking it.
    if open.is_none()
        && let Some(rating) = baton_core::feedback::rating_in(&message.text)
        && conversations::feedback_pending(state, conversation.id).await?
    {
        return conversations::give_feedback(state, conversation.id, rating, None)
            .await
            .map(|_| Cursor::Stays);
    }

    if policy.enabled {
        let earlier: Vec<Line> = history
            .iter()
            .filter(|m| m.seq < message.seq)
            .filter_map(|m| match m.author.kind {
                AuthorKind::Contact => Some(Line { speaker: Speaker::Contact, text: &m.text }),
                AuthorKind::Bot => Some(Line { speaker: Speaker::Bot, text: &m.text }),
                AuthorKind::User | AuthorKind::System => None,
            })
            .collect();
        let failures = u32::try_from(conversation.bot_failures).unwrap_or(u32::MAX);
        let thresholds = super::semantic::thresholds(state);
        let engine = Engine::new(policy).with_semantic_thresholds(thresholds);
        let by_words =
            Context { earlier: &earlier, text: &message.text, bot_failures: Some(failures), semantic: &[] };
        // An LLM's answer takes longer than the semantic search: when the words alone hand
        // nothing off, the answer is asked for while the search runs, so the search adds no
        // wait to a turn the bot answers, and is dropped unsent when the search hands off.
        // Only a model is asked ahead: an external bot's webhook would act on the message.
        let words_only = engine.evaluate(&by_words);
        let ask_ahead = open.is_none()
            && conversation.owner == Owner::Bot
            && matches!(bot.settings.backend, BackendSettings::OpenAi(_))
            && super::semantic::searches(state, policy)
            && words_only.decision.is_none();
        let ahead = ask_ahead.then(|| {
            ai::ask(
                state,
                &conversation,
                &bot.settings,
                &history,
                &message.text,
                may_ai_hand_off(policy, true),
            )
        });
        let searching = super::semantic::hits(state, policy, &message.text, &words_only);
        let (semantic, ahead) = alongside(searching, ahead).await;
        let context = Context { semantic: &semantic, ..by_words };
        // Without hits the words' evaluation is the whole one: the engine runs once.
        let mut evaluation = if semantic.is_empty() { words_only } else { engine.evaluate(&context) };
        // The judge is asked only before a handoff: an open one already has people on it.
        if open.is_none() {
            evaluation =
                super::judge::consult(state, &engine, policy, &bot.settings.backend, &context, evaluation)
                    .await;
        }
        if let Some(open) = open.as_ref().filter(|h| h.state == HandoffState::Gathering) {
            let asked_for_human =
                evaluation.decision.as_ref().is_some_and(|d| d.trigger == Trigger::ExplicitRequest);
            return gathering::answer(state, &conversation, policy, open, &message.text, asked_for_human)
                .await
                .map(|()| Cursor::Stays);
        }
        if let Some(decision) = evaluation.decision {
            drop(ahead);
            // A short request can be too little text for statistics, but its grammar says
            // which language it is in.
            if let (None, false, Some(language)) = (
                &conversation.language,
                conversation.language_from_locale,
                decision.language.filter(|language| policy.speaks(language)),
            ) {
                state.store.set_language(conversation.id, language).await?;
                conversation.language = Some(language.to_owned());
            }
            return match open {
                None => {
                    let evidence = Evidence {
                        summary: None,
                        topic: decision.topic,
                        frustration: Some(evaluation.frustration),
                        signals: evaluation
                            .signals
                            .into_iter()
                            .map(|s| SignalRecord {
                                name: s.name.to_owned(),
                                detail: s.detail,
                                weight: s.weight,
                            })
                            .collect(),
                    };
                    let known = ai::summarized(state, &conversation, &bot.settings, &history).await;
                    handoffs::request_with(
                        state,
                        &conversation,
                        decision.trigger,
                        decision.reason,
                        evidence,
                        known,
                    )
                    .await
                    .map(|_| Cursor::Stays)
                }
                Some(open) if decision.trigger == Trigger::ExplicitRequest => {
                    handoffs::repeat_request(state, &conversation, &open).await.map(|()| Cursor::Stays)
                }
                // Already with the team (or waiting for it): nothing new to open.
                Some(_) if conversation.owner != Owner::Bot => Ok(Cursor::Stays),
                Some(_) => answer(state, &conversation, &bot.settings, &history, message, false, None).await,
            };
        }
        if let Some(ahead) = ahead {
            let reply = ahead.reply().await;
            return answer(state, &conversation, &bot.settings, &history, message, true, Some(reply)).await;
        }
    }
    if conversation.owner != Owner::Bot {
        return Ok(Cursor::Stays);
    }
    answer(state, &conversation, &bot.settings, &history, message, open.is_none(), None).await
}

/// The bot's answer, asked for before the turn knew it would give one (see `take_turn`).
enum Ahead<F: Future> {
    Ready(F::Output),
    Pending(Pin<Box<F>>),
}

impl<F: Future> Ahead<F> {
    async fn reply(self) -> F::Output {
        match self {
            Self::Ready(reply) => reply,
            Self::Pending(asking) => asking.await,
        }
    }
}

/// The semantic hits, with the answer asked ahead (if any) running at the same time: whichever
/// finishes first, the hits are waited for, and the answer only if it came first.
async fn alongside<F: Future>(
    hits: impl Future<Output = Vec<SemanticHit>>,
    ahead: Option<F>,
) -> (Vec<SemanticHit>, Option<Ahead<F>>) {
    let Some(asking) = ahead else { return (hits.await, None) };
    let mut hits = std::pin::pin!(hits);
    let mut asking = Box::pin(asking);
    tokio::select! {
        found = &mut hits => (found, Some(Ahead::Pending(asking))),
        reply = &mut asking => (hits.await, Some(Ahead::Ready(reply))),
    }
}

/// Whether the model may hand off itself (a tool it is offered) on this turn.
fn may_ai_hand_off(policy: &baton_core::policy::Policy, may_hand_off: bool) -> bool {
    may_hand_off && policy.enabled && policy.triggers().ai_decision
}

/// How many of the contact's latest messages language detection reads together.
const LANGUAGE_WINDOW: usize = 5;

/// Detects the language of the contact's latest messages and keeps it on the conversation
/// when detection is confident and it changed.
async fn update_language(
    state: &SharedState,
    conversation: &mut Conversation,
    languages: &[String],
    history: &[Message],
) -> ApiResult<()> {
    let recent: Vec<&str> = history
        .iter()
        .rev()
        .filter(|m| m.author.kind == AuthorKind::Contact)
        .take(LANGUAGE_WINDOW)
        .map(|m| m.text.as_str())
        .collect();
    let text = recent.into_iter().rev().collect::<Vec<_>>().join("\n");
    if let Some(language) = baton_ai::language::detect_among(&text, languages)
        && conversation.language.as_deref() != Some(language)
    {
        state.store.set_language(conversation.id, language).await?;
        conversation.language = Some(language.to_owned());
    }
    Ok(())
}

/// The bot's answer to `message` (`asked`, when it was asked for ahead), written only if the
/// bot still owns the conversation; after too many answers in a row that could not help, a
/// `bot_failure` handoff when `may_hand_off`.
async fn answer(
    state: &SharedState,
    conversation: &Conversation,
    settings: &BotSettings,
    history: &[Message],
    message: &Message,
    may_hand_off: bool,
    asked: Option<Result<Reply, baton_ai::AiError>>,
) -> ApiResult<Cursor> {
    let policy = &settings.policy;
    let replied = match asked {
        Some(replied) => replied,
        None => {
            let may_ai_hand_off = may_ai_hand_off(policy, may_hand_off);
            ai::ask(state, conversation, settings, history, &message.text, may_ai_hand_off).await
        }
    };
    let reply = match replied {
        Ok(reply) => reply,
        Err(error) => {
            match ai::recover(state, conversation, settings, &message.text, may_hand_off, error).await? {
                Some(reply) => reply,
                None => return Ok(Cursor::Stays),
            }
        }
    };
    let (text, helped) = match reply {
        Reply::Answer(text) => (ai::clip(&text), true),
        Reply::CannotHelp(text) => (ai::clip(&text), false),
        Reply::HandOff(decision) => {
            return ai::hand_off(state, conversation, decision).await.map(|_| Cursor::Stays);
        }
        // An external bot answers through the API.
        Reply::Deferred => return Ok(Cursor::Stays),
    };
    // The turn's own client_id: a turn taken twice (by an instance that took over while
    // another still ran it) stores one answer.
    let reply = NewMessage {
        completes_turn: Some(message.seq),
        client_id: Some(format!("bot-turn-{}", message.seq)),
        ..bot_message(state, conversation.id, text)
    };
    let written = state.store.append_message(reply, OwnerGuard::Must(Owner::Bot)).await?;
    if !matches!(written, baton_store::Appended::Created { .. }) {
        return Ok(Cursor::Stays);
    }

    let failures = if helped { 0 } else { conversation.bot_failures + 1 };
    let threshold = i64::from(policy.triggers().bot_failure_threshold);
    let hand_off = policy.enabled && threshold > 0 && failures >= threshold && may_hand_off;
    let failures = if hand_off { 0 } else { failures };
    if failures != conversation.bot_failures {
        state.store.set_bot_failures(conversation.id, failures).await?;
    }
    if hand_off {
        let reason = format!("the bot could not help {threshold} times in a row");
        handoffs::request(state, conversation, Trigger::BotFailure, reason, Evidence::default()).await?;
    }
    Ok(Cursor::Moved)
}
