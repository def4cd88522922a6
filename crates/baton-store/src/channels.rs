//! [`ChannelStore`] for [`SqlStore`] (migration 0016): configured channels, the conversation
//! of a channel address, and the queue of messages sent out on channels.
//!
//! The send queue works like the webhook deliveries' (see `webhooks.rs`): one row per message
//! (unique, so a consumer that sees a message twice queues it once), claimed under a lease by
//! moving its `next_attempt_at`, and only when no earlier message of its conversation is still
//! pending, so a contact reads the answers in the order they were written.

use baton_core::attachment::AttachmentRef;
use baton_core::channel::{ChannelKind, ChannelSettings, SendStatus, TemplateUse};
use baton_core::ids::{BotId, ChannelDeliveryId, ChannelId, ConversationId, HandoffId, MessageId};
use baton_core::message::AuthorKind;
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

/// A configured channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub id: ChannelId,
    pub bot_id: BotId,
    pub name: String,
    /// Its kind is its settings' kind.
    pub settings: ChannelSettings,
    /// A disabled channel takes no messages in and sends none out.
    pub enabled: bool,
    pub created_at: Timestamp,
}

impl Channel {
    pub fn kind(&self) -> ChannelKind {
        self.settings.kind()
    }
}

/// A message to send to a contact on a channel.
#[derive(Debug, Clone)]
pub struct NewChannelDelivery {
    pub id: ChannelDeliveryId,
    pub channel_id: ChannelId,
    pub conversation_id: ConversationId,
    pub message_id: MessageId,
    pub seq: i64,
    /// The contact's address on the channel.
    pub recipient: String,
    /// The text every attempt sends.
    pub body: String,
    /// Sent as this WhatsApp template instead of as text.
    pub template: Option<TemplateUse>,
    /// The file it sends, where the channel can send files (its text is the file's name).
    pub attachment: Option<AttachmentRef>,
    pub created_at: Timestamp,
}

/// A message sent (or being sent) on a channel, with how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelDelivery {
    pub id: ChannelDeliveryId,
    pub channel_id: ChannelId,
    pub conversation_id: ConversationId,
    pub message_id: MessageId,
    pub seq: i64,
    pub recipient: String,
    pub body: String,
    pub template: Option<TemplateUse>,
    pub attachment: Option<AttachmentRef>,
    pub status: SendStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    pub last_attempt_at: Option<Timestamp>,
    /// The provider's HTTP answer to the last attempt.
    pub response_code: Option<u16>,
    /// What went wrong on the last attempt, or what the provider reported.
    pub error: Option<String>,
    /// The provider's id for the sent message (WhatsApp's `wamid…`).
    pub provider_message_id: Option<String>,
    pub created_at: Timestamp,
}

/// How one attempt went: accepted (with the provider's id), to be retried at `retry_at`, or,
/// with neither, given up.
#[derive(Debug, Clone)]
pub struct ChannelAttempt {
    pub at: Timestamp,
    pub response_code: Option<u16>,
    pub error: Option<String>,
    pub retry_at: Option<Timestamp>,
    pub provider_message_id: Option<String>,
}

const CHANNEL_COLUMNS: &str = "id, kind, bot_id, name, settings, enabled, created_at";
const DELIVERY_COLUMNS: &str = "id, channel_id, conversation_id, message_id, seq, recipient, body, status, attempts, \
     next_attempt_at, last_attempt_at, response_code, error, provider_message_id, created_at, template, attachment";

