//! WhatsApp through the real server: a channel made over the API, notifications signed as Meta
//! signs them and POSTed to its webhook, and every answer sent to a local Graph API
//! (`fake_graph`) that checks what Meta's documentation asks of a request.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fake_graph::{self, APP_SECRET, FakeGraph, PHONE_NUMBER_ID, VERIFY_TOKEN};
use crate::helpers::{PATIENCE, TestApp};

crate::on_both_backends!(
    settings = |settings| settings.channels.retry_schedule_seconds = vec![5, 60];
    a_whatsapp_customer_reaches_a_person_and_rates_them,
    notifications_that_are_not_meta_s_change_nothing,
    a_failing_graph_api_is_retried_and_a_restart_loses_nothing,
    channels_are_checked_and_their_secrets_never_shown,
    a_customer_who_finds_the_team_offline_types_their_email,
    a_reply_from_the_business_phone_takes_the_chat_from_the_bot,
    a_picture_arrives_as_a_file_in_the_chat,
    an_erased_customer_leaves_no_number_or_text_in_the_send_log,
);

pub(crate) const CUSTOMER: &str = "4915112345678";

/// `POST /v1/channels` for the default bot; returns the channel.
async fn whatsapp_channel(app: &TestApp, admin: &str, graph_url: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let body = json!({
        "kind": "whatsapp",
        "bot_id": bot["id"],
        "settings": {
            "phone_number_id": PHONE_NUMBER_ID,
            "access_token": fake_graph::ACCESS_TOKEN,
            "app_secret": APP_SECRET,
            "verify_token": VERIFY_TOKEN,
            "graph_url": graph_url,
        },
    });
    let (status, channel) = app.post("/v1/channels", Some(admin), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    channel
}

/// The channel's webhook on the test server (its `webhook_url` names the configured
/// `public_url`, which tests leave unset).
fn webhook(app: &TestApp, channel: &Value) -> String {
    format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap())
}

