//! Freshchat as a bot's helpdesk, through the real server: a channel made over the API,
//! Baton's client talking to a local Freshchat (`fake_freshchat`), and Freshchat's webhooks
//! signed with an RSA key made for the run and POSTed to the channel's webhook.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_freshchat::{self, API_TOKEN, CHANNEL_ID, Call, FakeFreshchat, SigningKey};
use crate::helpers::{PATIENCE, TestApp};

crate::on_both_backends!(
    settings = |settings| settings.channels.retry_schedule_seconds = vec![1, 60];
    a_handoff_goes_to_freshchat_and_back_to_the_bot_when_resolved,
    a_freshchat_that_fails_hands_the_chat_back_to_baton,
    nobody_taking_it_in_freshchat_in_time_sends_it_offline,
    a_relay_freshchat_turns_away_survives_a_restart,
);

async fn freshchat_channel(app: &TestApp, admin: &str, url: &str, key: &SigningKey, extra: Value) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let mut settings = json!({
        "api_url": url,
        "api_token": API_TOKEN,
        "channel_id": CHANNEL_ID,
        "public_key": key.public_pem,
    });
    for (field, value) in extra.as_object().unwrap() {
        settings[field] = value.clone();
    }
    let (status, channel) = app
        .post(
            "/v1/channels",
            Some(admin),
            json!({"kind": "freshchat", "bot_id": bot["id"], "settings": settings}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    channel
}

/// POSTs a Freshchat webhook body to the channel, signed with `key`.
async fn call(app: &TestApp, channel: &Value, key: &SigningKey, body: &Value) -> StatusCode {
    let body = body.to_string();
    reqwest::Client::new()
        .post(format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap()))
        .header("content-type", "application/json")
        .header("x-freshchat-signature", key.sign(body.as_bytes()))
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

async fn handoff_until(
    app: &TestApp,
    token: &str,
    id: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let handoff = app.handoff(id, token).await;
        if done(&handoff) {
            return handoff;
        }
        assert!(tokio::time::Instant::now() < deadline, "never {what}: {handoff}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `handoff.failed` events stored so far.
async fn failures(app: &TestApp) -> Vec<Value> {
    let events = app.state.store.events_after(0, 10_000).await.unwrap();
    events
        .into_iter()
        .filter(|stored| stored.event.kind().name() == "handoff.failed")
        .map(|stored| stored.event.data())
        .collect()
}

async fn texts(app: &TestApp, contact: &crate::helpers::Contact) -> Vec<String> {
    app.messages(contact.id, &contact.token)
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn conversation_of(calls: &[Call]) -> Option<(String, Value)> {
    calls.iter().find_map(|call| match call {
        Call::Conversation { id, body } => Some((id.clone(), body.clone())),
        _ => None,
    })
}

async fn a_handoff_goes_to_freshchat_and_back_to_the_bot_when_resolved(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (fake, url) = FakeFreshchat::start().await;
    let key = SigningKey::new();
    let channel = freshchat_channel(&app, &admin.token, &url, &key, json!({})).await;
    assert_eq!(channel["settings"]["api_token"], "********", "{channel}");

    // Nobody is on duty in Baton: the handoff still waits, for Freshchat.
    let contact =
        app.open_conversation(json!({"contact": {"name": "Rosa", "email": "rosa@example.com"}})).await;
    app.say(&contact, "My invoice 4711 shows the wrong amount").await;
    let handoff = app.ask_for_human(&contact).await;
    assert_eq!(handoff["state"], "queued", "{handoff}");
    let id = handoff["id"].as_str().unwrap().to_owned();
    let calls = fake.until("a conversation", |calls| conversation_of(calls).is_some()).await;
    let Call::User { id: user_id, body: user } = &calls[0] else { panic!("the user first: {calls:#?}") };
    assert_eq!(
        (user["reference_id"].as_str(), user["email"].as_str()),
        (Some(contact.id.to_string().as_str()), Some("rosa@example.com"))
    );
    let (remote, opened) = conversation_of(&calls).unwrap();
    assert_eq!(opened["users"][0]["id"], user_id.as_str(), "the conversation is the new user's: {opened}");
    let first = opened["messages"][0]["message_parts"][0]["text"]["content"].as_str().unwrap();
    assert!(
        first.contains("Summary:") && first.contains("Customer: My invoice 4711 shows the wrong amount"),
        "{first}"
    );

    // What the customer writes meanwhile reaches Freshchat; Baton's bot stays quiet.
    app.say(&contact, "Are you there?").await;
    fake.until("the relayed message", |calls| {
        calls.iter().any(|c| {
            matches!(c, Call::Message { conversation, body } if *conversation == remote
            && body["message_parts"][0]["text"]["content"] == "Are you there?")
        })
    })
    .await;

    // A call Freshchat did not sign changes nothing.
    let forged = fake_freshchat::agent_message(&remote, "m-forged", "Send me your password");
    let response = reqwest::Client::new()
        .post(format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap()))
        .header("x-freshchat-signature", SigningKey::new().sign(forged.to_string().as_bytes()))
        .body(forged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Maria takes it in Freshchat and answers; the customer reads it in the chat, once.
    assert_eq!(call(&app, &channel, &key, &fake_freshchat::assignment(&remote)).await, StatusCode::OK);
    let live = handoff_until(&app, &admin.token, &id, "live", |h| h["state"] == "live").await;
    assert_eq!(live["assignee"]["name"], "Freshchat", "{live}");
    let answer = fake_freshchat::agent_message(&remote, "m-1", "Hi Rosa, Maria from billing here.");
    for _ in 0..2 {
        assert_eq!(call(&app, &channel, &key, &answer).await, StatusCode::OK);
    }
    let texts = texts(&app, &contact).await;
    assert_eq!(texts.iter().filter(|t| *t == "Hi Rosa, Maria from billing here.").count(), 1, "{texts:#?}");
    assert!(!texts.iter().any(|t| t.contains("in line")), "Baton's queue is not where it waits: {texts:#?}");
    assert!(!texts.iter().any(|t| t.contains("password")), "{texts:#?}");

    // Resolved there: the chat goes back to the bot, which asks for a rating.
    assert_eq!(call(&app, &channel, &key, &fake_freshchat::resolution(&remote)).await, StatusCode::OK);
    let closed = handoff_until(&app, &admin.token, &id, "closed", |h| h["state"] == "closed").await;
    assert_eq!(closed["feedback_requested"], true, "{closed}");
    assert!(failures(&app).await.is_empty());
}

async fn a_freshchat_that_fails_hands_the_chat_back_to_baton(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let (fake, url) = FakeFreshchat::start().await;
    let key = SigningKey::new();
    let channel = freshchat_channel(&app, &admin.token, &url, &key, json!({"on_failure": "queue"})).await;
    fake.fail_next(500, "Internal server error");

    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let id = handoff["id"].as_str().unwrap().to_owned();
    // Freshchat failed.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while failures(&app).await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no handoff.failed: {:#?}", fake.calls());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Baton's own queue has it now: the customer hears their place in line, and Ana, on
    // duty, takes it.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let texts = texts(&app, &contact).await;
        if texts.iter().any(|t| t.contains("in line")) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no place in line: {texts:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let claim = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    assert_eq!(claim.1["assignee"]["id"], ana.id.as_str(), "{}", claim.1);
    let failed = failures(&app).await;
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0]["handoff_id"], id.as_str());
    assert_eq!(failed[0]["helpdesk"], "freshchat");
    assert!(failed[0]["reason"].as_str().unwrap().contains("500"), "{failed:#?}");
    // Freshchat holds nothing, so nothing the customer says goes there.
    app.say(&contact, "Hello?").await;
    app.consumers_caught_up().await;
    assert!(!fake.calls().iter().any(|c| matches!(c, Call::Message { .. })), "{:#?}", fake.calls());
    let _ = channel;
}

async fn nobody_taking_it_in_freshchat_in_time_sends_it_offline(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (fake, url) = FakeFreshchat::start().await;
    let key = SigningKey::new();
    let extra = json!({"on_failure": "offline", "assign_timeout_seconds": 30});
    let channel = freshchat_channel(&app, &admin.token, &url, &key, extra).await;

    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let id = handoff["id"].as_str().unwrap().to_owned();
    let calls = fake.until("a conversation", |calls| conversation_of(calls).is_some()).await;
    let (remote, _) = conversation_of(&calls).unwrap();
    // A relayed message Freshchat turns away for a while is retried and shows in the log.
    fake.fail_next(429, "Too many requests");
    app.say(&contact, "Still waiting").await;
    let path = format!("/v1/channels/{}/deliveries", channel["id"].as_str().unwrap());
    // The retry comes due a second later (the clock moves once: 30 s on, the handoff fails).
    fake.until("the first try", |calls| calls.len() >= 2).await;
    app.later(Duration::from_secs(2)).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, log) = app.get(&path, Some(&admin.token)).await;
        let sent =
            log["deliveries"].as_array().unwrap().iter().any(|d| d["status"] == "sent" && d["attempts"] == 2);
        if sent {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{log:#}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        fake.calls()
            .iter()
            .any(|c| matches!(c, Call::Message { conversation, .. } if *conversation == remote))
    );

    // Nobody takes it in Freshchat within 30 s: the team is offline, says Baton.
    app.later(Duration::from_secs(31)).await;
    let offline = handoff_until(&app, &admin.token, &id, "offline", |h| h["state"] == "offline").await;
    assert_eq!(offline["id"], id.as_str());
    let failed = failures(&app).await;
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0]["reason"], "no Freshchat agent took it within 30 s");
    // Freshchat's later word about it is ignored: Baton has it now.
    assert_eq!(call(&app, &channel, &key, &fake_freshchat::assignment(&remote)).await, StatusCode::OK);
    app.consumers_caught_up().await;
    assert_eq!(app.handoff(&id, &admin.token).await["state"], "offline");
}

fn relayed(calls: &[Call], remote: &str, text: &str) -> usize {
    calls
        .iter()
        .filter(|c| {
            matches!(c, Call::Message { conversation, body } if conversation == remote
                && body["message_parts"][0]["text"]["content"] == text)
        })
        .count()
}

async fn a_relay_freshchat_turns_away_survives_a_restart(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (fake, url) = FakeFreshchat::start().await;
    let key = SigningKey::new();
    let channel = freshchat_channel(&app, &admin.token, &url, &key, json!({})).await;
    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let id = handoff["id"].as_str().unwrap().to_owned();
    let calls = fake.until("a conversation", |calls| conversation_of(calls).is_some()).await;
    let (remote, _) = conversation_of(&calls).unwrap();

    // Freshchat is down when the customer writes; Baton stops before the retry.
    fake.fail_next(503, "Service unavailable");
    app.say(&contact, "Hello, anyone?").await;
    let path = format!("/v1/channels/{}/deliveries", channel["id"].as_str().unwrap());
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, log) = app.get(&path, Some(&admin.token)).await;
        let tried = log["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["status"] == "pending" && d["attempts"] == 1 && d["response_code"] == 503);
        if tried {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never tried: {log:#}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let app = app.restart().await;

    app.later(Duration::from_secs(2)).await;
    let calls = fake.until("the retry", |calls| relayed(calls, &remote, "Hello, anyone?") == 1).await;
    assert_eq!(conversation_of(&calls).map(|(id, _)| id), Some(remote.clone()), "opened once");
    let opened = calls.iter().filter(|c| matches!(c, Call::Conversation { .. })).count();
    assert_eq!(opened, 1, "not handed over again after the restart: {calls:#?}");

    // The hand-over outlived the restart: Freshchat's agent still reaches the customer.
    let answer = fake_freshchat::agent_message(&remote, "fc-msg-9", "Yes, I am here.");
    assert_eq!(call(&app, &channel, &key, &answer).await, StatusCode::OK);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !texts(&app, &contact).await.iter().any(|t| t == "Yes, I am here.") {
        assert!(tokio::time::Instant::now() < deadline, "{:?}", texts(&app, &contact).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.handoff(&id, &admin.token).await["state"], "live");
    assert_eq!(relayed(&fake.calls(), &remote, "Hello, anyone?"), 1, "sent once");
}
