//! Canned responses: replies a team saves under a `/shortcut` and inserts while chatting.
//!
//! A response is shared (the whole team sees it; admins manage it) or personal (its owner's
//! only), and may be meant for one language: the composer offers the variant in the
//! conversation's language first. Its text may hold placeholders, filled in for the
//! conversation at hand by [`render`]: `{{contact.name}}` (the contact's name, or nothing),
//! `{{contact.email}}` and `{{user.name}}` (the agent's display name). Any other `{{…}}` is
//! refused when the response is saved, so a typo never reaches a customer.

use serde::{Deserialize, Serialize};

use crate::ids::{CannedId, UserId};
use crate::time::Timestamp;
use crate::values::MessageText;

/// The placeholders a text may hold.
pub const PLACEHOLDERS: [&str; 3] = ["contact.name", "contact.email", "user.name"];
/// The longest shortcut.
pub const MAX_SHORTCUT_CHARS: usize = 32;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: CannedId,
    /// Without its `/`: lowercase letters, digits, `-` and `_`.
    pub shortcut: String,
    pub text: String,
    /// ISO 639-1; `null`: any language.
    pub language: Option<String>,
    /// Whether the whole team sees it; otherwise only its owner.
    pub shared: bool,
    /// Who made a personal one; `null` for a shared one.
    pub owner_id: Option<UserId>,
    pub updated_at: Timestamp,
}

/// A response as given, to be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedDraft {
    pub shortcut: String,
    pub text: String,
    pub language: Option<String>,
}

impl CannedDraft {
    /// The draft normalised (`/Greet ` → `greet`, `DE` → `de`), or what is wrong with it,
    /// naming the field.
    pub fn checked(self) -> Result<Self, String> {
        let shortcut = self.shortcut.trim().trim_start_matches('/').to_lowercase();
        let shortcut_ok = (1..=MAX_SHORTCUT_CHARS).contains(&shortcut.chars().count())
            && shortcut.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !shortcut_ok {
            return Err(format!(
                "shortcut: 1 to {MAX_SHORTCUT_CHARS} lowercase letters, digits, '-' or '_', such as /refund-policy"
            ));
        }
        let text = self.text.trim().to_owned();
        MessageText::parse(text.clone()).map_err(|problem| format!("text: {problem}"))?;
        if let Some(unknown) = placeholders(&text).find(|name| !PLACEHOLDERS.contains(name)) {
            return Err(format!(
                "text: '{{{{{unknown}}}}}' is not a placeholder; use {}",
                PLACEHOLDERS.map(|p| format!("{{{{{p}}}}}")).join(", ")
            ));
        }
        let language = self.language.map(|l| l.trim().to_ascii_lowercase()).filter(|l| !l.is_empty());
        if let Some(language) = &language
            && !crate::catalog::LANGUAGES.contains(&language.as_str())
        {
            return Err(format!(
                "language: '{language}' is not one of {}",
                crate::catalog::LANGUAGES.join(", ")
            ));
        }
        Ok(Self { shortcut, text, language })
    }
}

/// The names inside `{{…}}` in `text`, trimmed.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{").skip(1).filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
}

/// Who and what a response is rendered for.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderContext<'a> {
    pub contact_name: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub user_name: &'a str,
}

/// `text` with its placeholders filled in; one with no value (a contact without a name)
/// becomes empty, and the space it leaves before punctuation goes with it ("Hi {{contact.name}},"
/// → "Hi,").
pub fn render(text: &str, context: &RenderContext) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else { break };
        out.push_str(&rest[..start]);
        let value = match rest[start + 2..start + length].trim() {
            "contact.name" => context.contact_name.unwrap_or_default(),
            "contact.email" => context.contact_email.unwrap_or_default(),
            "user.name" => context.user_name,
            _ => "",
        };
        if value.is_empty() {
            let next = rest[start + length + 2..].chars().next();
            if next.is_none_or(|c| c.is_ascii_punctuation()) && out.ends_with(' ') {
                out.pop();
            }
        }
        out.push_str(value);
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    out
}

