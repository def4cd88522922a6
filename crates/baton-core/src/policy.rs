//! A bot's settings: how its built-in rules answer, and its handoff policy. Stored as JSON and
//! importable from TOML; every field has a default so a partial document is valid.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::values::MessageText;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BotSettings {
    /// Sent when a conversation starts.
    pub greeting: String,
    /// Questions the built-in rules bot can answer.
    pub faq: Vec<FaqEntry>,
    /// What answers the contact: the rules bot (default), an LLM, or an external bot.
    pub backend: crate::backend::BackendSettings,
    pub policy: Policy,
    /// Signs the identities of logged-in customers: the host site passes the hex HMAC-SHA256
    /// of its user id keyed with this secret, so Baton knows the customer is who the site says
    /// (empty: identities are refused). Read back as `********`.
    pub identity_secret: String,
}

/// An answer the rules bot gives when a message contains any of `keywords`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    pub keywords: Vec<String>,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Whether this bot hands off at all; when off, requests for a human are answered by the bot.
    pub enabled: bool,
    /// How eagerly to hand off; `advanced` uses `triggers` as given.
    pub preset: Preset,
    /// Per-trigger settings, used when `preset` is `advanced`.
    pub triggers: TriggerSettings,
    /// Tells an LLM backend when to call its `handoff_to_human` tool.
    pub when_to_use: String,
    /// What happens when the AI backend times out, fails or answers with nonsense.
    pub ai_failure: crate::backend::AiFailure,
    /// Subjects that always go to a human.
    pub topics: Vec<Topic>,
    /// The least priority of a handoff about a topic (`{"safety": "urgent"}`); the summary's
    /// own priority stands when it is higher.
    pub priority_by_topic: BTreeMap<String, crate::handoff::Priority>,
    /// Information the team needs, gathered before the handoff is routed.
    pub gather: Vec<crate::gathering::Field>,
    /// Route to `offline` unless an eligible user is on duty (online, with a team that is open).
    pub availability_check: bool,
    /// Whom handoffs go to, by which strategy, and how many live chats a user may hold.
    pub assignment: crate::routing::Assignment,
    /// The bot's office hours; `None`: around the clock.
    pub schedule: Option<crate::schedule::Schedule>,
    /// Outside `schedule`, hand off to `offline` (with lead capture) even if someone is online.
    pub offline_outside_hours: bool,
    /// How long a handoff may wait in the queue for someone to accept it, and what happens
    /// then (or when the last eligible user leaves while it waits).
    pub waiting: Waiting,
    /// Reminders and alerts about live chats nobody answers.
    pub watchdog: Watchdog,
    /// Ask the contact to rate the human part after a user closes the chat.
    pub feedback: bool,
    /// The languages conversations may be in (ISO 639-1, among the catalog's): detection
    /// picks only among them, and a widget locale outside them is ignored.
    pub languages: Vec<String>,
    /// The language of system messages when the conversation's is unknown.
    pub default_language: String,
    /// Messages per language (`en`, `es`, …), replacing the built-in catalog's for that
    /// language; languages not listed use the catalog.
    pub messages: BTreeMap<String, PolicyMessages>,
}

/// How eagerly a bot hands off. Each preset is a fixed set of [`TriggerSettings`]:
///
/// | preset | explicit request | frustration at | forbidden topics | AI decision | bot failures |
/// | --- | --- | --- | --- | --- | --- |
/// | `ai_only` | off | off | off | off | off |
/// | `quick` | on | 0.45 | on | on | 1 |
/// | `balanced` (default) | on | 0.6 | on | on | 2 |
/// | `ai_first` | on | 0.8 | on | on | 3 |
///
/// `ai_only` never hands off (a bot with no team behind it); `quick` hands off at the first
/// sign of trouble; `balanced` lets the bot try once more; `ai_first` hands off only on an
/// explicit request, a forbidden topic or strong frustration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    AiOnly,
    Quick,
    #[default]
    Balanced,
    AiFirst,
    Advanced,
}

