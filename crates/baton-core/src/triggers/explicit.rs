//! Detects an explicit request to talk to a human ("can I speak to an agent?", "quiero hablar
//! con una persona", "转人工") in a contact's message.
//!
//! # How it decides
//!
//! The message is [normalised](fn@super::normalize) and split into tokens, then into
//! *sentences* (at `. ! ? ;`) and *clauses* (also at `,` and at "but"-like words). Each
//! language has a `Lexicon` of small word tables (in `lexicon*.rs`). The languages tried are those
//! with the most of their frequent function words in the message (all of them when there is
//! none, as in "operator"), so that an English "thanks, agent" is not read as a French
//! "agent" standing alone. In each clause the detector looks for a small grammar:
//!
//! 1. **A human noun.** *Strong* nouns ("agent", "operator", "customer service", "real
//!    person") mean a human helper on their own; *weak* ones ("someone", "person", "support")
//!    only when something asks for them. An adjective like "real" makes a weak noun strong;
//!    "delivery agent", "agent address", "contact person" and "my boss" are not helpers.
//! 2. **Something that asks for it**, one of:
//!    - a *contact verb* before it, through filler words: "talk **to a** human", "connect me
//!      with support staff", "hablar con alguien";
//!    - a *desire verb* before a strong noun, or before a weak noun that ends the clause: "I
//!      want a live agent", "I need support";
//!    - a contact verb after it: "someone I can talk to", and in German and Dutch, where the
//!      infinitive comes last, directly: "mit einem Mitarbeiter sprechen";
//!    - the noun as the subject of a modal question: "can a human help me?";
//!    - nothing else in the sentence but politeness: "agent please", "un conseiller svp".
//! 3. **Nothing that cancels it** near the request (within a few words, so that a long
//!    message costs linear time):
//!    - a *negation* whose scope reaches the request. Sentence negators ("don't", "nicht")
//!      scope over a few neutral words ("don't really think I need"), determiner negators
//!      ("no", "kein") only over articles and adjectives ("no human"); and the word reached must
//!      be part of the request, so "I don't want to wait, I want an agent" and "I don't know
//!      how to reach a person" still fire. A negated ability ("I can't reach an agent", "no
//!      puedo hablar con nadie") is a complaint and fires on purpose;
//!    - a *retraction* just after the noun: "an agent? no thanks", "… never mind";
//!    - a *hypothetical, past or reported* marker in the clause: "if", "yesterday", "did",
//!      "thanks for", "the bot said" (but "if possible" is still a request);
//!    - a *report* right before the verb: "was talking", "tried to contact", "he wants to";
//!      past forms of contact verbs ("talked", "spoke", "habló") are simply not in the tables;
//!    - an *identity question*: "am I talking to a human?", "bot or human?".
//!
//! # Typos
//!
//! A noun (and in English a verb) matches with one edit — insertion, deletion, substitution or
//! swap of neighbours — when the typed word has at least 5 letters: "somneone", "humna",
//! "agnet", "persn", "speek", "talkiing". Real words one edit from an entry are listed as
//! `not_typos` ("stuff" is not "staff", "contract" is not "contact"), and an exact entry always
//! beats a typo ("agents" is not a misspelt "agent"). Shorter verbs ("talk", "chat") are
//! forgiven only right before "to"/"with" and a human noun ("taok to an agent"), and one
//! misspelt filler between verb and noun is forgiven ("chatting wirh an agent"). A noun standing
//! alone must be spelled exactly unless the message has function words of the language ("agnet
//! pls"), so a word of one language is not read as a typo of another's ("humans" is one edit
//! from Spanish "humano").
//!
//! Chinese has no spaces and is handled by its own detector (`chinese.rs`).
//!
//! Everything is a scan over the tokens against `const` tables: one allocation for the
//! normalised text, one for the token list and one for the phrase.

mod blockers;
mod matching;

use super::chinese;
use super::lexicon::{LEXICONS, Lexicon};
use super::normalize::{is_cjk, normalize, tokenize};
use matching::{contains, is_clause_punct, is_sentence_break, one_edit_apart, segments};

/// What fired, so a support agent can see why the chat was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplicitRequest {
    /// ISO 639-1 code of the lexicon that matched: en, es, fr, de, pt, it, nl, zh.
    pub language: &'static str,
    /// The matched span of the normalised text (short), for display.
    pub phrase: String,
}

/// Whether `text` explicitly asks for a human, and which words did.
pub fn detect_explicit_request(text: &str) -> Option<ExplicitRequest> {
    let norm = normalize(text);
    if norm.chars().any(is_cjk)
        && let Some(phrase) = chinese::detect(&norm)
    {
        return Some(ExplicitRequest { language: "zh", phrase });
    }
    let tokens = tokenize(&norm);
    // Only the languages the message is most likely written in are tried, so that "thanks,
    // agent" is judged as English and not as a French "agent" standing alone. With no
    // function word at all ("Kundendienst", "operator") every language is tried, in order.
    let mut scores = [0usize; LEXICONS.len()];
    for (score, lexicon) in scores.iter_mut().zip(LEXICONS) {
        *score = tokens.iter().filter(|t| contains(lexicon.markers, t)).count();
    }
    let best = scores.iter().copied().max().unwrap_or(0);
    LEXICONS.iter().zip(scores).filter(|(_, score)| *score == best).find_map(|(lexicon, _)| {
        let (start, end) = (Detector { lx: lexicon, toks: &tokens, in_language: best > 0 }).find()?;
        Some(ExplicitRequest { language: lexicon.code, phrase: tokens[start..end].join(" ") })
    })
}

