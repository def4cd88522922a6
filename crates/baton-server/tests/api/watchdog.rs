//! The ownership watchdog on the movable clock: a silent assignee is reminded, then their chat
//! goes back to the queue and to someone else; a contact left unanswered alerts the admins,
//! once per unanswered stretch.

use std::time::Duration;

use baton_core::event::EventKind;
use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};

crate::on_both_backends!(
    a_silent_assignee_is_reminded_then_the_chat_goes_to_someone_else,
    a_contact_left_unanswered_alerts_the_admins_once_per_stretch,
);

/// How many events of `kind` the log holds about `contact`'s conversation.
async fn logged(app: &TestApp, kind: EventKind, contact: &Contact) -> Vec<Value> {
    app.consumers_caught_up().await;
    let events = app.state.store.events_after(0, 10_000).await.unwrap();
    events
        .into_iter()
        .filter(|e| e.kind() == kind && e.conversation_id() == Some(contact.id))
        .map(|e| e.event.data())
        .collect()
}

async fn a_silent_assignee_is_reminded_then_the_chat_goes_to_someone_else(app: TestApp) {
    let bot = app
        .bot_with_policy(json!({
            "assignment": {"strategy": "round_robin"},
            "waiting": {"reassign_after_seconds": 300, "timeout_seconds": 0},
            "watchdog": {"first_reply_seconds": 60, "unanswered_alert_seconds": 0},
        }))
        .await;
    let ana = app.online_agent("ana@example.com").await;
    let bob = app.online_agent("bob@example.com").await;
    let mut ana_inbox = app.inbox_socket(&ana).await;
    let contact = app.conversation_with(&bot).await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    // Round robin offered it to one of them; that one takes it and says nothing.
    let offered = app.handoff(&handoff, &ana.token).await;
    let (holder, other) =
        if offered["assignee"]["id"] == ana.id.as_str() { (&ana, &bob) } else { (&bob, &ana) };
    let accepted = app.post(&format!("/v1/handoffs/{handoff}/accept"), Some(&holder.token), json!({})).await;
    assert_eq!(accepted.0, StatusCode::OK, "{}", accepted.1);

    app.later(Duration::from_secs(59)).await;
    assert!(logged(&app, EventKind::FirstReplyOverdue, &contact).await.is_empty(), "not before its time");
    app.later(Duration::from_secs(2)).await;
    let reminders = logged(&app, EventKind::FirstReplyOverdue, &contact).await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert_eq!(reminders[0]["assignee"]["id"], holder.id.as_str());
    assert_eq!(reminders[0]["first_reply_seconds"], 60);
    if holder.id == ana.id {
        let seen = ana_inbox.until("handoff.first_reply_overdue", |_| true).await;
        assert_eq!(seen["handoff_id"], handoff.as_str());
    }
    assert_eq!(app.handoff(&handoff, &holder.token).await["state"], "live", "a reminder only");

    // Five minutes without a word: back in the queue, and offered to the other one.
    app.later(Duration::from_secs(240)).await;
    let moved = app.handoff(&handoff, &other.token).await;
    assert_eq!(
        (moved["state"].as_str(), moved["assignee"]["id"].as_str()),
        (Some("offered"), Some(other.id.as_str())),
        "{moved}"
    );
    assert!(moved["declined_by"].as_array().unwrap().contains(&json!(holder.id)), "{moved}");
    assert_eq!(logged(&app, EventKind::HandoffReclaimed, &contact).await.len(), 1);
    let notes: Vec<String> = app
        .messages(contact.id, &other.token)
        .await
        .into_iter()
        .filter(|m| m["note"] == true)
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        notes,
        [format!("Back in the queue: {} had not replied 5 minutes after taking the chat.", holder.name)]
    );
    assert!(app.messages(contact.id, &contact.token).await.iter().all(|m| m["note"] == false));

    // The other one answers at once: no reminder, no move.
    let accepted = app.post(&format!("/v1/handoffs/{handoff}/accept"), Some(&other.token), json!({})).await;
    assert_eq!(accepted.0, StatusCode::OK, "{}", accepted.1);
    let reply = json!({"text": "Sorry for the wait, I'm here."});
    let sent =
        app.post(&format!("/v1/conversations/{}/messages", contact.id), Some(&other.token), reply).await;
    assert_eq!(sent.0, StatusCode::CREATED, "{}", sent.1);
    app.later(Duration::from_secs(3600)).await;
    let kept = app.handoff(&handoff, &other.token).await;
    assert_eq!(
        (kept["state"].as_str(), kept["assignee"]["id"].as_str()),
        (Some("live"), Some(other.id.as_str()))
    );
    assert_eq!(
        logged(&app, EventKind::FirstReplyOverdue, &contact).await.len(),
        1,
        "no reminder after a reply"
    );
    app.shutdown().await;
}

async fn a_contact_left_unanswered_alerts_the_admins_once_per_stretch(app: TestApp) {
    let bot = app
        .bot_with_policy(json!({"watchdog": {"first_reply_seconds": 0, "unanswered_alert_seconds": 120}}))
        .await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let mut admin_inbox = app.inbox_socket(&admin).await;
    let contact = app.conversation_with(&bot).await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let claimed = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claimed.0, StatusCode::OK, "{}", claimed.1);
    let reply = |text: &str| {
        let path = format!("/v1/conversations/{}/messages", contact.id);
        let (token, body) = (agent.token.clone(), json!({"text": text}));
        let app = &app;
        async move {
            let (status, body) = app.post(&path, Some(&token), body).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    };
    reply("Hi, how can I help?").await;

    // Answered within the time: nothing.
    app.say(&contact, "My order is late").await;
    app.later(Duration::from_secs(100)).await;
    reply("Let me check.").await;
    app.later(Duration::from_secs(200)).await;
    assert!(logged(&app, EventKind::ContactUnanswered, &contact).await.is_empty());

    // Left waiting: one alert for the admins, however many times the contact writes.
    app.say(&contact, "Hello?").await;
    let waiting_since = app.messages(contact.id, &contact.token).await.pop().unwrap()["created_at"].clone();
    app.later(Duration::from_secs(60)).await;
    app.say(&contact, "Are you still there?").await;
    app.later(Duration::from_secs(61)).await;
    let alerts = logged(&app, EventKind::ContactUnanswered, &contact).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["waiting_since"], waiting_since);
    assert_eq!(alerts[0]["assignee"]["id"], agent.id.as_str());
    let seen = admin_inbox.until("handoff.unanswered", |_| true).await;
    assert_eq!(seen["handoff_id"], handoff.as_str());
    app.later(Duration::from_secs(600)).await;
    assert_eq!(logged(&app, EventKind::ContactUnanswered, &contact).await.len(), 1, "once per stretch");

    // Answered, then left waiting again: a new stretch, a new alert.
    reply("Sorry, back now.").await;
    app.say(&contact, "Thanks, and the refund?").await;
    app.later(Duration::from_secs(121)).await;
    assert_eq!(logged(&app, EventKind::ContactUnanswered, &contact).await.len(), 2);
    app.shutdown().await;
}
