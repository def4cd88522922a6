//! A weak noun made a helper by a relative clause saying the person works for the business:
//! "somebody who really works there", "qualcuno che ci lavora", "quelqu'un qui travaille chez
//! vous", "alguien que trabaje ahí". "Someone" alone is too vague to ask for; someone who
//! works there is staff.

use super::{Detector, Table};

/// Words opening the relative clause.
#[rustfmt::skip]
const RELATIVE: Table = &["who", "that", "che", "qui", "que", "der", "die", "wer"];
/// Words that may stand between the relative and the verb: "who *really* works", "che *ci*
/// lavora".
#[rustfmt::skip]
const BETWEEN: Table = &[
    "actually", "really", "still", "ci", "vi", "realmente", "davvero", "vraiment", "de", "verdad",
    "mesmo", "wirklich", "echt",
];
/// Verbs of working for somewhere, in the third person.
#[rustfmt::skip]
const WORKS: Table = &[
    "works", "work", "lavora", "lavorano", "travaille", "travaillent", "trabaja", "trabajan",
    "trabaje", "trabalha", "trabalham", "trabalhe", "arbeitet", "arbeiten", "werkt", "werken",
];

/// The most words between the relative and the verb.
const BETWEEN_REACH: usize = 2;

impl Detector<'_> {
    /// Whether a relative clause saying the person works there starts at `k`.
    pub(super) fn works_there(&self, k: usize, ce: usize) -> bool {
        let toks = self.toks;
        if k >= ce || !self.is(RELATIVE, toks[k]) {
            return false;
        }
        let mut v = k + 1;
        while v < ce && v <= k + BETWEEN_REACH && self.is(BETWEEN, toks[v]) {
            v += 1;
        }
        v < ce && self.is(WORKS, toks[v])
    }
}
