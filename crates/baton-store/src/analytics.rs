//! Analytics facts and their daily roll-ups, as inherent methods of [`SqlStore`] that the
//! [`Store`] implementation delegates to.
//!
//! A fact changes as its handoff does; each change recomputes, in the same transaction, the
//! roll-up rows of the groups the fact left and joined, from the facts themselves. So the
//! roll-ups are always the sum of the facts, and replaying an event changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use baton_core::analytics::{
    Bucket, DailyStats, GroupSums, HOUR_MS, HandoffFact, Histogram, Outcome, SeriesSums,
};
use baton_core::handoff::{Priority, Trigger};
use baton_core::ids::{BotId, HandoffId, TeamId};
use baton_core::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use crate::rows::*;
use crate::*;

const FACT_COLUMNS: &str = "handoff_id, conversation_id, bot_id, team_id, assignee_id, trigger, reason, topic, \
     reason_code, priority, outcome, day, requested_at, queued_at, assigned_at, first_response_at, closed_at, \
     left_queue_at, went_offline, lead, returned_to_bot, offers, accepts, declines, expiries, rating, sla_seconds, \
     tth_bucket, last_event_id";

/// The roll-up row a fact is counted in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    day: i64,
    bot: String,
    team: String,
    trigger: String,
    reason: String,
    outcome: String,
}

/// The day, bot and team a fact is counted under: its time-to-human histogram's row, and
/// (with its assignee) its person's row.
type DayKey = (i64, String, String);

/// The statistics columns of both roll-up tables, in [`stats_values`] order.
const STATS_COLUMNS: &str = "handoffs, humans, tth_ms_sum, sla_total, sla_met, offers, accepts, declines, expiries, \
     queue_wait_ms, r1, r2, r3, r4, r5";

/// The roll-up tables' statistics as summed by a report.
const STATS_SUMS: &str = "CAST(SUM(handoffs) AS BIGINT) AS handoffs, CAST(SUM(humans) AS BIGINT) AS humans, \
     CAST(SUM(tth_ms_sum) AS BIGINT) AS tth_ms_sum, CAST(SUM(sla_total) AS BIGINT) AS sla_total, \
     CAST(SUM(sla_met) AS BIGINT) AS sla_met, CAST(SUM(offers) AS BIGINT) AS offers, \
     CAST(SUM(accepts) AS BIGINT) AS accepts, CAST(SUM(declines) AS BIGINT) AS declines, \
     CAST(SUM(expiries) AS BIGINT) AS expiries, CAST(SUM(queue_wait_ms) AS BIGINT) AS queue_wait_ms, \
     CAST(SUM(r1) AS BIGINT) AS r1, CAST(SUM(r2) AS BIGINT) AS r2, CAST(SUM(r3) AS BIGINT) AS r3, \
     CAST(SUM(r4) AS BIGINT) AS r4, CAST(SUM(r5) AS BIGINT) AS r5";

fn stats_values(s: &DailyStats) -> [i64; 15] {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    [
        n(s.handoffs),
        n(s.humans),
        s.time_to_human_ms_sum,
        n(s.sla_total),
        n(s.sla_met),
        n(s.offers),
        n(s.accepts),
        n(s.declines),
        n(s.expiries),
        s.queue_wait_ms,
        n(s.ratings[0]),
        n(s.ratings[1]),
        n(s.ratings[2]),
        n(s.ratings[3]),
        n(s.ratings[4]),
    ]
}

/// An enum's name as it serializes (`explicit_request`, `urgent`).
fn text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("analytics value '{text}': {e}")))
}

fn key_text<K>(id: Option<baton_core::ids::Id<K>>) -> String {
    id.map(id_text).unwrap_or_default()
}

fn blank_id<K>(text: String) -> Result<Option<baton_core::ids::Id<K>>> {
    opt_id(Some(text).filter(|t| !t.is_empty()))
}

fn reason(fact: &HandoffFact) -> String {
    fact.topic.clone().or_else(|| fact.reason_code.clone()).unwrap_or_default()
}

