//! The event log: the outbox table, read by each consumer from its own cursor.
//!
//! A transaction that changes something writes the events describing it as its last step
//! ([`SqlStore::commit_with_events`]) and commits. Consumers read the events after their cursor
//! in id order and move the cursor when they are done with them; an event is deleted once every
//! cursor has passed it.
//!
//! Reading by id needs ids to become visible in the order they were given out. SQLite has one
//! writer at a time, so they do. PostgreSQL takes ids from a sequence at insert time and makes
//! them visible at commit: two writers could commit 11 before 10, and a consumer that read 11
//! would then skip 10. So on PostgreSQL the events are inserted under a transaction-scoped
//! advisory lock held until commit, which makes ids commit in order. The lock is taken last,
//! when the transaction holds every row lock it needs, so it cannot deadlock with them, and it
//! is held only for the inserts and the commit.

use baton_core::event::Event;
use baton_core::time::Timestamp;
use sqlx::{Any, Row, Transaction};

use crate::rows::{id_text, opt_id};
use crate::sql::{Dialect, SqlStore};
use crate::{NewEvent, Result, StoreError, StoredEvent};

/// The advisory lock that orders outbox inserts on PostgreSQL (any constant unique to Baton).
const OUTBOX_LOCK: i64 = 0x0062_6174_6f6e;

/// Inserts `events` into the outbox inside `tx`; returns the last one's id.
pub(crate) async fn insert_events(tx: &mut Transaction<'_, Any>, events: &[NewEvent]) -> Result<i64> {
    let mut last_id = 0;
    for event in events {
        let data =
            serde_json::to_string(&event.event.data()).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        last_id = sqlx::query(
            "INSERT INTO outbox (kind, conversation_id, data, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(event.event.kind().name())
        .bind(event.event.conversation_id().map(id_text))
        .bind(data)
        .bind(event.created_at.as_millis())
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)?;
    }
    Ok(last_id)
}

/// Inserts `events` as the last writes of `tx`, on PostgreSQL under the ordering lock; returns
/// the last one's id (0 without events).
pub(crate) async fn insert_events_last(
    tx: &mut Transaction<'_, Any>,
    dialect: Dialect,
    events: &[NewEvent],
) -> Result<i64> {
    if events.is_empty() {
        return Ok(0);
    }
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(OUTBOX_LOCK).execute(&mut **tx).await?;
    }
    insert_events(tx, events).await
}

impl SqlStore {
    /// Writes `events` and commits `tx`, then tells this process's consumers.
    pub(crate) async fn commit_with_events(
        &self,
        mut tx: Transaction<'_, Any>,
        events: &[NewEvent],
    ) -> Result<()> {
        let last_id = insert_events_last(&mut tx, self.dialect(), events).await?;
        tx.commit().await?;
        if last_id == 0 {
            return Ok(());
        }
        self.events_committed().send_if_modified(|latest| {
            let newer = last_id > *latest;
            *latest = (*latest).max(last_id);
            newer
        });
        Ok(())
    }

    pub(crate) async fn select_events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, conversation_id, data, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let kind: String = row.try_get("kind")?;
                let data: String = row.try_get("data")?;
                let data = serde_json::from_str(&data)
                    .map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?;
                let event = Event::from_parts(&kind, data)
                    .map_err(|e| StoreError::Corrupt(format!("event {id} ({kind}): {e}")))?;
                let stored_conversation = opt_id(row.try_get("conversation_id")?)?;
                debug_assert_eq!(stored_conversation, event.conversation_id());
                Ok(StoredEvent { id, event, created_at: Timestamp::from_millis(row.try_get("created_at")?) })
            })
            .collect()
    }

    /// The consumer's cursor; a consumer seen for the first time starts where the slowest
    /// known consumer is (so it sees every event still kept), or at the start.
    pub(crate) async fn select_consumer_cursor(&self, name: &str) -> Result<i64> {
        sqlx::query(
            "INSERT INTO outbox_consumers (name, last_id) \
             SELECT $1, COALESCE((SELECT MIN(last_id) FROM outbox_consumers), 0) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .execute(self.writer())
        .await?;
        let row = sqlx::query("SELECT last_id FROM outbox_consumers WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("last_id")?)
    }

    pub(crate) async fn update_consumer_cursor(&self, name: &str, last_id: i64) -> Result<()> {
        sqlx::query("UPDATE outbox_consumers SET last_id = $1 WHERE name = $2 AND last_id < $1")
            .bind(last_id)
            .bind(name)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub(crate) async fn select_consumer_cursors(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT name, last_id FROM outbox_consumers ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|row| Ok((row.try_get("name")?, row.try_get("last_id")?))).collect()
    }

    pub(crate) async fn select_outbox_head(&self) -> Result<i64> {
        // An emptied outbox still has its cursors: the head is never behind them.
        let row = sqlx::query(
            "SELECT COALESCE(MAX(id), 0) AS head, \
             (SELECT COALESCE(MAX(last_id), 0) FROM outbox_consumers) AS passed FROM outbox",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<i64, _>("head")?.max(row.try_get("passed")?))
    }

    pub(crate) async fn delete_consumed_events(&self) -> Result<u64> {
        let deleted =
            sqlx::query("DELETE FROM outbox WHERE id <= (SELECT MIN(last_id) FROM outbox_consumers)")
                .execute(self.writer())
                .await?;
        Ok(deleted.rows_affected())
    }
}

impl NewEvent {
    pub fn new(event: Event, created_at: Timestamp) -> Self {
        Self { event, created_at }
    }

    /// An event of a configuration change. Those store methods take no instant, so the event
    /// is stamped with the host's clock.
    pub(crate) fn now(event: Event) -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as i64)
            .unwrap_or_default();
        Self { event, created_at: Timestamp::from_millis(millis) }
    }
}
