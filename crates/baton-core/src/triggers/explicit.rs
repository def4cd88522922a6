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
//!    only when something asks for them. An adjective like "real" makes a weak noun strong,
//!    and so does a relative clause saying the person works there ("somebody who really
//!    works there", `insider.rs`);
//!    "delivery agent", "agent address", "contact person" and "my boss" are not helpers.
//!    A word for nobody ("nessuno", "nadie") counts only in a question whether anyone is
//!    there that opens its clause: "c'è nessuno?", "¿no hay nadie que me atienda?".
//! 2. **Something that asks for it**, one of:
//!    - a *contact verb* before it, through filler words: "talk **to a** human", "connect me
//!      with support staff", "hablar con alguien"; a name only after a preposition, an
//!      article, a title ("talk to Mr Patel") or a verb whose object is a person ("mi passa
//!      Giulia?", `links.rs`);
//!    - a *desire verb* before a strong noun, or before a weak noun that ends the clause: "I
//!      want a live agent", "I need support";
//!    - a contact verb after it: "someone I can talk to", and in German and Dutch, where the
//!      infinitive comes last, directly: "mit einem Mitarbeiter sprechen";
//!    - the noun as the subject of a modal question: "can a human help me?";
//!    - nothing else in the sentence but politeness: "agent please", "un conseiller svp";
//!    - a verb that reaches the contact, with the noun as its subject after a modal, where a
//!      weak noun counts too: "could your head of sales give me a call", "can the technician
//!      call me back", "il tecnico può richiamarmi?" (`subject.rs`); in a question, any
//!      noun phrase counts, since only a person calls back: "could the courier who covers
//!      my street ring me back?", "could Tom, the man from the warehouse, call me?" (`any_subject.rs`);
//!    - a verb of contact or of going through something, then its topic, then "with" and the
//!      noun: "discuss my invoice with someone from billing" (`subject.rs`);
//!    - in Romance languages, wanting a case taken over with the noun as the subject after
//!      its verb, or before it: "prefiero que se encargue una persona", "Qu'un technicien
//!      reprenne mon dossier", "est-il possible qu'un technicien regarde ma facture"
//!      (`subject.rs`);
//!    - nothing else in the whole message but the noun, words naming which one and
//!      politeness: "Billing team, please.", "Reception.", "technician!!" (`alone.rs`);
//!    - in Romance languages, a question whether a named person or a role is there: "Est-ce
//!      que Sandrine est là ?", "¿Está Lucía?", "il signor Rossi è in sede?", "ci lavora
//!      ancora un tecnico in questo negozio?" (`presence.rs`).
//!
//!    After a sentence that named a helper, a pronoun at the end of a clause stands for it:
//!    "any human staff left? put me onto one" (`anaphora.rs`).
//!
//!    Without any noun, a verb of putting through that ends its clause asks too: "put me
//!    through", "verbinden Sie mich", "escalate my claim" — but not "put me through the
//!    checkout" (`transfer.rs`). And with any noun, a verb of causing addressed to the business
//!    and a verb reaching the writer: "can you get the installer to phone me", "faites en
//!    sorte qu'un technicien me rappelle" (`causative.rs`).
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
//!    - an *instruction from someone else*: a verb of telling, then only pronouns and "to",
//!      then the verb: "they asked me to contact support", "me disseram para falar com um
//!      atendente" (`instructed.rs`);
//!      past forms of contact verbs ("talked", "spoke", "habló") are simply not in the tables;
//!    - an *identity question*: "am I talking to a human?", "bot or human?", "who is
//!      answering?";
//!    - a question *whether a person is needed*: "will I have to call someone?", or one that
//!      offers doing it oneself after "or": "do I call an agent or can I fix it online?"
//!      (`blockers.rs`).
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
//! from Spanish "humano"). A letter drawn out at the end of a word is read once
//! ("operatoreeee", "personaaa", "nooo").
//!
//! Chinese has no spaces and is handled by its own detector (`chinese.rs`).
//!
//! # What came before
//!
//! The detector reads the message, and the two lines before it only to know whether a person
//! was named there whom a pronoun stands for ([`detect_explicit_request_after`]: "could she
//! get back to me?"; `anaphora.rs`). [`accepted_offer`] reads the bot's last line: a short
//! "yes please" after "Shall I connect you with an advisor?" is a request too (`offer.rs`);
//! the engine asks it when the detector found nothing.
//!
//! Everything is a scan over the tokens against `const` tables: one allocation for the
//! normalised text, one for the token list and one for the phrase.