/// Which triggers may open a handoff, and how sensitive each is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TriggerSettings {
    /// The contact asks for a human.
    pub explicit_request: bool,
    pub frustration: bool,
    /// Frustration score (0 to 1) at which to hand off.
    pub frustration_threshold: f32,
    /// The message touches one of the policy's topics.
    pub forbidden_topics: bool,
    /// An LLM backend may decide to hand off.
    pub ai_decision: bool,
    /// Hand off after this many consecutive answers the bot could not give (0: never).
    pub bot_failure_threshold: u32,
}

impl Default for TriggerSettings {
    fn default() -> Self {
        Preset::Balanced.triggers().unwrap_or(Self::OFF)
    }
}

impl TriggerSettings {
    pub const OFF: Self = Self {
        explicit_request: false,
        frustration: false,
        frustration_threshold: 1.0,
        forbidden_topics: false,
        ai_decision: false,
        bot_failure_threshold: 0,
    };
}

impl Preset {
    /// The settings this preset stands for; `None` for `advanced`, which has none of its own.
    pub fn triggers(self) -> Option<TriggerSettings> {
        let on = |frustration_threshold, bot_failure_threshold| TriggerSettings {
            explicit_request: true,
            frustration: true,
            frustration_threshold,
            forbidden_topics: true,
            ai_decision: true,
            bot_failure_threshold,
        };
        match self {
            Self::AiOnly => Some(TriggerSettings::OFF),
            Self::Quick => Some(on(0.45, 1)),
            Self::Balanced => Some(on(crate::triggers::frustration::DEFAULT_THRESHOLD, 2)),
            Self::AiFirst => Some(on(0.8, 3)),
            Self::Advanced => None,
        }
    }
}

/// A subject that must go to a human, recognised by any of its phrases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub name: String,
    pub phrases: Vec<String>,
    /// Whole sentences that mean the topic ("I want my money back"), matched by meaning, in
    /// any language, when an embeddings endpoint is configured (the phrases are too); ignored
    /// otherwise.
    #[serde(default)]
    pub examples: Vec<String>,
}

impl Policy {
    /// The messages to send in `language` (the default language when `None`).
    pub fn messages_for(&self, language: Option<&str>) -> PolicyMessages {
        let language = language.unwrap_or(&self.default_language);
        self.messages.get(language).cloned().unwrap_or_else(|| crate::catalog::messages(language))
    }

    /// `priority`, raised to the policy's floor for `topic`.
    pub fn prioritize(
        &self,
        priority: crate::handoff::Priority,
        topic: Option<&str>,
    ) -> crate::handoff::Priority {
        topic
            .and_then(|topic| self.priority_by_topic.get(topic))
            .map_or(priority, |&floor| priority.max(floor))
    }

    /// Whether conversations may be in `language`.
    pub fn speaks(&self, language: &str) -> bool {
        self.languages.iter().any(|configured| configured == language)
    }

    /// What is wrong with the language settings, if anything.
    pub fn language_problem(&self) -> Option<String> {
        let known = |language: &str| crate::catalog::LANGUAGES.contains(&language);
        if self.languages.is_empty() {
            return Some("languages: name at least one language".into());
        }
        self.languages.iter().chain([&self.default_language]).find(|language| !known(language)).map(
            |language| {
                format!("languages: '{language}' is not one of {}", crate::catalog::LANGUAGES.join(", "))
            },
        )
    }

