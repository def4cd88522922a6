//! A helper named in an earlier sentence and asked for with a pronoun: "Do you still employ
//! human staff? Put me onto one.", "Ci sono tecnici veri da voi? Potrei parlarci?"
//!
//! Only after a sentence that named a helper (not a name), and only a pronoun that ends its
//! clause ("talk to one", not "one question"); the request is then judged as if the pronoun
//! were the noun, so negations and conditions still cancel it.

use super::{Detector, Mention, Span, Table};

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
