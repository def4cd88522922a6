//! Contacts: who a new conversation's contact is (see [`baton_core::contact`]), a logged-in
//! customer's signed identity, and reading, exporting and erasing a contact's record.
//!
//! A host site that knows its customer passes their user id with `user_hash`, the hex
//! HMAC-SHA256 of the id keyed with the bot's `identity_secret` (computed on the site's server,
//! where the secret stays). Without the right hash the conversation is refused, so nobody can
//! pose as a logged-in customer by typing their id.

use baton_core::audit::{AuditSubject, FieldChange};
use baton_core::contact::{Attributes, Contact, ContactClaim, ExternalId, VisitorId};
use baton_core::handoff::Handoff;
use baton_core::ids::{ContactId, ContactKind};
use baton_core::message::Message;
use baton_core::search::{ConversationSearch, Cursor, SearchText};
use baton_core::user::User;
use baton_store::{ContactErased, ContactLink, StoreError};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;

use super::audit;
use super::history;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most contacts one page holds.
pub const MAX_PAGE: u32 = 100;
/// The most of a contact's conversations their record shows.
pub const CONVERSATIONS_SHOWN: u32 = 50;

/// What a new conversation says about its contact, before it is checked.
#[derive(Debug, Default)]
pub struct ContactInput {
    pub visitor_id: Option<String>,
    /// The host site's user id and its `user_hash`.
    pub identity: Option<(String, String)>,
    pub attributes: Option<serde_json::Map<String, Value>>,
}

