//! Accepting the bot's offer of a person: after "Shall I connect you with an advisor?", a
//! plain "yes please" asks for a human as clearly as "let me talk to an advisor" does.
//!
//! Two halves, both strict:
//! - the contact's reply must be short, hold a word of assent ("yes", "please", "connect")
//!   and be made *only* of words of assent, politeness, articles, verbs of putting through
//!   ("connect me", "go ahead") and helper nouns ("the advisor please"). Any other word — a
//!   negation ("no thanks", "not yet"), the other option of a choice ("the FAQ please"), a new
//!   subject — makes it something else, so no table of refusals is needed. "Thanks" alone is
//!   no assent: it may close the chat;
//! - the bot's last line must offer a person: a question (or "if you like") holding a verb of
//!   putting through or contact ("transfer", "verbinden", "mettre en relation", "转接") with a
//!   helper noun in the line or "you" right next to the verb ("Shall I connect you?"). A
//!   question about something else ("is your router connected?", "would you like to see the
//!   prices?") offers no person.
//!
//! The reply is read first: most messages fail there, and the bot's line is then never read.

use super::super::context::{Line, Speaker};
use super::super::lexicon::{LEXICONS, Lexicon};
use super::super::normalize::{is_cjk, normalize, tokenize};
use super::matching::{contains, is_sentence_break, segments};
use super::{Detector, Span, Table, likely_lexicons};

/// The contact accepted the bot's offer of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedOffer {
    /// ISO 639-1 code of the reply's language.
    pub language: &'static str,
    /// The words of the bot's line that offered the person, normalised.
    pub offer: String,
}

/// The longest reply read as an acceptance, in words: a longer one says something more.
const MAX_REPLY_WORDS: usize = 9;
/// Longer texts are not even read as a reply: nine words fit well under this.
const MAX_REPLY_BYTES: usize = 120;
/// The longest Chinese reply read as an acceptance, in characters.
const MAX_REPLY_CHARS_ZH: usize = 10;
/// The most words shown of the offer.
const MAX_OFFER_WORDS: usize = 7;

/// Whether `text` accepts an offer of a person made in the bot's last line of `earlier`.
pub fn accepted_offer(earlier: &[Line], text: &str) -> Option<AcceptedOffer> {
    let last = earlier.last().filter(|line| line.speaker == Speaker::Bot)?;
    // A long message says more than yes: not worth normalising.
    if text.len() > MAX_REPLY_BYTES || text.split_whitespace().nth(MAX_REPLY_WORDS).is_some() {
        return None;
    }
    let reply = normalize(text);
    if reply.chars().any(is_cjk) {
        if !accepts_zh(&reply) {
            return None;
        }
        let offer = offer_zh(&normalize(last.text))?;
        return Some(AcceptedOffer { language: "zh", offer });
    }
    let tokens = tokenize(&reply);
    let language = accepting_language(&tokens)?;
    let offer = offered_person(&normalize(last.text))?;
    Some(AcceptedOffer { language, offer })
}

/// Words a short acceptance is made of, for one language.
struct AcceptWords {
    code: &'static str,
    /// Words that accept on their own: "yes", "sure", "go ahead", "connect me".
    assent: Table,
    /// Words that may stand around them but accept nothing alone: "thanks", "me", "then"
    /// (besides the lexicon's articles and single words of politeness: "asap", "now").
    neutral: Table,
}

