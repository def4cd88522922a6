//! One-time links to set a password, as inherent methods of [`SqlStore`] that the [`Store`]
//! implementation delegates to.

use baton_core::ids::UserId;
use baton_core::time::Timestamp;
use sqlx::Row;

use crate::rows::*;
use crate::*;

impl SqlStore {
    pub(crate) async fn insert_password_link(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM password_links WHERE user_id = $1 OR expires_at <= $2")
            .bind(id_text(user))
            .bind(now.as_millis())
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO password_links (user_id, token_hash, expires_at) \
             SELECT id, $2, $3 FROM users WHERE id = $1",
        )
        .bind(id_text(user))
        .bind(token_hash)
        .bind(expires_at.as_millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(inserted.rows_affected() == 1)
    }

    pub(crate) async fn redeem_password_link(
        &self,
        token_hash: &str,
        now: Timestamp,
        password_hash: &str,
    ) -> Result<Option<UserId>> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM password_links WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id",
        )
        .bind(token_hash)
        .bind(now.as_millis())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user: String = row.try_get("user_id")?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&user)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(parse_id(&user)?))
    }
}
