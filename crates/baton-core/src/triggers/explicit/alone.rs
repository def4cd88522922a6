//! A message that is only a helper: "Billing team, please.", "council officer", "PERSON.
//! NOW.", "l'accueil du club svp". Said on its own, a department, team, role or person is a
//! request for it, as "agent" alone is (see `standalone` in `links.rs` for strong nouns).
//!
//! A weak noun ("team", "officer", "person") is too common an answer to stand alone ("two
//! people", "my team"), so it needs something that makes it a request: a word naming *which*
//! helper ("billing team", "someone from the agency") or a word of politeness or urgency
//! ("reception please", "person now"). Every other word of the message must be punctuation, an
//! article or politeness; a modifier must be a plain content word, not "wrong", "same" or
//! "other" ("wrong department" complains, "same person" answers).

use super::matching::{contains, is_clause_punct};
use super::{Detector, LINKING_PREPOSITIONS, Link, MAX_MODIFIERS, Mention, Table};

/// Words before or after a helper noun that describe it without naming which helper it is:
/// "wrong department", "same person", "otra persona", "andere Abteilung".
#[rustfmt::skip]
const NOT_KINDS: Table = &[
    // en
    "wrong", "same", "other", "another", "new", "old", "previous", "last", "first", "next", "nice",
    "good", "bad", "great", "lovely", "friendly", "rude", "helpful", "unhelpful", "useless", "busy",
    "no", "not", "only", "which", "what", "whose", "every", "each", "all", "both", "many", "more",
    "most", "few", "two", "three", "single", "married", "young", "nearest", "local", "online",
    // es, pt, it
    "otra", "otro", "outra", "outro", "altra", "altro", "mismo", "misma", "mesmo", "mesma",
    "stesso", "stessa", "nuevo", "nueva", "novo", "nova", "nuovo", "nuova", "equivocado",
    "errado", "sbagliato", "mala", "malo", "cual", "qual", "quale", "otras", "otros",
    // fr
    "autre", "meme", "mauvais", "mauvaise", "nouveau", "nouvelle", "ancien", "ancienne", "quel",
    "quelle",
    // Kinds of legal person: "persona física", "personne morale" answer a form's question.
    "fisica", "fisico", "juridica", "juridico", "physique", "morale", "giuridica", "natural",
    "legal",
    // de, nl
    "andere", "anderen", "anderer", "falsche", "falschen", "gleiche", "gleichen", "selbe",
    "neue", "neuen", "alte", "welche", "welcher", "ander", "verkeerde", "zelfde", "nieuwe",
    "welke",
];

/// Languages whose nouns take their kind after them ("ufficio fatturazione").
const ROMANCE: &[&str] = &["es", "fr", "pt", "it"];

/// Desks and front offices: said alone, a place to be put through to, not an answer.
#[rustfmt::skip]
const DESKS: Table = &[
    "reception", "recepcion", "recepcao", "accueil", "standard", "segreteria", "secretaria",
    "secretariat", "rezeption", "empfang", "zentrale", "receptie", "balie", "sportello", "guichet",
    "switchboard", "frontdesk", "centralino", "centralita", "portaria",
];

/// Pronouns for a helper: a word before one is not its kind ("choose anyone", "ask somebody").
#[rustfmt::skip]
const PRONOUNS: Table = &[
    "someone", "somebody", "anyone", "anybody", "whoever", "one", "sb", "smb", "sm1", "some1",
    "any1", "alguien", "alguem", "quelqu'un", "qqn", "qualcuno", "jemand", "irgendwer",
    "irgendjemand", "iemand",
];