#[rustfmt::skip]
const ACCEPT: &[AcceptWords] = &[
    AcceptWords {
        code: "en",
        assent: &[
            "yes", "yeah", "yea", "yep", "yup", "ya", "yah", "sure", "ok", "okay", "k", "kk",
            "alright",
            "absolutely", "definitely", "certainly", "please", "pls", "plz", "go", "ahead",
            "proceed",
            "connect", "transfer", "put", "through", "hand", "pass", "escalate", "do", "course",
            "sounds", "perfect", "great", "lovely", "deal",
        ],
        neutral: &[
            "and", "then", "me", "it", "that", "this", "over", "now", "thanks", "thank", "you",
            "ty",
            "cheers", "would", "be", "good", "i", "i'd", "like", "love", "of", "on", "the", "a",
            "an",
            "to", "let's", "lets", "fine", "by", "that's", "thats", "so", "much", "just", "right",
            "for", "thing", "them", "him", "her", "there",
        ],
    },
    AcceptWords {
        code: "es",
        assent: &[
            "si", "sip", "claro", "vale", "ok", "okey", "dale", "venga", "adelante", "perfecto",
            "porfa", "porfavor", "favor", "acuerdo", "supuesto", "pasame", "paseme", "conectame",
            "transfiereme", "comunicame", "hazlo", "hagalo", "quiero", "genial", "bueno",
        ],
        neutral: &[
            "por", "gracias", "muchas", "de", "me", "te", "lo", "con", "el", "la", "un", "una",
            "ya",
            "ahora", "pues", "entonces", "y", "eso", "seria", "estupendo", "que",
        ],
    },
    AcceptWords {
        code: "fr",
        assent: &[
            "oui", "ouais", "ok", "okay", "accord", "daccord", "volontiers", "svp", "stp", "allez",
            "parfait", "carrement", "absolument", "evidemment", "transferez", "transfere", "mettez",
            "passez", "allons", "vas", "bien", "sur", "plaisir",
        ],
        neutral: &[
            "d'", "merci", "s'", "il", "vous", "te", "plait", "je", "veux", "y", "moi", "en",
            "relation", "le", "la", "l'", "un", "une", "avec", "c'est", "ce", "serait",
            "super", "top", "alors", "et", "maintenant", "beaucoup", "go",
        ],
    },
    AcceptWords {
        code: "de",
        assent: &[
            "ja", "jap", "jo", "jawohl", "gerne", "gern", "bitte", "ok", "okay", "klar",
            "naturlich",
            "unbedingt", "verbinden", "verbinde", "verbindet", "durchstellen", "stellen", "stell",
            "weiterleiten", "leiten", "geben", "gib", "einverstanden", "genau", "perfekt", "los",
        ],
        neutral: &[
            "sie", "mich", "mir", "durch", "weiter", "danke", "das", "mal", "doch", "dann", "jetzt",
            "sofort", "gut", "sehr", "super", "auf", "jeden", "fall", "und", "machen", "mach",
            "den", "die", "der", "einen", "eine", "ein", "mit", "dem", "schon", "gleich", "klingt",
        ],
    },
    AcceptWords {
        code: "pt",
        assent: &[
            "sim", "claro", "ok", "okay", "pode", "podes", "quero", "isso", "certo", "beleza",
            "blz",
            "favor", "pf", "pfv", "transfere", "transfira", "transferir", "encaminha", "encaminhe",
            "encaminhar", "bora", "fechado", "perfeito", "certeza", "manda", "passa",
        ],
        neutral: &[
            "por", "obrigado", "obrigada", "obg", "brigado", "valeu", "me", "ser", "com", "o", "a",
            "um", "uma", "pra", "para", "agora", "ja", "entao", "e", "otimo", "vai", "la",
        ],
    },
    AcceptWords {
        code: "it",
        assent: &[
            "si", "certo", "ok", "okay", "favore", "perfetto", "accordo", "volentieri", "procedi",
            "procedere", "passami", "trasferiscimi", "trasferisci", "inoltra", "mettimi", "metti",
            "sicuro", "certamente", "assolutamente", "fallo", "vai", "pure", "ottimo", "collegami",
        ],
        neutral: &[
            "per", "grazie", "mille", "d'", "in", "contatto", "dai", "ora", "adesso", "subito",
            "con",
            "un", "una", "il", "lo", "la", "l'", "mi", "me", "allora", "e", "va", "bene",
        ],
    },
    AcceptWords {
        code: "nl",
        assent: &[
            "ja", "jazeker", "graag", "ok", "oke", "okay", "prima", "zeker", "doe", "verbind",
            "alsjeblieft", "alstublieft", "aub",
            "verbinden", "doorverbinden", "natuurlijk", "uiteraard", "akkoord", "top", "goed",
        ],
        neutral: &[
            "maar", "svp", "dank", "je", "u", "bedankt", "dat",
            "is", "me", "mij", "door", "nu", "dan", "fijn", "super", "lijkt", "mee", "met", "een",
            "de", "het", "wel", "hoor",
        ],
    },
];

/// The language whose acceptance words make up the whole reply, if any.
fn accepting_language(tokens: &[&str]) -> Option<&'static str> {
    let words = tokens.iter().filter(|t| t.chars().any(char::is_alphanumeric)).count();
    if words == 0 || words > MAX_REPLY_WORDS {
        return None;
    }
    ACCEPT.iter().find_map(|accept| {
        let lexicon = LEXICONS.iter().find(|l| l.code == accept.code)?;
        accepts(accept, lexicon, tokens).then_some(accept.code)
    })
}

