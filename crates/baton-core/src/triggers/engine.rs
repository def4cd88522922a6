//! The trigger engine: one decision per contact message, used by the live server and by
//! `baton eval` alike, so what is measured is what runs.
//!
//! Triggers are checked in a fixed order and the first that fires wins:
//! 1. **explicit request** for a human (the contact said so: nothing else matters);
//! 2. **forbidden topic** from the policy (it must go to a human whatever the mood);
//! 3. **frustration** at or above the preset's threshold;
//! 4. **bot failure**: the bot could not help this many times in a row.
//!
//! Every decision carries its [`Signal`]s and a one-line reason, so a user sees *why*
//! ("frustration 0.82: all_caps, negative_words 'useless' (en)").

use super::context::{Context, Signal, Speaker};
use super::explicit::detect_explicit_request;
use super::frustration::{frustration, looks_like_bot_failure};
use super::topics::{CompiledTopic, compile_all, match_topic};
use crate::handoff::Trigger;
use crate::policy::{Policy, TriggerSettings};

/// The engine for one policy; topics are compiled once.
#[derive(Debug, Clone)]
pub struct Engine {
    settings: TriggerSettings,
    topics: Vec<CompiledTopic>,
}

/// Why a handoff should start.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub trigger: Trigger,
    /// One line for the people who take the handoff.
    pub reason: String,
    /// The forbidden topic, when that is the trigger.
    pub topic: Option<String>,
    /// The language the message was understood in, when the trigger knows it (an explicit
    /// request matches one language's grammar).
    pub language: Option<&'static str>,
}

/// The engine's verdict on one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub decision: Option<Decision>,
    /// The frustration score of the message (0 to 1), whatever was decided.
    pub frustration: f32,
    /// The evidence: the decision's own first, then frustration's.
    pub signals: Vec<Signal>,
}

impl Engine {
    pub fn new(policy: &Policy) -> Self {
        Self::with_settings(policy.triggers(), &policy.topics)
    }

    pub fn with_settings(settings: TriggerSettings, topics: &[crate::policy::Topic]) -> Self {
        Self { settings, topics: compile_all(topics) }
    }

    pub fn settings(&self) -> &TriggerSettings {
        &self.settings
    }

    pub fn evaluate(&self, context: &Context) -> Evaluation {
        let settings = &self.settings;
        let mood = frustration(context);
        let mut signals = Vec::new();
        let mut decision = None;

        if settings.explicit_request {
            if let Some(found) = detect_explicit_request(context.text) {
                let detail = format!("'{}' ({})", found.phrase, found.language);
                decision = Some(Decision {
                    trigger: Trigger::ExplicitRequest,
                    reason: format!("explicit request: {detail}"),
                    topic: None,
                    language: Some(found.language),
                });
                signals.push(Signal { name: "explicit_request", detail, weight: 1.0 });
            }
        }
        if decision.is_none() && settings.forbidden_topics {
            if let Some(found) = match_topic(&self.topics, context.text) {
                let detail = format!("{} ('{}')", found.topic, found.phrase);
                decision = Some(Decision {
                    trigger: Trigger::ForbiddenTopic,
                    reason: format!("forbidden topic: {detail}"),
                    topic: Some(found.topic),
                    language: None,
                });
                signals.push(Signal { name: "forbidden_topic", detail, weight: 1.0 });
            }
        }
        if decision.is_none() && settings.frustration && mood.score >= settings.frustration_threshold {
            let evidence: Vec<String> =
                mood.signals
                    .iter()
                    .map(|s| {
                        if s.detail.is_empty() {
                            s.name.to_owned()
                        } else {
                            format!("{} {}", s.name, s.detail)
                        }
                    })
                    .collect();
            decision = Some(Decision {
                trigger: Trigger::Frustration,
                reason: format!("frustration {:.2}: {}", mood.score, evidence.join(", ")),
                topic: None,
                language: None,
            });
        }
        if decision.is_none() && settings.bot_failure_threshold > 0 {
            let failures = context.bot_failures.unwrap_or_else(|| inferred_bot_failures(context));
            if failures >= settings.bot_failure_threshold {
                decision = Some(Decision {
                    trigger: Trigger::BotFailure,
                    reason: format!("the bot could not help {failures} times in a row"),
                    topic: None,
                    language: None,
                });
                signals.push(Signal {
                    name: "bot_failure",
                    detail: format!("{failures} in a row"),
                    weight: 1.0,
                });
            }
        }
        signals.extend(mood.signals);
        Evaluation { decision, frustration: mood.score, signals }
    }
}

