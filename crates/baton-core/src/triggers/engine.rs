//! The trigger engine: one decision per contact message, used by the live server and by
//! `baton eval` alike, so what is measured is what runs.
//!
//! Triggers are checked in a fixed order and the first that fires wins:
//! 1. **explicit request** for a human (the contact said so: nothing else matters), or a short
//!    acceptance of the bot's offer of one ("Shall I connect you?" — "yes please"), read from
//!    the bot's last line in `Context::earlier`;
//! 2. **forbidden topic** from the policy (it must go to a human whatever the mood);
//! 3. **frustration** at or above the preset's threshold;
//! 4. **bot failure**: the bot could not help this many times in a row.
//!
//! The first two also fire on the semantic layer's hits ([`super::semantic`]) when their
//! lexical detector did not: a request for a human found by meaning counts only in a message
//! with no negation or condition in it (embeddings cannot tell "I don't need a human" from "I
//! need a human"); a topic found by meaning fires like a topic found by its words, the
//! signal naming the nearest example and its similarity.
//!
//! Every decision carries its [`Signal`]s and a one-line reason, so a user sees *why*
//! ("frustration 0.82: all_caps, negative_words 'useless' (en)").

use super::context::{Context, Signal, Speaker};
use super::explicit::{
    accepted_offer, detect_explicit_request_after, in_lexicon_language, mentions_helper_or_bot,
    semantic_request_allowed,
};
use super::frustration::{frustration, looks_like_bot_failure};
use super::judge::{Doubt, Judgement, Verdict};
use super::semantic::{SemanticHit, SemanticTarget, SemanticThresholds};
use super::topics::{CompiledTopic, compile_all, match_topic};
use crate::handoff::Trigger;
use crate::policy::{Policy, TriggerSettings};

