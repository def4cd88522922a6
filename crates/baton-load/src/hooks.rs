//! What leaves the server under load: with `--webhook`, a receiver on this machine subscribed
//! to every event (`"*"`) measures how completely and how fast the messages reach it as
//! webhooks; the outbox lag of each event consumer is sampled from `/metrics` meanwhile.
//!
//! The server must be allowed to call this machine (`outbound.allow_private_addresses`) and
//! must answer `/metrics` to it (it does to loopback clients).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use reqwest::Client;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::stats::Tracker;

/// Every delivery the receiver got.
pub struct Receiver {
    tracker: Arc<Tracker>,
    ids: Mutex<HashSet<String>>,
    pub deliveries: AtomicU64,
    /// Deliveries whose `webhook-id` had come before: retries of accepted ones (should stay 0).
    pub repeated_ids: AtomicU64,
}

impl Receiver {
    /// Listens on a free loopback port; returns the receiver and its URL.
    pub async fn start(tracker: Arc<Tracker>) -> anyhow::Result<(Arc<Self>, String)> {
        let receiver = Arc::new(Self {
            tracker,
            ids: Mutex::default(),
            deliveries: AtomicU64::new(0),
            repeated_ids: AtomicU64::new(0),
        });
        let app = Router::new().route("/hooks", post(receive)).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/hooks", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok((receiver, url))
    }
}

async fn receive(State(receiver): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    receiver.deliveries.fetch_add(1, Ordering::Relaxed);
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if !receiver.ids.lock().unwrap_or_else(|p| p.into_inner()).insert(id) {
        receiver.repeated_ids.fetch_add(1, Ordering::Relaxed);
    }
    let Ok(event) = serde_json::from_slice::<Value>(&body) else { return StatusCode::BAD_REQUEST };
    if event["type"] == "message.created"
        && let Some(client_id) = event["data"]["client_id"].as_str()
    {
        receiver.tracker.mark_hooked(client_id);
    }
    StatusCode::NO_CONTENT
}

/// Subscribes `url` to every event, as the admin.
pub async fn subscribe(client: &Client, base: &str, admin: &str, url: &str) -> anyhow::Result<()> {
    let body = json!({"url": url, "events": ["*"], "description": "baton-load"});
    let (status, answer) = crate::api::post(client, base, "/v1/webhooks", Some(admin), &body).await?;
    crate::api::expect_success("subscribing the webhook receiver", status, &answer)
}

/// One consumer's lag behind the newest event, in events, over the samples.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Lag {
    pub max: f64,
    pub mean: f64,
    pub samples: u64,
}

/// Reads `baton_outbox_lag_events` from `/metrics` every 250 ms until `stop`.
pub fn sample_lag(
    client: Client,
    base: String,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<BTreeMap<String, Lag>> {
    tokio::spawn(async move {
        let mut lags: BTreeMap<String, (f64, f64, u64)> = BTreeMap::new();
        loop {
            if let Ok(response) = client.get(format!("{base}/metrics")).send().await
                && let Ok(text) = response.text().await
            {
                for (consumer, lag) in parse_lags(&text) {
                    let entry = lags.entry(consumer).or_default();
                    *entry = (entry.0.max(lag), entry.1 + lag, entry.2 + 1);
                }
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = stop.changed() => break,
            }
        }
        lags.into_iter()
            .map(|(consumer, (max, sum, samples))| {
                (consumer, Lag { max, mean: sum / samples.max(1) as f64, samples })
            })
            .collect()
    })
}

/// `baton_outbox_lag_events{consumer="routing"} 3` lines, as (consumer, lag).
fn parse_lags(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("baton_outbox_lag_events{consumer=\"")?;
            let (consumer, rest) = rest.split_once('"')?;
            let value = rest.rsplit_once(' ')?.1.parse().ok()?;
            Some((consumer.to_owned(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags_are_read_from_prometheus_text() {
        let text = "# TYPE baton_outbox_lag_events gauge\nbaton_outbox_lag_events{consumer=\"routing\"} 3\n\
                    baton_outbox_lag_events{consumer=\"webhooks\"} 0\nbaton_events_total{type=\"x\"} 9\n";
        assert_eq!(parse_lags(text), [("routing".to_owned(), 3.0), ("webhooks".to_owned(), 0.0)]);
    }
}
