//! [`EmailStore`] for [`SqlStore`] (migration 0018): the email channel's reading position in
//! each mailbox, and the mails of each conversation's thread.
//!
//! A mailbox is read by IMAP UID, which only means something together with the mailbox's
//! UIDVALIDITY: when the server changes it, the position is void and the mailbox is read from
//! its unread mail again (the stored `client_id`s keep a mail from being stored twice).

use baton_core::ids::{ChannelId, ConversationId};
use baton_core::time::Timestamp;
use sqlx::Row;

use crate::rows::*;
use crate::*;

/// How far a mailbox has been read: the last UID taken, valid under `uid_validity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxPosition {
    pub uid_validity: u32,
    pub last_uid: u32,
}

/// A conversation's email thread: its subject and the message ids of its mails, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailThread {
    pub subject: String,
    pub message_ids: Vec<String>,
}

/// How many of a thread's message ids an answer names in `References`.
const REFERENCES: i64 = 20;

#[async_trait]
pub trait EmailStore: Send + Sync {
    async fn mailbox_position(&self, channel: ChannelId) -> Result<Option<MailboxPosition>>;
    async fn save_mailbox_position(&self, channel: ChannelId, position: MailboxPosition) -> Result<()>;
    /// Records a mail of the conversation's thread; `false` if its message id is known already.
    async fn record_thread_mail(
        &self,
        message_id: &str,
        conversation: ConversationId,
        subject: &str,
        at: Timestamp,
    ) -> Result<bool>;
    /// The conversation of the newest of these mails that Baton knows.
    async fn email_conversation(&self, message_ids: &[String]) -> Result<Option<ConversationId>>;
    /// The conversation's thread: the newest subject and its last message ids.
    async fn email_thread(&self, conversation: ConversationId) -> Result<Option<EmailThread>>;
}

#[async_trait]
impl EmailStore for SqlStore {
    async fn mailbox_position(&self, channel: ChannelId) -> Result<Option<MailboxPosition>> {
        let row = sqlx::query("SELECT uid_validity, last_uid FROM email_mailboxes WHERE channel_id = $1")
            .bind(id_text(channel))
            .fetch_optional(self.pool())
            .await?;
        let number = |row: &sqlx::any::AnyRow, column: &str| -> Result<u32> {
            let value: i64 = row.try_get(column)?;
            u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{column} {value}")))
        };
        row.map(|row| {
            Ok(MailboxPosition {
                uid_validity: number(&row, "uid_validity")?,
                last_uid: number(&row, "last_uid")?,
            })
        })
        .transpose()
    }

    async fn save_mailbox_position(&self, channel: ChannelId, position: MailboxPosition) -> Result<()> {
        sqlx::query(
            "INSERT INTO email_mailboxes (channel_id, uid_validity, last_uid) VALUES ($1, $2, $3) \
             ON CONFLICT (channel_id) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
        )
        .bind(id_text(channel))
        .bind(i64::from(position.uid_validity))
        .bind(i64::from(position.last_uid))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    async fn record_thread_mail(
        &self,
        message_id: &str,
        conversation: ConversationId,
        subject: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO email_messages (message_id, conversation_id, subject, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(message_id.to_owned())
        .bind(id_text(conversation))
        .bind(subject.to_owned())
        .bind(at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(inserted.rows_affected() > 0)
    }

    async fn email_conversation(&self, message_ids: &[String]) -> Result<Option<ConversationId>> {
        if message_ids.is_empty() {
            return Ok(None);
        }
        let mut binds = crate::search::Binds::default();
        let ids: Vec<String> = message_ids.iter().take(100).map(|id| binds.text(id.clone())).collect();
        let sql = format!(
            "SELECT conversation_id FROM email_messages WHERE message_id IN ({}) ORDER BY created_at DESC LIMIT 1",
            ids.join(", ")
        );
        let row = binds.apply(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_optional(self.pool()).await?;
        row.map(|row| parse_id(&row.try_get::<String, _>("conversation_id")?)).transpose()
    }

    async fn email_thread(&self, conversation: ConversationId) -> Result<Option<EmailThread>> {
        let rows = sqlx::query(
            "SELECT message_id, subject FROM email_messages WHERE conversation_id = $1 \
             ORDER BY created_at DESC, message_id DESC LIMIT $2",
        )
        .bind(id_text(conversation))
        .bind(REFERENCES)
        .fetch_all(self.pool())
        .await?;
        let Some(newest) = rows.first() else { return Ok(None) };
        let subject = newest.try_get("subject")?;
        let mut message_ids = rows
            .iter()
            .map(|row| row.try_get("message_id"))
            .collect::<std::result::Result<Vec<String>, _>>()?;
        message_ids.reverse();
        Ok(Some(EmailThread { subject, message_ids }))
    }
}
