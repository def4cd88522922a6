//! How long a text is as SMS, and how to cut one too long to send.
//!
//! An SMS carries 140 bytes. Text that fits the GSM 03.38 alphabet is packed in 7 bits a
//! character: 160 in one message, 153 a part once several are joined (the rest of each part
//! holds the joining header); a character of the extension table (`€`, `{`, `[`…) takes two.
//! Anything else (most accents outside Western Europe, Chinese, emoji) makes the whole text
//! UCS-2, 16 bits a unit: 70 in one message, 67 a part. Providers join parts back together, but
//! charge each part, and Twilio takes at most 1,600 characters a message, so Baton cuts longer
//! answers into several messages between words.

/// Twilio's longest message body, in characters.
pub const MAX_BODY_CHARS: usize = 1_600;

/// How a text is encoded as SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// The GSM 03.38 basic character set (one septet each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Its extension table (an escape and the character: two septets each).
const EXTENSION: &str = "^{}\\[~]|€\u{c}";

pub fn encoding(text: &str) -> Encoding {
    if text.chars().all(|c| BASIC.contains(c) || EXTENSION.contains(c)) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    }
}

/// How many SMS parts `text` is sent as.
pub fn segments(text: &str) -> usize {
    let (units, single, part) = match encoding(text) {
        Encoding::Gsm7 => {
            (text.chars().map(|c| if EXTENSION.contains(c) { 2 } else { 1 }).sum::<usize>(), 160, 153)
        }
        Encoding::Ucs2 => (text.encode_utf16().count(), 70, 67),
    };
    match units {
        0 => 1,
        n if n <= single => 1,
        n => n.div_ceil(part),
    }
}

/// `text` as messages of at most [`MAX_BODY_CHARS`] characters, cut at the last line break or
/// space before the limit (mid-word only when a word is longer than a message).
pub fn split(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > MAX_BODY_CHARS {
        let limit = rest.char_indices().nth(MAX_BODY_CHARS).map_or(rest.len(), |(at, _)| at);
        let head = &rest[..limit];
        let cut = head.rfind('\n').or_else(|| head.rfind(' ')).filter(|&at| at > 0).unwrap_or(limit);
        parts.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_packs_160_a_message_and_153_a_part() {
        assert_eq!(encoding("Hello, your order #4471 ships today."), Encoding::Gsm7);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        // The euro sign takes two septets.
        assert_eq!(segments(&format!("{}€", "a".repeat(158))), 1);
        assert_eq!(segments(&format!("{}€", "a".repeat(159))), 2);
        assert_eq!(segments(""), 1);
    }

    #[test]
    fn one_character_outside_the_alphabet_makes_it_ucs2() {
        assert_eq!(encoding("Olá, já enviámos"), Encoding::Ucs2, "á is not in GSM 03.38");
        assert_eq!(encoding("Grüße aus Köln"), Encoding::Gsm7, "ü, ß and ö are in it");
        assert_eq!(encoding("您好"), Encoding::Ucs2);
        assert_eq!(segments(&"ç".repeat(71)), 2, "ç (lower case) is not in the basic set");
        assert_eq!(segments(&"好".repeat(70)), 1);
        assert_eq!(segments(&"好".repeat(71)), 2);
        assert_eq!(segments(&"😀".repeat(35)), 1, "an emoji is two UTF-16 units");
    }

    #[test]
    fn long_answers_are_cut_between_words() {
        assert_eq!(split("short"), vec!["short"]);
        let long = "word ".repeat(700);
        let parts = split(&long);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.chars().count() <= MAX_BODY_CHARS && !p.ends_with(' ')));
        assert!(parts.iter().all(|p| p.split(' ').all(|w| w == "word")), "no word cut in two");
        assert_eq!(parts.join(" "), long.trim());
        let unbroken = "x".repeat(3_300);
        assert_eq!(split(&unbroken).iter().map(|p| p.chars().count()).collect::<Vec<_>>(), [1600, 1600, 100]);
    }
}
