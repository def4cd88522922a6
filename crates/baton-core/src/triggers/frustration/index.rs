//! Every table of every [`Lexicon`], normalised once and keyed by its first word, so that a
//! message is matched with one or two hash look-ups per token instead of a scan of the tables.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::super::normalize::{normalize, tokenize};
use super::lexicon::{LEXICONS, Lexicon};

/// What an entry says about the message (see the fields of [`Lexicon`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Strong,
    Mild,
    Profanity,
    Waiting,
    Again,
    Blame,
    Positive,
    Thanks,
    Negator,
    Downtoner,
    NegPass,
    Pushback,
    Already,
    /// Not in any table: "already" followed by a past verb (see `done_forms`).
    Done,
    BotFailure,
    Unresolved,
}

/// The languages whose tables hold an entry: bit `i` is `LEXICONS[i]`, bit 7 is Chinese.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Langs(pub u8);

impl Langs {
    pub const ZH: Langs = Langs(1 << 7);

    /// "es, pt" for display.
    pub fn codes(self) -> String {
        let codes = LEXICONS.iter().map(|lx| lx.code).chain(["zh"]);
        let mut out = String::new();
        for (i, code) in codes.enumerate() {
            if self.0 & (1 << i) != 0 {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(code);
            }
        }
        out
    }
}

/// One phrase of one table.
pub(super) struct Entry {
    words: Vec<Word>,
    pub kind: Kind,
    pub langs: Langs,
}

struct Word {
    text: String,
    /// Written with a trailing `*`: matches any token starting with `text`.
    stem: bool,
}

impl Entry {
    /// The number of tokens the entry covers when it matches from token `i`.
    fn len_at(&self, toks: &[&str], i: usize) -> Option<usize> {
        for (k, word) in self.words.iter().enumerate() {
            let tok = toks.get(i + k)?;
            let ok = if word.stem { tok.starts_with(word.text.as_str()) } else { *tok == word.text };
            if !ok {
                return None;
            }
        }
        Some(self.words.len())
    }
}

/// Stems are keyed by their first bytes; a stem must be at least this long.
pub(super) const STEM_KEY: usize = 3;

pub(super) struct Index {
    words: Map,
    stems: Map,
    /// Per lexicon, the shapes of its past verbs (`done_forms`).
    done: Vec<Vec<Shape>>,
}

/// A word shape: `prefix*suffix` with at least two letters for the `*`, or an exact word.
struct Shape {
    prefix: String,
    suffix: String,
    exact: bool,
}

impl Shape {
    fn parse(pattern: &str) -> Shape {
        match pattern.split_once('*') {
            Some((prefix, suffix)) => {
                Shape { prefix: normalize(prefix), suffix: normalize(suffix), exact: false }
            }
            None => Shape { prefix: normalize(pattern), suffix: String::new(), exact: true },
        }
    }

    fn matches(&self, tok: &str) -> bool {
        if self.exact {
            return tok == self.prefix;
        }
        tok.len() >= self.prefix.len() + self.suffix.len() + 2
            && tok.starts_with(self.prefix.as_str())
            && tok.ends_with(self.suffix.as_str())
    }
}

type Map = HashMap<String, Vec<Entry>, BuildHasherDefault<Fx>>;

/// The index, built on first use from the `const` tables.
pub(super) fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

impl Index {
    /// Every entry matching the tokens from `i`, with the number of tokens it covers.
    pub fn matches_at<'a>(&'a self, toks: &'a [&str], i: usize) -> impl Iterator<Item = (&'a Entry, usize)> {
        let tok = toks[i];
        let exact = self.words.get(tok).into_iter().flatten();
        let stems = tok.get(..STEM_KEY).and_then(|key| self.stems.get(key)).into_iter().flatten();
        exact.chain(stems).filter_map(move |e| e.len_at(toks, i).map(|n| (e, n)))
    }

    /// Whether `tok` has the shape of a past verb in one of `langs` ("restarted", "tentei").
    pub fn is_done_form(&self, tok: &str, langs: Langs) -> bool {
        self.done
            .iter()
            .enumerate()
            .any(|(bit, shapes)| langs.0 & (1 << bit) != 0 && shapes.iter().any(|s| s.matches(tok)))
    }

    /// Whether the single token `tok` is an entry of `kind` in some language.
    pub fn is(&self, tok: &str, kind: Kind) -> bool {
        self.words.get(tok).is_some_and(|es| es.iter().any(|e| e.kind == kind && e.words.len() == 1))
    }
}

fn build() -> Index {
    let done = LEXICONS.iter().map(|lx| lx.done_forms.iter().map(|p| Shape::parse(p)).collect()).collect();
    let mut index = Index { words: Map::default(), stems: Map::default(), done };
    for (bit, lexicon) in LEXICONS.iter().enumerate() {
        for (kind, table) in tables(lexicon) {
            for phrase in table {
                index.insert(parse(phrase), kind, Langs(1 << bit));
            }
        }
    }
    index
}

fn tables(lx: &Lexicon) -> [(Kind, &'static [&'static str]); 15] {
    [
        (Kind::Strong, lx.strong),
        (Kind::Mild, lx.mild),
        (Kind::Profanity, lx.profanity),
        (Kind::Waiting, lx.waiting),
        (Kind::Again, lx.again),
        (Kind::Blame, lx.blame),
        (Kind::Positive, lx.positive),
        (Kind::Thanks, lx.thanks),
        (Kind::Negator, lx.negators),
        (Kind::Downtoner, lx.downtoners),
        (Kind::NegPass, lx.neg_pass),
        (Kind::Pushback, lx.pushback),
        (Kind::Already, lx.already),
        (Kind::BotFailure, lx.bot_failure),
        (Kind::Unresolved, lx.unresolved),
    ]
}

impl Index {
    fn insert(&mut self, words: Vec<Word>, kind: Kind, langs: Langs) {
        let Some(first) = words.first() else { return };
        let (map, key) = if first.stem {
            (&mut self.stems, first.text.get(..STEM_KEY).unwrap_or(&first.text).to_owned())
        } else {
            (&mut self.words, first.text.clone())
        };
        let entries = map.entry(key).or_default();
        let same = |e: &&mut Entry| {
            e.kind == kind
                && e.words.len() == words.len()
                && e.words.iter().zip(&words).all(|(a, b)| a.text == b.text && a.stem == b.stem)
        };
        match entries.iter_mut().find(same) {
            Some(entry) => entry.langs.0 |= langs.0,
            None => entries.push(Entry { words, kind, langs }),
        }
    }
}

/// An entry's words, normalised and split exactly as a message is ("j'en ai marre" → "j'",
/// "en", "ai", "marre"); a trailing `*` marks the last word as a stem.
fn parse(phrase: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for raw in phrase.split(' ') {
        let (raw, stem) = raw.strip_suffix('*').map_or((raw, false), |r| (r, true));
        let norm = normalize(raw);
        let toks = tokenize(&norm);
        let last = toks.len().saturating_sub(1);
        words.extend(
            toks.iter().enumerate().map(|(k, t)| Word { text: (*t).to_owned(), stem: stem && k == last }),
        );
    }
    words
}

/// A small multiplicative hash (as in rustc's FxHash): the keys are short words, for which
/// the default SipHash costs more than the rest of a look-up.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
pub(super) fn all_stems() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for lexicon in LEXICONS {
        for (_, table) in tables(lexicon) {
            for phrase in table {
                for word in parse(phrase).into_iter().filter(|w| w.stem) {
                    out.push((word.text, lexicon.code));
                }
            }
        }
    }
    out
}