    /// What is wrong with the trigger numbers and the texts the bot sends, if anything: one
    /// message naming the field, for a 422. Every text Baton may send as a message must fit in
    /// one, and a threshold outside its range would silently turn a trigger off or on.
    pub fn content_problem(&self) -> Option<String> {
        let threshold = self.triggers.frustration_threshold;
        if !(0.0..=1.0).contains(&threshold) {
            return Some(format!("triggers.frustration_threshold: must be from 0 to 1, not {threshold}"));
        }
        if self.triggers.bot_failure_threshold > MAX_BOT_FAILURE_THRESHOLD {
            return Some(format!("triggers.bot_failure_threshold: at most {MAX_BOT_FAILURE_THRESHOLD}"));
        }
        if let Some(problem) = text_problem("when_to_use", &self.when_to_use) {
            return Some(problem);
        }
        for (language, messages) in &self.messages {
            for (key, text) in messages.texts() {
                if let Some(problem) = text_problem(&format!("messages.{language}.{key}"), text) {
                    return Some(problem);
                }
            }
        }
        if let Some(problem) = self.topics_problem().or_else(|| self.gather_problem()) {
            return Some(problem);
        }
        for (index, topic) in self.topics.iter().enumerate() {
            for phrase in topic.phrases.iter().chain(&topic.examples).chain([&topic.name]) {
                if phrase.chars().count() > MessageText::MAX_CHARS {
                    return Some(format!(
                        "topics[{index}]: a phrase is longer than {} characters",
                        MessageText::MAX_CHARS
                    ));
                }
            }
        }
        None
    }

    /// Topics need a name of their own and something to recognise them by; a priority floor
    /// must name one of them.
    fn topics_problem(&self) -> Option<String> {
        for (index, topic) in self.topics.iter().enumerate() {
            if topic.name.trim().is_empty() {
                return Some(format!("topics[{index}].name: give the topic a name"));
            }
            if self.topics[..index].iter().any(|earlier| earlier.name == topic.name) {
                return Some(format!("topics[{index}].name: another topic is called '{}'", topic.name));
            }
            if topic.phrases.iter().chain(&topic.examples).all(|phrase| phrase.trim().is_empty()) {
                return Some(format!("topics[{index}].phrases: give at least one phrase or example"));
            }
        }
        self.priority_by_topic
            .keys()
            .find(|name| !self.topics.iter().any(|topic| &&topic.name == name))
            .map(|name| format!("priority_by_topic: '{name}' is not one of the topics"))
    }

    /// Each field to gather needs a key (lowercase letters, digits, `_`) no other field has,
    /// a label to ask with, and, for a choice, the answers to choose from.
    fn gather_problem(&self) -> Option<String> {
        if self.gather.len() > MAX_GATHER_FIELDS {
            return Some(format!("gather: at most {MAX_GATHER_FIELDS} fields"));
        }
        for (index, field) in self.gather.iter().enumerate() {
            let key_ok = (1..=50).contains(&field.key.len())
                && field.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                return Some(format!(
                    "gather[{index}].key: 1 to 50 lowercase letters, digits or '_', such as order_number"
                ));
            }
            if self.gather[..index].iter().any(|earlier| earlier.key == field.key) {
                return Some(format!("gather[{index}].key: another field has the key '{}'", field.key));
            }
            if field.label.trim().is_empty() || field.label.chars().count() > 100 {
                return Some(format!("gather[{index}].label: 1 to 100 characters"));
            }
            if field.kind == crate::gathering::FieldKind::Choice
                && field.options.iter().all(|o| o.trim().is_empty())
            {
                return Some(format!("gather[{index}].options: a choice needs the answers to choose from"));
            }
        }
        None
    }

    /// What is wrong with the routing settings (assignment, office hours, waiting), if anything:
    /// one message naming the field, for a 422.
    pub fn routing_problem(&self) -> Option<String> {
        if let Some(problem) = self.assignment.problem() {
            return Some(format!("assignment: {problem}"));
        }
        if let Some(problem) = self.schedule.as_ref().and_then(crate::schedule::Schedule::problem) {
            return Some(format!("schedule: {problem}"));
        }
        if self.waiting.timeout_seconds > Waiting::MAX_TIMEOUT_SECONDS {
            return Some(format!("waiting.timeout_seconds: at most {}", Waiting::MAX_TIMEOUT_SECONDS));
        }
        if matches!(&self.waiting.fallback, Fallback::Widen(targets) if targets.is_empty()) {
            return Some("waiting.fallback.widen: name at least one target".into());
        }
        let delays = [
            ("waiting.reassign_after_seconds", self.waiting.reassign_after_seconds),
            ("watchdog.first_reply_seconds", self.watchdog.first_reply_seconds),
            ("watchdog.unanswered_alert_seconds", self.watchdog.unanswered_alert_seconds),
        ];
        if let Some((field, _)) = delays.iter().find(|(_, seconds)| *seconds > Waiting::MAX_TIMEOUT_SECONDS) {
            return Some(format!("{field}: at most {}", Waiting::MAX_TIMEOUT_SECONDS));
        }
        None
    }

    /// The trigger settings in force: the preset's, or the advanced ones.
    pub fn triggers(&self) -> TriggerSettings {
        self.preset.triggers().unwrap_or(self.triggers)
    }
}

