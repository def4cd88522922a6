//! Users, as inherent methods of [`SqlStore`] that the [`Store`] implementation delegates to.
//! Every user read also reads their teams (see [`attach_teams`]).

use baton_core::event::{Event, UserChanged};
use baton_core::ids::UserId;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, User};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::sql::{status_changed, user_changed};
use crate::teams::{attach_teams, join_team_by_name};
use crate::*;

impl SqlStore {
    pub(crate) async fn insert_user(&self, user: NewUser) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'offline', $6)",
        )
        .bind(id_text(user.id))
        .bind(user.email.clone())
        .bind(user.name.clone())
        .bind(user.role.as_str())
        .bind(user.password_hash)
        .bind(user.created_at.as_millis())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Conflict("a user with this email exists"));
            }
            other => other?,
        };
        if let Some(team) = &user.team {
            join_team_by_name(&mut tx, user.id, team, user.created_at).await?;
        }
        let created = UserChanged { user_id: user.id, name: user.name.clone(), role: user.role };
        self.commit_with_events(tx, &[NewEvent::new(Event::UserCreated(created), user.created_at)]).await?;
        Ok(User {
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            status: Presence::Offline,
            teams: user.team.into_iter().collect(),
            languages: Vec::new(),
            capacity: None,
            disabled: false,
            created_at: user.created_at,
        })
    }

    /// The user whose `column` is `value`, with `extra` columns of the row beside them.
    async fn select_user(&self, column: &str, value: &str, extra: &str) -> Result<Option<(User, AnyRow)>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}{extra} FROM users WHERE {column} = $1"
        )))
        .bind(value)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut user = user_from_row(&row)?;
        attach_teams(self.pool(), std::slice::from_mut(&mut user)).await?;
        Ok(Some((user, row)))
    }

    pub(crate) async fn user_by_id(&self, id: UserId) -> Result<Option<User>> {
        Ok(self.select_user("id", &id_text(id), "").await?.map(|(user, _)| user))
    }

    pub(crate) async fn credentials(&self, email: &str) -> Result<Option<(User, String)>> {
        let found = self.select_user("email", email, ", password_hash").await?;
        found.map(|(user, row)| Ok((user, row.try_get("password_hash")?))).transpose()
    }

    /// Users with `status`, or every user, oldest first.
    pub(crate) async fn select_users(&self, status: Option<Presence>) -> Result<Vec<User>> {
        let filter = if status.is_some() { "WHERE status = $1" } else { "" };
        let query = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users {filter} ORDER BY created_at, id"
        )));
        let query = match status {
            Some(status) => query.bind(status.as_str()),
            None => query,
        };
        let rows = query.fetch_all(self.pool()).await?;
        let mut users = rows.iter().map(user_from_row).collect::<Result<Vec<_>>>()?;
        attach_teams(self.pool(), &mut users).await?;
        Ok(users)
    }

    pub(crate) async fn write_user_status(
        &self,
        id: UserId,
        status: Presence,
        now: Timestamp,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        // A status the user sets is theirs: Baton no longer restores it on its own.
        sqlx::query("UPDATE users SET auto_away = 0 WHERE id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        let changed = sqlx::query("UPDATE users SET status = $1 WHERE id = $2 AND status <> $1")
            .bind(status.as_str())
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
            .bind(id_text(id))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut user = user_from_row(&row)?;
        attach_teams(&mut *tx, std::slice::from_mut(&mut user)).await?;
        let events = if changed { vec![status_changed(&user, now)] } else { Vec::new() };
        self.commit_with_events(tx, &events).await?;
        Ok(user)
    }

    /// The user of a live session: not expired by `rules` at `now`, of a user not disabled.
    /// A session's use is recorded at most once a minute, so reading it costs no write.
    pub(crate) async fn select_session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
        rules: SessionRules,
    ) -> Result<Option<User>> {
        let columns = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {columns}, s.last_used_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND u.disabled = 0 AND s.created_at > $2 AND s.last_used_at > $3"
        )))
        .bind(token_hash)
        .bind(now.as_millis() - rules.max_age_ms)
        .bind(now.as_millis() - rules.idle_ms)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_used_at: i64 = row.try_get("last_used_at")?;
        if now.as_millis() - last_used_at > SESSION_TOUCH_MS {
            sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now.as_millis())
                .bind(token_hash)
                .execute(self.writer())
                .await?;
        }
        let mut user = user_from_row(&row)?;
        attach_teams(self.pool(), std::slice::from_mut(&mut user)).await?;
        Ok(Some(user))
    }

    pub(crate) async fn remove_sessions_of(&self, user: UserId, except: Option<&str>) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id_text(user))
            .bind(except.unwrap_or(""))
            .execute(self.writer())
            .await?;
        Ok(deleted.rows_affected())
    }

    pub(crate) async fn remove_expired_sessions(&self, now: Timestamp, rules: SessionRules) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM sessions WHERE created_at <= $1 OR last_used_at <= $2")
            .bind(now.as_millis() - rules.max_age_ms)
            .bind(now.as_millis() - rules.idle_ms)
            .execute(self.writer())
            .await?;
        Ok(deleted.rows_affected())
    }

    /// Applies `changes`; `None` if there is no such user.
    pub(crate) async fn write_user_account(
        &self,
        id: UserId,
        changes: &AccountChanges,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query(
            "UPDATE users SET name = COALESCE($1, name), role = COALESCE($2, role), \
             disabled = COALESCE($3, disabled) WHERE id = $4",
        )
        .bind(changes.name.clone())
        .bind(changes.role.map(|role| role.as_str()))
        .bind(changes.disabled.map(i64::from))
        .bind(id_text(id))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !found {
            return Ok(None);
        }
        if changes.disabled == Some(true) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id_text(id))
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")))
            .bind(id_text(id))
            .fetch_one(&mut *tx)
            .await?;
        let mut user = user_from_row(&row)?;
        attach_teams(&mut *tx, std::slice::from_mut(&mut user)).await?;
        self.commit_with_events(tx, &[NewEvent::now(Event::UserUpdated(user_changed(&user)))]).await?;
        Ok(Some(user))
    }

    pub(crate) async fn write_password_hash(&self, id: UserId, hash: &str) -> Result<bool> {
        let updated = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Deletes the user with their sessions and team places; `false` if there was none.
    pub(crate) async fn remove_user(&self, id: UserId) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        for table in ["sessions", "team_members"] {
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE user_id = $1")))
                .bind(id_text(id))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM canned_responses WHERE owner_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        let deleted =
            sqlx::query(AssertSqlSafe(format!("DELETE FROM users WHERE id = $1 RETURNING {USER_COLUMNS}")))
                .bind(id_text(id))
                .fetch_optional(&mut *tx)
                .await?;
        let Some(deleted) = deleted else { return Ok(false) };
        let user = user_from_row(&deleted)?;
        self.commit_with_events(tx, &[NewEvent::now(Event::UserDeleted(user_changed(&user)))]).await?;
        Ok(true)
    }

    pub(crate) async fn write_user_routing(
        &self,
        id: UserId,
        languages: &[String],
        capacity: Option<u32>,
    ) -> Result<Option<User>> {
        let languages = serde_json::to_string(languages).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE users SET languages = $1, capacity = $2 WHERE id = $3 RETURNING {USER_COLUMNS}"
        )))
        .bind(languages)
        .bind(capacity.map(i64::from))
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut user = user_from_row(&row)?;
        attach_teams(&mut *tx, std::slice::from_mut(&mut user)).await?;
        self.commit_with_events(tx, &[NewEvent::now(Event::UserUpdated(user_changed(&user)))]).await?;
        Ok(Some(user))
    }
}
