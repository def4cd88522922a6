//! The analytics report: the store's sums for a range, turned into the figures the API and
//! the dashboard show. Every ratio is `null` where its denominator is zero.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{DailyStats, Histogram, Outcome};
use crate::handoff::Trigger;
use crate::ids::{TeamId, UserId};
use crate::time::Timestamp;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Hour,
    #[default]
    Day,
}

impl Bucket {
    pub fn ms(self) -> i64 {
        match self {
            Self::Hour => super::HOUR_MS,
            Self::Day => super::DAY_MS,
        }
    }
}

/// One group of handoffs as the store sums them over the range.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSums {
    pub trigger: Trigger,
    /// The forbidden topic, or the AI's reason code.
    pub reason: Option<String>,
    pub outcome: Outcome,
    pub team_id: Option<TeamId>,
    pub stats: DailyStats,
}

/// One bucket of the series as the store sums it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesSums {
    pub start: Timestamp,
    pub conversations: u64,
    pub handoffs: u64,
    pub humans: u64,
    pub queue_wait_ms: i64,
}

/// What the store sums over a range, by group: a report's figures before names are put to
/// teams and people.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub conversations: u64,
    pub groups: Vec<GroupSums>,
    /// The handoffs each person took.
    pub users: Vec<(UserId, DailyStats)>,
    /// Time to a human, over all handoffs and per team (`None`: no team).
    pub time_to_human: Histogram,
    pub team_time_to_human: BTreeMap<Option<TeamId>, Histogram>,
    pub series: Vec<SeriesSums>,
}

