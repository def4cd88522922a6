//! The evidence in one message on its own: words, capitals, punctuation and emoji.
//! The conversation around it (repetition, bot failures, earlier turns) is `frustration.rs`'s.

use super::super::Signal;
use super::super::lexicon::LEXICONS as MARKER_LEXICONS;
use super::super::normalize::is_cjk;
use super::chinese;
use super::index::{Index, Kind, Langs, index};

/// A word or phrase of a lexicon found in the message.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub kind: Kind,
    pub langs: Langs,
    pub matched: Matched,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Matched {
    /// Tokens `start..end` of the message.
    Tokens(usize, usize),
    /// A Chinese entry, found by substring.
    Cjk(&'static str),
}

// Weights of one piece of evidence; several of a kind add up with diminishing returns (see
// `combine`). Calibrated together with `DEFAULT_THRESHOLD`.
const STRONG: f32 = 0.8;
const MILD: f32 = 0.48;
const PROFANITY: f32 = 0.42;
const WAITING: f32 = 0.68;
const DONE: f32 = 0.42;
const AGAIN: f32 = 0.28;
const BLAME: f32 = 0.8;
const PUSHBACK: f32 = 0.39;
const ALL_CAPS: f32 = 0.55;
/// Capitals from a contact who wrote earlier messages in capitals too are a habit, not a shout.
const HABITUAL_CAPS_FACTOR: f32 = 0.3;
const NEGATIVE_EMOJI: f32 = 0.55;

/// Capitals count as shouting from this many cased letters, in at least two words.
const CAPS_MIN_LETTERS: usize = 10;
/// The share of upper-case letters that is shouting.
const CAPS_RATIO: f32 = 0.7;
/// How many tokens before a complaint a softening word reaches ("a bit *too* slow").
const DOWNTONER_REACH: usize = 2;
/// "But" must open a message at least this long (in tokens) to be pushback.
const PUSHBACK_MIN_TOKENS: usize = 4;

#[rustfmt::skip]
const ANGRY_EMOJI: &[char] = &[
    '😡', '🤬', '😠', '😤', '🙄', '👎', '😒', '😩', '😫', '💩', '🖕', '😑', '🤦',
];

/// Everything one message says by itself.
pub(super) struct Evidence {
    pub hits: Vec<Hit>,
    /// Share of upper-case letters, when the message is shouted.
    pub caps: Option<f32>,
    /// The longest run of "!" and "?", with its weight.
    pub punctuation: Option<(String, f32)>,
    pub emoji: Option<char>,
    /// Thanks or praise and nothing negative: a calm message, whatever came before.
    pub grateful: bool,
    /// The message says that what was tried did not help (see `Lexicon::unresolved`); weighed
    /// by the conversation, not here.
    pub unresolved: bool,
}

impl Evidence {
    /// Read `raw`, whose normalised form is `norm` and tokens `toks`.
    pub fn of(raw: &str, norm: &str, toks: &[&str]) -> Evidence {
        let index = index();
        let mut hits = Vec::new();
        let mut unresolved = false;
        for i in 0..toks.len() {
            for (entry, n) in index.matches_at(toks, i) {
                let (kind, end) = match entry.kind {
                    Kind::Negator | Kind::NegPass | Kind::Downtoner | Kind::BotFailure => continue,
                    Kind::Unresolved => {
                        unresolved = true;
                        continue;
                    }
                    Kind::Pushback
                        if i > 0 || toks.len() < PUSHBACK_MIN_TOKENS || !in_language(entry.langs, toks) =>
                    {
                        continue;
                    }
                    // "already" and a past verb: "I already restarted it", "já reiniciei".
                    Kind::Already => match done_after(index, toks, i + n, entry.langs) {
                        Some(j) => (Kind::Done, j + 1),
                        None => continue,
                    },
                    kind => (kind, i + n),
                };
                hits.push(Hit { kind, langs: entry.langs, matched: Matched::Tokens(i, end) });
            }
        }
        drop_covered(&mut hits);
        apply_negation(index, toks, &mut hits);
        if norm.chars().any(is_cjk) {
            chinese::scan(norm, &mut hits);
            unresolved |= chinese::is_unresolved(norm);
        }
        let grateful =
            hits.iter().any(|h| h.kind == Kind::Thanks) && !hits.iter().any(|h| is_negative(h.kind));
        // Thanks and praise with capitals or "!!!" are enthusiasm, not anger; "again" and "but"
        // in them are no complaint ("thanks again").
        if grateful {
            hits.retain(|h| !matches!(h.kind, Kind::Again | Kind::Pushback));
        }
        let (caps, punctuation) = if grateful { (None, None) } else { (shouting(raw), punctuation(raw)) };
        let emoji = raw.chars().find(|c| ANGRY_EMOJI.contains(c));
        Evidence { hits, caps, punctuation, emoji, grateful, unresolved }
    }

    /// The combined weight of the message alone, without building the signals.
    pub fn score(&self) -> f32 {
        let mut keep = 1.0;
        self.each(|_, weight, _| keep *= 1.0 - weight);
        1.0 - keep
    }

    /// The message's signals, for display; `habitual_caps` lowers shouting by a contact who
    /// writes in capitals all along.
    pub fn signals(&self, toks: &[&str], habitual_caps: bool, out: &mut Vec<Signal>) {
        self.each(|name, weight, kinds| {
            let (weight, detail) = match name {
                "all_caps" => {
                    let pct = (self.caps.unwrap_or(0.0) * 100.0).round();
                    if habitual_caps {
                        (weight * HABITUAL_CAPS_FACTOR, format!("{pct}% upper case, as in earlier messages"))
                    } else {
                        (weight, format!("{pct}% upper case"))
                    }
                }
                "repeated_punctuation" => {
                    (weight, self.punctuation.as_ref().map(|p| format!("'{}'", p.0)).unwrap_or_default())
                }
                "negative_emoji" => (weight, self.emoji.map(|e| format!("'{e}'")).unwrap_or_default()),
                _ => (weight, self.describe(toks, kinds)),
            };
            out.push(Signal { name, detail, weight });
        });
    }

    /// Calls `f(name, weight, kinds)` for every signal present.
    fn each(&self, mut f: impl FnMut(&'static str, f32, &[Kind])) {
        for (name, kinds) in LEXICAL {
            let weights = self.hits.iter().filter(|h| kinds.contains(&h.kind)).map(|h| kind_weight(h.kind));
            let weight = combine(weights);
            if weight > 0.0 {
                f(name, weight, kinds);
            }
        }
        if self.caps.is_some() {
            f("all_caps", ALL_CAPS, &[]);
        }
        if let Some((_, weight)) = &self.punctuation {
            f("repeated_punctuation", *weight, &[]);
        }
        if self.emoji.is_some() {
            f("negative_emoji", NEGATIVE_EMOJI, &[]);
        }
    }

    /// "'useless' (en), 'ridiculo' (es, pt)": the hits of `kinds`, strongest first.
    fn describe(&self, toks: &[&str], kinds: &[Kind]) -> String {
        let mut hits: Vec<&Hit> = self.hits.iter().filter(|h| kinds.contains(&h.kind)).collect();
        hits.sort_by(|a, b| kind_weight(b.kind).total_cmp(&kind_weight(a.kind)));
        let mut parts: Vec<String> = Vec::new();
        for hit in hits {
            let text = match hit.matched {
                Matched::Tokens(s, e) => toks[s..e].join(" "),
                Matched::Cjk(w) => w.to_owned(),
            };
            let part = format!("'{text}' ({})", hit.langs.codes());
            if !parts.contains(&part) && parts.len() < 3 {
                parts.push(part);
            }
        }
        parts.join(", ")
    }
}

/// The lexical signals and the kinds of hit behind each.
const LEXICAL: [(&str, &[Kind]); 5] = [
    ("negative_words", &[Kind::Strong, Kind::Mild]),
    ("profanity", &[Kind::Profanity]),
    ("waiting_complaint", &[Kind::Waiting, Kind::Done, Kind::Again]),
    ("blame", &[Kind::Blame]),
    ("pushback", &[Kind::Pushback]),
];

fn kind_weight(kind: Kind) -> f32 {
    match kind {
        Kind::Strong => STRONG,
        Kind::Mild => MILD,
        Kind::Profanity => PROFANITY,
        Kind::Waiting => WAITING,
        Kind::Done => DONE,
        Kind::Again => AGAIN,
        Kind::Blame => BLAME,
        Kind::Pushback => PUSHBACK,
        _ => 0.0,
    }
}

fn is_negative(kind: Kind) -> bool {
    matches!(kind, Kind::Strong | Kind::Mild | Kind::Profanity | Kind::Waiting | Kind::Done | Kind::Blame)
}

/// Noisy-or of the weights, strongest first, each further one counting half as much as the
/// one before: three "useless" are more than one, but not three times as much.
pub(super) fn combine(weights: impl Iterator<Item = f32>) -> f32 {
    let mut ws: Vec<f32> = weights.filter(|w| *w > 0.0).collect();
    ws.sort_by(|a, b| b.total_cmp(a));
    let mut keep = 1.0;
    let mut factor = 1.0;
    for w in ws.into_iter().take(4) {
        keep *= 1.0 - w * factor;
        factor *= 0.5;
    }
    1.0 - keep
}

/// Remove hits inside a longer one ("still waiting" is one complaint, not also "still"), and
/// of the complaints found on the same words keep the weightiest ("já disse" is both a phrase
/// of a table and the "already" rule; "schlecht*" and "schlechteste" both match), merging the
/// languages of equal ones ("absurdo" is Spanish, Portuguese and, as "absurd*", Dutch).
fn drop_covered(hits: &mut Vec<Hit>) {
    let span = |h: &Hit| match h.matched {
        Matched::Tokens(s, e) => (s, e),
        Matched::Cjk(_) => (usize::MAX, usize::MAX),
    };
    let mut k = 0;
    while k < hits.len() {
        let (s, e) = span(&hits[k]);
        let longer = hits.iter().any(|h| {
            let (s2, e2) = span(h);
            s2 <= s && e <= e2 && e2 - s2 > e - s && s != usize::MAX
        });
        let rival = (0..hits.len()).find(|&m| {
            m != k
                && span(&hits[m]) == (s, e)
                && s != usize::MAX
                && is_complaint(hits[m].kind)
                && is_complaint(hits[k].kind)
                && (kind_weight(hits[m].kind), std::cmp::Reverse(m))
                    >= (kind_weight(hits[k].kind), std::cmp::Reverse(k))
        });
        if longer {
            hits.remove(k);
        } else if let Some(m) = rival {
            if hits[m].kind == hits[k].kind {
                hits[m].langs.0 |= hits[k].langs.0;
            }
            hits.remove(k);
        } else {
            k += 1;
        }
    }
}

fn is_complaint(kind: Kind) -> bool {
    is_negative(kind) || matches!(kind, Kind::Again | Kind::Pushback)
}

/// The first of the few words after `from`, before any punctuation, that is a past verb.
fn done_after(index: &Index, toks: &[&str], from: usize, langs: Langs) -> Option<usize> {
    (from..toks.len().min(from + 3))
        .take_while(|&j| toks[j].chars().any(char::is_alphanumeric))
        .find(|&j| index.is_done_form(toks[j], langs))
}

/// "Not bad" is not negative, "not helpful" is: a negator just before a negative word (through
/// copulas and intensifiers: "not *that* bad") cancels it, and turns a positive word into a
/// mild complaint. Other positives are dropped.
fn apply_negation(index: &Index, toks: &[&str], hits: &mut Vec<Hit>) {
    hits.retain_mut(|hit| {
        let Matched::Tokens(start, end) = hit.matched else { return true };
        match hit.kind {
            Kind::Strong | Kind::Mild if negator_before(index, toks, start).is_some() => false,
            // "a bit annoying" is a mild complaint, "a bit confusing" none.
            Kind::Strong if downtoned(index, toks, start) => {
                hit.kind = Kind::Mild;
                true
            }
            Kind::Mild => !downtoned(index, toks, start),
            Kind::Strong => true,
            Kind::Positive => match negator_before(index, toks, start) {
                Some(n) => {
                    *hit = Hit { kind: Kind::Mild, langs: hit.langs, matched: Matched::Tokens(n, end) };
                    true
                }
                None => false,
            },
            _ => true,
        }
    });
}

/// Whether a softening word stands among the few tokens before token `i`.
fn downtoned(index: &Index, toks: &[&str], i: usize) -> bool {
    toks[i.saturating_sub(DOWNTONER_REACH)..i].iter().any(|tok| index.is(tok, Kind::Downtoner))
}

/// The token index of a negator whose scope reaches token `i`.
fn negator_before(index: &Index, toks: &[&str], i: usize) -> Option<usize> {
    let mut j = i;
    while j > 0 && i - j < 4 {
        j -= 1;
        if index.is(toks[j], Kind::Negator) {
            return Some(j);
        }
        if !index.is(toks[j], Kind::NegPass) {
            return None;
        }
    }
    None
}

/// Whether the message looks written in one of `langs`, by the explicit-request detector's
/// function words ("mas" opens a Portuguese objection but a Spanish "more …"; "ma" is also
/// French "my").
fn in_language(langs: Langs, toks: &[&str]) -> bool {
    let counts: Vec<usize> =
        MARKER_LEXICONS.iter().map(|lx| toks.iter().filter(|t| lx.markers.contains(t)).count()).collect();
    let best = counts.iter().copied().max().unwrap_or(0);
    // The two lists are in the same order (a test checks it). A tie is no evidence.
    let mut leaders = counts.iter().enumerate().filter(|(_, c)| **c == best);
    match (leaders.next(), leaders.next()) {
        (Some((i, _)), None) => best > 0 && langs.0 & (1 << i) != 0,
        _ => false,
    }
}

/// The share of upper-case letters when the message is shouted. Only words made of letters
/// count, so codes, e-mail addresses and placeholders ("AB12C", "#NAME#") do not; a shouted
/// message needs [`CAPS_MIN_LETTERS`] cased letters in at least two all-capital words, which
/// leaves out an acronym in a normal sentence ("my PIN is blocked").
pub(super) fn shouting(raw: &str) -> Option<f32> {
    // Two all-capital words hold at least four capitals: most lines have fewer, and are
    // answered without reading them word by word.
    raw.chars().filter(|c| c.is_uppercase()).nth(3)?;
    let (mut upper, mut lower, mut shouted) = (0usize, 0usize, 0usize);
    for word in raw.split_whitespace() {
        let word = word.trim_matches(|c: char| TRIM.contains(&c));
        if word.is_empty() || !word.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-')) {
            continue;
        }
        let u = word.chars().filter(|c| c.is_uppercase()).count();
        let l = word.chars().filter(|c| c.is_lowercase()).count();
        upper += u;
        lower += l;
        if u >= 2 && l == 0 {
            shouted += 1;
        }
    }
    let cased = upper + lower;
    let ratio = upper as f32 / cased.max(1) as f32;
    (cased >= CAPS_MIN_LETTERS && shouted >= 2 && ratio >= CAPS_RATIO).then_some(ratio)
}

const TRIM: &[char] = &[
    '.', ',', '!', '?', ';', ':', '"', '\'', '(', ')', '[', ']', '«', '»', '¿', '¡', '…', '*', '“', '”', '‘',
    '’', '！', '？', '，', '。',
];

/// The weightiest run of "!" / "?" and its weight: "?!" or three marks 0.48, "??" 0.28, "!!"
/// 0.16; a single mark nothing.
fn punctuation(raw: &str) -> Option<(String, f32)> {
    let mut best: Option<(String, f32)> = None;
    let mut run = String::new();
    for c in raw.chars().chain([' ']) {
        if matches!(c, '!' | '?' | '！' | '？') {
            run.push(c);
            continue;
        }
        let marks = run.chars().count();
        if marks >= 2 {
            let mixed = run.contains(['!', '！']) && run.contains(['?', '？']);
            let weight = match (marks, mixed) {
                (_, true) | (3.., _) => 0.48,
                _ if run.contains(['?', '？']) => 0.28,
                _ => 0.16,
            };
            if best.as_ref().is_none_or(|(_, w)| weight > *w) {
                best = Some((run.clone(), weight));
            }
        }
        run.clear();
    }
    best
}
