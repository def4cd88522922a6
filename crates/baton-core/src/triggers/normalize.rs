//! Text normalisation shared by every trigger detector.
//!
//! Detectors compare words against plain-ASCII lexicons, so the text they see is folded once
//! here: lowercase, no diacritics, one kind of apostrophe, single spaces, and every punctuation
//! mark as a token of its own (so "agent!" and "agent" are the same word). CJK text is kept
//! as-is; the Chinese detector matches it by substring.

/// Lowercase `text`, strip diacritics (á→a, ß→ss, ç→c, ñ→n, œ→oe …), map curly apostrophes
/// to `'`, collapse whitespace and surround punctuation with spaces.
///
/// An apostrophe stays inside a word only between two letters ("don't", "quelqu'un"); a hyphen
/// inside a word becomes a space ("peut-être" → "peut etre", "e-mail" → "e mail") so compound
/// spellings match the spaced ones.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Most messages are ASCII: read byte by byte, without decoding or full Unicode case
    // mapping (a letter may lowercase to two characters), which is most of the cost.
    if text.is_ascii() {
        fold(text.bytes().map(|b| char::from(b.to_ascii_lowercase())), &mut out);
    } else {
        fold(text.chars().map(widen).flat_map(char::to_lowercase), &mut out);
    }
    out
}

/// Writes the lowercase characters `chars` to `out` as [`normalize`] describes.
fn fold(chars: impl Iterator<Item = char>, out: &mut String) {
    // A separator is owed before the next word or mark; written lazily so the output never
    // starts or ends with a space and never holds two in a row.
    let mut owe_space = false;
    let mut in_word = false;
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        let next_is_letter = chars.peek().is_some_and(|n| n.is_alphanumeric());
        if is_combining_mark(c) {
            continue; // decomposed accents: the base letter was already written
        }
        if c.is_alphanumeric() {
            if owe_space && !out.is_empty() {
                out.push(' ');
            }
            owe_space = false;
            in_word = true;
            if c.is_ascii() {
                out.push(c);
            } else {
                push_folded(out, c);
            }
        } else if c.is_whitespace() || is_quote(c) {
            owe_space = true;
            in_word = false;
        } else if is_apostrophe(c) {
            if in_word && next_is_letter {
                out.push('\'');
            } else {
                // A quotation mark, not an elision: it carries no meaning for the detectors.
                owe_space = true;
                in_word = false;
            }
        } else if is_hyphen(c) && in_word && next_is_letter {
            owe_space = true;
            in_word = false;
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            owe_space = true;
            in_word = false;
        }
    }
}

/// Split normalised text into tokens, also splitting Romance elisions ("d'un" → "d'", "un";
/// "l'operatore" → "l'", "operatore") so the article and the noun are looked up separately.
/// English contractions ("don't", "i'm") are kept whole: their first part is not a clitic.
pub(crate) fn tokenize(norm: &str) -> Vec<&str> {
    let mut tokens = Vec::with_capacity(norm.len() / 4 + 2);
    for token in norm.split(' ').filter(|t| !t.is_empty()) {
        // A byte scan: tokens are a few letters long, shorter than a searcher takes to set up.
        match token.bytes().position(|b| b == b'\'') {
            Some(k) if k + 1 < token.len() && ELISIONS.contains(&&token[..k]) => {
                tokens.push(&token[..=k]);
                tokens.push(&token[k + 1..]);
            }
            _ => tokens.push(token),
        }
    }
    tokens
}

/// French and Italian words that elide before a vowel. "quelqu'un" is deliberately absent.
#[rustfmt::skip]
const ELISIONS: &[&str] = &[
    "l", "d", "j", "n", "m", "s", "c", "t", "qu", "un", "all", "dell", "dall", "nell", "sull",
    "coll", "quest", "quell", "jusqu", "lorsqu", "puisqu",
];

/// Whether `c` is a CJK ideograph (the Chinese detector runs only when one is present).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Full-width ASCII (common in Chinese input methods: "！", "？", "，") to plain ASCII.
fn widen(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}')
}

/// Double quotation marks only wrap words ('a "real" person'); they are dropped.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Fold one lowercase letter of Latin-1 / Latin Extended-A to ASCII; others pass through.
fn push_folded(out: &mut String, c: char) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' | 'ĸ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'æ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        'ß' => return out.push_str("ss"),
        'þ' => return out.push_str("th"),
        'ĳ' => return out.push_str("ij"),
        other => other,
    };
    out.push(folded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_ligatures() {
        assert_eq!(normalize("Ça NE MARCHE Pâs, Straße Œuvre"), "ca ne marche pas , strasse oeuvre");
        assert_eq!(normalize("Não, AÑO, Größe"), "nao , ano , grosse");
        // Decomposed input (e + combining acute) folds like the precomposed letter.
        assert_eq!(normalize("cafe\u{0301}"), "cafe");
    }

    #[test]
    fn separates_punctuation_and_collapses_space() {
        assert_eq!(normalize("  agent!!  now\t\n please?"), "agent ! ! now please ?");
        assert_eq!(normalize("¿Hola?"), "¿ hola ?");
        assert_eq!(normalize("转人工！"), "转人工 !");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn apostrophes_and_hyphens() {
        assert_eq!(normalize("I DON’T know"), "i don't know");
        assert_eq!(normalize("‘quoted’ word"), "quoted word");
        assert_eq!(normalize("est-ce qu’un e-mail"), "est ce qu'un e mail");
        assert_eq!(normalize("a - b"), "a - b");
    }

    #[test]
    fn tokenize_splits_elisions_only() {
        assert_eq!(tokenize("besoin d'un conseiller"), ["besoin", "d'", "un", "conseiller"]);
        assert_eq!(tokenize("parler a quelqu'un"), ["parler", "a", "quelqu'un"]);
        assert_eq!(tokenize("i don't want"), ["i", "don't", "want"]);
        assert_eq!(tokenize("c'e un'operatrice"), ["c'", "e", "un'", "operatrice"]);
    }
}
