//! When the engine doubts a message, and what a judge's verdict changes.

use super::*;
use crate::policy::{Preset, Topic, TriggerSettings};
use crate::triggers::judge::{Doubt, Judgement, Verdict};

fn engine() -> Engine {
    let topics = [Topic { name: "refund".into(), phrases: vec!["refund".into()], examples: vec![] }];
    Engine::with_settings(Preset::Balanced.triggers().unwrap(), &topics)
}

fn doubt_about(e: &Engine, text: &str, semantic: &[SemanticHit]) -> Option<Doubt> {
    let context = Context { earlier: &[], text, bot_failures: None, semantic };
    e.doubt(&context, &e.evaluate(&context))
}

fn request_hit(score: f32) -> SemanticHit {
    SemanticHit { target: SemanticTarget::ExplicitRequest, example: "the message".into(), score }
}

fn judged(verdict: Verdict, confidence: f32) -> Judgement {
    Judgement { verdict, confidence, reason: "because".into(), latency_ms: 120 }
}

#[test]
fn only_unsure_messages_are_doubted() {
    let e = engine();
    // Clear either way: a request the rules find, an everyday question.
    assert_eq!(doubt_about(&e, "can I talk to a person please", &[]), None);
    assert_eq!(doubt_about(&e, "where is my parcel?", &[]), None);
    // A helper named, no request found.
    assert_eq!(doubt_about(&e, "my agent told me the fee was waived", &[]), Some(Doubt::Mention));
    // The request score in the unsure band, under it, and over it (then it fires).
    let thresholds = e.semantic;
    let middle = (thresholds.explicit_unsure + thresholds.explicit_request) / 2.0;
    assert_eq!(doubt_about(&e, "could somebody sort this out", &[request_hit(middle)]), Some(Doubt::Request));
    assert_eq!(
        doubt_about(&e, "where is my parcel?", &[request_hit(thresholds.explicit_unsure - 0.01)]),
        None
    );
    assert_eq!(doubt_about(&e, "where is my parcel?", &[request_hit(thresholds.explicit_request)]), None);
    // A frustration score just under the threshold doubts; far under it does not.
    let annoyed = "this is really annoying, the app keeps failing and nothing works";
    let context = Context { earlier: &[], text: annoyed, bot_failures: None, semantic: &[] };
    let score = e.evaluate(&context).frustration;
    assert!(score > 0.1, "the message shows some annoyance: {score}");
    let with_threshold = |threshold: f32| {
        let settings =
            TriggerSettings { frustration_threshold: threshold, ..Preset::Balanced.triggers().unwrap() };
        let engine = Engine::with_settings(settings, &[]);
        engine.doubt(&context, &engine.evaluate(&context))
    };
    assert_eq!(with_threshold(score + FRUSTRATION_UNSURE_BAND / 2.0), Some(Doubt::Frustration));
    assert_eq!(with_threshold(score + FRUSTRATION_UNSURE_BAND * 2.0), None);
}

#[test]
fn a_confident_verdict_decides_and_every_verdict_is_evidence() {
    let e = engine();
    let context =
        Context { earlier: &[], text: "is anybody alive over there", bot_failures: None, semantic: &[] };
    let before = e.evaluate(&Context { text: "my agent told me the fee was waived", ..context });
    assert!(before.decision.is_none());

    let after = e.apply_verdict(before.clone(), &judged(Verdict::RequestHuman, 0.9), 0.7);
    let decision = after.decision.clone().unwrap();
    assert_eq!(decision.trigger, Trigger::ExplicitRequest);
    assert_eq!(decision.reason, "judged request_human 0.90 in 120 ms: because");
    assert_eq!((after.signals[0].name, after.signals[0].weight), ("judge", 0.9));

    let unsure = e.apply_verdict(before.clone(), &judged(Verdict::RequestHuman, 0.5), 0.7);
    assert!(unsure.decision.is_none(), "under the confidence asked for");
    assert_eq!(unsure.signals[0].name, "judge", "still shown as evidence");

    let topic = e.apply_verdict(before.clone(), &judged(Verdict::Topic("refund".into()), 0.8), 0.7);
    assert_eq!(topic.decision.unwrap().topic.as_deref(), Some("refund"));
    let unknown = e.apply_verdict(before.clone(), &judged(Verdict::Topic("legal".into()), 0.8), 0.7);
    assert!(unknown.decision.is_none(), "only the policy's own topics");
    let frustrated = e.apply_verdict(before.clone(), &judged(Verdict::Frustrated, 0.8), 0.7);
    assert_eq!(frustrated.decision.unwrap().trigger, Trigger::Frustration);
    assert!(e.apply_verdict(before, &judged(Verdict::None, 0.99), 0.7).decision.is_none());

    // A decision already made is never overturned.
    let fired = e.evaluate(&Context { text: "let me talk to an agent", ..context });
    let kept = e.apply_verdict(fired, &judged(Verdict::Frustrated, 0.99), 0.7);
    assert_eq!(kept.decision.unwrap().trigger, Trigger::ExplicitRequest);
}
