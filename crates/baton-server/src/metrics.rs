//! Metrics in the Prometheus text format, at `GET /metrics`.
//!
//! Counters and histograms are recorded where things happen, through the `metrics` facade:
//! HTTP requests (a middleware), webhook attempts, mails sent, AI backend calls, and, as an event
//! consumer ([`Metrics`]), what the event log says happened (messages, handoffs by trigger
//! and outcome, the time a contact waited for a human). Gauges that describe the present
//! (queue length per route, open websockets, each consumer's lag behind the log) are read
//! when scraped, so they are never stale.
//!
//! The recorder is process-wide, as the `metrics` facade is: several servers in one process
//! (tests) share it, so their counters add up.
//!
//! `/metrics` answers clients on this machine, unless they came through a proxy (a request
//! with forwarding headers is not local), and anyone with the bearer `metrics_token`.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use baton_core::event::{Event, EventKind};
use baton_core::handoff::HandoffState;
use baton_store::StoredEvent;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::error::{ApiError, ApiResult};
use crate::events::Consumer;
use crate::limits::ClientAddress;
use crate::state::{AppState, SharedState};

/// Latency buckets, in seconds, for HTTP requests, AI calls and webhook attempts.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// How long contacts wait for a human, in seconds: from seconds to hours.
const WAIT_BUCKETS: &[f64] =
    &[5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 4.0 * 3600.0, 24.0 * 3600.0];

/// The process's recorder, installed the first time it is needed.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_duration_seconds".into()), LATENCY_BUCKETS)
            .and_then(|builder| {
                builder
                    .set_buckets_for_metric(Matcher::Full("baton_time_to_human_seconds".into()), WAIT_BUCKETS)
            })
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics stays empty");
        }
        handle
    })
}

/// Counts each request by method, route (its pattern, so ids do not make new series) and
/// status, and times it.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let seconds = started.elapsed().as_secs_f64();
    counter!("baton_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    histogram!("baton_http_request_duration_seconds", "method" => method, "route" => route).record(seconds);
    response
}

/// `GET /metrics`.
pub async fn scrape(
    State(state): State<SharedState>,
    ClientAddress(peer): ClientAddress,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = allowed(&state, peer, &headers) {
        return refused.into_response();
    }
    if let Err(error) = read_gauges(&state).await {
        tracing::warn!(?error, "reading the gauges for /metrics failed");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle().render()).into_response()
}

fn allowed(state: &AppState, peer: Option<std::net::IpAddr>, headers: &HeaderMap) -> ApiResult<()> {
    let token = &state.settings.metrics_token;
    if !token.is_empty() {
        let given = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
        let given = given.and_then(|value| value.strip_prefix("Bearer "));
        // Comparing digests takes the same time wherever the given token differs.
        let digest = |text: &str| <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
        if given.is_some_and(|given| digest(given) == digest(token)) {
            return Ok(());
        }
    }
    let proxied =
        ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|name| headers.contains_key(*name));
    if peer.is_some_and(|ip| ip.is_loopback()) && !proxied {
        return Ok(());
    }
    Err(ApiError::Forbidden {
        code: "metrics_forbidden",
        detail: "metrics are answered to this machine, or with the bearer metrics_token".into(),
    })
}

/// Sets the gauges that describe the present.
async fn read_gauges(state: &AppState) -> anyhow::Result<()> {
    let inboxes: usize = state.inboxes.lock().unwrap_or_else(|p| p.into_inner()).values().sum();
    let widgets = crate::service::inactivity::all_open_widgets(state);
    gauge!("baton_websockets_open", "side" => "inbox").set(inboxes as f64);
    gauge!("baton_websockets_open", "side" => "contact").set(widgets as f64);

    // This process's consumers, where they are in memory (their stored cursors trail by up
    // to a second).
    let head = state.store.outbox_head().await?;
    for (consumer, cursor) in state.progress.cursors() {
        gauge!("baton_outbox_lag_events", "consumer" => consumer).set((head - cursor).max(0) as f64);
    }

    let bots: BTreeMap<_, _> = state.store.bots().await?.into_iter().map(|bot| (bot.id, bot)).collect();
    let mut queued: BTreeMap<String, usize> = BTreeMap::new();
    for open in state.store.open_handoffs().await? {
        let handoff = &open.handoff.value;
        if handoff.state != HandoffState::Queued {
            continue;
        }
        // Its own targets (after a transfer or widening), or its bot's for its language.
        let targets = match (&handoff.targets, bots.get(&open.bot_id)) {
            (Some(targets), _) => targets.as_slice(),
            (None, Some(bot)) => bot.settings.policy.assignment.targets_for(handoff.language.as_deref()),
            (None, None) => &[],
        };
        *queued.entry(route_label(targets)).or_default() += 1;
    }
    // A route whose queue emptied reads 0 rather than its last length.
    let mut routes = QUEUE_ROUTES.lock().unwrap_or_else(|p| p.into_inner());
    routes.extend(queued.keys().cloned());
    for route in routes.iter() {
        let length = queued.get(route).copied().unwrap_or(0);
        gauge!("baton_queue_length", "route" => route.clone()).set(length as f64);
    }
    Ok(())
}

/// Every route a queue was seen on, so its gauge can go back to 0.
static QUEUE_ROUTES: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// A route as a label: its targets (`team:support,user:…`), or `all` for everyone.
fn route_label(targets: &[baton_core::routing::Target]) -> String {
    if targets.is_empty() {
        return "all".into();
    }
    let mut names: Vec<String> = targets.iter().map(ToString::to_string).collect();
    names.sort();
    names.join(",")
}

/// A serde enum's wire name, as a label.
fn label<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "unknown".into(),
    }
}

/// Counts what the event log says happened.
pub struct Metrics;

impl Consumer for Metrics {
    fn name(&self) -> &'static str {
        "metrics"
    }

    async fn consume(&self, _state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            counter!("baton_events_total", "type" => stored.kind().name()).increment(1);
            match &stored.event {
                Event::MessageCreated(message) => {
                    counter!("baton_messages_total", "author" => message.author.kind.as_str()).increment(1);
                }
                Event::HandoffRequested(handoff) => {
                    counter!("baton_handoffs_total", "trigger" => label(&handoff.trigger)).increment(1);
                }
                Event::HandoffAssigned(handoff) if stored.kind() == EventKind::HandoffAssigned => {
                    if let Some(assigned_at) = handoff.assigned_at {
                        let waited = assigned_at.millis_since(handoff.requested_at) as f64 / 1000.0;
                        histogram!("baton_time_to_human_seconds", "trigger" => label(&handoff.trigger))
                            .record(waited);
                    }
                }
                Event::HandoffOffline(handoff) => {
                    counter!("baton_handoff_outcomes_total", "trigger" => label(&handoff.trigger), "outcome" => "offline")
                        .increment(1);
                }
                Event::HandoffClosed(handoff) => {
                    let outcome = if handoff.assigned_at.is_some() { "handled" } else { "closed_unanswered" };
                    counter!("baton_handoff_outcomes_total", "trigger" => label(&handoff.trigger), "outcome" => outcome)
                        .increment(1);
                }
                _ => {}
            }
        }
        Ok(())
    }
}
