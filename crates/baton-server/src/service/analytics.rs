//! Analytics reports: the store's sums for a range of UTC days, turned into the figures of
//! `docs/analytics.md` (see [`baton_core::analytics`]).

use baton_core::analytics::{Bucket, DAY_MS, Report, ReportInput};
use baton_core::ids::{BotId, TeamId};
use baton_core::schedule::{Date, parse_date};
use baton_core::time::Timestamp;
use baton_store::AnalyticsQuery;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The longest range a report covers.
pub const MAX_DAYS: i64 = 366;
/// The longest range a report by the hour covers.
pub const MAX_HOURLY_DAYS: i64 = 31;
/// The range when none is given: the last 30 days, today included.
pub const DEFAULT_DAYS: i64 = 30;

/// What a report is asked for.
#[derive(Debug, Default)]
pub struct ReportRequest {
    pub from: Option<String>,
    pub to: Option<String>,
    pub bot: Option<BotId>,
    pub team: Option<TeamId>,
    pub bucket: Option<Bucket>,
}

fn day_of(date: Date) -> i64 {
    let epoch = Date::constant(1970, 1, 1);
    i64::from(epoch.until(date).map(|span| span.get_days()).unwrap_or(0))
}

fn date(field: &str, text: &str) -> ApiResult<i64> {
    parse_date(text).map(day_of).map_err(|problem| ApiError::invalid(format!("{field}: {problem}")))
}

#[tracing::instrument(skip_all, fields(from = ?request.from, to = ?request.to, bucket = ?request.bucket))]
pub async fn report(state: &AppState, request: ReportRequest) -> ApiResult<Report> {
    let today = state.now().as_millis().div_euclid(DAY_MS);
    let to_day = request.to.as_deref().map(|text| date("to", text)).transpose()?.unwrap_or(today);
    let from_day = request
        .from
        .as_deref()
        .map(|text| date("from", text))
        .transpose()?
        .unwrap_or(to_day - DEFAULT_DAYS + 1);
    if from_day > to_day {
        return Err(ApiError::invalid("from: must not be after to"));
    }
    let days = to_day - from_day + 1;
    if days > MAX_DAYS {
        return Err(ApiError::invalid(format!("from: a report covers at most {MAX_DAYS} days")));
    }
    let bucket = request.bucket.unwrap_or_default();
    if bucket == Bucket::Hour && days > MAX_HOURLY_DAYS {
        return Err(ApiError::invalid(format!(
            "bucket: by the hour, a report covers at most {MAX_HOURLY_DAYS} days"
        )));
    }
    let query =
        AnalyticsQuery { from_day, to_day, bot: request.bot, team: request.team, bucket, now: state.now() };
    let input = ReportInput {
        from: Timestamp::from_millis(from_day * DAY_MS),
        to: Timestamp::from_millis((to_day + 1) * DAY_MS),
        bucket,
        sums: state.store.analytics(&query).await?,
        team_names: state.store.teams().await?.into_iter().map(|team| (team.id, team.name)).collect(),
        user_names: state.store.users().await?.into_iter().map(|user| (user.id, user.name)).collect(),
    };
    Ok(Report::build(input))
}
