//! How fast an analytics report answers on a year of busy history: 10,000 handoffs a day
//! (30,000 conversations) for 365 days, rolled up as the analytics consumer rolls them up,
//! with the facts themselves for the last 31 days (what a report by the hour reads).
//!
//! `cargo bench -p baton-store --bench analytics` on SQLite; with `BATON_BENCH_DATABASE_URL`
//! naming a PostgreSQL server, on a fresh database there too. Seeding takes a minute or two.

use std::collections::HashMap;

use baton_core::analytics::{Bucket, DAY_MS, DailyStats, Histogram};
use baton_core::time::Timestamp;
use baton_store::{AnalyticsQuery, SqlStore, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use sqlx::{AnyPool, Row};

const DAYS: i64 = 365;
const HANDOFFS_PER_DAY: u64 = 10_000;
const CONVERSATIONS_PER_HOUR: i64 = 1_250;
const FACT_DAYS: i64 = 31;
/// 2027-01-01: the year ends the day before.
const LAST_DAY: i64 = 20_818;

const TRIGGERS: [&str; 5] =
    ["explicit_request", "frustration", "forbidden_topic", "ai_decision", "bot_failure"];
const OUTCOMES: [(&str, u64); 5] =
    [("human", 70), ("ticket", 8), ("offline", 7), ("returned_to_bot", 5), ("abandoned", 10)];
const TOPICS: [&str; 3] = ["refund", "legal", "safety"];

/// A small, fixed pseudo-random sequence (xorshift), so every run seeds the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    bot: String,
    team: String,
    trigger: &'static str,
    reason: &'static str,
    outcome: &'static str,
}

/// One day's handoffs, as the roll-ups count them, and the facts when `facts` is set.
struct Day {
    groups: HashMap<Key, DailyStats>,
    people: HashMap<(String, String, String), DailyStats>,
    histograms: HashMap<(String, String), Histogram>,
    facts: Vec<(Key, String, i64, Option<i64>)>,
}

fn simulate(day: i64, rng: &mut Rng, facts: bool) -> Day {
    let mut out =
        Day { groups: HashMap::new(), people: HashMap::new(), histograms: HashMap::new(), facts: Vec::new() };
    for _ in 0..HANDOFFS_PER_DAY {
        let bot = format!("00000000-0000-7000-8000-00000000000{}", rng.below(2));
        let team_index = rng.below(5);
        let team = if team_index == 4 {
            String::new()
        } else {
            format!("00000000-0000-7000-9000-00000000000{team_index}")
        };
        let trigger = TRIGGERS[rng.below(5) as usize];
        let reason = if trigger == "forbidden_topic" { TOPICS[rng.below(3) as usize] } else { "" };
        let mut pick = rng.below(100);
        let outcome = OUTCOMES
            .iter()
            .find(|(_, weight)| {
                if pick < *weight {
                    true
                } else {
                    pick -= weight;
                    false
                }
            })
            .map_or("human", |(o, _)| o);
        let human = outcome == "human";
        let assignee = if human {
            format!("00000000-0000-7000-a000-0000000000{team_index}{}", rng.below(5))
        } else {
            String::new()
        };
        let key = Key { bot: bot.clone(), team: team.clone(), trigger, reason, outcome };
        let mut stats = DailyStats { handoffs: 1, ..DailyStats::default() };
        let requested = day * DAY_MS + i64::try_from(rng.below(86_400_000)).unwrap_or(0);
        let mut tth = None;
        if human {
            let ms = 2_000 + i64::try_from(rng.below(30_000) * (1 + rng.below(20))).unwrap_or(0);
            tth = Some(ms);
            stats.humans += 1;
            stats.time_to_human_ms_sum += ms;
            stats.sla_total += 1;
            stats.sla_met += u64::from(rng.below(10) < 8);
            stats.offers += 1 + rng.below(2);
            stats.accepts += 1;
            if rng.below(3) == 0 {
                stats.ratings[usize::try_from(rng.below(5)).unwrap_or(4)] += 1;
            }
            out.histograms.entry((bot.clone(), team.clone())).or_default().record(ms);
        }
        stats.queue_wait_ms += i64::try_from(rng.below(120_000)).unwrap_or(0);
        out.groups.entry(key.clone()).or_default().add(&stats);
        if human {
            out.people.entry((bot, team, assignee.clone())).or_default().add(&stats);
        }
        if facts {
            out.facts.push((key, assignee, requested, tth));
        }
    }
    out
}

const STATS: &str = "handoffs, humans, tth_ms_sum, sla_total, sla_met, offers, accepts, declines, expiries, \
     queue_wait_ms, r1, r2, r3, r4, r5";

