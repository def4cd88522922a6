//! Durable timers and the presence changes Baton makes on its own, as inherent methods of
//! [`SqlStore`] that the [`Store`] implementation delegates to.

use baton_core::ids::UserId;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, User};
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::sql::status_changed;
use crate::teams::attach_teams;
use crate::*;

impl SqlStore {
    pub(crate) async fn upsert_timer(&self, timer: &Timer) -> Result<()> {
        upsert(timer).execute(self.writer()).await?;
        self.timers_changed();
        Ok(())
    }

    pub(crate) async fn upsert_timers(&self, timers: &[Timer]) -> Result<()> {
        if timers.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for timer in timers {
            upsert(timer).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.timers_changed();
        Ok(())
    }

    pub(crate) async fn insert_timers(&self, timers: &[Timer]) -> Result<usize> {
        if timers.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut set = 0;
        for timer in timers {
            let inserted = sqlx::query(
                "INSERT INTO timers (kind, subject, due_at, data, locked_until) VALUES ($1, $2, $3, $4, 0) \
                 ON CONFLICT (kind, subject) DO NOTHING",
            )
            .bind(&timer.kind)
            .bind(&timer.subject)
            .bind(timer.due_at.as_millis())
            .bind(timer.data.to_string())
            .execute(&mut *tx)
            .await?;
            set += inserted.rows_affected() as usize;
        }
        tx.commit().await?;
        if set > 0 {
            self.timers_changed();
        }
        Ok(set)
    }

    pub(crate) async fn delete_timer(&self, kind: &str, subject: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM timers WHERE kind = $1 AND subject = $2")
            .bind(kind)
            .bind(subject)
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub(crate) async fn claim_timers(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Timer>> {
        // The outer `locked_until` test is checked again against the row as a concurrent
        // claimer left it, so two instances never take the same timer.
        let rows = sqlx::query(
            "UPDATE timers SET locked_until = $2 \
             WHERE due_at <= $1 AND locked_until <= $1 AND (kind, subject) IN \
             (SELECT kind, subject FROM timers WHERE due_at <= $1 AND locked_until <= $1 ORDER BY due_at LIMIT $3) \
             RETURNING kind, subject, due_at, data",
        )
        .bind(now.as_millis())
        .bind(lease_until.as_millis())
        .bind(limit)
        .fetch_all(self.writer())
        .await?;
        let mut timers = rows
            .iter()
            .map(|row| {
                let data: String = row.try_get("data")?;
                Ok(Timer {
                    kind: row.try_get("kind")?,
                    subject: row.try_get("subject")?,
                    due_at: Timestamp::from_millis(row.try_get("due_at")?),
                    data: serde_json::from_str(&data)
                        .map_err(|e| StoreError::Corrupt(format!("timer data: {e}")))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        timers.sort_by_key(|timer| timer.due_at);
        Ok(timers)
    }

    pub(crate) async fn finish_timer(&self, timer: &Timer) -> Result<()> {
        // A timer set again while it fired has a new due time, and stays.
        sqlx::query("DELETE FROM timers WHERE kind = $1 AND subject = $2 AND due_at = $3")
            .bind(&timer.kind)
            .bind(&timer.subject)
            .bind(timer.due_at.as_millis())
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub(crate) async fn earliest_timer(&self) -> Result<Option<Timestamp>> {
        let row = sqlx::query("SELECT MIN(due_at) AS due FROM timers").fetch_one(self.pool()).await?;
        Ok(row.try_get::<Option<i64>, _>("due")?.map(Timestamp::from_millis))
    }

    /// Moves the user between `from` and `to`, setting `auto_away`, if they are in `from` with
    /// `auto_away` equal to `auto_before`; writes `user.status_changed` when it did.
    pub(crate) async fn auto_presence(
        &self,
        id: UserId,
        (from, auto_before): (Presence, bool),
        (to, auto_after): (Presence, bool),
        now: Timestamp,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE users SET status = $1, auto_away = $2 WHERE id = $3 AND status = $4 AND auto_away = $5 \
             RETURNING {USER_COLUMNS}"
        )))
        .bind(to.as_str())
        .bind(auto_after as i64)
        .bind(id_text(id))
        .bind(from.as_str())
        .bind(auto_before as i64)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let mut user = user_from_row(&row)?;
        attach_teams(&mut *tx, std::slice::from_mut(&mut user)).await?;
        self.commit_with_events(tx, &[status_changed(&user, now)]).await?;
        Ok(Some(user))
    }
}

/// Sets the timer of its kind and subject, or moves it, and makes it due for anyone to fire.
fn upsert(timer: &Timer) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "INSERT INTO timers (kind, subject, due_at, data, locked_until) VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (kind, subject) DO UPDATE SET due_at = excluded.due_at, data = excluded.data, locked_until = 0",
    )
    .bind(&timer.kind)
    .bind(&timer.subject)
    .bind(timer.due_at.as_millis())
    .bind(timer.data.to_string())
}