/// The responses to offer in a conversation in `language`: per shortcut, the caller's own
/// before the shared one, and the variant in that language before the one for any language.
/// Sorted by shortcut.
pub fn for_conversation<'a>(
    responses: &'a [CannedResponse],
    language: Option<&str>,
) -> Vec<&'a CannedResponse> {
    let rank = |r: &CannedResponse| {
        let language_rank = match (&r.language, language) {
            (Some(own), Some(wanted)) if own == wanted => 0,
            (None, _) => 1,
            _ => 2,
        };
        (u8::from(r.shared), language_rank)
    };
    let mut best: std::collections::BTreeMap<&str, &CannedResponse> = std::collections::BTreeMap::new();
    for response in responses {
        // A variant in another language than the conversation's is not offered.
        if rank(response).1 == 2 && language.is_some() {
            continue;
        }
        best.entry(&response.shortcut)
            .and_modify(|kept| {
                if rank(response) < rank(kept) {
                    *kept = response;
                }
            })
            .or_insert(response);
    }
    best.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(shortcut: &str, text: &str, language: Option<&str>) -> Result<CannedDraft, String> {
        CannedDraft { shortcut: shortcut.into(), text: text.into(), language: language.map(Into::into) }
            .checked()
    }

    #[test]
    fn drafts_are_normalised_or_refused_naming_the_field() {
        let ok = draft(" /Greet ", " Hi {{contact.name}}! ", Some("DE")).unwrap();
        assert_eq!(
            (ok.shortcut.as_str(), ok.text.as_str(), ok.language.as_deref()),
            ("greet", "Hi {{contact.name}}!", Some("de"))
        );
        assert!(draft("/", "x", None).unwrap_err().starts_with("shortcut:"));
        assert!(draft("two words", "x", None).unwrap_err().starts_with("shortcut:"));
        assert!(draft("a", "  ", None).unwrap_err().starts_with("text:"));
        let typo = draft("a", "Hi {{contact.nmae}}", None).unwrap_err();
        assert!(typo.starts_with("text:") && typo.contains("contact.nmae"), "{typo}");
        assert!(draft("a", "x", Some("xx")).unwrap_err().starts_with("language:"));
    }

    #[test]
    fn placeholders_are_filled_and_empty_ones_leave_no_gap() {
        let context = RenderContext { contact_name: Some("Ana"), contact_email: None, user_name: "Jonas" };
        assert_eq!(
            render("Hi {{contact.name}}, this is {{ user.name }}.", &context),
            "Hi Ana, this is Jonas."
        );
        let anonymous = RenderContext { contact_name: None, ..context };
        assert_eq!(render("Hi {{contact.name}}, this is {{user.name}}.", &anonymous), "Hi, this is Jonas.");
        assert_eq!(render("Mail {{contact.email}}", &anonymous), "Mail");
        assert_eq!(render("Unclosed {{contact.name", &context), "Unclosed {{contact.name");
    }

    #[test]
    fn a_conversation_gets_one_response_per_shortcut_the_most_fitting() {
        let response = |shortcut: &str, language: Option<&str>, shared: bool, text: &str| CannedResponse {
            id: CannedId::new_v7(Timestamp::from_millis(1), [text.len() as u8; 10]),
            shortcut: shortcut.into(),
            text: text.into(),
            language: language.map(Into::into),
            shared,
            owner_id: None,
            updated_at: Timestamp::from_millis(1),
        };
        let all = [
            response("greet", None, true, "shared any"),
            response("greet", Some("de"), true, "shared german!"),
            response("bye", None, true, "shared bye"),
            response("bye", None, false, "my bye"),
            response("refund", Some("es"), true, "solo español"),
        ];
        let german: Vec<&str> = for_conversation(&all, Some("de")).iter().map(|r| r.text.as_str()).collect();
        assert_eq!(german, ["my bye", "shared german!"]);
        let unknown: Vec<&str> = for_conversation(&all, None).iter().map(|r| r.text.as_str()).collect();
        assert_eq!(unknown, ["my bye", "shared any", "solo español"]);
    }
}
