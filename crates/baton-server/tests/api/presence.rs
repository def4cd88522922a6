//! Presence you can trust: an online user whose inbox is gone longer than the grace period
//! counts as away, and is online again when it comes back. The server's clock is moved on
//! instead of waiting.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Agent, PATIENCE, TestApp};

crate::on_both_backends!(
    a_closed_inbox_makes_an_online_user_away_after_the_grace,
    a_restart_gives_everyone_the_grace
);

const GRACE: Duration = Duration::from_secs(60);

async fn status(app: &TestApp, agent: &Agent) -> String {
    let (status, body) = app.get("/v1/me/status", Some(&agent.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["status"].as_str().unwrap().to_owned()
}

/// Waits until the server has noticed the inbox closed (its grace timer is set).
async fn grace_started(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.state.store.next_timer_due().await.unwrap().is_none() {
        assert!(tokio::time::Instant::now() < deadline, "no grace period started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits until the server has counted the agent's reopened inbox: the client sees the socket
/// open a moment before the server records it.
async fn inbox_counted(app: &TestApp, agent: &Agent) {
    let user = agent.id.parse().unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !baton_server::service::presence::inbox_open(&app.state, user) {
        assert!(tokio::time::Instant::now() < deadline, "the server never counted the inbox");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Moves the clock on by `by` and fires whatever came due, waiting for any the server's own
/// timer worker took first.
async fn later(app: &TestApp, by: Duration) {
    app.later(by).await;
}

async fn a_closed_inbox_makes_an_online_user_away_after_the_grace(app: TestApp) {
    let agent = app.online_agent("sam@example.com").await;
    let inbox = app.inbox_socket(&agent).await;
    inbox.close().await;
    grace_started(&app).await;

    later(&app, GRACE - Duration::from_secs(1)).await;
    assert_eq!(status(&app, &agent).await, "online", "still within the grace period");
    later(&app, Duration::from_secs(2)).await;
    assert_eq!(status(&app, &agent).await, "away");

    // Reopening the inbox makes them online again, and a watcher hears both changes.
    let admin = app.agent("admin@example.com", baton_core::user::Role::Admin).await;
    let mut watcher = app.inbox_socket(&admin).await;
    let inbox = app.inbox_socket(&agent).await;
    let change = watcher.until("user.status_changed", |data| data["user_id"] == agent.id.as_str()).await;
    assert_eq!(change["status"], "online");
    assert_eq!(status(&app, &agent).await, "online");

    // A reload within the grace period changes nothing.
    inbox.close().await;
    grace_started(&app).await;
    let inbox = app.inbox_socket(&agent).await;
    inbox_counted(&app, &agent).await;
    later(&app, GRACE * 2).await;
    assert_eq!(status(&app, &agent).await, "online", "the inbox came back in time");

    // A user who chooses away stays away when the inbox returns.
    inbox.close().await;
    grace_started(&app).await;
    later(&app, GRACE * 2).await;
    let (code, _) =
        app.request(Method::PUT, "/v1/me/status", Some(&agent.token), Some(json!({"status": "away"}))).await;
    assert_eq!(code, StatusCode::OK);
    let _inbox = app.inbox_socket(&agent).await;
    inbox_counted(&app, &agent).await;
    watcher.close().await;
    assert_eq!(status(&app, &agent).await, "away", "the user's own choice stands");
}

async fn a_restart_gives_everyone_the_grace(app: TestApp) {
    let agent = app.online_agent("sam@example.com").await;
    let app = app.restart().await;
    grace_started(&app).await;
    later(&app, GRACE + Duration::from_secs(1)).await;
    assert_eq!(status(&app, &agent).await, "away", "nobody reconnected after the restart");
}
