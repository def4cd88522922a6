//! What asks for a human noun: a verb before it, a verb after it, a modal question, an
//! existence question, or nothing but politeness around it.

use super::matching::is_clause_punct;
use super::matching::one_edit_apart;
use super::{Detector, LINKING_PREPOSITIONS, Link, MAX_GAP, MAX_MODIFIERS, Mention, Span};

impl Detector<'_> {
    /// A contact or desire verb before the noun, through fillers, and through up to
    /// [`MAX_MODIFIERS`] words naming what kind of helper right before it ("speak to the
    /// *billing* manager"); those need a verb of contact, or a strong noun.
    pub(super) fn link_back(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        if m.name {
            // The walk to the verb starts before the name's titles: "sentire la *signora*
            // Neri", "talk to *Mr* Patel".
            let mut lead = m.start;
            while lead > cs && m.start - lead < 2 && self.is(self.lx.titles, self.toks[lead - 1]) {
                lead -= 1;
            }
            return self.link_back_from(cs, ce, m, lead);
        }
        if let Some(link) = self.link_back_from(cs, ce, m, m.start) {
            return Some(link);
        }
        let mut j = m.start;
        for _ in 0..MAX_MODIFIERS {
            if j <= cs || !self.is_modifier(self.toks[j - 1]) {
                return None;
            }
            j -= 1;
            if let Some(link) = self.link_back_from(cs, ce, m, j) {
                return Some(link);
            }
        }
        None
    }

    /// Whether what follows a noun says what it should do: "someone *to look* at this",
    /// "a person *handle* this".
    pub(super) fn helping_verb_after(&self, end: usize, ce: usize) -> bool {
        let lx = self.lx;
        let mut k = end;
        // "someone to check", "a person who can check".
        while k < ce
            && k < end + 3
            && (self.is(lx.infinitive_marks, self.toks[k]) || self.is(lx.relative, self.toks[k]))
        {
            k += 1;
        }
        k < ce && self.match_at(lx.subject_verbs, k, ce, false).is_some()
    }

    /// Whether the contact verb at `v` is used as a noun: a determiner right before it, or
    /// before one word before it, and no verb of wanting before that.
    pub(super) fn nominal(&self, cs: usize, v: usize) -> bool {
        let lx = self.lx;
        (1..=2).any(|back| {
            v >= cs + back
                && self.is(lx.determiners, self.toks[v - back])
                && (back == 1 || self.is_modifier(self.toks[v - 1]))
                && self.ending_at(lx.desire, cs, v - back, false).is_none()
        })
    }

    /// A content word that may name a kind of helper: none of the grammar's words.
    pub(super) fn is_modifier(&self, tok: &str) -> bool {
        let lx = self.lx;
        tok.chars().all(|c| c.is_alphanumeric() || c == '\'')
            && ![
                lx.fillers,
                lx.negators,
                lx.det_negators,
                lx.contact,
                lx.desire,
                lx.clause_breaks,
                lx.markers,
                lx.hypothetical,
                lx.bot_words,
                lx.please,
            ]
            .iter()
            .any(|table| self.is(table, tok))
    }

    /// [`Self::link_back`] with the fillers starting before token `from`.
    pub(super) fn link_back_from(&self, cs: usize, ce: usize, m: &Mention, from: usize) -> Option<Link> {
        let lx = self.lx;
        let mut j = from;
        let mut typo_filler = false;
        for _ in 0..=MAX_GAP {
            if j <= cs {
                break;
            }
            let verb =
                self.ending_at(lx.contact, cs, j, lx.fuzzy_verbs).or_else(|| self.short_typo_verb(j, m));
            // "make a bank transfer to someone": after a determiner the verb is a noun, unless
            // something asks for it ("have a quick chat with someone"); the walk goes on
            // through it when it is a filler too ("transfer this chat to an employee").
            if let Some(v) = verb.filter(|v| !self.nominal(cs, *v)) {
                // "talk to Maria", not "speak English" or "connect my Apple Watch": a name
                // comes right after a preposition or an article, after a title, or right after
                // a verb that takes a person as its object ("mi passa Giulia?").
                let titled = self.is(lx.titles, self.toks[m.start - 1]);
                let after_article = j < m.start && self.is(lx.articles, self.toks[m.start - 1]);
                let person_object = j == m.start && self.takes_a_person(cs, j);
                if m.name && !(titled || after_article || person_object) {
                    return None;
                }
                return Some(Link::new((v, m.end), Some(v)));
            }
            if let Some(v) = self.ending_at(lx.desire, cs, j, false) {
                // A weak noun is asked for only when nothing follows it, or what it should do:
                // "I need support", "I need someone to check this", but not "I need support
                // changing my address".
                let ok = m.strong
                    || (m.end..ce)
                        .all(|k| self.is(lx.please, self.toks[k]) || self.is(lx.farewells, self.toks[k]))
                    || self.helping_verb_after(m.end, ce)
                    || self.match_at(lx.presence, m.end, ce, false).is_some();
                return ok.then_some(Link { by_desire: true, ..Link::new((v, m.end), Some(v)) });
            }
            // One misspelt filler is forgiven ("chatting wirh an agent").
            let tok = self.toks[j - 1];
            if !self.is(lx.fillers, tok) {
                let typo = !typo_filler
                    && tok.len() >= 4
                    && lx
                        .fillers
                        .iter()
                        .any(|f| f.len() >= 4 && one_edit_apart(tok.as_bytes(), f.as_bytes()));
                if !typo {
                    break;
                }
                typo_filler = true;
            }
            j -= 1;
        }
        None
    }

    /// "taok to an agent", "cat with a person": a 3–4 letter word one edit from a short
    /// contact verb, right before a preposition.
    pub(super) fn short_typo_verb(&self, j: usize, m: &Mention) -> Option<usize> {
        let lx = self.lx;
        let tok = self.toks[j - 1];
        let next_is_prep = j < m.start && self.is(lx.short_typo_preps, self.toks[j]);
        let close = lx.short_typo_verbs.iter().any(|v| one_edit_apart(tok.as_bytes(), v.as_bytes()));
        (next_is_prep && (3..=4).contains(&tok.len()) && close && !self.is(lx.not_typos, tok))
            .then_some(j - 1)
    }

    /// A contact verb after the noun: "someone I can talk to", "mit jemandem sprechen".
    pub(super) fn link_forward(&self, m: &Mention, ce: usize) -> Option<Link> {
        let lx = self.lx;
        let mut open = lx.verb_final;
        for k in (m.end..ce).take(4) {
            if open && let Some((n, _)) = self.match_at(lx.contact, k, ce, lx.fuzzy_verbs) {
                return Some(Link::new((m.start, k + n), None));
            }
            let tok = self.toks[k];
            if !self.is(lx.relative, tok) {
                break;
            }
            open = lx.verb_final || lx.relative_gate.is_empty() || self.is(lx.relative_gate, tok);
        }
        None
    }

    /// "can a human help me": a modal, the strong noun as subject, a helping verb.
    pub(super) fn link_modal(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        if !m.strong && !m.name {
            return None;
        }
        let mut j = m.start;
        // "can the *branch* manager call me": one word naming the helper.
        if j > cs + 1 && self.is_modifier(self.toks[j - 1]) && self.is(lx.determiners, self.toks[j - 2]) {
            j -= 1;
        }
        while j > cs
            && m.start - j < 3
            && (self.is(lx.articles, self.toks[j - 1]) || self.is(lx.determiners, self.toks[j - 1]))
        {
            j -= 1;
        }
        if j == cs || !self.is(lx.modals, self.toks[j - 1]) {
            return None;
        }
        // "when can an agent call me?" asks about it.
        if (cs..j - 1).any(|k| self.is(lx.wh_words, self.toks[k])) {
            return None;
        }
        // A name may carry who they are: "is Priya from the returns desk available?"; a noun
        // where they are: "can the manager at the Leeds branch call me?".
        let reach = if m.name { 6 } else { 4 };
        let mut k = m.end;
        while k < ce && k < m.end + reach {
            if self.match_at(lx.subject_verbs, k, ce, false).is_some() {
                return Some(Link::new((j - 1, k + 1), None));
            }
            let tok = self.toks[k];
            if LINKING_PREPOSITIONS.contains(&tok) && k + 1 < ce {
                k += 2;
                continue;
            }
            if !m.name && !self.is(lx.please, tok) && !self.is(lx.relative, tok) {
                break;
            }
            k += 1;
        }
        None
    }

    /// "someone from support can call me?", "qqn du support peut me répondre ?": a strong noun
    /// as the subject of a modal and a helping verb, in a question.
    pub(super) fn link_subject_question(&self, sentence: Span, ce: usize, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        if !m.strong || self.toks.get(sentence.1).is_none_or(|t| *t != "?") {
            return None;
        }
        let mut k = m.end;
        // A short place or group after the noun: "someone *from support* can …".
        if k < ce && LINKING_PREPOSITIONS.contains(&self.toks[k]) {
            k += 2;
        }
        if k >= ce || !self.is(lx.modals, self.toks[k]) {
            return None;
        }
        let verb =
            (k + 1..ce.min(k + 4)).find(|&v| self.match_at(lx.subject_verbs, v, ce, false).is_some())?;
        Some(Link::new((m.start, verb + 1), None))
    }

    /// "are there any humans working there?", "is anybody there?": an existence question
    /// before the noun, through fillers and words like "even"; the noun must end the clause
    /// or have a word of presence after it ("there", "available", "working").
    pub(super) fn link_existence(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        let mut j = m.start;
        for _ in 0..=MAX_GAP {
            if j <= cs {
                break;
            }
            if let Some(v) = self.ending_at(lx.existence, cs, j, false) {
                // "what hours is your support team online?" asks about them.
                if (cs..v).any(|k| self.is(lx.wh_words, self.toks[k])) {
                    return None;
                }
                // "are there agents in Germany?" asks where, not for one.
                let present = (m.end..ce).all(|k| self.is(lx.please, self.toks[k]))
                    || (j..=m.start).any(|k| self.is(lx.presence, self.toks[k]))
                    || (m.end..ce.min(m.end + 4)).any(|k| self.match_at(lx.presence, k, ce, false).is_some())
                    || self.only_here_and_now(m.end, ce);
                let link = Link { by_desire: true, existence: true, ..Link::new((v, m.end), Some(v)) };
                return present.then_some(link);
            }
            let tok = self.toks[j - 1];
            if !self.is(lx.fillers, tok) && !self.is(lx.upgraders, tok) && !self.is(lx.neg_pass, tok) {
                break;
            }
            j -= 1;
        }
        None
    }

    /// "agent please", "a real person!", "un conseiller svp": the sentence is the noun plus
    /// politeness; other clauses may add a word or two ("hello, human please"). A clause of
    /// its own that asks politely stands whatever the rest says ("this bot is useless, human
    /// please"), and may name the kind of helper in one more word ("returns desk pls").
    pub(super) fn standalone(&self, (ss, se): Span, (cs, ce): Span, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        // A lone misspelt noun could be another language's word ("humans" is one edit from
        // Spanish "humano"): forgiven only when the message is known to be in this language.
        if m.typo && !self.in_language {
            return None;
        }
        // "please, human agent, I have a train in an hour": a strong noun asked for politely
        // at the very start of a sentence, whatever the sentence goes on to say.
        let opens = m.start == ss
            || (m.start > ss
                && (ss..m.start).all(|k| {
                    let tok = self.toks[k];
                    (self.is(lx.please, tok) && !self.is(lx.farewells, tok)) || is_clause_punct(tok)
                }));
        let polite_next = self.toks.get(m.end).is_some_and(|t| self.is(lx.please, t));
        if m.strong && opens && (m.start > ss || polite_next) {
            return Some(Link::new((m.start, m.end), None));
        }
        let (mut polite, mut clause_polite) = (false, false);
        let (mut other_words, mut clause_words) = (0, 0);
        let mut k = ss;
        while k < se {
            let tok = self.toks[k];
            let in_clause = (cs..ce).contains(&k);
            if k == m.start {
                k = m.end;
                continue;
            }
            if is_clause_punct(tok) {
                k += 1;
                continue;
            }
            if k < m.start && self.is(lx.farewells, tok) {
                return None; // "thanks, agent": addressing, not asking
            }
            if let Some((n, _)) = self.match_at(lx.please, k, se, true) {
                polite = true;
                clause_polite |= in_clause;
                k += n;
                continue;
            }
            // The noun said again: "agent! agent!", "human, operator".
            if let Some((n, _)) = self.match_at(lx.strong, k, se, false) {
                k += n;
                continue;
            }
            if self.is(lx.articles, tok) || self.is(lx.upgraders, tok) {
                k += 1;
                continue;
            }
            if in_clause {
                clause_words += 1;
            } else {
                other_words += 1;
            }
            k += 1;
        }
        let alone = clause_words == 0 && other_words <= 2;
        // "returns desk pls", "this bot is useless, human please": a polite clause of at most
        // the noun and one word naming it.
        let polite_clause = clause_polite && clause_words <= 1 && (clause_words == 0 || ce - cs <= 4);
        ((alone && (m.strong || polite)) || polite_clause).then_some(Link::new((m.start, m.end), None))
    }
}

