//! Leaving the queue for WhatsApp: a waiting web customer gives their WhatsApp number and
//! keeps their place; the team's first message is an approved template (the number never
//! wrote, so WhatsApp's window is closed), the customer's WhatsApp answer joins the same chat
//! and opens the window, and once the handoff is closed the number is on its own again.
//! Through the real server and the local Graph API (`fake_graph`).

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_graph::{self, APP_SECRET, FakeGraph, PHONE_NUMBER_ID, VERIFY_TOKEN};
use crate::helpers::{PATIENCE, TestApp};
use crate::whatsapp::{CUSTOMER, customer_says, deliveries};

crate::on_both_backends!(
    settings = |settings| settings.channels.retry_schedule_seconds = vec![5, 60];
    a_waiting_customer_chooses_whatsapp_keeps_their_place_and_the_chat_goes_on_there,
);

const ANSWER_READY: &str = "Hi {{1}}, we have an answer for you. Reply to this message to read it.";

async fn whatsapp_channel(app: &TestApp, admin: &str, graph_url: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let body = json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": {
        "phone_number_id": PHONE_NUMBER_ID, "access_token": fake_graph::ACCESS_TOKEN, "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN, "graph_url": graph_url,
        "templates": [{"name": "answer_ready", "language": "en", "body": ANSWER_READY}],
    }});
    let (status, channel) = app.post("/v1/channels", Some(admin), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    channel
}

async fn texts(app: &TestApp, conversation: baton_core::ids::ConversationId, token: &str) -> Vec<String> {
    app.messages(conversation, token)
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn a_waiting_customer_chooses_whatsapp_keeps_their_place_and_the_chat_goes_on_there(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let yann = app.open_conversation(json!({"contact": {"name": "Yann"}})).await;
    app.ask_for_human(&yann).await;
    let zoe = app.open_conversation(json!({"contact": {"name": "Zoe"}})).await;
    let handoff = app.ask_for_human(&zoe).await;
    let id = handoff["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/conversations/{}/follow-up", zoe.id);

    // Without a WhatsApp number of the bot's, it is not offered and cannot be chosen.
    assert_eq!(app.contact_view(&zoe).await["whatsapp_follow_up"], false);
    let (status, problem) = app.post(&path, Some(&zoe.token), json!({"whatsapp": "+4915112345678"})).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("no_whatsapp")), "{problem}");

    let (graph, graph_url) = FakeGraph::start().await;
    graph.approve("answer_ready", "en", ANSWER_READY);
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let view = app.contact_view(&zoe).await;
    assert_eq!((&view["whatsapp_follow_up"], &view["follow_up_on_whatsapp"]), (&json!(true), &json!(false)));
    let place = view["queue"]["position"].clone();
    assert_eq!(place, 2, "behind Yann: {view}");

    // Only the contact chooses, with one number in international form.
    let wrong = [
        (Some(&ana.token), json!({"whatsapp": "+4915112345678"}), StatusCode::FORBIDDEN),
        (Some(&zoe.token), json!({"whatsapp": "015112345678"}), StatusCode::UNPROCESSABLE_ENTITY),
        (Some(&zoe.token), json!({"whatsapp": "+49 call me"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            Some(&zoe.token),
            json!({"whatsapp": "+4915112345678", "email": "zoe@example.com"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (Some(&zoe.token), json!({}), StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (token, body, expected) in wrong {
        let (status, problem) = app.post(&path, token.map(String::as_str), body.clone()).await;
        assert_eq!(status, expected, "{body}: {problem}");
    }
    assert_eq!(app.contact_view(&zoe).await["follow_up_on_whatsapp"], false, "nothing was chosen yet");

    let (status, chosen) = app.post(&path, Some(&zoe.token), json!({"whatsapp": "+49 151 1234 5678"})).await;
    assert_eq!(status, StatusCode::OK, "{chosen}");
    assert!(matches!(chosen["state"].as_str(), Some("queued" | "offered")), "{chosen}");
    let view = app.contact_view(&zoe).await;
    assert_eq!(
        (&view["queue"]["position"], &view["follow_up_on_whatsapp"]),
        (&place, &json!(true)),
        "{view}"
    );

    // The team sees where the answers go; the number never wrote, so the window is closed.
    let (_, seen) = app.get(&format!("/v1/conversations/{}", zoe.id), Some(&ana.token)).await;
    assert_eq!(seen["follow_up_whatsapp"], CUSTOMER, "{seen}");
    assert!(seen["reply_window_closes_at"].as_i64().unwrap() <= app.state.now().as_millis(), "{seen}");
    let (status, claimed) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!((status, claimed["state"].as_str()), (StatusCode::OK, Some("live")), "{claimed}");
    let messages = format!("/v1/conversations/{}/messages", zoe.id);
    let (status, problem) =
        app.post(&messages, Some(&ana.token), json!({"text": "Your refund went out."})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("reply_window_closed")),
        "{problem}"
    );

    // So Ana's first message is the approved template, sent to Zoe's number.
    let (_, list) = app.get(&format!("/v1/conversations/{}/templates", zoe.id), Some(&ana.token)).await;
    assert_eq!(list["templates"][0]["name"], "answer_ready", "{list}");
    let template = json!({"name": "answer_ready", "language": "en", "parameters": ["Zoe"]});
    let send = format!("/v1/conversations/{}/template-messages", zoe.id);
    let (status, sent) = app.post(&send, Some(&ana.token), template).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let out = graph.until("the template", |sent| sent.iter().any(|m| m.template.is_some())).await;
    let first = out.iter().find(|m| m.template.is_some()).unwrap();
    assert_eq!(first.to, CUSTOMER);
    assert!(first.text.starts_with("Hi Zoe, we have an answer"), "{first:?}");

    // Zoe answers on WhatsApp: it joins the same chat, and the window opens for free replies.
    customer_says(&app, &channel, "wamid.ZOE1", "Great, what is it?").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !texts(&app, zoe.id, &ana.token).await.iter().any(|t| t == "Great, what is it?") {
        assert!(tokio::time::Instant::now() < deadline, "Zoe's WhatsApp answer never joined her chat");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, body) =
        app.post(&messages, Some(&ana.token), json!({"text": "Your refund went out."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    graph
        .until("the free reply", |sent| {
            sent.iter().any(|m| m.text == "Your refund went out." && m.to == CUSTOMER)
        })
        .await;
    let log = deliveries(&app, &admin.token, &channel).await;
    assert!(log.iter().all(|d| d["conversation_id"] == zoe.id.to_string()), "all in Zoe's chat: {log:#?}");
    assert_eq!(log.len(), 2, "only what Ana wrote went to WhatsApp: {log:#?}");

    // Closed, the chat no longer follows the number: its next message starts its own chat.
    let close = app.post(&format!("/v1/handoffs/{id}/close"), Some(&ana.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    customer_says(&app, &channel, "wamid.ZOE2", "Hello again").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let log = deliveries(&app, &admin.token, &channel).await;
        if log.iter().any(|d| d["conversation_id"] != zoe.id.to_string()) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the bot never answered on WhatsApp: {log:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!texts(&app, zoe.id, &ana.token).await.iter().any(|t| t == "Hello again"));
    let (_, seen) = app.get(&format!("/v1/conversations/{}", zoe.id), Some(&ana.token)).await;
    assert!(seen["follow_up_whatsapp"].is_null(), "{seen}");
}
