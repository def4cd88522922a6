//! What the person taking a handoff reads first when no LLM is configured: a deterministic
//! summary and a priority.
//!
//! The summary says why the handoff happened (trigger and its reason, the topic), what the
//! contact said (their last few messages, shortened), and how their mood went (the frustration
//! of their first and latest messages). The priority follows the mood and the topic:
//! `urgent` for strong frustration, `high` for a forbidden topic or clear frustration, `low`
//! for a calm contact the bot merely could not help, `normal` otherwise.

use crate::handoff::{Priority, Trigger};

/// How many of the contact's latest messages the summary quotes.
const QUOTED: usize = 3;
/// Longest quote, in characters.
const QUOTE_CHARS: usize = 160;

pub struct SummaryInput<'a> {
    pub trigger: Trigger,
    pub reason: &'a str,
    pub topic: Option<&'a str>,
    /// The contact's messages, oldest first, with their frustration scores (0 to 1).
    pub contact_messages: &'a [(&'a str, f32)],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub text: String,
    pub priority: Priority,
}

fn trigger_label(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::ExplicitRequest => "asked for a human",
        Trigger::Frustration => "frustrated",
        Trigger::ForbiddenTopic => "forbidden topic",
        Trigger::AiDecision => "the AI decided to hand off",
        Trigger::BotFailure => "the bot could not help",
        Trigger::ManualTakeover => "taken over by a user",
        Trigger::Api => "requested through the API",
    }
}

fn mood(score: f32) -> &'static str {
    match score {
        s if s >= 0.8 => "very frustrated",
        s if s >= 0.5 => "frustrated",
        s if s >= 0.25 => "annoyed",
        _ => "calm",
    }
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= QUOTE_CHARS {
        text
    } else {
        format!("{}…", text.chars().take(QUOTE_CHARS - 1).collect::<String>())
    }
}

pub fn summarize(input: &SummaryInput) -> Summary {
    let mut lines = vec![format!("Why: {} ({}).", trigger_label(input.trigger), input.reason)];
    if let Some(topic) = input.topic {
        lines.push(format!("Topic: {topic}."));
    }
    let messages = input.contact_messages;
    if !messages.is_empty() {
        let quotes: Vec<String> = messages
            .iter()
            .rev()
            .take(QUOTED)
            .rev()
            .map(|(text, _)| format!("\"{}\"", shorten(text)))
            .collect();
        lines.push(format!("The contact said: {}", quotes.join(" / ")));
    }
    let latest = messages.last().map_or(0.0, |(_, score)| *score);
    let peak = messages.iter().map(|(_, score)| *score).fold(0.0, f32::max);
    if let (Some((_, first)), true) = (messages.first(), messages.len() > 1) {
        lines.push(format!("Mood: {} → {} ({first:.2} → {latest:.2}).", mood(*first), mood(latest)));
    } else if !messages.is_empty() {
        lines.push(format!("Mood: {} ({latest:.2}).", mood(latest)));
    }
    let priority = if peak >= 0.8 {
        Priority::Urgent
    } else if input.topic.is_some() || peak >= 0.5 {
        Priority::High
    } else if input.trigger == Trigger::BotFailure && peak < 0.25 {
        Priority::Low
    } else {
        Priority::Normal
    };
    Summary { text: lines.join("\n"), priority }
}

/// The note left when a user closes a live chat, so whoever reads the conversation next (the
/// bot included) knows what the human part covered.
pub fn summarize_human_part(
    assignee: &str,
    minutes: i64,
    replies: &[&str],
    contact_messages: &[&str],
) -> String {
    let mut text = format!(
        "Handled by {assignee} for {minutes} min: {} replies from the team, {} messages from the contact.",
        replies.len(),
        contact_messages.len()
    );
    if let Some(last) = replies.last() {
        text.push_str(&format!(" Last reply: \"{}\"", shorten(last)));
    }
    if let Some(last) = contact_messages.last() {
        text.push_str(&format!(" Contact's last message: \"{}\"", shorten(last)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(trigger: Trigger, topic: Option<&str>, messages: &[(&str, f32)]) -> Summary {
        summarize(&SummaryInput { trigger, reason: "because", topic, contact_messages: messages })
    }

    #[test]
    fn says_why_what_and_how_the_mood_went() {
        let s = summary(
            Trigger::Frustration,
            None,
            &[
                ("where is my order", 0.1),
                ("still nothing", 0.4),
                ("hello?", 0.3),
                ("THIS IS A JOKE!!!", 0.85),
            ],
        );
        assert!(s.text.starts_with("Why: frustrated (because)."), "{}", s.text);
        assert!(s.text.contains("\"still nothing\" / \"hello?\" / \"THIS IS A JOKE!!!\""), "{}", s.text);
        assert!(!s.text.contains("where is my order"), "only the last three are quoted");
        assert!(s.text.contains("Mood: calm → very frustrated (0.10 → 0.85)."), "{}", s.text);
        assert_eq!(s.priority, Priority::Urgent);
    }

    #[test]
    fn priority_follows_topic_and_mood() {
        assert_eq!(
            summary(Trigger::ForbiddenTopic, Some("refund"), &[("refund please", 0.0)]).priority,
            Priority::High
        );
        assert_eq!(summary(Trigger::BotFailure, None, &[("what colours?", 0.0)]).priority, Priority::Low);
        assert_eq!(
            summary(Trigger::ExplicitRequest, None, &[("human please", 0.1)]).priority,
            Priority::Normal
        );
        assert_eq!(
            summary(Trigger::ExplicitRequest, None, &[("human NOW!!!", 0.6)]).priority,
            Priority::High
        );
        let s = summary(Trigger::Api, None, &[]);
        assert_eq!(
            (s.text.as_str(), s.priority),
            ("Why: requested through the API (because).", Priority::Normal)
        );
    }

    #[test]
    fn the_human_part_is_summed_up() {
        let note = summarize_human_part("Ana", 4, &["Hi!", "Your refund is on its way."], &["thanks"]);
        assert_eq!(
            note,
            "Handled by Ana for 4 min: 2 replies from the team, 1 messages from the contact. \
             Last reply: \"Your refund is on its way.\" Contact's last message: \"thanks\""
        );
    }

    #[test]
    fn long_messages_are_shortened() {
        let long = "word ".repeat(100);
        let s = summary(Trigger::ExplicitRequest, None, &[(&long, 0.0)]);
        assert!(s.text.contains('…'));
        assert!(s.text.len() < 400, "{}", s.text.len());
    }
}