/// Everything a report is built from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub from: Timestamp,
    pub to: Timestamp,
    pub bucket: Bucket,
    pub sums: Sums,
    pub team_names: BTreeMap<TeamId, String>,
    pub user_names: BTreeMap<UserId, String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcomes {
    pub human: u64,
    pub ticket: u64,
    pub offline: u64,
    pub returned_to_bot: u64,
    pub abandoned: u64,
    pub waiting: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    /// The mean, exact.
    pub average: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Sla {
    /// Handoffs taken by a person whose team has a first-response SLA, decided (answered, or
    /// past the SLA).
    pub total: u64,
    pub met: u64,
    pub share: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Offers {
    pub made: u64,
    pub accepted: u64,
    pub declined: u64,
    pub expired: u64,
    pub acceptance_rate: Option<f64>,
    pub decline_rate: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ratings {
    pub average: Option<f64>,
    pub count: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CsatStats {
    pub average: Option<f64>,
    pub count: u64,
    /// Stars ("1" to "5") → ratings.
    pub distribution: BTreeMap<String, u64>,
    /// Rated after a person took the chat.
    pub human: Ratings,
    /// Rated when no person took part.
    pub after_bot: Ratings,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub start: Timestamp,
    pub conversations: u64,
    pub handoffs: u64,
    pub handoff_rate: Option<f64>,
    pub human: u64,
    /// How many handoffs waited in the queue on average during the bucket.
    pub queue_length: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TeamRow {
    /// `null`: handoffs counted under no team.
    pub team_id: Option<TeamId>,
    pub name: String,
    pub handoffs: u64,
    pub human: u64,
    pub time_to_human_seconds: Percentiles,
    pub within_sla: Option<f64>,
    pub csat_average: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRow {
    pub user_id: UserId,
    pub name: String,
    /// Handoffs they took.
    pub handoffs: u64,
    pub average_time_to_human_seconds: Option<f64>,
    pub offers: u64,
    pub accepted: u64,
    pub declined: u64,
    pub expired: u64,
    pub within_sla: Option<f64>,
    pub csat_average: Option<f64>,
    pub ratings: u64,
}

/// How handoffs went over a range. See `docs/analytics.md` for every figure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: Timestamp,
    pub to: Timestamp,
    pub bucket: Bucket,
    pub conversations: u64,
    pub handoffs: u64,
    pub handoff_rate: Option<f64>,
    /// Trigger → handoffs.
    pub by_trigger: BTreeMap<String, u64>,
    /// Forbidden topic or AI reason code → handoffs.
    pub by_reason: BTreeMap<String, u64>,
    pub outcomes: Outcomes,
    pub time_to_human_seconds: Percentiles,
    pub within_sla: Sla,
    pub offers: Offers,
    pub csat: CsatStats,
    pub series: Vec<SeriesPoint>,
    pub teams: Vec<TeamRow>,
    pub users: Vec<UserRow>,
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

fn ratings_average(ratings: &[u64; 5]) -> (Option<f64>, u64) {
    let count: u64 = ratings.iter().sum();
    let sum: u64 = ratings.iter().zip(1..).map(|(n, stars)| n * stars).sum();
    ((count > 0).then(|| round4(sum as f64 / count as f64)), count)
}

fn percentiles(histogram: &Histogram, sum_ms: i64, count: u64) -> Percentiles {
    Percentiles {
        p50: histogram.quantile_seconds(0.5),
        p90: histogram.quantile_seconds(0.9),
        p95: histogram.quantile_seconds(0.95),
        average: (count > 0).then(|| (sum_ms as f64 / count as f64 / 100.0).round() / 10.0),
    }
}

impl Report {
    pub fn build(input: ReportInput) -> Self {
        let sums = &input.sums;
        let mut total = DailyStats::default();
        let mut by_trigger = BTreeMap::new();
        let mut by_reason = BTreeMap::new();
        let mut outcomes = Outcomes::default();
        let mut human_ratings = [0u64; 5];
        let mut bot_ratings = [0u64; 5];
        let mut teams: BTreeMap<Option<TeamId>, DailyStats> = BTreeMap::new();
        let mut users: BTreeMap<UserId, DailyStats> = BTreeMap::new();
        for (user, stats) in &sums.users {
            users.entry(*user).or_default().add(stats);
        }
        for group in &sums.groups {
            let stats = &group.stats;
            total.add(stats);
            *by_trigger.entry(trigger_name(group.trigger)).or_default() += stats.handoffs;
            if let Some(reason) = &group.reason {
                *by_reason.entry(reason.clone()).or_default() += stats.handoffs;
            }
            let slot = match group.outcome {
                Outcome::Human => &mut outcomes.human,
                Outcome::Ticket => &mut outcomes.ticket,
                Outcome::Offline => &mut outcomes.offline,
                Outcome::ReturnedToBot => &mut outcomes.returned_to_bot,
                Outcome::Abandoned => &mut outcomes.abandoned,
                Outcome::Waiting => &mut outcomes.waiting,
            };
            *slot += stats.handoffs;
            let rated = if group.outcome == Outcome::Human { &mut human_ratings } else { &mut bot_ratings };
            for (sum, n) in rated.iter_mut().zip(stats.ratings) {
                *sum += n;
            }
            teams.entry(group.team_id).or_default().add(stats);
        }
        let (average, count) = ratings_average(&total.ratings);
        let (human_average, human_count) = ratings_average(&human_ratings);
        let (bot_average, bot_count) = ratings_average(&bot_ratings);
        let distribution = total.ratings.iter().zip(1..).map(|(n, stars)| (stars.to_string(), *n)).collect();
        let bucket_ms = input.bucket.ms() as f64;
        let series = sums
            .series
            .iter()
            .map(|point| SeriesPoint {
                start: point.start,
                conversations: point.conversations,
                handoffs: point.handoffs,
                handoff_rate: ratio(point.handoffs, point.conversations),
                human: point.humans,
                queue_length: round4(point.queue_wait_ms as f64 / bucket_ms),
            })
            .collect();
        let empty = Histogram::default();
        let team_rows = teams
            .iter()
            .map(|(team, stats)| {
                let histogram = sums.team_time_to_human.get(team).unwrap_or(&empty);
                TeamRow {
                    team_id: *team,
                    name: team.and_then(|id| input.team_names.get(&id).cloned()).unwrap_or_else(|| {
                        if team.is_some() { "Deleted team".into() } else { "No team".into() }
                    }),
                    handoffs: stats.handoffs,
                    human: stats.humans,
                    time_to_human_seconds: percentiles(histogram, stats.time_to_human_ms_sum, stats.humans),
                    within_sla: ratio(stats.sla_met, stats.sla_total),
                    csat_average: ratings_average(&stats.ratings).0,
                }
            })
            .collect();
        let mut user_rows: Vec<UserRow> = users
            .iter()
            .map(|(user, stats)| UserRow {
                user_id: *user,
                name: input.user_names.get(user).cloned().unwrap_or_else(|| "Deleted user".into()),
                handoffs: stats.humans,
                average_time_to_human_seconds: percentiles(&empty, stats.time_to_human_ms_sum, stats.humans)
                    .average,
                offers: stats.offers,
                accepted: stats.accepts,
                declined: stats.declines,
                expired: stats.expiries,
                within_sla: ratio(stats.sla_met, stats.sla_total),
                csat_average: ratings_average(&stats.ratings).0,
                ratings: stats.ratings.iter().sum(),
            })
            .collect();
        user_rows.sort_by(|a, b| b.handoffs.cmp(&a.handoffs).then_with(|| a.name.cmp(&b.name)));
        Report {
            from: input.from,
            to: input.to,
            bucket: input.bucket,
            conversations: sums.conversations,
            handoffs: total.handoffs,
            handoff_rate: ratio(total.handoffs, sums.conversations),
            by_trigger,
            by_reason,
            outcomes,
            time_to_human_seconds: percentiles(&sums.time_to_human, total.time_to_human_ms_sum, total.humans),
            within_sla: Sla {
                total: total.sla_total,
                met: total.sla_met,
                share: ratio(total.sla_met, total.sla_total),
            },
            offers: Offers {
                made: total.offers,
                accepted: total.accepts,
                declined: total.declines,
                expired: total.expiries,
                acceptance_rate: ratio(total.accepts, total.offers),
                decline_rate: ratio(total.declines, total.offers),
            },
            csat: CsatStats {
                average,
                count,
                distribution,
                human: Ratings { average: human_average, count: human_count },
                after_bot: Ratings { average: bot_average, count: bot_count },
            },
            series,
            teams: team_rows,
            users: user_rows,
        }
    }

    /// The report as CSV: one row per figure (`section,key,value`), then the series, team and
    /// user tables, each under its own header.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,key,value\n");
        let mut line = |section: &str, key: &str, value: String| {
            out.push_str(&format!("{},{},{}\n", csv(section), csv(key), csv(&value)));
        };
        let opt = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
        line("totals", "conversations", self.conversations.to_string());
        line("totals", "handoffs", self.handoffs.to_string());
        line("totals", "handoff_rate", opt(self.handoff_rate));
        for (trigger, n) in &self.by_trigger {
            line("by_trigger", trigger, n.to_string());
        }
        for (reason, n) in &self.by_reason {
            line("by_reason", reason, n.to_string());
        }
        let o = &self.outcomes;
        for (key, n) in [
            ("human", o.human),
            ("ticket", o.ticket),
            ("offline", o.offline),
            ("returned_to_bot", o.returned_to_bot),
            ("abandoned", o.abandoned),
            ("waiting", o.waiting),
        ] {
            line("outcomes", key, n.to_string());
        }
        let t = &self.time_to_human_seconds;
        for (key, value) in [("p50", t.p50), ("p90", t.p90), ("p95", t.p95), ("average", t.average)] {
            line("time_to_human_seconds", key, opt(value));
        }
        line("within_sla", "share", opt(self.within_sla.share));
        line("offers", "made", self.offers.made.to_string());
        line("offers", "acceptance_rate", opt(self.offers.acceptance_rate));
        line("offers", "decline_rate", opt(self.offers.decline_rate));
        line("csat", "average", opt(self.csat.average));
        line("csat", "count", self.csat.count.to_string());
        for (stars, n) in &self.csat.distribution {
            line("csat_distribution", stars, n.to_string());
        }
        out.push_str("\nstart,conversations,handoffs,handoff_rate,human,queue_length\n");
        for p in &self.series {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                p.start.as_millis(),
                p.conversations,
                p.handoffs,
                opt(p.handoff_rate),
                p.human,
                p.queue_length
            ));
        }
        out.push_str("\nteam,handoffs,human,time_to_human_p50,time_to_human_p90,time_to_human_p95,within_sla,csat_average\n");
        for row in &self.teams {
            let t = &row.time_to_human_seconds;
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                csv(&row.name),
                row.handoffs,
                row.human,
                opt(t.p50),
                opt(t.p90),
                opt(t.p95),
                opt(row.within_sla),
                opt(row.csat_average)
            ));
        }
        out.push_str("\nuser,handoffs,average_time_to_human,offers,accepted,declined,expired,within_sla,csat_average\n");
        for row in &self.users {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                csv(&row.name),
                row.handoffs,
                opt(row.average_time_to_human_seconds),
                row.offers,
                row.accepted,
                row.declined,
                row.expired,
                opt(row.within_sla),
                opt(row.csat_average)
            ));
        }
        out
    }
}

fn trigger_name(trigger: Trigger) -> String {
    serde_json::to_value(trigger).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A CSV field, quoted when it needs to be, and never read as a formula by a spreadsheet.
fn csv(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}
