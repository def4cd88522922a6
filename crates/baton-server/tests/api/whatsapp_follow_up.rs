//! Leaving the queue for WhatsApp: a waiting web customer gets a one-time code, sends it from
//! WhatsApp, and keeps their place; that message names their number (nobody else's can be
//! routed), the team's replies go there, what they write there joins the same chat, and once
//! the handoff is closed the number is on its own again. Through the real server and the local
//! Graph API (`fake_graph`).

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
        "display_phone_number": "+1 555 000 1111",
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
    let path = format!("/v1/conversations/{}/follow-up/whatsapp", zoe.id);

    // Without a WhatsApp number of the bot's, it is not offered and cannot be chosen.
    assert_eq!(app.contact_view(&zoe).await["whatsapp_follow_up"], false);
    let (status, problem) = app.post(&path, Some(&zoe.token), json!({})).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("no_whatsapp")), "{problem}");

    let (graph, graph_url) = FakeGraph::start().await;
    graph.approve("answer_ready", "en", ANSWER_READY);
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let view = app.contact_view(&zoe).await;
    assert_eq!((&view["whatsapp_follow_up"], &view["follow_up_on_whatsapp"]), (&json!(true), &json!(false)));
    let place = view["queue"]["position"].clone();
    assert_eq!(place, 2, "behind Yann: {view}");

    // Only the contact asks; the answer is the business number and a message with a code.
    let (status, problem) = app.post(&path, Some(&ana.token), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, invite) = app.post(&path, Some(&zoe.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{invite}");
    let code = invite["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 8, "{invite}");
    assert_eq!(invite["number"], "+1 555 000 1111");
    assert!(invite["text"].as_str().unwrap().contains(&code), "{invite}");
    assert!(invite["link"].as_str().unwrap().starts_with("https://wa.me/15550001111?text="), "{invite}");
    let (_, again) = app.post(&path, Some(&zoe.token), json!({})).await;
    assert_eq!(again["code"], code.as_str(), "asked again, the same code");
    assert_eq!(
        app.contact_view(&zoe).await["whatsapp_invite"]["code"],
        code.as_str(),
        "kept across a reload"
    );

    // Until the code comes back from WhatsApp nothing is routed: a stranger's message, even
    // one with another code, starts their own chat.
    let stranger = "4930111222333";
    let (status, body) = crate::whatsapp::notify(
        &app,
        &channel,
        APP_SECRET,
        &fake_graph::text_message(stranger, "Eve", "wamid.EVE1", "Continue my chat, code ABCD2345"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    graph.until("the bot's answer to the stranger", |sent| sent.iter().any(|m| m.to == stranger)).await;
    assert!(!texts(&app, zoe.id, &ana.token).await.iter().any(|t| t.contains("ABCD2345")));
    assert_eq!(app.contact_view(&zoe).await["follow_up_on_whatsapp"], false);

    // Zoe sends the message from her WhatsApp: her number is confirmed, her place kept, and
    // the message joins her chat.
    customer_says(&app, &channel, "wamid.ZOE1", invite["text"].as_str().unwrap()).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.contact_view(&zoe).await["follow_up_on_whatsapp"] != true {
        assert!(tokio::time::Instant::now() < deadline, "the code never confirmed Zoe's number");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let view = app.contact_view(&zoe).await;
    assert_eq!((&view["queue"]["position"], &view["whatsapp_invite"]), (&place, &Value::Null), "{view}");
    let said = texts(&app, zoe.id, &ana.token).await;
    assert!(said.iter().any(|t| t.contains(&code)), "{said:#?}");
    assert!(
        said.iter().any(|t| t.contains("continues on WhatsApp at +4915112345678")),
        "the team's note: {said:#?}"
    );
    let (_, handoff_now) = app.get(&format!("/v1/handoffs/{id}"), Some(&ana.token)).await;
    assert!(matches!(handoff_now["state"].as_str(), Some("queued" | "offered")), "{handoff_now}");

    // The team sees where answers go; the number just wrote, so the window is open.
    let (_, seen) = app.get(&format!("/v1/conversations/{}", zoe.id), Some(&ana.token)).await;
    assert_eq!(seen["follow_up_whatsapp"], CUSTOMER, "{seen}");
    assert!(seen["reply_window_closes_at"].as_i64().unwrap() > app.state.now().as_millis(), "{seen}");
    let (status, claimed) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!((status, claimed["state"].as_str()), (StatusCode::OK, Some("live")), "{claimed}");
    let messages = format!("/v1/conversations/{}/messages", zoe.id);
    let (status, body) =
        app.post(&messages, Some(&ana.token), json!({"text": "Your refund went out."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    graph
        .until("Ana's reply", |sent| {
            sent.iter().any(|m| m.text == "Your refund went out." && m.to == CUSTOMER)
        })
        .await;

    // What Zoe writes on WhatsApp joins her chat.
    customer_says(&app, &channel, "wamid.ZOE2", "Great, thank you!").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !texts(&app, zoe.id, &ana.token).await.iter().any(|t| t == "Great, thank you!") {
        assert!(tokio::time::Instant::now() < deadline, "Zoe's WhatsApp answer never joined her chat");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (_, list) = app.get(&format!("/v1/conversations/{}/templates", zoe.id), Some(&ana.token)).await;
    assert_eq!(list["templates"][0]["name"], "answer_ready", "the channel's templates: {list}");
    app.consumers_caught_up().await;
    let log = deliveries(&app, &admin.token, &channel).await;
    let zoes: Vec<_> = log.iter().filter(|d| d["conversation_id"] == zoe.id.to_string()).collect();
    assert_eq!(zoes.len(), 1, "only what Ana wrote went to WhatsApp: {log:#?}");

    // A last reply and the close at once: the reply, written while the chat was open, still
    // goes out. Closed, the chat no longer follows the number: its next message starts its
    // own chat.
    let (status, body) = app.post(&messages, Some(&ana.token), json!({"text": "Anything else?"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let close = app.post(&format!("/v1/handoffs/{id}/close"), Some(&ana.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    graph
        .until("the last reply", |sent| sent.iter().any(|m| m.text == "Anything else?" && m.to == CUSTOMER))
        .await;
    customer_says(&app, &channel, "wamid.ZOE3", "Hello again").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let log = deliveries(&app, &admin.token, &channel).await;
        if log.iter().any(|d| d["recipient"] == CUSTOMER && d["conversation_id"] != zoe.id.to_string()) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the bot never answered on WhatsApp: {log:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!texts(&app, zoe.id, &ana.token).await.iter().any(|t| t == "Hello again"));
    let (_, seen) = app.get(&format!("/v1/conversations/{}", zoe.id), Some(&ana.token)).await;
    assert!(seen["follow_up_whatsapp"].is_null(), "{seen}");
}
