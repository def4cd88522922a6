//! Office hours as the console edits them: what a schedule means right now, before it is saved.

use axum::Json;
use axum::extract::State;
use baton_core::schedule::{Outlook, Schedule};

use crate::auth::Admin;
use crate::error::{ApiError, ApiJson, ApiResult, Problem};
use crate::state::SharedState;

/// Whether the office hours given are open now and when that changes ("Closed, opens Monday
/// 2026-12-07 09:00 (in 14 h)"), for a schedule not yet saved. Invalid hours get 422 with the
/// problem, as saving them would.
#[utoipa::path(post, path = "/v1/schedules/preview", tag = "admin", security(("bearer" = [])),
    request_body(content = Object, description = "Office hours, as a bot's policy or a team holds them."),
    responses((status = 200, body = Outlook), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn preview_schedule(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiJson(schedule): ApiJson<Schedule>,
) -> ApiResult<Json<Outlook>> {
    if let Some(problem) = schedule.problem() {
        return Err(ApiError::Unprocessable { code: "validation_failed", detail: problem });
    }
    Ok(Json(schedule.outlook(state.now())))
}
