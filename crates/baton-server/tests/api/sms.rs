//! SMS through the real server: a Twilio channel made over the API, texts signed as Twilio
//! signs them and POSTed as forms to its webhook, and every answer sent to a local Messages
//! API (`fake_twilio`) that checks what Twilio's documentation asks of a request.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_twilio::{self, ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio};
use crate::helpers::{PATIENCE, TestApp};
use crate::whatsapp::{deliveries, log_until};

crate::on_both_backends!(
    settings = |settings| settings.channels.retry_schedule_seconds = vec![5, 60];
    a_texting_customer_reaches_a_person_and_rates_them,
    texts_not_signed_by_twilio_change_nothing,
    a_rate_limited_text_is_retried_after_a_restart,
);

pub(crate) const CUSTOMER: &str = "+4915112345678";

pub(crate) async fn sms_channel(app: &TestApp, admin: &str, api_url: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let settings =
        json!({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from": FROM, "api_url": api_url});
    let (status, channel) = app
        .post("/v1/channels", Some(admin), json!({"kind": "sms", "bot_id": bot["id"], "settings": settings}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    assert_eq!(channel["settings"]["auth_token"], "********");
    channel
}

/// POSTs `fields` as Twilio would, signed with `signature` (the right one when `None`).
async fn twilio_calls(
    app: &TestApp,
    channel: &Value,
    fields: &[(&str, &str)],
    signature: Option<&str>,
) -> (StatusCode, String, String) {
    let url = format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap());
    let signed = signature.map_or_else(|| fake_twilio::signature(&url, fields), str::to_owned);
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", signed)
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let kind =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

pub(crate) async fn customer_texts(app: &TestApp, channel: &Value, sid: &str, text: &str) {
    let fields = [
        ("MessageSid", sid),
        ("AccountSid", ACCOUNT_SID),
        ("From", CUSTOMER),
        ("To", FROM),
        ("Body", text),
        ("NumMedia", "0"),
        ("SmsStatus", "received"),
    ];
    let (status, kind, body) = twilio_calls(app, channel, &fields, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(kind.starts_with("text/xml") && body.contains("<Response>"), "{kind}: {body}");
}

async fn a_texting_customer_reaches_a_person_and_rates_them(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let (twilio, api_url) = FakeTwilio::start().await;
    let channel = sms_channel(&app, &admin.token, &api_url).await;

    customer_texts(&app, &channel, "SM_in_1", "Hi, where is my order?").await;
    let sent = twilio.until("the bot's answer", |s| !s.is_empty()).await;
    assert_eq!((sent[0].to.as_str(), sent[0].from.as_str()), (CUSTOMER, FROM));
    assert_eq!(
        sent[0].status_callback,
        channel["webhook_url"].as_str().unwrap(),
        "statuses come back to the channel"
    );
    let entries =
        log_until(&app, &admin.token, &channel, |l| l.first().is_some_and(|d| d["status"] == "sent")).await;
    let conversation = entries[0]["conversation_id"].as_str().unwrap().to_owned();
    let (_, view) = app.get(&format!("/v1/conversations/{conversation}"), Some(&admin.token)).await;
    assert_eq!(
        (view["channel"].as_str(), view["channel_address"].as_str()),
        (Some("sms"), Some(&CUSTOMER[1..]))
    );
    assert!(view["reply_window_closes_at"].is_null(), "SMS has no reply window");

    // Twilio reports the first answer delivered.
    let fields =
        [("MessageSid", sent[0].sid.as_str()), ("MessageStatus", "delivered"), ("AccountSid", ACCOUNT_SID)];
    let (status, _, _) = twilio_calls(&app, &channel, &fields, None).await;
    assert_eq!(status, StatusCode::OK);
    let entries = deliveries(&app, &admin.token, &channel).await;
    assert_eq!(entries.last().unwrap()["status"], "delivered", "{entries:#?}");

    customer_texts(&app, &channel, "SM_in_2", "Can I talk to a person please?").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let handoff = loop {
        let (_, view) = app.get(&format!("/v1/conversations/{conversation}"), Some(&admin.token)).await;
        if let Some(id) = view["handoff"]["id"].as_str() {
            break id.to_owned();
        }
        assert!(tokio::time::Instant::now() < deadline, "no handoff: {view}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    twilio.until("who joined", |s| s.iter().any(|m| m.body.contains("joined"))).await;

    // A long answer goes as several texts, cut between words, none past Twilio's limit.
    let long =
        format!("Here is everything about your order. {}", "The parcel left our warehouse. ".repeat(110));
    let before = twilio.sent().len();
    let (status, body) = app
        .post(
            &format!("/v1/conversations/{conversation}/messages"),
            Some(&agent.token),
            json!({"text": long}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sent = twilio.until("the long answer", |s| s.len() >= before + 3).await;
    let parts: Vec<&str> = sent[before..].iter().map(|m| m.body.as_str()).collect();
    assert!(parts.iter().all(|p| p.chars().count() <= 1600), "{parts:?}");
    assert_eq!(parts.join(" "), long.trim());
    // Plain text packs 160 characters in one SMS and 153 in each part of a longer one.
    let charged: usize = parts.iter().map(|p| if p.len() <= 160 { 1 } else { p.len().div_ceil(153) }).sum();
    let entries =
        log_until(&app, &admin.token, &channel, |l| l.iter().any(|d| d["text"] == long.as_str())).await;
    let entry = entries.iter().find(|d| d["text"] == long.as_str()).unwrap();
    assert_eq!(entry["sms_segments"].as_u64(), Some(charged as u64), "{entry}");

    let close = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    twilio
        .until("the request for a rating", |s| s.iter().any(|m| m.body.contains('5') && m.body.contains('1')))
        .await;
    customer_texts(&app, &channel, "SM_in_3", "4").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.handoff(&handoff, &admin.token).await["rating"] != 4 {
        assert!(tokio::time::Instant::now() < deadline, "the typed rating was not recorded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.shutdown().await;
}

async fn texts_not_signed_by_twilio_change_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (twilio, api_url) = FakeTwilio::start().await;
    let channel = sms_channel(&app, &admin.token, &api_url).await;
    let fields = [("MessageSid", "SM_x"), ("From", CUSTOMER), ("To", FROM), ("Body", "hello")];
    let url = format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap());

    // Signed for other words, for another URL, or not at all.
    let other_words =
        fake_twilio::signature(&url, &[("MessageSid", "SM_x"), ("From", CUSTOMER), ("Body", "bye")]);
    let other_url = fake_twilio::signature("https://elsewhere.example/hook", &fields);
    for signature in [other_words.as_str(), other_url.as_str(), ""] {
        let (status, _, body) = twilio_calls(&app, &channel, &fields, Some(signature)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body.contains("bad_signature"), "{body}");
    }
    // Signed, but not a message Baton can read.
    let (status, _, body) =
        twilio_calls(&app, &channel, &[("From", CUSTOMER), ("Body", "hello")], None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Meta's verification is WhatsApp's alone.
    let verify =
        reqwest::get(format!("{url}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1")).await.unwrap();
    assert_eq!(verify.status(), StatusCode::NOT_FOUND);

    let (_, found) = app.get("/v1/conversations?query=hello", Some(&admin.token)).await;
    assert_eq!(found["conversations"].as_array().map(Vec::len), Some(0), "{found}");
    app.consumers_caught_up().await;
    assert!(twilio.sent().is_empty());
    app.shutdown().await;
}

async fn a_rate_limited_text_is_retried_after_a_restart(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (twilio, api_url) = FakeTwilio::start().await;
    let channel = sms_channel(&app, &admin.token, &api_url).await;
    twilio.fail_next(429, 20429, "Too Many Requests");
    customer_texts(&app, &channel, "SM_in_1", "Hello?").await;
    let entries =
        log_until(&app, &admin.token, &channel, |l| l.first().is_some_and(|d| d["attempts"] == 1)).await;
    assert_eq!(entries[0]["status"], "pending", "{}", entries[0]);
    assert!(entries[0]["error"].as_str().unwrap().contains("20429"), "{}", entries[0]);

    let app = app.restart().await;
    app.clock.advance(Duration::from_secs(6));
    baton_server::channels::sender::send_due(&app.state).await.unwrap();
    twilio.until("the retry after the restart", |s| s.len() == 1).await;
    let entries = log_until(&app, &admin.token, &channel, |l| l[0]["status"] == "sent").await;
    assert_eq!(entries[0]["attempts"], 2);

    // A refusal that retrying cannot fix (an unreachable number) fails at once.
    twilio.fail_next(400, 21211, "The 'To' number is not a valid phone number.");
    customer_texts(&app, &channel, "SM_in_2", "Are you there?").await;
    let entries =
        log_until(&app, &admin.token, &channel, |l| l.len() >= 2 && l[0]["status"] == "failed").await;
    assert!(entries[0]["error"].as_str().unwrap().contains("21211"), "{}", entries[0]);
    app.shutdown().await;
}