mod alone;
mod anaphora;
mod any_subject;
mod blockers;
mod causative;
mod insider;
mod instructed;
mod links;
mod matching;
mod offer;
mod passed_on;
mod presence;
mod quotations;
mod refusal;
mod semantic_gate;
mod subject;
mod transfer;
mod who;

pub use offer::{AcceptedOffer, accepted_offer};
pub use semantic_gate::{
    has_request_blocker, in_lexicon_language, mentions_helper_or_bot, semantic_request_allowed,
};

use super::chinese;
use super::context::Line;
use super::lexicon::{LEXICONS, Lexicon};
use super::normalize::{is_cjk, normalize, tokenize};
use matching::{contains, is_clause_punct, is_sentence_break, segments};

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
    detect(text, &[])
}

/// [`detect_explicit_request`] for a message in a conversation: a personal pronoun may stand
/// for a person named in the lines just before it ("Marta handled my booking." … "could she
/// get back to me?").
pub fn detect_explicit_request_after(earlier: &[Line], text: &str) -> Option<ExplicitRequest> {
    detect(text, earlier)
}

fn detect(text: &str, earlier: &[Line]) -> Option<ExplicitRequest> {
    let unquoted = quotations::without_quotations(text);
    let text = unquoted.as_ref();
    let norm = normalize(text);
    if norm.chars().any(is_cjk)
        && let Some(phrase) = chinese::detect(&norm)
    {
        return Some(ExplicitRequest { language: "zh", phrase });
    }
    let tokens = words_of(&norm);
    let names = capitalised_names(text);
    let (lexicons, in_language) = likely_lexicons(&tokens);
    // Read only when a pronoun could use it: most messages have none.
    let named_before =
        !earlier.is_empty() && anaphora::has_personal_pronoun(&tokens) && anaphora::named_in(earlier);
    lexicons.into_iter().find_map(|lexicon| {
        let detector = Detector { lx: lexicon, toks: &tokens, in_language, names: &names, named_before };
        let (start, end) = detector.find()?;
        Some(ExplicitRequest { language: lexicon.code, phrase: tokens[start..end].join(" ") })
    })
}

/// The tokens of normalised text, with a letter drawn out at the end of a word written once
/// ("operatoreeee" → "operatore", "nooo" → "no"): shouting stretches the word, it does not
/// change it. A slice of the same token, so no allocation. The full stop of an abbreviation
/// ("M. Girard", "Dr. Shah", "il resp. vendite", "pratica n. 12") ends no sentence, so it is
/// dropped.
fn words_of(norm: &str) -> Vec<&str> {
    let mut tokens = tokenize(norm);
    for token in &mut tokens {
        *token = undrawn(token);
    }
    let mut after_abbreviation = false;
    tokens.retain(|token| {
        let stop = *token == "." && after_abbreviation;
        after_abbreviation = contains(ABBREVIATIONS, token);
        !stop
    });
    tokens
}

/// Titles and words shortened with a full stop, in every language: "M.", "Mrs.", "Dott.",
/// "resp.", "n.". Not "no", which ends a sentence on its own ("No. I want an agent").
#[rustfmt::skip]
const ABBREVIATIONS: Table = &[
    "m", "mr", "mrs", "ms", "mme", "mlle", "dr", "dra", "sr", "sra", "srta", "prof", "profa",
    "dott", "dottssa", "sig", "sigra", "ing", "avv", "geom", "resp", "hr", "fr", "n", "nr", "num",
    "st",
];

/// `word` without the repeats of its last letter, when it is drawn out: three or more times
/// in a word of at least four letters ("personaaa", but not "www").
fn undrawn(word: &str) -> &str {
    let bytes = word.as_bytes();
    let Some(&last) = bytes.last() else { return word };
    let run = bytes.iter().rev().take_while(|b| **b == last).count();
    if run >= 3 && bytes.len() >= 4 && last.is_ascii_alphabetic() {
        &word[..bytes.len() - run + 1]
    } else {
        word
    }
}

