//! What the semantic layer asks of the grammar: whether a message holds anything that cancels
//! a request, whether it is in a language with word tables, and whether it names a helper or
//! the bot at all. A request found by meaning is trusted only where these allow it.

use super::super::chinese;
use super::super::lexicon::{LEXICONS, Lexicon};
use super::super::normalize::{is_cjk, normalize};
use super::matching::contains;
use super::{Detector, likely_lexicons, words_of};

/// Whether `text` holds anything that cancels a request for a human in this detector's
/// grammar, wherever it stands: a negation ("don't", "kein", "不用"), a retraction ("no
/// thanks"), a condition, past time or report ("if", "yesterday", "he wants to"), a question
/// about who is answering ("am I talking to a bot?") or whether a person is needed ("do I
/// have to call someone?").
///
/// The semantic layer needs it: embeddings put "I don't need a human" right next to "I need a
/// human", so a request found by meaning is trusted only in a message without any of these.
/// It is deliberately broader than the detector's own scoping, since a request it misses is
/// only one the grammar did not catch either.
pub fn has_request_blocker(text: &str) -> bool {
    let norm = normalize(text);
    if norm.chars().any(is_cjk) && chinese::has_blocker(&norm) {
        return true;
    }
    let tokens = words_of(&norm);
    let (lexicons, in_language) = likely_lexicons(&tokens);
    lexicons.into_iter().any(|lexicon| {
        (Detector { lx: lexicon, toks: &tokens, in_language, names: &[], named_before: false }).any_blocker()
    })
}

/// Whether `text` is written in a language the grammar has tables for: Chinese characters,
/// or at least two of a lexicon's frequent function words (one in a message of up to four
/// words). The semantic layer is trusted at a lower score where the grammar cannot help.
pub fn in_lexicon_language(text: &str) -> bool {
    let norm = normalize(text);
    if norm.chars().any(is_cjk) && !norm.chars().any(is_kana) {
        return true;
    }
    let tokens = words_of(&norm);
    let words: Vec<&str> = tokens.iter().copied().filter(|t| t.chars().any(char::is_alphanumeric)).collect();
    let best = LEXICONS
        .iter()
        .map(|lexicon| words.iter().filter(|t| contains(lexicon.markers, t)).count())
        .max()
        .unwrap_or(0);
    // A message may have hardly a function word ("help needed asap", "refund my order quick"): it is in
    // a lexicon's language also when half its words are in that lexicon's tables, or a third
    // with one function word.
    let known = |lexicon: &Lexicon, tok: &str| {
        [
            lexicon.markers,
            lexicon.please,
            lexicon.fillers,
            lexicon.desire,
            lexicon.contact,
            lexicon.subject_verbs,
            lexicon.titles,
        ]
        .iter()
        .any(|table| contains(table, tok))
    };
    let most_known = LEXICONS.iter().map(|lexicon| words.iter().filter(|t| known(lexicon, t)).count()).max();
    let known_words = most_known.unwrap_or(0);
    best >= 2
        || (best == 1 && (words.len() <= 4 || 3 * known_words >= words.len()))
        || (!words.is_empty() && 2 * known_words >= words.len())
}

/// Japanese kana: text with them is Japanese even where it uses Chinese characters.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}')
}

/// Whether a request for a human found by meaning may stand for `text`: nothing in it cancels
/// a request ([`has_request_blocker`]), and in a language with word tables it names a helper
/// or the bot. Embeddings put "I need help with my order" near "I need a person"; where the
/// grammar can read the message, a request with no one in it is not trusted to meaning alone.
pub fn semantic_request_allowed(text: &str) -> bool {
    !has_request_blocker(text) && (!in_lexicon_language(text) || mentions_helper_or_bot(text))
}

/// Whether `text` names a human helper or the bot at all ("my agent said", "is this a
/// bot?"), request or not: such a message is one the judge may be asked about when no request
/// was found (see [`super::judge`]).
pub fn mentions_helper_or_bot(text: &str) -> bool {
    let norm = normalize(text);
    if norm.chars().any(is_cjk) && chinese::mentions_helper_or_bot(&norm) {
        return true;
    }
    let tokens = words_of(&norm);
    let (lexicons, in_language) = likely_lexicons(&tokens);
    // A name alone is no helper ("bills from Mr Smith").
    lexicons.into_iter().any(|lexicon| {
        let detector = Detector { lx: lexicon, toks: &tokens, in_language, names: &[], named_before: false };
        (0..tokens.len()).any(|i| {
            detector.mention_at((0, tokens.len()), i).is_some_and(|m| !m.name)
                || contains(lexicon.bot_words, tokens[i])
        })
    })
}
