//! [`AttachmentStore`] for [`SqlStore`], and the append transaction's part (migration 0015).
//! The store keeps a file's bytes only when the server hands them over (PostgreSQL
//! deployments); otherwise the row names the file's path on disk.

use baton_core::ids::AttachmentId;
use baton_core::message::Message;
use sqlx::{Any, Row, Transaction};

use crate::rows::*;
use crate::*;

/// Writes `attachment`'s row and puts its reference on `message`'s row, in the append's
/// transaction.
pub(crate) async fn insert_attachment(
    tx: &mut Transaction<'static, Any>,
    message: &Message,
    attachment: &NewAttachment,
) -> Result<()> {
    let reference = &attachment.reference;
    sqlx::query(
        "INSERT INTO attachments (id, conversation_id, message_id, name, content_type, size, path, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id_text(reference.id))
    .bind(id_text(message.conversation_id))
    .bind(id_text(message.id))
    .bind(reference.name.clone())
    .bind(reference.content_type.clone())
    .bind(reference.size as i64)
    .bind(attachment.path.clone())
    .bind(attachment.content.clone())
    .bind(message.created_at.as_millis())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE messages SET attachment = $1 WHERE id = $2")
        .bind(serde_json::to_string(reference).expect("a reference serializes"))
        .bind(id_text(message.id))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl AttachmentStore for SqlStore {
    async fn append_attachment(
        &self,
        message: NewMessage,
        attachment: NewAttachment,
        guard: OwnerGuard,
    ) -> Result<Appended> {
        self.append(message, guard, Some(attachment)).await
    }

    async fn attachment(&self, id: AttachmentId) -> Result<Option<StoredAttachment>> {
        let row = sqlx::query(
            "SELECT id, conversation_id, name, content_type, size, path, content FROM attachments WHERE id = $1",
        )
        .bind(id_text(id))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredAttachment {
            reference: baton_core::attachment::AttachmentRef {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                name: row.try_get("name")?,
                content_type: row.try_get("content_type")?,
                size: row.try_get::<i64, _>("size")? as u64,
            },
            conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
            path: row.try_get("path")?,
            content: row.try_get("content")?,
        }))
    }
}
