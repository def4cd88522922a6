//! Instructions from someone else: "they asked me to contact support", "the letter says to
//! call an adviser", "me disseram para falar com um atendente", "on m'a dit de contacter un
//! conseiller". The contact verb is what another person told the writer to do, not what the
//! writer asks for now.
//!
//! The structure: a verb of telling or asking in a form that is not the writer's own (third
//! person, or a past participle after someone else's auxiliary), then only words that carry
//! the instruction to the contact verb — object and subject pronouns, "to"/"para"/"de", and
//! verbs that lead into contact ("entrar em contato") — then the contact verb. "I asked you to
//! put me through" is the writer's own request again, so a first-person subject right before
//! the verb of telling keeps the request.

use super::{Detector, Table};

/// How many words may carry the instruction to the contact verb: "told *me that I should*".
const BRIDGE_REACH: usize = 5;

/// Words of one language.
struct InstructionWords {
    code: &'static str,
    /// Verbs of telling, asking or advising in forms that are not the writer's own request.
    telling: Table,
    /// Pronouns, complementisers and lead-in verbs between the verb of telling and the
    /// contact verb.
    bridge: Table,
    /// A first-person subject or auxiliary just before the verb of telling: the writer
    /// repeating their own request ("I asked you to …", "j'ai demandé de …").
    writer: Table,
}

#[rustfmt::skip]
const INSTRUCTIONS: &[InstructionWords] = &[
    InstructionWords {
        code: "en",
        telling: &[
            "told", "tells", "telling", "asked", "asks", "said", "says", "saying", "advised",
            "advises", "instructed", "instructs", "recommended", "recommends", "suggested",
            "suggests", "directed", "wants", "wanted", "expects", "expected", "insisted",
            "insists", "reminded", "reminds", "encouraged", "invited", "urged", "urges",
        ],
        bridge: &[
            "me", "us", "you", "him", "her", "them", "to", "that", "i", "we", "should", "must",
            "had", "first", "just", "directly",
        ],
        writer: &["i", "we", "i've", "we've", "ive"],
    },
    InstructionWords {
        code: "pt",
        telling: &[
            "pediu", "pediram", "pede", "pedem", "disse", "disseram", "diz", "dizem", "falou",
            "falaram", "mandou", "mandaram", "orientou", "orientaram", "recomendou",
            "recomendaram", "sugeriu", "sugeriram", "indicou", "indicaram", "informou",
            "informaram", "solicitou", "solicitaram", "instruiu", "instruiram", "orienta",
            "orientam", "recomenda", "recomendam",
        ],
        bridge: &[
            "me", "te", "lhe", "nos", "para", "pra", "que", "eu", "voce", "vc", "voces", "ele",
            "ela", "eles", "elas", "a", "gente", "entrar", "entrasse", "entrassemos", "em",
            "diretamente", "direto", "ir", "tentar", "primeiro",
        ],
        writer: &["eu"],
    },
    InstructionWords {
        code: "es",
        telling: &[
            "dijo", "dijeron", "dice", "dicen", "pidio", "pidieron", "pide", "piden", "mando",
            "mandaron", "recomendo", "recomendaron", "indico", "indicaron", "sugirio",
            "sugirieron", "aconsejo", "aconsejaron", "recomienda", "recomiendan", "indica",
            "indican", "han dicho", "ha dicho", "han pedido", "ha pedido",
        ],
        bridge: &[
            "me", "te", "le", "nos", "les", "que", "para", "yo", "usted", "ud", "tu", "a", "de",
            "directamente", "primero", "ponerme", "ponerse", "poner", "me ponga", "se ponga",
        ],
        writer: &["yo"],
    },
    InstructionWords {
        code: "fr",
        telling: &[
            "dit", "disent", "demande", "demandent", "conseille", "conseillent", "recommande",
            "recommandent", "suggere", "indique", "indiquent", "propose", "invite", "invitent",
            "oriente",
        ],
        bridge: &[
            "m'", "me", "nous", "vous", "t'", "te", "l'", "lui", "leur", "a", "ont", "avait",
            "avaient", "de", "d'", "que", "je", "j'", "dois", "devrais", "directement", "bien",
            "plutot", "d' abord", "abord", "me mettre", "prendre", "entrer",
        ],
        writer: &["je", "j'", "ai", "avons", "nous avons", "on a"],
    },
    InstructionWords {
        code: "it",
        telling: &[
            "detto", "dicono", "dice", "chiesto", "consigliato", "consiglia", "consigliano",
            "suggerito", "indicato", "raccomandato", "invitato", "chiede", "chiedono",
        ],
        bridge: &[
            "mi", "ci", "ti", "gli", "le", "hanno", "ha", "avevano", "aveva", "di", "che", "io",
            "devo", "dovrei", "direttamente", "prima", "mettermi", "mettersi",
        ],
        writer: &["ho", "abbiamo", "io"],
    },
];

impl Detector<'_> {
    /// Whether the contact verb at `v` carries someone else's instruction: a verb of telling
    /// before it, across only bridge words, and not the writer's own.
    pub(super) fn instructed(&self, cs: usize, v: usize) -> bool {
        let Some(words) = INSTRUCTIONS.iter().find(|w| w.code == self.lx.code) else {
            return false;
        };
        let toks = self.toks;
        let mut k = v;
        while k > cs && v - k <= BRIDGE_REACH {
            let tok = toks[k - 1];
            if let Some(tell) = self.ending_at(words.telling, cs, k, false) {
                return !self.writer_before(words, cs, tell);
            }
            if !self.is(words.bridge, tok) {
                return false;
            }
            k -= 1;
        }
        false
    }

    /// "I asked you to …", "j'ai demandé …": a first-person subject or auxiliary just before
    /// the verb of telling (one word may stand between: "I *already* asked").
    fn writer_before(&self, words: &InstructionWords, cs: usize, tell: usize) -> bool {
        (tell.saturating_sub(2).max(cs)..tell)
            .any(|k| self.ending_at(words.writer, cs, k + 1, false).is_some())
    }
}
