//! AI backends: what answers the contact while the bot owns the conversation.
//!
//! Every backend implements [`AiBackend`]; a bot's settings choose one ([`Backend::new`]):
//! - [`RulesBot`], the default: no network, answers from the bot's FAQ and says so honestly
//!   when it cannot help;
//! - [`openai::OpenAiChat`]: any OpenAI-compatible chat-completions endpoint, offered a
//!   `handoff_to_human` tool built from the policy, so the model itself can decide to hand off;
//! - [`webhook::ExternalBot`]: an external bot (Rasa, Botpress, custom) sent each contact
//!   message over a signed webhook; it answers now in its response or later through the API.
//!
//! The server asks the backend for a [`Reply`] and then writes it only if the bot still owns
//! the conversation, so a slow backend can never talk over a human. A remote backend's
//! failure is an [`AiError`]; the server's failure policy decides what happens next.
//!
//! [`embeddings`] is not a backend: it serves the trigger engine's semantic layer (matching
//! messages to example phrases by meaning).

pub mod embeddings;
pub mod heads;
pub mod judge;
pub mod language;
pub mod openai;
pub mod outbound;
mod rules;
mod sse;
pub mod webhook;

use std::collections::BTreeMap;

use async_trait::async_trait;
use baton_core::backend::{BackendSettings, ReasonCode};
use baton_core::handoff::Priority;
use baton_core::ids::ConversationId;
use baton_core::message::Message;
use baton_core::policy::BotSettings;

pub use rules::RulesBot;

/// What the backend sees of one turn.
pub struct Turn<'a> {
    pub settings: &'a BotSettings,
    pub conversation_id: ConversationId,
    /// The conversation so far, oldest first, ending with the message to answer.
    pub history: &'a [Message],
    pub text: &'a str,
    /// The conversation's language (ISO 639-1), once known.
    pub language: Option<&'a str>,
    /// Whether the backend may decide to hand off (the policy allows it and no handoff is open).
    pub may_hand_off: bool,
    /// Called once when a streamed answer starts arriving, so the contact sees the bot typing.
    pub on_first_token: Option<&'a (dyn Fn() + Send + Sync)>,
}

impl<'a> Turn<'a> {
    /// A turn with no history, for backends that only read the text (tests, evaluation).
    pub fn of_text(settings: &'a BotSettings, text: &'a str) -> Self {
        Self {
            settings,
            conversation_id: ConversationId::from_uuid(uuid::Uuid::nil()),
            history: &[],
            text,
            language: None,
            may_hand_off: true,
            on_first_token: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A helpful answer.
    Answer(String),
    /// The backend could not help; the text says so. Counts towards the bot-failure trigger.
    CannotHelp(String),
    /// The backend decided a human must take over.
    HandOff(AiHandoff),
    /// The backend took the message and will answer through the API (an external bot).
    Deferred,
}

/// An AI's decision to hand off, with what it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiHandoff {
    pub reason_code: ReasonCode,
    /// One sentence for the human who takes over.
    pub reason: String,
    pub priority: Option<Priority>,
    /// What the AI tells the contact, in their language.
    pub message: Option<String>,
    /// Values of the policy's fields to gather that the AI already knows.
    pub gathered: BTreeMap<String, String>,
    pub summary: Option<String>,
}

/// An AI-written summary of a conversation about to be handed off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiSummary {
    pub summary: String,
    pub priority: Option<Priority>,
}

#[derive(Debug, thiserror::Error)]
pub enum AiError {
    #[error("the AI backend did not answer in time")]
    Timeout,
    #[error("the AI backend could not be reached: {0}")]
    Unreachable(String),
    #[error("the AI backend answered {status}: {detail}")]
    Status { status: u16, detail: String },
    #[error("the AI backend's answer was unusable: {0}")]
    Malformed(String),
}

/// How an HTTP call failed, for every remote client here.
pub(crate) enum CallFailure {
    Timeout,
    /// The answer arrived but could not be read.
    Unreadable(String),
    Unreachable(String),
}

impl From<reqwest::Error> for CallFailure {
    fn from(error: reqwest::Error) -> Self {
        // The URL may carry a secret (a token in a webhook's query), and the message ends up
        // in logs and on handoffs.
        let error = error.without_url();
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_decode() {
            Self::Unreadable(error.to_string())
        } else if let Some(blocked) = blocked_in(&error) {
            Self::Unreachable(blocked.to_string())
        } else {
            Self::Unreachable(error.to_string())
        }
    }
}

/// The refusal of [`outbound`]'s guard somewhere in the error's causes, if it was that.
fn blocked_in<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e outbound::Blocked> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(blocked) = current.downcast_ref::<outbound::Blocked>() {
            return Some(blocked);
        }
        cause = current.source();
    }
    None
}

impl AiError {
    fn blocked(blocked: outbound::Blocked) -> Self {
        Self::Unreachable(blocked.to_string())
    }

