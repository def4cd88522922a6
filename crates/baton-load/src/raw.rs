//! The database's own write rate, measured in the same run as Baton.
//!
//! Baton's delivered rate means little alone on a shared, noisy machine; as a share of what the
//! same database does on the same disk at the same moment it can be compared across runs. This
//! writes single-row transactions (an autocommitted `INSERT`, each its own commit) into a
//! scratch table of Baton's own database for a few seconds, from `clients` connections at
//! once, with the settings Baton uses (SQLite: WAL, its default `synchronous = FULL`), and
//! drops the table again. It runs before the load, while the server is idle.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use sqlx::Executor;
use sqlx::any::AnyPoolOptions;
use tokio::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct RawRate {
    pub clients: usize,
    pub transactions: u64,
    pub seconds: f64,
    pub per_second: f64,
}

const TABLE: &str = "baton_load_raw_rate";

/// Single-row write transactions per second on `url` from `clients` connections.
pub async fn measure(url: &str, clients: usize, duration: Duration) -> anyhow::Result<RawRate> {
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let options = AnyPoolOptions::new().max_connections(clients as u32).min_connections(clients as u32);
    let options = if sqlite {
        options.after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;").await?;
                Ok(())
            })
        })
    } else {
        options
    };
    let pool = options.connect(url).await?;
    let id = if sqlite { "INTEGER PRIMARY KEY" } else { "BIGSERIAL PRIMARY KEY" };
    pool.execute(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {TABLE}"))).await?;
    pool.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE {TABLE} (id {id}, conversation TEXT NOT NULL, body TEXT NOT NULL, at BIGINT NOT NULL)"
    )))
    .await?;
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let writers: Vec<_> = (0..clients)
        .map(|client| {
            let (pool, done) = (pool.clone(), done.clone());
            tokio::spawn(async move {
                let insert = format!("INSERT INTO {TABLE} (conversation, body, at) VALUES ($1, $2, $3)");
                let mut n: i64 = 0;
                while Instant::now() < deadline {
                    sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
                        .bind(format!("conversation-{client}"))
                        .bind("a message of about the length people write in a chat")
                        .bind(n)
                        .execute(&pool)
                        .await?;
                    n += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                anyhow::Ok(())
            })
        })
        .collect();
    let mut failed = None;
    for writer in writers {
        if let Err(error) = writer.await.map_err(anyhow::Error::from).and_then(|written| written) {
            failed.get_or_insert(error);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // The scratch table goes whatever happened.
    pool.execute(sqlx::AssertSqlSafe(format!("DROP TABLE {TABLE}"))).await?;
    pool.close().await;
    if let Some(error) = failed {
        return Err(error);
    }
    let transactions = done.load(Ordering::Relaxed);
    Ok(RawRate { clients, transactions, seconds, per_second: transactions as f64 / seconds })
}
