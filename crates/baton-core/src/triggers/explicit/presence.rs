//! Asking whether a named person or a role is there, in the Romance languages, where the
//! subject comes first or the verb of being there comes first: "Est-ce que Sandrine est là ?",
//! "¿Está Lucía?", "Il signor Rossi è in sede?", "A Dona Célia tá aí?". English, German and
//! Dutch put the verb first ("is Tom there?", "ist Frau Huber da?") and are read as modal
//! questions in `links.rs`.
//!
//! Only in a question (the clause ends with "?"), and not after a question word ("quand est-ce
//! que Sandrine est là ?" asks when, not for her).

use super::{Detector, LINKING_PREPOSITIONS, Link, Mention, Table};

/// The most words between the person and "is there": "Le directeur *de l'hôtel* est-il
/// joignable ?".
const PRESENCE_REACH: usize = 4;

/// Phrases of one language.
struct PresenceWords {
    code: &'static str,
    /// After the person: "est là", "è raggiungibile", "tá aí".
    after: Table,
    /// Before the person: "¿está …?", "c'è …?".
    before: Table,
    /// What may end the question after the phrase: "aujourd'hui", "ahora".
    now: Table,
}

#[rustfmt::skip]
const PRESENCE: &[PresenceWords] = &[
    PresenceWords {
        code: "fr",
        after: &[
            "est la", "est dispo", "est disponible", "est joignable", "est il joignable",
            "est elle joignable", "est il disponible", "est elle disponible", "est il la",
            "est elle la", "est en ligne", "est present", "est presente", "est il dispo",
            "est elle dispo",
        ],
        before: &[],
        now: &["aujourd'hui", "aujourd", "hui", "maintenant", "ce", "matin", "apres", "midi", "svp", "stp"],
    },
    PresenceWords {
        code: "es",
        after: &[
            "esta", "esta disponible", "esta por ahi", "anda por ahi", "esta ahi", "esta conectado",
            "esta conectada", "esta en linea", "sigue por ahi", "se encuentra",
        ],
        before: &["esta", "anda por ahi", "se encuentra", "esta por ahi"],
        now: &["hoy", "ahora", "ahorita", "por favor", "porfa", "ya"],
    },
    PresenceWords {
        code: "it",
        after: &[
            "e raggiungibile", "e in sede", "e disponibile", "e li", "e online", "e in ufficio",
            "c' e", "e presente", "ci sta", "e in negozio",
        ],
        before: &["c' e", "e in sede"],
        now: &["oggi", "ora", "adesso", "stamattina", "per favore"],
    },
    PresenceWords {
        code: "pt",
        after: &[
            "ta ai", "esta ai", "esta disponivel", "ta disponivel", "esta por ai", "ta por ai",
            "esta", "ta", "ta online", "esta online", "ainda ta ai", "ainda esta ai", "ta la",
            "esta la",
        ],
        before: &["esta", "ta"],
        now: &["hoje", "agora", "ainda", "por favor", "pfv"],
    },
];

impl Detector<'_> {
    /// "Est-ce que Sandrine est là ?", "¿Está Lucía?": the person asked after, in a question.
    pub(super) fn link_presence(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let words = PRESENCE.iter().find(|w| w.code == self.lx.code)?;
        let (lx, toks) = (self.lx, self.toks);
        let asks = toks.get(ce).is_some_and(|t| *t == "?");
        if !asks || (cs..m.start).any(|k| self.is(lx.wh_words, toks[k])) {
            return None;
        }
        // The person first: "Sandrine est là ?", "il tecnico Marco è raggiungibile?".
        let mut k = m.end;
        while k < ce && k <= m.end + PRESENCE_REACH {
            if let Some((n, _)) = self.match_at(words.after, k, ce, false)
                && self.only_now(words, k + n, ce)
            {
                return Some(Link::new((m.start, k + n), None));
            }
            k += 1;
        }
        // "Is there" first: "¿Está Lucía?", "c'è la dottoressa Galli dell'ufficio?".
        let mut j = m.start;
        while j > cs && (self.is(lx.articles, toks[j - 1]) || self.is(lx.titles, toks[j - 1])) {
            j -= 1;
        }
        let start =
            (cs..j).find(|&s| self.match_at(words.before, s, j, false).is_some_and(|(n, _)| s + n == j))?;
        let mut end = m.end;
        if end < ce && LINKING_PREPOSITIONS.contains(&toks[end]) {
            end = ce.min(end + PRESENCE_REACH);
        }
        (start == cs && self.only_now(words, end, ce)).then(|| Link::new((start, m.end), None))
    }

    /// Whether only time words and politeness stand between `from` and the end of the clause.
    fn only_now(&self, words: &PresenceWords, from: usize, ce: usize) -> bool {
        let mut k = from;
        while k < ce {
            let Some((n, _)) = self.match_at(words.now, k, ce, false) else { return false };
            k += n;
        }
        true
    }
}
