//! Parse, don't validate: each newtype here can only hold a valid value, so code that receives
//! one needs no further checks. Errors name the field so the API can say what was wrong.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Whether `c` is a control character a person never types: everything in Unicode's Cc
/// category but tab, line feed and carriage return (a line break either way). PostgreSQL
/// cannot store U+0000 at all, and the others only confuse whoever reads the text.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `c` takes no room on screen: white space, and the zero-width and formatting
/// characters (Unicode's Cf category, such as U+200B ZERO WIDTH SPACE or U+FEFF) that make a
/// text look empty while it is not.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

/// Refuses a text with a control character (see [`is_forbidden_control`]), naming `field`.
pub fn reject_control_characters(field: &'static str, text: &str) -> Result<(), DomainError> {
    match text.chars().find(|&c| is_forbidden_control(c)) {
        Some(c) => Err(invalid(field, format!("must not contain the control character U+{:04X}", c as u32))),
        None => Ok(()),
    }
}

/// Whether `text` shows nothing: empty, or only invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_invisible)
}

/// The text of a message: something visible, no control characters but line breaks and tabs,
/// at most [`MessageText::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct MessageText(String);

impl MessageText {
    pub const MAX_CHARS: usize = 4_000;

    pub fn parse(text: impl Into<String>) -> Result<Self, DomainError> {
        let text = text.into();
        if is_blank(&text) {
            return Err(invalid("text", "must not be empty"));
        }
        reject_control_characters("text", &text)?;
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(invalid(
                "text",
                format!("is {chars} characters long; the limit is {}", Self::MAX_CHARS),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An email address in the shape `local@domain.tld`: enough to catch typos and junk without
/// rejecting real addresses (full RFC 5322 parsing accepts things no mail server delivers to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let email = text.trim();
        let reason = if email.is_empty() {
            Some("must not be empty")
        } else if email.len() > 254 {
            Some("is longer than 254 characters")
        } else if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("must not contain spaces")
        } else {
            match email.rsplit_once('@') {
                None => Some("must contain @"),
                Some((local, domain)) => {
                    let labels: Vec<&str> = domain.split('.').collect();
                    if local.is_empty() || local.contains('@') {
                        Some("must have one @ with a name before it")
                    } else if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) {
                        Some("must have a domain such as example.com after @")
                    } else if labels.last().is_some_and(|tld| tld.len() < 2) {
                        Some("must end in a top-level domain of two letters or more")
                    } else {
                        None
                    }
                }
            }
        };
        match reason {
            Some(reason) => Err(invalid("email", reason)),
            None => Ok(Self(email.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A satisfaction rating from 1 (bad) to 5 (great).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Rating(u8);

impl Rating {
    pub fn parse(value: i64) -> Result<Self, DomainError> {
        match u8::try_from(value) {
            Ok(rating @ 1..=5) => Ok(Self(rating)),
            _ => Err(invalid("rating", format!("must be a whole number from 1 to 5, not {value}"))),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Rating {
    type Error = DomainError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Rating> for i64 {
    fn from(value: Rating) -> Self {
        value.0 as i64
    }
}

/// A short free-text field (a name, a comment, a reason): trimmed, at most `max` characters,
/// `None` when blank.
pub fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    let Some(value) = value.map(str::trim).filter(|v| !is_blank(v)) else {
        return Ok(None);
    };
    reject_control_characters(field, value)?;
    if value.chars().count() > max {
        return Err(invalid(field, format!("is longer than {max} characters")));
    }
    Ok(Some(value.to_owned()))
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::Invalid { field, reason: reason.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_text_is_blank_and_control_characters_are_refused() {
        for blank in ["", " \n\t", "\u{200B}", "\u{FEFF}\u{200D} \u{2060}", "\u{3164}"] {
            assert!(is_blank(blank), "{blank:?}");
            assert!(MessageText::parse(blank).is_err(), "{blank:?}");
            assert_eq!(optional_text("name", Some(blank), 10), Ok(None), "{blank:?}");
        }
        assert!(!is_blank("\u{200B}a"));
        for bad in ["a\u{0}b", "\u{7}", "x\u{1B}[31m", "next\u{85}line"] {
            let error = MessageText::parse(bad).unwrap_err();
            assert!(error.to_string().contains("control character"), "{bad:?}: {error}");
            assert!(optional_text("name", Some(bad), 10).is_err(), "{bad:?}");
        }
        assert!(MessageText::parse("line one\r\nline two\tend").is_ok());
    }

    #[test]
    fn message_text_rejects_blank_and_oversized() {
        assert!(MessageText::parse("hello").is_ok());
        assert!(MessageText::parse("   \n").is_err());
        assert!(MessageText::parse("x".repeat(MessageText::MAX_CHARS)).is_ok());
        assert!(MessageText::parse("x".repeat(MessageText::MAX_CHARS + 1)).is_err());
        // The limit counts characters, not bytes.
        assert!(MessageText::parse("é".repeat(MessageText::MAX_CHARS)).is_ok());
    }

    #[test]
    fn email_accepts_ordinary_addresses() {
        for ok in ["ana@example.com", "a.b+tag@sub.example.co.uk", " x@y.io "] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Email::parse(" x@y.io ").unwrap().as_str(), "x@y.io");
    }

    #[test]
    fn email_rejects_junk_with_a_reason() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@example.c",
            "a b@example.com",
            "a@b@c.com",
            "ana@.com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(matches!(err, DomainError::Invalid { field: "email", .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn rating_is_one_to_five() {
        assert!(Rating::parse(0).is_err());
        assert_eq!(Rating::parse(1).unwrap().value(), 1);
        assert_eq!(Rating::parse(5).unwrap().value(), 5);
        assert!(Rating::parse(6).is_err());
        assert!(Rating::parse(-3).is_err());
    }

    #[test]
    fn optional_text_trims_and_limits() {
        assert_eq!(optional_text("name", Some("  Ana "), 10).unwrap(), Some("Ana".into()));
        assert_eq!(optional_text("name", Some("   "), 10).unwrap(), None);
        assert_eq!(optional_text("name", None, 10).unwrap(), None);
        assert!(optional_text("name", Some("abcdefghijk"), 10).is_err());
    }
}