/// The most fields a policy may gather: more is a form, not a chat.
pub const MAX_GATHER_FIELDS: usize = 20;

/// The most consecutive failed answers a bot may be allowed before it hands off.
pub const MAX_BOT_FAILURE_THRESHOLD: u32 = 100;

/// Why `text`, which Baton may send as a message, cannot be one.
fn text_problem(field: &str, text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars > MessageText::MAX_CHARS {
        return Some(format!(
            "{field}: is {chars} characters long; a message holds at most {}",
            MessageText::MAX_CHARS
        ));
    }
    crate::values::reject_control_characters("text", text)
        .err()
        .map(|_| format!("{field}: must not contain control characters"))
}

/// The no-accept timeout and the fallback for a handoff nobody takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Waiting {
    /// Seconds in the queue before the fallback applies; 0: wait for as long as it takes.
    pub timeout_seconds: u32,
    pub fallback: Fallback,
    /// A claimed chat whose assignee has not replied this many seconds after taking it goes
    /// back to the queue, with a note, and is offered to someone else; 0: never.
    pub reassign_after_seconds: u32,
}

/// Watches live chats for silence: who is reminded or alerted, and when (seconds; 0: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Watchdog {
    /// The assignee of a chat is reminded when they have not replied this long after taking it.
    pub first_reply_seconds: u32,
    /// The admins are alerted when a contact in a live chat has waited this long for an answer.
    pub unanswered_alert_seconds: u32,
}

impl Default for Watchdog {
    fn default() -> Self {
        Self { first_reply_seconds: 120, unanswered_alert_seconds: 300 }
    }
}

/// What happens to a handoff nobody accepted in time, or whose last eligible user left.
///
/// ```json
/// "offline"  ·  "bot"  ·  {"widen": ["team:support"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Offline: the contact is told nobody is available and asked for their details.
    #[default]
    Offline,
    /// Back to the bot, which says honestly that nobody could take the conversation.
    Bot,
    /// Route it to these targets instead (once); if nobody there takes it either, offline.
    Widen(Vec<crate::routing::Target>),
}

impl Default for Waiting {
    fn default() -> Self {
        Self {
            timeout_seconds: Self::DEFAULT_TIMEOUT_SECONDS,
            fallback: Fallback::Offline,
            reassign_after_seconds: 0,
        }
    }
}

impl Waiting {
    /// Five minutes: longer than most contacts wait in a chat window without an answer.
    pub const DEFAULT_TIMEOUT_SECONDS: u32 = 300;
    pub const MAX_TIMEOUT_SECONDS: u32 = 86_400;
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
    /// Asks for one field; `{label}` is replaced by the field's label.
    pub gather_prompt: String,
    /// Asks again after a bad answer; `{reason}` says what was wrong.
    pub gather_invalid: String,
    /// The contact's place in the queue when it is first known; `{position}` and `{minutes}`.
    pub queue_position: String,
    /// When the contact reaches the head of the queue after waiting behind others.
    pub queue_next: String,
    /// A live chat moved to another team's queue.
    pub transferred_to_team: String,
    /// Nobody accepted in time and the bot takes the conversation back.
    pub nobody_answered: String,
    /// Nobody accepted in time, so the contact may leave their details (the lead prompt follows).
    pub nobody_in_time: String,
    /// A message the contact sent while their ticket is open was added to it.
    pub ticket_added: String,
}

