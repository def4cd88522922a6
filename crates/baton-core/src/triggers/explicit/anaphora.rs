//! A helper named in an earlier sentence and asked for with a pronoun: "Do you still employ
//! human staff? Put me onto one.", "Ci sono tecnici veri da voi? Potrei parlarci?"
//!
//! Only after a sentence that named a helper (not a name), and only a pronoun that ends its
//! clause ("talk to one", not "one question"); the request is then judged as if the pronoun
//! were the noun, so negations and conditions still cancel it.
//!
//! A personal pronoun ("she", "him", "lui") stands for a person, helper or name, named earlier
//! in the message or in one of the two lines before it, and is read like a name: asked for by
//! a verb of contact ("put me in touch with him"), a French clitic before one ("je peux lui
//! parler ?"), or a question it is the subject of ("could she get back to me?"), never by a
//! verb of wanting alone.

use super::super::context::Line;
use super::super::normalize::normalize;
use super::matching::contains;
use super::{Detector, Link, Mention, NOBODY, Span, Table, capitalised_names, likely_lexicons, words_of};

/// Words of one language.
struct AnaphoraWords {
    code: &'static str,
    /// Pronouns standing for a helper named before, or verbs with such a pronoun glued on.
    pronouns: Table,
}

#[rustfmt::skip]
const ANAPHORA: &[AnaphoraWords] = &[
    AnaphoraWords { code: "en", pronouns: &["one"] },
    AnaphoraWords { code: "es", pronouns: &["uno", "una"] },
    AnaphoraWords { code: "fr", pronouns: &["un", "une"] },
    AnaphoraWords {
        code: "it",
        pronouns: &["parlarci", "parlargli", "parlarle", "sentirla", "sentirlo", "sentirli", "uno", "una"],
    },
    AnaphoraWords { code: "pt", pronouns: &["um", "uma"] },
];

impl Detector<'_> {
    /// The pronoun at `i` standing for a helper named in an earlier sentence, as a mention.
    pub(super) fn pronoun_for_helper(&self, (_, ce): Span, i: usize) -> Option<Mention> {
        let words = ANAPHORA.iter().find(|w| w.code == self.lx.code)?;
        let (lx, toks) = (self.lx, self.toks);
        if !self.is(words.pronouns, toks[i]) {
            return None;
        }
        let ends = (i + 1..ce).all(|k| self.is(lx.please, toks[k]));
        ends.then_some(Mention { start: i, end: i + 1, strong: true, typo: false, name: false })
    }
}

/// Personal pronouns that may stand for a person named before (a helper or a name), read as
/// that name: "could she get back to me?", "put me in touch with him", "je peux lui parler ?".
/// Subject pronouns that also mean "you" or "they" in general ("Sie", "ils") are left out.
#[rustfmt::skip]
const PERSONAL: &[(&str, Table)] = &[
    ("en", &["she", "he", "her", "him"]),
    ("fr", &["lui", "elle"]),
    ("it", &["lei", "lui"]),
    ("es", &["ella"]),
    ("pt", &["ele", "ela"]),
    ("de", &["ihr", "ihm", "ihn", "er"]),
    ("nl", &["hem", "haar", "hij"]),
];

/// Whether a token of the message is a personal pronoun of any language.
pub(super) fn has_personal_pronoun(tokens: &[&str]) -> bool {
    tokens.iter().any(|tok| PERSONAL.iter().any(|(_, words)| words.contains(tok)))
}

impl Detector<'_> {
    /// The personal pronoun at `i`, as a name, when a person was named before it.
    pub(super) fn personal_pronoun(&self, i: usize) -> Option<Mention> {
        let (_, words) = PERSONAL.iter().find(|(code, _)| *code == self.lx.code)?;
        self.is(words, self.toks[i]).then_some(Mention {
            start: i,
            end: i + 1,
            strong: false,
            typo: false,
            name: true,
        })
    }

    /// "je peux lui parler ?", "vous pouvez lui demander de me rappeler ?": a French clitic
    /// before the verb of contact, or before "demander de" and a verb reaching the contact.
    pub(super) fn link_clitic(&self, m: &Mention, ce: usize) -> Option<Link> {
        let (lx, toks) = (self.lx, self.toks);
        if lx.code != "fr" || m.end != m.start + 1 || toks[m.start] != "lui" {
            return None;
        }
        if let Some((n, _)) = self.match_at(lx.contact, m.end, ce, false) {
            return Some(Link::new((m.start, m.end + n), Some(m.end)));
        }
        let asks = toks.get(m.end) == Some(&"demander") && matches!(toks.get(m.end + 1), Some(&"de" | &"d'"));
        let n = asks.then(|| self.reach_me_len(m.end + 2, ce)).flatten()?;
        Some(Link::new((m.start, m.end + 2 + n), Some(m.end)))
    }
}

/// How many of the last earlier lines a personal pronoun may reach back to.
const PRONOUN_REACH: usize = 2;

/// Whether one of the last lines before a message names a person: a helper or a name.
pub(super) fn named_in(earlier: &[Line]) -> bool {
    earlier.iter().rev().take(PRONOUN_REACH).any(|line| {
        let norm = normalize(line.text);
        let tokens = words_of(&norm);
        let names = capitalised_names(line.text);
        let (lexicons, in_language) = likely_lexicons(&tokens);
        lexicons.into_iter().any(|lexicon| {
            let detector =
                Detector { lx: lexicon, toks: &tokens, in_language, names: &names, named_before: false };
            let all = (0, tokens.len());
            (0..tokens.len())
                .any(|i| detector.mention_at(all, i).is_some_and(|m| !contains(NOBODY, tokens[m.start])))
        })
    })
}
