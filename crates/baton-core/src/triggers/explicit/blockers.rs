//! What cancels a linked request: negation, retraction, hypotheticals and identity questions.

use super::matching::is_clause_punct;
use super::{Detector, Link, Mention, Span, Table};

/// How many neutral words a negation's scope crosses ("don't really think I need").
const NEG_SCOPE: usize = 4;
/// How far from the request a blocker is looked for. Bounding it keeps a long message with
/// many human nouns linear, not quadratic.
const WINDOW: usize = 8;

/// Openings of a question whether a person is needed: "will I need to speak to someone?",
/// "devo parlare con qualcuno o si fa online?". It asks how things are done, not for the
/// person; "can I speak to someone?" asks for them.
#[rustfmt::skip]
const NECESSITY: Table = &[
    // en
    "do i need to", "do i have to", "will i need to", "will i have to", "would i need to",
    "would i have to", "do we need to", "do we have to", "will we need to", "must i",
    "is it necessary to", "do you have to", "do you need to",
    // fr
    "est ce que je dois", "est ce que je devrai", "est ce que je devrais", "est ce qu' il faut",
    "est ce qu' il faudra", "faut il", "faudra t il", "dois je", "devrai je", "il faut",
    "il faudra", "je dois", "je devrai",
    // it
    "devo", "dovro", "bisogna", "e necessario", "occorre",
    // es
    "tengo que", "tendre que", "tendria que", "hay que", "habra que", "debo", "es necesario",
    // pt
    "tenho que", "tenho de", "terei que", "vou ter que", "devo", "e necessario",
    // de
    "muss ich", "musste ich", "muss man", "brauche ich", "braucht man",
    // nl
    "moet ik", "moeten we", "moet je", "moet men", "zou ik moeten",
];

/// Doing it oneself, offered after "or" as the other way: "shall I call an adviser, or can I
/// do it in the app?", "chiamo un operatore o si fa online?". Such a question asks whether a
/// person is needed at all, like the openings of [`NECESSITY`]; not when the other way names a
/// helper or a call too ("… or can I get a callback from one?"), is negated ("… oder geht das
/// nicht?" hopes for the person), or the request is a wish ("I want an agent, or can I only
/// write here?"). French has no entry with "je": "où" folds to "ou" ("où je peux …").
#[rustfmt::skip]
const SELF_SERVICE: Table = &[
    // en
    "can i", "could i", "can it be", "can this be", "can that be", "is there a way",
    // fr
    "puis je", "ca se fait", "on peut", "ca marche",
    // it
    "posso", "si puo", "si fa", "basta", "riesco",
    // es
    "puedo", "se puede", "se hace", "basta", "lo hago",
    // pt
    "posso", "da pra", "da para", "se faz", "basta", "consigo", "faco",
    // de
    "kann ich", "kann man", "geht das", "geht es", "reicht", "mache ich",
    // nl
    "kan ik", "kan dat", "kan het", "gaat dat", "kan men", "doe ik",
];

/// Wishes said outright: a request put as one stays a request whatever way is offered after
/// "or" ("voglio un operatore, o posso solo scrivere qui?").
#[rustfmt::skip]
const WISHES: Table = &[
    "want", "wanna", "would like", "i'd like", "id like",
    "veux", "voudrais", "souhaite", "souhaiterais", "aimerais",
    "voglio", "vorrei", "desidero",
    "quiero", "quisiera", "deseo", "gustaria",
    "quero", "queria", "gostaria", "desejo",
    "will", "mochte", "moechte", "mochten", "gern", "gerne", "wollen",
    "wil", "graag", "wilde",
];

