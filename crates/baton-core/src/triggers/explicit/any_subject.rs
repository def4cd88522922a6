//! Anyone as the subject of a verb that reaches the writer, in a question: "could the courier
//! who covers my street ring me back?", "Est-ce que le livreur peut me rappeler ?", "could
//! Tom, the man from the warehouse, call me back?".
//!
//! `subject.rs` reads this shape with a helper noun of the lexicon; here the subject may be
//! any short noun phrase (a role the tables do not list, or a name with a description between
//! commas), because calling the writer back is something only a person does. So the phrase
//! must start like a noun phrase (an article, a possessive, a title or a capitalised name),
//! hold no word for the bot ("can the app email me") and nothing may come before the question
//! but politeness ("when can the driver call me?" asks when).

use super::matching::is_clause_punct;
use super::{Detector, Span, Table};

/// The most words of the subject, description between commas included: "Tom, the man from
/// the warehouse,".
const SUBJECT_WORDS: usize = 9;

/// What may open such a question before the modal (English) or before the subject (Romance:
/// "est-ce que").
#[rustfmt::skip]
const OPENERS: Table = &[
    "please", "pls", "so", "ok", "okay", "and", "hi", "hello", "est-ce", "est", "ce", "que",
    "alors", "bonjour", "svp", "hola", "ciao", "ola", "oi", "e", "y", "et", "allora", "entonces",
];

impl Detector<'_> {
    /// A modal, any noun phrase, and a verb reaching the writer (English order), or the noun
    /// phrase, a modal and the verb (Romance order, in a question).
    pub(super) fn any_subject(&self, (ss, se): Span) -> Option<Span> {
        let (lx, toks) = (self.lx, self.toks);
        // Cheap first check: a modal somewhere in the sentence.
        let modal = (ss..se).find(|&k| self.is(lx.modals, toks[k]))?;
        if !(ss..modal).all(|k| self.is(OPENERS, toks[k]) || is_clause_punct(toks[k])) {
            // Romance order: the subject before the modal.
            return self.subject_before_modal(ss, se, modal);
        }
        let start = modal + 1;
        let (verb, end) = self.reach_after_subject(start, se)?;
        (self.names_someone(start, verb) && self.nothing_sent(end, se)).then_some((modal, end))
    }

    /// Whether the verb reaching the writer ending at `end` has no object of its own ("email
    /// me *a copy*" sends a thing) and its question has no tag of its own ("…, c'est ça ?").
    fn nothing_sent(&self, end: usize, se: usize) -> bool {
        let (lx, toks) = (self.lx, self.toks);
        let object = end < se && (self.is(lx.articles, toks[end]) || self.is(lx.determiners, toks[end]));
        !object && !(end..se).any(|k| is_clause_punct(toks[k]))
    }

    /// "Est-ce que le livreur peut me rappeler ?": openers, the subject, the modal, the verb.
    fn subject_before_modal(&self, ss: usize, se: usize, modal: usize) -> Option<Span> {
        if lx_is_english(self.lx.code) || self.toks.get(se).is_none_or(|t| *t != "?") {
            return None;
        }
        let mut start = ss;
        while start < modal && self.is(OPENERS, self.toks[start]) {
            start += 1;
        }
        let end = modal + 1 + self.reach_me_len(modal + 1, se)?;
        let person = modal - start <= SUBJECT_WORDS && self.names_someone(start, modal);
        (person && self.nothing_sent(end, se)).then_some((start, end))
    }

    /// The verb reaching the writer after a subject starting at `start`: its start and end.
    fn reach_after_subject(&self, start: usize, se: usize) -> Option<(usize, usize)> {
        (start + 1..se.min(start + SUBJECT_WORDS + 1))
            .find_map(|k| self.reach_me_len(k, se).map(|len| (k, k + len)))
    }

    /// Whether `start..end` reads as a person: it opens like a noun phrase, holds no word for
    /// the bot and no verb of contact, and commas in it pair up around a description.
    fn names_someone(&self, start: usize, end: usize) -> bool {
        let (lx, toks) = (self.lx, self.toks);
        if start >= end {
            return false;
        }
        let first = toks[start];
        // "can my son call me?" asks about the writer's own people, not for a helper.
        if self.is(MY, first) {
            return false;
        }
        let opens = self.is(lx.articles, first)
            || self.is(lx.determiners, first)
            || self.is(lx.titles, first)
            || self.is_name(start);
        let commas = (start..end).filter(|&k| toks[k] == ",").count();
        opens
            && (commas == 0 || commas == 2)
            && !(start..end).any(|k| {
                let tok = toks[k];
                self.is(lx.bot_words, tok)
                    || self.is(lx.modals, tok)
                    || (tok != "," && is_clause_punct(tok))
                    || self.is(NOT_PEOPLE, tok)
            })
    }
}

fn lx_is_english(code: &str) -> bool {
    code == "en"
}

/// Things that send messages on their own: "can the app email me", "el sistema me llama".
#[rustfmt::skip]
const NOT_PEOPLE: Table = &[
    "app", "website", "site", "system", "portal", "platform", "page", "account", "phone",
    "number", "it", "this", "that", "sistema", "aplicacion", "aplicativo", "applicazione",
    "application", "appli", "systeme", "sito", "web", "pagina",
];

/// First-person possessives: "my son", "mi hijo", "mon mari".
#[rustfmt::skip]
const MY: Table = &[
    "my", "our", "mi", "mis", "nuestro", "nuestra", "mon", "ma", "mes", "notre", "nos", "meu",
    "minha", "meus", "minhas", "nosso", "nossa", "mio", "mia", "miei", "mie", "nostro", "nostra",
    "mijn", "onze", "mein", "meine", "unser", "unsere",
];
