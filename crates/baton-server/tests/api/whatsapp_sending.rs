//! What the team sends on WhatsApp, through the real server and the local Graph API
//! (`fake_graph`): files go as WhatsApp media (uploaded, then sent by id), and once the 24-hour
//! window has closed a free reply is refused and an approved template from the channel's
//! settings goes out instead (the fake accepts only templates it approved, with the right
//! number of values).

use std::time::Duration;

use baton_core::user::Role;
use baton_server::state::{Clock, SystemClock};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_graph::{self, APP_SECRET, FakeGraph, PHONE_NUMBER_ID, VERIFY_TOKEN};
use crate::helpers::{PATIENCE, TestApp};
use crate::whatsapp::{CUSTOMER, customer_says, deliveries, log_until};

crate::on_both_backends!(
    settings = |settings| settings.channels.retry_schedule_seconds = vec![5, 60];
    a_closed_window_takes_only_approved_templates,
    templates_in_the_settings_are_checked,
    files_from_the_team_arrive_as_whatsapp_media,
);

const ORDER_UPDATE: &str =
    "Hi {{1}}, there is news about your order {{2}}. Reply to this message to continue.";

fn settings(graph_url: &str, templates: Value) -> Value {
    json!({
        "phone_number_id": PHONE_NUMBER_ID,
        "access_token": fake_graph::ACCESS_TOKEN,
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "graph_url": graph_url,
        "templates": templates,
    })
}

async fn default_bot(app: &TestApp, admin: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot").clone()
}

