//! "Test this bot": what the bot's policy would do with a conversation, without one. The
//! console's bot editor sends a customer message (or a short pasted conversation) with the
//! settings being edited; the answer is what the real trigger engine decides, the summary,
//! priority and gathered details a handoff would open with, and where routing would send it
//! right now, or why it would go offline. Nothing is written and no AI backend is called.

use std::collections::BTreeMap;

use baton_core::handoff::{Priority, SignalRecord, Trigger};
use baton_core::ids::UserId;
use baton_core::policy::{BotSettings, Policy};
use baton_core::routing::Strategy;
use baton_core::triggers::engine::Engine;
use baton_core::triggers::{Context, Line, Speaker, frustration};
use baton_core::user::{Presence, User};
use baton_store::Bot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::routing::Snapshot;
use super::{bots, gathering, handoffs, semantic};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most lines a trial reads.
pub const MAX_LINES: usize = 20;

/// One line of the conversation to try.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialLine {
    /// `contact` (the default) or `bot`.
    #[serde(default)]
    pub from: TrialSpeaker,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrialSpeaker {
    #[default]
    Contact,
    Bot,
}

/// What the policy would do with the conversation's last contact message.
#[derive(Debug, Serialize, ToSchema)]
pub struct Trial {
    /// The conversation's language as Baton would detect it among the policy's languages
    /// (or as given); the policy's default when it cannot tell.
    pub language: String,
    /// The handoff that would open; `null`: no trigger fires and the bot answers.
    pub handoff: Option<TrialHandoff>,
    /// The frustration score of the last message (0 to 1), whatever was decided.
    pub frustration: f32,
    /// The evidence: the decision's own signals first, then frustration's.
    pub signals: Vec<SignalRecord>,
    /// Where a handoff in this language would go now.
    pub route: TrialRoute,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialHandoff {
    pub trigger: Trigger,
    pub reason: String,
    /// The forbidden topic, when that is the trigger.
    pub topic: Option<String>,
    /// The summary the team would read (an LLM backend may write its own instead).
    pub summary: String,
    pub priority: Priority,
    /// Details of the policy's fields found in what the contact said.
    pub gathered: BTreeMap<String, String>,
    /// The field the contact would be asked for first, if a required one is missing.
    pub would_ask: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialRoute {
    /// The policy's targets for the language (`team:Support`, `user:ana@example.com`, `*`).
    pub targets: Vec<String>,
    pub strategy: Strategy,
    pub outcome: TrialOutcome,
    /// Why, in one sentence.
    pub explanation: String,
    /// Everyone the route is meant for, on duty or not.
    pub candidates: Vec<TrialCandidate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrialOutcome {
    /// Queued for the people on duty.
    Queue,
    /// The offline message and lead capture.
    Offline,
    /// The policy does not hand off.
    Disabled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialCandidate {
    pub id: UserId,
    pub name: String,
    pub status: Presence,
    /// Online, not disabled, in a team that is open now (when reached through a team).
    pub on_duty: bool,
    /// Live chats they hold now.
    pub live: u32,
}

/// Tries `lines` against `settings` (the bot's own when `None`). Unsaved settings are checked
/// as saving them would be.
#[tracing::instrument(skip_all, fields(bot = %bot.id, lines = lines.len()))]
pub async fn run(
    state: &AppState,
    bot: &Bot,
    settings: Option<BotSettings>,
    lines: Vec<TrialLine>,
    language: Option<String>,
) -> ApiResult<Trial> {
    let settings = match settings {
        Some(mut settings) => {
            settings.keep_secrets_from(&bot.settings);
            bots::checked(&bot.name, &settings)?;
            settings
        }
        None => bot.settings.clone(),
    };
    let policy = &settings.policy;
    let invalid = |detail: String| ApiError::Unprocessable { code: "validation_failed", detail };
    if lines.len() > MAX_LINES {
        return Err(invalid(format!("messages: at most {MAX_LINES} lines")));
    }
    let Some(last) = lines.iter().rposition(|line| line.from == TrialSpeaker::Contact) else {
        return Err(invalid("messages: give at least one message from the contact".into()));
    };
    if lines.iter().any(|line| line.text.trim().is_empty()) {
        return Err(invalid("messages: a line has no text".into()));
    }
    let said: Vec<&str> =
        lines.iter().filter(|l| l.from == TrialSpeaker::Contact).map(|l| l.text.as_str()).collect();
    let language = match language.map(|l| l.trim().to_ascii_lowercase()).filter(|l| !l.is_empty()) {
        Some(language) if policy.speaks(&language) => language,
        Some(language) => {
            return Err(invalid(format!("language: '{language}' is not one of the bot's languages")));
        }
        None => baton_ai::language::detect_among(&said.join("\n"), &policy.languages)
            .map_or_else(|| policy.default_language.clone(), str::to_owned),
    };

    let earlier: Vec<Line> = lines[..last]
        .iter()
        .map(|line| Line {
            speaker: if line.from == TrialSpeaker::Bot { Speaker::Bot } else { Speaker::Contact },
            text: &line.text,
        })
        .collect();
    let text = &lines[last].text;
    let engine = Engine::new(policy).with_semantic_thresholds(semantic::thresholds(state));
    let by_words = Context { earlier: &earlier, text, bot_failures: None, semantic: &[] };
    let words_only = engine.evaluate(&by_words);
    let semantic = semantic::hits(state, policy, text, &words_only).await;
    let context = Context { semantic: &semantic, ..by_words };
    // What the bot's turn would decide, the judge's verdict included.
    let evaluation = match policy.enabled {
        true => {
            let evaluation = if semantic.is_empty() { words_only } else { engine.evaluate(&context) };
            Some(super::judge::consult(state, &engine, policy, &settings.backend, &context, evaluation).await)
        }
        false => None,
    };
    let frustration_score =
        evaluation.as_ref().map_or_else(|| frustration(&context).score, |evaluation| evaluation.frustration);
    let signals = evaluation
        .as_ref()
        .map(|evaluation| {
            evaluation
                .signals
                .iter()
                .map(|s| SignalRecord { name: s.name.to_owned(), detail: s.detail.clone(), weight: s.weight })
                .collect()
        })
        .unwrap_or_default();
    let handoff = evaluation.and_then(|evaluation| evaluation.decision).map(|decision| {
        let topic = decision.topic.as_deref();
        let summary = handoffs::summarize_contact(
            decision.trigger,
            &decision.reason,
            topic,
            &said,
            Some(frustration_score),
        );
        let (gathered, would_ask) = gathering::from_what_was_said(policy, &said, BTreeMap::new());
        TrialHandoff {
            trigger: decision.trigger,
            priority: policy.prioritize(summary.priority, decision.topic.as_deref()),
            reason: decision.reason,
            topic: decision.topic,
            summary: summary.text,
            gathered,
            would_ask,
        }
    });
    let route = route_now(state, policy, &language).await?;
    Ok(Trial { language, handoff, frustration: frustration_score, signals, route })
}

/// Where a handoff in `language` would go now under `policy`, and why.
async fn route_now(state: &AppState, policy: &Policy, language: &str) -> ApiResult<TrialRoute> {
    let snapshot = Snapshot::load(state).await?;
    let route = snapshot.route_for_language(policy, Some(language));
    let candidates: Vec<TrialCandidate> = snapshot
        .users()
        .iter()
        .filter(|entry| snapshot.roster.routes_to(entry.user.id, &route))
        .map(|entry| candidate(&snapshot, &entry.user, &route))
        .collect();
    let on_duty = candidates.iter().filter(|c| c.on_duty).count();
    let (outcome, explanation) = if !policy.enabled {
        (TrialOutcome::Disabled, "Handoff is off for this bot: it answers every message itself.".to_owned())
    } else if !snapshot.within_hours(policy) {
        let hours = policy.schedule.as_ref().map(|s| s.outlook(snapshot.now).summary).unwrap_or_default();
        let why = format!(
            "Outside the bot's office hours ({hours}): the contact gets the offline message and leaves their details."
        );
        (TrialOutcome::Offline, why)
    } else if route.reach().is_empty() {
        let why = "The targets for this language name no existing team or user, so nobody can take it.";
        let outcome = if policy.availability_check { TrialOutcome::Offline } else { TrialOutcome::Queue };
        (outcome, why.to_owned())
    } else if on_duty == 0 && policy.availability_check {
        let why = format!(
            "Nobody it is routed to is on duty now ({} in reach, none online in an open team speaking '{language}'): it would go offline.",
            candidates.len()
        );
        (TrialOutcome::Offline, why)
    } else if on_duty == 0 {
        let why =
            "Queued, though nobody it is routed to is on duty now: it waits until someone comes online.";
        (TrialOutcome::Queue, why.to_owned())
    } else {
        let names: Vec<&str> = candidates.iter().filter(|c| c.on_duty).map(|c| c.name.as_str()).collect();
        let how = match route.strategy() {
            Strategy::Broadcast => "shown to all of them; the first to claim it takes it",
            Strategy::RoundRobin => "offered to one at a time, whoever was assigned least recently first",
            Strategy::LeastBusy => "offered to one at a time, whoever holds the fewest live chats first",
        };
        (TrialOutcome::Queue, format!("Queued for {} on duty ({how}).", names.join(", ")))
    };
    Ok(TrialRoute {
        targets: policy.assignment.targets_for(Some(language)).iter().map(ToString::to_string).collect(),
        strategy: route.strategy(),
        outcome,
        explanation,
        candidates,
    })
}

fn candidate(snapshot: &Snapshot, user: &User, route: &baton_core::routing::Route) -> TrialCandidate {
    let live =
        snapshot.roster.agents().iter().find(|agent| agent.id == user.id).map_or(0, |agent| agent.live);
    TrialCandidate {
        id: user.id,
        name: user.name.clone(),
        status: user.status,
        on_duty: snapshot.roster.may_take(user.id, route),
        live,
    }
}
