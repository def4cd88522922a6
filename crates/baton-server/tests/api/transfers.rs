//! Moving a live chat: to another user with a note, to a team's queue (where the team's
//! strategy picks the member), and back to the bot; and who may do it.

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Agent, Contact, TestApp};
use crate::routing::{act, assignee};
use crate::waiting::system_lines;

crate::on_both_backends!(
    a_live_chat_moves_to_a_user_then_a_team_then_back_to_the_bot,
    only_the_assignee_or_an_admin_moves_a_live_chat_and_bad_requests_are_refused,
);

async fn transfer(app: &TestApp, by: &Agent, id: &str, body: Value) -> (StatusCode, Value) {
    app.post(&format!("/v1/handoffs/{id}/transfer"), Some(&by.token), body).await
}

async fn reply(app: &TestApp, by: &Agent, contact: &Contact, text: &str) -> (StatusCode, Value) {
    app.post(&format!("/v1/conversations/{}/messages", contact.id), Some(&by.token), json!({"text": text}))
        .await
}

/// A contact whose handoff `agent` claimed; returns the contact and the handoff id.
async fn live_chat(app: &TestApp, bot: &str, agent: &Agent) -> (Contact, String) {
    let contact = app.conversation_with(bot).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let (status, claimed) = act(app, agent, &id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    (contact, id)
}

async fn a_live_chat_moves_to_a_user_then_a_team_then_back_to_the_bot(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let cleo = app.online_agent("cleo@example.com").await;
    let team = json!({"name": "escalations", "settings": {"strategy": "round_robin"}, "members": [cleo.id]});
    let (status, created) = app.post("/v1/teams", Some(&admin.token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let bot = app.bot_with_policy(json!({})).await;
    let (contact, id) = live_chat(&app, &bot, &ana).await;
    let mut widget = app.contact_socket(&contact, 0).await;

    // To Ben, with a note only users see.
    let (status, moved) =
        transfer(&app, &ana, &id, json!({"to": "user:ben@example.com", "note": "Wants a refund for #4411"}))
            .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["state"], "live");
    assert_eq!(assignee(&moved), ben.id);
    widget.until("handoff.transferred", |data| data["id"] == id.as_str()).await;
    let joined = format!("{} has joined the conversation.", ben.name);
    widget
        .until("message.created", |m| m["author"]["kind"] == "system" && m["text"] == joined.as_str())
        .await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["owner"], json!({"kind": "user", "user_id": ben.id}), "{conversation}");
    let note = "Transfer note: Wants a refund for #4411";
    let seen_by_users = app.messages(contact.id, &ben.token).await;
    assert!(seen_by_users.iter().any(|m| m["text"] == note && m["note"] == true), "{seen_by_users:?}");
    let seen_by_contact = app.messages(contact.id, &contact.token).await;
    assert!(seen_by_contact.iter().all(|m| m["note"] == false && m["text"] != note), "{seen_by_contact:?}");

    let (status, sent) = reply(&app, &ben, &contact, "Hi, Ben here; I'll sort out the refund.").await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (status, problem) = reply(&app, &ana, &contact, "still me?").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "not_owner");

    // To a team: its round robin offers it to its member.
    let (status, moved) = transfer(&app, &ben, &id, json!({"to": "team:escalations"})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    // It left Ben's hands, and his view: the admin reads it.
    let (status, _) = app.get(&format!("/v1/handoffs/{id}"), Some(&ben.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let handoff = app.handoff(&id, &admin.token).await;
    assert_eq!(handoff["state"], "offered", "{handoff}");
    assert_eq!(assignee(&handoff), cleo.id);
    assert_eq!(handoff["targets"], json!(["team:escalations"]));
    let passed = "I'm passing your conversation to another team; please stay here.";
    assert!(system_lines(&app, &contact).await.iter().any(|line| line == passed));
    let (status, accepted) = act(&app, &cleo, &id, "accept").await;
    assert_eq!(status, StatusCode::OK, "{accepted}");

    // Released: back to the bot, which says so, without asking for feedback.
    let before = app.messages(contact.id, &contact.token).await.len();
    let (status, released) =
        app.post(&format!("/v1/conversations/{}/release", contact.id), Some(&cleo.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert_eq!(released["state"], "closed");
    assert_eq!(released["feedback_requested"], false);
    widget.until("handoff.closed", |data| data["id"] == id.as_str()).await;
    widget.until("conversation.returned_to_bot", |_| true).await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    assert_eq!(conversation["owner"]["kind"], "bot");
    assert_eq!(conversation["feedback_pending"], false);
    let after: Vec<Value> = app.messages(contact.id, &contact.token).await.split_off(before);
    let closing = baton_core::catalog::messages("en").closing;
    assert_eq!(after.len(), 1, "only the closing line: {after:?}");
    assert_eq!(
        (after[0]["author"]["kind"].clone(), after[0]["text"].clone()),
        (json!("bot"), json!(closing))
    );
    app.shutdown().await;
}

async fn only_the_assignee_or_an_admin_moves_a_live_chat_and_bad_requests_are_refused(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let bot = app.bot_with_policy(json!({})).await;

    // Not live yet.
    let waiting = app.conversation_with(&bot).await;
    let queued = app.ask_for_human(&waiting).await["id"].as_str().unwrap().to_owned();
    let (status, problem) = transfer(&app, &ana, &queued, json!({"to": "user:ben@example.com"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "not_live");

    let (contact, id) = live_chat(&app, &bot, &ana).await;
    let problems: [(Value, StatusCode, &str); 6] = [
        (json!({"to": "team:nowhere"}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json!({"to": "user:nobody@example.com"}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json!({"to": "everyone"}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json!({"to": "user:ana@example.com"}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (json!({"recipient": "user:ben@example.com"}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (json!({"to": 7}), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
    ];
    for (body, expected, code) in problems {
        let (status, problem) = transfer(&app, &ana, &id, body.clone()).await;
        assert_eq!((status, problem["code"].as_str()), (expected, Some(code)), "{body}: {problem}");
        assert_eq!(problem["status"], expected.as_u16());
        assert!(problem["type"].as_str().unwrap().starts_with("urn:baton:problem:"), "{problem}");
    }
    let response = app
        .client
        .post(format!("{}/v1/handoffs/{id}/transfer", app.base))
        .bearer_auth(&ana.token)
        .header("content-type", "application/json")
        .body("{\"to\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "malformed_json");

    // Someone else's chat: agents may not move it, admins may.
    let (status, problem) = transfer(&app, &ben, &id, json!({"to": "user:ben@example.com"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_assignee");
    let path = format!("/v1/conversations/{}/release", contact.id);
    let (status, problem) = app.request(Method::POST, &path, Some(&ben.token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_assignee");
    assert_eq!(assignee(&app.handoff(&id, &ana.token).await), ana.id, "nothing moved");

    let (status, moved) = transfer(&app, &admin, &id, json!({"to": format!("user:{}", ben.id)})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(assignee(&moved), ben.id);
    let (status, released) = app.request(Method::POST, &path, Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert_eq!(app.conversation(&contact).await["state"], "bot");
    let (status, problem) = app.request(Method::POST, &path, Some(&ben.token), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing left to release: {problem}");
    assert_eq!(problem["code"], "not_live");
    app.shutdown().await;
}
