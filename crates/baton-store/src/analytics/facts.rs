//! Writing analytics: a fact, and the roll-up rows it leaves and joins, recomputed from the
//! facts in the same transaction.

use std::collections::{BTreeMap, BTreeSet};

use baton_core::analytics::{DailyStats, HandoffFact, Histogram};
use baton_core::handoff::Handoff;
use baton_core::ids::{BotId, HandoffId};
use baton_core::time::Timestamp;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::*;

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

impl SqlStore {
    pub(crate) async fn select_any_handoff_fact(&self) -> Result<bool> {
        let row =
            sqlx::query("SELECT 1 AS one FROM handoff_facts LIMIT 1").fetch_optional(self.pool()).await?;
        Ok(row.is_some())
    }

    pub(crate) async fn select_handoffs_after(
        &self,
        after: Option<HandoffId>,
        limit: i64,
    ) -> Result<Vec<Handoff>> {
        let rows = sqlx::query("SELECT document, version FROM handoffs WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.map(id_text).unwrap_or_default())
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|row| handoff_from_row(row).map(|versioned| versioned.value)).collect()
    }

    /// Counts every stored conversation per hour and bot, as seen by the event `seen_up_to`,
    /// unless some are counted already.
    pub(crate) async fn insert_conversation_counts_so_far(&self, seen_up_to: i64) -> Result<u64> {
        let counted = sqlx::query("SELECT 1 AS one FROM analytics_conversations LIMIT 1")
            .fetch_optional(self.pool())
            .await?;
        if counted.is_some() {
            return Ok(0);
        }
        let done = sqlx::query(
            "INSERT INTO analytics_conversations (hour, bot_id, conversations, last_event_id) \
             SELECT created_at / 3600000, bot_id, COUNT(*), CAST($1 AS BIGINT) FROM conversations GROUP BY created_at / 3600000, bot_id",
        )
        .bind(seen_up_to)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

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
        let mut tx = self.begin_write().await?;
        // A write first takes SQLite's write lock now: read first, the facts could change under
        // this transaction when another writer commits, and its writes would fail (SQLITE_BUSY)
        // instead of waiting their turn.
        sqlx::query("UPDATE analytics_conversations SET hour = hour WHERE 1 = 0").execute(&mut *tx).await?;
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
        let mut tx = self.begin_write().await?;
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