/// The engine for one policy; topics are compiled once.
#[derive(Debug, Clone)]
pub struct Engine {
    settings: TriggerSettings,
    topics: Vec<CompiledTopic>,
    semantic: SemanticThresholds,
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
        Self { settings, topics: compile_all(topics), semantic: SemanticThresholds::default() }
    }

    /// The similarities at which the semantic layer's hits fire (the defaults are measured on
    /// multilingual-e5-small).
    pub fn with_semantic_thresholds(mut self, thresholds: SemanticThresholds) -> Self {
        self.semantic = thresholds;
        self
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
            if let Some(found) = detect_explicit_request_after(context.earlier, context.text) {
                let detail = format!("'{}' ({})", found.phrase, found.language);
                decision = Some(Decision {
                    trigger: Trigger::ExplicitRequest,
                    reason: format!("explicit request: {detail}"),
                    topic: None,
                    language: Some(found.language),
                });
                signals.push(Signal { name: "explicit_request", detail, weight: 1.0 });
            } else if let Some(accepted) = accepted_offer(context.earlier, context.text) {
                let detail = format!("'{}' ({})", accepted.offer, accepted.language);
                decision = Some(Decision {
                    trigger: Trigger::ExplicitRequest,
                    reason: format!("explicit request: accepted the offer {detail}"),
                    topic: None,
                    language: Some(accepted.language),
                });
                signals.push(Signal { name: "accepted_offer", detail, weight: 1.0 });
            } else if let Some(hit) = self.semantic_request(context) {
                let detail = format!("~ '{}' {:.2}", hit.example, hit.score);
                decision = Some(Decision {
                    trigger: Trigger::ExplicitRequest,
                    reason: format!("explicit request, by meaning: {detail}"),
                    topic: None,
                    language: None,
                });
                signals.push(Signal { name: "semantic_explicit_request", detail, weight: hit.score });
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
            } else if let Some((topic, hit)) = self.semantic_topic(context) {
                let detail = format!("{topic} ~ '{}' {:.2}", hit.example, hit.score);
                decision = Some(Decision {
                    trigger: Trigger::ForbiddenTopic,
                    reason: format!("forbidden topic: {detail}"),
                    topic: Some(topic.to_owned()),
                    language: None,
                });
                signals.push(Signal { name: "semantic_topic", detail, weight: hit.score });
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

/// How far under the preset's threshold a frustration score is unsure.
pub const FRUSTRATION_UNSURE_BAND: f32 = 0.2;

impl Engine {
    /// Whether the message is one the rules and the semantic layer are unsure of, and why:
    /// no trigger fired, and the request classifier's score is in its unsure band, or the
    /// frustration score is within [`FRUSTRATION_UNSURE_BAND`] of the threshold, or the
    /// message names a helper or the bot without asking for anyone the grammar knows.
    pub fn doubt(&self, context: &Context, evaluation: &Evaluation) -> Option<Doubt> {
        let settings = &self.settings;
        if evaluation.decision.is_some() {
            return None;
        }
        let unsure_request = context.semantic.iter().any(|hit| {
            hit.target == SemanticTarget::ExplicitRequest
                && hit.score >= self.semantic.explicit_unsure
                && hit.score < self.request_threshold(context.text)
        });
        if settings.explicit_request && unsure_request {
            return Some(Doubt::Request);
        }
        let threshold = settings.frustration_threshold;
        if settings.frustration && evaluation.frustration >= threshold - FRUSTRATION_UNSURE_BAND {
            return Some(Doubt::Frustration);
        }
        if settings.explicit_request && mentions_helper_or_bot(context.text) {
            return Some(Doubt::Mention);
        }
        None
    }

    /// The evaluation once the judge has answered: its verdict is always in the evidence, and
    /// decides when nothing else did, it is confident enough and its trigger is on.
    pub fn apply_verdict(
        &self,
        mut evaluation: Evaluation,
        judgement: &Judgement,
        min_confidence: f32,
    ) -> Evaluation {
        let settings = &self.settings;
        let label = judgement.verdict.label();
        let detail = format!(
            "{label} {:.2} in {} ms: {}",
            judgement.confidence, judgement.latency_ms, judgement.reason
        );
        let confident = judgement.confidence >= min_confidence;
        if evaluation.decision.is_none() && confident {
            let reason = format!("judged {detail}");
            evaluation.decision = match &judgement.verdict {
                Verdict::RequestHuman if settings.explicit_request => {
                    Some(Decision { trigger: Trigger::ExplicitRequest, reason, topic: None, language: None })
                }
                Verdict::Frustrated if settings.frustration => {
                    Some(Decision { trigger: Trigger::Frustration, reason, topic: None, language: None })
                }
                Verdict::Topic(name)
                    if settings.forbidden_topics && self.topics.iter().any(|t| &t.name == name) =>
                {
                    Some(Decision {
                        trigger: Trigger::ForbiddenTopic,
                        reason,
                        topic: Some(name.clone()),
                        language: None,
                    })
                }
                _ => None,
            };
        }
        evaluation.signals.insert(0, Signal { name: "judge", detail, weight: judgement.confidence });
        evaluation
    }

    /// The semantic hit for a request for a human, if it reaches its threshold and nothing in
    /// the message negates or hedges it.
    fn semantic_request<'c>(&self, context: &Context<'c>) -> Option<&'c SemanticHit> {
        let hit = context.semantic.iter().find(|hit| hit.target == SemanticTarget::ExplicitRequest)?;
        (hit.score >= self.request_threshold(context.text) && semantic_request_allowed(context.text))
            .then_some(hit)
    }

    /// The score at which a request hit fires for `text`: lower where no lexicon helps.
    fn request_threshold(&self, text: &str) -> f32 {
        if in_lexicon_language(text) {
            self.semantic.explicit_request
        } else {
            self.semantic.explicit_request_other
        }
    }

    /// The nearest of the policy's topics found by meaning, if one reaches its threshold.
    fn semantic_topic<'c>(&self, context: &Context<'c>) -> Option<(&'c str, &'c SemanticHit)> {
        context
            .semantic
            .iter()
            .filter(|hit| hit.score >= self.semantic.topic)
            .filter_map(|hit| match &hit.target {
                // Only the policy's own topics: hits are computed from its examples, but a
                // caller could pass stale ones.
                SemanticTarget::Topic(name) if self.topics.iter().any(|t| &t.name == name) => {
                    Some((name.as_str(), hit))
                }
                _ => None,
            })
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
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
    use crate::triggers::semantic::SemanticThresholds;

    fn engine(preset: Preset) -> Engine {
        let topics = [Topic {
            name: "refund".into(),
            phrases: vec!["refund".into(), "money back".into()],
            examples: vec![],
        }];
        Engine::with_settings(preset.triggers().unwrap(), &topics)
    }

    fn decide(engine: &Engine, earlier: &[Line], text: &str, failures: Option<u32>) -> Option<Trigger> {
        engine
            .evaluate(&Context { earlier, text, bot_failures: failures, semantic: &[] })
            .decision
            .map(|d| d.trigger)
    }

    #[test]
    fn explicit_request_comes_first_and_explains_itself() {
        let e = engine(Preset::Balanced);
        let evaluation = e.evaluate(&Context {
            earlier: &[],
            text: "I want a refund, let me talk to a human",
            bot_failures: None,
            semantic: &[],
        });
        let decision = evaluation.decision.unwrap();
        assert_eq!(decision.trigger, Trigger::ExplicitRequest);
        assert!(decision.reason.starts_with("explicit request: '"), "{}", decision.reason);
        assert!(evaluation.signals.iter().any(|s| s.name == "explicit_request"));
    }

    #[test]
    fn accepting_the_bots_offer_of_a_person_is_an_explicit_request() {
        let e = engine(Preset::Balanced);
        let earlier = [
            Line { speaker: Speaker::Contact, text: "the parcel came damaged" },
            Line { speaker: Speaker::Bot, text: "Shall I connect you with a claims advisor?" },
        ];
        let evaluation =
            e.evaluate(&Context { earlier: &earlier, text: "yes please", bot_failures: None, semantic: &[] });
        let decision = evaluation.decision.expect("the acceptance fires");
        assert_eq!(decision.trigger, Trigger::ExplicitRequest);
        assert_eq!(decision.language, Some("en"));
        assert_eq!(
            decision.reason,
            "explicit request: accepted the offer 'connect you with a claims advisor' (en)"
        );
        assert_eq!(evaluation.signals[0].name, "accepted_offer");
        assert_eq!(decide(&e, &earlier, "no thanks, all good", None), None);
        assert_eq!(decide(&e, &[], "yes please", None), None);
    }

    #[test]
    fn topics_then_bot_failures() {
        let e = engine(Preset::Balanced);
        let decision = e
            .evaluate(&Context {
                earlier: &[],
                text: "Where is my refund?",
                bot_failures: None,
                semantic: &[],
            })
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
            semantic: &[],
        });
        let decision = evaluation.decision.expect("frustration fires on the quick preset");
        assert_eq!(decision.trigger, Trigger::Frustration);
        assert!(decision.reason.starts_with("frustration 0."), "{}", decision.reason);
        assert!(!evaluation.signals.is_empty());
    }

    fn hit(target: SemanticTarget, example: &str, similarity: f32) -> SemanticHit {
        SemanticHit { target, example: example.into(), score: similarity }
    }

    fn refund_hit(similarity: f32) -> SemanticHit {
        hit(SemanticTarget::Topic("refund".into()), "I want my money back", similarity)
    }

    fn human_hit(similarity: f32) -> SemanticHit {
        hit(SemanticTarget::ExplicitRequest, "can I speak to a human agent?", similarity)
    }

    fn evaluate_with(e: &Engine, text: &str, semantic: &[SemanticHit]) -> Evaluation {
        e.evaluate(&Context { earlier: &[], text, bot_failures: None, semantic })
    }

    #[test]
    fn a_topic_found_by_meaning_fires_at_its_threshold() {
        let e = engine(Preset::Balanced);
        let parcel = "mein Paket ist nie angekommen und ich will mein Geld zurück";
        let evaluation = evaluate_with(&e, parcel, &[refund_hit(0.91)]);
        let decision = evaluation.decision.expect("the refund topic fires");
        assert_eq!((decision.trigger, decision.topic.as_deref()), (Trigger::ForbiddenTopic, Some("refund")));
        assert_eq!(decision.reason, "forbidden topic: refund ~ 'I want my money back' 0.91");
        let signal = &evaluation.signals[0];
        assert_eq!(
            (signal.name, signal.detail.as_str()),
            ("semantic_topic", "refund ~ 'I want my money back' 0.91")
        );

        let at = SemanticThresholds::default().topic;
        assert!(evaluate_with(&e, parcel, &[refund_hit(at)]).decision.is_some(), "at the threshold");
        assert_eq!(evaluate_with(&e, parcel, &[refund_hit(at - 0.01)]).decision, None, "below it");
    }

    #[test]
    fn words_win_over_meaning() {
        let e = engine(Preset::Balanced);
        let evaluation = evaluate_with(&e, "where is my refund?", &[refund_hit(0.99)]);
        assert_eq!(evaluation.signals[0].name, "forbidden_topic", "the lexical match is the evidence");
        let evaluation = evaluate_with(&e, "let me talk to a human", &[human_hit(0.99)]);
        assert_eq!(evaluation.signals[0].name, "explicit_request");
        assert_eq!(evaluation.decision.unwrap().language, Some("en"));
    }

    #[test]
    fn the_nearest_topic_above_the_threshold_wins() {
        let topics = [
            Topic { name: "refund".into(), phrases: vec!["refund".into()], examples: vec![] },
            Topic { name: "legal".into(), phrases: vec!["lawyer".into()], examples: vec![] },
        ];
        let e = Engine::with_settings(Preset::Balanced.triggers().unwrap(), &topics);
        let hits = [refund_hit(0.88), hit(SemanticTarget::Topic("legal".into()), "see you in court", 0.93)];
        let decision = evaluate_with(&e, "nos vemos en los tribunales", &hits).decision.unwrap();
        assert_eq!(decision.topic.as_deref(), Some("legal"));
        // A hit for a topic the policy does not have (stale hits) is ignored.
        let stray = [hit(SemanticTarget::Topic("shipping".into()), "where is my parcel", 0.99)];
        assert_eq!(evaluate_with(&e, "dónde está mi paquete", &stray).decision, None);
    }

    #[test]
    fn a_request_found_by_meaning_fires_unless_something_cancels_it() {
        let e = engine(Preset::Balanced);
        let text = "honestly somebody who works there would get this faster than this thing";
        let evaluation = evaluate_with(&e, text, &[human_hit(0.93)]);
        let decision = evaluation.decision.expect("the request fires");
        assert_eq!(decision.trigger, Trigger::ExplicitRequest);
        assert_eq!(decision.language, None, "meaning does not say which language");
        assert_eq!(decision.reason, "explicit request, by meaning: ~ 'can I speak to a human agent?' 0.93");
        assert_eq!(evaluation.signals[0].name, "semantic_explicit_request");
        assert_eq!(evaluate_with(&e, text, &[human_hit(0.90)]).decision, None, "below the threshold");

        // Embeddings put these next to a request; the detector's blockers keep them out.
        for cancelled in [
            "I don't need a human, thanks",
            "no thanks, no agent needed",
            "if the bot can't fix it I'll ask for a person",
            "yesterday I talked to someone from your team",
            "my husband wants to talk to an agent",
            "am I chatting with a real person?",
            "is this a bot or a human?",
            "ich will keinen Menschen sprechen",
            "je n'ai pas besoin d'un conseiller",
            "no necesito hablar con nadie",
            "不用转人工",
        ] {
            assert_eq!(evaluate_with(&e, cancelled, &[human_hit(0.99)]).decision, None, "{cancelled}");
        }
    }

    #[test]
    fn a_request_by_meaning_comes_before_a_topic_by_meaning() {
        let e = engine(Preset::Balanced);
        let hits = [refund_hit(0.95), human_hit(0.95)];
        let decision = evaluate_with(&e, "someone from your team must sort out my money", &hits).decision;
        assert_eq!(decision.unwrap().trigger, Trigger::ExplicitRequest);
    }

    #[test]
    fn semantic_hits_follow_the_trigger_settings_and_thresholds() {
        let hits = [refund_hit(0.95), human_hit(0.95)];
        let text = "somebody real should look at this mess";
        assert_eq!(evaluate_with(&engine(Preset::AiOnly), text, &hits).decision, None);

        let topics = [Topic { name: "refund".into(), phrases: vec!["refund".into()], examples: vec![] }];
        let no_requests = TriggerSettings { explicit_request: false, ..TriggerSettings::default() };
        let e = Engine::with_settings(no_requests, &topics);
        assert_eq!(evaluate_with(&e, text, &hits).decision.unwrap().trigger, Trigger::ForbiddenTopic);

        let strict = SemanticThresholds::cosine(0.99, 0.99);
        let e = engine(Preset::Balanced).with_semantic_thresholds(strict);
        assert_eq!(evaluate_with(&e, text, &hits).decision, None);
    }
}

#[cfg(test)]
mod judge_tests;
