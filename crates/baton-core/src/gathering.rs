//! Information to gather before a handoff: the details the person taking over will need
//! (email, order number, …), taken from what the contact already said when possible and
//! otherwise asked one at a time.
//!
//! [`extract`] finds a value in free text (an email address, a phone number, a number, one
//! of a choice's options); a `text` field cannot be recognised in free text and is always
//! asked. [`validate`] checks a direct answer to the question and says what is wrong with a
//! bad one, so the contact can be asked again with a reason.

use serde::{Deserialize, Serialize};

use crate::triggers::normalize;
use crate::values::Email;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Email,
    Phone,
    Text,
    Number,
    Choice,
}

/// One piece of information the policy wants before a handoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// A stable key, e.g. `order_number`.
    pub key: String,
    /// What the contact is asked for, e.g. "order number".
    pub label: String,
    pub kind: FieldKind,
    /// Required fields are asked for; optional ones are only taken when the contact gives them.
    #[serde(default)]
    pub required: bool,
    /// For `choice`: the accepted answers.
    #[serde(default)]
    pub options: Vec<String>,
}

const TEXT_MAX_CHARS: usize = 300;
const MIN_PHONE_DIGITS: usize = 7;
const MAX_PHONE_DIGITS: usize = 15;

/// A phone number: digits with optional `+`, spaces, dots, dashes and parentheses.
fn phone(candidate: &str) -> Option<String> {
    let candidate = candidate.trim().trim_end_matches(['.', ',', ';']);
    if !candidate.chars().all(|c| c.is_ascii_digit() || "+ -.()".contains(c)) {
        return None;
    }
    let digits = candidate.chars().filter(char::is_ascii_digit).count();
    (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digits).then(|| candidate.trim().to_owned())
}

fn number(candidate: &str) -> Option<String> {
    let candidate = candidate.trim().trim_end_matches(['.', ',', '!', '?']).trim_start_matches('#');
    let plain = candidate.replace(',', ".");
    plain.parse::<f64>().ok().filter(|n| n.is_finite()).map(|_| candidate.to_owned())
}

fn choice(field: &Field, text: &str) -> Option<String> {
    let said = format!(" {} ", normalize(text));
    field.options.iter().find(|option| said.contains(&format!(" {} ", normalize(option)))).cloned()
}

/// The first email address in free text.
pub fn email_in(text: &str) -> Option<Email> {
    text.split(|c: char| c.is_whitespace() || "<>(),;\"'".contains(c))
        .map(|word| word.trim_end_matches(['.', '!', '?']))
        .filter(|word| word.contains('@'))
        .find_map(|word| Email::parse(word).ok())
}

/// The field's value, if the free text contains one.
pub fn extract(field: &Field, text: &str) -> Option<String> {
    match field.kind {
        FieldKind::Email => email_in(text).map(|email| email.as_str().to_owned()),
        FieldKind::Phone => {
            // Phone numbers contain spaces, so try every run of phone-like characters.
            let mut runs = Vec::new();
            let mut current = String::new();
            for c in text.chars() {
                if c.is_ascii_digit() || "+ -.()".contains(c) {
                    current.push(c);
                } else {
                    runs.push(std::mem::take(&mut current));
                }
            }
            runs.push(current);
            runs.iter().find_map(|run| phone(run))
        }
        FieldKind::Number => text.split_whitespace().find_map(number),
        FieldKind::Choice => choice(field, text),
        FieldKind::Text => None,
    }
}

/// A direct answer to the field's question: the value, or why it is not acceptable.
pub fn validate(field: &Field, answer: &str) -> Result<String, String> {
    let answer = answer.trim();
    if answer.is_empty() {
        return Err("the answer is empty".into());
    }
    match field.kind {
        FieldKind::Email => extract(field, answer).ok_or_else(|| match Email::parse(answer) {
            Err(crate::DomainError::Invalid { reason, .. }) => format!("an email address {reason}"),
            _ => "that is not an email address".into(),
        }),
        FieldKind::Phone => extract(field, answer)
            .ok_or_else(|| format!("a phone number has {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits")),
        FieldKind::Number => extract(field, answer).ok_or_else(|| "that is not a number".into()),
        FieldKind::Choice => choice(field, answer)
            .ok_or_else(|| format!("the answer must be one of: {}", field.options.join(", "))),
        FieldKind::Text if answer.chars().count() > TEXT_MAX_CHARS => {
            Err(format!("the answer is longer than {TEXT_MAX_CHARS} characters"))
        }
        FieldKind::Text => Ok(answer.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> Field {
        Field {
            key: "k".into(),
            label: "thing".into(),
            kind,
            required: true,
            options: vec!["Standard".into(), "Express delivery".into()],
        }
    }

    #[test]
    fn extracts_from_free_text() {
        let email = field(FieldKind::Email);
        assert_eq!(
            extract(&email, "sure, it's ana.silva@example.com."),
            Some("ana.silva@example.com".into())
        );
        assert_eq!(extract(&email, "write to me at ana@ please"), None);
        let phone = field(FieldKind::Phone);
        assert_eq!(extract(&phone, "call me on +351 912 345 678 after 5"), Some("+351 912 345 678".into()));
        assert_eq!(extract(&phone, "order 12 of 2024"), None);
        let number = field(FieldKind::Number);
        assert_eq!(extract(&number, "my order is #48213, thanks"), Some("48213".into()));
        assert_eq!(extract(&number, "no idea"), None);
        let choice = field(FieldKind::Choice);
        assert_eq!(extract(&choice, "I paid for EXPRESS delivery!"), Some("Express delivery".into()));
        assert_eq!(extract(&field(FieldKind::Text), "anything at all"), None);
    }

    #[test]
    fn validates_direct_answers_with_a_reason() {
        assert_eq!(validate(&field(FieldKind::Email), " ana@example.com "), Ok("ana@example.com".into()));
        let bad = validate(&field(FieldKind::Email), "ana.example.com").unwrap_err();
        assert!(bad.contains("@"), "{bad}");
        assert!(validate(&field(FieldKind::Phone), "12345").unwrap_err().contains("digits"));
        assert_eq!(validate(&field(FieldKind::Number), "3,5"), Ok("3,5".into()));
        assert!(
            validate(&field(FieldKind::Choice), "overnight")
                .unwrap_err()
                .contains("Standard, Express delivery")
        );
        assert_eq!(validate(&field(FieldKind::Text), "the blue one"), Ok("the blue one".into()));
        assert!(validate(&field(FieldKind::Text), &"x".repeat(301)).is_err());
        assert!(validate(&field(FieldKind::Text), "  ").is_err());
    }
}
