//! WhatsApp message templates: the only messages WhatsApp delivers outside the 24-hour window
//! after a customer's last message.
//!
//! A template is approved by Meta under a name and a language, with a body whose variables are
//! numbered `{{1}}`, `{{2}}`, …. Baton keeps the approved templates a team may use in the
//! channel's settings ([`WhatsappTemplate`]); a person in the inbox picks one and fills its
//! variables, which Baton checks ([`WhatsappTemplate::fill`]) before storing the message with
//! the filled body as its text (what the transcript shows) and the [`TemplateUse`] that the
//! channel sends (`"type": "template"`).

use serde::{Deserialize, Serialize};

/// The most templates one channel keeps.
pub const MAX_TEMPLATES: usize = 50;
/// WhatsApp's limits: a body of at most 1,024 characters; a name of lowercase letters, digits
/// and underscores, at most 512.
const MAX_BODY_CHARS: usize = 1024;
const MAX_NAME_CHARS: usize = 512;
/// The longest value Baton puts into one variable.
const MAX_PARAMETER_CHARS: usize = 1024;

/// An approved template, as the channel's settings list it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatsappTemplate {
    /// Its name in WhatsApp Manager (`order_update`).
    pub name: String,
    /// The language it was approved in (`en_US`, `de`, `pt_BR`).
    pub language: String,
    /// The approved body, with its variables as `{{1}}`, `{{2}}`, …
    pub body: String,
}

/// A template as a message uses it: which one, and the values of its variables in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateUse {
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub parameters: Vec<String>,
}

impl WhatsappTemplate {
    /// How many variables the body has (the highest `{{n}}`).
    pub fn variables(&self) -> usize {
        placeholders(&self.body).into_iter().max().unwrap_or(0)
    }

    /// What is wrong with this template, if anything (named for `settings.templates[index]`).
    pub fn problem(&self, index: usize) -> Option<String> {
        let at = format!("settings.templates[{index}]");
        let which = format!("template {} ({})", index + 1, self.name);
        let name_ok = !self.name.is_empty()
            && self.name.chars().count() <= MAX_NAME_CHARS
            && self.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            return Some(format!("{at}.name: {which}: a name is lowercase letters, digits and underscores"));
        }
        if !language_code(&self.language) {
            return Some(format!("{at}.language: {which}: a language code such as en, en_US or pt_BR"));
        }
        if self.body.trim().is_empty() || self.body.chars().count() > MAX_BODY_CHARS {
            return Some(format!("{at}.body: {which}: the approved text, 1 to {MAX_BODY_CHARS} characters"));
        }
        let mut numbers = placeholders(&self.body);
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.iter().enumerate().any(|(i, &n)| n != i + 1) {
            return Some(format!(
                "{at}.body: {which}: variables are numbered {{{{1}}}}, {{{{2}}}}, … without gaps"
            ));
        }
        None
    }

    /// The body with `parameters` in place of its variables, after checking them as WhatsApp
    /// does: one non-empty value per variable, with no line breaks, tabs or more than four
    /// spaces in a row.
    pub fn fill(&self, parameters: &[String]) -> Result<String, String> {
        let wanted = self.variables();
        if parameters.len() != wanted {
            return Err(format!(
                "parameters: template '{}' has {wanted} variable(s), {} value(s) were given",
                self.name,
                parameters.len()
            ));
        }
        for (i, value) in parameters.iter().enumerate() {
            let chars = value.chars().count();
            if value.trim().is_empty() || chars > MAX_PARAMETER_CHARS {
                return Err(format!("parameters[{i}]: 1 to {MAX_PARAMETER_CHARS} characters"));
            }
            if value.contains(['\n', '\r', '\t']) || value.contains("     ") {
                return Err(format!(
                    "parameters[{i}]: WhatsApp takes no line breaks, tabs or more than four spaces in a row in a variable"
                ));
            }
        }
        let mut filled = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some((before, number, after)) = next_placeholder(rest) {
            filled.push_str(before);
            filled.push_str(&parameters[number - 1]);
            rest = after;
        }
        filled.push_str(rest);
        Ok(filled)
    }
}

/// Whether `code` looks like a WhatsApp template language: `en`, `fil`, `en_US`, `zh_CN`.
fn language_code(code: &str) -> bool {
    let (language, region) = code.split_once('_').map_or((code, None), |(l, r)| (l, Some(r)));
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
}

/// The numbers of the body's `{{n}}` variables, in order of appearance.
fn placeholders(body: &str) -> Vec<usize> {
    let mut numbers = Vec::new();
    let mut rest = body;
    while let Some((_, number, after)) = next_placeholder(rest) {
        numbers.push(number);
        rest = after;
    }
    numbers
}

/// The text before the first `{{n}}` (n ≥ 1), n, and the text after it.
fn next_placeholder(text: &str) -> Option<(&str, usize, &str)> {
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let inner = &text[open + 2..];
        if let Some(close) = inner.find("}}") {
            let digits = inner[..close].trim();
            if let Ok(number) = digits.parse::<usize>()
                && number >= 1
                && digits.chars().all(|c| c.is_ascii_digit())
            {
                return Some((&text[..open], number, &inner[close + 2..]));
            }
        }
        from = open + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(body: &str) -> WhatsappTemplate {
        WhatsappTemplate { name: "order_update".into(), language: "en_US".into(), body: body.into() }
    }

    #[test]
    fn variables_are_filled_in_place_wherever_they_stand() {
        let t = template("Hi {{1}}, your order {{2}} has shipped. Thanks, {{1}}!");
        assert_eq!(t.variables(), 2);
        let filled = t.fill(&["Ana".into(), "#1042".into()]).unwrap();
        assert_eq!(filled, "Hi Ana, your order #1042 has shipped. Thanks, Ana!");
        assert_eq!(template("No variables here {{ }} {x}").fill(&[]).unwrap(), "No variables here {{ }} {x}");
    }

    #[test]
    fn values_are_checked_as_whatsapp_checks_them() {
        let t = template("Hi {{1}}, about {{2}}");
        assert!(t.fill(&["Ana".into()]).unwrap_err().contains("2 variable(s), 1 value(s)"));
        assert!(t.fill(&["Ana".into(), " ".into()]).unwrap_err().starts_with("parameters[1]"));
        assert!(t.fill(&["Ana".into(), "two\nlines".into()]).unwrap_err().contains("line breaks"));
        assert!(t.fill(&["Ana".into(), "a     b".into()]).is_err(), "five spaces in a row");
        assert_eq!(
            t.fill(&["Ana".into(), "a    b".into()]).unwrap(),
            "Hi Ana, about a    b",
            "four are fine"
        );
    }

    #[test]
    fn a_template_needs_a_name_a_language_and_numbered_variables() {
        assert_eq!(template("Hi {{1}}").problem(0), None);
        let bad_name = WhatsappTemplate { name: "Order Update".into(), ..template("x") };
        assert!(bad_name.problem(2).unwrap().starts_with("settings.templates[2].name"));
        for language in ["english", "EN", "en-US", "en_us", ""] {
            let t = WhatsappTemplate { language: language.into(), ..template("x") };
            assert!(t.problem(0).unwrap().contains(".language"), "{language}");
        }
        for language in ["en", "fil", "pt_BR"] {
            assert_eq!(WhatsappTemplate { language: language.into(), ..template("x") }.problem(0), None);
        }
        assert!(template("Hi {{2}}").problem(0).unwrap().contains("without gaps"));
        assert!(template("Hi {{1}} {{3}}").problem(0).unwrap().contains("without gaps"));
        assert!(template(" ").problem(0).unwrap().contains(".body"));
    }
}