/// POSTs `notification` to the channel's webhook, signed with `secret`.
pub(crate) async fn notify(
    app: &TestApp,
    channel: &Value,
    secret: &str,
    notification: &Value,
) -> (StatusCode, Value) {
    let body = notification.to_string();
    let response = reqwest::Client::new()
        .post(webhook(app, channel))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", fake_graph::signature(secret, body.as_bytes()))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub(crate) async fn customer_says(app: &TestApp, channel: &Value, id: &str, text: &str) {
    let (status, body) =
        notify(app, channel, APP_SECRET, &fake_graph::text_message(CUSTOMER, "Rosa", id, text)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub(crate) async fn deliveries(app: &TestApp, admin: &str, channel: &Value) -> Vec<Value> {
    let path = format!("/v1/channels/{}/deliveries", channel["id"].as_str().unwrap());
    let (status, page) = app.get(&path, Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["deliveries"].as_array().unwrap().clone()
}

/// Waits until the channel's send log satisfies `done`.
pub(crate) async fn log_until(
    app: &TestApp,
    admin: &str,
    channel: &Value,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let log = deliveries(app, admin, channel).await;
        if done(&log) {
            return log;
        }
        assert!(tokio::time::Instant::now() < deadline, "{log:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn view(app: &TestApp, token: &str, conversation: &str) -> Value {
    let (status, view) = app.get(&format!("/v1/conversations/{conversation}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

async fn a_whatsapp_customer_reaches_a_person_and_rates_them(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let path = format!("/v1/channels/{}/webhook", channel["id"].as_str().unwrap());
    assert!(channel["webhook_url"].as_str().unwrap().ends_with(&path), "{channel}");
    let webhook = webhook(&app, &channel);

    // Meta checks the URL before it sends anything.
    let verify = |token: &str| {
        format!("{webhook}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444")
    };
    let answer = reqwest::get(verify(VERIFY_TOKEN)).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.unwrap(), "1158201444");
    assert_eq!(reqwest::get(verify("guess")).await.unwrap().status(), StatusCode::FORBIDDEN);

    // The customer writes; the bot answers on WhatsApp.
    customer_says(&app, &channel, "wamid.IN1", "Hello, where is my order?").await;
    let sent = graph.until("the bot's answer", |s| !s.is_empty()).await;
    assert_eq!((sent[0].to.as_str(), sent[0].phone_number_id.as_str()), (CUSTOMER, PHONE_NUMBER_ID));
    let log =
        log_until(&app, &admin.token, &channel, |l| l.first().is_some_and(|d| d["status"] == "sent")).await;
    let conversation = log[0]["conversation_id"].as_str().unwrap().to_owned();
    assert_eq!(log[0]["provider_message_id"], sent[0].id.as_str());
    let seen = view(&app, &admin.token, &conversation).await;
    assert_eq!(
        (seen["channel"].as_str(), seen["channel_address"].as_str()),
        (Some("whatsapp"), Some(CUSTOMER))
    );
    assert_eq!(seen["contact"]["name"], "Rosa", "the WhatsApp profile name");
    assert!(seen["reply_window_closes_at"].as_i64().unwrap() > app.state.now().as_millis());
    let (_, contact) =
        app.get(&format!("/v1/contacts/{}", seen["contact_id"].as_str().unwrap()), Some(&admin.token)).await;
    assert_eq!(contact["contact"]["phone"], CUSTOMER, "{contact}");

    // Asking for a person opens a handoff; what Baton tells the customer goes out too.
    customer_says(&app, &channel, "wamid.IN2", "I want to talk to a human please").await;
    let handoff = {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let seen = view(&app, &admin.token, &conversation).await;
            if let Some(id) = seen["handoff"]["id"].as_str() {
                break id.to_owned();
            }
            assert!(tokio::time::Instant::now() < deadline, "no handoff: {seen}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let told = graph.until("the queue message", |s| s.len() >= 2).await;
    assert!(told[1].text.to_lowercase().contains("connect"), "{told:#?}");

    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let reply = json!({"text": "Hi Rosa, this is Ana. Let me look at your order."});
    let (status, body) =
        app.post(&format!("/v1/conversations/{conversation}/messages"), Some(&agent.token), reply).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    graph.until("Ana's reply", |s| s.iter().any(|m| m.text.starts_with("Hi Rosa, this is Ana"))).await;

    // A notification Meta sends twice is stored once.
    customer_says(&app, &channel, "wamid.IN3", "Thank you!").await;
    customer_says(&app, &channel, "wamid.IN3", "Thank you!").await;
    let messages = app.messages(conversation.parse().unwrap(), &agent.token).await;
    let thanks = messages.iter().filter(|m| m["text"] == "Thank you!").count();
    assert_eq!(thanks, 1, "{messages:#?}");

    // Statuses move forward only.
    let first = sent[0].id.clone();
    for report in ["read", "delivered"] {
        let (status, body) =
            notify(&app, &channel, APP_SECRET, &fake_graph::status(&first, report, CUSTOMER)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let log = deliveries(&app, &admin.token, &channel).await;
    let oldest = log.iter().find(|d| d["provider_message_id"] == first.as_str()).unwrap();
    assert_eq!(oldest["status"], "read", "a late 'delivered' does not undo 'read': {oldest}");

    // Closing asks for a rating, which the customer types.
    let close = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    graph
        .until("the request for a rating", |s| s.iter().any(|m| m.text.contains("1") && m.text.contains("5")))
        .await;
    customer_says(&app, &channel, "wamid.IN4", "5").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let rated = app.handoff(&handoff, &admin.token).await;
        if rated["rating"] == 5 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{rated}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Everything the customer was sent went out once, in the transcript's order.
    app.bot_idle(conversation.parse().unwrap()).await;
    app.consumers_caught_up().await;
    let messages = app.messages(conversation.parse().unwrap(), &admin.token).await;
    let visible: Vec<String> = messages
        .iter()
        .filter(|m| m["author"]["kind"] != "contact" && m["note"] != true)
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    let sent = graph.until("every answer", |s| s.len() >= visible.len()).await;
    let texts: Vec<String> = sent.iter().map(|m| m.text.clone()).collect();
    assert_eq!(texts, visible);
    assert!(sent.iter().all(|m| m.to == CUSTOMER));
    app.shutdown().await;
}

async fn notifications_that_are_not_meta_s_change_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let hello = fake_graph::text_message(CUSTOMER, "Rosa", "wamid.IN1", "hello");

    let (status, problem) = notify(&app, &channel, "not-the-app-secret", &hello).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "bad_signature");
    let unsigned = reqwest::Client::new()
        .post(webhook(&app, &channel))
        .header("content-type", "application/json")
        .body(hello.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::FORBIDDEN);
    let (status, problem) = notify(&app, &channel, APP_SECRET, &json!({"object": "page", "entry": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, problem) = notify(&app, &channel, APP_SECRET, &json!([1, 2])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["status"], 422);

    let missing = json!({"id": uuid::Uuid::now_v7().to_string()});
    let (status, _) = notify(&app, &missing, APP_SECRET, &hello).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A disabled channel takes nothing in.
    let mut body = channel.clone();
    let id = channel["id"].as_str().unwrap();
    body["enabled"] = json!(false);
    let form =
        json!({"kind": "whatsapp", "bot_id": body["bot_id"], "settings": body["settings"], "enabled": false});
    let (status, updated) = app.put(&format!("/v1/channels/{id}"), Some(&admin.token), form).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    let (status, problem) = notify(&app, &channel, APP_SECRET, &hello).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");

    // Nothing was stored: no conversation, nothing sent.
    let (status, found) = app.get("/v1/conversations?query=hello", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["conversations"].as_array().map(Vec::len), Some(0), "{found}");
    app.consumers_caught_up().await;
    assert_eq!(graph.requests(), 0);
    assert!(deliveries(&app, &admin.token, &channel).await.is_empty());
    app.shutdown().await;
}

async fn a_failing_graph_api_is_retried_and_a_restart_loses_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;

    // Throughput limit: retried after the first pause.
    graph.fail_next(429, 130429, "Rate limit hit");
    customer_says(&app, &channel, "wamid.IN1", "Hello?").await;
    let log =
        log_until(&app, &admin.token, &channel, |l| l.first().is_some_and(|d| d["attempts"] == 1)).await;
    let first = &log[0];
    assert_eq!(
        (first["status"].as_str(), first["response_code"].as_u64()),
        (Some("pending"), Some(429)),
        "{first}"
    );
    assert!(first["error"].as_str().unwrap().contains("130429"), "{first}");
    assert_eq!(
        first["next_attempt_at"].as_i64().unwrap() - first["last_attempt_at"].as_i64().unwrap(),
        5_000
    );
    assert!(graph.sent().is_empty());
    app.clock.advance(Duration::from_secs(6));
    baton_server::channels::sender::send_due(&app.state).await.unwrap();
    graph.until("the retry", |s| s.len() == 1).await;
    let log = log_until(&app, &admin.token, &channel, |l| l[0]["status"] == "sent").await;
    assert_eq!(log[0]["attempts"], 2);

    // The service is down, and Baton stops: the message waits in the store.
    app.bot_idle(log[0]["conversation_id"].as_str().unwrap().parse().unwrap()).await;
    graph.fail_next(503, 2, "Service temporarily unavailable");
    customer_says(&app, &channel, "wamid.IN2", "What are your opening hours?").await;
    log_until(&app, &admin.token, &channel, |l| l.len() == 2 && l[0]["attempts"] == 1).await;
    let app = app.restart().await;
    app.clock.advance(Duration::from_secs(6));
    baton_server::channels::sender::send_due(&app.state).await.unwrap();
    let sent = graph.until("the message after the restart", |s| s.len() == 2).await;
    assert_ne!(sent[0].text, "", "{sent:#?}");
    let log = log_until(&app, &admin.token, &channel, |l| l[0]["status"] == "sent").await;
    assert_eq!(log.len(), 2, "sent once: {log:#?}");

    // A refusal that retrying cannot fix fails at once, and says why.
    graph.fail_next(400, 131047, "Re-engagement message");
    customer_says(&app, &channel, "wamid.IN3", "Hello again").await;
    let log = log_until(&app, &admin.token, &channel, |l| l.len() == 3 && l[0]["status"] == "failed").await;
    assert!(log[0]["error"].as_str().unwrap().contains("131047"), "{}", log[0]);
    assert!(log[0]["next_attempt_at"].is_null());
    app.shutdown().await;
}

async fn channels_are_checked_and_their_secrets_never_shown(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let (_graph, graph_url) = FakeGraph::start().await;
    let (status, refused) = app.post("/v1/channels", Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");

    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let id = channel["id"].as_str().unwrap();
    for secret in ["access_token", "app_secret", "verify_token"] {
        assert_eq!(channel["settings"][secret], "********", "{channel}");
    }
    let (_, listed) = app.get("/v1/channels", Some(&admin.token)).await;
    assert!(!listed.to_string().contains(APP_SECRET) && !listed.to_string().contains(VERIFY_TOKEN));
    let (_, audit) = app.get("/v1/audit", Some(&admin.token)).await;
    assert!(!audit.to_string().contains(APP_SECRET), "the audit log hides secrets");

    let good = json!({"kind": "whatsapp", "bot_id": channel["bot_id"], "settings": channel["settings"]});
    for (body, expect) in [
        (json!({"kind": "telegram", "bot_id": channel["bot_id"], "settings": {}}), "kind"),
        (json!({"kind": "email", "bot_id": channel["bot_id"], "settings": {}}), "address"),
        (
            json!({"kind": "whatsapp", "bot_id": channel["bot_id"], "settings": {"phone_number_id": "1"}}),
            "access_token",
        ),
        (
            json!({"kind": "whatsapp", "bot_id": uuid::Uuid::now_v7(), "settings": channel["settings"]}),
            "bot_id",
        ),
    ] {
        let (status, problem) = app.post("/v1/channels", Some(&admin.token), body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(expect), "{problem}");
    }
    // Read back and written again, the secrets stay; sent to another Graph URL, the token must
    // be given again.
    let (status, same) = app.put(&format!("/v1/channels/{id}"), Some(&admin.token), good.clone()).await;
    assert_eq!(status, StatusCode::OK, "{same}");
    let mut moved = good.clone();
    moved["settings"]["graph_url"] = json!("https://graph.example.org");
    let (status, problem) = app.put(&format!("/v1/channels/{id}"), Some(&admin.token), moved).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("access_token"), "{problem}");
    let verify = format!(
        "{}?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=7",
        webhook(&app, &channel)
    );
    assert_eq!(
        reqwest::get(&verify).await.unwrap().text().await.unwrap(),
        "7",
        "the stored token still verifies"
    );

    let (status, _) =
        app.request(Method::DELETE, &format!("/v1/channels/{id}"), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get(&format!("/v1/channels/{id}"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.shutdown().await;
}

async fn a_customer_who_finds_the_team_offline_types_their_email(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;

    // Nobody is online: the request goes offline and the customer is asked for their email.
    customer_says(&app, &channel, "wamid.IN1", "I need to speak to a person").await;
    let sent = graph.until("the lead prompt", |s| s.iter().any(|m| m.text.contains("email"))).await;
    let log = deliveries(&app, &admin.token, &channel).await;
    let conversation = log[0]["conversation_id"].as_str().unwrap().to_owned();
    let seen = view(&app, &admin.token, &conversation).await;
    assert_eq!(seen["state"], "offline", "{seen}");

    // There is no form on WhatsApp: the email typed is the lead, with the message.
    let said = "It's rosa@example.com, my parcel 4471 never came";
    customer_says(&app, &channel, "wamid.IN2", said).await;
    let handoff = seen["handoff"]["id"].as_str().unwrap().to_owned();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let ticket = loop {
        let handoff = app.handoff(&handoff, &admin.token).await;
        if handoff["state"] == "ticket" {
            break handoff;
        }
        assert!(tokio::time::Instant::now() < deadline, "{handoff}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(ticket["lead"]["email"], "rosa@example.com", "{ticket}");
    assert_eq!(ticket["lead"]["message"], said);
    graph.until("the thanks for the lead", |s| s.len() > sent.len()).await;
    app.shutdown().await;
}

async fn a_reply_from_the_business_phone_takes_the_chat_from_the_bot(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    customer_says(&app, &channel, "wamid.IN1", "Hello, do you ship to Porto?").await;
    graph.until("the bot's answer", |s| s.len() == 1).await;
    let conversation =
        deliveries(&app, &admin.token, &channel).await[0]["conversation_id"].as_str().unwrap().to_owned();

    // Marta answers from the shop's phone; Meta echoes it. Twice, as Meta may.
    let echo = fake_graph::echo(CUSTOMER, "wamid.ECHO1", "Hi, Marta here from the shop: yes, we do!");
    for _ in 0..2 {
        let (status, body) = notify(&app, &channel, APP_SECRET, &echo).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let seen = view(&app, &admin.token, &conversation).await;
    assert_eq!(seen["state"], "live", "{seen}");
    assert!(seen["handoff"]["assignee"]["name"].as_str().unwrap().contains("business phone"), "{seen}");
    assert_eq!(seen["handoff"]["trigger"], "manual_takeover");
    let messages = app.messages(conversation.parse().unwrap(), &admin.token).await;
    let from_phone: Vec<&Value> =
        messages.iter().filter(|m| m["text"] == "Hi, Marta here from the shop: yes, we do!").collect();
    assert_eq!(from_phone.len(), 1, "recorded once: {messages:#?}");
    assert_eq!(from_phone[0]["author"]["kind"], "user");

    // The bot stays quiet now, and Marta's message is not sent a second time.
    customer_says(&app, &channel, "wamid.IN2", "Great, how much is it?").await;
    app.bot_idle(conversation.parse().unwrap()).await;
    app.consumers_caught_up().await;
    baton_server::channels::sender::send_due(&app.state).await.unwrap();
    assert_eq!(graph.sent().len(), 1, "{:#?}", graph.sent());

    // An admin closes it: the bot has the chat again.
    let handoff = seen["handoff"]["id"].as_str().unwrap();
    let close = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&admin.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    assert_eq!(view(&app, &admin.token, &conversation).await["state"], "bot");
    customer_says(&app, &channel, "wamid.IN3", "What are your opening hours?").await;
    graph.until("the bot answering again", |s| s.len() >= 2).await;
    app.shutdown().await;
}

async fn a_picture_arrives_as_a_file_in_the_chat(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (_graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    let picture = fake_graph::image_message(CUSTOMER, "wamid.IMG1", "MEDIA1", "the box arrived like this");
    for _ in 0..2 {
        let (status, body) = notify(&app, &channel, APP_SECRET, &picture).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let channel_id = channel["id"].as_str().unwrap().parse().unwrap();
    let conversation = app.state.store.channel_conversation(channel_id, CUSTOMER).await.unwrap().unwrap();
    let messages = app.messages(conversation.id, &admin.token).await;
    let files: Vec<&Value> = messages.iter().filter(|m| !m["attachment"].is_null()).collect();
    assert_eq!(files.len(), 1, "the file once: {messages:#?}");
    let file = &files[0]["attachment"];
    assert_eq!(
        (file["name"].as_str(), file["content_type"].as_str()),
        (Some("image.png"), Some("image/png"))
    );
    let captions = messages.iter().filter(|m| m["text"] == "the box arrived like this").count();
    assert_eq!(captions, 1, "the caption follows the file, once");

    // The team opens it: the same bytes.
    let path = format!(
        "{}/v1/conversations/{}/attachments/{}",
        app.base,
        conversation.id,
        file["id"].as_str().unwrap()
    );
    let bytes = app.client.get(path).bearer_auth(&admin.token).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), fake_graph::PNG);
    app.shutdown().await;
}

async fn an_erased_customer_leaves_no_number_or_text_in_the_send_log(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (graph, graph_url) = FakeGraph::start().await;
    let channel = whatsapp_channel(&app, &admin.token, &graph_url).await;
    customer_says(&app, &channel, "wamid.IN1", "Hello, where is my order?").await;
    graph.until("the bot's answer", |s| s.len() == 1).await;
    let log =
        log_until(&app, &admin.token, &channel, |l| l.first().is_some_and(|d| d["status"] == "sent")).await;
    let conversation = log[0]["conversation_id"].as_str().unwrap().to_owned();
    let contact = view(&app, &admin.token, &conversation).await["contact_id"].as_str().unwrap().to_owned();

    let (status, erased) = app
        .request(reqwest::Method::DELETE, &format!("/v1/contacts/{contact}"), Some(&admin.token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{erased}");
    let seen = view(&app, &admin.token, &conversation).await;
    assert!(seen["channel_address"].is_null(), "{seen}");
    let left = deliveries(&app, &admin.token, &channel).await;
    assert!(left.is_empty(), "the texts sent to them are gone: {left:#?}");

    // Writing again, they are a new contact in a new conversation.
    customer_says(&app, &channel, "wamid.IN2", "Hello again").await;
    let channel_id = channel["id"].as_str().unwrap().parse().unwrap();
    let again = app.state.store.channel_conversation(channel_id, CUSTOMER).await.unwrap().unwrap();
    assert_ne!(again.id.to_string(), conversation);
    assert_ne!(again.contact_id.map(|c| c.to_string()), Some(contact));
    app.shutdown().await;
}
