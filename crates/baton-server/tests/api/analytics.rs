//! Analytics: a few handoffs with known outcomes and timings, and the report that adds them up.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::routing::act;

crate::on_both_backends!(
    the_report_counts_what_happened_to_each_handoff,
    bad_report_requests_are_refused,
    handoffs_from_before_analytics_are_counted_once,
);

async fn report(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, report) = app.get(&format!("/v1/analytics{query}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

fn within(value: &Value, low: f64, high: f64) -> bool {
    value.as_f64().is_some_and(|v| (low..=high).contains(&v))
}

async fn the_report_counts_what_happened_to_each_handoff(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let settings = json!({"first_response_sla_seconds": 60});
    let (status, team) = app
        .post(
            "/v1/teams",
            Some(&admin.token),
            json!({"name": "berlin", "settings": settings, "members": [ana.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{team}");

    // One taken after 30 s, answered 10 s later, closed and rated 5.
    let taken = app.start_conversation().await;
    let handoff = app.ask_for_human(&taken).await;
    let taken_id = handoff["id"].as_str().unwrap().to_owned();
    // One closed by an admin while it waited: abandoned.
    let left = app.start_conversation().await;
    let left_handoff = app.ask_for_human(&left).await;
    app.later(Duration::from_secs(30)).await;
    let (status, body) = act(&app, &ana, &taken_id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.later(Duration::from_secs(10)).await;
    let path = format!("/v1/conversations/{}/messages", taken.id);
    let (status, _) = app.post(&path, Some(&ana.token), json!({"text": "Hello, Ana here"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = act(&app, &ana, &taken_id, "close").await;
    assert_eq!(status, StatusCode::OK);
    let feedback = format!("/v1/conversations/{}/feedback", taken.id);
    let (status, body) = app.post(&feedback, Some(&taken.token), json!({"rating": 5})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = act(&app, &admin, left_handoff["id"].as_str().unwrap(), "close").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Nobody online: offline, then the contact leaves details, a ticket.
    let (status, _) = app.put("/v1/me/status", Some(&ana.token), json!({"status": "offline"})).await;
    assert_eq!(status, StatusCode::OK);
    let ticket = app.start_conversation().await;
    assert_eq!(app.ask_for_human(&ticket).await["state"], "offline");
    let lead = format!("/v1/conversations/{}/lead", ticket.id);
    let (status, body) = app.post(&lead, Some(&ticket.token), json!({"email": "cleo@example.com"})).await;
    assert!(status.is_success(), "{body}");
    // And a conversation the bot handled alone.
    let alone = app.start_conversation().await;
    app.say(&alone, "What are your opening hours?").await;
    app.bot_idle(alone.id).await;
    app.consumers_caught_up().await;

    let today = report(&app, &admin.token, "").await;
    assert_eq!(today["conversations"], 4, "{today}");
    assert_eq!(today["handoffs"], 3);
    assert_eq!(today["handoff_rate"], 0.75);
    assert_eq!(today["by_trigger"], json!({"explicit_request": 3}));
    assert_eq!(
        today["outcomes"],
        json!({"human": 1, "ticket": 1, "offline": 0, "returned_to_bot": 0, "abandoned": 1, "waiting": 0})
    );
    let time = &today["time_to_human_seconds"];
    assert!(within(&time["p50"], 30.0, 31.5) && within(&time["p95"], 30.0, 31.5), "{time}");
    assert!(within(&time["average"], 29.9, 30.5), "{time}");
    assert_eq!(today["within_sla"], json!({"total": 1, "met": 1, "share": 1.0}));
    assert_eq!(today["csat"]["average"], 5.0);
    assert_eq!(today["csat"]["distribution"]["5"], 1);
    assert_eq!(today["csat"]["human"]["count"], 1);
    let berlin =
        today["teams"].as_array().unwrap().iter().find(|t| t["name"] == "berlin").expect("a berlin row");
    assert_eq!(berlin["handoffs"], 1, "{today}");
    assert_eq!(berlin["within_sla"], 1.0);
    assert_eq!(today["users"][0]["name"], ana.name);
    assert_eq!(today["users"][0]["handoffs"], 1);
    let series = today["series"].as_array().unwrap();
    assert_eq!(series.len(), 30, "one point per day");
    let last = series.last().unwrap();
    assert_eq!((last["conversations"].as_u64(), last["handoffs"].as_u64()), (Some(4), Some(3)), "{last}");

    let hourly = report(&app, &admin.token, "?bucket=hour&from=2000-01-01&to=2000-01-02").await;
    assert_eq!(hourly["series"].as_array().unwrap().len(), 48);
    assert_eq!(hourly["handoffs"], 0, "nothing then");
    let only_berlin = report(&app, &admin.token, &format!("?team_id={}", team["id"].as_str().unwrap())).await;
    assert_eq!(only_berlin["handoffs"], 1);

    // Seeing every event again changes nothing.
    let events = app.state.store.events_after(0, 10_000).await.unwrap();
    use baton_server::events::Consumer;
    baton_server::events::analytics::Analytics.consume(&app.state, &events).await.unwrap();
    assert_eq!(report(&app, &admin.token, "").await, today);

    // The same as CSV.
    let response = app
        .client
        .get(format!("{}/v1/analytics?format=csv", app.base))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.contains("totals,handoffs,3\n"), "{csv}");
    assert!(csv.contains("outcomes,abandoned,1\n"), "{csv}");
    assert!(csv.contains(&format!("\n{},1,", ana.name)), "{csv}");

    // A restart finds the facts there: nothing is counted again.
    let app = app.restart().await;
    let admin_token = app.agent("second-admin@example.com", Role::Admin).await.token;
    assert_eq!(baton_server::events::analytics::backfill(&app.state).await.unwrap(), 0);
    app.consumers_caught_up().await;
    assert_eq!(report(&app, &admin_token, "").await, today);
    app.shutdown().await;
}

async fn bad_report_requests_are_refused(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    for (query, field) in [
        ("?from=2026-13-01", "from:"),
        ("?from=2026-12-10&to=2026-12-01", "from:"),
        ("?from=2024-01-01&to=2026-01-01", "from:"),
        ("?bucket=hour&from=2026-01-01&to=2026-03-01", "bucket:"),
        ("?format=xml", "format:"),
    ] {
        let (status, problem) = app.get(&format!("/v1/analytics{query}"), Some(&admin.token)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {problem}");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{query}: {problem}");
    }
    let (status, _) = app.get("/v1/analytics?bucket=week", Some(&admin.token)).await;
    assert!(status.is_client_error());
    let agent = app.agent("ana@example.com", Role::Agent).await;
    let (status, _) = app.get("/v1/analytics", Some(&agent.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.shutdown().await;
}

/// A handoff stored the way a Baton from before analytics left it: its record, with no event
/// still waiting for the analytics consumer.
async fn handoffs_from_before_analytics_are_counted_once(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let contact = app.start_conversation().await;
    app.consumers_caught_up().await;
    let request = baton_core::handoff::Request {
        id: app.state.new_id(),
        conversation_id: contact.id,
        trigger: baton_core::handoff::Trigger::ExplicitRequest,
        reason: "asked".into(),
        language: None,
        priority: baton_core::handoff::Priority::Normal,
        contact: Default::default(),
        evidence: Default::default(),
        gathered: Default::default(),
        ask: None,
        humans_available: false,
    };
    let offline = baton_core::handoff::Handoff::request(request, app.state.now()).handoff;
    let owner = baton_core::conversation::Owner::for_handoff(Some(&offline));
    let change = baton_store::HandoffChange {
        handoff: offline,
        expected_version: None,
        owner,
        events: Vec::new(),
        messages: Vec::new(),
    };
    app.state.store.save_handoff(change).await.unwrap();
    assert_eq!(report(&app, &admin.token, "").await["handoffs"], 0, "no event told analytics");

    assert_eq!(baton_server::events::analytics::backfill(&app.state).await.unwrap(), 1);
    assert_eq!(baton_server::events::analytics::backfill(&app.state).await.unwrap(), 0, "once");
    let counted = report(&app, &admin.token, "").await;
    assert_eq!(counted["handoffs"], 1, "{counted}");
    assert_eq!(counted["outcomes"]["offline"], 1);
    assert_eq!(counted["conversations"], 1);
    app.shutdown().await;
}
