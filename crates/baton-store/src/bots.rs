//! Bots and the bot's pending turns, as inherent methods of [`SqlStore`] that the [`Store`]
//! implementation delegates to.

use baton_core::event::{BotChanged, Event};
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::Message;
use baton_core::policy::BotSettings;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

const BOT_COLUMNS: &str = "id, name, is_default, settings, created_at";

fn settings_json(settings: &BotSettings) -> Result<String> {
    serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl SqlStore {
    pub(crate) async fn insert_bot(&self, bot: Bot) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let created = NewEvent::new(
            Event::BotCreated(BotChanged { bot_id: bot.id, name: bot.name.clone() }),
            bot.created_at,
        );
        sqlx::query(
            "INSERT INTO bots (id, name, is_default, settings, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_text(bot.id))
        .bind(bot.name)
        .bind(bot.is_default as i64)
        .bind(settings_json(&bot.settings)?)
        .bind(bot.created_at.as_millis())
        .execute(&mut *tx)
        .await?;
        self.commit_with_events(tx, &[created]).await
    }

    pub(crate) async fn select_bot(&self, filter: &str, value: String) -> Result<Option<Bot>> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {BOT_COLUMNS} FROM bots WHERE {filter} = $1")))
            .bind(value)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(bot_from_row).transpose()
    }

    pub(crate) async fn select_default_bot(&self) -> Result<Option<Bot>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BOT_COLUMNS} FROM bots ORDER BY is_default DESC, created_at LIMIT 1"
        )))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(bot_from_row).transpose()
    }

    pub(crate) async fn select_bots(&self) -> Result<Vec<Bot>> {
        let rows =
            sqlx::query(AssertSqlSafe(format!("SELECT {BOT_COLUMNS} FROM bots ORDER BY created_at, id")))
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(bot_from_row).collect()
    }

    pub(crate) async fn write_bot(
        &self,
        id: BotId,
        name: &str,
        settings: &BotSettings,
    ) -> Result<Option<Bot>> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE bots SET name = $1, settings = $2 WHERE id = $3 RETURNING {BOT_COLUMNS}"
        )))
        .bind(name)
        .bind(settings_json(settings)?)
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(bot) = row.as_ref().map(bot_from_row).transpose()? else { return Ok(None) };
        let updated = NewEvent::now(Event::BotUpdated(BotChanged { bot_id: bot.id, name: bot.name.clone() }));
        self.commit_with_events(tx, &[updated]).await?;
        Ok(Some(bot))
    }

    pub(crate) async fn write_bot_api_key(&self, id: BotId, key_hash: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE bots SET api_key_hash = $1 WHERE id = $2")
            .bind(key_hash)
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn advance_bot_seq(&self, id: ConversationId, seq: i64) -> Result<()> {
        sqlx::query("UPDATE conversations SET bot_seq = $1 WHERE id = $2 AND bot_seq < $1")
            .bind(seq)
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub(crate) async fn select_pending_turns(&self, id: ConversationId, limit: i64) -> Result<Vec<Message>> {
        let columns = MESSAGE_COLUMNS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {columns} FROM messages m JOIN conversations c ON c.id = m.conversation_id \
             WHERE c.id = $1 AND m.author_kind = 'contact' AND m.seq > c.bot_seq ORDER BY m.seq LIMIT $2"
        )))
        .bind(id_text(id))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    pub(crate) async fn select_conversations_with_pending_turns(
        &self,
        before: Timestamp,
    ) -> Result<Vec<ConversationId>> {
        // `last_seq > bot_seq` narrows to conversations with any message after the cursor
        // before the join checks that one of them is the contact's.
        let rows = sqlx::query(
            "SELECT DISTINCT c.id FROM conversations c JOIN messages m ON m.conversation_id = c.id \
             WHERE c.last_seq > c.bot_seq AND m.seq > c.bot_seq AND m.author_kind = 'contact' \
             AND m.created_at < $1",
        )
        .bind(before.as_millis())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| parse_id(&row.try_get::<String, _>("id")?)).collect()
    }
}
