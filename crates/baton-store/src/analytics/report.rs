//! Reading analytics: a report's sums from the roll-ups (and, by the hour, the facts).

use baton_core::analytics::{Bucket, HOUR_MS, Histogram, Outcome};
use sqlx::AssertSqlSafe;

use super::*;

/// The roll-up tables' statistics as summed by a report.
const STATS_SUMS: &str = "CAST(SUM(handoffs) AS BIGINT) AS handoffs, CAST(SUM(humans) AS BIGINT) AS humans, \
     CAST(SUM(tth_ms_sum) AS BIGINT) AS tth_ms_sum, CAST(SUM(sla_total) AS BIGINT) AS sla_total, \
     CAST(SUM(sla_met) AS BIGINT) AS sla_met, CAST(SUM(offers) AS BIGINT) AS offers, \
     CAST(SUM(accepts) AS BIGINT) AS accepts, CAST(SUM(declines) AS BIGINT) AS declines, \
     CAST(SUM(expiries) AS BIGINT) AS expiries, CAST(SUM(queue_wait_ms) AS BIGINT) AS queue_wait_ms, \
     CAST(SUM(r1) AS BIGINT) AS r1, CAST(SUM(r2) AS BIGINT) AS r2, CAST(SUM(r3) AS BIGINT) AS r3, \
     CAST(SUM(r4) AS BIGINT) AS r4, CAST(SUM(r5) AS BIGINT) AS r5";

