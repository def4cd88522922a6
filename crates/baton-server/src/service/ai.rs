//! Asking the bot's AI backend for a reply, and what happens when it fails or decides a human
//! must take over.
//!
//! A remote backend is tried `1 + retries` times (the policy's `ai_failure`); after that the
//! policy's fallback applies: hand off with trigger `bot_failure` (when the policy can), or let
//! the built-in rules bot answer. Either way the contact gets an answer or a human: a failing
//! backend never leaves a conversation waiting.

use std::time::Duration;

use baton_ai::{AiBackend, AiError, AiHandoff, Backend, Reply, RulesBot, Turn};
use baton_core::backend::Fallback;
use baton_core::event::EventKind;
use baton_core::handoff::{Evidence, Handoff, SignalRecord, Trigger};
use baton_core::message::Message;
use baton_core::policy::{BotSettings, TriggerSettings};
use baton_core::values::MessageText;
use baton_store::Conversation;

use super::handoffs::{self, Known};
use crate::error::ApiResult;
use crate::realtime::bus::{BusEvent, frame};
use crate::state::AppState;

/// The pause before retrying a failed call, times the attempt number.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// The longest a handoff waits for an AI summary before opening with Baton's own.
const SUMMARY_PATIENCE: Duration = Duration::from_secs(5);

/// An AI's text cut to what a message may hold, so a rambling model cannot write more than a
/// person could.
pub(super) fn clip(text: &str) -> String {
    text.trim().chars().take(MessageText::MAX_CHARS).collect()
}

/// What the backend says about `text`, retried as the policy allows.
pub(super) async fn ask(
    state: &AppState,
    conversation: &Conversation,
    settings: &BotSettings,
    history: &[Message],
    text: &str,
    may_hand_off: bool,
) -> Result<Reply, AiError> {
    let backend = Backend::new(&settings.backend, &state.http);
    let attempts = if backend.is_remote() { settings.policy.ai_failure.retries.saturating_add(1) } else { 1 };
    let typing = typing_notifier(state, conversation);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let turn = Turn {
            may_hand_off,
            on_first_token: Some(&typing),
            ..turn(conversation, settings, history, text)
        };
        let started = std::time::Instant::now();
        let replied = backend.reply(turn).await;
        let kind = backend_kind(&settings.backend);
        let outcome = if replied.is_ok() { "ok" } else { "error" };
        metrics::counter!("baton_ai_calls_total", "backend" => kind, "outcome" => outcome).increment(1);
        metrics::histogram!("baton_ai_call_duration_seconds", "backend" => kind)
            .record(started.elapsed().as_secs_f64());
        match replied {
            Ok(reply) => return Ok(reply),
            Err(error) if attempt < attempts => {
                tracing::warn!(conversation = %conversation.id, attempt, %error, "the AI backend failed; retrying");
                tokio::time::sleep(RETRY_PAUSE * attempt).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// The backend's kind, as a metrics label.
fn backend_kind(backend: &baton_core::backend::BackendSettings) -> &'static str {
    match backend {
        baton_core::backend::BackendSettings::Rules => "rules",
        baton_core::backend::BackendSettings::OpenAi(_) => "openai",
        baton_core::backend::BackendSettings::Webhook(_) => "webhook",
    }
}

/// A turn on `text` in `conversation`, in its language; it may not hand off or stream.
pub(super) fn turn<'a>(
    conversation: &'a Conversation,
    settings: &'a BotSettings,
    history: &'a [Message],
    text: &'a str,
) -> Turn<'a> {
    Turn {
        settings,
        conversation_id: conversation.id,
        history,
        text,
        language: conversation.language.as_deref(),
        may_hand_off: false,
        on_first_token: None,
    }
}

/// Tells the contact's widget the bot is typing (a streamed answer has started).
fn typing_notifier(state: &AppState, conversation: &Conversation) -> impl Fn() + Send + Sync + use<> {
    let bus = state.bus.clone();
    let id = conversation.id;
    move || {
        let data = serde_json::json!({ "conversation_id": id, "author": { "kind": "bot" } });
        let frame = frame(EventKind::Typing.name(), &data);
        bus.publish(BusEvent {
            kind: EventKind::Typing,
            conversation_id: Some(id),
            seq: None,
            for_contact: true,
            contact_frame: Some(frame.clone()),
            frame,
            facts: None,
        });
    }
}

