//! The audit log of configuration changes, as inherent methods of [`SqlStore`] that the
//! [`Store`] implementation delegates to.

use baton_core::audit::{AuditEntry, AuditSubject, NewAuditEntry};
use baton_core::handoff::UserRef;
use baton_core::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::*;
use crate::*;

fn entry_from_row(row: &AnyRow) -> Result<AuditEntry> {
    let id: i64 = row.try_get("id")?;
    let actor_id: Option<String> = row.try_get("actor_id")?;
    let actor = match actor_id {
        Some(actor) => Some(UserRef {
            id: parse_id(&actor)?,
            name: row.try_get::<Option<String>, _>("actor_name")?.unwrap_or_default(),
        }),
        None => None,
    };
    let changes: String = row.try_get("changes")?;
    Ok(AuditEntry {
        id,
        at: Timestamp::from_millis(row.try_get("at")?),
        actor,
        action: row.try_get("action")?,
        subject: AuditSubject {
            kind: row.try_get("subject_kind")?,
            id: row.try_get("subject_id")?,
            name: row.try_get("subject_name")?,
        },
        changes: serde_json::from_str(&changes)
            .map_err(|e| StoreError::Corrupt(format!("audit entry {id}: {e}")))?,
    })
}

impl SqlStore {
    pub(crate) async fn insert_audit(&self, entry: &NewAuditEntry) -> Result<()> {
        let changes =
            serde_json::to_string(&entry.changes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, subject_kind, subject_id, subject_name, \
             changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry.at.as_millis())
        .bind(entry.actor.as_ref().map(|actor| id_text(actor.id)))
        .bind(entry.actor.as_ref().map(|actor| actor.name.clone()))
        .bind(entry.action.clone())
        .bind(entry.subject.kind.clone())
        .bind(entry.subject.id.clone())
        .bind(entry.subject.name.clone())
        .bind(changes)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    pub(crate) async fn select_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        // Unset filters match everything, so one statement serves every combination.
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor_name, action, subject_kind, subject_id, subject_name, changes \
             FROM audit_log WHERE id < $1 AND ($2 = '' OR subject_kind = $2) AND ($3 = '' OR subject_id = $3) \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(query.before.unwrap_or(i64::MAX))
        .bind(query.subject_kind.clone().unwrap_or_default())
        .bind(query.subject_id.clone().unwrap_or_default())
        .bind(query.limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}
