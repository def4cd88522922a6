//! A rating as a customer types it. After "Please rate the conversation from 1 to 5", people
//! answer "5", "5/5", "five", "cinco", "★★★★★" or "4 stars, thanks": all ratings. A sentence
//! that happens to hold a number ("I ordered 3 of them") is not, and neither is anything with
//! two different figures in it.

use crate::triggers::normalize::normalize;
use crate::values::Rating;

/// Number words from one to five per catalog language, normalised (lower case, no accents).
const NUMBER_WORDS: &[(&str, u8)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("eins", 1),
    ("ein", 1),
    ("eine", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("funf", 5),
    ("um", 1),
    ("uma", 1),
    ("dois", 2),
    ("duas", 2),
    ("tres", 3),
    ("quatro", 4),
    ("due", 2),
    ("tre", 3),
    ("quattro", 4),
    ("cinque", 5),
    ("een", 1),
    ("twee", 2),
    ("drie", 3),
    ("vier", 4),
    ("vijf", 5),
];

/// Chinese numerals.
const CHINESE: &[(char, u8)] = &[('一', 1), ('二', 2), ('两', 2), ('三', 3), ('四', 4), ('五', 5)];

/// Words that may stand beside a rating without making it something else.
const ALLOWED: &[&str] = &[
    "star",
    "stars",
    "out",
    "of",
    "rating",
    "rate",
    "i",
    "give",
    "it",
    "a",
    "thanks",
    "thank",
    "you",
    "estrella",
    "estrellas",
    "de",
    "gracias",
    "etoile",
    "etoiles",
    "sur",
    "merci",
    "stern",
    "sterne",
    "von",
    "danke",
    "estrela",
    "estrelas",
    "obrigado",
    "obrigada",
    "stella",
    "stelle",
    "su",
    "grazie",
    "ster",
    "sterren",
    "uit",
    "bedankt",
    "dank",
    "je",
    "ok",
    "okay",
    "is",
    "my",
    "mi",
    "ma",
    "mein",
    "meine",
    "minha",
    "meu",
    "mijn",
    "la",
    "le",
    "el",
    "das",
    "het",
    "the",
    "de",
    "en",
    "y",
    "e",
    "et",
    "und",
];

/// The rating in `text`, if the whole message is one.
pub fn rating_in(text: &str) -> Option<Rating> {
    let trimmed = text.trim();
    // Stars: "★★★★" or "⭐⭐⭐⭐⭐", nothing else but spaces.
    let stars = trimmed.chars().filter(|c| matches!(c, '★' | '⭐' | '🌟')).count();
    if stars > 0 && trimmed.chars().all(|c| matches!(c, '★' | '⭐' | '🌟' | '\u{FE0F}') || c.is_whitespace())
    {
        return Rating::parse(stars as i64).ok();
    }
    // Chinese: "五", "5分", "五星", "给五分".
    let chinese: Vec<u8> =
        trimmed.chars().filter_map(|c| CHINESE.iter().find(|(n, _)| *n == c).map(|(_, v)| *v)).collect();
    let han = trimmed.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count();
    if chinese.len() == 1 && han <= 4 && !trimmed.chars().any(|c| c.is_ascii_digit()) {
        return Rating::parse(i64::from(chinese[0])).ok();
    }
    if han > 0 && han <= 3 {
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 1 {
            return Rating::parse(digits.parse().ok()?).ok();
        }
    }
    let normalized = normalize(trimmed);
    let mut found: Option<u8> = None;
    let mut words = 0;
    for word in normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        words += 1;
        let value = match word.parse::<u8>() {
            Ok(n) => Some(n),
            Err(_) => NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v),
        };
        match value {
            // "5/5" and "4 out of 5": the scale is not a second rating.
            Some(5) if found.is_some() => {}
            Some(n) if found.is_none() => found = Some(n),
            Some(_) => return None,
            None if ALLOWED.contains(&word) => {}
            None => return None,
        }
    }
    if words > 8 {
        return None;
    }
    Rating::parse(i64::from(found?)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(text: &str) -> Option<u8> {
        rating_in(text).map(Rating::value)
    }

    #[test]
    fn ratings_as_people_type_them() {
        for (text, expected) in [
            ("5", 5),
            (" 4 ", 4),
            ("5/5", 5),
            ("4 out of 5", 4),
            ("3 stars", 3),
            ("five", 5),
            ("Five!", 5),
            ("cinco", 5),
            ("quatre étoiles", 4),
            ("vier Sterne", 4),
            ("fünf", 5),
            ("tre", 3),
            ("vijf sterren", 5),
            ("★★★★★", 5),
            ("★★", 2),
            ("⭐⭐⭐⭐", 4),
            ("五", 5),
            ("5分", 5),
            ("四星", 4),
            ("1", 1),
            ("I give it a 4, thanks", 4),
        ] {
            assert_eq!(rated(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn other_messages_are_not_ratings() {
        for text in [
            "I ordered 3 of them and 2 arrived",
            "6",
            "0",
            "where is my parcel",
            "my order 44172",
            "hello",
            "",
            "★★★★★★",
            "3 or 4",
            "can you call me at 5",
        ] {
            assert_eq!(rated(text), None, "{text}");
        }
    }
}
