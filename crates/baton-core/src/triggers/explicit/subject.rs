//! Two structures where the request is not "verb + helper" side by side:
//!
//! - **A helper as the subject of a verb that reaches the contact** ("could your head of sales
//!   give me a call", "can the manager contact me", "can someone from the team pick this up",
//!   "kann der Filialleiter mich zurückrufen"). Unlike `link_modal` (a strong noun and any
//!   helping verb: "can an agent help"), a weak noun counts here ("can the driver call me"),
//!   because the verb itself says a person should come to the contact: call, contact, reply
//!   *to me*, take *this* over.
//! - **A contact verb separated from the helper by its topic** ("I'd like to discuss my
//!   invoice with someone from billing", "talk about the refund with a person", "meine
//!   Rechnung mit einem Mitarbeiter besprechen"): a verb of contact or of going through
//!   something, then at most [`TOPIC_REACH`] words, then "with" and the helper.

use super::matching::{is_clause_punct, is_sentence_break};
use super::{Detector, LINKING_PREPOSITIONS, Link, MAX_GAP, Mention, OPENERS, Table};

/// The most words of topic between the verb and "with": "discuss *the final bill for my old
/// flat* with an advisor".
const TOPIC_REACH: usize = 8;
/// The most words between the helper and the verb reaching the contact: "can the manager *of
/// the Leeds branch* call me".
const SUBJECT_REACH: usize = 5;
/// The most words before the helper naming it: "can *your head of reader services*".
const SUBJECT_LEAD: usize = 4;

/// A wish put as a condition: what follows is asked for, not supposed.
#[rustfmt::skip]
const POLITE_IF: &[&str] = &[
    "grateful if", "appreciate it if", "appreciate if", "would be great if", "would be good if",
    "grato se", "grata se", "grati se", "riconoscente se", "reconnaissant si", "reconnaissante si",
    "agradecido si", "agradecida si", "agradeceria si", "agradecido se", "agradecida se",
    "agradeceria se",
];

/// Modals of ability, which ask even without a question mark: "someone can call me tomorrow".
#[rustfmt::skip]
const CAN: &[&str] = &[
    "can", "could", "peut", "pourrait", "puo", "potrebbe", "puede", "podria", "pode", "poderia",
    "kann", "konnte", "kan", "kunt",
];

/// The contact as the object pronoun before a modal: "mi può chiamare", "me puede llamar".
const CLITICS: &[&str] = &["mi", "me", "m'", "ci", "nos"];

/// Subject pronouns repeated after a French modal in a question ("pourrait-il").
const INVERTED: &[&str] = &["il", "elle", "ils", "elles", "on"];

/// Phrases of one language.
struct SubjectWords {
    code: &'static str,
    /// Verbs that bring a person to the contact, with their object: "call me", "pick this up".
    reach_me: Table,
    /// Verbs of going through something together, besides the lexicon's contact verbs.
    topic_verbs: Table,
    /// "with" before the helper.
    with: Table,
}

