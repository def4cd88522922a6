//! Analytics: how handoffs went over a range of days, as JSON or CSV.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use baton_core::analytics::{Bucket, Report};
use baton_core::ids::{BotId, TeamId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiQuery, ApiResult, Problem};
use crate::service::analytics::{self, ReportRequest};
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsFilter {
    /// The first UTC day, `YYYY-MM-DD`; 30 days before `to` when absent.
    pub from: Option<String>,
    /// The last UTC day, included; today when absent. At most 366 days in all.
    pub to: Option<String>,
    /// Only this bot's conversations and handoffs.
    pub bot_id: Option<BotId>,
    /// Only handoffs counted under this team (conversations stay all of the bot's).
    pub team_id: Option<TeamId>,
    /// The series' step: `day` (default) or `hour` (at most 31 days).
    pub bucket: Option<Bucket>,
    /// `csv` for the same figures as a spreadsheet; JSON otherwise.
    pub format: Option<String>,
}

/// How handoffs went: conversations, handoffs and the handoff rate; handoffs by trigger and
/// reason; where they ended up; time to a human (p50/p90/p95) and the share answered within
/// the first-response SLA; offers accepted and declined; CSAT; a series per day or hour; and
/// rows per team and per user. Each figure is defined in `docs/analytics.md`.
#[utoipa::path(get, path = "/v1/analytics", tag = "admin", params(AnalyticsFilter), security(("bearer" = [])),
    responses((status = 200, body = Report, description = "JSON, or CSV with `format=csv`"),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn analytics(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiQuery(filter): ApiQuery<AnalyticsFilter>,
) -> ApiResult<Response> {
    let csv = match filter.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::Unprocessable {
                code: "validation_failed",
                detail: format!("format: '{other}' is neither json nor csv"),
            });
        }
    };
    let request = ReportRequest {
        from: filter.from,
        to: filter.to,
        bot: filter.bot_id,
        team: filter.team_id,
        bucket: filter.bucket,
    };
    let report = analytics::report(&state, request).await?;
    if !csv {
        return Ok(Json(report).into_response());
    }
    let name = format!(
        "attachment; filename=\"baton-analytics-{}-{}.csv\"",
        report.from.as_millis() / 86_400_000,
        report.to.as_millis() / 86_400_000 - 1
    );
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
        report.to_csv(),
    )
        .into_response())
}
