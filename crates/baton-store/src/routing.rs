//! What routing reads and writes on every decision, as inherent methods of [`SqlStore`] that
//! the [`Store`] implementation delegates to.

use baton_core::handoff::Handoff;
use baton_core::ids::{HandoffId, UserId};
use baton_core::time::Timestamp;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::teams::memberships;
use crate::*;

impl SqlStore {
    pub(crate) async fn select_roster(&self) -> Result<Vec<RosterEntry>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, last_assigned_at FROM users WHERE disabled = 0 ORDER BY created_at, id"
        )))
        .fetch_all(self.pool())
        .await?;
        let mut teams = memberships(self.pool(), None).await?;
        rows.iter()
            .map(|row| {
                let mut user = user_from_row(row)?;
                let (mut team_ids, mut names): (Vec<_>, Vec<_>) =
                    teams.remove(&user.id).unwrap_or_default().into_iter().unzip();
                team_ids.sort();
                names.sort();
                user.teams = names;
                Ok(RosterEntry {
                    user,
                    team_ids,
                    last_assigned_at: row
                        .try_get::<Option<i64>, _>("last_assigned_at")?
                        .map(Timestamp::from_millis),
                })
            })
            .collect()
    }

    pub(crate) async fn write_last_assigned(&self, id: UserId, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE users SET last_assigned_at = $1 WHERE id = $2")
            .bind(at.as_millis())
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub(crate) async fn select_open_handoffs(&self) -> Result<Vec<OpenHandoff>> {
        let rows = sqlx::query(
            "SELECT h.document, h.version, c.bot_id FROM handoffs h JOIN conversations c ON c.id = h.conversation_id \
             WHERE h.is_open = 1 ORDER BY h.requested_at, h.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OpenHandoff {
                    handoff: handoff_from_row(row)?,
                    bot_id: parse_id(&row.try_get::<String, _>("bot_id")?)?,
                })
            })
            .collect()
    }

    pub(crate) async fn select_open_handoff_versions(&self) -> Result<Vec<(HandoffId, i64)>> {
        let rows =
            sqlx::query("SELECT id, version FROM handoffs WHERE is_open = 1").fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| Ok((parse_id(&row.try_get::<String, _>("id")?)?, row.try_get("version")?)))
            .collect()
    }

    pub(crate) async fn select_open_handoffs_among(&self, ids: &[HandoffId]) -> Result<Vec<OpenHandoff>> {
        let mut found = Vec::with_capacity(ids.len());
        // A bounded number of parameters per statement, as both databases limit them.
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT h.document, h.version, c.bot_id FROM handoffs h JOIN conversations c ON c.id = h.conversation_id \
                 WHERE h.is_open = 1 AND h.id IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id_text(*id));
            }
            for row in query.fetch_all(self.pool()).await? {
                found.push(OpenHandoff {
                    handoff: handoff_from_row(&row)?,
                    bot_id: parse_id(&row.try_get::<String, _>("bot_id")?)?,
                });
            }
        }
        Ok(found)
    }

    pub(crate) async fn select_recent_assignments(&self, limit: i64) -> Result<Vec<Handoff>> {
        let rows = sqlx::query(
            "SELECT document, version FROM handoffs WHERE assigned_at IS NOT NULL \
             ORDER BY assigned_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| handoff_from_row(row).map(|h| h.value)).collect()
    }

    pub(crate) async fn insert_events(&self, events: Vec<NewEvent>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let tx = self.begin_write().await?;
        self.commit_with_events(tx, &events).await
    }
}