impl PolicyMessages {
    /// Every text, with its key.
    pub fn texts(&self) -> [(&'static str, &str); 18] {
        [
            ("handoff_queued", &self.handoff_queued),
            ("handoff_assigned", &self.handoff_assigned),
            ("already_waiting", &self.already_waiting),
            ("offline", &self.offline),
            ("lead_prompt", &self.lead_prompt),
            ("lead_success", &self.lead_success),
            ("closing", &self.closing),
            ("feedback_request", &self.feedback_request),
            ("feedback_thanks", &self.feedback_thanks),
            ("cannot_help", &self.cannot_help),
            ("gather_prompt", &self.gather_prompt),
            ("gather_invalid", &self.gather_invalid),
            ("queue_position", &self.queue_position),
            ("queue_next", &self.queue_next),
            ("transferred_to_team", &self.transferred_to_team),
            ("nobody_answered", &self.nobody_answered),
            ("nobody_in_time", &self.nobody_in_time),
            ("ticket_added", &self.ticket_added),
        ]
    }
}

/// The default guidance for an LLM on when to hand off.
pub const DEFAULT_WHEN_TO_USE: &str = "Hand the conversation to a human when the customer asks for one, \
when you do not have the knowledge or the tool to resolve their request, when they are frustrated, \
or when the request touches something that must be handled by a person (refunds, legal matters, \
safety). Do not hand off for questions you can answer.";

impl BotSettings {
    /// The shortest identity secret accepted: one an attacker cannot guess.
    pub const MIN_IDENTITY_SECRET_CHARS: usize = 16;

    /// These settings with every secret replaced by [`REDACTED`](crate::backend::REDACTED),
    /// for reading back.
    pub fn redacted(&self) -> Self {
        let mut settings = self.clone();
        settings.backend = settings.backend.redacted();
        if !settings.identity_secret.is_empty() {
            settings.identity_secret = crate::backend::REDACTED.to_owned();
        }
        settings
    }

    /// Settings written back after a read keep the stored secrets where they still say
    /// [`REDACTED`](crate::backend::REDACTED).
    pub fn keep_secrets_from(&mut self, stored: &Self) {
        self.backend.keep_secrets_from(&stored.backend);
        if self.identity_secret == crate::backend::REDACTED {
            self.identity_secret = stored.identity_secret.clone();
        }
    }

