//! Which AI answers for a bot, and what happens when it fails.
//!
//! A bot's [`BackendSettings`] choose one of three backends: the built-in rules bot (the
//! default; no network), any OpenAI-compatible chat-completions endpoint, or an external bot
//! (Rasa, Botpress, custom) that Baton calls over a signed webhook and that answers through
//! the API. Remote backends can time out, fail or say nonsense; [`AiFailure`] in the policy
//! says what Baton does then, so a conversation is never left waiting for an answer that
//! will not come.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendSettings {
    /// The built-in rules bot: answers from the FAQ.
    #[default]
    Rules,
    /// An OpenAI-compatible chat-completions API (OpenAI, Azure-style proxies, vLLM,
    /// llama.cpp's server, Ollama…).
    #[serde(rename = "openai")]
    OpenAi(OpenAiSettings),
    /// An external bot, sent each contact message over a signed webhook.
    Webhook(WebhookSettings),
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAiSettings {
    /// The API's base URL, up to and including the version: `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    /// Sent as a bearer token; empty for local servers that need none.
    pub api_key: String,
    /// The bot's instructions: who it is and how it answers.
    pub instructions: String,
    /// Ask for a streamed answer; the contact sees the bot typing as soon as tokens arrive.
    pub stream: bool,
    pub temperature: Option<f32>,
    /// How long one call may take before it counts as failed.
    pub timeout_ms: u64,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: String,
    /// The Standard Webhooks signing secret (`whsec_` + base64); deliveries are signed with it.
    pub secret: String,
    /// How long the external bot may take to acknowledge a delivery.
    pub timeout_ms: u64,
}

impl Default for OpenAiSettings {
    fn default() -> Self {
        Self {
            base_url: "https://api.openai.com/v1".into(),
            model: String::new(),
            api_key: String::new(),
            instructions: "You are a helpful, concise customer support assistant.".into(),
            stream: false,
            temperature: None,
            timeout_ms: 20_000,
        }
    }
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self { url: String::new(), secret: String::new(), timeout_ms: 10_000 }
    }
}

/// The longest a backend may be given to answer: past this a contact has given up.
pub const MAX_TIMEOUT_MS: u64 = 300_000;
/// The most retries a policy may ask for.
pub const MAX_RETRIES: u32 = 5;

/// Shown instead of a secret wherever settings are read back.
pub const REDACTED: &str = "********";

impl BackendSettings {
    /// These settings with their secrets replaced by [`REDACTED`], for reading back.
    pub fn redacted(&self) -> Self {
        let hide = |secret: &str| if secret.is_empty() { String::new() } else { REDACTED.to_owned() };
        match self {
            Self::Rules => Self::Rules,
            Self::OpenAi(s) => Self::OpenAi(OpenAiSettings { api_key: hide(&s.api_key), ..s.clone() }),
            Self::Webhook(s) => Self::Webhook(WebhookSettings { secret: hide(&s.secret), ..s.clone() }),
        }
    }

    /// Settings written back after a read keep the stored secrets where they still say
    /// [`REDACTED`], as long as they still go to the same origin (scheme, host and port):
    /// otherwise a changed URL would carry the stored key to a server its owner never chose,
    /// so the secret stays [`REDACTED`] and [`problem`](Self::problem) asks for it again.
    pub fn keep_secrets_from(&mut self, stored: &Self) {
        match (self, stored) {
            (Self::OpenAi(new), Self::OpenAi(old))
                if new.api_key == REDACTED && same_origin(&new.base_url, &old.base_url) =>
            {
                new.api_key = old.api_key.clone()
            }
            (Self::Webhook(new), Self::Webhook(old))
                if new.secret == REDACTED && same_origin(&new.url, &old.url) =>
            {
                new.secret = old.secret.clone()
            }
            _ => {}
        }
    }

    /// What is wrong with these settings, if anything.
    pub fn problem(&self) -> Option<String> {
        let timeout_problem = |timeout_ms: u64| {
            (timeout_ms == 0 || timeout_ms > MAX_TIMEOUT_MS)
                .then(|| format!("timeout_ms must be between 1 and {MAX_TIMEOUT_MS}"))
        };
        // Left over when settings read back (secrets hidden) were sent for another backend.
        let hidden_secret = |field: &str, secret: &str| {
            (secret == REDACTED).then(|| format!("{field}: send the secret itself, not {REDACTED}"))
        };
        let url_problem = |field: &str, url: &str| {
            (!(url.starts_with("http://") || url.starts_with("https://")))
                .then(|| format!("{field} must be an http:// or https:// URL"))
        };
        match self {
            Self::Rules => None,
            Self::OpenAi(s) => url_problem("base_url", &s.base_url)
                .or_else(|| s.model.trim().is_empty().then(|| "model must not be empty".to_owned()))
                .or_else(|| hidden_secret("api_key", &s.api_key))
                .or_else(|| timeout_problem(s.timeout_ms)),
            Self::Webhook(s) => url_problem("url", &s.url)
                .or_else(|| {
                    (!s.secret.starts_with("whsec_") || s.secret.len() < 20)
                        .then(|| "secret must be a Standard Webhooks secret (whsec_ and base64)".to_owned())
                })
                .or_else(|| timeout_problem(s.timeout_ms)),
        }
    }
}

