//! Asking the business to make someone contact the writer: "can you get the installer to
//! phone me", "have the plumber call me back", "ask the manager to call me", "faites en sorte
//! qu'un technicien me rappelle", "chieda al corriere di richiamarmi".
//!
//! Whoever is to call is a person, whatever the noun ("plumber", "courier", "Sarah from
//! accounts"): the verb of reaching the contact says so. So the structure takes any short noun
//! phrase between a verb of causing and a verb that reaches the writer (`subject.rs`), not only
//! the lexicon's helper nouns. It holds only when the causing verb is addressed to the business
//! (opening the clause, or after "can you", "please") — "they asked the agent to call me"
//! reports — and when the verb of reaching has no object of its own ("email me *the form*"
//! asks for a document).

use super::matching::is_clause_punct;
use super::{Detector, Span, Table};

/// The most words naming who is to call: "the driver for my street".
const AGENT_REACH: usize = 6;

/// Words of one language.
struct CausativeWords {
    code: &'static str,
    /// Verbs of causing, addressed to the business, with what introduces their object.
    cause: Table,
    /// What may stand before the verb of causing in a request: "can you", "please".
    lead: Table,
    /// What may stand between the one to call and the verb: "to", "de", "di".
    to: Table,
}

#[rustfmt::skip]
const CAUSATIVE: &[CausativeWords] = &[
    CausativeWords {
        code: "en",
        cause: &["get", "have", "ask", "tell", "make"],
        lead: &[
            "can", "could", "would", "will", "you", "u", "please", "pls", "plz", "just", "then",
            "kindly", "so", "ok", "okay", "and",
        ],
        to: &["to"],
    },
    CausativeWords {
        code: "fr",
        cause: &[
            "faites en sorte qu'", "faites en sorte que", "faire en sorte qu'", "faire en sorte que",
            "faites en sorte qu", "faire en sorte qu",
            "demandez a", "demander a", "dites a", "dire a", "demandez au", "dites au",
            "demander au",
        ],
        lead: &["pouvez", "vous", "pourriez", "merci", "de", "svp", "alors", "et"],
        to: &["de", "d'"],
    },
    CausativeWords {
        code: "it",
        cause: &[
            "fate in modo che", "faccia in modo che", "chiedete a", "chieda a", "chiedete al",
            "chieda al", "dite a", "dica a", "dite al", "dica al", "chiedere a", "chiedere al",
        ],
        lead: &["potete", "puo", "potreste", "potrebbe", "per", "favore", "vi", "prego", "allora", "e"],
        to: &["di"],
    },
    CausativeWords {
        code: "es",
        cause: &[
            "haga que", "hagan que", "hacer que", "digale a", "digan a", "pidale a", "pida a",
            "pidan a", "digale al", "pidale al", "pedirle a", "pedirle al", "decirle a",
        ],
        lead: &["puede", "pueden", "podria", "podrian", "por", "favor", "porfa", "y", "entonces"],
        to: &["que"],
    },
    CausativeWords {
        code: "pt",
        cause: &[
            "faca com que", "facam com que", "peca para", "peca pra", "pede para", "pede pra",
            "pecam para", "peca ao", "peca a", "pede ao", "pede a",
        ],
        lead: &["pode", "podem", "poderia", "poderiam", "por", "favor", "pfv", "e", "entao"],
        to: &["para", "pra", "que"],
    },
];

impl Detector<'_> {
    /// "can you get the installer to phone me": a verb of causing addressed to the business,
    /// who is to call, and a verb reaching the writer.
    pub(super) fn causative(&self, (cs, ce): Span) -> Option<Span> {
        let words = CAUSATIVE.iter().find(|w| w.code == self.lx.code)?;
        let toks = self.toks;
        // Through the table's first-letter index: most tokens start no verb of causing.
        let (cause, n) =
            (cs..ce).find_map(|i| self.match_at(words.cause, i, ce, false).map(|(n, _)| (i, n)))?;
        if !(cs..cause).all(|k| self.is(words.lead, toks[k])) {
            return None;
        }
        let agent = cause + n;
        // Who is to call: a few words, not the writer ("get me to …") and no punctuation.
        let mut k = agent;
        while k < ce && k < agent + AGENT_REACH {
            let tok = toks[k];
            if is_clause_punct(tok) || k == agent && self.is(SELF, tok) {
                return None;
            }
            if k > agent {
                let verb_at = if self.is(words.to, tok) { k + 1 } else { k };
                if let Some(len) = self.reach_me_len(verb_at, ce) {
                    let end = verb_at + len;
                    // "email me the form" asks for a document, not a person.
                    let object = end < ce
                        && (self.is(self.lx.articles, toks[end]) || self.is(self.lx.determiners, toks[end]));
                    let blocked = object || self.hypothetical(cs, ce);
                    return (!blocked).then_some((cause, end));
                }
            }
            k += 1;
        }
        None
    }
}

/// The writer as the one to act: "get me to …", "have us …" are no request for a person.
const SELF: Table = &["me", "us", "i", "we", "moi", "nous", "mi", "ci", "me", "nos", "eu"];
