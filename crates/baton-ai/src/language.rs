//! Which language the contact writes in, among the languages Baton has catalogs for.
//!
//! Detection uses lingua's statistical models, limited to those languages (so it never
//! answers Swedish for a German typo), on the contact's recent messages together: a lone "ok"
//! says nothing, five messages say a lot. Below the confidence floor the answer is "unknown"
//! and the conversation keeps the language it had.

use std::sync::LazyLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// The least confidence (0 to 1) at which a detection is believed.
pub const CONFIDENCE_FLOOR: f64 = 0.6;

/// Fewer letters than this are not worth a guess.
const MIN_LETTERS: usize = 12;
/// Chinese packs a word into one or two characters.
const MIN_CJK: usize = 2;

static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&[
        Language::English,
        Language::Spanish,
        Language::French,
        Language::German,
        Language::Portuguese,
        Language::Italian,
        Language::Dutch,
        Language::Chinese,
    ])
    .build()
});

/// The ISO 639-1 code of the language `text` is written in, if confident enough.
pub fn detect(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    if letters < MIN_LETTERS && cjk < MIN_CJK {
        return None;
    }
    let (language, confidence) = DETECTOR.compute_language_confidence_values(text).into_iter().next()?;
    if confidence < CONFIDENCE_FLOOR {
        return None;
    }
    Some(match language {
        Language::English => "en",
        Language::Spanish => "es",
        Language::French => "fr",
        Language::German => "de",
        Language::Portuguese => "pt",
        Language::Italian => "it",
        Language::Dutch => "nl",
        Language::Chinese => "zh",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_supported_language() {
        let cases = [
            ("Hello, my parcel has not arrived yet and I would like to know why", "en"),
            ("Hola, mi pedido todavía no ha llegado y quiero saber por qué", "es"),
            ("Bonjour, ma commande n'est toujours pas arrivée, pourquoi ?", "fr"),
            ("Hallo, meine Bestellung ist noch nicht angekommen, warum nicht?", "de"),
            ("Olá, a minha encomenda ainda não chegou, podem verificar?", "pt"),
            ("Ciao, il mio ordine non è ancora arrivato, potete controllare?", "it"),
            ("Hallo, mijn bestelling is nog steeds niet aangekomen, waarom niet?", "nl"),
            ("你好，我的包裹还没有到，请帮我查一下", "zh"),
        ];
        for (text, language) in cases {
            assert_eq!(detect(text), Some(language), "{text}");
        }
    }

    #[test]
    fn short_texts_are_not_guessed() {
        assert_eq!(detect("ok"), None);
        assert_eq!(detect("thanks!"), None);
        assert_eq!(detect("123 456 789"), None);
    }
}
