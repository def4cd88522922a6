//! Forbidden topics: subjects a policy says must always go to a human ("refund", "legal",
//! "cancel subscription").
//!
//! Each topic lists phrases. A phrase matches when its words appear in the message in order
//! and next to each other, after both sides are normalised (case, accents, punctuation) and
//! each word is reduced to a crude stem (plural and common verb endings removed), so
//! "Refunds", "réfund" and "refunded" all match "refund", and "cancel my subscription"
//! matches "cancel subscription" because possessives and articles between the words are
//! skipped. Matching by meaning ("my parcel never arrived and I want my money back") is the
//! semantic layer's job ([`super::semantic`]), not this one's.

use super::normalize::{normalize, tokenize};
use crate::policy::Topic;

/// A topic ready to match: each phrase as a list of stems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledTopic {
    pub name: String,
    phrases: Vec<(String, Vec<String>)>,
}

/// Which topic matched, and on which phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMatch {
    pub topic: String,
    pub phrase: String,
}

/// Words that may stand between the words of a phrase without breaking it.
#[rustfmt::skip]
const FILLERS: &[&str] = &[
    "my", "the", "a", "an", "our", "this", "that", "your", "of", "for",
    "mi", "el", "la", "los", "las", "un", "una", "de", "del", "mon", "ma", "mes", "le", "les", "du",
    "des",
    "mein", "meine", "meinen", "der", "die", "das", "den", "dem", "ein", "eine", "einen",
    "meu", "minha", "o", "os", "as", "do", "da", "il", "lo", "mio", "mia", "di", "mijn", "het",
    "een",
];

/// A crude multilingual stem: drop one common inflection ending from words long enough to
/// keep a recognisable root.
pub fn stem(word: &str) -> &str {
    const ENDINGS: &[&str] = &["ing", "ed", "s", "en"];
    for ending in ENDINGS {
        if word.len() >= ending.len() + 4 && word.ends_with(ending) {
            return &word[..word.len() - ending.len()];
        }
    }
    word
}

fn stems(text: &str) -> Vec<String> {
    let norm = normalize(text);
    tokenize(&norm)
        .into_iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| stem(t).to_owned())
        .collect()
}

impl CompiledTopic {
    pub fn compile(topic: &Topic) -> Self {
        let phrases = topic
            .phrases
            .iter()
            .map(|phrase| {
                (
                    phrase.clone(),
                    stems(phrase).into_iter().filter(|w| !FILLERS.contains(&w.as_str())).collect(),
                )
            })
            .filter(|(_, words): &(String, Vec<String>)| !words.is_empty())
            .collect();
        Self { name: topic.name.clone(), phrases }
    }

    /// The first phrase of this topic found in `message` (given as stems).
    fn find(&self, message: &[String]) -> Option<&str> {
        self.phrases
            .iter()
            .find(|(_, words)| contains_phrase(message, words))
            .map(|(phrase, _)| phrase.as_str())
    }
}

/// Whether `words` occur in `message` in order, with only fillers between them.
fn contains_phrase(message: &[String], words: &[String]) -> bool {
    (0..message.len()).any(|start| {
        let mut at = start;
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                while at < message.len() && FILLERS.contains(&message[at].as_str()) {
                    at += 1;
                }
            }
            if message.get(at) != Some(word) {
                return false;
            }
            at += 1;
        }
        true
    })
}

pub fn compile_all(topics: &[Topic]) -> Vec<CompiledTopic> {
    topics.iter().map(CompiledTopic::compile).collect()
}

/// The first topic, in policy order, that `text` touches.
pub fn match_topic(topics: &[CompiledTopic], text: &str) -> Option<TopicMatch> {
    if topics.is_empty() {
        return None;
    }
    let message = stems(text);
    topics.iter().find_map(|topic| {
        topic.find(&message).map(|phrase| TopicMatch { topic: topic.name.clone(), phrase: phrase.to_owned() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics() -> Vec<CompiledTopic> {
        compile_all(&[
            Topic {
                name: "refund".into(),
                phrases: vec!["refund".into(), "money back".into(), "reembolso".into()],
                examples: vec![],
            },
            Topic {
                name: "cancellation".into(),
                phrases: vec!["cancel subscription".into(), "kündigen".into()],
                examples: vec![],
            },
            Topic {
                name: "legal".into(),
                phrases: vec!["lawyer".into(), "sue".into(), "avocat".into()],
                examples: vec![],
            },
        ])
    }

    fn topic_of(text: &str) -> Option<String> {
        match_topic(&topics(), text).map(|m| m.topic)
    }

    #[test]
    fn matches_inflections_case_and_accents() {
        assert_eq!(topic_of("I want a REFUND now"), Some("refund".into()));
        assert_eq!(topic_of("were my refunds processed?"), Some("refund".into()));
        assert_eq!(topic_of("it was refunded twice"), Some("refund".into()));
        assert_eq!(topic_of("quiero un reembolso"), Some("refund".into()));
        assert_eq!(topic_of("Je vais appeler mon avocat"), Some("legal".into()));
        assert_eq!(topic_of("Ich will kündigen"), Some("cancellation".into()));
    }

    #[test]
    fn multi_word_phrases_allow_articles_between() {
        assert_eq!(topic_of("please cancel my subscription"), Some("cancellation".into()));
        assert_eq!(topic_of("I want my money back"), Some("refund".into()));
        assert_eq!(topic_of("cancel the order, keep the subscription"), None);
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(topic_of("the issue is on my side"), None, "'sue' must not match inside 'issue'");
        assert_eq!(topic_of("how do I ship this?"), None);
        assert_eq!(match_topic(&[], "refund"), None);
    }

    #[test]
    fn the_first_topic_in_policy_order_wins() {
        let found = match_topic(&topics(), "my lawyer wants a refund").unwrap();
        assert_eq!(found, TopicMatch { topic: "refund".into(), phrase: "refund".into() });
    }

    #[test]
    fn stems_keep_short_words() {
        assert_eq!(stem("refunds"), "refund");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("charges"), "charge");
        assert_eq!(stem("charging"), "charg");
        assert_eq!(stem("kündigen"), "kündig");
    }
}
