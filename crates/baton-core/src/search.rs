//! Searching conversation history: what a search box's text means, the filters beside it, the
//! cursor that pages through the answers, and the excerpt shown under each answer.
//!
//! The words are matched by each database's own full-text index (the store turns them into an
//! FTS5 or `tsquery` expression); every word must occur in one message, or in the contact's
//! name and email, and the last letters of a word may be missing ("refu" finds "refund"). A
//! text that is an id finds that conversation, or the conversation of that handoff.

use std::fmt;

use uuid::Uuid;

use crate::ids::{BotId, ContactId, ConversationKind, Id, TeamId, UserId};
use crate::time::Timestamp;

/// The most words a search uses; more only narrow what is already narrow.
pub const MAX_WORDS: usize = 8;
/// The longest search text accepted.
pub const MAX_TEXT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("the search text is longer than {MAX_TEXT} characters")]
    TooLong,
    #[error("`{0}` is not a cursor from a previous page")]
    BadCursor(String),
    #[error("`{0}` is not a conversation state: use bot, open, closed, or a handoff state")]
    BadState(String),
}

/// What a search box's text asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchText {
    /// Lower-cased words, each with at least one letter or digit, at most [`MAX_WORDS`].
    pub words: Vec<String>,
    /// Set when the whole text is one id (of a conversation or a handoff).
    pub id: Option<Uuid>,
}

impl SearchText {
    pub fn parse(text: &str) -> Result<Self, SearchError> {
        let text = text.trim();
        if text.chars().count() > MAX_TEXT {
            return Err(SearchError::TooLong);
        }
        if let Ok(id) = Uuid::parse_str(text) {
            return Ok(Self { words: Vec::new(), id: Some(id) });
        }
        let mut words: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            // Quotes and the query languages' operators carry no meaning here.
            let word: String = word
                .chars()
                .filter(|c| {
                    !matches!(
                        c,
                        '"' | '\'' | '\\' | '*' | ':' | '&' | '|' | '!' | '(' | ')' | '<' | '>' | '^'
                    )
                })
                .collect::<String>()
                .to_lowercase();
            if word.chars().any(char::is_alphanumeric) && !words.contains(&word) {
                words.push(word);
            }
            if words.len() == MAX_WORDS {
                break;
            }
        }
        Ok(Self { words, id: None })
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.id.is_none()
    }
}

/// Which conversations a history search keeps, by their handoffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Never handed to a person.
    Bot,
    /// With a handoff open now (in any state but closed).
    Open,
    /// Handed over before and closed since.
    Closed,
    /// With its open handoff in this state (`gathering`, `queued`, `offered`, `live`,
    /// `offline`, `ticket`).
    Handoff(crate::handoff::HandoffState),
}

impl StateFilter {
    pub fn parse(text: &str) -> Result<Self, SearchError> {
        use crate::handoff::HandoffState;
        match text {
            "bot" => Ok(Self::Bot),
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            other => HandoffState::ALL
                .into_iter()
                .find(|state| state.as_str() == other && state.is_open())
                .map(Self::Handoff)
                .ok_or_else(|| SearchError::BadState(other.to_owned())),
        }
    }
}

/// Where the next page starts: after the record (a conversation, or a contact) last active at
/// `at` with id `id`, most recently active first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<K = ConversationKind> {
    pub at: Timestamp,
    pub id: Id<K>,
}

impl<K> Cursor<K> {
    pub fn parse(text: &str) -> Result<Self, SearchError> {
        let bad = || SearchError::BadCursor(text.chars().take(80).collect());
        let (at, id) = text.split_once('_').ok_or_else(bad)?;
        let at: i64 = at.parse().map_err(|_| bad())?;
        let id: Uuid = id.parse().map_err(|_| bad())?;
        Ok(Self { at: Timestamp::from_millis(at), id: Id::from_uuid(id) })
    }
}

impl<K> fmt::Display for Cursor<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.at.as_millis(), self.id.as_uuid())
    }
}