/// The lexicons of the languages the message is most likely written in (those with the most
/// of their function words in it), and whether it has any such word. Only those are tried, so
/// that "thanks, agent" is judged as English and not as a French "agent" standing alone; with
/// no function word at all ("Kundendienst", "operator") every language is tried, in order.
fn likely_lexicons(tokens: &[&str]) -> (Vec<&'static Lexicon>, bool) {
    let scores: Vec<usize> = LEXICONS
        .iter()
        .map(|lexicon| tokens.iter().filter(|t| contains(lexicon.markers, t)).count())
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let lexicons =
        LEXICONS.iter().zip(&scores).filter(|(_, score)| **score == best).map(|(l, _)| *l).collect();
    (lexicons, best > 0)
}

/// The words written with a capital inside a sentence ("can I talk to Maria?"), normalised:
/// names of people a contact may ask for. A word at the start of a sentence, a one-letter
/// word ("I") and a word in capitals ("HELP") are not names.
fn capitalised_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut sentence_start = true;
    for word in text.split_whitespace() {
        let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
        let mut chars = trimmed.chars();
        // A capital inside the word is a brand ("PayPal", "WhatsApp"), not a person.
        let capitalised = matches!((chars.next(), chars.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
            && !chars.any(char::is_uppercase);
        if capitalised && !sentence_start {
            names.push(normalize(trimmed));
        }
        if !trimmed.is_empty() {
            sentence_start = false;
        }
        if word.ends_with(['.', '!', '?', ':', ';', '\u{3002}']) {
            sentence_start = true;
        }
    }
    names
}

/// Words for nobody, asked after in an existence question: "c'è nessuno?", "¿no hay nadie?",
/// "is there nobody?".
const NOBODY: Table = &["nobody", "noone", "nessuno", "nadie", "ninguem", "niemand"];
/// Words that may open such a question: "ma c'è nessuno?", "hola, ¿no hay nadie?".
#[rustfmt::skip]
const OPENERS: Table = &[
    "ma", "e", "pero", "y", "mas", "but", "and", "so", "allora", "entonces", "pronto", "hello",
    "hola", "ola", "oi", "ciao", "hallo", "cmq", "comunque", "quindi", "anyway", "alors", "donc",
];

/// Token range `start..end`.
type Span = (usize, usize);
type Table = &'static [&'static str];

/// The most fillers (articles, prepositions, swear words) between a verb and its noun.
const MAX_GAP: usize = 5;
/// The most words naming what kind of helper between the fillers and the noun: "talk to the
/// *store* manager", "connect me to the *complaints* department".
const MAX_MODIFIERS: usize = 2;
/// How far from a word for the bot its refusal may stand ("no more of this bot").
const REFUSAL_WINDOW: usize = 4;
/// Words ending a strong phrase that names a group next ("someone from …").
const LINKING_PREPOSITIONS: &[&str] = &[
    "from", "of", "at", "in", "de", "del", "du", "da", "do", "di", "della", "dello", "vom", "aus", "von",
    "van", "uit", "dell'", "dell", "degli", "dei", "delle", "d'",
];

/// A human noun at `start..end`.
struct Mention {
    start: usize,
    end: usize,
    strong: bool,
    /// Matched only through the typo rule.
    typo: bool,
    /// A person's name ("Maria"), asked for only through a contact verb or "is … available".
    name: bool,
}

/// What asks for the noun: the phrase to report, and where the verb starts, if any.
struct Link {
    span: Span,
    verb: Option<usize>,
    /// Linked by a verb of wanting or an existence question rather than a verb of contact.
    by_desire: bool,
    /// Linked by a question whether people exist or are there ("are there any humans …").
    existence: bool,
}

impl Link {
    fn new(span: Span, verb: Option<usize>) -> Self {
        Self { span, verb, by_desire: false, existence: false }
    }
}

