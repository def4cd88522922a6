//! Decoding rows into domain types, and the column lists the queries select.

use std::str::FromStr;

use baton_core::channel::{ChannelKind, ConversationChannel};
use baton_core::conversation::Owner;
use baton_core::handoff::{ContactInfo, Handoff};
use baton_core::ids::{Id, UserId};
use baton_core::message::{Author, AuthorKind, Message};
use baton_core::time::Timestamp;
use baton_core::user::{Presence, Role, User};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Bot, Conversation, Result, StoreError, Team, Versioned};

pub(crate) fn id_text<K>(id: Id<K>) -> String {
    id.to_string()
}

pub(crate) fn parse_id<K>(text: &str) -> Result<Id<K>> {
    Id::from_str(text).map_err(|e| StoreError::Corrupt(format!("id `{text}`: {e}")))
}

pub(crate) fn opt_id<K>(text: Option<String>) -> Result<Option<Id<K>>> {
    text.as_deref().map(parse_id).transpose()
}

/// The user of a row selected with [`USER_COLUMNS`], without their teams, which are rows of
/// their own (see `SqlStore::attach_teams`).
pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    let languages: String = row.try_get("languages")?;
    let capacity: Option<i64> = row.try_get("capacity")?;
    Ok(User {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role `{role}`")))?,
        status: Presence::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status `{status}`")))?,
        teams: Vec::new(),
        languages: serde_json::from_str(&languages)
            .map_err(|e| StoreError::Corrupt(format!("user languages: {e}")))?,
        capacity: capacity
            .map(|c| u32::try_from(c).map_err(|_| StoreError::Corrupt(format!("user capacity {c}"))))
            .transpose()?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

pub(crate) const USER_COLUMNS: &str =
    "id, email, name, role, status, languages, capacity, disabled, created_at";

/// The team of a row selected with [`TEAM_COLUMNS`], without its members.
pub(crate) fn team_from_row(row: &AnyRow) -> Result<Team> {
    let settings: String = row.try_get("settings")?;
    Ok(Team {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        settings: serde_json::from_str(&settings)
            .map_err(|e| StoreError::Corrupt(format!("team settings: {e}")))?,
        members: Vec::new(),
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

pub(crate) const TEAM_COLUMNS: &str = "id, name, settings, created_at";

pub(crate) fn bot_from_row(row: &AnyRow) -> Result<Bot> {
    let settings: String = row.try_get("settings")?;
    Ok(Bot {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        is_default: row.try_get::<i64, _>("is_default")? != 0,
        settings: serde_json::from_str(&settings)
            .map_err(|e| StoreError::Corrupt(format!("bot settings: {e}")))?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

pub(crate) fn conversation_from_row(row: &AnyRow) -> Result<Conversation> {
    let owner_kind: String = row.try_get("owner_kind")?;
    let owner_user: Option<UserId> = opt_id(row.try_get("owner_user_id")?)?;
    Ok(Conversation {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        bot_id: parse_id(&row.try_get::<String, _>("bot_id")?)?,
        contact: ContactInfo { name: row.try_get("contact_name")?, email: row.try_get("contact_email")? },
        locale: row.try_get("locale")?,
        language: row.try_get("language")?,
        language_from_locale: row.try_get::<i64, _>("language_from_locale")? != 0,
        owner: Owner::from_parts(&owner_kind, owner_user)
            .ok_or_else(|| StoreError::Corrupt(format!("owner `{owner_kind}`")))?,
        last_seq: row.try_get("last_seq")?,
        bot_failures: row.try_get("bot_failures")?,
        bot_seq: row.try_get("bot_seq")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        contact_id: opt_id(row.try_get("contact_id")?)?,
        channel: channel_from_row(row)?,
    })
}

fn channel_from_row(row: &AnyRow) -> Result<Option<ConversationChannel>> {
    let kind: String = row.try_get("channel")?;
    let kind = ChannelKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("channel `{kind}`")))?;
    let address: Option<String> = row.try_get("channel_address")?;
    if kind == ChannelKind::Web {
        return Ok(None);
    }
    let channel_id = opt_id(row.try_get("channel_id")?)?;
    Ok(Some(ConversationChannel { channel_id, kind, address }))
}

pub(crate) const CONVERSATION_COLUMNS: &str = "id, bot_id, contact_name, contact_email, locale, language, language_from_locale, \
     owner_kind, owner_user_id, last_seq, bot_failures, bot_seq, created_at, contact_id, channel, channel_id, \
     channel_address";

pub(crate) fn message_from_row(row: &AnyRow) -> Result<Message> {
    let kind: String = row.try_get("author_kind")?;
    Ok(Message {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        seq: row.try_get("seq")?,
        author: Author {
            kind: AuthorKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("author `{kind}`")))?,
            id: opt_id(row.try_get("author_id")?)?,
            name: row.try_get("author_name")?,
        },
        text: row.try_get("text")?,
        note: row.try_get::<i64, _>("note")? != 0,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        client_id: row.try_get("client_id")?,
        attachment: row
            .try_get::<Option<String>, _>("attachment")?
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("message attachment: {e}")))?,
        template: crate::channels::template_from_row(row)?,
    })
}

pub(crate) const MESSAGE_COLUMNS: &str = "id, conversation_id, seq, author_kind, author_id, author_name, text, note, client_id, created_at, attachment, template";

pub(crate) fn handoff_from_row(row: &AnyRow) -> Result<Versioned<Handoff>> {
    let document: String = row.try_get("document")?;
    Ok(Versioned {
        value: serde_json::from_str(&document).map_err(|e| StoreError::Corrupt(format!("handoff: {e}")))?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
