//! Matching tokens against lexicon tables, with the typo rule, and splitting into clauses.

use super::{Detector, Span, Table};

impl Detector<'_> {
    pub(super) fn is(&self, table: Table, tok: &str) -> bool {
        contains(table, tok)
    }

    /// The longest entry of `table` matching the tokens from `i` (never past `limit`), and
    /// whether a typo was forgiven to match it.
    pub(super) fn match_at(
        &self,
        table: Table,
        i: usize,
        limit: usize,
        fuzzy: bool,
    ) -> Option<(usize, bool)> {
        let limit = limit.min(self.toks.len());
        let first = self.toks.get(i).filter(|_| i < limit).map(|t| t.as_bytes())?;
        let mut best: Option<(usize, bool)> = None;
        let index = index_of(table);
        let typo_possible = fuzzy && first.len() >= MIN_TYPO_TOKEN;
        for &Indexed { entry, first_word } in index.candidates(first, fuzzy).into_iter().flatten() {
            // Most entries cannot match: rejected on the length of their first word and on
            // its first byte before any comparing (see `could_start`).
            let lengths_fit = first_word == 0
                || usize::from(first_word) == first.len()
                || (typo_possible
                    && first_word >= MIN_TYPO_WORD
                    && usize::from(first_word).abs_diff(first.len()) == 1);
            if !lengths_fit || !could_start(entry.as_bytes(), first, fuzzy) {
                continue;
            }
            // Longest wins; at equal length an exact spelling beats a typo ("agents" is an
            // entry of its own, not a misspelt "agent").
            if let Some((n, typo)) = self.entry_at(entry, i, limit, fuzzy)
                && best.is_none_or(|(b, b_typo)| n > b || (n == b && b_typo && !typo))
            {
                best = Some((n, typo));
            }
        }
        best
    }

    /// Start of the longest entry of `table` ending just before token `end`, not before `from`.
    pub(super) fn ending_at(&self, table: Table, from: usize, end: usize, fuzzy: bool) -> Option<usize> {
        let mut best: Option<usize> = None;
        let last = end.checked_sub(1).and_then(|k| self.toks.get(k)).map(|t| t.as_bytes())?;
        for entry in index_of(table).ending_with(last, fuzzy).into_iter().flatten() {
            // The entry's last word must be able to match the last token: most are rejected
            // here, before their words are counted.
            let bytes = entry.as_bytes();
            let last_word = bytes.iter().rposition(|b| *b == b' ').map_or(bytes, |k| &bytes[k + 1..]);
            if !could_start(last_word, last, fuzzy) {
                continue;
            }
            let words = entry.bytes().filter(|b| *b == b' ').count() + 1;
            let Some(start) = end.checked_sub(words).filter(|s| *s >= from) else {
                continue;
            };
            if self.entry_at(entry, start, end, fuzzy).is_some() && best.is_none_or(|b| start < b) {
                best = Some(start);
            }
        }
        best
    }

    /// Whether all words of `entry` match the tokens from `i` (never past `limit`): the number
    /// of tokens and whether a typo was forgiven. Scanned by hand, without allocating or
    /// splitting, because this is the detector's inner loop.
    fn entry_at(&self, entry: &str, i: usize, limit: usize, fuzzy: bool) -> Option<(usize, bool)> {
        let mut rest = entry;
        let mut k = i;
        let mut typo = false;
        while !rest.is_empty() {
            let tok = self.toks[..limit].get(k)?;
            let (after, t) = self.strip_word(rest, tok, fuzzy)?;
            rest = after;
            typo |= t;
            k += 1;
        }
        Some((k - i, typo))
    }

    /// If the first word of `words` matches `tok` — exactly, as a `*suffix` of a compound, or
    /// (when `fuzzy`) one edit away with at least 5 letters typed — the words after it, and
    /// whether a typo was forgiven.
    fn strip_word<'e>(&self, words: &'e str, tok: &str, fuzzy: bool) -> Option<(&'e str, bool)> {
        let (w, t) = (words.as_bytes(), tok.as_bytes());
        let rest_from = |end: usize| words.get(end + 1..).unwrap_or("");
        // Most entries differ from the token in the first byte: reject those before comparing.
        if w[0] == t[0] && w.starts_with(t) && w.get(t.len()).is_none_or(|b| *b == b' ') {
            return Some((rest_from(t.len()), false));
        }
        if w[0] != b'*' && (!fuzzy || t.len() < MIN_TYPO_TOKEN) {
            return None;
        }
        // A typo keeps the first letter, or drops it, or swaps it with the second: other
        // entries cannot be one edit away, and most are rejected here without comparing.
        let near_start = w[0] == t[0] || w.get(1) == t.first() || t.get(1) == w.first();
        if w[0] != b'*' && !near_start {
            return None;
        }
        let end = words.find(' ').unwrap_or(words.len());
        let word = &w[..end];
        if let Some(suffix) = word.strip_prefix(b"*") {
            let compound = t.len() > suffix.len() + 2 && t.ends_with(suffix);
            return compound.then(|| (rest_from(end), false));
        }
        // A frequent function word of the language is spelled as meant: "algún" is not a
        // misspelt "alguno" (someone).
        let typo = word.len() >= usize::from(MIN_TYPO_WORD)
            && one_edit_apart(t, word)
            && !self.is(self.lx.not_typos, tok)
            && !self.is(self.lx.markers, tok);
        typo.then(|| (rest_from(end), true))
    }
}

