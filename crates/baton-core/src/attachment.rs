//! Attachments: an image or file a contact or a team member sends in a conversation. Each is
//! a message of its own whose text is the file's name; the message carries an
//! [`AttachmentRef`] that says how to fetch the file. What may be sent is the deployment's
//! [`AttachmentRules`]: a size limit and a list of content types, and an image must be what
//! its bytes say it is, so a script cannot pass itself off as a picture.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::ids::AttachmentId;
use crate::values::is_forbidden_control;

/// A file as a message refers to it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub id: AttachmentId,
    /// The file's name, as sent (without any folder).
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

impl AttachmentRef {
    /// Whether it is shown inline as a picture.
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentProblem {
    #[error("the file is {size} bytes; the limit is {max}")]
    TooLarge { size: u64, max: u64 },
    #[error("files of type {0} cannot be sent here")]
    TypeRefused(String),
    #[error("the file's contents are not a {0} image")]
    NotWhatItSays(String),
    #[error("{0}")]
    Invalid(DomainError),
}

/// What may be sent: at most `max_bytes`, of one of `content_types` (`image/*` allows every
/// image type Baton recognises).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentRules {
    pub max_bytes: u64,
    pub content_types: Vec<String>,
}

impl Default for AttachmentRules {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            content_types: [
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "application/pdf",
                "text/plain",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// The images Baton recognises by their first bytes.
const IMAGE_SIGNATURES: [(&str, &[u8]); 4] = [
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    ("image/gif", b"GIF8"),
    ("image/webp", b"RIFF"),
];

impl AttachmentRules {
    /// Checks a file about to be stored: its name, declared type, size and, for an image, its
    /// first bytes. The type is lowercased and stripped of parameters (`; charset=…`).
    pub fn check(
        &self,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<(String, String), AttachmentProblem> {
        let name = file_name(name).map_err(AttachmentProblem::Invalid)?;
        let content_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let size = bytes.len() as u64;
        if size > self.max_bytes {
            return Err(AttachmentProblem::TooLarge { size, max: self.max_bytes });
        }
        if bytes.is_empty() {
            return Err(AttachmentProblem::Invalid(DomainError::Invalid {
                field: "file",
                reason: "is empty".into(),
            }));
        }
        let allowed = self.content_types.iter().any(|allowed| {
            allowed.eq_ignore_ascii_case(&content_type)
                || (allowed == "image/*" && IMAGE_SIGNATURES.iter().any(|(t, _)| *t == content_type))
        });
        if !allowed {
            return Err(AttachmentProblem::TypeRefused(content_type));
        }
        if content_type.starts_with("image/") {
            let matches = IMAGE_SIGNATURES
                .iter()
                .find(|(t, _)| *t == content_type)
                .is_some_and(|(_, magic)| bytes.starts_with(magic))
                && (content_type != "image/webp" || bytes.get(8..12) == Some(b"WEBP"));
            if !matches {
                return Err(AttachmentProblem::NotWhatItSays(content_type));
            }
        }
        Ok((name, content_type))
    }

    /// What is wrong with these rules, if anything.
    pub fn problem(&self) -> Option<String> {
        if self.max_bytes == 0 {
            return Some("attachments.max_bytes must be more than 0".into());
        }
        self.content_types
            .iter()
            .find(|t| t.as_str() != "image/*" && !t.contains('/'))
            .map(|t| format!("attachments.content_types: {t:?} is not a content type such as image/png"))
    }
}

/// A file's name without any folder, control characters or surrounding space; at most 200
/// characters (the end, with the extension, is kept).
pub fn file_name(raw: &str) -> Result<String, DomainError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String =
        base.chars().filter(|c| !is_forbidden_control(*c) && *c != '\n' && *c != '\r').collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        return Err(DomainError::Invalid { field: "name", reason: "must name the file".into() });
    }
    let chars: Vec<char> = clean.chars().collect();
    let kept = if chars.len() > 200 { chars[chars.len() - 200..].iter().collect() } else { clean.to_owned() };
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn files_within_the_rules_pass_and_the_rest_say_why() {
        let rules = AttachmentRules { max_bytes: 100, ..AttachmentRules::default() };
        assert_eq!(
            rules.check("C:\\Users\\rosa\\photo.png", "image/PNG; x=y", PNG),
            Ok(("photo.png".into(), "image/png".into()))
        );
        assert_eq!(
            rules.check("notes.txt", "text/plain", b"hello"),
            Ok(("notes.txt".into(), "text/plain".into()))
        );
        assert!(matches!(
            rules.check("big.txt", "text/plain", &[b'a'; 101]),
            Err(AttachmentProblem::TooLarge { size: 101, max: 100 })
        ));
        assert!(
            matches!(rules.check("page.html", "text/html", b"<script>"), Err(AttachmentProblem::TypeRefused(t)) if t == "text/html")
        );
        assert!(matches!(
            rules.check("fake.png", "image/png", b"<svg onload=alert(1)>"),
            Err(AttachmentProblem::NotWhatItSays(_))
        ));
        assert!(matches!(rules.check("empty.txt", "text/plain", b""), Err(AttachmentProblem::Invalid(_))));
        assert!(matches!(rules.check("../", "text/plain", b"x"), Err(AttachmentProblem::Invalid(_))));
        let any_image = AttachmentRules { content_types: vec!["image/*".into()], ..rules };
        assert!(any_image.check("a.png", "image/png", PNG).is_ok());
        assert!(matches!(
            any_image.check("a.svg", "image/svg+xml", b"<svg/>"),
            Err(AttachmentProblem::TypeRefused(_))
        ));
    }

    #[test]
    fn names_lose_folders_and_control_characters_and_keep_their_end() {
        assert_eq!(file_name("/tmp/../etc/passwd").unwrap(), "passwd");
        assert_eq!(file_name(" in\u{7}voice.pdf ").unwrap(), "invoice.pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        let kept = file_name(&long).unwrap();
        assert_eq!((kept.chars().count(), kept.ends_with(".pdf")), (200, true));
        assert!(AttachmentRules::default().problem().is_none());
        assert!(
            AttachmentRules { content_types: vec!["png".into()], ..Default::default() }.problem().is_some()
        );
    }
}