impl Detector<'_> {
    /// The whole message is the helper `m`, with at most words naming which one, articles and
    /// politeness.
    pub(super) fn only_a_helper(&self, m: &Mention) -> Option<Link> {
        if m.typo || m.name {
            return None;
        }
        let (toks, lx) = (self.toks, self.lx);
        // "billing team", "council officer": words naming the kind, right before the noun.
        let mut start = m.start;
        let pronoun = self.is(PRONOUNS, toks[m.start]);
        while !pronoun && start > 0 && m.start - start < MAX_MODIFIERS && self.names_a_kind(toks[start - 1]) {
            start -= 1;
        }
        let mut kinds = m.start - start;
        // "someone from the agency", "l'accueil du club": a preposition, articles and a kind
        // after the noun.
        let mut end = m.end;
        if end < toks.len() && (LINKING_PREPOSITIONS.contains(&toks[end]) || self.is(lx.articles, toks[end]))
        {
            let mut k = end + 1;
            while k < toks.len() && (self.is(lx.fillers, toks[k]) || self.is(lx.articles, toks[k])) {
                k += 1;
            }
            // The group is a kind ("the agency") or a helper phrase of its own ("du service client").
            let group = [lx.strong, lx.weak]
                .iter()
                .find_map(|table| self.match_at(table, k, toks.len(), false))
                .map(|(n, _)| n)
                .or_else(|| (k < toks.len() && self.names_a_kind(toks[k])).then_some(1));
            if let Some(n) = group
                && LINKING_PREPOSITIONS.contains(&toks[end])
            {
                end = k + n;
                kinds += 1;
            }
        }
        // "ufficio reclami, per favore": Romance nouns take their kind after them; only with
        // politeness, since "persona física" describes.
        let mut kind_after = false;
        if end == m.end && ROMANCE.contains(&lx.code) && end < toks.len() && self.names_a_kind(toks[end]) {
            end += 1;
            kinds += 1;
            kind_after = true;
        }
        let (mut polite, mut farewell) = (false, false);
        for (from, to) in [(0, start), (end, toks.len())] {
            let mut k = from;
            while k < to {
                let tok = toks[k];
                if let Some((n, _)) = self.match_at(lx.please, k, to, false) {
                    let thanks = self.is(lx.farewells, tok);
                    polite |= !thanks;
                    farewell |= thanks;
                    k += n;
                } else if self.is(lx.farewells, tok) {
                    farewell = true;
                    k += 1;
                } else if is_clause_punct(tok) || self.is(lx.articles, tok) || tok == "the" {
                    k += 1;
                } else {
                    return None;
                }
            }
        }
        // A farewell around a bare noun addresses it ("thanks, team!"), so it is no politeness;
        // with a kind named it is still a request ("billing team, thanks").
        // A bare noun alone is often an answer ("Support.", "Teacher."): only a desk someone is
        // put through to ("Reception."), or one said with urgency ("technician!!"), asks.
        let urgent = toks.contains(&"!");
        // A kind named after a Romance noun asks when insisted on: "technicien chauffage ??".
        let insists = urgent || toks.windows(2).any(|w| w == ["?", "?"]);
        let bare = kinds == 0 && !pronoun && !farewell && (urgent || self.is(DESKS, toks[m.start]));
        let asked = polite || bare || (kinds > 0 && (!kind_after || insists));
        (asked && kinds <= MAX_MODIFIERS).then(|| Link::new((start, end), None))
    }

    /// Whether `tok` may name which helper is meant: a plain word of at least three letters
    /// that is not part of the lexicon's grammar and not a word like "wrong" or "same".
    pub(super) fn names_a_kind(&self, tok: &str) -> bool {
        let lx = self.lx;
        tok.len() >= 3
            && tok.chars().all(char::is_alphabetic)
            && !contains(NOT_KINDS, tok)
            && ![
                lx.markers,
                lx.fillers,
                lx.determiners,
                lx.please,
                lx.farewells,
                lx.negators,
                lx.det_negators,
                lx.bot_words,
                lx.desire,
                lx.contact,
                lx.existence,
                lx.wh_words,
                lx.hypothetical,
                // "could", "may": a helping verb never names a helper ("could your team …").
                lx.modals,
            ]
            .iter()
            .any(|table| self.is(table, tok))
    }
}