impl Detector<'_> {
    /// Whether a question offers doing it oneself as the other way right after the request
    /// `m` in its clause (see [`SELF_SERVICE`]): "do I call an agent or can I fix it online?".
    pub(super) fn self_service_alternative(&self, sentence: Span, cs: usize, m: &Mention) -> bool {
        let asks = self.toks.get(sentence.1).is_some_and(|t| *t == "?");
        let wished = (cs..m.start).any(|i| self.match_at(WISHES, i, m.start, false).is_some());
        asks && !wished
            && (m.end..(m.end + WINDOW).min(sentence.1)).any(|k| self.offers_self_service(k, sentence.1))
    }

    /// Whether the "or" at `k` leads straight to doing it oneself: no negation, helper or call
    /// in the few words after it.
    fn offers_self_service(&self, k: usize, end: usize) -> bool {
        let lx = self.lx;
        let reach = (k + 1 + WINDOW).min(end);
        self.is(lx.or_words, self.toks[k])
            && k + 1 < end
            && self.match_at(SELF_SERVICE, k + 1, end, false).is_some()
            && !(k + 1..reach).any(|j| {
                self.is(lx.contact, self.toks[j])
                    || self.match_at(lx.negators, j, end, false).is_some()
                    || self.mention_at((k + 1, reach), j).is_some()
            })
    }

    /// Whether the request is a question whether a person is needed (see [`NECESSITY`]): the
    /// sentence asks, and one of its openings comes before the request in the clause, not after
    /// a question word ("what do I need to do to speak to someone?" asks the way to one).
    pub(super) fn necessity_question(&self, sentence: Span, cs: usize, start: usize) -> bool {
        let asks = self.toks.get(sentence.1).is_some_and(|t| *t == "?");
        asks && (start.saturating_sub(WINDOW).max(cs)..=start).any(|i| {
            self.match_at(NECESSITY, i, self.toks.len(), false).is_some()
                && !(cs..i).any(|k| self.is(self.lx.wh_words, self.toks[k]))
        })
    }

    /// Whether a negation in the clause reaches the request: its scope, crossing only neutral
    /// words, lands on the verb chain or the noun. The chain starts at the verb and reaches back
    /// over desire words and fillers ("want to talk").
    pub(super) fn negated(&self, cs: usize, m: &Mention, link: &Link) -> bool {
        let lx = self.lx;
        let start = link.span.0.min(m.start);
        let mut chain = start;
        while chain > cs && start - chain < WINDOW {
            let tok = self.toks[chain - 1];
            let desire = self.ending_at(lx.desire, cs, chain, false);
            if let Some(d) = desire {
                chain = d;
            } else if self.is(lx.fillers, tok) || self.is(lx.neg_targets, tok) {
                chain -= 1;
            } else {
                break;
            }
        }
        for n in chain.saturating_sub(NEG_SCOPE + 2).max(cs)..m.end {
            // "I can't reach an agent" is a complaint, not a refusal: a negation next to a verb
            // of ability ("no puedo", "n'arrive pas", "kann keinen") does not cancel.
            if (n.saturating_sub(2).max(cs)..(n + 3).min(m.end)).any(|k| self.is(lx.ability, self.toks[k])) {
                continue;
            }
            let (sentential, len) = if let Some((len, _)) = self.match_at(lx.negators, n, m.end, false) {
                (true, len)
            } else if let Some((len, _)) = self.match_at(lx.det_negators, n, m.end, false) {
                (false, len)
            } else {
                continue;
            };
            for k in (n + len..m.end).take(NEG_SCOPE) {
                if k >= chain && self.is_neg_target(k, m) {
                    return true;
                }
                let tok = self.toks[k];
                let passes = if sentential {
                    self.is(lx.neg_pass, tok) || self.is(lx.fillers, tok)
                } else {
                    self.is(lx.articles, tok) || self.is(lx.upgraders, tok)
                };
                if !passes {
                    break;
                }
            }
        }
        false
    }

    pub(super) fn is_neg_target(&self, k: usize, m: &Mention) -> bool {
        let lx = self.lx;
        k >= m.start
            || self.is(lx.neg_targets, self.toks[k])
            || self.match_at(lx.desire, k, m.end, false).is_some()
            || self.match_at(lx.contact, k, m.end, lx.fuzzy_verbs).is_some()
    }

    /// "an agent? no thanks", "agent please... never mind": a retraction within a few words
    /// after the noun, across punctuation.
    pub(super) fn retracted(&self, end: usize) -> bool {
        let len = self.toks.len();
        (end..len.min(end + WINDOW))
            .filter(|&k| !is_clause_punct(self.toks[k]))
            .take(3)
            .any(|k| self.match_at(self.lx.post_negations, k, len, false).is_some())
    }

    /// Whether the clause supposes rather than asks: "if", "yesterday", unless an exception
    /// starts with it ("if possible") or ends with it ("I'd be grateful if").
    pub(super) fn hypothetical(&self, cs: usize, ce: usize) -> bool {
        let lx = self.lx;
        (cs..ce).any(|i| {
            self.match_at(lx.hypothetical, i, ce, false).is_some_and(|(n, _)| {
                self.match_at(lx.hypothetical_exceptions, i, ce, false).is_none()
                    && self.ending_at(lx.hypothetical_exceptions, cs, i + n, false).is_none()
            })
        })
    }

    /// Whether any blocker of this language occurs anywhere in the message, request or not
    /// (see [`super::has_request_blocker`]), a question whether a person is needed included.
    pub(super) fn any_blocker(&self) -> bool {
        let lx = self.lx;
        let len = self.toks.len();
        let at = |table, i| self.match_at(table, i, len, false).is_some();
        let or_bot = self.toks.iter().any(|t| self.is(lx.or_words, t))
            && self.toks.iter().any(|t| self.is(lx.bot_words, t));
        let offers_self_service =
            || (0..len).any(|k| self.offers_self_service(k, len)) && !(0..len).any(|i| at(WISHES, i));
        let asks_whether_needed =
            self.toks.contains(&"?") && ((0..len).any(|i| at(NECESSITY, i)) || offers_self_service());
        or_bot
            || asks_whether_needed
            || (0..len).any(|i| {
                at(lx.negators, i)
                    || at(lx.det_negators, i)
                    || at(lx.post_negations, i)
                    || at(lx.reported, i)
                    || at(lx.identity, i)
                    || (at(lx.hypothetical, i) && !at(lx.hypothetical_exceptions, i))
            })
    }

    /// "am I talking to a human?", "is this a bot or a person?". With `or_bot` false an "or"
    /// next to a word for the bot does not count: "are there any humans, or only bots?" asks
    /// for the humans.
    pub(super) fn identity_question(&self, cs: usize, ce: usize, start: usize, or_bot: bool) -> bool {
        let lx = self.lx;
        let asks_who = (start.saturating_sub(WINDOW).max(cs)..start).any(|i| {
            let how = i > cs && self.is(lx.how_words, self.toks[i - 1]);
            !how && self.match_at(lx.identity, i, ce, false).is_some()
        });
        asks_who
            || or_bot
                && (start.saturating_sub(WINDOW).max(cs)..ce.min(start + WINDOW)).any(|k| {
                    self.is(lx.or_words, self.toks[k])
                        && (k.saturating_sub(2).max(cs)..ce.min(k + 4))
                            .any(|w| self.is(lx.bot_words, self.toks[w]))
                })
    }
}
