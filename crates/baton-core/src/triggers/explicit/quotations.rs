//! Quotations in a message: what a screen, a letter or another person said, cited rather than
//! asked: "The app says “contact your administrator”" asks for no one.

use super::super::normalize::is_cjk;

/// Pairs of quotation marks around what someone else wrote.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\u{201C}', '\u{201D}'),
    ('\u{201E}', '\u{201C}'),
    ('\u{AB}', '\u{BB}'),
    ('\u{300C}', '\u{300D}'),
];

/// `text` without quotations of several words: "the app says "contact your administrator"",
/// "系统提示“请联系您的管理员”" cite a screen or a person, they do not ask. A quoted single word
/// stays: 'a "real" person' stresses it.
pub(super) fn without_quotations(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut rest = text;
    let mut cut = false;
    while let Some((open_at, close)) =
        QUOTES.iter().filter_map(|(open, close)| Some((rest.find(*open)?, *close))).min_by_key(|(at, _)| *at)
    {
        let open_len = rest[open_at..].chars().next().map_or(1, char::len_utf8);
        let inner_from = open_at + open_len;
        let Some(inner_len) = rest[inner_from..].find(close) else { break };
        let inner = &rest[inner_from..inner_from + inner_len];
        let several_words = inner.split_whitespace().nth(1).is_some()
            || inner.chars().filter(|c| is_cjk(*c)).nth(2).is_some();
        let end = inner_from + inner_len + close.len_utf8();
        out.push_str(&rest[..open_at]);
        if several_words {
            out.push(' ');
            cut = true;
        } else {
            out.push_str(&rest[open_at..end]);
        }
        rest = &rest[end..];
    }
    if !cut {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}
