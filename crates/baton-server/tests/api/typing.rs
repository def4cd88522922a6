//! Typing, both ways: the team sees the contact typing with their draft; the contact sees
//! only the person who holds the chat typing, never a draft, and nothing is stored.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Socket, TestApp};
use crate::routing::act;

crate::on_both_backends!(typing_reaches_the_other_side_and_no_draft_reaches_the_contact);

/// The frames up to the message `text`, which is returned last.
async fn frames_until_message(socket: &mut Socket, text: &str) -> Vec<(String, Value)> {
    let mut seen = Vec::new();
    loop {
        let (kind, data) = socket.next().await;
        let done = kind == "message.created" && data["text"] == text;
        seen.push((kind, data));
        if done {
            return seen;
        }
    }
}

async fn typing_reaches_the_other_side_and_no_draft_reaches_the_contact(app: TestApp) {
    let ana = app.online_agent("ana@example.com").await;
    let bea = app.online_agent("bea@example.com").await;
    let contact = app.open_conversation(json!({"contact": {"name": "Cleo"}})).await;
    let handoff = app.ask_for_human(&contact).await;
    let (status, _) = act(&app, &ana, handoff["id"].as_str().unwrap(), "claim").await;
    assert_eq!(status, StatusCode::OK);
    let mut inbox = app.inbox_socket(&ana).await;
    let last =
        app.messages(contact.id, &contact.token).await.last().map_or(0, |m| m["seq"].as_i64().unwrap());
    let mut widget = app.contact_socket(&contact, last).await;
    let path = format!("/v1/conversations/{}/typing", contact.id);

    let (status, _) =
        app.post(&path, Some(&contact.token), json!({"typing": true, "draft": "I need a refu"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let seen = inbox.until("typing", |d| d["author"]["kind"] == "contact").await;
    assert_eq!(seen["conversation_id"], contact.id.to_string());
    assert_eq!(
        (seen["author"]["name"].as_str(), seen["draft"].as_str(), seen["typing"].as_bool()),
        (Some("Cleo"), Some("I need a refu"), Some(true))
    );

    // Bea, who does not hold the chat, types a note: the contact is not told.
    let (status, _) = app.post(&path, Some(&bea.token), json!({"typing": true})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) =
        app.post(&path, Some(&ana.token), json!({"typing": true, "draft": "never shown"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let messages = format!("/v1/conversations/{}/messages", contact.id);
    let (status, _) = app.post(&messages, Some(&ana.token), json!({"text": "Hello Cleo"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let seen = frames_until_message(&mut widget, "Hello Cleo").await;
    let typing: Vec<&Value> = seen.iter().filter(|(kind, _)| kind == "typing").map(|(_, d)| d).collect();
    assert_eq!(typing.len(), 1, "only Ana's, not Bea's nor the contact's own: {seen:?}");
    assert_eq!(typing[0]["author"], json!({"kind": "user", "name": "Ana"}));
    assert!(typing[0].get("draft").is_none(), "no draft reaches the contact: {seen:?}");

    // Nothing was stored; a draft is clipped; a stranger's token gets nothing.
    let said = app.messages(contact.id, &contact.token).await;
    assert!(said.iter().all(|m| m["text"] != "I need a refu" && m["text"] != "never shown"));
    let long = "x".repeat(2_000);
    app.post(&path, Some(&contact.token), json!({"typing": true, "draft": long})).await;
    let clipped = inbox
        .until("typing", |d| {
            d["author"]["kind"] == "contact" && d["draft"].as_str().is_some_and(|t| t.starts_with('x'))
        })
        .await;
    assert_eq!(clipped["draft"].as_str().unwrap().chars().count(), 500);
    let stranger = app.start_conversation().await;
    let (status, _) = app.post(&path, Some(&stranger.token), json!({"typing": true})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post(&path, Some(&contact.token), json!({"typing": "yes"})).await;
    assert!(status.is_client_error());
    inbox.close().await;
    widget.close().await;
    app.shutdown().await;
}
