//! Users' notification preferences and the log of mails sent, as inherent methods of
//! [`SqlStore`] that the [`Store`] implementation delegates to.

use std::collections::HashMap;

use baton_core::ids::UserId;
use baton_core::notification::NotificationPrefs;
use baton_core::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::*;
use crate::*;

fn prefs_from_row(row: &AnyRow) -> Result<NotificationPrefs> {
    let after: i64 = row.try_get("email_after_seconds")?;
    Ok(NotificationPrefs {
        email: row.try_get::<i64, _>("notify_email")? != 0,
        email_after_seconds: u32::try_from(after)
            .map_err(|_| StoreError::Corrupt(format!("email_after_seconds {after}")))?,
        language: row.try_get("email_language")?,
    })
}

impl SqlStore {
    pub(crate) async fn select_notification_prefs(&self, user: UserId) -> Result<Option<NotificationPrefs>> {
        let row =
            sqlx::query("SELECT notify_email, email_after_seconds, email_language FROM users WHERE id = $1")
                .bind(id_text(user))
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(prefs_from_row).transpose()
    }

    pub(crate) async fn select_all_notification_prefs(&self) -> Result<HashMap<UserId, NotificationPrefs>> {
        let rows = sqlx::query("SELECT id, notify_email, email_after_seconds, email_language FROM users")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| Ok((parse_id(&row.try_get::<String, _>("id")?)?, prefs_from_row(row)?)))
            .collect()
    }

    pub(crate) async fn update_notification_prefs(
        &self,
        user: UserId,
        prefs: &NotificationPrefs,
    ) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE users SET notify_email = $1, email_after_seconds = $2, email_language = $3 WHERE id = $4",
        )
        .bind(i64::from(prefs.email))
        .bind(i64::from(prefs.email_after_seconds))
        .bind(prefs.language.clone())
        .bind(id_text(user))
        .execute(self.writer())
        .await?;
        Ok(updated.rows_affected() > 0)
    }

    pub(crate) async fn select_email_sent(&self, recipient: &str, kind: &str, about: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 FROM email_log WHERE recipient = $1 AND kind = $2 AND about = $3")
            .bind(recipient)
            .bind(kind)
            .bind(about)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }

    pub(crate) async fn insert_emails_sent(
        &self,
        recipient: &str,
        kind: &str,
        about: &[String],
        at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for about in about {
            sqlx::query(
                "INSERT INTO email_log (recipient, kind, about, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (recipient, kind, about) DO NOTHING",
            )
            .bind(recipient)
            .bind(kind)
            .bind(about)
            .bind(at.as_millis())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn delete_emails_before(&self, before: Timestamp) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM email_log WHERE sent_at < $1")
            .bind(before.as_millis())
            .execute(self.writer())
            .await?;
        Ok(deleted.rows_affected())
    }
}