/// Verbs whose object is the person put on the line, with the clitic that makes them ask for
/// the writer: a name right after them is asked for ("me passer Julien ?", "posso sentire
/// Giulia?"). Without the clitic "passer" also spends time ("passer Noël"), and "sentire"
/// without a modal also hears ("sentire Spotify"), "joindre" attaches ("joindre Excel").
#[rustfmt::skip]
const PERSON_OBJECT: &[(&str, &[&str])] = &[
    ("fr", &[
        "me passer", "me passez", "me passes", "me passeriez", "je joindre", "voudrais joindre",
        "souhaiterais joindre", "contacter",
    ]),
    ("it", &[
        "posso sentire", "potrei sentire", "vorrei sentire", "mi passa", "mi passi", "mi passate", "passami", "passarmi", "mi ripassa",
        "mi ripassi", "ripassami", "contattare",
    ]),
    ("es", &["me pasa", "me pasas", "me pase", "me pasan", "pasame", "pasarme", "contactar"]),
    ("pt", &["me passa", "me passe", "me passar", "contatar", "contactar"]),
];

impl Detector<'_> {
    /// Whether the verb ending at `j` takes the person asked for as its object.
    fn takes_a_person(&self, cs: usize, j: usize) -> bool {
        PERSON_OBJECT
            .iter()
            .find(|(code, _)| *code == self.lx.code)
            .is_some_and(|(_, verbs)| self.ending_at(verbs, cs, j, false).is_some())
    }
}
