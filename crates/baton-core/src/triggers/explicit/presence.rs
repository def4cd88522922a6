//! Asking whether a named person or a role is there, in the Romance languages, where the
//! subject comes first or the verb of being there comes first: "Est-ce que Sandrine est là ?",
//! "¿Está Lucía?", "Il signor Rossi è in sede?", "A Dona Célia tá aí?". English, German and
//! Dutch put the verb first ("is Tom there?", "ist Frau Huber da?") and are read as modal
//! questions in `links.rs`.
//!
//! Only in a question (the clause ends with "?", or with a comma before a short description
//! of the person that ends it: "¿Está Iván, el técnico?"), and not after a question word
//! ("quand est-ce que Sandrine est là ?" asks when, not for her).
//!
//! After the phrase only time words, politeness and the business itself as the place may
//! follow ("il tecnico lavora ancora *in questa azienda*?", "… *in questa filiale che* mi
//! sa aiutare"); an area ("in questa zona") asks where, not for someone. Existence
//! questions in `links.rs` accept the same place.

use super::matching::is_clause_punct;
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
    /// A place that is the business itself, followed by at most one noun: "in questa
    /// *azienda*", "chez vous", "dans cette *agence*".
    here: Table,
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
        here: &["chez vous", "dans cette", "dans ce", "dans votre", "ici"],
    },
    PresenceWords {
        code: "es",
        after: &[
            "esta", "esta disponible", "esta por ahi", "anda por ahi", "esta ahi", "esta conectado",
            "esta conectada", "esta en linea", "sigue por ahi", "se encuentra",
        ],
        before: &["esta", "anda por ahi", "se encuentra", "esta por ahi"],
        now: &["hoy", "ahora", "ahorita", "por favor", "porfa", "ya"],
        here: &["en esta", "en este", "en su", "en vuestra", "en vuestro", "con ustedes", "ahi", "aqui"],
    },
    PresenceWords {
        code: "it",
        after: &[
            "e raggiungibile", "e in sede", "e disponibile", "e li", "e online", "e in ufficio",
            "c' e", "e presente", "ci sta", "e in negozio", "lavora", "lavora ancora", "ci lavora",
            "ci lavora ancora", "c' e ancora", "esiste", "esiste ancora",
        ],
        before: &["c' e", "e in sede"],
        now: &["oggi", "ora", "adesso", "stamattina", "per favore", "ancora"],
        here: &["da voi", "in questa", "in questo", "in quest'", "qui", "nel vostro", "nella vostra"],
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
        here: &["nesta", "neste", "nessa", "nesse", "ai", "aqui", "com voces"],
    },
];

/// Areas rather than the business: a helper "in this area" is asked about, not for.
#[rustfmt::skip]
const WHERE_NOUNS: Table = &[
    "zona", "zone", "area", "citta", "ville", "ciudad", "cidade", "regione", "region", "regiao",
    "paese", "pays", "pais", "quartiere", "quartier", "barrio", "bairro", "provincia", "province",
];
/// Words opening a relative clause about the helper.
#[rustfmt::skip]
const RELATIVES: Table = &[
    "che", "qui", "que", "who", "that", "con cui", "a cui", "avec qui", "a qui", "con quien",
    "a quien", "al que", "con el que", "com quem", "a quem",
];

impl Detector<'_> {
    /// "Est-ce que Sandrine est là ?", "¿Está Lucía?": the person asked after, in a question.
    pub(super) fn link_presence(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let words = PRESENCE.iter().find(|w| w.code == self.lx.code)?;
        let (lx, toks) = (self.lx, self.toks);
        let asks = toks.get(ce).is_some_and(|t| *t == "?") || self.appositive_question(ce);
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

    /// "¿Está Iván, el técnico?": the clause ends at a comma before a description of the
    /// person (an article and a few words) that ends the question.
    fn appositive_question(&self, ce: usize) -> bool {
        let toks = self.toks;
        if toks.get(ce).is_none_or(|t| *t != ",")
            || toks.get(ce + 1).is_none_or(|t| !self.is(self.lx.articles, t))
        {
            return false;
        }
        (ce + 2..toks.len().min(ce + 2 + PRESENCE_REACH + 1))
            .find(|&k| is_clause_punct(toks[k]))
            .is_some_and(|k| toks[k] == "?")
    }

    /// Whether the rest of the clause from `from` is only time words, politeness and the
    /// business itself as the place: "esiste un operatore *in questa azienda*?" asks for one
    /// there, "ci sono operatori in questa zona che …" asks about something else.
    pub(super) fn only_here_and_now(&self, from: usize, ce: usize) -> bool {
        PRESENCE.iter().find(|w| w.code == self.lx.code).is_some_and(|words| self.only_now(words, from, ce))
    }

    /// Whether only time words, politeness and the business itself as a place ("in questa
    /// azienda", "chez vous") stand between `from` and the end of the clause.
    fn only_now(&self, words: &PresenceWords, from: usize, ce: usize) -> bool {
        let mut k = from;
        while k < ce {
            if let Some((n, _)) = self.match_at(words.now, k, ce, false) {
                k += n;
            } else if let Some((n, _)) = self.match_at(words.here, k, ce, false) {
                // The place's own noun: "in questa *banca*", but not an area ("in questa
                // zona" asks where).
                k += n;
                if k < ce && self.is(WHERE_NOUNS, self.toks[k]) {
                    return false;
                }
                if k < ce && self.match_at(words.now, k, ce, false).is_none() {
                    k += 1;
                }
                // Its own complement: "en esta plataforma *de cursos*".
                if k + 1 < ce && LINKING_PREPOSITIONS.contains(&self.toks[k]) {
                    k += 2;
                }
                // What the person there should do: "… in questa filiale *che mi sa aiutare*",
                // "… *con quien* pueda hablar".
                if k < ce && self.match_at(RELATIVES, k, ce, false).is_some() {
                    return true;
                }
            } else {
                return false;
            }
        }
        true
    }
}
