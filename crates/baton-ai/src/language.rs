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
    detect_among(text, &baton_core::catalog::LANGUAGES)
}

/// [`detect`], choosing only among `allowed` (a bot's configured languages): the confidence
/// is renormalised over them, so ruling out a close second makes the first surer.
pub fn detect_among(text: &str, allowed: &[impl AsRef<str>]) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    if letters < MIN_LETTERS && cjk < MIN_CJK {
        return None;
    }
    let candidates: Vec<(&'static str, f64)> = DETECTOR
        .compute_language_confidence_values(text)
        .into_iter()
        .map(|(language, confidence)| (code(language), confidence))
        .filter(|(code, _)| allowed.iter().any(|a| a.as_ref() == *code))
        .collect();
    let total: f64 = candidates.iter().map(|(_, confidence)| confidence).sum();
    let (best, confidence) = candidates.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    (total > 0.0 && confidence / total >= CONFIDENCE_FLOOR).then_some(best)
}

fn code(language: Language) -> &'static str {
    match language {
        Language::English => "en",
        Language::Spanish => "es",
        Language::French => "fr",
        Language::German => "de",
        Language::Portuguese => "pt",
        Language::Italian => "it",
        Language::Dutch => "nl",
        Language::Chinese => "zh",
    }
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
    fn detection_keeps_to_the_allowed_languages() {
        let dutch = "Hallo, mijn pakket is nog steeds niet aangekomen, waarom duurt het zo lang?";
        assert_eq!(detect_among(dutch, &["en", "nl"]), Some("nl"));
        assert_ne!(detect_among(dutch, &["en", "de", "fr"]), Some("nl"));
        assert_eq!(detect_among(dutch, &[] as &[&str]), None);
    }

    #[test]
    fn short_texts_are_not_guessed() {
        assert_eq!(detect("ok"), None);
        assert_eq!(detect("thanks!"), None);
        assert_eq!(detect("123 456 789"), None);
    }
}