fn channel_from_row(row: &AnyRow) -> Result<Channel> {
    let kind: String = row.try_get("kind")?;
    let kind =
        ChannelKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("channel kind `{kind}`")))?;
    let settings: String = row.try_get("settings")?;
    let settings = serde_json::from_str(&settings)
        .map_err(|e| e.to_string())
        .and_then(|value| ChannelSettings::parse(kind, value))
        .map_err(|e| StoreError::Corrupt(format!("channel settings: {e}")))?;
    Ok(Channel {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        bot_id: parse_id(&row.try_get::<String, _>("bot_id")?)?,
        name: row.try_get("name")?,
        settings,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

fn delivery_from_row(row: &AnyRow) -> Result<ChannelDelivery> {
    let status: String = row.try_get("status")?;
    let millis = |column: &str| -> Result<Option<Timestamp>> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_millis))
    };
    Ok(ChannelDelivery {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        channel_id: parse_id(&row.try_get::<String, _>("channel_id")?)?,
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        message_id: parse_id(&row.try_get::<String, _>("message_id")?)?,
        seq: row.try_get("seq")?,
        recipient: row.try_get("recipient")?,
        body: row.try_get("body")?,
        template: template_from_row(row)?,
        attachment: row
            .try_get::<Option<String>, _>("attachment")?
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("delivery attachment: {e}")))?,
        status: SendStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("channel delivery status `{status}`")))?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: millis("next_attempt_at")?,
        last_attempt_at: millis("last_attempt_at")?,
        response_code: row
            .try_get::<Option<i64>, _>("response_code")?
            .and_then(|code| u16::try_from(code).ok()),
        error: row.try_get("error")?,
        provider_message_id: row.try_get("provider_message_id")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

pub(crate) fn template_from_row(row: &AnyRow) -> Result<Option<TemplateUse>> {
    row.try_get::<Option<String>, _>("template")?
        .map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("message template: {e}")))
}

pub(crate) fn template_text(template: Option<&TemplateUse>) -> Option<String> {
    template.map(|t| serde_json::to_string(t).expect("a template use serializes"))
}

fn settings_text(settings: &ChannelSettings) -> String {
    serde_json::to_string(settings).expect("channel settings serialize")
}

/// A handoff's thread in the team's Slack channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlackThread {
    pub handoff_id: HandoffId,
    pub channel_id: ChannelId,
    pub conversation_id: ConversationId,
    pub slack_channel: String,
    /// The root message's `ts`, which names the thread.
    pub ts: String,
    pub created_at: Timestamp,
}