fn group_key(fact: &HandoffFact) -> GroupKey {
    GroupKey {
        day: fact.day(),
        bot: key_text(fact.bot_id),
        team: key_text(fact.team_id),
        trigger: text(fact.trigger),
        reason: reason(fact),
        outcome: fact.outcome().as_str().to_owned(),
    }
}

fn day_key(fact: &HandoffFact) -> DayKey {
    (fact.day(), key_text(fact.bot_id), key_text(fact.team_id))
}

fn ts(row: &AnyRow, column: &str) -> Result<Option<Timestamp>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_millis))
}

fn count(row: &AnyRow, column: &str) -> Result<u32> {
    Ok(u32::try_from(row.try_get::<i64, _>(column)?).unwrap_or(u32::MAX))
}

fn fact_from_row(row: &AnyRow) -> Result<(HandoffFact, i64)> {
    let fact = HandoffFact {
        handoff_id: parse_id(&row.try_get::<String, _>("handoff_id")?)?,
        conversation_id: parse_id(&row.try_get::<String, _>("conversation_id")?)?,
        bot_id: blank_id(row.try_get("bot_id")?)?,
        team_id: blank_id(row.try_get("team_id")?)?,
        assignee_id: blank_id(row.try_get("assignee_id")?)?,
        trigger: parse::<Trigger>(&row.try_get::<String, _>("trigger")?)?,
        topic: row.try_get("topic")?,
        reason_code: row.try_get("reason_code")?,
        priority: parse::<Priority>(&row.try_get::<String, _>("priority")?)?,
        requested_at: Timestamp::from_millis(row.try_get("requested_at")?),
        queued_at: ts(row, "queued_at")?,
        assigned_at: ts(row, "assigned_at")?,
        first_response_at: ts(row, "first_response_at")?,
        closed_at: ts(row, "closed_at")?,
        left_queue_at: ts(row, "left_queue_at")?,
        went_offline: row.try_get::<i64, _>("went_offline")? != 0,
        lead: row.try_get::<i64, _>("lead")? != 0,
        returned_to_bot: row.try_get::<i64, _>("returned_to_bot")? != 0,
        offers: count(row, "offers")?,
        accepts: count(row, "accepts")?,
        declines: count(row, "declines")?,
        expiries: count(row, "expiries")?,
        rating: row.try_get::<Option<i64>, _>("rating")?.and_then(|r| u8::try_from(r).ok()),
        sla_seconds: row.try_get::<Option<i64>, _>("sla_seconds")?.and_then(|s| u32::try_from(s).ok()),
    };
    Ok((fact, row.try_get("last_event_id")?))
}

/// What a report reads, filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsQuery {
    /// UTC days (since 1970-01-01), both included.
    pub from_day: i64,
    pub to_day: i64,
    pub bot: Option<BotId>,
    pub team: Option<TeamId>,
    pub bucket: Bucket,
    /// Handoffs still waiting count their wait up to now.
    pub now: Timestamp,
}

/// The sums a report is built from (see [`baton_core::analytics::ReportInput`]).
#[derive(Debug, Clone, Default)]
pub struct AnalyticsSums {
    pub conversations: u64,
    pub groups: Vec<GroupSums>,
    pub users: Vec<(baton_core::ids::UserId, DailyStats)>,
    pub time_to_human: Histogram,
    pub team_time_to_human: BTreeMap<Option<TeamId>, Histogram>,
    pub series: Vec<SeriesSums>,
}