// Secrets never reach logs.
impl fmt::Debug for BackendSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.redacted() {
            Self::Rules => f.write_str("Rules"),
            Self::OpenAi(s) => f
                .debug_struct("OpenAi")
                .field("base_url", &s.base_url)
                .field("model", &s.model)
                .field("api_key", &s.api_key)
                .field("stream", &s.stream)
                .field("timeout_ms", &s.timeout_ms)
                .finish_non_exhaustive(),
            Self::Webhook(s) => f
                .debug_struct("Webhook")
                .field("url", &s.url)
                .field("secret", &s.secret)
                .field("timeout_ms", &s.timeout_ms)
                .finish(),
        }
    }
}

impl fmt::Debug for OpenAiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        BackendSettings::OpenAi(self.clone()).fmt(f)
    }
}

impl fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        BackendSettings::Webhook(self.clone()).fmt(f)
    }
}

/// What Baton does when the AI backend times out, fails, or answers with something unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiFailure {
    /// Further attempts before falling back.
    pub retries: u32,
    pub fallback: Fallback,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Hand the conversation to a human with trigger `bot_failure`; when the policy cannot
    /// (handoff disabled, or already handed off), the rules bot answers instead.
    #[default]
    HandOff,
    /// Let the built-in rules bot answer this turn.
    RulesBot,
}

impl Default for AiFailure {
    fn default() -> Self {
        Self { retries: 1, fallback: Fallback::HandOff }
    }
}

/// Why an AI decided to hand off, as the `handoff_to_human` tool's `reason_code` enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    MissingKnowledge,
    MissingTool,
    UserRequest,
    Frustration,
    ForbiddenTopic,
    Other,
}

impl ReasonCode {
    pub const ALL: [Self; 6] = [
        Self::MissingKnowledge,
        Self::MissingTool,
        Self::UserRequest,
        Self::Frustration,
        Self::ForbiddenTopic,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingKnowledge => "missing_knowledge",
            Self::MissingTool => "missing_tool",
            Self::UserRequest => "user_request",
            Self::Frustration => "frustration",
            Self::ForbiddenTopic => "forbidden_topic",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == text)
    }
}

/// Whether two URLs have the same origin: scheme, host and port (default ports filled in),
/// compared without regard to case.
pub fn same_origin(a: &str, b: &str) -> bool {
    fn origin(url: &str) -> Option<(String, String, u16)> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        // A backslash ends the authority too: URL parsers (and so the HTTP client) read
        // `https://evil.example\@good.example` as a request to evil.example.
        let authority = rest.split(['/', '?', '#', '\\']).next()?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, port.parse().ok()?),
            _ => (host_port, if scheme == "https" { 443 } else { 80 }),
        };
        Some((scheme, host.to_ascii_lowercase(), port))
    }
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openai() -> BackendSettings {
        BackendSettings::OpenAi(OpenAiSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "m".into(),
            api_key: "sk-secret".into(),
            ..OpenAiSettings::default()
        })
    }

    #[test]
    fn secrets_are_redacted_and_kept_on_write_back() {
        let stored = openai();
        let shown = stored.redacted();
        assert!(!format!("{shown:?}{:?}", stored).contains("sk-secret"));
        assert!(serde_json::to_string(&shown).unwrap().contains(REDACTED));
        let mut written = shown.clone();
        written.keep_secrets_from(&stored);
        assert_eq!(written, stored);
    }

    #[test]
    fn a_redacted_secret_is_kept_only_for_the_same_origin() {
        let stored = openai();
        let mut moved = stored.redacted();
        if let BackendSettings::OpenAi(s) = &mut moved {
            s.base_url = "https://attacker.example/v1".into();
        }
        moved.keep_secrets_from(&stored);
        assert!(moved.problem().is_some_and(|p| p.contains("api_key")), "the secret is asked for again");
        let mut same = stored.redacted();
        if let BackendSettings::OpenAi(s) = &mut same {
            s.base_url = "http://127.0.0.1:9/v2".into();
        }
        same.keep_secrets_from(&stored);
        assert_eq!(same.problem(), None, "another path on the same origin keeps it");
        assert!(same_origin("https://a.example/x", "https://A.example:443/y"));
        assert!(!same_origin("https://a.example", "http://a.example"));
        assert!(!same_origin("https://a.example", "https://a.example:8443"));
        assert!(!same_origin("https://a.example@b.example", "https://a.example"));
        assert!(!same_origin("https://attacker.example\\@api.openai.com/v1", "https://api.openai.com/v1"));
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(openai().problem(), None);
        let BackendSettings::OpenAi(mut s) = openai() else { unreachable!() };
        s.model = " ".into();
        assert!(BackendSettings::OpenAi(s).problem().unwrap().contains("model"));
        let hook = BackendSettings::Webhook(WebhookSettings {
            url: "ftp://x".into(),
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
            ..WebhookSettings::default()
        });
        assert!(hook.problem().unwrap().contains("url"));
    }

    #[test]
    fn parses_from_json_with_defaults() {
        let parsed: BackendSettings =
            serde_json::from_str(r#"{"kind": "openai", "base_url": "http://x/v1", "model": "m"}"#).unwrap();
        let BackendSettings::OpenAi(s) = parsed else { panic!("{parsed:?}") };
        assert_eq!(s.timeout_ms, 20_000);
        assert_eq!(ReasonCode::parse("missing_tool"), Some(ReasonCode::MissingTool));
        assert_eq!(ReasonCode::parse("nope"), None);
    }
}