impl SqlStore {
    pub(crate) async fn select_analytics(
        &self,
        query: &AnalyticsQuery,
    ) -> Result<baton_core::analytics::Sums> {
        let bot = key_text(query.bot);
        let team = key_text(query.team);
        let (from, to) = (query.from_day, query.to_day);
        let filter = "day >= $1 AND day <= $2 AND ($3 = '' OR bot_id = $3) AND ($4 = '' OR team_id = $4)";
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT trigger, reason, outcome, team_id, {STATS_SUMS} FROM analytics_daily WHERE {filter} \
             GROUP BY trigger, reason, outcome, team_id"
        )))
        .bind(from)
        .bind(to)
        .bind(&bot)
        .bind(&team)
        .fetch_all(self.pool())
        .await?;
        let mut sums = baton_core::analytics::Sums::default();
        for row in &rows {
            let reason: String = row.try_get("reason")?;
            let outcome: String = row.try_get("outcome")?;
            sums.groups.push(GroupSums {
                trigger: parse(&row.try_get::<String, _>("trigger")?)?,
                reason: Some(reason).filter(|r| !r.is_empty()),
                outcome: Outcome::parse(&outcome)
                    .ok_or_else(|| StoreError::Corrupt(format!("outcome {outcome}")))?,
                team_id: blank_id(row.try_get("team_id")?)?,
                stats: stats_from_row(row)?,
            });
        }
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT assignee_id, {STATS_SUMS} FROM analytics_user_daily WHERE {filter} GROUP BY assignee_id"
        )))
        .bind(from)
        .bind(to)
        .bind(&bot)
        .bind(&team)
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            sums.users.push((parse_id(&row.try_get::<String, _>("assignee_id")?)?, stats_from_row(row)?));
        }
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT team_id, histogram FROM analytics_tth_daily WHERE {filter}"
        )))
        .bind(from)
        .bind(to)
        .bind(&bot)
        .bind(&team)
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let text: String = row.try_get("histogram")?;
            let histogram = Histogram::decode(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("time-to-human histogram '{text}'")))?;
            sums.time_to_human.merge(&histogram);
            sums.team_time_to_human.entry(blank_id(row.try_get("team_id")?)?).or_default().merge(&histogram);
        }
        let hours = (from * 24, to * 24 + 23);
        let conversations = sqlx::query(
            "SELECT CAST(SUM(conversations) AS BIGINT) AS conversations FROM analytics_conversations \
             WHERE hour >= $1 AND hour <= $2 AND ($3 = '' OR bot_id = $3)",
        )
        .bind(hours.0)
        .bind(hours.1)
        .bind(&bot)
        .fetch_one(self.pool())
        .await?;
        sums.conversations = sum(&conversations, "conversations")?;
        sums.series = self.select_series(query, &bot, &team).await?;
        Ok(sums)
    }

    /// Per bucket: conversations, handoffs, those a person took, and the queue waits. Days
    /// come from the roll-ups; hours (a month at most) from the facts themselves.
    async fn select_series(&self, query: &AnalyticsQuery, bot: &str, team: &str) -> Result<Vec<SeriesSums>> {
        let (from, to) = (query.from_day, query.to_day);
        let mut points: BTreeMap<i64, SeriesSums> = BTreeMap::new();
        let per_bucket = query.bucket.ms() / HOUR_MS;
        let first = from * 24 / per_bucket;
        let last = (to * 24 + 23) / per_bucket;
        for index in first..=last {
            let start = Timestamp::from_millis(index * query.bucket.ms());
            points.insert(
                index,
                SeriesSums { start, conversations: 0, handoffs: 0, humans: 0, queue_wait_ms: 0 },
            );
        }
        let rows = match query.bucket {
            Bucket::Day => {
                sqlx::query(
                    "SELECT day AS slot, CAST(SUM(handoffs) AS BIGINT) AS handoffs, CAST(SUM(humans) AS BIGINT) AS humans, CAST(SUM(queue_wait_ms) AS BIGINT) AS queue_wait_ms \
                     FROM analytics_daily WHERE day >= $1 AND day <= $2 AND ($3 = '' OR bot_id = $3) \
                     AND ($4 = '' OR team_id = $4) GROUP BY day",
                )
                .bind(from)
                .bind(to)
                .bind(bot)
                .bind(team)
                .fetch_all(self.pool())
                .await?
            }
            Bucket::Hour => {
                sqlx::query(
                    "SELECT requested_at / 3600000 AS slot, COUNT(*) AS handoffs, \
                     CAST(SUM(CASE WHEN assigned_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS humans, \
                     CAST(SUM(CASE WHEN queued_at IS NULL THEN 0 ELSE COALESCE(left_queue_at, $5) - queued_at END) AS BIGINT) AS queue_wait_ms \
                     FROM handoff_facts WHERE day >= $1 AND day <= $2 AND ($3 = '' OR bot_id = $3) \
                     AND ($4 = '' OR team_id = $4) GROUP BY requested_at / 3600000",
                )
                .bind(from)
                .bind(to)
                .bind(bot)
                .bind(team)
                .bind(query.now.as_millis())
                .fetch_all(self.pool())
                .await?
            }
        };
        for row in &rows {
            let slot: i64 = row.try_get("slot")?;
            if let Some(point) = points.get_mut(&slot) {
                point.handoffs = sum(row, "handoffs")?;
                point.humans = sum(row, "humans")?;
                point.queue_wait_ms = row.try_get::<Option<i64>, _>("queue_wait_ms")?.unwrap_or(0).max(0);
            }
        }
        let rows = sqlx::query(
            "SELECT hour, CAST(SUM(conversations) AS BIGINT) AS conversations FROM analytics_conversations \
             WHERE hour >= $1 AND hour <= $2 AND ($3 = '' OR bot_id = $3) GROUP BY hour",
        )
        .bind(from * 24)
        .bind(to * 24 + 23)
        .bind(bot)
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let hour: i64 = row.try_get("hour")?;
            if let Some(point) = points.get_mut(&(hour / per_bucket)) {
                point.conversations += sum(row, "conversations")?;
            }
        }
        Ok(points.into_values().collect())
    }
}

/// A summed column, cast back to BIGINT (PostgreSQL sums BIGINTs as NUMERIC, which the Any
/// driver cannot read); NULL (no rows) is 0.
fn sum(row: &AnyRow, column: &str) -> Result<u64> {
    let value = row.try_get::<Option<i64>, _>(column)?.unwrap_or(0);
    Ok(u64::try_from(value).unwrap_or(0))
}

fn stats_from_row(row: &AnyRow) -> Result<DailyStats> {
    let signed = |column: &str| sum(row, column).map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    Ok(DailyStats {
        handoffs: sum(row, "handoffs")?,
        humans: sum(row, "humans")?,
        time_to_human_ms_sum: signed("tth_ms_sum")?,
        sla_total: sum(row, "sla_total")?,
        sla_met: sum(row, "sla_met")?,
        offers: sum(row, "offers")?,
        accepts: sum(row, "accepts")?,
        declines: sum(row, "declines")?,
        expiries: sum(row, "expiries")?,
        queue_wait_ms: signed("queue_wait_ms")?,
        ratings: [sum(row, "r1")?, sum(row, "r2")?, sum(row, "r3")?, sum(row, "r4")?, sum(row, "r5")?],
    })
}
