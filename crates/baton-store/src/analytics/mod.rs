//! Analytics facts and their daily roll-ups, as inherent methods of [`SqlStore`] that the
//! [`Store`] implementation delegates to.
//!
//! A fact changes as its handoff does; each change recomputes, in the same transaction, the
//! roll-up rows of the groups the fact left and joined, from the facts themselves. So the
//! roll-ups are always the sum of the facts, and replaying an event changes nothing.
//!
//! [`facts`] writes (a fact and the roll-ups it touches); [`report`] reads a report's sums.

mod facts;
mod report;

use std::collections::BTreeMap;

use baton_core::analytics::{Bucket, DailyStats, GroupSums, HandoffFact, SeriesSums};
use baton_core::handoff::{Priority, Trigger};
use baton_core::ids::{BotId, TeamId};
use baton_core::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::*;
use crate::*;

const FACT_COLUMNS: &str = "handoff_id, conversation_id, bot_id, team_id, assignee_id, trigger, reason, topic, \
     reason_code, priority, outcome, day, requested_at, queued_at, assigned_at, first_response_at, closed_at, \
     left_queue_at, went_offline, lead, returned_to_bot, offers, accepts, declines, expiries, rating, sla_seconds, \
     tth_bucket, last_event_id";

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