struct Detector<'a> {
    lx: &'static Lexicon,
    toks: &'a [&'a str],
    /// Whether the message has function words of this language (rather than none at all).
    in_language: bool,
    /// Words written with a capital inside a sentence (see [`capitalised_names`]).
    names: &'a [String],
    /// Whether the conversation's last lines named a person, whom "she" or "him" may stand for
    /// (see `anaphora.rs`).
    named_before: bool,
}

impl Detector<'_> {
    fn find(&self) -> Option<Span> {
        let toks = self.toks;
        let clause_break = |t: &str| is_clause_punct(t) || self.is(self.lx.clause_breaks, t);
        // Whether an earlier sentence named a helper, so that a pronoun may stand for it; and
        // whether a person was named before the token at hand, here or in the lines before.
        let mut helper_named = false;
        let mut person_named = self.named_before;
        for sentence in segments(toks, 0, toks.len(), is_sentence_break) {
            let helper_before = helper_named;
            for clause in segments(toks, sentence.0, sentence.1, clause_break) {
                // Whether the clause is hypothetical, worked out once, on its first noun.
                let mut hypothetical = None;
                let mut i = clause.0;
                while i < clause.1 {
                    let mention = self
                        .mention_at(clause, i)
                        .inspect(|m| {
                            helper_named |= !m.name;
                            person_named = true;
                        })
                        .or_else(|| helper_before.then(|| self.pronoun_for_helper(clause, i)).flatten())
                        .or_else(|| person_named.then(|| self.personal_pronoun(i)).flatten());
                    let Some(mention) = mention else {
                        i += 1;
                        continue;
                    };
                    if let Some(span) = self.judge(sentence, clause, &mention, &mut hypothetical) {
                        return Some(span);
                    }
                    i = mention.end;
                }
                if let Some(span) = self
                    .refusal(clause)
                    .or_else(|| self.bare_transfer(clause))
                    .or_else(|| self.causative(clause))
                {
                    return Some(span);
                }
            }
            if let Some(span) = self.any_subject(sentence) {
                return Some(span);
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
        } else if self.is_name(i) {
            return Some(Mention { start: i, end: i + 1, strong: false, typo: false, name: true });
        } else if contains(NOBODY, self.toks[i]) {
            // Read only in an existence question (see `judge`): "c'è nessuno?".
            return Some(Mention { start: i, end: i + 1, strong: false, typo: false, name: false });
        } else {
            return None;
        };
        // "a table for 4 people", "für 2 Personen": people counted, not a helper asked for.
        // One is an article in chat ("c'è 1 tecnico?").
        let counted = |tok: &str| tok.bytes().all(|b| b.is_ascii_digit()) && tok != "1";
        if !strong && i > cs && counted(self.toks[i - 1]) {
            return None;
        }
        let mut mention = Mention { start: i, end: i + len, strong, typo, name: false };
        if i > cs && self.is(lx.upgraders, self.toks[i - 1]) {
            mention.start -= 1;
            mention.strong = true;
        }
        // Romance adjectives follow the noun: "persona real", "personne réelle".
        if !mention.strong && mention.end < ce && self.is(lx.upgraders, self.toks[mention.end]) {
            mention.end += 1;
            mention.strong = true;
        }
        // "someone who actually works there", "qualcuno che ci lavora": an insider is a helper.
        if !mention.strong && self.works_there(mention.end, ce) {
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
            // The group is one word ("staff") or a helper phrase of its own ("service client").
            let group = [lx.strong, lx.weak]
                .iter()
                .find_map(|table| self.match_at(table, mention.end, ce, false))
                .map_or(1, |(n, _)| n);
            mention.end = (mention.end + group).min(ce);
        }
        let before_blocks = mention.start > cs && self.is(lx.not_before, self.toks[mention.start - 1]);
        let after_blocks = mention.end < ce
            && self.is(lx.not_after, self.toks[mention.end])
            && !self.reaches_me_at(mention.end, ce);
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

    /// Whether token `i` is a person's name: written with a capital inside a sentence (except
    /// in German, whose nouns all are), or after a title ("Mr", "Frau"), and no word of the
    /// lexicon's grammar.
    fn is_name(&self, i: usize) -> bool {
        let lx = self.lx;
        let tok = self.toks[i];
        let titled = i > 0 && self.is(lx.titles, self.toks[i - 1]);
        let capitalised = !lx.capitalised_nouns && self.names.iter().any(|n| n == tok);
        (titled || capitalised)
            && tok.chars().all(char::is_alphabetic)
            && ![lx.markers, lx.fillers, lx.please, lx.articles, lx.contact, lx.desire, lx.bot_words]
                .iter()
                .any(|table| self.is(table, tok))
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
        let nobody = !m.name && m.end == m.start + 1 && contains(NOBODY, self.toks[m.start]);
        let asks = self.toks.get(sentence.1).is_some_and(|t| *t == "?");
        let mut link = if nobody {
            // "c'è nessuno?", "¿no hay nadie?": asking whether nobody is there hopes for someone;
            // "nobody" said anywhere else is no one asked for.
            // Only when the question opens the clause: "dopo le 22 non c'è nessuno?" asks when.
            self.link_existence(cs, ce, m).filter(|link| {
                asks && (cs..link.span.0)
                    .all(|k| self.is(self.lx.negators, self.toks[k]) || contains(OPENERS, self.toks[k]))
            })?
        } else if m.name && self.personal_pronoun(m.start).is_some() {
            // A pronoun for a person named before: after a verb of contact ("put me in touch
            // with him"), before one in French ("lui parler"), or as the subject of a question
            // that opens its clause ("could she call me?", not "he said he would call me").
            self.link_back(cs, ce, m)
                .filter(|link| !link.by_desire)
                .or_else(|| self.link_clitic(m, ce))
                .or_else(|| self.lx.verb_final.then(|| self.link_forward(m, ce)).flatten())
                .or_else(|| {
                    self.link_modal(cs, ce, m).filter(|link| {
                        (cs..link.span.0)
                            .all(|k| self.is(self.lx.please, self.toks[k]) || contains(OPENERS, self.toks[k]))
                    })
                })?
        } else if m.name {
            // A name is asked for only by a verb of contact or "is Maria available?".
            self.link_back(cs, ce, m)
                .filter(|link| !link.by_desire)
                .or_else(|| self.link_forward(m, ce))
                .or_else(|| self.link_modal(cs, ce, m))
                .or_else(|| self.link_presence(cs, ce, m))?
        } else {
            self.link_back(cs, ce, m)
                .or_else(|| self.link_existence(cs, ce, m))
                .or_else(|| self.link_forward(m, ce))
                .or_else(|| self.link_modal(cs, ce, m))
                .or_else(|| self.link_reach_me(cs, ce, m))
                .or_else(|| self.link_topic(cs, ce, m))
                .or_else(|| self.link_passed_on(cs, m))
                .or_else(|| self.link_taken_over(cs, ce, m))
                .or_else(|| self.link_presence(cs, ce, m))
                .or_else(|| self.link_subject_question(sentence, ce, m))
                .or_else(|| self.link_who_then_helper(sentence, (cs, ce), m))
                .or_else(|| self.standalone(sentence, (cs, ce), m))
                .or_else(|| self.only_a_helper(m))?
        };
        // Show the final infinitive too: "möchte mit einem Mitarbeiter sprechen".
        if self.lx.verb_final
            && let Some(after) = self.link_forward(m, ce)
        {
            link.span.1 = link.span.1.max(after.span.1);
        }
        // "isn't there anyone there?", "y a pas un conseiller ?": a negated existence question
        // hopes for the person all the same.
        let blocked = (!(link.existence && asks) && self.negated(cs, m, &link))
            || self.retracted(m.end)
            || link.verb.is_some_and(|v| self.ending_at(self.lx.reported, cs, v, false).is_some())
            || link.verb.is_some_and(|v| self.instructed(cs, v))
            || self.identity_question(cs, ce, m.start, !link.existence)
            || self.necessity_question(sentence, cs, link.span.0.min(m.start))
            || self.self_service_alternative(sentence, cs, m)
            || *hypothetical.get_or_insert_with(|| self.hypothetical(cs, ce));
        (!blocked).then_some(link.span)
    }
}

#[cfg(test)]
mod offer_tests;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod structure_tests;
#[cfg(test)]
mod tests;
