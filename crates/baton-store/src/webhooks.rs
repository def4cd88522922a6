//! Webhook endpoints and the queue of their deliveries, as inherent methods of [`SqlStore`]
//! that the [`Store`] implementation delegates to.
//!
//! A delivery is one event for one endpoint (unique per pair, so a consumer that sees an
//! event twice queues it once). The sender claims due deliveries whose conversation has no
//! earlier one still pending for the same endpoint, so each conversation's events arrive in
//! order, by moving their `next_attempt_at` to the end of a lease in the same statement: two
//! senders never make the same attempt, and an attempt whose sender died is made again once
//! the lease has passed. A batch's outcomes are written in one transaction.

use baton_core::event::{Event, WebhookFailing};
use baton_core::ids::{DeliveryId, WebhookId};
use baton_core::time::Timestamp;
use baton_core::webhook::{DeliveryStatus, EndpointHealth, Subscription};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::*;
use crate::*;

/// An endpoint that hears Baton's events.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEndpoint {
    pub id: WebhookId,
    pub url: String,
    pub description: String,
    pub events: Subscription,
    /// `whsec_` + base64; shown once, when created or rotated.
    pub secret: String,
    /// A disabled endpoint gets no new deliveries.
    pub enabled: bool,
    pub health: EndpointHealth,
    /// It hears events with ids above this one: those after it was created.
    pub starts_after: i64,
    pub created_at: Timestamp,
}

/// What a user may change of an endpoint.
#[derive(Debug, Clone)]
pub struct WebhookChanges {
    pub url: String,
    pub description: String,
    pub events: Subscription,
    pub enabled: bool,
}

/// An event queued for an endpoint.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_id: i64,
    pub event_type: String,
    pub ordering_key: String,
    /// The exact bytes sent on every attempt.
    pub body: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event_id: i64,
    pub event_type: String,
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// When the next attempt is due (pending deliveries only).
    pub next_attempt_at: Option<Timestamp>,
    pub last_attempt_at: Option<Timestamp>,
    pub response_code: Option<u16>,
    pub latency_ms: Option<u32>,
    pub error: Option<String>,
    pub created_at: Timestamp,
}

/// How one attempt went, and what follows from it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: Timestamp,
    pub response_code: Option<u16>,
    pub latency_ms: u32,
    /// `None` when the endpoint accepted the delivery.
    pub error: Option<String>,
    /// For a failed attempt: when to try again, or `None` to give up.
    pub retry_at: Option<Timestamp>,
}

const ENDPOINT_COLUMNS: &str =
    "id, url, description, events, secret, enabled, health, starts_after, created_at";
const DELIVERY_COLUMNS: &str = "id, webhook_id, event_id, event_type, body, status, attempts, next_attempt_at, \
     last_attempt_at, response_code, latency_ms, error, created_at";

fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {error}"))
}