/// Whether `user_hash` is the hex HMAC-SHA256 of `user_id` under `secret`, compared in
/// constant time.
pub fn identity_is_signed(secret: &str, user_id: &str, user_hash: &str) -> bool {
    let Some(expected) = decode_hex(user_hash.trim()) else { return false };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(user_id.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The checked claim for a conversation with `bot_secret` (the bot's identity secret) whose
/// contact gave `name` and `email`; `None` when nothing in it names the contact.
pub fn link(
    state: &AppState,
    bot_secret: &str,
    name: Option<&str>,
    email: Option<&baton_core::values::Email>,
    input: ContactInput,
) -> ApiResult<Option<ContactLink>> {
    let visitor = input.visitor_id.as_deref().map(VisitorId::parse).transpose()?;
    let verified = match &input.identity {
        None => None,
        Some(_) if bot_secret.is_empty() => {
            return Err(ApiError::Unprocessable {
                code: "identity_not_configured",
                detail: "identity: this bot has no identity_secret to check it with".into(),
            });
        }
        Some((user_id, user_hash)) => {
            let user_id = ExternalId::parse(user_id)?;
            if !identity_is_signed(bot_secret, user_id.as_str(), user_hash) {
                return Err(ApiError::Forbidden {
                    code: "identity_invalid",
                    detail:
                        "identity.user_hash is not the HMAC-SHA256 of user_id with this bot's identity secret"
                            .into(),
                });
            }
            Some(user_id)
        }
    };
    let attributes = match &input.attributes {
        Some(values) => Attributes::parse(values)?,
        None => Attributes::default(),
    };
    let claim = ContactClaim {
        visitor,
        verified,
        name: name.map(str::to_owned),
        email: email.cloned(),
        phone: None,
        attributes,
    };
    Ok(claim.identifies().then(|| ContactLink { new_id: state.new_id(), claim }))
}

pub struct ContactPage {
    pub contacts: Vec<Contact>,
    pub next: Option<Cursor<ContactKind>>,
}

/// One page of the contacts matching `text`, most recently seen first.
pub async fn search(
    state: &AppState,
    text: &SearchText,
    after: Option<Cursor<ContactKind>>,
    limit: u32,
) -> ApiResult<ContactPage> {
    let limit = limit.clamp(1, MAX_PAGE);
    let contacts = state.store.search_contacts(text, after, limit).await?;
    // A full page may have more after it; a short one is the last.
    let full = contacts.len() == limit as usize;
    let next = contacts.last().filter(|_| full).map(|c| Cursor { at: c.last_seen_at, id: c.id });
    Ok(ContactPage { contacts, next })
}

pub async fn load(state: &AppState, id: ContactId) -> ApiResult<Contact> {
    state.store.contact(id).await?.ok_or(ApiError::NotFound { what: "contact" })
}

/// A contact and their conversations that `user` may see, most recent first.
pub async fn profile(state: &AppState, user: &User, id: ContactId) -> ApiResult<(Contact, history::Page)> {
    let contact = load(state, id).await?;
    let search = ConversationSearch { contact: Some(id), limit: CONVERSATIONS_SHOWN, ..Default::default() };
    let page = history::search(state, user, search).await?;
    Ok((contact, page))
}

/// One conversation of an export: what the contact and the team said to each other (team
/// notes are the team's own, not the contact's data) and each handoff.
pub struct ExportedConversation {
    pub conversation: baton_store::Conversation,
    pub messages: Vec<Message>,
    pub handoffs: Vec<Handoff>,
}

/// Everything Baton holds about a contact, for a subject-access request; recorded in the
/// audit log.
pub async fn export(
    state: &AppState,
    admin: &User,
    id: ContactId,
) -> ApiResult<(Contact, Vec<ExportedConversation>)> {
    let contact = load(state, id).await?;
    let mut conversations = Vec::new();
    let mut search = ConversationSearch { contact: Some(id), limit: history::MAX_PAGE, ..Default::default() };
    loop {
        let hits = state.store.search_conversations(&search).await?;
        let full = hits.len() == search.limit as usize;
        search.after = hits.last().map(|hit| Cursor { at: hit.last_message_at, id: hit.conversation.id });
        for hit in hits {
            let messages = all_messages(state, hit.conversation.id).await?;
            conversations.push(ExportedConversation {
                conversation: hit.conversation,
                messages,
                handoffs: hit.handoffs,
            });
        }
        if !full {
            break;
        }
    }
    audit::record_changes(state, Some(admin), "contact.exported", subject(&contact), Vec::new()).await?;
    Ok((contact, conversations))
}

async fn all_messages(
    state: &AppState,
    conversation: baton_core::ids::ConversationId,
) -> ApiResult<Vec<Message>> {
    const PAGE: i64 = 500;
    let mut messages: Vec<Message> = Vec::new();
    loop {
        let after = messages.last().map_or(0, |m| m.seq);
        let page = state.store.messages_after(conversation, after, false, PAGE).await?;
        let done = page.len() < PAGE as usize;
        messages.extend(page);
        if done {
            return Ok(messages);
        }
    }
}

fn subject(contact: &Contact) -> AuditSubject {
    let name = contact.name.clone().or_else(|| contact.email.clone()).unwrap_or_default();
    AuditSubject { kind: "contact".into(), id: contact.id.to_string(), name }
}

/// Erases a contact's messages and personal data (their conversations and handoffs stay as
/// anonymous records, so counts do not change); recorded in the audit log without the name.
/// 409 `contact_in_chat` while one of their conversations is with the team.
pub async fn erase(state: &AppState, admin: &User, id: ContactId) -> ApiResult<ContactErased> {
    let erased = match state.store.erase_contact(id).await {
        Ok(Some(erased)) => erased,
        Ok(None) => return Err(ApiError::NotFound { what: "contact" }),
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::conflict(
                "contact_in_chat",
                "one of this contact's conversations is with the team: close it first",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    crate::files::FileStore::for_database(&state.settings.database_url)
        .delete(&erased.attachment_paths)
        .await;
    let subject = AuditSubject { kind: "contact".into(), id: id.to_string(), name: String::new() };
    let counts = [
        ("conversations", erased.conversations),
        ("messages", erased.messages),
        ("handoffs", erased.handoffs),
    ];
    let changes = counts
        .into_iter()
        .map(|(field, n)| FieldChange {
            field: format!("erased.{field}"),
            before: None,
            after: Some(n.into()),
        })
        .collect();
    audit::record_changes(state, Some(admin), "contact.erased", subject, changes).await?;
    Ok(erased)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_signature_verifies_an_identity() {
        // HMAC-SHA256 of "user-42" keyed with "secret", as Python's hmac module computes it.
        let hash = "e286b7b944100ab478fe553b39122922de0000aee1d04087dc3e96eefc3a8d47";
        assert!(identity_is_signed("secret", "user-42", hash));
        assert!(identity_is_signed("secret", "user-42", &hash.to_uppercase()));
        assert!(!identity_is_signed("secret", "user-43", hash));
        assert!(!identity_is_signed("other", "user-42", hash));
        assert!(!identity_is_signed("secret", "user-42", &hash[..62]));
        assert!(!identity_is_signed("secret", "user-42", "zz"));
    }
}
