//! [`HelpdeskStore`] for [`SqlStore`] (migration 0019): handoffs given to an outside
//! helpdesk, with the helpdesk's ids for the contact and the conversation.

use baton_core::ids::{ChannelId, ConversationId, HandoffId};
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

/// How far a helpdesk got with a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpdeskState {
    /// Being handed over: the helpdesk's conversation may not exist yet.
    Opening,
    /// The helpdesk has it and no agent has taken it yet.
    Open,
    /// One of its agents took it.
    Assigned,
    /// Resolved there: the conversation went back to the bot.
    Resolved,
    /// It could not take it; Baton's fallback took over.
    Failed,
}

impl HelpdeskState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::Open => "open",
            Self::Assigned => "assigned",
            Self::Resolved => "resolved",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        [Self::Opening, Self::Open, Self::Assigned, Self::Resolved, Self::Failed]
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("helpdesk state `{text}`")))
    }

    /// Whether the helpdesk still holds the handoff (messages go there).
    pub fn holds(self) -> bool {
        matches!(self, Self::Opening | Self::Open | Self::Assigned)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpdeskHandoff {
    pub handoff_id: HandoffId,
    pub channel_id: ChannelId,
    pub conversation_id: ConversationId,
    pub remote_user_id: Option<String>,
    pub remote_conversation_id: Option<String>,
    /// The `seq` of the last message the transcript handed over holds.
    pub transcript_seq: Option<i64>,
    pub state: HelpdeskState,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "handoff_id, channel_id, conversation_id, remote_user_id, remote_conversation_id, \
     transcript_seq, state, reason, created_at";

/// What the helpdesk made of a handoff handed over.
#[derive(Debug, Clone, Copy)]
pub struct Opened<'a> {
    pub user: &'a str,
    pub conversation: &'a str,
    pub transcript_seq: i64,
}

fn from_row(row: &AnyRow) -> Result<HelpdeskHandoff> {
    Ok(HelpdeskHandoff {
        handoff_id: parse_id(&row.try_get::<String, _>("handoff_id")?)?,
        channel_id: parse_id(&row.try_get::<String, _>("channel_id")?)?,
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        remote_user_id: row.try_get("remote_user_id")?,
        remote_conversation_id: row.try_get("remote_conversation_id")?,
        transcript_seq: row.try_get("transcript_seq")?,
        state: HelpdeskState::parse(&row.try_get::<String, _>("state")?)?,
        reason: row.try_get("reason")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

#[async_trait]
pub trait HelpdeskStore: Send + Sync {
    /// Starts handing `handoff` over (state `opening`); `false` if it was handed over before.
    async fn start_helpdesk_handoff(&self, handoff: &HelpdeskHandoff) -> Result<bool>;
    async fn helpdesk_handoff(&self, handoff: HandoffId) -> Result<Option<HelpdeskHandoff>>;
    /// The handoff the helpdesk knows as `remote_conversation` on the channel.
    async fn helpdesk_handoff_by_remote(
        &self,
        channel: ChannelId,
        remote_conversation: &str,
    ) -> Result<Option<HelpdeskHandoff>>;
    /// The conversation's newest handoff that a helpdesk still holds.
    async fn held_by_helpdesk(&self, conversation: ConversationId) -> Result<Option<HelpdeskHandoff>>;
    /// Of `handoffs`, those whose helpdesk failed them.
    async fn failed_helpdesk_handoffs(&self, handoffs: &[HandoffId]) -> Result<Vec<HandoffId>>;
    /// Moves it to `to` from one of `from`, with the helpdesk's ids and a reason when given;
    /// `false` when it stands elsewhere.
    async fn move_helpdesk_handoff(
        &self,
        handoff: HandoffId,
        from: &[HelpdeskState],
        to: HelpdeskState,
        opened: Option<Opened<'_>>,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<bool>;
}

#[async_trait]
impl HelpdeskStore for SqlStore {
    async fn start_helpdesk_handoff(&self, handoff: &HelpdeskHandoff) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO helpdesk_handoffs (handoff_id, channel_id, conversation_id, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (handoff_id) DO NOTHING",
        )
        .bind(id_text(handoff.handoff_id))
        .bind(id_text(handoff.channel_id))
        .bind(id_text(handoff.conversation_id))
        .bind(HelpdeskState::Opening.as_str())
        .bind(handoff.created_at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(inserted.rows_affected() > 0)
    }

    async fn helpdesk_handoff(&self, handoff: HandoffId) -> Result<Option<HelpdeskHandoff>> {
        let sql = format!("SELECT {COLUMNS} FROM helpdesk_handoffs WHERE handoff_id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id_text(handoff)).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn helpdesk_handoff_by_remote(
        &self,
        channel: ChannelId,
        remote_conversation: &str,
    ) -> Result<Option<HelpdeskHandoff>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM helpdesk_handoffs WHERE channel_id = $1 AND remote_conversation_id = $2"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(remote_conversation.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn held_by_helpdesk(&self, conversation: ConversationId) -> Result<Option<HelpdeskHandoff>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM helpdesk_handoffs WHERE conversation_id = $1 \
             AND state IN ('opening', 'open', 'assigned') ORDER BY created_at DESC LIMIT 1"
        );
        let row =
            sqlx::query(AssertSqlSafe(sql)).bind(id_text(conversation)).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn failed_helpdesk_handoffs(&self, handoffs: &[HandoffId]) -> Result<Vec<HandoffId>> {
        let mut failed = Vec::new();
        for chunk in handoffs.chunks(200) {
            let mut binds = crate::search::Binds::default();
            let ids: Vec<String> = chunk.iter().map(|id| binds.text(id_text(*id))).collect();
            let sql = format!(
                "SELECT handoff_id FROM helpdesk_handoffs WHERE state = 'failed' AND handoff_id IN ({})",
                ids.join(", ")
            );
            for row in binds.apply(sqlx::query(AssertSqlSafe(sql))).fetch_all(self.pool()).await? {
                failed.push(parse_id(&row.try_get::<String, _>("handoff_id")?)?);
            }
        }
        Ok(failed)
    }

    async fn move_helpdesk_handoff(
        &self,
        handoff: HandoffId,
        from: &[HelpdeskState],
        to: HelpdeskState,
        opened: Option<Opened<'_>>,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let from: Vec<String> = from.iter().map(|state| format!("'{}'", state.as_str())).collect();
        let sql = format!(
            "UPDATE helpdesk_handoffs SET state = $1, \
             remote_user_id = COALESCE($2, remote_user_id), \
             remote_conversation_id = COALESCE($3, remote_conversation_id), \
             transcript_seq = COALESCE($4, transcript_seq), \
             reason = COALESCE($5, reason), updated_at = $6 \
             WHERE handoff_id = $7 AND state IN ({})",
            from.join(", ")
        );
        let moved = sqlx::query(AssertSqlSafe(sql))
            .bind(to.as_str())
            .bind(opened.map(|o| o.user.to_owned()))
            .bind(opened.map(|o| o.conversation.to_owned()))
            .bind(opened.map(|o| o.transcript_seq))
            .bind(reason.map(str::to_owned))
            .bind(at.as_millis())
            .bind(id_text(handoff))
            .execute(self.writer())
            .await?;
        Ok(moved.rows_affected() > 0)
    }
}
