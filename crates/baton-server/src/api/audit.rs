//! The audit log of configuration changes, for admins.

use axum::Json;
use axum::extract::State;
use baton_core::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Admin;
use crate::error::{ApiQuery, ApiResult, Problem};
use crate::service::audit;
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditFilter {
    /// Only changes to this kind of thing: `bot`, `team`, `user`, `webhook` or `contact` (exports and erasures).
    pub subject_kind: Option<String>,
    /// Only changes to the thing with this id.
    pub subject_id: Option<String>,
    /// Only entries older than this id (from `next_before`).
    pub before: Option<i64>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// Every configuration change (bots, their policy and API key, teams, users, webhook
/// endpoints) with who made it, when, and the fields that changed; secrets show only that
/// they changed.
#[utoipa::path(get, path = "/v1/audit", tag = "admin", params(AuditFilter), security(("bearer" = [])),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn audit_log(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> ApiResult<Json<AuditPage>> {
    let limit = filter.limit;
    let entries = audit::list(&state, filter.subject_kind, filter.subject_id, filter.before, limit).await?;
    let full = entries.len() == limit.unwrap_or(50) as usize;
    let next_before = entries.last().filter(|_| full).map(|last| last.id);
    Ok(Json(AuditPage { entries, next_before }))
}