/// Whether every word of the reply is one of `accept`'s or a helper of `lexicon` ("the
/// advisor please"), and one of them accepts.
fn accepts(accept: &AcceptWords, lexicon: &'static Lexicon, tokens: &[&str]) -> bool {
    // A reply without a word of assent ("yes", "please", "connect") accepts nothing; checked
    // first, since it is cheap and most messages fail it.
    if !tokens.iter().any(|t| contains(accept.assent, t)) {
        return false;
    }
    let detector = Detector { lx: lexicon, toks: tokens, in_language: true, names: &[], named_before: false };
    let mut assent = false;
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        // The cheap tables first: most replies are decided by them.
        if contains(accept.assent, tok) {
            assent = true;
        } else if !tok.chars().any(char::is_alphanumeric)
            || [accept.neutral, lexicon.articles, lexicon.please, lexicon.upgraders]
                .iter()
                .any(|table| contains(table, tok))
        {
            // stands around the acceptance
        } else if let Some(mention) = detector.mention_at((0, tokens.len()), i).filter(|m| !m.typo) {
            assent = true;
            i = mention.end.max(i + 1);
            continue;
        } else {
            return false;
        }
        i += 1;
    }
    assent
}

/// The beginnings of verbs that put a contact through to someone or let them talk: in a
/// question with a helper noun or "you" next to them, they offer a person. A `*` ends a stem
/// that any longer word may continue; other entries are whole words (English "passed" is a
/// report, not an offer).
#[rustfmt::skip]
const OFFER_VERBS: Table = &[
    // en
    "transfer", "transferring", "connect", "connecting", "escalate", "escalating", "forward",
    "refer", "speak", "talk", "chat", "callback", "contact",
    // es
    "transf*", "pasar*", "deriv*", "conect*", "comunic*", "contacto", "contactar*",
    "hablar", "atienda", "atender*", "escalar*",
    // fr
    "relation", "rappel*", "recontact*", "contacter", "transmet*", "transmett*", "parler", "passer",
    "joindre", "orienter",
    // de
    "verbind*", "verbunden", "weiterleit*", "weitergeleit*", "weiterverbind*", "durchstell*",
    "weitergeb*", "sprechen", "ruckruf*", "zuruckruf*", "ubergeb*", "kontakt*",
    // nl
    "doorverbind*", "doorverbonden", "doorzet*", "doorsturen", "doorgeven", "spreken", "terugbel*",
    "contact",
    // it
    "trasfer*", "passar*", "contatto", "inoltr*", "parlare", "richiam*",
    "ricontatt*", "collegar*",
    // pt
    "encaminh*", "contato", "falar", "chame", "chamar", "ligar", "atendido",
];

/// Verbs with other common senses, an offer only with "you" next to them: "put you through",
/// "hand you over", "pass you to", "te paso con", "ti passo".
#[rustfmt::skip]
const OFFER_VERBS_WITH_YOU: Table = &[
    "put", "putting", "hand", "handing", "pass", "passing", "paso", "pase",
    "passi", "passo", "passe", "passer", "geben", "stellen",
];

/// "you" next to an offer verb: "connect you", "Sie verbinden", "te paso", "ti trasferisca".
#[rustfmt::skip]
const YOU: Table = &[
    "you", "sie", "dich", "ihnen", "je", "u", "jou", "vous", "te", "le", "ti", "la", "voce", "lhe",
];

/// Romance clitics glued to an offer verb: "transferirte", "passarti", "derivarle".
const YOU_CLITICS: &[&str] = &["te", "le", "ti", "la", "lo"];

/// Words that make a statement an offer: "if you like …", "si lo prefieres …".
#[rustfmt::skip]
const CONDITIONAL: Table = &["if", "si", "se", "wenn", "falls", "als", "desejar", "preferir"];