/// Consecutive failing bot lines at the end of the conversation, for callers that do not
/// track them (evaluation data).
fn inferred_bot_failures(context: &Context) -> u32 {
    context
        .earlier
        .iter()
        .rev()
        .filter(|line| line.speaker == Speaker::Bot)
        .take_while(|line| looks_like_bot_failure(line.text))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Preset, Topic};
    use crate::triggers::Line;

    fn engine(preset: Preset) -> Engine {
        let topics = [Topic { name: "refund".into(), phrases: vec!["refund".into(), "money back".into()] }];
        Engine::with_settings(preset.triggers().unwrap(), &topics)
    }

    fn decide(engine: &Engine, earlier: &[Line], text: &str, failures: Option<u32>) -> Option<Trigger> {
        engine.evaluate(&Context { earlier, text, bot_failures: failures }).decision.map(|d| d.trigger)
    }

    #[test]
    fn explicit_request_comes_first_and_explains_itself() {
        let e = engine(Preset::Balanced);
        let evaluation = e.evaluate(&Context {
            earlier: &[],
            text: "I want a refund, let me talk to a human",
            bot_failures: None,
        });
        let decision = evaluation.decision.unwrap();
        assert_eq!(decision.trigger, Trigger::ExplicitRequest);
        assert!(decision.reason.starts_with("explicit request: '"), "{}", decision.reason);
        assert!(evaluation.signals.iter().any(|s| s.name == "explicit_request"));
    }

    #[test]
    fn topics_then_bot_failures() {
        let e = engine(Preset::Balanced);
        let decision = e
            .evaluate(&Context { earlier: &[], text: "Where is my refund?", bot_failures: None })
            .decision
            .unwrap();
        assert_eq!((decision.trigger, decision.topic.as_deref()), (Trigger::ForbiddenTopic, Some("refund")));
        assert_eq!(decide(&e, &[], "what colours are there?", Some(2)), Some(Trigger::BotFailure));
        assert_eq!(decide(&e, &[], "what colours are there?", Some(1)), None);
    }

    #[test]
    fn bot_failures_are_inferred_from_the_bots_lines() {
        let e = engine(Preset::Balanced);
        let sorry = "Sorry, I didn't understand that. Could you rephrase?";
        let earlier = [
            Line { speaker: Speaker::Contact, text: "question one" },
            Line { speaker: Speaker::Bot, text: sorry },
            Line { speaker: Speaker::Contact, text: "question two" },
            Line { speaker: Speaker::Bot, text: sorry },
        ];
        assert_eq!(decide(&e, &earlier, "what colours are there?", None), Some(Trigger::BotFailure));
        assert_eq!(decide(&e, &earlier[..2], "what colours are there?", None), None);
    }

    #[test]
    fn ai_only_never_decides() {
        let e = engine(Preset::AiOnly);
        assert_eq!(decide(&e, &[], "I want to talk to a human about my refund", Some(9)), None);
    }

    #[test]
    fn strong_frustration_hands_off_with_its_evidence() {
        let e = engine(Preset::Quick);
        let evaluation = e.evaluate(&Context {
            earlier: &[],
            text: "THIS IS USELESS!!! Worst service ever, I have been waiting for days",
            bot_failures: None,
        });
        let decision = evaluation.decision.expect("frustration fires on the quick preset");
        assert_eq!(decision.trigger, Trigger::Frustration);
        assert!(decision.reason.starts_with("frustration 0."), "{}", decision.reason);
        assert!(!evaluation.signals.is_empty());
    }
}
