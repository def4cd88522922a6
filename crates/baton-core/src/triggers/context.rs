//! What a trigger sees of a conversation when it judges the contact's latest message.

use super::semantic::SemanticHit;

/// Who said a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Contact,
    Bot,
}

/// One earlier line of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub speaker: Speaker,
    pub text: &'a str,
}

/// The message judged and what came before it.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Earlier lines, oldest first (the server passes the last 20 or so).
    pub earlier: &'a [Line<'a>],
    /// The contact's message being judged.
    pub text: &'a str,
    /// How many bot answers in a row could not help, when the caller knows it (the server
    /// does); `None` to infer it from the bot's earlier lines (evaluation data).
    pub bot_failures: Option<u32>,
    /// The semantic layer's nearest examples for this message (see [`super::semantic`]);
    /// empty when no embeddings endpoint is configured.
    pub semantic: &'a [SemanticHit],
}

/// One piece of evidence behind a decision, shown to users so they see *why*.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// A stable name, e.g. `all_caps`, `negative_words`, `repeated_question`.
    pub name: &'static str,
    /// What in the text fired, e.g. `'useless' (en)`; may be empty.
    pub detail: String,
    /// Its contribution to the score it belongs to.
    pub weight: f32,
}
