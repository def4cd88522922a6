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
        let mut best: Option<(usize, bool)> = None;
        for entry in table {
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
        for entry in table {
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
        if w[0] != b'*' && (!fuzzy || t.len() < 5) {
            return None;
        }
        let end = words.find(' ').unwrap_or(words.len());
        let word = &w[..end];
        if let Some(suffix) = word.strip_prefix(b"*") {
            let compound = t.len() > suffix.len() + 2 && t.ends_with(suffix);
            return compound.then(|| (rest_from(end), false));
        }
        let typo = word.len() >= 4 && one_edit_apart(t, word) && !self.is(self.lx.not_typos, tok);
        typo.then(|| (rest_from(end), true))
    }
}

/// Whether `table` has the single word `tok`. Comparing the first byte before the rest is what
/// makes this cheap: most entries differ there, and the call to `memcmp` is skipped.
pub(super) fn contains(table: Table, tok: &str) -> bool {
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