/// A history search: the text and every filter, all optional. Filters on a handoff's details
/// (team, person, trigger, priority, rating) keep conversations with at least one handoff that
/// has them all.
#[derive(Debug, Clone, Default)]
pub struct ConversationSearch {
    pub text: SearchText,
    pub state: Option<StateFilter>,
    pub bot: Option<BotId>,
    /// The conversations of one contact.
    pub contact: Option<ContactId>,
    pub team: Option<TeamId>,
    /// The person who held a handoff.
    pub user: Option<UserId>,
    pub trigger: Option<crate::handoff::Trigger>,
    pub priority: Option<crate::handoff::Priority>,
    pub rating: Option<u8>,
    /// Active at or after `from` and started before `to`.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub after: Option<Cursor>,
    pub limit: u32,
}

impl ConversationSearch {
    /// Whether any filter needs a handoff's details.
    pub fn filters_handoffs(&self) -> bool {
        self.team.is_some()
            || self.user.is_some()
            || self.trigger.is_some()
            || self.priority.is_some()
            || self.rating.is_some()
    }
}

/// About `width` characters of `text` around the first of `words` it contains (the start when
/// none), on word boundaries, with "…" where it was cut.
pub fn excerpt(text: &str, words: &[String], width: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return text;
    }
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let found = words
        .iter()
        .filter_map(|word| {
            let needle: Vec<char> = word.chars().collect();
            (!needle.is_empty())
                .then(|| lower.windows(needle.len()).position(|window| window == needle.as_slice()))
                .flatten()
        })
        .min()
        .unwrap_or(0);
    let mut start = found.saturating_sub(width / 3);
    let mut end = (start + width).min(chars.len());
    start = end.saturating_sub(width).min(start);
    // Move inwards to whole words.
    if start > 0
        && let Some(space) = chars[start..end].iter().position(|c| *c == ' ')
    {
        start += space + 1;
    }
    if end < chars.len()
        && let Some(space) = chars[start..end].iter().rposition(|c| *c == ' ')
    {
        end = start + space;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_deduplicated_and_stripped_of_operators() {
        let text = SearchText::parse(r#"  Refund "REFUND" ana@example.com NOT* (x) -- ''  "#).unwrap();
        assert_eq!(text.words, ["refund", "ana@example.com", "not", "x"]);
        assert_eq!(text.id, None);
        assert!(SearchText::parse("  -- ' ").unwrap().is_empty());
    }

    #[test]
    fn an_id_is_looked_up_not_searched_for() {
        let id = "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
        let text = SearchText::parse(&format!(" {id} ")).unwrap();
        assert_eq!(text.id, Some(Uuid::parse_str(id).unwrap()));
        assert!(text.words.is_empty());
    }

    #[test]
    fn long_texts_and_many_words_are_bounded() {
        assert_eq!(SearchText::parse(&"a".repeat(MAX_TEXT + 1)), Err(SearchError::TooLong));
        let many = (0..20).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(SearchText::parse(&many).unwrap().words.len(), MAX_WORDS);
    }

    #[test]
    fn cursors_round_trip_and_reject_anything_else() {
        let cursor: Cursor = Cursor {
            at: Timestamp::from_millis(1_765_000_000_123),
            id: "0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b".parse().unwrap(),
        };
        assert_eq!(Cursor::parse(&cursor.to_string()), Ok(cursor));
        for bad in ["", "12", "x_0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "12_nope"] {
            assert!(
                matches!(Cursor::<ConversationKind>::parse(bad), Err(SearchError::BadCursor(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn states_are_bot_open_closed_or_an_open_handoff_state() {
        use crate::handoff::HandoffState;
        assert_eq!(StateFilter::parse("closed"), Ok(StateFilter::Closed));
        assert_eq!(StateFilter::parse("queued"), Ok(StateFilter::Handoff(HandoffState::Queued)));
        assert!(StateFilter::parse("nope").is_err());
    }

    #[test]
    fn excerpts_centre_on_the_first_word_found() {
        let text =
            format!("{} my refund never arrived {}", "words before ".repeat(20), "and after ".repeat(20));
        let cut = excerpt(&text, &["refund".into()], 60);
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("my refund never arrived"), "{cut}");
        assert!(cut.chars().count() <= 62, "{cut}");
        assert_eq!(excerpt("short  text", &["x".into()], 60), "short text");
        assert!(excerpt(&text, &["absent".into()], 30).starts_with("words before"));
    }
}
