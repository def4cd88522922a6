//! [`FollowUpStore`] for [`SqlStore`] (migration 0021): where a waiting web customer chose to
//! be answered instead of in the chat, when that is a messenger (WhatsApp). A route counts only
//! while its handoff is open.

use baton_core::ids::{ChannelId, ConversationId, HandoffId};
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

/// A conversation's replies going to a messenger address while its handoff is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRoute {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub channel_id: ChannelId,
    /// The contact's address on the channel (a phone number's digits).
    pub address: String,
    /// When the address last wrote to the conversation through the channel.
    pub last_inbound_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const COLUMNS: &str =
    "r.conversation_id, r.handoff_id, r.channel_id, r.address, r.last_inbound_at, r.created_at";

fn from_row(row: &AnyRow) -> Result<FollowUpRoute> {
    Ok(FollowUpRoute {
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        handoff_id: parse_id(&row.try_get::<String, _>("handoff_id")?)?,
        channel_id: parse_id(&row.try_get::<String, _>("channel_id")?)?,
        address: row.try_get("address")?,
        last_inbound_at: row.try_get::<Option<i64>, _>("last_inbound_at")?.map(Timestamp::from_millis),
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

#[async_trait]
pub trait FollowUpStore: Send + Sync {
    /// Sets the conversation's route (replacing an earlier one).
    async fn set_follow_up_route(&self, route: &FollowUpRoute) -> Result<()>;
    /// The conversation's route, while its handoff is open.
    async fn follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>>;
    /// The newest route to `address` on the channel whose handoff is open.
    async fn follow_up_route_to(&self, channel: ChannelId, address: &str) -> Result<Option<FollowUpRoute>>;
    /// Records that the route's address wrote at `at`.
    async fn touch_follow_up_route(&self, conversation: ConversationId, at: Timestamp) -> Result<()>;
}

/// Routes whose handoff is still open.
const OPEN: &str = "FROM follow_up_routes r JOIN handoffs h ON h.id = r.handoff_id AND h.is_open = 1";

#[async_trait]
impl FollowUpStore for SqlStore {
    async fn set_follow_up_route(&self, route: &FollowUpRoute) -> Result<()> {
        sqlx::query(
            "INSERT INTO follow_up_routes (conversation_id, handoff_id, channel_id, address, last_inbound_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (conversation_id) DO UPDATE SET handoff_id = excluded.handoff_id, \
             channel_id = excluded.channel_id, address = excluded.address, last_inbound_at = excluded.last_inbound_at, \
             created_at = excluded.created_at",
        )
        .bind(id_text(route.conversation_id))
        .bind(id_text(route.handoff_id))
        .bind(id_text(route.channel_id))
        .bind(route.address.clone())
        .bind(route.last_inbound_at.map(Timestamp::as_millis))
        .bind(route.created_at.as_millis())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn follow_up_route(&self, conversation: ConversationId) -> Result<Option<FollowUpRoute>> {
        let sql = format!("SELECT {COLUMNS} {OPEN} WHERE r.conversation_id = $1");
        let row =
            sqlx::query(AssertSqlSafe(sql)).bind(id_text(conversation)).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn follow_up_route_to(&self, channel: ChannelId, address: &str) -> Result<Option<FollowUpRoute>> {
        let sql = format!(
            "SELECT {COLUMNS} {OPEN} WHERE r.channel_id = $1 AND r.address = $2 ORDER BY r.created_at DESC LIMIT 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id_text(channel))
            .bind(address.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn touch_follow_up_route(&self, conversation: ConversationId, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE follow_up_routes SET last_inbound_at = $2 WHERE conversation_id = $1")
            .bind(id_text(conversation))
            .bind(at.as_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
