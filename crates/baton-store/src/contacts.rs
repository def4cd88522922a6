//! [`ContactStore`] for [`SqlStore`] (migration 0014). A new conversation finds or creates its
//! contact inside its own transaction ([`resolve_contact`]), so a conversation never points at a
//! contact that does not exist and two conversations of one verified customer never make two
//! records.

use baton_core::contact::{Contact, ContactClaim, anonymize};
use baton_core::ids::{ContactId, ContactKind, ConversationId};
use baton_core::search::{Cursor, SearchText};
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::rows::*;
use crate::search::{Binds, fts5_words, tsquery_words};
use crate::sql::Dialect;
use crate::*;

pub(crate) const CONTACT_COLUMNS: &str =
    "id, name, email, phone, language, external_id, attributes, created_at, last_seen_at";

fn contact_from_row(row: &AnyRow) -> Result<Contact> {
    let attributes: String = row.try_get("attributes")?;
    Ok(Contact {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        language: row.try_get("language")?,
        external_id: row.try_get("external_id")?,
        attributes: serde_json::from_str(&attributes)
            .map_err(|e| StoreError::Corrupt(format!("contact attributes: {e}")))?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        last_seen_at: Timestamp::from_millis(row.try_get("last_seen_at")?),
    })
}

fn attributes_text(contact: &Contact) -> String {
    serde_json::to_string(&contact.attributes).expect("attributes serialize")
}

async fn contact_where(
    tx: &mut Transaction<'static, Any>,
    condition: &str,
    value: &str,
) -> Result<Option<Contact>> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {condition} ORDER BY last_seen_at DESC, id DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value.to_owned()).fetch_optional(&mut **tx).await?;
    row.as_ref().map(contact_from_row).transpose()
}

/// Finds the contact `claim` names, strongest first (see `baton_core::contact`), or creates it
/// with `new_id`; either way it takes in the claim and, when known, the conversation's
/// language. An unverified claim (an email typed, a visitor id) never lands on a record of a
/// verified customer by email, and a verified claim never takes over another customer's.
pub(crate) async fn resolve_contact(
    tx: &mut Transaction<'static, Any>,
    dialect: Dialect,
    new_id: ContactId,
    claim: &ContactClaim,
    language: Option<&str>,
    now: Timestamp,
) -> Result<Contact> {
    if dialect == Dialect::Postgres {
        // Two first conversations of one customer must not both create their record: each
        // key the claim names is locked for the transaction, always in the same order, so
        // claims naming the same person wait for each other and no two wait in a circle.
        // (SQLite's write transactions already run one at a time.)
        let keys = [
            claim.verified.as_ref().map(|v| format!("contact:user:{}", v.as_str())),
            claim.email.as_ref().map(|e| format!("contact:email:{}", e.as_str().to_lowercase())),
            claim.phone.as_ref().map(|phone| format!("contact:phone:{phone}")),
            claim.visitor.as_ref().map(|v| format!("contact:visitor:{}", v.as_str())),
        ];
        for key in keys.into_iter().flatten() {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(key).execute(&mut **tx).await?;
        }
    }
    let mut found = None;
    if let Some(verified) = &claim.verified {
        found = contact_where(tx, "external_id = $1", verified.as_str()).await?;
    }
    if found.is_none()
        && let Some(email) = &claim.email
    {
        found = contact_where(tx, "LOWER(email) = LOWER($1) AND external_id IS NULL", email.as_str()).await?;
    }
    if found.is_none()
        && let Some(phone) = &claim.phone
    {
        found = contact_where(tx, "phone = $1", phone).await?;
    }
    if found.is_none()
        && let Some(visitor) = &claim.visitor
    {
        let condition = "id = (SELECT contact_id FROM contact_visitors WHERE visitor_id = $1)";
        found = contact_where(tx, condition, visitor.as_str())
            .await?
            .filter(|c| claim.verified.is_none() || c.external_id.is_none());
    }
    let mut contact = match found {
        Some(mut contact) => {
            contact.absorb(claim, now);
            contact
        }
        None => Contact::new(new_id, claim, now),
    };
    if let Some(language) = language {
        contact.language = Some(language.to_owned());
    }
    // One statement for a found record and a new one: the record as it now is.
    sqlx::query(
        "INSERT INTO contacts (id, name, email, phone, language, external_id, attributes, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone, \
         language = excluded.language, \
         external_id = excluded.external_id, attributes = excluded.attributes, last_seen_at = excluded.last_seen_at",
    )
    .bind(id_text(contact.id))
    .bind(contact.name.clone())
    .bind(contact.email.clone())
    .bind(contact.phone.clone())
    .bind(contact.language.clone())
    .bind(contact.external_id.clone())
    .bind(attributes_text(&contact))
    .bind(contact.created_at.as_millis())
    .bind(contact.last_seen_at.as_millis())
    .execute(&mut **tx)
    .await?;
    if let Some(visitor) = &claim.visitor {
        sqlx::query(
            "INSERT INTO contact_visitors (visitor_id, contact_id) VALUES ($1, $2) \
             ON CONFLICT (visitor_id) DO UPDATE SET contact_id = excluded.contact_id",
        )
        .bind(visitor.as_str().to_owned())
        .bind(id_text(contact.id))
        .execute(&mut **tx)
        .await?;
    }
    Ok(contact)
}

