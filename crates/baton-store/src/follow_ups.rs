//! [`FollowUpStore`] for [`SqlStore`] (migration 0021): a waiting web customer continuing on a
//! messenger (WhatsApp). A route counts only while its handoff is open and its channel enabled,
//! and routes nothing until the message with its code has named the number.

use baton_core::ids::{ChannelId, ConversationId, HandoffId};
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

/// A conversation continued on a messenger while its handoff is open: first waiting for the
/// message that carries its code, then routed to the number that sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRoute {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub channel_id: ChannelId,
    /// The one-time code the contact sends from their messenger to confirm the number.
    pub code: String,
    /// The contact's address on the channel (a phone number's digits), once confirmed.
    pub address: Option<String>,
    pub verified_at: Option<Timestamp>,
    /// When the address last wrote to the conversation through the channel.
    pub last_inbound_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const COLUMNS: &str = "r.conversation_id, r.handoff_id, r.channel_id, r.code, r.address, r.verified_at, \
     r.last_inbound_at, r.created_at";

fn from_row(row: &AnyRow) -> Result<FollowUpRoute> {
    let millis = |column: &str| -> Result<Option<Timestamp>> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_millis))
    };
    Ok(FollowUpRoute {
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        handoff_id: parse_id(&row.try_get::<String, _>("handoff_id")?)?,
        channel_id: parse_id(&row.try_get::<String, _>("channel_id")?)?,
        code: row.try_get("code")?,
        address: row.try_get("address")?,
        verified_at: millis("verified_at")?,
        last_inbound_at: millis("last_inbound_at")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

#[async_trait]
pub trait FollowUpStore: Send + Sync {
    /// Starts the conversation's route, waiting for its code (replacing an earlier one).
    async fn set_follow_up_route(&self, route: &FollowUpRoute) -> Result<()>;
    /// The conversation's route, confirmed or not, while its handoff is open and its channel
    /// enabled.
    async fn follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>>;
    /// The conversation's confirmed route whatever became of its handoff, on an enabled
    /// channel: for messages written while the handoff was still open.
    async fn confirmed_follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>>;
    /// The newest confirmed route to `address` on the channel, while its handoff is open.
    async fn follow_up_route_to(&self, channel: ChannelId, address: &str) -> Result<Option<FollowUpRoute>>;
    /// The unconfirmed routes on the channel whose handoff is open (few: the codes waiting).
    async fn pending_follow_up_routes(&self, channel: ChannelId) -> Result<Vec<FollowUpRoute>>;
    /// Confirms the route with the address its code came from; `false` if it was confirmed
    /// already.
    async fn confirm_follow_up_route(
        &self,
        conversation: ConversationId,
        address: &str,
        at: Timestamp,
    ) -> Result<bool>;
    /// Records that the route's address wrote at `at`.
    async fn touch_follow_up_route(&self, conversation: ConversationId, at: Timestamp) -> Result<()>;
}

/// Routes whose handoff is still open, on an enabled channel.
const OPEN: &str = "FROM follow_up_routes r JOIN handoffs h ON h.id = r.handoff_id AND h.is_open = 1 \
     JOIN channels c ON c.id = r.channel_id AND c.enabled = 1";

#[async_trait]
impl FollowUpStore for SqlStore {
    async fn set_follow_up_route(&self, route: &FollowUpRoute) -> Result<()> {
        sqlx::query(
            "INSERT INTO follow_up_routes (conversation_id, handoff_id, channel_id, code, address, verified_at, \
             last_inbound_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (conversation_id) DO UPDATE SET handoff_id = excluded.handoff_id, \
             channel_id = excluded.channel_id, code = excluded.code, address = excluded.address, \
             verified_at = excluded.verified_at, last_inbound_at = excluded.last_inbound_at, \
             created_at = excluded.created_at",
        )
        .bind(id_text(route.conversation_id))
        .bind(id_text(route.handoff_id))
        .bind(id_text(route.channel_id))
        .bind(route.code.clone())
        .bind(route.address.clone())
        .bind(route.verified_at.map(Timestamp::as_millis))
        .bind(route.last_inbound_at.map(Timestamp::as_millis))
        .bind(route.created_at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    async fn follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>> {
        let sql = format!("SELECT {COLUMNS} {OPEN} WHERE r.conversation_id = $1");
        let row =
            sqlx::query(AssertSqlSafe(sql)).bind(id_text(conversation)).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn confirmed_follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM follow_up_routes r JOIN channels c ON c.id = r.channel_id AND c.enabled = 1 \
             WHERE r.conversation_id = $1 AND r.verified_at IS NOT NULL"
        );
        let row =
            sqlx::query(AssertSqlSafe(sql)).bind(id_text(conversation)).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn follow_up_route_to(&self, channel: ChannelId, address: &str) -> Result<Option<FollowUpRoute>> {
        let sql = format!(
            "SELECT {COLUMNS} {OPEN} WHERE r.channel_id = $1 AND r.address = $2 AND r.verified_at IS NOT NULL \
             ORDER BY r.verified_at DESC LIMIT 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(address.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn pending_follow_up_routes(&self, channel: ChannelId) -> Result<Vec<FollowUpRoute>> {
        let sql = format!("SELECT {COLUMNS} {OPEN} WHERE r.channel_id = $1 AND r.verified_at IS NULL");
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(id_text(channel)).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    async fn confirm_follow_up_route(
        &self,
        conversation: ConversationId,
        address: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE follow_up_routes SET address = $2, verified_at = $3, last_inbound_at = $3 \
             WHERE conversation_id = $1 AND verified_at IS NULL",
        )
        .bind(id_text(conversation))
        .bind(address.to_owned())
        .bind(at.as_millis())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn touch_follow_up_route(&self, conversation: ConversationId, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE follow_up_routes SET last_inbound_at = $2 WHERE conversation_id = $1")
            .bind(id_text(conversation))
            .bind(at.as_millis())
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