fn endpoint_from_row(row: &AnyRow) -> Result<WebhookEndpoint> {
    let events: String = row.try_get("events")?;
    let events: Vec<String> = serde_json::from_str(&events).map_err(|e| corrupt("webhook events", e))?;
    let health: String = row.try_get("health")?;
    Ok(WebhookEndpoint {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        url: row.try_get("url")?,
        description: row.try_get("description")?,
        events: Subscription::parse(events).map_err(|e| corrupt("webhook events", e))?,
        secret: row.try_get("secret")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        health: EndpointHealth::parse(&health).ok_or_else(|| corrupt("webhook health", &health))?,
        starts_after: row.try_get("starts_after")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

fn delivery_from_row(row: &AnyRow) -> Result<Delivery> {
    let status: String = row.try_get("status")?;
    let millis = |column: &str| -> Result<Option<Timestamp>> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_millis))
    };
    Ok(Delivery {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        webhook_id: parse_id(&row.try_get::<String, _>("webhook_id")?)?,
        event_id: row.try_get("event_id")?,
        event_type: row.try_get("event_type")?,
        body: row.try_get("body")?,
        status: DeliveryStatus::parse(&status).ok_or_else(|| corrupt("delivery status", &status))?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: millis("next_attempt_at")?,
        last_attempt_at: millis("last_attempt_at")?,
        response_code: row
            .try_get::<Option<i64>, _>("response_code")?
            .and_then(|code| u16::try_from(code).ok()),
        latency_ms: row.try_get::<Option<i64>, _>("latency_ms")?.and_then(|ms| u32::try_from(ms).ok()),
        error: row.try_get("error")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

fn events_json(events: &Subscription) -> Result<String> {
    serde_json::to_string(events.names()).map_err(|e| corrupt("webhook events", e))
}

impl SqlStore {
    /// Creates the endpoint; it hears the events committed after this one.
    pub(crate) async fn insert_webhook(&self, endpoint: &WebhookEndpoint) -> Result<WebhookEndpoint> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO webhooks ({ENDPOINT_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(id), 0) FROM outbox), $8) \
             RETURNING {ENDPOINT_COLUMNS}"
        )))
        .bind(id_text(endpoint.id))
        .bind(&endpoint.url)
        .bind(&endpoint.description)
        .bind(events_json(&endpoint.events)?)
        .bind(&endpoint.secret)
        .bind(endpoint.enabled as i64)
        .bind(endpoint.health.as_str())
        .bind(endpoint.created_at.as_millis())
        .fetch_one(self.writer())
        .await?;
        endpoint_from_row(&row)
    }

    pub(crate) async fn select_webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhooks ORDER BY created_at, id"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(endpoint_from_row).collect()
    }

    pub(crate) async fn select_webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        let row =
            sqlx::query(AssertSqlSafe(format!("SELECT {ENDPOINT_COLUMNS} FROM webhooks WHERE id = $1")))
                .bind(id_text(id))
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(endpoint_from_row).transpose()
    }

    /// Changes the endpoint; disabling it gives up its pending deliveries (a manual retry
    /// can send them later).
    pub(crate) async fn update_webhook(
        &self,
        id: WebhookId,
        changes: &WebhookChanges,
    ) -> Result<Option<WebhookEndpoint>> {
        let mut tx = self.begin_write().await?;
        if !changes.enabled {
            sqlx::query(
                "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, \
                 error = 'the endpoint was disabled' WHERE webhook_id = $1 AND status = 'pending'",
            )
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE webhooks SET url = $1, description = $2, events = $3, enabled = $4 WHERE id = $5 \
             RETURNING {ENDPOINT_COLUMNS}"
        )))
        .bind(&changes.url)
        .bind(&changes.description)
        .bind(events_json(&changes.events)?)
        .bind(changes.enabled as i64)
        .bind(id_text(id))
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.as_ref().map(endpoint_from_row).transpose()
    }

    pub(crate) async fn update_webhook_secret(
        &self,
        id: WebhookId,
        secret: &str,
    ) -> Result<Option<WebhookEndpoint>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE webhooks SET secret = $1 WHERE id = $2 RETURNING {ENDPOINT_COLUMNS}"
        )))
        .bind(secret)
        .bind(id_text(id))
        .fetch_optional(self.writer())
        .await?;
        row.as_ref().map(endpoint_from_row).transpose()
    }

    pub(crate) async fn delete_webhook(&self, id: WebhookId) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        let deleted =
            sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id_text(id)).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// Queues deliveries; one already queued for the same endpoint and event is left alone,
    /// and one for an endpoint deleted meanwhile is dropped.
    pub(crate) async fn insert_deliveries(&self, deliveries: &[NewDelivery]) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let mut queued = 0;
        for delivery in deliveries {
            let inserted = sqlx::query(
                "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, ordering_key, body, status, \
                 attempts, next_attempt_at, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7 WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $2) \
                 ON CONFLICT (webhook_id, event_id) DO NOTHING",
            )
            .bind(id_text(delivery.id))
            .bind(id_text(delivery.webhook_id))
            .bind(delivery.event_id)
            .bind(&delivery.event_type)
            .bind(&delivery.ordering_key)
            .bind(&delivery.body)
            .bind(delivery.created_at.as_millis())
            .execute(&mut *tx)
            .await?;
            queued += inserted.rows_affected();
        }
        tx.commit().await?;
        if queued > 0 {
            self.deliveries_changed();
        }
        Ok(queued)
    }

    /// Takes up to `limit` pending deliveries due at `now` that no earlier pending delivery of
    /// the same endpoint and conversation holds back, holding them until `lease_until`; in
    /// event order. One statement: a delivery another sender took meanwhile is no longer due,
    /// so the outer condition leaves it out (PostgreSQL checks it again on the locked row).
    pub(crate) async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "UPDATE webhook_deliveries SET next_attempt_at = $1 \
             WHERE status = 'pending' AND next_attempt_at <= $2 AND id IN ( \
                 SELECT d.id FROM webhook_deliveries d \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $2 \
                 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.status = 'pending' \
                     AND e.webhook_id = d.webhook_id AND e.ordering_key = d.ordering_key AND e.event_id < d.event_id) \
                 ORDER BY d.next_attempt_at, d.event_id LIMIT $3) \
             RETURNING {DELIVERY_COLUMNS}"
        )))
        .bind(lease_until.as_millis())
        .bind(now.as_millis())
        .bind(limit)
        .fetch_all(self.writer())
        .await?;
        let mut claimed: Vec<Delivery> = rows.iter().map(delivery_from_row).collect::<Result<_>>()?;
        claimed.sort_by_key(|delivery| delivery.event_id);
        Ok(claimed)
    }

    pub(crate) async fn select_next_delivery_due(&self) -> Result<Option<Timestamp>> {
        let row = sqlx::query(
            "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'pending'",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<Option<i64>, _>("due")?.map(Timestamp::from_millis))
    }

    /// Records attempts, in one transaction. A success marks its endpoint active again;
    /// giving up marks it failing and writes `webhook.failing`, in the same transaction.
    pub(crate) async fn update_delivery_attempts(
        &self,
        attempts: &[(DeliveryId, Attempt)],
    ) -> Result<Vec<Delivery>> {
        let mut tx = self.begin_write().await?;
        let mut recorded = Vec::with_capacity(attempts.len());
        let mut events = Vec::new();
        for (id, attempt) in attempts {
            let (status, next) = match (&attempt.error, attempt.retry_at) {
                (None, _) => (DeliveryStatus::Delivered, None),
                (Some(_), Some(retry_at)) => (DeliveryStatus::Pending, Some(retry_at.as_millis())),
                (Some(_), None) => (DeliveryStatus::Failed, None),
            };
            let row = sqlx::query(AssertSqlSafe(format!(
                "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, \
                 last_attempt_at = $3, response_code = $4, latency_ms = $5, error = $6 \
                 WHERE id = $7 AND status = 'pending' RETURNING {DELIVERY_COLUMNS}"
            )))
            .bind(status.as_str())
            .bind(next)
            .bind(attempt.at.as_millis())
            .bind(attempt.response_code.map(i64::from))
            .bind(i64::from(attempt.latency_ms))
            .bind(attempt.error.as_deref())
            .bind(id_text(*id))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { continue };
            let delivery = delivery_from_row(&row)?;
            match status {
                DeliveryStatus::Delivered => {
                    sqlx::query("UPDATE webhooks SET health = 'active' WHERE id = $1 AND health <> 'active'")
                        .bind(id_text(delivery.webhook_id))
                        .execute(&mut *tx)
                        .await?;
                }
                DeliveryStatus::Failed => {
                    let url =
                        sqlx::query("UPDATE webhooks SET health = 'failing' WHERE id = $1 RETURNING url")
                            .bind(id_text(delivery.webhook_id))
                            .fetch_optional(&mut *tx)
                            .await?;
                    if let Some(url) = url {
                        let failing = WebhookFailing {
                            webhook_id: delivery.webhook_id,
                            url: url.try_get("url")?,
                            delivery_id: delivery.id,
                            event_type: delivery.event_type.clone(),
                            attempts: delivery.attempts,
                            response_code: delivery.response_code,
                            error: delivery.error.clone().unwrap_or_default(),
                        };
                        events.push(NewEvent::new(Event::WebhookFailing(failing), attempt.at));
                    }
                }
                DeliveryStatus::Pending => {}
            }
            recorded.push(delivery);
        }
        self.commit_with_events(tx, &events).await?;
        Ok(recorded)
    }

    /// The endpoint's deliveries, newest event first, those before event `before` if given.
    pub(crate) async fn select_deliveries(
        &self,
        webhook: WebhookId,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 AND event_id < $2 \
             ORDER BY event_id DESC LIMIT $3"
        )))
        .bind(id_text(webhook))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// Queues one more attempt at a delivery, due at `now`, whatever its status.
    pub(crate) async fn update_delivery_for_retry(
        &self,
        webhook: WebhookId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1 \
             WHERE id = $2 AND webhook_id = $3 RETURNING {DELIVERY_COLUMNS}"
        )))
        .bind(now.as_millis())
        .bind(id_text(id))
        .bind(id_text(webhook))
        .fetch_optional(self.writer())
        .await?;
        if row.is_some() {
            self.deliveries_changed();
        }
        row.as_ref().map(delivery_from_row).transpose()
    }

    pub(crate) async fn delete_finished_deliveries_before(&self, before: Timestamp) -> Result<u64> {
        let deleted =
            sqlx::query("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1")
                .bind(before.as_millis())
                .execute(self.writer())
                .await?;
        Ok(deleted.rows_affected())
    }
}
