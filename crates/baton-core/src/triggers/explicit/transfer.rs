//! Verbs of putting through with no helper named: "put me through", "connect me", "passez-moi",
//! "verbinden Sie mich", "escalate my case". The person is implied by the verb itself, but
//! only when nothing follows it: "put me through the checkout", "connect me to the wifi" and
//! "transfer me the money" are other senses. An escalation needs its object ("escalate this",
//! "escalate my claim"): "the argument escalated" is no request.
//!
//! The usual guards hold: a negation just before ("don't connect me"), a hypothetical, past
//! or reported clause ("if you put me through …", "they put me through"), and the verb must
//! open its clause or follow a word that asks ("can you", "please", "ok", "then").

use super::matching::is_clause_punct;
use super::{Detector, Span, Table};

/// How far before the verb a negation cancels it ("please *don't* just connect me").
const NEGATION_REACH: usize = 3;

/// Phrases of one language.
struct TransferWords {
    code: &'static str,
    /// Complete requests to be put through: "put me through", "verbinden Sie mich".
    put_through: Table,
    /// Verbs of escalation, which need one of `escalated` after them.
    escalate: Table,
    /// What a contact escalates: "this", "my case", "mi reclamación".
    escalated: Table,
}

#[rustfmt::skip]
const TRANSFER: &[TransferWords] = &[
    TransferWords {
        code: "en",
        put_through: &[
            "put me through", "connect me", "transfer me", "hand me over", "pass me over",
            "pass me on", "patch me through", "forward me", "route me",
        ],
        escalate: &["escalate", "escalating"],
        escalated: &[
            "this", "it", "my case", "my claim", "my complaint", "my ticket", "my issue",
            "my query",
            "my request", "the case", "the issue", "the complaint", "this case", "this issue",
            "this complaint", "this ticket", "this claim", "my problem", "this problem",
        ],
    },
    TransferWords {
        code: "es",
        put_through: &[
            "paseme", "pasame", "comunicame", "comuniqueme", "transfiereme", "transfierame",
            "conectame", "conecteme", "derivame", "ponme en contacto",
            "pongame en contacto", "me pasas", "me pasa", "me transfieres", "me transfiere",
        ],
        escalate: &["escala", "escale", "escalar", "escalen"],
        escalated: &[
            "esto", "mi caso", "mi reclamacion", "mi queja", "mi incidencia", "el caso",
            "este caso",
            "mi solicitud", "mi consulta",
        ],
    },
    TransferWords {
        code: "fr",
        put_through: &[
            "passez moi", "transferez moi", "mettez moi en relation", "mets moi en relation",
            "transfere moi", "redirigez moi", "basculez moi",
        ],
        escalate: &["escaladez", "remontez", "faites remonter", "transmettez"],
        escalated: &[
            "mon dossier", "ma reclamation", "ma demande", "mon cas", "ce dossier", "cette demande",
            "ma plainte",
        ],
    },
    TransferWords {
        code: "de",
        put_through: &[
            "verbinden sie mich", "verbinde mich", "verbindet mich", "stellen sie mich durch",
            "stell mich durch", "leiten sie mich weiter", "leite mich weiter",
            "geben sie mich weiter", "gib mich weiter", "verbinden sie mich bitte",
            "bitte verbinden", "bitte weiterleiten", "bitte durchstellen",
            "stellen sie mich bitte durch",
            "leiten sie mich bitte weiter", "geben sie mich bitte weiter", "verbinde mich bitte",
            // Infinitives of separable verbs after a modal: "können Sie mich durchstellen?".
            "mich durchstellen", "mich bitte durchstellen", "mich weiterleiten",
            "mich bitte weiterleiten", "mich weiterverbinden", "mich bitte weiterverbinden",
            "mich verbinden", "mich bitte verbinden",
        ],
        escalate: &["eskalieren sie", "eskaliere", "eskaliert"],
        escalated: &["das", "meinen fall", "meine beschwerde", "mein anliegen", "den fall", "mein ticket"],
    },
    TransferWords {
        code: "pt",
        put_through: &[
            "me transfere", "me transfira", "me passa", "me passe", "me encaminha", "me encaminhe",
            "me poe em contato", "me coloca em contato", "me conecta", "me conecte",
            "transfere me", "encaminha me", "passa me", "passe me", "transfira me", "encaminhe me",
        ],
        escalate: &["escala", "escale", "escalar", "escalone"],
        escalated: &["isso", "meu caso", "minha reclamacao", "meu chamado", "o caso", "esse caso"],
    },
    TransferWords {
        code: "it",
        put_through: &[
            "passami", "trasferiscimi", "mettimi in contatto", "collegami", "inoltrami",
            "passamelo",
            "passamela", "mi passi", "mi trasferisca", "mi metta in contatto",
        ],
        escalate: &["inoltra", "inoltrate", "inoltrare", "scala", "scalate"],
        escalated: &["la mia pratica", "il mio caso", "la mia richiesta", "il mio reclamo", "la pratica"],
    },
    TransferWords {
        code: "nl",
        put_through: &[
            "verbind me door", "verbind mij door", "zet me door", "stuur me door", "verbind me",
            "verbind mij", "verbindt u mij door", "verbindt me door", "verbind me even door",
            "verbind me ff door", "zet me even door", "zet me ff door", "verbind mij even door",
        ],
        escalate: &["escaleer", "escaleert"],
        escalated: &["dit", "mijn zaak", "mijn klacht", "mijn ticket", "mijn melding", "deze zaak"],
    },
];