#[rustfmt::skip]
const SUBJECT: &[SubjectWords] = &[
    SubjectWords {
        code: "en",
        reach_me: &[
            "call me", "call me back", "give me a call", "give me a ring", "give me a shout",
            "give me a buzz", "contact me", "reply to me", "respond to me", "get back to me",
            "ring me", "phone me", "email me", "text me", "message me", "reach out to me",
            "get in touch", "answer me", "write to me", "follow up with me", "take this over",
            "take over", "take it over", "pick this up", "pick it up", "take this on",
            "look into this", "look into my", "take my case", "take on my", "review my case",
            "review my claim", "review this", "look at my case", "look at this", "handle my case",
            "msg me", "dm me", "look at my account", "check my account",
            "handle this", "deal with this", "deal with my case",
        ],
        topic_verbs: &[
            "discuss", "go through", "go over", "sort", "sort out", "settle", "resolve", "raise",
            "review", "clarify", "arrange", "figure out", "work out", "check", "deal", "handle",
        ],
        with: &["with", "w"],
    },
    SubjectWords {
        code: "es",
        reach_me: &[
            "me llame", "llamarme", "me contacte", "contactarme", "me responda", "responderme",
            "me escriba", "escribirme", "me atienda", "atenderme", "se encargue", "encargarse",
            "me llama", "me contacta", "me responde", "me atiende", "se ocupe", "ocuparse",
            "ponerse en contacto conmigo", "se ponga en contacto conmigo", "me devuelva la llamada",
            "llevar mi caso", "retomar mi caso",
        ],
        topic_verbs: &[
            "tratar", "comentar", "revisar", "resolver", "aclarar", "gestionar", "arreglar",
            "hablar", "mirar", "ver", "discutir", "organizar", "concretar", "cerrar",
        ],
        with: &["con"],
    },
    SubjectWords {
        code: "fr",
        reach_me: &[
            "me rappeler", "me contacter", "me repondre", "me joindre", "m' appeler", "m' ecrire",
            "me recontacter", "reprendre mon dossier", "s' occuper de mon dossier",
            "prendre le relais", "me rappelle", "me contacte", "me reponde", "m' appelle",
            "me repondre directement", "se mettre en contact avec moi", "prendre contact avec moi",
            "mappeler", "mrappeler", "me guider",
        ],
        topic_verbs: &[
            "discuter", "voir", "regler", "traiter", "gerer", "regarder", "faire le point",
            "clarifier", "aborder", "echanger", "parler", "organiser", "preparer",
        ],
        with: &["avec"],
    },
    SubjectWords {
        code: "de",
        reach_me: &[
            "mich anrufen", "mich zuruckrufen", "mich kontaktieren", "mir antworten",
            "mir zuruckschreiben", "sich bei mir melden", "mir schreiben", "das ubernehmen",
            "meinen fall ubernehmen", "mich mal anrufen", "sich melden",
        ],
        topic_verbs: &[
            "besprechen", "klaren", "organisieren", "absprechen", "abklaren", "durchgehen",
            "regeln", "bereden", "erortern",
        ],
        with: &["mit"],
    },
    SubjectWords {
        code: "pt",
        reach_me: &[
            "me ligar", "me ligue", "me liga", "falar comigo", "me responder", "me responda",
            "me contatar", "me contate", "me chamar", "me atender", "me atenda",
            "entrar em contato comigo", "continuar o atendimento", "me retornar", "me retorne",
            "pegar meu caso", "assumir meu caso", "assumir o atendimento", "conversar comigo",
        ],
        topic_verbs: &[
            "discutir", "resolver", "tratar", "ver", "esclarecer", "revisar", "acertar", "combinar",
            "falar", "conversar", "ver isso", "organizar",
        ],
        with: &["com"],
    },
    SubjectWords {
        code: "it",
        reach_me: &[
            "richiamarmi", "chiamarmi", "contattarmi", "rispondermi", "scrivermi", "mi richiami",
            "mi chiami", "mi contatti", "mi risponda", "mi scriva", "ricontattarmi",
            "riprendere il mio", "occuparsene", "se ne occupi", "prendere in carico",
            "mi richiama", "mi chiama", "risentirmi", "mettersi in contatto con me", "contattarci",
            "richiamarci", "chiamarci", "controlli il mio", "controlli la mia",
        ],
        topic_verbs: &[
            "discutere", "vedere", "risolvere", "chiarire", "sistemare", "gestire", "rivedere",
            "affrontare", "trattare", "parlare", "parlarne", "organizzare", "concordare",
            "definire",
        ],
        with: &["con", "col"],
    },
    SubjectWords {
        code: "nl",
        reach_me: &[
            "contact met me opnemen", "contact met mij opnemen", "mij bellen", "me bellen",
            "me terugbellen", "mij terugbellen", "me antwoorden", "mij antwoorden", "me mailen",
            "mij mailen", "het overnemen", "dit overnemen", "mijn zaak overnemen",
            "contact opnemen",
        ],
        topic_verbs: &["bespreken", "doornemen", "regelen", "oplossen", "bekijken", "ophelderen", "uitzoeken"],
        with: &["met"],
    },
];

