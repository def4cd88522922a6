//! `/metrics`: Prometheus text that parses, counters that move with the traffic, and who may
//! read it. The recorder is shared by every server in this test process, so counters are
//! compared before and after, never against absolute numbers.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PATIENCE, TestApp};

crate::on_both_backends!(
    settings = |settings| settings.metrics_token = "scrape-me".into();
    metrics_parse_and_move_with_the_traffic,
    metrics_are_for_this_machine_or_the_token,
);

/// Every series of a scrape, `name{labels}` → value; panics on a line that is not Prometheus text.
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let response = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = response.text().await.unwrap();
    let mut series = HashMap::new();
    for line in text.lines().filter(|line| !line.is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim_start();
            assert!(comment.starts_with("TYPE ") || comment.starts_with("HELP "), "{line}");
            continue;
        }
        let (name, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
        let bare = name.split('{').next().unwrap();
        assert!(bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'), "{line}");
        if name.contains('{') {
            assert!(name.ends_with('}'), "{line}");
        }
        series.insert(name.to_owned(), value);
    }
    series
}

fn value(series: &HashMap<String, f64>, name: &str) -> f64 {
    series.get(name).copied().unwrap_or(0.0)
}

/// Scrapes until `moved` holds of the series.
async fn until(
    app: &TestApp,
    what: &str,
    moved: impl Fn(&HashMap<String, f64>) -> bool,
) -> HashMap<String, f64> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let series = scrape(app).await;
        if moved(&series) {
            return series;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what} never moved: {series:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn metrics_parse_and_move_with_the_traffic(app: TestApp) {
    const STARTED: &str =
        r#"baton_http_requests_total{method="POST",route="/v1/conversations",status="201"}"#;
    const CONTACT_MESSAGES: &str = r#"baton_messages_total{author="contact"}"#;
    const REQUESTED: &str = r#"baton_handoffs_total{trigger="explicit_request"}"#;
    const ASSIGNED: &str = r#"baton_time_to_human_seconds_count{trigger="explicit_request"}"#;
    const HANDLED: &str = r#"baton_handoff_outcomes_total{trigger="explicit_request",outcome="handled"}"#;
    let before = scrape(&app).await;

    let agent = app.online_agent("ana@example.com").await;
    let contact = app.start_conversation().await;
    let _widget = app.contact_socket(&contact, 0).await;
    app.say(&contact, "hello there").await;
    let handoff = app.ask_for_human(&contact).await;
    let handoff = handoff["id"].as_str().unwrap();
    let queued = until(&app, "the queue", |s| {
        s.iter().any(|(k, v)| k.starts_with("baton_queue_length{") && *v >= 1.0)
    })
    .await;
    assert!(value(&queued, STARTED) > value(&before, STARTED), "requests are counted by route and status");
    assert!(value(&queued, r#"baton_websockets_open{side="contact"}"#) >= 1.0);
    let claimed = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claimed.0, StatusCode::OK, "{}", claimed.1);
    let closed = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(closed.0, StatusCode::OK, "{}", closed.1);

    // The recorder is the process's, shared with tests running beside this one: another
    // test's handoff may move a series first, so wait until every series has moved.
    let moved = [HANDLED, CONTACT_MESSAGES, REQUESTED, ASSIGNED];
    let after = until(&app, "the message and handoff counters", |s| {
        moved.iter().all(|series| value(s, series) > value(&before, series))
    })
    .await;
    let lags: Vec<&String> = after.keys().filter(|k| k.starts_with("baton_outbox_lag_events{")).collect();
    for consumer in ["websockets", "routing", "webhooks", "metrics", "watchdog", "email"] {
        assert!(lags.iter().any(|k| k.contains(&format!("consumer=\"{consumer}\""))), "{consumer}: {lags:?}");
    }
    assert!(after.keys().any(|k| k.starts_with("baton_http_request_duration_seconds_bucket{")));
    assert!(
        after.keys().any(|k| k.starts_with(r#"baton_ai_calls_total{backend="rules""#)),
        "the rules bot answered"
    );
    app.shutdown().await;
}

async fn metrics_are_for_this_machine_or_the_token(app: TestApp) {
    let url = format!("{}/metrics", app.base);
    let proxied = app.client.get(&url).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(proxied.status(), StatusCode::FORBIDDEN, "through a proxy, loopback is not this machine");
    let problem: serde_json::Value = proxied.json().await.unwrap();
    assert_eq!(problem["code"], "metrics_forbidden");
    let wrong = app
        .client
        .get(&url)
        .header("forwarded", "for=203.0.113.9")
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let with_token = app
        .client
        .get(&url)
        .header("x-forwarded-for", "203.0.113.9")
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), StatusCode::OK);
    assert!(with_token.text().await.unwrap().contains("baton_"));
    app.shutdown().await;
}
