//! A bot's settings: how its built-in rules answer, and its handoff policy. Stored as JSON and
//! importable from TOML; every field has a default so a partial document is valid.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BotSettings {
    /// Sent when a conversation starts.
    pub greeting: String,
    /// Questions the built-in rules bot can answer.
    pub faq: Vec<FaqEntry>,
    pub policy: Policy,
}

/// An answer the rules bot gives when a message contains any of `keywords`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    pub keywords: Vec<String>,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Whether this bot hands off at all; when off, requests for a human are answered by the bot.
    pub enabled: bool,
    /// Hand off when the contact asks for a human.
    pub explicit_request: bool,
    /// Hand off after this many consecutive answers the bot could not give (0: never).
    pub bot_failure_threshold: u32,
    /// Route to `offline` unless an eligible user is online.
    pub availability_check: bool,
    /// Ask the contact to rate the human part after a user closes the chat.
    pub feedback: bool,
    pub messages: PolicyMessages,
}

/// What Baton says to the contact at each step of a handoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyMessages {
    pub handoff_queued: String,
    pub handoff_assigned: String,
    pub already_waiting: String,
    pub offline: String,
    pub lead_prompt: String,
    pub lead_success: String,
    pub closing: String,
    pub feedback_request: String,
    pub feedback_thanks: String,
    pub cannot_help: String,
}

impl Default for BotSettings {
    fn default() -> Self {
        Self {
            greeting: "Hi! I'm the assistant. Ask me anything, or ask for a human at any time.".into(),
            faq: Vec::new(),
            policy: Policy::default(),
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            enabled: true,
            explicit_request: true,
            bot_failure_threshold: 2,
            availability_check: true,
            feedback: true,
            messages: PolicyMessages::default(),
        }
    }
}

impl Default for PolicyMessages {
    fn default() -> Self {
        Self {
            handoff_queued: "I'm connecting you with a member of our team. Please stay here; someone will be with you shortly.".into(),
            handoff_assigned: "{name} has joined the conversation.".into(),
            already_waiting: "You're already waiting for a member of our team; they'll be with you as soon as possible.".into(),
            offline: "Our team is offline right now.".into(),
            lead_prompt: "Leave your email and a short message, and someone will follow up with you.".into(),
            lead_success: "Thanks! A member of our team will reach out to you by email.".into(),
            closing: "The conversation with our team has ended. I'm back if you need anything else.".into(),
            feedback_request: "How did our team do? Please rate the conversation from 1 to 5.".into(),
            feedback_thanks: "Thank you for your feedback!".into(),
            cannot_help: "Sorry, I can't help with that. You can rephrase, or ask to talk to a human.".into(),
        }
    }
}

impl BotSettings {
    /// The settings of the demo bot created on first start.
    pub fn demo() -> Self {
        let faq = [
            (
                &["shipping", "delivery", "deliver", "ship"][..],
                "We ship within 2 business days; delivery takes 3 to 5 days. Shipping is free on orders over $75.",
            ),
            (
                &["return", "refund", "exchange"][..],
                "You can return any item within 30 days for a full refund. Start a return from your order page.",
            ),
            (&["hours", "open", "opening"][..], "Our team is available Monday to Friday, 9:00 to 17:00."),
            (&["price", "cost", "how much"][..], "Prices are on each product page and include VAT."),
            (&["hello", "hi", "hey"][..], "Hello! How can I help you today?"),
        ];
        Self {
            greeting: "Hi! I'm Acme's assistant. Ask me about shipping, returns or opening hours, or ask for a human at any time.".into(),
            faq: faq
                .into_iter()
                .map(|(keywords, answer)| FaqEntry {
                    keywords: keywords.iter().map(|k| k.to_string()).collect(),
                    answer: answer.into(),
                })
                .collect(),
            policy: Policy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_document_takes_defaults() {
        let settings: BotSettings =
            serde_json::from_str(r#"{"policy": {"bot_failure_threshold": 5}}"#).unwrap();
        assert_eq!(settings.policy.bot_failure_threshold, 5);
        assert!(settings.policy.explicit_request);
        assert_eq!(settings.policy.messages, PolicyMessages::default());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<BotSettings>(r#"{"polcy": {}}"#).is_err());
    }
}