    fn from_reqwest(error: reqwest::Error) -> Self {
        match CallFailure::from(error) {
            CallFailure::Timeout => Self::Timeout,
            CallFailure::Unreadable(detail) => Self::Malformed(detail),
            CallFailure::Unreachable(detail) => Self::Unreachable(detail),
        }
    }

    /// A short name for the failure, recorded on the handoff it causes.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Unreachable(_) => "unreachable",
            Self::Status { .. } => "error_status",
            Self::Malformed(_) => "malformed_output",
        }
    }
}

/// The most of a remote answer Baton reads: far more than any usable answer, far less than a
/// server gone wrong could send.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// The most of an error answer Baton reads (it only quotes the start of it).
const MAX_ERROR_BYTES: usize = 64 << 10;

/// The whole body of `response`, or `None` past `limit` bytes: reading stops there, so a
/// runaway server costs at most that much memory.
async fn read_capped(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// The body of a remote backend's answer, at most [`MAX_RESPONSE_BYTES`].
async fn answer_body(response: &mut reqwest::Response) -> Result<Vec<u8>, AiError> {
    read_capped(response, MAX_RESPONSE_BYTES)
        .await
        .map_err(AiError::from_reqwest)?
        .ok_or_else(|| AiError::Malformed(format!("the answer is larger than {MAX_RESPONSE_BYTES} bytes")))
}

/// The longest error detail kept from a failed call.
pub(crate) const DETAIL_LIMIT: usize = 300;

/// The message of an OpenAI-style error body (`{"error": {"message"}}`), or the body itself,
/// cut to [`DETAIL_LIMIT`] characters.
pub(crate) fn error_detail(body: &str) -> String {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.to_owned());
    truncate(&message)
}

/// `text` cut to [`DETAIL_LIMIT`] characters.
pub(crate) fn truncate(text: &str) -> String {
    text.chars().take(DETAIL_LIMIT).collect()
}

/// The start of an error answer, as text.
async fn error_body(response: &mut reqwest::Response) -> String {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_ERROR_BYTES {
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

#[async_trait]
pub trait AiBackend: Send + Sync {
    async fn reply(&self, turn: Turn<'_>) -> Result<Reply, AiError>;

    /// A summary of the conversation for the human taking over; `None` when this backend
    /// writes none (the server then writes a deterministic one).
    async fn summarize(&self, _turn: Turn<'_>) -> Result<Option<AiSummary>, AiError> {
        Ok(None)
    }

    /// A reply for the human agent to edit and send (never sent by itself), from the
    /// conversation, the bot's instructions and FAQ, and `details` the customer gave; `None`
    /// when this backend writes none.
    async fn draft(&self, _turn: Turn<'_>, _details: &str) -> Result<Option<String>, AiError> {
        Ok(None)
    }
}

/// The backend a bot's settings choose.
pub enum Backend {
    Rules(RulesBot),
    OpenAi(openai::OpenAiChat),
    Webhook(webhook::ExternalBot),
}

impl Backend {
    /// `http` is shared by every backend (connection pools are per client).
    pub fn new(settings: &BackendSettings, http: &outbound::Outbound) -> Self {
        match settings {
            BackendSettings::Rules => Self::Rules(RulesBot),
            BackendSettings::OpenAi(s) => Self::OpenAi(openai::OpenAiChat::new(s.clone(), http.clone())),
            BackendSettings::Webhook(s) => Self::Webhook(webhook::ExternalBot::new(s.clone(), http.clone())),
        }
    }

    fn inner(&self) -> &dyn AiBackend {
        match self {
            Self::Rules(bot) => bot,
            Self::OpenAi(bot) => bot,
            Self::Webhook(bot) => bot,
        }
    }

    /// Whether this backend calls out over the network (and so can fail).
    pub fn is_remote(&self) -> bool {
        !matches!(self, Self::Rules(_))
    }
}

#[async_trait]
impl AiBackend for Backend {
    async fn reply(&self, turn: Turn<'_>) -> Result<Reply, AiError> {
        self.inner().reply(turn).await
    }

    async fn draft(&self, turn: Turn<'_>, details: &str) -> Result<Option<String>, AiError> {
        self.inner().draft(turn, details).await
    }

    async fn summarize(&self, turn: Turn<'_>) -> Result<Option<AiSummary>, AiError> {
        self.inner().summarize(turn).await
    }
}

/// A plain HTTP client with Baton's TLS set up (rustls with ring, installed here as the
/// process's crypto provider the first time), for tools and tests. Calls that settings point
/// somewhere go through [`outbound::Outbound`] instead.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    install_tls_provider();
    reqwest::Client::builder().connect_timeout(std::time::Duration::from_secs(5)).build()
}

/// Makes ring the process's TLS crypto provider, unless one is installed already.
pub fn install_tls_provider() {
    // An error means a provider is already installed, which is all that is needed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The English name of an ISO 639-1 language, for instructions to a model.
pub fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "de" => "German",
        "pt" => "Portuguese",
        "it" => "Italian",
        "nl" => "Dutch",
        "zh" => "Chinese",
        other => other,
    }
}