    /// What is wrong with the identity secret, if anything.
    pub fn identity_problem(&self) -> Option<String> {
        let secret = &self.identity_secret;
        (!secret.is_empty()
            && (secret.chars().count() < Self::MIN_IDENTITY_SECRET_CHARS || secret.trim() != secret))
            .then(|| {
                format!(
                    "identity_secret: use at least {} characters, without spaces at either end",
                    Self::MIN_IDENTITY_SECRET_CHARS
                )
            })
    }
}

impl Default for BotSettings {
    fn default() -> Self {
        Self {
            greeting: "Hi! I'm the assistant. Ask me anything, or ask for a human at any time.".into(),
            faq: Vec::new(),
            backend: crate::backend::BackendSettings::default(),
            policy: Policy::default(),
            identity_secret: String::new(),
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            enabled: true,
            preset: Preset::Balanced,
            triggers: TriggerSettings::default(),
            when_to_use: DEFAULT_WHEN_TO_USE.into(),
            ai_failure: crate::backend::AiFailure::default(),
            topics: Vec::new(),
            priority_by_topic: BTreeMap::new(),
            gather: Vec::new(),
            availability_check: true,
            assignment: crate::routing::Assignment::default(),
            schedule: None,
            offline_outside_hours: true,
            waiting: Waiting::default(),
            watchdog: Watchdog::default(),
            feedback: true,
            languages: crate::catalog::LANGUAGES.map(String::from).to_vec(),
            default_language: "en".into(),
            messages: BTreeMap::new(),
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
            gather_prompt: "So that our team can help you, what is your {label}?".into(),
            gather_invalid: "That doesn't look right ({reason}). What is your {label}?".into(),
            queue_position: "You're number {position} in line; the expected wait is about {minutes} min.".into(),
            queue_next: "You're next in line; someone will be with you in a moment.".into(),
            transferred_to_team: "I'm passing your conversation to another team; please stay here.".into(),
            nobody_answered: "Sorry, nobody from our team could take your conversation just now. I'm here in the meantime, and you can ask for a human again later.".into(),
            nobody_in_time: "Sorry, nobody from our team could take your conversation in time.".into(),
            ticket_added: "I've added your message to your request; our team will reply by email.".into(),
        }
    }
}

impl BotSettings {
    /// What is wrong with the texts the bot sends and the policy's numbers, if anything (see
    /// [`Policy::content_problem`]).
    pub fn content_problem(&self) -> Option<String> {
        if let Some(problem) = text_problem("greeting", &self.greeting) {
            return Some(problem);
        }
        for (index, entry) in self.faq.iter().enumerate() {
            if let Some(problem) = text_problem(&format!("faq[{index}].answer"), &entry.answer) {
                return Some(problem);
            }
        }
        self.policy.content_problem().map(|problem| format!("policy.{problem}"))
    }

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
            // The demo bot has no office hours (its policy has no schedule), so it claims none.
            (
                &["hours", "open", "opening"][..],
                "Our team answers here whenever someone is online. Ask for a human at any time; if nobody is available, leave your email and we'll get back to you.",
            ),
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
            backend: crate::backend::BackendSettings::default(),
            identity_secret: String::new(),
            policy: Policy {
                topics: vec![
                    Topic {
                        name: "legal".into(),
                        phrases: ["lawyer", "lawsuit", "legal action", "sue", "abogado", "avocat", "Anwalt", "advogado"]
                            .map(String::from)
                            .to_vec(),
                        examples: ["I'm going to take you to court", "my lawyer will contact you"]
                            .map(String::from)
                            .to_vec(),
                    },
                    Topic {
                        name: "safety".into(),
                        phrases: ["injury", "injured", "caught fire", "burned", "dangerous"].map(String::from).to_vec(),
                        examples: ["the charger caught fire", "someone got hurt using your product"]
                            .map(String::from)
                            .to_vec(),
                    },
                ],
                ..Policy::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_and_fields_to_gather_must_be_usable() {
        let problem = |policy: serde_json::Value| {
            let policy: Policy = serde_json::from_value(policy).unwrap();
            policy.content_problem()
        };
        let refund = serde_json::json!({"name": "refund", "phrases": ["refund"]});
        assert_eq!(
            problem(serde_json::json!({"topics": [refund], "priority_by_topic": {"refund": "urgent"}})),
            None
        );
        let unnamed = problem(serde_json::json!({"topics": [{"name": " ", "phrases": ["x"]}]})).unwrap();
        assert!(unnamed.starts_with("topics[0].name:"), "{unnamed}");
        let twice = problem(serde_json::json!({"topics": [refund, refund]})).unwrap();
        assert!(twice.starts_with("topics[1].name:"), "{twice}");
        let empty = problem(serde_json::json!({"topics": [{"name": "legal", "phrases": [""]}]})).unwrap();
        assert!(empty.starts_with("topics[0].phrases:"), "{empty}");
        let floor = problem(serde_json::json!({"priority_by_topic": {"legal": "high"}})).unwrap();
        assert!(floor.starts_with("priority_by_topic:"), "{floor}");

        let field = |key: &str, kind: &str| serde_json::json!({"key": key, "label": "order number", "kind": kind, "required": true});
        assert_eq!(problem(serde_json::json!({"gather": [field("order_number", "number")]})), None);
        let bad_key = problem(serde_json::json!({"gather": [field("Order Number", "number")]})).unwrap();
        assert!(bad_key.starts_with("gather[0].key:"), "{bad_key}");
        let same = problem(serde_json::json!({"gather": [field("order", "number"), field("order", "text")]}))
            .unwrap();
        assert!(same.starts_with("gather[1].key:"), "{same}");
        let choice = problem(serde_json::json!({"gather": [field("plan", "choice")]})).unwrap();
        assert!(choice.starts_with("gather[0].options:"), "{choice}");
    }

    #[test]
    fn a_partial_document_takes_defaults() {
        let settings: BotSettings = serde_json::from_str(
            r#"{"policy": {"preset": "advanced", "triggers": {"bot_failure_threshold": 5}}}"#,
        )
        .unwrap();
        let triggers = settings.policy.triggers();
        assert_eq!(triggers.bot_failure_threshold, 5);
        assert!(triggers.explicit_request, "unset advanced fields keep the balanced values");
        assert_eq!(settings.policy.messages_for(None), PolicyMessages::default());
    }

    #[test]
    fn presets_order_from_eager_to_patient() {
        let threshold = |preset: Preset| preset.triggers().unwrap().frustration_threshold;
        assert!(threshold(Preset::Quick) < threshold(Preset::Balanced));
        assert!(threshold(Preset::Balanced) < threshold(Preset::AiFirst));
        let failures = |preset: Preset| preset.triggers().unwrap().bot_failure_threshold;
        assert!(failures(Preset::Quick) < failures(Preset::Balanced));
        assert!(failures(Preset::Balanced) < failures(Preset::AiFirst));
        assert_eq!(Preset::AiOnly.triggers(), Some(TriggerSettings::OFF));
        assert_eq!(Preset::Advanced.triggers(), None);
        let policy = Policy { preset: Preset::Quick, ..Policy::default() };
        assert_eq!(policy.triggers(), Preset::Quick.triggers().unwrap());
    }

    #[test]
    fn messages_come_from_the_policy_then_the_catalog() {
        let mut policy = Policy::default();
        let custom = PolicyMessages { offline: "Back at 9.".into(), ..PolicyMessages::default() };
        policy.messages.insert("en".into(), custom.clone());
        assert_eq!(policy.messages_for(Some("en")), custom);
        assert_eq!(policy.messages_for(None), custom, "the default language is English");
        assert_eq!(policy.messages_for(Some("de")), crate::catalog::messages("de"));
    }

    #[test]
    fn a_topic_raises_the_priority_to_its_floor() {
        use crate::handoff::Priority;
        let mut policy = Policy::default();
        policy.priority_by_topic.insert("safety".into(), Priority::Urgent);
        policy.priority_by_topic.insert("billing".into(), Priority::Low);
        assert_eq!(policy.prioritize(Priority::High, Some("safety")), Priority::Urgent);
        assert_eq!(
            policy.prioritize(Priority::High, Some("billing")),
            Priority::High,
            "a floor never lowers"
        );
        assert_eq!(policy.prioritize(Priority::Normal, None), Priority::Normal);
    }

    #[test]
    fn routing_settings_parse_and_are_checked() {
        let policy: Policy = serde_json::from_str(
            r#"{"assignment": {"targets": {"de": ["team:berlin"], "*": ["all"]}, "strategy": "round_robin"},
                "schedule": {"timezone": "Europe/Berlin"},
                "waiting": {"timeout_seconds": 120, "fallback": {"widen": ["team:support"]}}}"#,
        )
        .unwrap();
        assert_eq!(policy.routing_problem(), None);
        assert!(matches!(&policy.waiting.fallback, Fallback::Widen(targets) if targets.len() == 1));
        let bot: Policy = serde_json::from_str(r#"{"waiting": {"fallback": "bot"}}"#).unwrap();
        assert_eq!(
            bot.waiting,
            Waiting { timeout_seconds: 300, fallback: Fallback::Bot, reassign_after_seconds: 0 }
        );
        let empty: Policy = serde_json::from_str(r#"{"waiting": {"fallback": {"widen": []}}}"#).unwrap();
        assert!(empty.routing_problem().unwrap().starts_with("waiting.fallback"));
        let slow: Policy = serde_json::from_str(r#"{"assignment": {"offer_ttl_seconds": 1}}"#).unwrap();
        assert!(slow.routing_problem().unwrap().starts_with("assignment: "));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<BotSettings>(r#"{"polcy": {}}"#).is_err());
    }
}