/// Whether `text` holds anything that cancels a request for a human in this detector's
/// grammar, wherever it stands: a negation ("don't", "kein", "不用"), a retraction ("no
/// thanks"), a condition, past time or report ("if", "yesterday", "he wants to"), or a question
/// about who is answering ("am I talking to a bot?").
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
    let tokens = tokenize(&norm);
    let mut scores = [0usize; LEXICONS.len()];
    for (score, lexicon) in scores.iter_mut().zip(LEXICONS) {
        *score = tokens.iter().filter(|t| contains(lexicon.markers, t)).count();
    }
    let best = scores.iter().copied().max().unwrap_or(0);
    LEXICONS
        .iter()
        .zip(scores)
        .filter(|(_, score)| *score == best)
        .any(|(lexicon, _)| (Detector { lx: lexicon, toks: &tokens, in_language: best > 0 }).any_blocker())
}

/// Token range `start..end`.
type Span = (usize, usize);
type Table = &'static [&'static str];

/// The most fillers (articles, prepositions, swear words) between a verb and its noun.
const MAX_GAP: usize = 5;
/// Words ending a strong phrase that names a group next ("someone from …").
const LINKING_PREPOSITIONS: &[&str] = &[
    "from", "of", "at", "in", "de", "del", "du", "da", "do", "di", "della", "dello", "vom", "aus", "von",
    "van", "uit",
];

/// A human noun at `start..end`.
struct Mention {
    start: usize,
    end: usize,
    strong: bool,
    /// Matched only through the typo rule.
    typo: bool,
}

/// What asks for the noun: the phrase to report, and where the verb starts, if any.
struct Link {
    span: Span,
    verb: Option<usize>,
}

struct Detector<'a> {
    lx: &'static Lexicon,
    toks: &'a [&'a str],
    /// Whether the message has function words of this language (rather than none at all).
    in_language: bool,
}