/// Words that may stand right before the verb in a request: "can you …", "ok, …", "then …".
#[rustfmt::skip]
const ASKING: Table = &[
    "you", "u", "can", "could", "will", "would", "just", "then", "and", "so", "now", "ok", "okay",
    "yes", "yeah", "sure", "go", "ahead", "right", "away", "please", "pls", "plz",
    "puede", "puedes", "podria", "podrias", "entonces", "y", "ya", "vale", "si", "porfa",
    "pouvez", "peux", "pourriez", "pourrais", "alors", "et", "oui", "vous",
    "konnen", "konnten", "kannst", "sie", "du", "dann", "und", "ja", "jetzt", "mal",
    "pode", "podes", "podia", "poderia", "entao", "e", "sim", "agora",
    "puoi", "potete", "potrebbe", "puo", "allora", "quindi", "ora",
    "kunt", "kun", "kunnen", "dan", "en", "nu", "graag",
];

/// Verbs that report what someone said: the request after them is theirs, not the writer's.
#[rustfmt::skip]
const REPORTING: Table = &[
    "said", "says", "told", "tells", "dijo", "dice", "dijeron", "dit", "disait", "sagte", "sagt",
    "meinte", "zei", "zegt", "disse", "diz", "falou", "detto", "diceva",
];

impl Detector<'_> {
    /// "put me through", "escalate my case": a request to be put through with no helper named.
    pub(super) fn bare_transfer(&self, (cs, ce): Span) -> Option<Span> {
        let lx = self.lx;
        let words = TRANSFER.iter().find(|w| w.code == lx.code)?;
        let toks = self.toks;
        let found = (cs..ce).find_map(|i| {
            // Most tokens start no phrase: rejected on their first byte, before any lookup.
            let first = toks[i].as_bytes().first();
            let could = |table: Table| table.iter().any(|e| e.as_bytes().first() == first);
            if !could(words.put_through) && !could(words.escalate) {
                return None;
            }
            let end = if let Some((n, _)) = self.match_at(words.put_through, i, ce, false) {
                i + n
            } else {
                let (n, _) = self.match_at(words.escalate, i, ce, false)?;
                let (m, _) = self.match_at(words.escalated, i + n, ce, false)?;
                i + n + m
            };
            let opens = i == cs || self.is(ASKING, toks[i - 1]) || self.is(lx.please, toks[i - 1]);
            (opens && self.nothing_else_after(end, ce)).then_some((i, end))
        })?;
        let negated = (found.0.saturating_sub(NEGATION_REACH).max(cs)..found.0).any(|k| {
            self.match_at(lx.negators, k, found.0, false).is_some() || self.is(lx.det_negators, toks[k])
        });
        // "they put me through", "he just connected me", "my friend said just put me through".
        let mut lead = found.0;
        while lead > cs && (self.is(ASKING, toks[lead - 1]) || self.is(lx.please, toks[lead - 1])) {
            lead -= 1;
        }
        let reported = self.ending_at(lx.reported, cs, lead, false).is_some()
            || (cs..found.0).any(|k| self.is(REPORTING, toks[k]));
        (!negated && !reported && !self.hypothetical(cs, ce)).then_some(found)
    }

    /// Whether only politeness, punctuation or a case number follows (`#88213`), or a helper
    /// the verb goes to ("escalate this to a supervisor").
    fn nothing_else_after(&self, end: usize, ce: usize) -> bool {
        let lx = self.lx;
        let toks = self.toks;
        let mut k = end;
        while k < ce {
            let tok = toks[k];
            if is_clause_punct(tok) || tok == "#" || tok.chars().all(|c| c.is_ascii_digit()) {
                k += 1;
            } else if let Some((n, _)) = self.match_at(lx.please, k, ce, false) {
                k += n;
            } else {
                // "… to a senior handler": a helper after a preposition.
                let mut j = k;
                while j < ce && j - k < 3 && (self.is(lx.articles, toks[j]) || self.is(lx.fillers, toks[j])) {
                    j += 1;
                }
                return j > k && j < ce && self.mention_at((k, ce), j).is_some_and(|m| !m.name);
            }
        }
        true
    }
}