/// A typo is forgiven only in a token of at least this many bytes…
const MIN_TYPO_TOKEN: usize = 5;
/// …and for a word of the table of at least this many.
const MIN_TYPO_WORD: u8 = 4;

/// An entry of a table with the length of its first word (0 for a compound suffix, `*…`,
/// which matches the end of a token of any length), so that most entries are rejected on a
/// length before their letters are compared.
#[derive(Clone, Copy)]
struct Indexed {
    entry: &'static str,
    first_word: u8,
}

impl Indexed {
    fn new(entry: &'static str) -> Self {
        let first_word = if entry.starts_with('*') {
            0
        } else {
            // Longer words cannot be one edit from a token the detector compares either way.
            entry.find(' ').unwrap_or(entry.len()).min(usize::from(u8::MAX)) as u8
        };
        Self { entry, first_word }
    }
}

/// A table's entries by the first and second byte of their first word, so that a lookup reads
/// only the entries that could start at a token rather than the whole table, and by the first
/// byte of their last word, for the entries that could end at a token.
struct TableIndex {
    by_first: Vec<Vec<Indexed>>,
    by_second: Vec<Vec<Indexed>>,
    by_last: Vec<Vec<&'static str>>,
    by_last_second: Vec<Vec<&'static str>>,
    /// Compound suffixes (`*…`): they match whatever a token starts with.
    suffixes: Vec<Indexed>,
    /// Small tables are scanned whole: indexing them costs more than it saves.
    all: Option<(Table, Vec<Indexed>)>,
}

/// Tables with fewer entries are scanned whole.
const INDEXED_FROM: usize = 24;

impl TableIndex {
    fn new(table: Table) -> Self {
        let mut index = Self {
            by_first: vec![Vec::new(); 256],
            by_second: vec![Vec::new(); 256],
            by_last: vec![Vec::new(); 256],
            by_last_second: vec![Vec::new(); 256],
            suffixes: Vec::new(),
            all: (table.len() < INDEXED_FROM)
                .then(|| (table, table.iter().map(|entry| Indexed::new(entry)).collect())),
        };
        if index.all.is_none() {
            for entry in table {
                let bytes = entry.as_bytes();
                let last_word = bytes.iter().rposition(|b| *b == b' ').map_or(bytes, |k| &bytes[k + 1..]);
                if let Some(last) = last_word.first() {
                    index.by_last[usize::from(*last)].push(entry);
                }
                if let Some(second) = last_word.get(1) {
                    index.by_last_second[usize::from(*second)].push(entry);
                }
                match bytes.first() {
                    Some(b'*') => index.suffixes.push(Indexed::new(entry)),
                    Some(first) => {
                        index.by_first[usize::from(*first)].push(Indexed::new(entry));
                        if let Some(second) = bytes.get(1) {
                            index.by_second[usize::from(*second)].push(Indexed::new(entry));
                        }
                    }
                    None => {}
                }
            }
        }
        index
    }

    /// The entries that could match at a token starting with `tok`, in up to four runs: those
    /// sharing its first byte and the compound suffixes, and for a typo those starting with its
    /// second byte or whose second byte is its first (a dropped or swapped first letter). An
    /// entry may come twice; matching is idempotent.
    fn candidates(&self, tok: &[u8], fuzzy: bool) -> [&[Indexed]; 4] {
        if let Some((_, all)) = &self.all {
            return [all, &[], &[], &[]];
        }
        let first = usize::from(tok[0]);
        let exact = [&self.by_first[first][..], &self.suffixes[..]];
        if !fuzzy || tok.len() < MIN_TYPO_TOKEN {
            return [exact[0], exact[1], &[], &[]];
        }
        let second = tok.get(1).map_or(&[][..], |b| &self.by_first[usize::from(*b)][..]);
        [exact[0], exact[1], second, &self.by_second[first][..]]
    }

