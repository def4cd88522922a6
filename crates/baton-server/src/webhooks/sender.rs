//! Sends due webhook deliveries and records how each attempt went.
//!
//! [`deliver_due`] is one step (tests call it after moving their clock); [`run`] repeats it,
//! woken when deliveries are queued, sleeping until the next retry is due otherwise. A step
//! claims a batch of due deliveries in the store, with a lease a little longer than a request
//! may take, sends them concurrently and records their outcomes together: if this process
//! dies mid-attempt the deliveries are due again when the lease ends, so a restart loses
//! nothing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use baton_core::ids::DeliveryId;
use baton_core::webhook::RetrySchedule;
use baton_store::{Attempt, Delivery, WebhookEndpoint};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::state::{AppState, SharedState, stopped};

/// Deliveries read per step.
const BATCH: i64 = 200;
/// The longest sleep between looks at the queue (deliveries other processes queued, a clock
/// moved on in tests).
const POLL: Duration = Duration::from_secs(1);
/// The shortest sleep between looks at the queue.
const MIN_PAUSE: Duration = Duration::from_millis(50);
/// How much longer than the request timeout an attempt holds its delivery.
const LEASE_MARGIN: Duration = Duration::from_secs(30);
/// How much of a failing endpoint's answer is kept to show in the delivery list.
const ERROR_CHARS: usize = 200;

/// Sends the deliveries due now; returns how many attempts were made. The batch's outcomes
/// are recorded together, in one transaction.
#[tracing::instrument(skip_all)]
pub async fn deliver_due(state: &AppState) -> anyhow::Result<usize> {
    let now = state.now();
    let settings = &state.settings.webhooks;
    let timeout = Duration::from_secs(settings.timeout_seconds);
    let lease_until = now.plus_millis((timeout + LEASE_MARGIN).as_millis() as i64);
    let claimed = state.store.claim_due_deliveries(now, lease_until, BATCH).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let endpoints: HashMap<_, _> =
        state.store.webhooks().await?.into_iter().map(|endpoint| (endpoint.id, endpoint)).collect();
    let schedule = settings.retry_schedule()?;
    let attempts = claimed.len();
    let mut waiting =
        claimed.into_iter().filter_map(|delivery| Some((endpoints.get(&delivery.webhook_id)?, delivery)));
    let mut in_flight = FuturesUnordered::new();
    let mut outcomes = Vec::with_capacity(attempts);
    loop {
        while in_flight.len() < settings.concurrency {
            let Some((endpoint, delivery)) = waiting.next() else { break };
            in_flight.push(attempt(state, endpoint, delivery, &schedule, timeout));
        }
        match in_flight.next().await {
            Some(outcome) => outcomes.push(outcome),
            None => break,
        }
    }
    // If this fails, the leases run out and the attempts are made again.
    state.store.record_attempts(&outcomes).await?;
    Ok(attempts)
}

/// Makes one attempt; its outcome, to record.
#[tracing::instrument(skip_all, fields(webhook = %endpoint.id, delivery = %delivery.id, event = %delivery.event_type))]
async fn attempt(
    state: &AppState,
    endpoint: &WebhookEndpoint,
    delivery: Delivery,
    schedule: &RetrySchedule,
    timeout: Duration,
) -> (DeliveryId, Attempt) {
    let started = Instant::now();
    let (response_code, error) = send(state, endpoint, &delivery, timeout).await;
    let at = state.now();
    let retry_at = error.as_ref().and_then(|_| {
        let pause = schedule.delay_after(delivery.attempts + 1)?;
        Some(at.plus_millis(pause.as_millis() as i64))
    });
    let outcome = match (&error, retry_at) {
        (None, _) => "delivered",
        (Some(_), Some(_)) => "retrying",
        (Some(_), None) => "failed",
    };
    match (&error, retry_at) {
        (None, _) => tracing::debug!(response_code, "webhook delivered"),
        (Some(error), Some(retry_at)) => {
            tracing::info!(%error, retry_at = %retry_at.to_rfc3339(), "webhook attempt failed")
        }
        (Some(error), None) => tracing::warn!(%error, url = %endpoint.url, "webhook delivery given up"),
    }
    metrics::counter!("baton_webhook_deliveries_total", "outcome" => outcome).increment(1);
    metrics::histogram!("baton_webhook_attempt_duration_seconds").record(started.elapsed().as_secs_f64());
    let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    (delivery.id, Attempt { at, response_code, latency_ms, error, retry_at })
}

/// Posts the delivery; the endpoint's answer code, and what went wrong unless it was 2xx.
async fn send(
    state: &AppState,
    endpoint: &WebhookEndpoint,
    delivery: &Delivery,
    timeout: Duration,
) -> (Option<u16>, Option<String>) {
    let id = delivery.id.to_string();
    let timestamp = state.now().as_unix_seconds();
    let Some(signature) = baton_ai::webhook::sign(&endpoint.secret, &id, timestamp, delivery.body.as_bytes())
    else {
        return (None, Some("the endpoint's secret is not a whsec_ key".into()));
    };
    let request = match state.http.post(&endpoint.url) {
        Ok(request) => request,
        Err(blocked) => return (None, Some(format!("the URL may not be called: {blocked}"))),
    };
    let response = request
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, concat!("Baton-Webhooks/", env!("CARGO_PKG_VERSION")))
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.body.clone())
        .send()
        .await;
    match response {
        Ok(response) if response.status().is_success() => (Some(response.status().as_u16()), None),
        Ok(response) => {
            let status = response.status();
            let said: String = response.text().await.unwrap_or_default().chars().take(ERROR_CHARS).collect();
            let said = said.trim();
            let error = if said.is_empty() {
                format!("the endpoint answered {status}")
            } else {
                format!("the endpoint answered {status}: {said}")
            };
            (Some(status.as_u16()), Some(error))
        }
        Err(error) if error.is_timeout() => (None, Some(format!("no answer within {} s", timeout.as_secs()))),
        Err(error) if error.is_connect() => {
            (None, Some(format!("could not connect: {}", source_text(&error))))
        }
        Err(error) => (None, Some(format!("the request failed: {}", source_text(&error)))),
    }
}

/// The innermost cause of an error, where the useful words usually are.
fn source_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = error;
    while let Some(source) = inner.source() {
        inner = source;
    }
    inner.to_string()
}

/// Sends deliveries until shutdown.
pub async fn run(state: SharedState) {
    let mut shutdown = state.shutdown.clone();
    let mut queued = state.store.watch_deliveries();
    loop {
        queued.borrow_and_update();
        let mut pause = POLL;
        match deliver_due(&state).await {
            Ok(made) if made as i64 == BATCH => continue,
            Ok(_) => {
                // A delivery due but held back behind an earlier one of its conversation is
                // "due" too: a floor keeps that from spinning.
                if let Ok(Some(due)) = state.store.next_delivery_due().await {
                    let wait = Duration::from_millis(due.millis_since(state.now()) as u64);
                    pause = wait.clamp(MIN_PAUSE, POLL);
                }
            }
            Err(error) => tracing::error!(?error, "sending webhooks failed"),
        }
        tokio::select! {
            _ = queued.changed() => {}
            () = tokio::time::sleep(pause) => {}
            () = stopped(&mut shutdown) => return,
        }
    }
}