/// After the backend failed for good: hands off with `bot_failure` when the policy says so and
/// can (returning `None`), otherwise the rules bot's reply.
pub(super) async fn recover(
    state: &AppState,
    conversation: &Conversation,
    settings: &BotSettings,
    text: &str,
    may_hand_off: bool,
    error: AiError,
) -> ApiResult<Option<Reply>> {
    let policy = &settings.policy;
    tracing::warn!(conversation = %conversation.id, %error, fallback = ?policy.ai_failure.fallback, "the AI backend failed");
    // A bot whose triggers are all off (`ai_only`) never hands off, not even when its AI fails.
    let hands_off = policy.enabled && policy.triggers() != TriggerSettings::OFF;
    if policy.ai_failure.fallback == Fallback::HandOff && may_hand_off && hands_off {
        let reason = format!("the AI backend failed ({}): {error}", error.kind());
        let evidence = Evidence {
            signals: vec![SignalRecord {
                name: "ai_failure".into(),
                detail: error.kind().into(),
                weight: 1.0,
            }],
            ..Evidence::default()
        };
        match handoffs::request(state, conversation, Trigger::BotFailure, reason, evidence).await {
            Ok(_) => return Ok(None),
            Err(refused) => {
                tracing::warn!(conversation = %conversation.id, ?refused, "could not hand off; the rules bot answers")
            }
        }
    }
    let turn = turn(conversation, settings, &[], text);
    Ok(Some(RulesBot.reply(turn).await.unwrap_or_else(|_| {
        Reply::CannotHelp(policy.messages_for(conversation.language.as_deref()).cannot_help)
    })))
}

/// An AI (the LLM's tool call, or an external bot) decided a human must take over: the
/// handoff opens with what the AI knows, its message to the contact going first.
pub async fn hand_off(
    state: &AppState,
    conversation: &Conversation,
    decision: AiHandoff,
) -> ApiResult<Handoff> {
    let code = decision.reason_code.as_str();
    let reason = match decision.reason.trim() {
        "" => format!("AI decision ({code})"),
        why => clip(&format!("AI decision ({code}): {why}")),
    };
    let evidence = Evidence {
        signals: vec![SignalRecord { name: "ai_decision".into(), detail: code.into(), weight: 1.0 }],
        ..Evidence::default()
    };
    let known = Known {
        summary: decision.summary,
        priority: decision.priority,
        gathered: decision.gathered,
        message: decision.message.filter(|text| !text.trim().is_empty()).map(|text| clip(&text)),
    };
    handoffs::request_with(state, conversation, Trigger::AiDecision, reason, evidence, known).await
}

/// An LLM's summary and priority for a handoff the trigger engine opens, when the bot has an
/// LLM backend; nothing otherwise, or when it fails (the deterministic summary stands).
pub(super) async fn summarized(
    state: &AppState,
    conversation: &Conversation,
    settings: &BotSettings,
    history: &[Message],
) -> Known {
    let backend = Backend::new(&settings.backend, &state.http);
    if !matches!(backend, Backend::OpenAi(_)) {
        return Known::default();
    }
    let text = history.last().map_or("", |m| m.text.as_str());
    let turn = turn(conversation, settings, history, text);
    // The contact is waiting for a human meanwhile: a slow model must not hold the handoff up.
    match tokio::time::timeout(SUMMARY_PATIENCE, backend.summarize(turn)).await {
        Ok(Ok(Some(summary))) => {
            Known { summary: Some(clip(&summary.summary)), priority: summary.priority, ..Known::default() }
        }
        Ok(Ok(None)) => Known::default(),
        Ok(Err(error)) => {
            tracing::warn!(conversation = %conversation.id, %error, "no AI summary; the deterministic one stands");
            Known::default()
        }
        Err(_) => {
            tracing::warn!(conversation = %conversation.id, "the AI summary took too long; the deterministic one stands");
            Known::default()
        }
    }
}