#[async_trait::async_trait]
impl ContactStore for SqlStore {
    async fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id_text(id)).fetch_optional(self.pool()).await?;
        row.as_ref().map(contact_from_row).transpose()
    }

    /// Contacts whose name, email or site user id has all of `text`'s words (or whose id it
    /// is), most recently seen first.
    async fn search_contacts(
        &self,
        text: &SearchText,
        after: Option<Cursor<ContactKind>>,
        limit: u32,
    ) -> Result<Vec<Contact>> {
        let mut binds = Binds::default();
        let mut sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE 1 = 1");
        if let Some(id) = text.id {
            sql += &format!(" AND id = {}", binds.text(id.to_string()));
        } else if !text.words.is_empty() {
            match self.dialect() {
                Dialect::Sqlite => {
                    let query = binds.text(fts5_words(&text.words));
                    sql += &format!(
                        " AND id IN (SELECT contact_id FROM contact_text WHERE contact_text MATCH {query})"
                    );
                }
                Dialect::Postgres => {
                    let query = binds.text(tsquery_words(&text.words));
                    sql += &format!(" AND search @@ to_tsquery('simple', {query})");
                }
            }
        }
        if let Some(after) = after {
            let at = binds.int(after.at.as_millis());
            let id = binds.text(id_text(after.id));
            sql += &format!(" AND (last_seen_at < {at} OR (last_seen_at = {at} AND id < {id}))");
        }
        sql += &format!(" ORDER BY last_seen_at DESC, id DESC LIMIT {}", binds.int(limit.into()));
        let rows = binds.apply(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
        rows.iter().map(contact_from_row).collect()
    }

    /// Erases a contact: their conversations' messages (and their full-text rows), the
    /// personal parts of their handoffs, their name and email on the conversations, the
    /// record and its visitor ids. The conversations and handoffs stay, anonymous, so counts
    /// and analytics do not change. Refused while one of their conversations has an open
    /// handoff. `None` when there is no such contact.
    async fn erase_contact(&self, id: ContactId) -> Result<Option<ContactErased>> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM contacts WHERE id = $1")
            .bind(id_text(id))
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            return Ok(None);
        }
        let open = sqlx::query(
            "SELECT 1 FROM handoffs h JOIN conversations c ON c.id = h.conversation_id \
             WHERE c.contact_id = $1 AND h.is_open = 1 LIMIT 1",
        )
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(StoreError::Conflict("the contact has an open handoff"));
        }
        let rows = sqlx::query("SELECT id FROM conversations WHERE contact_id = $1")
            .bind(id_text(id))
            .fetch_all(&mut *tx)
            .await?;
        let conversations: Vec<ConversationId> =
            rows.iter().map(|row| parse_id(&row.try_get::<String, _>("id")?)).collect::<Result<_>>()?;
        let mut erased = ContactErased {
            conversations: conversations.len() as u64,
            messages: 0,
            handoffs: 0,
            attachment_paths: Vec::new(),
        };
        for conversation in &conversations {
            if self.dialect() == Dialect::Sqlite {
                sqlx::query(
                    "DELETE FROM search_text WHERE rowid IN \
                     (SELECT rowid FROM search_text WHERE search_text MATCH $1)",
                )
                .bind(format!("conversation_id : \"{conversation}\""))
                .execute(&mut *tx)
                .await?;
            }
            let files = sqlx::query("DELETE FROM attachments WHERE conversation_id = $1 RETURNING path")
                .bind(id_text(*conversation))
                .fetch_all(&mut *tx)
                .await?;
            for file in &files {
                if let Some(path) = file.try_get::<Option<String>, _>("path")? {
                    erased.attachment_paths.push(path);
                }
            }
            // What was sent to them on a channel: the texts and their number, and the mail
            // thread (its subjects).
            sqlx::query("DELETE FROM follow_up_routes WHERE conversation_id = $1")
                .bind(id_text(*conversation))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM channel_deliveries WHERE conversation_id = $1")
                .bind(id_text(*conversation))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM email_messages WHERE conversation_id = $1")
                .bind(id_text(*conversation))
                .execute(&mut *tx)
                .await?;
            erased.messages += sqlx::query("DELETE FROM messages WHERE conversation_id = $1")
                .bind(id_text(*conversation))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let handoffs = sqlx::query("SELECT document, version FROM handoffs WHERE conversation_id = $1")
                .bind(id_text(*conversation))
                .fetch_all(&mut *tx)
                .await?;
            for row in &handoffs {
                let mut handoff = handoff_from_row(row)?;
                anonymize(&mut handoff.value);
                let document = serde_json::to_string(&handoff.value).expect("a handoff serializes");
                sqlx::query("UPDATE handoffs SET document = $2, version = version + 1 WHERE id = $1")
                    .bind(id_text(handoff.value.id))
                    .bind(document)
                    .execute(&mut *tx)
                    .await?;
                erased.handoffs += 1;
            }
        }
        sqlx::query(
            "UPDATE conversations SET contact_name = NULL, contact_email = NULL, contact_id = NULL, \
             channel_address = NULL WHERE contact_id = $1",
        )
        .bind(id_text(id))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM contact_visitors WHERE contact_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM contacts WHERE id = $1").bind(id_text(id)).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(erased))
    }
}
