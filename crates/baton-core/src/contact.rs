//! Contacts: the people who write in, one record across all their conversations.
//!
//! A new conversation says what it knows of its contact (a [`ContactClaim`]); the store finds
//! the record by the strongest thing it names, in this order:
//!
//! 1. a **verified identity**: the host site's own user id, which the site signs with the
//!    bot's identity secret (HMAC-SHA256, as Intercom's identity verification) so nobody can
//!    pose as a logged-in customer by typing their id;
//! 2. the **email** the contact gave;
//! 3. the **phone number** a phone channel (WhatsApp) knows them by, which its provider
//!    vouches for;
//! 4. the **visitor id** the widget keeps in the browser's local storage, so a returning
//!    anonymous visitor is recognised.
//!
//! Anything not found is created. The claim's name, email, language and attributes then
//! update the record ([`Contact::absorb`]): the newest word wins, and an attribute the host
//! page stopped sending is kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::handoff::{ContactInfo, Handoff};
use crate::ids::ContactId;
use crate::time::Timestamp;
use crate::values::{Email, reject_control_characters};

/// The widget's id for one browser: random, kept in its local storage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VisitorId(String);

impl VisitorId {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let ok = (8..=64).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(invalid("visitor_id", "must be 8 to 64 letters, digits, '-' or '_'"));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The host site's id for a logged-in customer, as its signed identity names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExternalId(String);

impl ExternalId {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Self, DomainError> {
        if text.trim().is_empty() || text.trim() != text {
            return Err(invalid("identity.user_id", "must not be empty or start or end with a space"));
        }
        reject_control_characters("identity.user_id", text)?;
        if text.chars().count() > Self::MAX_CHARS {
            return Err(invalid(
                "identity.user_id",
                format!("is longer than {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the host page says about the contact beyond name and email (plan, account id…): short
/// text values under short snake_case keys.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Attributes(BTreeMap<String, String>);

impl Attributes {
    pub const MAX_KEYS: usize = 30;
    pub const MAX_KEY_CHARS: usize = 40;
    pub const MAX_VALUE_CHARS: usize = 500;

    /// Checks each key and value; numbers and booleans become their text, `null` drops the key.
    pub fn parse(values: &serde_json::Map<String, serde_json::Value>) -> Result<Self, DomainError> {
        let mut attributes = BTreeMap::new();
        for (key, value) in values {
            let good_key = (1..=Self::MAX_KEY_CHARS).contains(&key.len())
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !good_key {
                return Err(invalid(
                    "attributes",
                    format!("{key:?} is not a key: use 1 to 40 lowercase letters, digits or '_'"),
                ));
            }
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(text) => text.trim().to_owned(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(invalid(
                        "attributes",
                        format!("{key}: must be text, a number or true/false"),
                    ));
                }
            };
            reject_control_characters("attributes", &text)?;
            if text.chars().count() > Self::MAX_VALUE_CHARS {
                return Err(invalid(
                    "attributes",
                    format!("{key}: is longer than {} characters", Self::MAX_VALUE_CHARS),
                ));
            }
            attributes.insert(key.clone(), text);
        }
        if attributes.len() > Self::MAX_KEYS {
            return Err(invalid("attributes", format!("at most {} keys", Self::MAX_KEYS)));
        }
        Ok(Self(attributes))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }

    /// These attributes with `newer` laid over them, kept within [`Self::MAX_KEYS`] (the
    /// newer values first, then the older ones in key order).
    pub fn overlaid(&self, newer: &Attributes) -> Attributes {
        let mut merged = newer.0.clone();
        for (key, value) in &self.0 {
            if merged.len() >= Self::MAX_KEYS {
                break;
            }
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Attributes(merged)
    }
}

/// A contact's record.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: Option<String>,
    pub email: Option<String>,
    /// Their phone number (digits, international form), from a conversation on a phone
    /// channel such as WhatsApp.
    #[serde(default)]
    pub phone: Option<String>,
    /// The language of their latest conversation, once known (ISO 639-1).
    pub language: Option<String>,
    /// The host site's user id, from a verified identity.
    pub external_id: Option<String>,
    pub attributes: Attributes,
    pub created_at: Timestamp,
    /// When a conversation last named this contact.
    pub last_seen_at: Timestamp,
}

/// What a new conversation knows about its contact, every part checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactClaim {
    pub visitor: Option<VisitorId>,
    /// Only ever set from an identity whose signature was checked.
    pub verified: Option<ExternalId>,
    pub name: Option<String>,
    pub email: Option<Email>,
    /// The phone number a phone channel (WhatsApp) knows them by: as strong as the email.
    pub phone: Option<String>,
    pub attributes: Attributes,
}

impl ContactClaim {
    /// Whether the claim names the contact at all; without, nothing links conversations and
    /// no record is made.
    pub fn identifies(&self) -> bool {
        self.visitor.is_some() || self.verified.is_some() || self.email.is_some() || self.phone.is_some()
    }
}

impl Contact {
    /// A new record made from `claim`.
    pub fn new(id: ContactId, claim: &ContactClaim, now: Timestamp) -> Self {
        let mut contact = Contact {
            id,
            name: None,
            email: None,
            phone: None,
            language: None,
            external_id: None,
            attributes: Attributes::default(),
            created_at: now,
            last_seen_at: now,
        };
        contact.absorb(claim, now);
        contact
    }

    /// Takes in what a new conversation says: a name or email given replaces the stored one,
    /// attributes are laid over the stored ones.
    pub fn absorb(&mut self, claim: &ContactClaim, now: Timestamp) {
        if let Some(name) = &claim.name {
            self.name = Some(name.clone());
        }
        if let Some(email) = &claim.email {
            self.email = Some(email.as_str().to_owned());
        }
        if let Some(phone) = &claim.phone {
            self.phone = Some(phone.clone());
        }
        if let Some(verified) = &claim.verified {
            self.external_id = Some(verified.as_str().to_owned());
        }
        self.attributes = self.attributes.overlaid(&claim.attributes);
        self.last_seen_at = self.last_seen_at.max(now);
    }
}

/// What erasing a contact leaves of one of their handoffs: when, how it went, who answered and
/// the rating (anonymous counts), without anything the contact said or was recorded about them.
pub fn anonymize(handoff: &mut Handoff) {
    handoff.contact = ContactInfo::default();
    handoff.lead = None;
    handoff.comment = None;
    handoff.reason = String::new();
    handoff.evidence.summary = None;
    handoff.evidence.signals.clear();
    handoff.gathered.clear();
    handoff.asking = None;
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::Invalid { field, reason: reason.into() }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn attributes(value: serde_json::Value) -> Result<Attributes, DomainError> {
        Attributes::parse(value.as_object().unwrap())
    }

    #[test]
    fn visitor_and_external_ids_are_checked() {
        assert!(VisitorId::parse("0b6c1f2e-5d1a-4c55-9d7e-5b0c7f1e2a9d").is_ok());
        for bad in ["short", "has space in it", "ünïcode-visitor", &"x".repeat(65)] {
            assert!(VisitorId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ExternalId::parse("user-42").is_ok());
        for bad in ["", " user", "a\u{0}b", &"x".repeat(201)] {
            assert!(ExternalId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn attributes_take_text_numbers_and_booleans_under_snake_case_keys() {
        let parsed = attributes(json!({"plan": " Pro ", "seats": 12, "trial": false, "gone": null})).unwrap();
        let pairs: Vec<_> = parsed.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("plan", "Pro"), ("seats", "12"), ("trial", "false")]);
        for bad in [
            json!({"Plan": "x"}),
            json!({"": "x"}),
            json!({"plan": {"nested": 1}}),
            json!({"plan": ["a"]}),
            json!({"plan": "a\u{7}"}),
            json!({"plan": "x".repeat(501)}),
        ] {
            assert!(attributes(bad.clone()).is_err(), "{bad}");
        }
        let many: serde_json::Map<_, _> = (0..31).map(|n| (format!("k{n}"), json!(n))).collect();
        assert!(Attributes::parse(&many).is_err());
    }

    #[test]
    fn a_record_takes_the_newest_name_email_and_attributes() {
        let first = ContactClaim {
            visitor: Some(VisitorId::parse("visitor-0001").unwrap()),
            name: Some("Rosa".into()),
            attributes: attributes(json!({"plan": "free", "city": "Porto"})).unwrap(),
            ..ContactClaim::default()
        };
        let mut contact =
            Contact::new(ContactId::from_uuid(uuid::Uuid::nil()), &first, Timestamp::from_millis(10));
        assert_eq!((contact.name.as_deref(), contact.email.as_deref()), (Some("Rosa"), None));
        let later = ContactClaim {
            email: Some(Email::parse("rosa@example.com").unwrap()),
            verified: Some(ExternalId::parse("u-7").unwrap()),
            attributes: attributes(json!({"plan": "pro"})).unwrap(),
            ..ContactClaim::default()
        };
        contact.absorb(&later, Timestamp::from_millis(20));
        assert_eq!(contact.name.as_deref(), Some("Rosa"), "a claim without a name keeps it");
        assert_eq!(contact.email.as_deref(), Some("rosa@example.com"));
        assert_eq!(contact.external_id.as_deref(), Some("u-7"));
        let pairs: Vec<_> = contact.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("city", "Porto"), ("plan", "pro")]);
        assert_eq!(contact.last_seen_at, Timestamp::from_millis(20));
        assert!(later.identifies() && !ContactClaim::default().identifies());
    }
}