/// The words of the offer of a person in the bot's line `norm`, if it makes one: an offer verb
/// with "you" next to it or a helper noun near it, in a sentence that asks or offers ("…?",
/// "if you like …") or is followed by a short question ("Shall I?", "Deseja?").
fn offered_person(norm: &str) -> Option<String> {
    let tokens = tokenize(norm);
    let sentences: Vec<Span> = segments(&tokens, 0, tokens.len(), is_sentence_break).collect();
    let helpers = helper_positions(&tokens);
    sentences.iter().enumerate().find_map(|(n, &(start, end))| {
        let asks = |(_, e): Span| tokens.get(e).is_some_and(|t| *t == "?");
        let offers = asks((start, end))
            || tokens[start..end].iter().any(|t| contains(CONDITIONAL, t))
            || sentences.get(n + 1).is_some_and(|&(s, e)| asks((s, e)) && e - s <= SHORT_QUESTION);
        if !offers {
            return None;
        }
        let verb = (start..end).find(|&i| {
            let near_helper = helpers.iter().any(|&h| h >= start && h < end && h.abs_diff(i) <= HELPER_REACH);
            let (plain, with_you) =
                (is_offer_verb(OFFER_VERBS, tokens[i]), is_offer_verb(OFFER_VERBS_WITH_YOU, tokens[i]));
            (plain || with_you) && (near_you(&tokens, i) || (plain && near_helper))
        })?;
        Some(tokens[verb..end.min(verb + MAX_OFFER_WORDS)].join(" "))
    })
}

/// The most words of a question after the offer that still asks about it ("Which would you like?").
const SHORT_QUESTION: usize = 5;
/// The most words between an offer verb and the helper it offers ("transfer you to one of our advisors").
const HELPER_REACH: usize = 6;

/// "connect you", "Sie verbinden", "transferirte".
fn near_you(tokens: &[&str], verb: usize) -> bool {
    (verb > 0 && contains(YOU, tokens[verb - 1]))
        || tokens.get(verb + 1).is_some_and(|t| contains(YOU, t))
        || YOU_CLITICS.iter().any(|c| tokens[verb].len() > c.len() + 3 && tokens[verb].ends_with(c))
}

fn is_offer_verb(table: Table, tok: &str) -> bool {
    table.iter().any(|entry| match entry.strip_suffix('*') {
        Some(stem) => tok.starts_with(stem),
        None => *entry == tok,
    })
}

/// Where the bot's line names a human helper, in its likely languages.
fn helper_positions(tokens: &[&str]) -> Vec<usize> {
    let (lexicons, in_language) = likely_lexicons(tokens);
    let mut found = Vec::new();
    for lexicon in lexicons {
        let detector = Detector { lx: lexicon, toks: tokens, in_language, names: &[], named_before: false };
        found.extend(
            (0..tokens.len()).filter(|&i| detector.mention_at((0, tokens.len()), i).is_some_and(|m| !m.name)),
        );
    }
    found
}

/// Chinese words of assent, matched greedily from the start of the reply.
#[rustfmt::skip]
const ZH_ASSENT: &[&str] = &[
    "好的", "好啊", "好吧", "好", "可以", "行", "嗯嗯", "嗯", "是的", "是", "对", "要", "需要",
    "麻烦", "转吧", "转", "人工", "客服", "帮我", "请", "谢谢", "了", "你", "吧", "啊", "呀", "的",
    "一下", "快", "ok",
];
/// Of those, the ones that accept nothing alone.
const ZH_NEUTRAL: &[&str] = &["谢谢", "了", "你", "吧", "啊", "呀", "的", "一下", "快", "请", "帮我"];
/// Characters of refusal: "不用", "没事", "别转", "算了".
const ZH_REFUSAL: &[char] = &['不', '没', '别', '甭', '算'];

/// Whether a Chinese reply is only words of assent.
fn accepts_zh(norm: &str) -> bool {
    let text: String = norm.chars().filter(|c| c.is_alphanumeric()).collect();
    if text.is_empty() || text.chars().count() > MAX_REPLY_CHARS_ZH || text.contains(ZH_REFUSAL) {
        return false;
    }
    let mut rest = text.as_str();
    let mut assent = false;
    while !rest.is_empty() {
        let Some(word) = ZH_ASSENT.iter().find(|w| rest.starts_with(**w)) else { return false };
        assent |= !ZH_NEUTRAL.contains(word);
        rest = &rest[word.len()..];
    }
    assent
}

/// Chinese offers of a person: "需要为您转接人工客服吗？".
const ZH_OFFER_WORDS: &[&str] = &["转接", "转人工", "人工", "专员", "工作人员", "客服"];
const ZH_QUESTION: &[&str] = &["?", "吗", "是否", "如需", "需要", "可以为您", "要不要"];

fn offer_zh(norm: &str) -> Option<String> {
    let word = ZH_OFFER_WORDS.iter().find(|w| norm.contains(**w))?;
    ZH_QUESTION.iter().any(|q| norm.contains(q)).then(|| (*word).to_owned())
}