    /// The entries whose last word could match a token starting with `tok`: the same runs as
    /// [`candidates`](Self::candidates), by last word. Compound suffixes (`*…`) as last words
    /// are read from the run of `*`.
    fn ending_with(&self, tok: &[u8], fuzzy: bool) -> [&[&'static str]; 4] {
        if let Some((table, _)) = self.all {
            return [table, &[], &[], &[]];
        }
        let Some(first) = tok.first().map(|b| usize::from(*b)) else { return [&[]; 4] };
        let suffixes = &self.by_last[usize::from(b'*')][..];
        let exact = &self.by_last[first][..];
        if !fuzzy || tok.len() < MIN_TYPO_TOKEN {
            return [exact, suffixes, &[], &[]];
        }
        let second = tok.get(1).map_or(&[][..], |b| &self.by_last[usize::from(*b)][..]);
        [exact, suffixes, second, &self.by_last_second[first][..]]
    }

    fn contains(&self, tok: &str) -> bool {
        match (&self.all, tok.as_bytes().first()) {
            (Some((table, _)), _) => contains_scan(table, tok),
            (None, Some(first)) => self.by_first[usize::from(*first)].iter().any(|e| e.entry == tok),
            (None, None) => false,
        }
    }
}

/// Every table's index, built once for the program. Keyed by the table's address and length:
/// the tables are constants that live as long as the program, so the indexes do too.
static INDEXES: std::sync::Mutex<Vec<((usize, usize), &'static TableIndex)>> =
    std::sync::Mutex::new(Vec::new());

/// Hashes a table's key (an address and a length) by multiplying: the keys are few and
/// already spread, and the default hasher costs more than the lookup it serves.
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type AddressMap = std::collections::HashMap<
    (usize, usize),
    &'static TableIndex,
    std::hash::BuildHasherDefault<AddressHasher>,
>;

thread_local! {
    /// This thread's copy of the keys to [`INDEXES`], so a lookup takes no lock.
    static LOCAL: std::cell::RefCell<AddressMap> = std::cell::RefCell::new(AddressMap::default());
}

fn index_of(table: Table) -> &'static TableIndex {
    let key = (table.as_ptr() as usize, table.len());
    LOCAL.with(|local| {
        *local.borrow_mut().entry(key).or_insert_with(|| {
            let mut shared = INDEXES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match shared.iter().find(|(k, _)| *k == key) {
                Some((_, index)) => *index,
                None => {
                    let index: &'static TableIndex = Box::leak(Box::new(TableIndex::new(table)));
                    shared.push((key, index));
                    index
                }
            }
        })
    })
}

/// Whether a word spelled `word` could match the token `tok`: the same first byte, a compound
/// suffix (`*…`), or — for a typo of a token of at least 5 letters — a first letter dropped or
/// swapped with the second. The same test `strip_word` makes, done first and cheaply.
fn could_start(word: &[u8], tok: &[u8], fuzzy: bool) -> bool {
    let (Some(w0), Some(t0)) = (word.first(), tok.first()) else { return false };
    w0 == t0
        || *w0 == b'*'
        || (fuzzy && tok.len() >= MIN_TYPO_TOKEN && (word.get(1) == Some(t0) || tok.get(1) == Some(w0)))
}

/// Whether `table` has the single word `tok`: large tables through their index, small ones
/// scanned.
pub(super) fn contains(table: Table, tok: &str) -> bool {
    if table.len() < INDEXED_FROM { contains_scan(table, tok) } else { index_of(table).contains(tok) }
}

/// Comparing the first byte before the rest is what makes a scan cheap: most entries differ
/// there, and the call to `memcmp` is skipped.
fn contains_scan(table: Table, tok: &str) -> bool {
    let (len, first) = (tok.len(), tok.as_bytes().first());
    table.iter().any(|e| e.len() == len && e.as_bytes().first() == first && *e == tok)
}

/// Whether `a` and `b` differ by exactly one insertion, deletion, substitution or swap of
/// adjacent letters (restricted Damerau–Levenshtein distance 1), in linear time.
pub(super) fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if a.len() == b.len() {
        let swapped = p + 1 < a.len() && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..];
        swapped || a[p + 1..] == b[p + 1..]
    } else {
        let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
        long[p + 1..] == short[p..]
    }
}

pub(super) fn is_sentence_break(tok: &str) -> bool {
    matches!(tok, "." | "!" | "?" | ";" | "…" | "¿" | "¡" | "。" | "\u{FF61}")
}

pub(super) fn is_clause_punct(tok: &str) -> bool {
    is_sentence_break(tok) || matches!(tok, "," | ":" | "(" | ")" | "、")
}

/// The non-empty runs of `toks[from..to]` between tokens for which `is_break` holds.
pub(super) fn segments<'t>(
    toks: &'t [&'t str],
    from: usize,
    to: usize,
    is_break: impl Fn(&str) -> bool + 't,
) -> impl Iterator<Item = Span> + 't {
    let mut start = from;
    std::iter::from_fn(move || {
        while start < to {
            let end = (start..to).find(|&k| is_break(toks[k])).unwrap_or(to);
            let segment = (start, end);
            start = end + 1;
            if segment.0 < segment.1 {
                return Some(segment);
            }
        }
        None
    })
}
