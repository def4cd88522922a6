//! Phone calls through the real server: Twilio's calls of a Voice number's webhook, signed as
//! Twilio signs them, answered with TwiML that forwards the caller within office hours or
//! records a voicemail that becomes a ticket.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_twilio::{self, ACCOUNT_SID, AUTH_TOKEN, FakeTwilio};
use crate::helpers::TestApp;
use crate::sms::{CUSTOMER, customer_texts, sms_channel};

crate::on_both_backends!(
    a_call_on_duty_is_forwarded_with_the_last_chat_summary,
    a_call_routed_to_a_team_with_its_own_number_rings_there,
    an_unanswered_call_leaves_a_voicemail_that_becomes_a_ticket,
    calls_not_signed_by_twilio_change_nothing,
);

const FORWARD_TO: &str = "+4930123456";

async fn voice_channel(app: &TestApp, admin: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let settings = json!({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "forward_to": FORWARD_TO});
    let body = json!({"kind": "voice", "bot_id": bot["id"], "name": "Hotline", "settings": settings});
    let (status, channel) = app.post("/v1/channels", Some(admin), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    channel
}

/// Twilio calls the webhook (with `?step=` when given); returns the status and the TwiML.
async fn twilio_calls(
    app: &TestApp,
    channel: &Value,
    step: Option<&str>,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut url = format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap());
    if let Some(step) = step {
        url = format!("{url}?step={step}");
    }
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", fake_twilio::signature(&url, fields))
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn ringing(sid: &str) -> Vec<(&str, &str)> {
    vec![
        ("CallSid", sid),
        ("AccountSid", ACCOUNT_SID),
        ("From", CUSTOMER),
        ("To", "+14155550199"),
        ("CallStatus", "ringing"),
        ("Direction", "inbound"),
    ]
}

/// The handoff of the caller's phone conversation on the channel.
async fn call_view(app: &TestApp, admin: &str, channel: &Value) -> Value {
    let channel_id = channel["id"].as_str().unwrap().parse().unwrap();
    let conversation = app
        .state
        .store
        .channel_conversation(channel_id, &CUSTOMER[1..])
        .await
        .unwrap()
        .expect("the call's conversation");
    let (status, view) = app.get(&format!("/v1/conversations/{}", conversation.id), Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    view
}

async fn a_call_on_duty_is_forwarded_with_the_last_chat_summary(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    app.online_agent("ana@example.com").await;
    // The caller texted earlier about a parcel and asked for a person.
    let (twilio, api_url) = FakeTwilio::start().await;
    let sms = sms_channel(&app, &admin.token, &api_url).await;
    customer_texts(&app, &sms, "SM1", "My parcel 4471 never came, I want to talk to a person").await;
    twilio.until("the queue message", |s| !s.is_empty()).await;
    let channel = voice_channel(&app, &admin.token).await;

    let (status, twiml) = twilio_calls(&app, &channel, None, &ringing("CA1")).await;
    assert_eq!(status, StatusCode::OK, "{twiml}");
    assert!(twiml.contains("<Say>Thank you for calling."), "{twiml}");
    assert!(twiml.contains(&format!(">{FORWARD_TO}</Dial>")) && twiml.contains("step=dialed"), "{twiml}");
    let view = call_view(&app, &admin.token, &channel).await;
    assert_eq!(view["channel"], "voice");
    assert_eq!(view["handoff"]["state"], "queued", "{view}");
    let summary = view["handoff"]["summary"].as_str().unwrap();
    assert!(summary.contains("Their last chat") && summary.contains("4471"), "{summary}");

    // Answered at the forwarded number: nothing is left waiting.
    let mut answered = ringing("CA1");
    answered.push(("DialCallStatus", "completed"));
    let (status, twiml) = twilio_calls(&app, &channel, Some("dialed"), &answered).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("<Hangup/>"), "{twiml}");
    assert_eq!(call_view(&app, &admin.token, &channel).await["state"], "bot");
    app.shutdown().await;
}

async fn a_call_routed_to_a_team_with_its_own_number_rings_there(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let (status, problem) = app
        .post("/v1/teams", Some(&admin.token), json!({"name": "billing", "settings": {"phone": "040 555"}}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("E.164"), "{problem}");
    let team = json!({"name": "billing", "members": [ana.id], "settings": {"phone": "+4940555000"}});
    let (status, team) = app.post("/v1/teams", Some(&admin.token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    assert_eq!(team["settings"]["phone"], "+4940555000", "{team}");
    // The default bot's calls go to billing; the channel's own number is the fallback.
    let (_, bots) = app.get("/v1/bots", Some(&admin.token)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).unwrap().clone();
    let mut settings = bot["settings"].clone();
    settings["policy"]["assignment"]["targets"] = json!({"*": ["team:billing"]});
    let path = format!("/v1/bots/{}", bot["id"].as_str().unwrap());
    let (status, body) =
        app.put(&path, Some(&admin.token), json!({"name": bot["name"], "settings": settings})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let channel = voice_channel(&app, &admin.token).await;

    let (status, twiml) = twilio_calls(&app, &channel, None, &ringing("CA7")).await;
    assert_eq!(status, StatusCode::OK, "{twiml}");
    assert!(twiml.contains(">+4940555000</Dial>") && !twiml.contains(FORWARD_TO), "{twiml}");
    app.shutdown().await;
}

async fn an_unanswered_call_leaves_a_voicemail_that_becomes_a_ticket(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let channel = voice_channel(&app, &admin.token).await;

    // Forwarded, but nobody picks up: the caller is asked for a voicemail.
    let (_, twiml) = twilio_calls(&app, &channel, None, &ringing("CA2")).await;
    assert!(twiml.contains("<Dial"), "{twiml}");
    let mut missed = ringing("CA2");
    missed.push(("DialCallStatus", "no-answer"));
    let (status, twiml) = twilio_calls(&app, &channel, Some("dialed"), &missed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("<Record") && twiml.contains("step=voicemail"), "{twiml}");
    let recording = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE123";
    let mut left = ringing("CA2");
    left.extend([("RecordingUrl", recording), ("RecordingDuration", "35")]);
    let (status, twiml) = twilio_calls(&app, &channel, Some("voicemail"), &left).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("Goodbye"), "{twiml}");

    let view = call_view(&app, &admin.token, &channel).await;
    assert_eq!(view["handoff"]["state"], "ticket", "{view}");
    let conversation = view["id"].as_str().unwrap().to_owned();
    let messages = app.messages(conversation.parse().unwrap(), &admin.token).await;
    assert!(messages.iter().any(|m| m["text"] == format!("Voicemail (35 s): {recording}")), "{messages:#?}");

    // Ana takes the ticket; a text to a phone call cannot be sent, and she is told why.
    let handoff = view["handoff"]["id"].as_str().unwrap();
    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let (status, problem) = app
        .post(&format!("/v1/conversations/{conversation}/messages"), Some(&ana.token), json!({"text": "Hi"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "no_text_channel");
    app.shutdown().await;
}

async fn calls_not_signed_by_twilio_change_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let channel = voice_channel(&app, &admin.token).await;
    let url = format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap());
    let fields = ringing("CA3");
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", fake_twilio::signature("https://elsewhere.example/", &fields))
        .body(serde_urlencoded::to_string(&fields).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A withheld number is told so, politely, and nothing is kept.
    let withheld =
        [("CallSid", "CA4"), ("From", "anonymous"), ("To", "+14155550199"), ("CallStatus", "ringing")];
    let (status, twiml) = twilio_calls(&app, &channel, None, &withheld).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("withheld number") && twiml.contains("<Hangup/>"), "{twiml}");

    // The refusal is decided before anything is read: no conversation was started.
    let channel_id = channel["id"].as_str().unwrap().parse().unwrap();
    assert!(app.state.store.channel_conversation(channel_id, &CUSTOMER[1..]).await.unwrap().is_none());
    app.shutdown().await;
}