impl SqlStore {
    pub(crate) async fn select_handoff_fact(&self, id: HandoffId) -> Result<Option<(HandoffFact, i64)>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {FACT_COLUMNS} FROM handoff_facts WHERE handoff_id = $1"
        )))
        .bind(id_text(id))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(fact_from_row).transpose()
    }

    pub(crate) async fn write_handoff_facts(
        &self,
        facts: &[(HandoffFact, i64)],
        now: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let mut groups = BTreeSet::new();
        let mut days = BTreeSet::new();
        for (fact, event_id) in facts {
            let old = sqlx::query(AssertSqlSafe(format!(
                "SELECT {FACT_COLUMNS} FROM handoff_facts WHERE handoff_id = $1"
            )))
            .bind(id_text(fact.handoff_id))
            .fetch_optional(&mut *tx)
            .await?;
            let old = old.as_ref().map(fact_from_row).transpose()?;
            if old.as_ref().is_some_and(|(_, seen)| seen >= event_id) {
                continue;
            }
            let mut fact = fact.clone();
            if fact.bot_id.is_none() {
                let bot = sqlx::query("SELECT bot_id FROM conversations WHERE id = $1")
                    .bind(id_text(fact.conversation_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                fact.bot_id = bot
                    .map(|row| row.try_get::<String, _>("bot_id"))
                    .transpose()?
                    .map(|b| parse_id(&b))
                    .transpose()?;
            }
            if let Some((old, _)) = &old {
                groups.insert(group_key(old));
                days.insert(day_key(old));
            }
            groups.insert(group_key(&fact));
            days.insert(day_key(&fact));
            upsert_fact(&mut tx, &fact, *event_id).await?;
        }
        for key in groups {
            roll_up_group(&mut tx, &key, now).await?;
        }
        for key in days {
            roll_up_day(&mut tx, &key, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn insert_conversation_counts(&self, started: &[(i64, BotId, i64)]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for (hour, bot, event_id) in started {
            sqlx::query(
                "INSERT INTO analytics_conversations (hour, bot_id, conversations, last_event_id) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (hour, bot_id) DO UPDATE SET conversations = analytics_conversations.conversations + 1, \
                 last_event_id = excluded.last_event_id WHERE analytics_conversations.last_event_id < excluded.last_event_id",
            )
            .bind(*hour)
            .bind(id_text(*bot))
            .bind(*event_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn select_analytics(&self, query: &AnalyticsQuery) -> Result<AnalyticsSums> {
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
        let mut sums = AnalyticsSums::default();
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

async fn upsert_fact(tx: &mut Transaction<'_, Any>, fact: &HandoffFact, event_id: i64) -> Result<()> {
    let key = group_key(fact);
    let ms = |t: Option<Timestamp>| t.map(|t| t.as_millis());
    let tth_bucket = fact.time_to_human_ms().map(|ms| i64::from(Histogram::bucket(ms)));
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO handoff_facts ({FACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) \
         ON CONFLICT (handoff_id) DO UPDATE SET bot_id = excluded.bot_id, team_id = excluded.team_id, \
         assignee_id = excluded.assignee_id, trigger = excluded.trigger, reason = excluded.reason, \
         topic = excluded.topic, reason_code = excluded.reason_code, priority = excluded.priority, \
         outcome = excluded.outcome, day = excluded.day, requested_at = excluded.requested_at, \
         queued_at = excluded.queued_at, assigned_at = excluded.assigned_at, \
         first_response_at = excluded.first_response_at, closed_at = excluded.closed_at, \
         left_queue_at = excluded.left_queue_at, went_offline = excluded.went_offline, lead = excluded.lead, \
         returned_to_bot = excluded.returned_to_bot, offers = excluded.offers, accepts = excluded.accepts, \
         declines = excluded.declines, expiries = excluded.expiries, rating = excluded.rating, \
         sla_seconds = excluded.sla_seconds, tth_bucket = excluded.tth_bucket, last_event_id = excluded.last_event_id"
    )))
    .bind(id_text(fact.handoff_id))
    .bind(id_text(fact.conversation_id))
    .bind(key.bot)
    .bind(key.team)
    .bind(key_text(fact.assignee_id))
    .bind(key.trigger)
    .bind(key.reason)
    .bind(fact.topic.clone())
    .bind(fact.reason_code.clone())
    .bind(text(fact.priority))
    .bind(key.outcome)
    .bind(key.day)
    .bind(fact.requested_at.as_millis())
    .bind(ms(fact.queued_at))
    .bind(ms(fact.assigned_at))
    .bind(ms(fact.first_response_at))
    .bind(ms(fact.closed_at))
    .bind(ms(fact.left_queue_at))
    .bind(i64::from(fact.went_offline))
    .bind(i64::from(fact.lead))
    .bind(i64::from(fact.returned_to_bot))
    .bind(i64::from(fact.offers))
    .bind(i64::from(fact.accepts))
    .bind(i64::from(fact.declines))
    .bind(i64::from(fact.expiries))
    .bind(fact.rating.map(i64::from))
    .bind(fact.sla_seconds.map(i64::from))
    .bind(tth_bucket)
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Recomputes one roll-up row from its facts (and drops it when none are left).
async fn roll_up_group(tx: &mut Transaction<'_, Any>, key: &GroupKey, now: Timestamp) -> Result<()> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {FACT_COLUMNS} FROM handoff_facts WHERE day = $1 AND bot_id = $2 AND team_id = $3 \
         AND trigger = $4 AND reason = $5 AND outcome = $6"
    )))
    .bind(key.day)
    .bind(&key.bot)
    .bind(&key.team)
    .bind(&key.trigger)
    .bind(&key.reason)
    .bind(&key.outcome)
    .fetch_all(&mut **tx)
    .await?;
    let facts: Vec<HandoffFact> =
        rows.iter().map(|row| fact_from_row(row).map(|(fact, _)| fact)).collect::<Result<_>>()?;
    sqlx::query(
        "DELETE FROM analytics_daily WHERE day = $1 AND bot_id = $2 AND team_id = $3 AND trigger = $4 \
         AND reason = $5 AND outcome = $6",
    )
    .bind(key.day)
    .bind(&key.bot)
    .bind(&key.team)
    .bind(&key.trigger)
    .bind(&key.reason)
    .bind(&key.outcome)
    .execute(&mut **tx)
    .await?;
    if facts.is_empty() {
        return Ok(());
    }
    let mut insert = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO analytics_daily (day, bot_id, team_id, trigger, reason, outcome, {STATS_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
    )))
    .bind(key.day)
    .bind(key.bot.clone())
    .bind(key.team.clone())
    .bind(key.trigger.clone())
    .bind(key.reason.clone())
    .bind(key.outcome.clone());
    for value in stats_values(&DailyStats::of(&facts, now)) {
        insert = insert.bind(value);
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// Recomputes one day's rows of a bot and team: each person's handoffs, and the histogram
/// of times to a person.
async fn roll_up_day(tx: &mut Transaction<'_, Any>, key: &DayKey, now: Timestamp) -> Result<()> {
    let (day, bot, team) = key;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {FACT_COLUMNS} FROM handoff_facts WHERE day = $1 AND bot_id = $2 AND team_id = $3"
    )))
    .bind(*day)
    .bind(bot)
    .bind(team)
    .fetch_all(&mut **tx)
    .await?;
    let facts: Vec<HandoffFact> =
        rows.iter().map(|row| fact_from_row(row).map(|(fact, _)| fact)).collect::<Result<_>>()?;
    for table in ["analytics_user_daily", "analytics_tth_daily"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE day = $1 AND bot_id = $2 AND team_id = $3"
        )))
        .bind(*day)
        .bind(bot)
        .bind(team)
        .execute(&mut **tx)
        .await?;
    }
    let mut people: BTreeMap<baton_core::ids::UserId, Vec<HandoffFact>> = BTreeMap::new();
    let mut histogram = Histogram::default();
    for fact in facts {
        if let Some(ms) = fact.time_to_human_ms() {
            histogram.record(ms);
        }
        if let Some(user) = fact.assignee_id.filter(|_| fact.assigned_at.is_some()) {
            people.entry(user).or_default().push(fact);
        }
    }
    for (user, facts) in people {
        let mut insert = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO analytics_user_daily (day, bot_id, team_id, assignee_id, {STATS_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        )))
        .bind(*day)
        .bind(bot.clone())
        .bind(team.clone())
        .bind(id_text(user));
        for value in stats_values(&DailyStats::of(&facts, now)) {
            insert = insert.bind(value);
        }
        insert.execute(&mut **tx).await?;
    }
    if histogram.count() > 0 {
        sqlx::query(
            "INSERT INTO analytics_tth_daily (day, bot_id, team_id, histogram) VALUES ($1, $2, $3, $4)",
        )
        .bind(*day)
        .bind(bot)
        .bind(team)
        .bind(histogram.encode())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