/// Waits until the conversation has an open handoff; returns its id.
async fn handoff_of(app: &TestApp, token: &str, conversation: &str) -> String {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, seen) = app.get(&format!("/v1/conversations/{conversation}"), Some(token)).await;
        if let Some(id) = seen["handoff"]["id"].as_str() {
            return id.to_owned();
        }
        assert!(tokio::time::Instant::now() < deadline, "no handoff: {seen}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_closed_window_takes_only_approved_templates(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let other = app.online_agent("ben@example.com").await;
    let (graph, graph_url) = FakeGraph::start().await;
    graph.approve("order_update", "en_US", ORDER_UPDATE);
    graph.approve("hello", "de", "Hallo! Wir haben eine Antwort für Sie.");
    let templates = json!([
        {"name": "order_update", "language": "en_US", "body": ORDER_UPDATE},
        {"name": "hello", "language": "de", "body": "Hallo! Wir haben eine Antwort für Sie."},
        // Listed in Baton, but never approved at Meta: WhatsApp refuses it.
        {"name": "withdrawn", "language": "en", "body": "This one was withdrawn."},
    ]);
    let bot = default_bot(&app, &admin.token).await;
    let body = json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": settings(&graph_url, templates)});
    let (status, channel) = app.post("/v1/channels", Some(&admin.token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    assert_eq!(channel["settings"]["templates"][0]["name"], "order_update", "templates are not secret");

    // The customer asked for a person 25 hours ago, and nobody answered in time.
    let now = SystemClock.now();
    app.clock.set(now.plus_millis(-25 * 3_600_000));
    customer_says(&app, &channel, "wamid.IN1", "I want to talk to a person").await;
    graph.until("the queue message", |sent| !sent.is_empty()).await;
    let log = deliveries(&app, &admin.token, &channel).await;
    let conversation = log[0]["conversation_id"].as_str().unwrap().to_owned();
    let handoff = handoff_of(&app, &admin.token, &conversation).await;
    app.clock.set(SystemClock.now());
    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);

    // A free reply cannot go out now.
    let messages = format!("/v1/conversations/{conversation}/messages");
    let (status, problem) = app.post(&messages, Some(&agent.token), json!({"text": "Hi, sorry!"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "reply_window_closed", "{problem}");

    // The inbox learns which templates it may send, and how many values each takes.
    let (status, list) =
        app.get(&format!("/v1/conversations/{conversation}/templates"), Some(&agent.token)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let listed: Vec<_> = list["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (t["name"].as_str().unwrap(), t["language"].as_str().unwrap(), t["variables"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(listed, [("order_update", "en_US", 2), ("hello", "de", 0), ("withdrawn", "en", 0)]);

    // Wrong choices change nothing.
    let send = format!("/v1/conversations/{conversation}/template-messages");
    let wrong = [
        (json!({"name": "order_update", "language": "de", "parameters": ["Rosa", "#1042"]}), "template"),
        (json!({"name": "order_update", "language": "en_US", "parameters": ["Rosa"]}), "parameters"),
        (
            json!({"name": "order_update", "language": "en_US", "parameters": ["Rosa", "two\nlines"]}),
            "parameters[1]",
        ),
        (json!({"name": "order_update", "language": "en_US"}), "parameters"),
    ];
    for (body, field) in wrong {
        let (status, problem) = app.post(&send, Some(&agent.token), body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{body}: {problem}");
    }
    let (status, problem) = app.post(&send, Some(&agent.token), json!({"name": "hello"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the language is required: {problem}");
    let choice = json!({"name": "order_update", "language": "en_US", "parameters": ["Rosa", "#1042"],
        "client_id": "tpl-1"});
    let (status, problem) = app.post(&send, Some(&other.token), choice.clone()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("not_owner")), "{problem}");
    let after_wrong = app.messages(conversation.parse().unwrap(), &agent.token).await;
    assert!(!after_wrong.iter().any(|m| m["author"]["kind"] == "user"), "{after_wrong:#?}");

    // The right one goes out as a template; the transcript shows what the customer reads.
    let (status, message) = app.post(&send, Some(&agent.token), choice.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    let filled = "Hi Rosa, there is news about your order #1042. Reply to this message to continue.";
    assert_eq!(message["text"], filled);
    assert_eq!(
        message["template"],
        json!({"name": "order_update", "language": "en_US", "parameters": ["Rosa", "#1042"]})
    );
    let (status, again) = app.post(&send, Some(&agent.token), choice).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &message["id"]), "a repeat is the same message");
    let sent = graph.until("the template", |sent| sent.iter().any(|m| m.template.is_some())).await;
    let template = sent.iter().find(|m| m.template.is_some()).unwrap();
    assert_eq!(template.template, Some(("order_update".to_owned(), "en_US".to_owned())));
    assert_eq!((template.text.as_str(), template.to.as_str()), (filled, CUSTOMER));
    let log = log_until(&app, &admin.token, &channel, |log| {
        log.iter().any(|d| d["message_id"] == message["id"] && d["status"] == "sent")
    })
    .await;
    let entry = log.iter().find(|d| d["message_id"] == message["id"]).unwrap();
    assert_eq!(
        (&entry["text"], &entry["template"]["name"]),
        (&json!(filled), &json!("order_update")),
        "{entry}"
    );

    // A template WhatsApp does not know fails in the send log, with WhatsApp's reason.
    let withdrawn = json!({"name": "withdrawn", "language": "en"});
    let (status, refused) = app.post(&send, Some(&agent.token), withdrawn).await;
    assert_eq!(status, StatusCode::CREATED, "{refused}");
    let log = log_until(&app, &admin.token, &channel, |log| {
        log.iter().any(|d| d["message_id"] == refused["id"] && d["status"] == "failed")
    })
    .await;
    let entry = log.iter().find(|d| d["message_id"] == refused["id"]).unwrap();
    assert!(entry["error"].as_str().unwrap().contains("132001"), "{entry}");
    let sent = graph.sent();
    let templates: Vec<_> = sent.iter().filter(|m| m.template.is_some()).map(|m| m.text.as_str()).collect();
    assert_eq!(templates, [filled], "one template, sent once; the refused one never arrived");
    assert!(
        !sent.iter().any(|m| m.text.contains("Hi, sorry!")),
        "the refused free reply never left: {sent:#?}"
    );

    // When the customer answers, the window opens again and free replies go out.
    customer_says(&app, &channel, "wamid.IN2", "Oh, what news?").await;
    let (status, body) = app.post(&messages, Some(&agent.token), json!({"text": "It has shipped."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    graph.until("the free reply", |sent| sent.iter().any(|m| m.text == "It has shipped.")).await;

    // A conversation in the web widget has no templates.
    let web = app.start_conversation().await;
    let (status, list) =
        app.get(&format!("/v1/conversations/{}/templates", web.id), Some(&agent.token)).await;
    assert_eq!((status, list["templates"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{list}");
    let web_send = format!("/v1/conversations/{}/template-messages", web.id);
    let hello = json!({"name": "hello", "language": "de"});
    let (status, problem) = app.post(&web_send, Some(&agent.token), hello.clone()).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("not_owner")), "{problem}");
    let takeover =
        app.post(&format!("/v1/conversations/{}/takeover", web.id), Some(&agent.token), json!({})).await;
    assert_eq!(takeover.0, StatusCode::OK, "{}", takeover.1);
    let (status, problem) = app.post(&web_send, Some(&agent.token), hello).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("no_templates")), "{problem}");
}

async fn templates_in_the_settings_are_checked(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let bot = default_bot(&app, &admin.token).await;
    let graph_url = "http://127.0.0.1:9";
    let bad = [
        (json!([{"name": "Order Update", "language": "en", "body": "x"}]), "settings.templates[0].name"),
        (json!([{"name": "a", "language": "english", "body": "x"}]), "settings.templates[0].language"),
        (json!([{"name": "a", "language": "en", "body": "Hi {{2}}"}]), "settings.templates[0].body"),
        (
            json!([{"name": "a", "language": "en", "body": "x"}, {"name": "a", "language": "en", "body": "y"}]),
            "settings.templates[1]",
        ),
        (json!([{"name": "a", "language": "en"}]), "settings"),
    ];
    for (templates, field) in bad {
        let body = json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": settings(graph_url, templates.clone())});
        let (status, problem) = app.post("/v1/channels", Some(&admin.token), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{templates}: {problem}");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{templates}: {problem}");
    }
    let (_, channels) = app.get("/v1/channels", Some(&admin.token)).await;
    assert_eq!(channels.as_array().map(Vec::len), Some(0), "nothing was stored: {channels}");

    // A channel read back and written again keeps its templates and its secrets.
    let templates = json!([{"name": "hello", "language": "pt_BR", "body": "Olá {{1}}!"}]);
    let body = json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": settings(graph_url, templates)});
    let (status, channel) = app.post("/v1/channels", Some(&admin.token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    let path = format!("/v1/channels/{}", channel["id"].as_str().unwrap());
    let read_back = json!({"kind": "whatsapp", "bot_id": channel["bot_id"], "name": channel["name"],
        "settings": channel["settings"], "enabled": channel["enabled"]});
    assert_eq!(channel["settings"]["access_token"], "********");
    let (status, saved) = app.put(&path, Some(&admin.token), read_back).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["settings"]["templates"], channel["settings"]["templates"]);
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

async fn files_from_the_team_arrive_as_whatsapp_media(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let (graph, graph_url) = FakeGraph::start().await;
    let bot = default_bot(&app, &admin.token).await;
    let body = json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": settings(&graph_url, json!([]))});
    let (status, channel) = app.post("/v1/channels", Some(&admin.token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    customer_says(&app, &channel, "wamid.IN1", "I want to talk to a person, the box arrived broken").await;
    graph.until("the queue message", |sent| !sent.is_empty()).await;
    let conversation =
        deliveries(&app, &admin.token, &channel).await[0]["conversation_id"].as_str().unwrap().to_owned();
    let handoff = handoff_of(&app, &admin.token, &conversation).await;
    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);

    let picture = app.attach(&agent.token, &conversation, "box.png", "image/png", PNG).await;
    let label = app
        .attach(&agent.token, &conversation, "return%20label.pdf", "application/pdf", b"%PDF-1.4 label")
        .await;
    let sent = graph.until("both files", |sent| sent.iter().filter(|m| m.file.is_some()).count() == 2).await;
    let files: Vec<_> = sent.iter().filter_map(|m| m.file.as_ref()).collect();
    assert_eq!((files[0].kind.as_str(), files[0].mime_type.as_str()), ("image", "image/png"));
    assert_eq!(files[0].bytes, PNG, "the customer gets the picture itself");
    assert_eq!(files[0].filename, None, "a picture goes without a file name");
    assert_eq!(
        (files[1].kind.as_str(), files[1].filename.as_deref()),
        ("document", Some("return label.pdf"))
    );
    assert_eq!(files[1].bytes, b"%PDF-1.4 label");
    assert!(sent.iter().filter(|m| m.file.is_some()).all(|m| m.to == CUSTOMER));
    let log = log_until(&app, &admin.token, &channel, |log| {
        [&picture, &label]
            .iter()
            .all(|m| log.iter().any(|d| d["message_id"] == m["id"] && d["status"] == "sent"))
    })
    .await;
    let entry = log.iter().find(|d| d["message_id"] == label["id"]).unwrap();
    assert_eq!(entry["text"], "return label.pdf", "{entry}");

    // An upload WhatsApp refuses is retried, then sent once.
    graph.fail_next(503, 131000, "Something went wrong");
    let again = app.attach(&agent.token, &conversation, "again.png", "image/png", PNG).await;
    app.clock.advance(Duration::from_secs(6));
    log_until(&app, &admin.token, &channel, |log| {
        log.iter().any(|d| d["message_id"] == again["id"] && d["status"] == "sent" && d["attempts"] == 2)
    })
    .await;
    app.consumers_caught_up().await;
    let files = graph.sent().into_iter().filter(|m| m.file.is_some()).count();
    assert_eq!(files, 3, "the refused upload was sent on its second attempt, once");
}