fn thread_from_row(row: &AnyRow) -> Result<SlackThread> {
    Ok(SlackThread {
        handoff_id: parse_id(&row.try_get::<String, _>("handoff_id")?)?,
        channel_id: parse_id(&row.try_get::<String, _>("channel_id")?)?,
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        slack_channel: row.try_get("slack_channel")?,
        ts: row.try_get("ts")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

const THREAD_COLUMNS: &str = "handoff_id, channel_id, conversation_id, slack_channel, ts, created_at";

/// Channels and what is sent on them.
#[async_trait]
pub trait ChannelStore: Send + Sync {
    /// Records a handoff's Slack thread; `false` if the handoff has one already.
    async fn save_slack_thread(&self, thread: &SlackThread) -> Result<bool>;
    async fn slack_thread(&self, handoff: HandoffId) -> Result<Option<SlackThread>>;
    /// The thread whose root message is `ts` in the channel's Slack channel.
    async fn slack_thread_by_ts(&self, channel: ChannelId, ts: &str) -> Result<Option<SlackThread>>;
    /// The newest thread of each of `conversations`.
    async fn slack_threads_of(&self, conversations: &[ConversationId]) -> Result<Vec<SlackThread>>;
    async fn create_channel(&self, channel: &Channel) -> Result<()>;
    async fn channel(&self, id: ChannelId) -> Result<Option<Channel>>;
    async fn channels(&self) -> Result<Vec<Channel>>;
    /// Replaces its name, bot, settings and enabled flag; `false` if there is no such channel.
    async fn update_channel(&self, channel: &Channel) -> Result<bool>;
    /// Deletes it and its send log; its conversations stay, remembering their kind.
    async fn delete_channel(&self, id: ChannelId) -> Result<bool>;
    /// The conversation of `address` on the channel, if there is one.
    async fn channel_conversation(&self, channel: ChannelId, address: &str) -> Result<Option<Conversation>>;
    /// Of `conversations`, those on an enabled channel that carries texts (email, WhatsApp, SMS): with
    /// the channel and the address.
    async fn channel_recipients(
        &self,
        conversations: &[ConversationId],
    ) -> Result<Vec<(ConversationId, ChannelId, String)>>;
    /// When the contact last wrote in the conversation.
    async fn last_contact_message_at(&self, conversation: ConversationId) -> Result<Option<Timestamp>>;
    /// Queues messages to send; a message already queued is skipped. How many were queued.
    async fn queue_channel_deliveries(&self, deliveries: &[NewChannelDelivery]) -> Result<u64>;
    /// Takes up to `limit` pending sends due at `now` that no earlier pending send of their
    /// conversation holds back, holding them until `lease_until`; in conversation order.
    async fn claim_due_channel_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<ChannelDelivery>>;
    async fn next_channel_delivery_due(&self) -> Result<Option<Timestamp>>;
    /// Gives back claimed sends that were not attempted, due again at `at` (they still wait
    /// behind any earlier pending send of their conversation).
    async fn release_channel_deliveries(&self, ids: &[ChannelDeliveryId], at: Timestamp) -> Result<()>;
    /// Records attempts, in one transaction.
    async fn record_channel_attempts(&self, attempts: &[(ChannelDeliveryId, ChannelAttempt)]) -> Result<()>;
    /// A status the provider reported for the message it knows as `provider_message_id`;
    /// `false` when no such message is known or it already stands further along.
    async fn report_channel_status(
        &self,
        channel: ChannelId,
        provider_message_id: &str,
        status: SendStatus,
        error: Option<&str>,
    ) -> Result<bool>;
    /// The channel's sends, newest first, created before `before` when given.
    async fn channel_deliveries(
        &self,
        channel: ChannelId,
        before: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<ChannelDelivery>>;
    /// A conversation's sends, by seq.
    async fn conversation_deliveries(&self, conversation: ConversationId) -> Result<Vec<ChannelDelivery>>;
}

#[async_trait]
impl ChannelStore for SqlStore {
    async fn save_slack_thread(&self, thread: &SlackThread) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO slack_threads (handoff_id, channel_id, conversation_id, slack_channel, ts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (handoff_id) DO NOTHING",
        )
        .bind(id_text(thread.handoff_id))
        .bind(id_text(thread.channel_id))
        .bind(id_text(thread.conversation_id))
        .bind(thread.slack_channel.clone())
        .bind(thread.ts.clone())
        .bind(thread.created_at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(inserted.rows_affected() > 0)
    }

    async fn slack_thread(&self, handoff: HandoffId) -> Result<Option<SlackThread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM slack_threads WHERE handoff_id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id_text(handoff)).fetch_optional(self.pool()).await?;
        row.as_ref().map(thread_from_row).transpose()
    }

    async fn slack_thread_by_ts(&self, channel: ChannelId, ts: &str) -> Result<Option<SlackThread>> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM slack_threads WHERE channel_id = $1 AND ts = $2");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(ts.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(thread_from_row).transpose()
    }

    async fn slack_threads_of(&self, conversations: &[ConversationId]) -> Result<Vec<SlackThread>> {
        let mut found: Vec<SlackThread> = Vec::new();
        for chunk in conversations.chunks(200) {
            let mut binds = crate::search::Binds::default();
            let ids: Vec<String> = chunk.iter().map(|id| binds.text(id_text(*id))).collect();
            let sql = format!(
                "SELECT {THREAD_COLUMNS} FROM slack_threads WHERE conversation_id IN ({}) ORDER BY created_at",
                ids.join(", ")
            );
            let rows = binds.apply(sqlx::query(AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
            for row in &rows {
                let thread = thread_from_row(row)?;
                // Newest last: a later thread of the same conversation replaces an earlier one.
                found.retain(|t| t.conversation_id != thread.conversation_id);
                found.push(thread);
            }
        }
        Ok(found)
    }

    async fn create_channel(&self, channel: &Channel) -> Result<()> {
        sqlx::query(
            "INSERT INTO channels (id, kind, bot_id, name, settings, enabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id_text(channel.id))
        .bind(channel.kind().as_str())
        .bind(id_text(channel.bot_id))
        .bind(channel.name.clone())
        .bind(settings_text(&channel.settings))
        .bind(channel.enabled as i64)
        .bind(channel.created_at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    async fn channel(&self, id: ChannelId) -> Result<Option<Channel>> {
        let sql = format!("SELECT {CHANNEL_COLUMNS} FROM channels WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id_text(id)).fetch_optional(self.pool()).await?;
        row.as_ref().map(channel_from_row).transpose()
    }

    async fn channels(&self) -> Result<Vec<Channel>> {
        let sql = format!("SELECT {CHANNEL_COLUMNS} FROM channels ORDER BY created_at, id");
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(channel_from_row).collect()
    }

    async fn update_channel(&self, channel: &Channel) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE channels SET bot_id = $2, name = $3, settings = $4, enabled = $5 WHERE id = $1",
        )
        .bind(id_text(channel.id))
        .bind(id_text(channel.bot_id))
        .bind(channel.name.clone())
        .bind(settings_text(&channel.settings))
        .bind(channel.enabled as i64)
        .execute(self.writer())
        .await?;
        Ok(updated.rows_affected() > 0)
    }

    async fn delete_channel(&self, id: ChannelId) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        // Explicit rather than by the foreign keys' actions, which SQLite applies only with
        // its foreign_keys pragma on.
        sqlx::query("DELETE FROM follow_up_routes WHERE channel_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM channel_deliveries WHERE channel_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE conversations SET channel_id = NULL WHERE channel_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        let deleted =
            sqlx::query("DELETE FROM channels WHERE id = $1").bind(id_text(id)).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn channel_conversation(&self, channel: ChannelId, address: &str) -> Result<Option<Conversation>> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE channel_id = $1 AND channel_address = $2"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(address.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(conversation_from_row).transpose()
    }

    async fn channel_recipients(
        &self,
        conversations: &[ConversationId],
    ) -> Result<Vec<(ConversationId, ChannelId, String)>> {
        let mut found = Vec::new();
        for chunk in conversations.chunks(200) {
            let mut binds = crate::search::Binds::default();
            let ids: Vec<String> = chunk.iter().map(|id| binds.text(id_text(*id))).collect();
            let sql = format!(
                "SELECT c.id, c.channel_id, c.channel_address FROM conversations c \
                 JOIN channels ch ON ch.id = c.channel_id \
                 WHERE ch.enabled = 1 AND ch.kind IN ('email', 'whatsapp', 'sms') AND c.channel_address IS NOT NULL \
                 AND c.id IN ({})",
                ids.join(", ")
            );
            let rows = binds.apply(sqlx::query(AssertSqlSafe(sql))).fetch_all(self.pool()).await?;
            for row in &rows {
                found.push((
                    parse_id(&row.try_get::<String, _>("id")?)?,
                    parse_id(&row.try_get::<String, _>("channel_id")?)?,
                    row.try_get("channel_address")?,
                ));
            }
        }
        Ok(found)
    }

    async fn last_contact_message_at(&self, conversation: ConversationId) -> Result<Option<Timestamp>> {
        let row = sqlx::query(
            "SELECT MAX(created_at) AS at FROM messages WHERE conversation_id = $1 AND author_kind = $2",
        )
        .bind(id_text(conversation))
        .bind(AuthorKind::Contact.as_str())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<Option<i64>, _>("at")?.map(Timestamp::from_millis))
    }

    async fn queue_channel_deliveries(&self, deliveries: &[NewChannelDelivery]) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let mut queued = 0;
        for delivery in deliveries {
            let inserted = sqlx::query(
                "INSERT INTO channel_deliveries (id, channel_id, conversation_id, message_id, seq, recipient, body, \
                 template, attachment, status, attempts, next_attempt_at, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $9, $10, 'pending', 0, $8, $8 WHERE EXISTS (SELECT 1 FROM channels WHERE id = $2) \
                 ON CONFLICT (message_id) DO NOTHING",
            )
            .bind(id_text(delivery.id))
            .bind(id_text(delivery.channel_id))
            .bind(id_text(delivery.conversation_id))
            .bind(id_text(delivery.message_id))
            .bind(delivery.seq)
            .bind(delivery.recipient.clone())
            .bind(delivery.body.clone())
            .bind(delivery.created_at.as_millis())
            .bind(template_text(delivery.template.as_ref()))
            .bind(delivery.attachment.as_ref().map(|a| serde_json::to_string(a).expect("an attachment serializes")))
            .execute(&mut *tx)
            .await?;
            queued += inserted.rows_affected();
        }
        tx.commit().await?;
        if queued > 0 {
            self.deliveries_changed();
        }
        Ok(queued)
    }

    async fn claim_due_channel_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<ChannelDelivery>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "UPDATE channel_deliveries SET next_attempt_at = $1 \
             WHERE status = 'pending' AND next_attempt_at <= $2 AND id IN ( \
                 SELECT d.id FROM channel_deliveries d \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $2 \
                 AND NOT EXISTS (SELECT 1 FROM channel_deliveries e WHERE e.status = 'pending' \
                     AND e.conversation_id = d.conversation_id AND e.seq < d.seq) \
                 ORDER BY d.next_attempt_at, d.seq LIMIT $3) \
             RETURNING {DELIVERY_COLUMNS}"
        )))
        .bind(lease_until.as_millis())
        .bind(now.as_millis())
        .bind(limit)
        .fetch_all(self.writer())
        .await?;
        let mut claimed: Vec<ChannelDelivery> = rows.iter().map(delivery_from_row).collect::<Result<_>>()?;
        claimed.sort_by_key(|delivery| (delivery.conversation_id, delivery.seq));
        Ok(claimed)
    }

    async fn next_channel_delivery_due(&self) -> Result<Option<Timestamp>> {
        let row = sqlx::query(
            "SELECT MIN(next_attempt_at) AS due FROM channel_deliveries WHERE status = 'pending'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<Option<i64>, _>("due")?.map(Timestamp::from_millis))
    }

    async fn release_channel_deliveries(&self, ids: &[ChannelDeliveryId], at: Timestamp) -> Result<()> {
        for id in ids {
            sqlx::query(
                "UPDATE channel_deliveries SET next_attempt_at = $1 WHERE id = $2 AND status = 'pending'",
            )
            .bind(at.as_millis())
            .bind(id_text(*id))
            .execute(self.writer())
            .await?;
        }
        Ok(())
    }

    async fn record_channel_attempts(&self, attempts: &[(ChannelDeliveryId, ChannelAttempt)]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (id, attempt) in attempts {
            let (status, next) = match (&attempt.error, attempt.retry_at) {
                (None, _) => (SendStatus::Sent, None),
                (Some(_), Some(retry_at)) => (SendStatus::Pending, Some(retry_at.as_millis())),
                (Some(_), None) => (SendStatus::Failed, None),
            };
            sqlx::query(
                "UPDATE channel_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, \
                 last_attempt_at = $3, response_code = $4, error = $5, \
                 provider_message_id = COALESCE($6, provider_message_id) \
                 WHERE id = $7 AND status = 'pending'",
            )
            .bind(status.as_str())
            .bind(next)
            .bind(attempt.at.as_millis())
            .bind(attempt.response_code.map(i64::from))
            .bind(attempt.error.clone())
            .bind(attempt.provider_message_id.clone())
            .bind(id_text(*id))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn report_channel_status(
        &self,
        channel: ChannelId,
        provider_message_id: &str,
        status: SendStatus,
        error: Option<&str>,
    ) -> Result<bool> {
        // At most two statuses are replaced; one is bound twice when there is only one.
        let (Some(first), second) = (status.replaces().first(), status.replaces().get(1)) else {
            return Ok(false);
        };
        let updated = sqlx::query(
            "UPDATE channel_deliveries SET status = $3, error = COALESCE($4, error) \
             WHERE channel_id = $1 AND provider_message_id = $2 AND status IN ($5, $6)",
        )
        .bind(id_text(channel))
        .bind(provider_message_id.to_owned())
        .bind(status.as_str())
        .bind(error.map(str::to_owned))
        .bind(first.as_str())
        .bind(second.unwrap_or(first).as_str())
        .execute(self.writer())
        .await?;
        Ok(updated.rows_affected() > 0)
    }

    async fn channel_deliveries(
        &self,
        channel: ChannelId,
        before: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<ChannelDelivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM channel_deliveries WHERE channel_id = $1 AND created_at < $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(before.map_or(i64::MAX, Timestamp::as_millis))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    async fn conversation_deliveries(&self, conversation: ConversationId) -> Result<Vec<ChannelDelivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM channel_deliveries WHERE conversation_id = $1 ORDER BY seq"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(id_text(conversation)).fetch_all(self.pool()).await?;
        rows.iter().map(delivery_from_row).collect()
    }
}