impl Detector<'_> {
    fn find(&self) -> Option<Span> {
        let toks = self.toks;
        let clause_break = |t: &str| is_clause_punct(t) || self.is(self.lx.clause_breaks, t);
        for sentence in segments(toks, 0, toks.len(), is_sentence_break) {
            for clause in segments(toks, sentence.0, sentence.1, clause_break) {
                // Whether the clause is hypothetical, worked out once, on its first noun.
                let mut hypothetical = None;
                let mut i = clause.0;
                while i < clause.1 {
                    let Some(mention) = self.mention_at(clause, i) else {
                        i += 1;
                        continue;
                    };
                    if let Some(span) = self.judge(sentence, clause, &mention, &mut hypothetical) {
                        return Some(span);
                    }
                    i = mention.end;
                }
            }
        }
        None
    }

    /// A human noun starting at token `i` (or at an adjective just before it).
    fn mention_at(&self, (cs, ce): Span, i: usize) -> Option<Mention> {
        let lx = self.lx;
        let (len, strong, typo) = if let Some((n, typo)) = self.match_at(lx.strong, i, ce, true) {
            (n, true, typo)
        } else if let Some((n, typo)) = self.match_at(lx.weak, i, ce, true) {
            (n, false, typo)
        } else if self.glued(lx.strong, i) {
            (1, true, false)
        } else if self.glued(lx.weak, i) {
            (1, false, false)
        } else {
            return None;
        };
        let mut mention = Mention { start: i, end: i + len, strong, typo };
        if i > cs && self.is(lx.upgraders, self.toks[i - 1]) {
            mention.start -= 1;
            mention.strong = true;
        }
        // Romance adjectives follow the noun: "persona real", "personne réelle".
        if !mention.strong && mention.end < ce && self.is(lx.upgraders, self.toks[mention.end]) {
            mention.end += 1;
            mention.strong = true;
        }
        while mention.strong && mention.end < ce && self.is(lx.tails, self.toks[mention.end]) {
            mention.end += 1;
        }
        // "someone from your staff", "jemand vom Kundendienst": the group named after the
        // preposition belongs to the noun.
        if mention.strong && LINKING_PREPOSITIONS.contains(&self.toks[mention.end - 1]) {
            while mention.end < ce && self.is(lx.fillers, self.toks[mention.end]) {
                mention.end += 1;
            }
            mention.end = (mention.end + 1).min(ce);
        }
        let before_blocks = mention.start > cs && self.is(lx.not_before, self.toks[mention.start - 1]);
        let after_blocks = mention.end < ce && self.is(lx.not_after, self.toks[mention.end]);
        (!before_blocks && !after_blocks && !self.false_friend(cs, &mention)).then_some(mention)
    }

    /// "tosomebody": a glued preposition or article before an exactly spelled noun.
    fn glued(&self, table: Table, i: usize) -> bool {
        let tok = self.toks[i];
        self.lx
            .glue_prefixes
            .iter()
            .any(|p| tok.strip_prefix(p).is_some_and(|rest| rest.len() >= 5 && contains(table, rest)))
    }

    fn false_friend(&self, cs: usize, m: &Mention) -> bool {
        (m.start.saturating_sub(2).max(cs)..=m.start).any(|s| {
            self.match_at(self.lx.false_friends, s, self.toks.len(), false)
                .is_some_and(|(n, _)| s + n > m.start)
        })
    }

    fn judge(
        &self,
        sentence: Span,
        (cs, ce): Span,
        m: &Mention,
        hypothetical: &mut Option<bool>,
    ) -> Option<Span> {
        let mut link = self
            .link_back(cs, ce, m)
            .or_else(|| self.link_forward(m, ce))
            .or_else(|| self.link_modal(cs, ce, m))
            .or_else(|| self.standalone(sentence, (cs, ce), m))?;
        // Show the final infinitive too: "möchte mit einem Mitarbeiter sprechen".
        if self.lx.verb_final
            && let Some(after) = self.link_forward(m, ce)
        {
            link.span.1 = link.span.1.max(after.span.1);
        }
        let blocked = self.negated(cs, m, &link)
            || self.retracted(m.end)
            || link.verb.is_some_and(|v| self.ending_at(self.lx.reported, cs, v, false).is_some())
            || self.identity_question(cs, ce, m.start)
            || *hypothetical.get_or_insert_with(|| self.hypothetical(cs, ce));
        (!blocked).then_some(link.span)
    }

    /// A contact or desire verb before the noun, through fillers.
    fn link_back(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        let mut j = m.start;
        let mut typo_filler = false;
        for _ in 0..=MAX_GAP {
            if j <= cs {
                break;
            }
            let verb =
                self.ending_at(lx.contact, cs, j, lx.fuzzy_verbs).or_else(|| self.short_typo_verb(j, m));
            if let Some(v) = verb {
                return Some(Link { span: (v, m.end), verb: Some(v) });
            }
            if let Some(v) = self.ending_at(lx.desire, cs, j, false) {
                // A weak noun is asked for only when nothing follows it: "I need support" but
                // not "I need support changing my address".
                let ok = m.strong || (m.end..ce).all(|k| self.is(lx.please, self.toks[k]));
                return ok.then_some(Link { span: (v, m.end), verb: Some(v) });
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
    fn short_typo_verb(&self, j: usize, m: &Mention) -> Option<usize> {
        let lx = self.lx;
        let tok = self.toks[j - 1];
        let next_is_prep = j < m.start && self.is(lx.short_typo_preps, self.toks[j]);
        let close = lx.short_typo_verbs.iter().any(|v| one_edit_apart(tok.as_bytes(), v.as_bytes()));
        (next_is_prep && (3..=4).contains(&tok.len()) && close && !self.is(lx.not_typos, tok))
            .then_some(j - 1)
    }

    /// A contact verb after the noun: "someone I can talk to", "mit jemandem sprechen".
    fn link_forward(&self, m: &Mention, ce: usize) -> Option<Link> {
        let lx = self.lx;
        let mut open = lx.verb_final;
        for k in (m.end..ce).take(4) {
            if open && let Some((n, _)) = self.match_at(lx.contact, k, ce, lx.fuzzy_verbs) {
                return Some(Link { span: (m.start, k + n), verb: None });
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
    fn link_modal(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        if !m.strong {
            return None;
        }
        let mut j = m.start;
        while j > cs && m.start - j < 2 && self.is(lx.articles, self.toks[j - 1]) {
            j -= 1;
        }
        if j == cs || !self.is(lx.modals, self.toks[j - 1]) {
            return None;
        }
        let mut k = m.end;
        while k < ce && k < m.end + 2 {
            if self.is(lx.subject_verbs, self.toks[k]) {
                return Some(Link { span: (j - 1, k + 1), verb: None });
            }
            if !self.is(lx.please, self.toks[k]) && !self.is(lx.relative, self.toks[k]) {
                break;
            }
            k += 1;
        }
        None
    }

    /// "agent please", "a real person!", "un conseiller svp": the sentence is the noun plus
    /// politeness; other clauses may add a word or two ("hello, human please").
    fn standalone(&self, (ss, se): Span, (cs, ce): Span, m: &Mention) -> Option<Link> {
        let lx = self.lx;
        // A lone misspelt noun could be another language's word ("humans" is one edit from
        // Spanish "humano"): forgiven only when the message is known to be in this language.
        if m.typo && !self.in_language {
            return None;
        }
        let mut polite = false;
        let mut other_words = 0;
        let mut k = ss;
        while k < se {
            let tok = self.toks[k];
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
            if (cs..ce).contains(&k) {
                return None;
            }
            other_words += 1;
            if other_words > 2 {
                return None;
            }
            k += 1;
        }
        (m.strong || polite).then_some(Link { span: (m.start, m.end), verb: None })
    }
}

#[cfg(test)]
mod tests;
