//! Canned responses, as inherent methods of [`SqlStore`] that the [`Store`] implementation
//! delegates to. A shared response has the owner `''`; a language of `''` is any language.

use baton_core::canned::CannedResponse;
use baton_core::ids::{CannedId, UserId};
use baton_core::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::*;
use crate::*;

fn canned_from_row(row: &AnyRow) -> Result<CannedResponse> {
    let owner: String = row.try_get("owner_id")?;
    let language: String = row.try_get("language")?;
    Ok(CannedResponse {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        shortcut: row.try_get("shortcut")?,
        text: row.try_get("text")?,
        language: Some(language).filter(|l| !l.is_empty()),
        shared: owner.is_empty(),
        owner_id: if owner.is_empty() { None } else { Some(parse_id(&owner)?) },
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}

fn owner_text(response: &CannedResponse) -> String {
    response.owner_id.map(id_text).unwrap_or_default()
}

fn taken(error: sqlx::Error) -> StoreError {
    if is_unique_violation(&error) {
        StoreError::Conflict("canned response shortcut taken")
    } else {
        error.into()
    }
}

impl SqlStore {
    pub(crate) async fn select_canned_for(&self, user: UserId) -> Result<Vec<CannedResponse>> {
        let rows = sqlx::query(
            "SELECT id, owner_id, shortcut, language, text, updated_at FROM canned_responses \
             WHERE owner_id = '' OR owner_id = $1 ORDER BY shortcut, language, owner_id",
        )
        .bind(id_text(user))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(canned_from_row).collect()
    }

    pub(crate) async fn select_canned(&self, id: CannedId) -> Result<Option<CannedResponse>> {
        let row = sqlx::query(
            "SELECT id, owner_id, shortcut, language, text, updated_at FROM canned_responses WHERE id = $1",
        )
        .bind(id_text(id))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(canned_from_row).transpose()
    }

    pub(crate) async fn insert_canned(&self, response: &CannedResponse) -> Result<()> {
        sqlx::query(
            "INSERT INTO canned_responses (id, owner_id, shortcut, language, text, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_text(response.id))
        .bind(owner_text(response))
        .bind(response.shortcut.clone())
        .bind(response.language.clone().unwrap_or_default())
        .bind(response.text.clone())
        .bind(response.updated_at.as_millis())
        .execute(self.writer())
        .await
        .map_err(taken)?;
        Ok(())
    }

    pub(crate) async fn write_canned(&self, response: &CannedResponse) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE canned_responses SET owner_id = $2, shortcut = $3, language = $4, text = $5, updated_at = $6 \
             WHERE id = $1",
        )
        .bind(id_text(response.id))
        .bind(owner_text(response))
        .bind(response.shortcut.clone())
        .bind(response.language.clone().unwrap_or_default())
        .bind(response.text.clone())
        .bind(response.updated_at.as_millis())
        .execute(self.writer())
        .await
        .map_err(taken)?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn remove_canned(&self, id: CannedId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