fn values(s: &DailyStats) -> [i64; 15] {
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

async fn seed(url: &str) {
    let pool = AnyPool::connect(url).await.unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut fact_id: u64 = 0;
    for day in (LAST_DAY - DAYS)..LAST_DAY {
        let simulated = simulate(day, &mut rng, day >= LAST_DAY - FACT_DAYS);
        let mut tx = pool.begin().await.unwrap();
        for (key, stats) in &simulated.groups {
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO analytics_daily (day, bot_id, team_id, trigger, reason, outcome, {STATS}) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
            )))
            .bind(day).bind(key.bot.clone()).bind(key.team.clone()).bind(key.trigger).bind(key.reason).bind(key.outcome);
            for value in values(stats) {
                insert = insert.bind(value);
            }
            insert.execute(&mut *tx).await.unwrap();
        }
        for ((bot, team, assignee), stats) in &simulated.people {
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO analytics_user_daily (day, bot_id, team_id, assignee_id, {STATS}) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
            )))
            .bind(day)
            .bind(bot.clone())
            .bind(team.clone())
            .bind(assignee.clone());
            for value in values(stats) {
                insert = insert.bind(value);
            }
            insert.execute(&mut *tx).await.unwrap();
        }
        for ((bot, team), histogram) in &simulated.histograms {
            sqlx::query(
                "INSERT INTO analytics_tth_daily (day, bot_id, team_id, histogram) VALUES ($1, $2, $3, $4)",
            )
            .bind(day)
            .bind(bot)
            .bind(team)
            .bind(histogram.encode())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        for hour in 0..24 {
            for bot in 0..2 {
                sqlx::query("INSERT INTO analytics_conversations (hour, bot_id, conversations, last_event_id) VALUES ($1, $2, $3, 0)")
                    .bind(day * 24 + hour)
                    .bind(format!("00000000-0000-7000-8000-00000000000{bot}"))
                    .bind(CONVERSATIONS_PER_HOUR / 2)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
        }
        for (key, assignee, requested, tth) in &simulated.facts {
            fact_id += 1;
            sqlx::query(
                "INSERT INTO handoff_facts (handoff_id, conversation_id, bot_id, team_id, assignee_id, trigger, reason, \
                 priority, outcome, day, requested_at, queued_at, assigned_at, left_queue_at, went_offline, lead, \
                 returned_to_bot, offers, accepts, declines, expiries, tth_bucket, last_event_id) \
                 VALUES ($1, $1, $2, $3, $4, $5, $6, 'normal', $7, $8, $9, $9, $10, $10, 0, 0, 0, 1, 1, 0, 0, $11, 0)",
            )
            .bind(format!("fact-{fact_id}")).bind(&key.bot).bind(&key.team).bind(assignee).bind(key.trigger)
            .bind(key.reason).bind(key.outcome).bind(day).bind(*requested).bind(tth.map(|ms| requested + ms))
            .bind(tth.map(|ms| i64::from(Histogram::bucket(ms))))
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    pool.close().await;
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut targets = vec![("sqlite", format!("sqlite://{}", dir.path().join("analytics.db").display()))];
    if let Ok(base) = std::env::var("BATON_BENCH_DATABASE_URL") {
        let name = format!("baton_bench_{}", uuid::Uuid::now_v7().simple());
        let url = runtime.block_on(baton_store::testing::create_postgres_database(&base, &name)).unwrap();
        targets.push(("postgres", url));
    }
    for (label, url) in targets {
        let store = runtime.block_on(SqlStore::connect(&url)).unwrap();
        runtime.block_on(seed(&url));
        let now = Timestamp::from_millis(LAST_DAY * DAY_MS);
        let year = AnalyticsQuery {
            from_day: LAST_DAY - DAYS,
            to_day: LAST_DAY - 1,
            bot: None,
            team: None,
            bucket: Bucket::Day,
            now,
        };
        let month = AnalyticsQuery { from_day: LAST_DAY - FACT_DAYS, bucket: Bucket::Hour, ..year.clone() };
        let sums = runtime.block_on(store.analytics(&year)).unwrap();
        let handoffs: u64 = sums.groups.iter().map(|g| g.stats.handoffs).sum();
        assert_eq!(handoffs, HANDOFFS_PER_DAY * u64::try_from(DAYS).unwrap(), "the year holds every handoff");
        let pool = runtime.block_on(AnyPool::connect(&url)).unwrap();
        let mut group = c.benchmark_group(format!("analytics/{label}"));
        group.sample_size(10);
        group.bench_function("a year of 10k handoffs a day, by day", |b| {
            b.iter(|| runtime.block_on(store.analytics(&year)).unwrap())
        });
        group.bench_function("the last 31 days, by hour", |b| {
            b.iter(|| runtime.block_on(store.analytics(&month)).unwrap())
        });
        // The raw rate beside it: one scan counting the 31 days of facts the hourly report reads.
        group.bench_function("raw: count 31 days of facts", |b| {
            b.iter(|| {
                runtime.block_on(async {
                    sqlx::query("SELECT COUNT(*) AS n FROM handoff_facts WHERE day >= $1")
                        .bind(LAST_DAY - FACT_DAYS)
                        .fetch_one(&pool)
                        .await
                        .unwrap()
                        .try_get::<i64, _>("n")
                        .unwrap()
                })
            })
        });
        group.finish();
        runtime.block_on(pool.close());
        runtime.block_on(store.close());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