impl Detector<'_> {
    fn subject_words(&self) -> Option<&'static SubjectWords> {
        SUBJECT.iter().find(|w| w.code == self.lx.code)
    }

    /// Whether a verb reaching the contact starts at `k`: "email me", "phone me". A word that
    /// usually names a helper's detail ("team *email*", "agent *phone*") is then a verb, and
    /// the helper before it its subject: "can your billing team email me".
    pub(super) fn reaches_me_at(&self, k: usize, ce: usize) -> bool {
        self.reach_me_len(k, ce).is_some()
    }

    /// How many words the verb reaching the contact that starts at `k` spans, if one does.
    pub(super) fn reach_me_len(&self, k: usize, ce: usize) -> Option<usize> {
        let words = self.subject_words()?;
        self.match_at(words.reach_me, k, ce, false).map(|(n, _)| n)
    }

    /// "could your head of sales give me a call": a modal, the helper (with up to
    /// [`SUBJECT_LEAD`] words naming it), then a verb that reaches the contact.
    pub(super) fn link_reach_me(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let words = self.subject_words()?;
        let (lx, toks) = (self.lx, self.toks);
        let mut j = m.start;
        while j > cs && m.start - j < SUBJECT_LEAD && self.leads_subject(toks[j - 1]) {
            j -= 1;
        }
        if j > cs && self.is(lx.modals, toks[j - 1]) {
            let modal = j - 1;
            if (cs..modal).any(|k| self.is(lx.wh_words, toks[k])) {
                return None; // "when can the manager call me?" asks about it
            }
            let mut k = m.end;
            while k < ce && k <= m.end + SUBJECT_REACH {
                if let Some((n, _)) = self.match_at(words.reach_me, k, ce, false) {
                    return Some(Link::new((modal, k + n), None));
                }
                k += 1;
            }
            return None;
        }
        // "il tecnico può richiamarmi?", "o coordenador pode falar comigo?": the subject first,
        // in a question, or after a polite "if" ("I'd be grateful if an adviser could call me").
        let asks = toks.get(ce).is_some_and(|t| *t == "?");
        let polite = (cs..m.start).any(|k| self.match_at(POLITE_IF, k, m.start, false).is_some());
        if (cs..m.start).any(|k| self.is(lx.wh_words, toks[k])) {
            return None;
        }
        // "someone from ur team call me NOW", "qlc mi richiami": the verb right after a helper
        // that opens its clause, in the form of a wish; not after a condition ("if it fails,
        // will someone email me?").
        // The helper's group may run on past the noun ("someone from the billing *team*").
        let mut end = m.end;
        let noun_at = |k: usize| k < ce && self.mention_at((cs, ce), k).is_some();
        while end < ce.min(m.end + 2) && self.reach_me_len(end, ce).is_none() {
            if noun_at(end) {
                end += 1;
            } else if self.names_a_kind(toks[end]) && noun_at(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        let direct = usize::from(toks.get(end).is_some_and(|t| self.is(lx.please, t)));
        let opens = (cs..m.start).all(|k| {
            let tok = toks[k];
            self.is(lx.please, tok)
                || THAT.contains(&tok)
                || OPENERS.contains(&tok)
                || self.is(lx.articles, tok)
                || self.is(lx.determiners, tok)
                || (k > cs && self.names_a_kind(tok))
        });
        if opens
            && !self.supposed_before(cs)
            && let Some(n) = self.reach_me_len(end + direct, ce)
        {
            return Some(Link::new((m.start, end + direct + n), None));
        }
        let modal = (m.end..ce.min(m.end + SUBJECT_REACH)).find(|&k| self.is(lx.modals, toks[k]))?;
        // Unasked, only a modal of ability wishes: "qqn peut m'appeler demain", not "is".
        if !(asks || polite || CAN.contains(&toks[modal])) {
            return None;
        }
        // "quelqu'un du service pourrait-il me contacter ?": the subject repeated after the modal.
        let verb = modal + 1 + usize::from(toks.get(modal + 1).is_some_and(|t| INVERTED.contains(t)));
        // "qualcuno mi può chiamare": the contact's pronoun before the modal, a bare verb of
        // contact after it.
        let clitic = modal > m.end && CLITICS.contains(&toks[modal - 1]);
        let (n, _) = self
            .match_at(words.reach_me, verb, ce, false)
            .or_else(|| clitic.then(|| self.match_at(lx.contact, verb, ce, false)).flatten())?;
        Some(Link::new((m.start, verb + n), None))
    }

    /// Whether the sentence of the clause starting at `cs` supposes something before it: "if
    /// the card is declined, …", "se la consegna non va, …".
    fn supposed_before(&self, cs: usize) -> bool {
        let start = (0..cs).rev().find(|&k| is_sentence_break(self.toks[k])).map_or(0, |k| k + 1);
        (start..cs).any(|k| self.match_at(self.lx.hypothetical, k, cs, false).is_some())
    }

    /// Words that may stand between a modal and its helper: articles, possessives, a name in
    /// the possessive ("dr okafor's"), words naming the helper ("*reservations* people").
    fn leads_subject(&self, tok: &str) -> bool {
        let lx = self.lx;
        self.is(lx.articles, tok)
            || self.is(lx.determiners, tok)
            || self.is(lx.titles, tok)
            || LINKING_PREPOSITIONS.contains(&tok)
            || tok.ends_with("'s")
            || self.names_a_kind(tok)
    }

    /// "discuss my invoice with someone from billing": a contact or topic verb, its topic, then
    /// "with" and the helper; in German and Dutch also "mit einem Berater besprechen".
    pub(super) fn link_topic(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let words = self.subject_words()?;
        let (lx, toks) = (self.lx, self.toks);
        let mut w = m.start;
        while w > cs && m.start - w < MAX_GAP && !self.is(words.with, toks[w - 1]) {
            if !self.is(lx.fillers, toks[w - 1]) && !self.is(lx.articles, toks[w - 1]) {
                return None;
            }
            w -= 1;
        }
        if w == cs || !self.is(words.with, toks[w - 1]) {
            return None;
        }
        // A weak noun must end its phrase (or be followed by a possessive, "un técnico vosso"):
        // "with the team *tags*" is something else.
        let ends = m.end == ce
            || is_clause_punct(toks[m.end])
            || self.is(lx.please, toks[m.end])
            || self.is(lx.fillers, toks[m.end])
            || LINKING_PREPOSITIONS.contains(&toks[m.end]);
        if !m.strong && !ends && !lx.verb_final {
            return None;
        }
        let with = w - 1;
        if lx.verb_final
            && let Some((n, _)) = self.match_at(words.topic_verbs, m.end, ce, false)
        {
            return Some(Link::new((with, m.end + n), Some(with)));
        }
        // "the call with someone from sales" is a noun: not after an article.
        let verb = (with.saturating_sub(TOPIC_REACH).max(cs)..with).find(|&v| {
            let is_verb = self.match_at(words.topic_verbs, v, with, false).is_some()
                || self.match_at(lx.contact, v, with, false).is_some();
            is_verb && !(v > cs && self.is(lx.determiners, toks[v - 1]))
        })?;
        // The topic holds no helper of its own: "talk to the manager about it with …".
        let other_helper = (verb + 1..with).any(|k| self.mention_at((cs, ce), k).is_some());
        (!other_helper).then(|| Link::new((verb, m.end), Some(verb)))
    }
}

/// Romance verbs of taking a case over, with their clitics, that may come before their
/// subject after "que": "quiero que se encargue una persona", "vorrei che se ne occupasse un
/// tecnico".
#[rustfmt::skip]
const TAKE_OVER: &[(&str, Table)] = &[
    ("es", &["se encargue", "se ocupe", "me atienda", "me llame", "lo revise", "se encargara", "se ocupara"]),
    ("fr", &[
        "s' en occupe", "s' occupe", "me rappelle", "me reponde", "s' en charge",
        "prenne le relais",
        "prenne mon dossier", "prenne en charge", "reprenne mon dossier", "examine", "regarde",
    ]),
    ("it", &[
        "se ne occupasse", "se ne occupi", "se ne occupa", "mi richiami", "mi risponda", "mi chiami",
        "lo riveda", "la riveda", "lo controlli", "la controlli",
    ]),
    ("pt", &["cuide disso", "me atenda", "me ligue", "veja isso", "assuma"]),
];
/// "que", "che": the clause of what the writer wants done.
const THAT: Table = &["que", "che", "qu'", "qu", "ke"];
/// The most words between the verb of wanting and "que": "quiero *de verdad* que …".
const WANT_REACH: usize = 3;

impl Detector<'_> {
    /// "prefiero que se encargue una persona": wanting, "que", a verb of taking over and the
    /// helper as its subject after it.
    pub(super) fn link_taken_over(&self, cs: usize, ce: usize, m: &Mention) -> Option<Link> {
        let (_, verbs) = TAKE_OVER.iter().find(|(code, _)| *code == self.lx.code)?;
        let (lx, toks) = (self.lx, self.toks);
        let mut j = m.start;
        while j > cs && m.start - j < 2 && self.is(lx.articles, toks[j - 1]) {
            j -= 1;
        }
        let Some(verb) = self.ending_at(verbs, cs, j, false) else {
            return self.link_taken_over_subject_first(cs, ce, m, j, verbs);
        };
        let that = verb.checked_sub(1).filter(|&k| k >= cs && self.is(THAT, toks[k]))?;
        let want = (that.saturating_sub(WANT_REACH).max(cs)..that)
            .find(|&k| self.match_at(lx.desire, k, that, false).is_some())?;
        let ends = m.end == ce || is_clause_punct(toks[m.end]) || self.is(lx.please, toks[m.end]);
        ends.then(|| Link::new((want, m.end), Some(want)))
    }

    /// "qu'un conseiller me rappelle", "que alguien se encargue": "que", the helper (starting
    /// after `j`'s articles), then the verb; wished for at the start of the clause ("Qu'un
    /// technicien reprenne mon dossier"), after a verb of wanting or after "possible".
    fn link_taken_over_subject_first(
        &self,
        cs: usize,
        ce: usize,
        m: &Mention,
        j: usize,
        verbs: Table,
    ) -> Option<Link> {
        let (lx, toks) = (self.lx, self.toks);
        let that = j.checked_sub(1).filter(|&k| k >= cs && self.is(THAT, toks[k]))?;
        let wished = that == cs
            || (that.saturating_sub(WANT_REACH).max(cs)..that)
                .any(|k| self.match_at(lx.desire, k, that, false).is_some() || self.is(POSSIBLE, toks[k]));
        if !wished {
            return None;
        }
        // The helper's group may stand between: "qu'un agent *du service client* examine".
        let end = (m.end..ce.min(m.end + SUBJECT_REACH))
            .find_map(|k| self.match_at(verbs, k, ce, false).map(|(n, _)| k + n))?;
        Some(Link::new((that, end), Some(that)))
    }
}

/// "possible" before "que": "est-il possible qu'un technicien regarde …".
const POSSIBLE: Table = &["possible", "posible", "possibile", "possivel"];
