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
    duration_ms: i64,
    replies: &[&str],
    contact_messages: &[&str],
) -> String {
    let mut text = format!(
        "Handled by {assignee} for {}: {} from the team, {} from the contact.",
        duration(duration_ms),
        counted(replies.len(), "reply", "replies"),
        counted(contact_messages.len(), "message", "messages"),
    );
    if let Some(last) = replies.last() {
        text.push_str(&format!(" Last reply: \"{}\"", shorten(last)));
    }
    if let Some(last) = contact_messages.last() {
        text.push_str(&format!(" Contact's last message: \"{}\"", shorten(last)));
    }
    text
}

/// "1 reply", "2 replies", "no replies".
pub fn counted(count: usize, one: &str, many: &str) -> String {
    match count {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// A length of time as a person says it: "under a minute", "1 minute", "25 minutes",
/// "1 hour 5 minutes", "3 hours".
pub fn duration(millis: i64) -> String {
    let minutes = millis.max(0) / 60_000;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let unit = |n: i64, one: &str, many: &str| counted(usize::try_from(n).unwrap_or(usize::MAX), one, many);
    match (hours, minutes) {
        (0, 0) => "under a minute".into(),
        (0, m) => unit(m, "minute", "minutes"),
        (h, 0) => unit(h, "hour", "hours"),
        (h, m) => format!("{} {}", unit(h, "hour", "hours"), unit(m, "minute", "minutes")),
    }
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
        let note =
            summarize_human_part("Ana", 4 * 60_000 + 10, &["Hi!", "Your refund is on its way."], &["thanks"]);
        assert_eq!(
            note,
            "Handled by Ana for 4 minutes: 2 replies from the team, 1 message from the contact. \
             Last reply: \"Your refund is on its way.\" Contact's last message: \"thanks\""
        );
        let quick = summarize_human_part("Ben", 20_000, &["Done."], &[]);
        assert!(
            quick.starts_with(
                "Handled by Ben for under a minute: 1 reply from the team, no messages from the contact."
            ),
            "{quick}"
        );
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(59_999), "under a minute");
        assert_eq!(duration(60_000), "1 minute");
        assert_eq!(duration(25 * 60_000), "25 minutes");
        assert_eq!(duration(60 * 60_000), "1 hour");
        assert_eq!(duration(65 * 60_000), "1 hour 5 minutes");
        assert_eq!(duration(3 * 3_600_000 + 60_000), "3 hours 1 minute");
        assert_eq!(duration(-5), "under a minute");
    }

    #[test]
    fn long_messages_are_shortened() {
        let long = "word ".repeat(100);
        let s = summary(Trigger::ExplicitRequest, None, &[(&long, 0.0)]);
        assert!(s.text.contains('…'));
        assert!(s.text.len() < 400, "{}", s.text.len());
    }
}
