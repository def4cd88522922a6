//! AI backends: what answers the contact while the bot owns the conversation.
//!
//! Every backend implements [`AiBackend`]. The server asks it for a [`Reply`] to the latest
//! contact message and then writes the reply only if the bot still owns the conversation, so a
//! slow backend can never talk over a human. [`RulesBot`] is the built-in default: no network,
//! answers from the bot's FAQ and says so honestly when it cannot help.

pub mod language;
mod rules;

use async_trait::async_trait;
use baton_core::message::Message;
use baton_core::policy::BotSettings;

pub use rules::RulesBot;

/// What the backend sees of one turn.
pub struct Turn<'a> {
    pub settings: &'a BotSettings,
    /// The conversation so far, oldest first, ending with the message to answer.
    pub history: &'a [Message],
    pub text: &'a str,
    /// The conversation's language (ISO 639-1), once known.
    pub language: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A helpful answer.
    Answer(String),
    /// The backend could not help; the text says so. Counts towards the bot-failure trigger.
    CannotHelp(String),
}

#[async_trait]
pub trait AiBackend: Send + Sync + 'static {
    async fn reply(&self, turn: Turn<'_>) -> Reply;
}
