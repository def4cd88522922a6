//! Slack for the team, through the real server: a handoff is posted to the team's Slack
//! channel as a thread (a local Web API, `fake_slack`), claimed with its button and answered
//! from the thread through signed calls to the channel's webhook, and the customer's messages
//! show in the thread.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::fake_slack::{self, BOT_TOKEN, CHANNEL, FakeSlack, SIGNING_SECRET};
use crate::helpers::{PATIENCE, TestApp};

crate::on_both_backends!(
    a_handoff_is_claimed_and_answered_from_its_slack_thread,
    slack_calls_that_are_not_slack_s_change_nothing,
    a_rate_limited_slack_is_tried_again_and_a_restart_posts_the_handoff_once,
);

async fn slack_channel(app: &TestApp, admin: &str, api_url: &str) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let settings = json!({"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "channel": CHANNEL, "api_url": api_url});
    let body = json!({"kind": "slack", "bot_id": bot["id"], "name": "#support", "settings": settings});
    let (status, channel) = app.post("/v1/channels", Some(admin), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    assert_eq!(channel["settings"]["signing_secret"], "********");
    channel
}

/// A call from Slack: signed now (or as `signature` says), as a form or JSON.
async fn slack_calls(
    app: &TestApp,
    channel: &Value,
    body: String,
    form: bool,
    signature: Option<String>,
) -> (StatusCode, String) {
    let timestamp = app.state.now().as_unix_seconds();
    let signed = signature.unwrap_or_else(|| fake_slack::signature(timestamp, &body));
    let response = reqwest::Client::new()
        .post(format!("{}/v1/channels/{}/webhook", app.base, channel["id"].as_str().unwrap()))
        .header("content-type", if form { "application/x-www-form-urlencoded" } else { "application/json" })
        .header("x-slack-request-timestamp", timestamp.to_string())
        .header("x-slack-signature", signed)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

fn click_claim(slack_user: &str, handoff: &str) -> String {
    let payload = json!({"type": "block_actions", "user": {"id": slack_user, "username": "someone"},
        "actions": [{"action_id": "claim", "value": handoff, "type": "button"}], "channel": {"id": CHANNEL}});
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

fn thread_reply(slack_user: &str, thread_ts: &str, text: &str, event: &str) -> String {
    json!({"type": "event_callback", "event_id": event, "event": {"type": "message", "channel": CHANNEL,
        "user": slack_user, "text": text, "ts": "1700000100.000001", "thread_ts": thread_ts}})
    .to_string()
}

async fn a_handoff_is_claimed_and_answered_from_its_slack_thread(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let (slack, api_url) = FakeSlack::start().await;
    slack.user("U_ANA", "ana@example.com");
    slack.user("U_STRANGER", "someone@elsewhere.example");
    let channel = slack_channel(&app, &admin.token, &api_url).await;

    // Slack checks the events URL first.
    let (status, challenge) = slack_calls(
        &app,
        &channel,
        json!({"type": "url_verification", "challenge": "3eZbrw1a"}).to_string(),
        false,
        None,
    )
    .await;
    assert_eq!((status, challenge.as_str()), (StatusCode::OK, "3eZbrw1a"));

    // A customer asks for a person: the handoff is posted with a Claim button.
    let contact = app.open_conversation(json!({"contact": {"name": "Rosa"}})).await;
    app.say(&contact, "My parcel 4471 never came").await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let posted = slack.until("the handoff", |p| !p.is_empty()).await;
    let root = &posted[0];
    let ts = root.ts.clone().unwrap();
    assert!(root.body["text"].as_str().unwrap().contains("Rosa"), "{:#}", root.body);
    let blocks = root.body["blocks"].to_string();
    assert!(blocks.contains(&handoff) && blocks.contains("\"claim\""), "{blocks}");
    assert!(root.body["thread_ts"].is_null());

    // The customer's messages show in the thread.
    app.say(&contact, "Hello? Anyone?").await;
    slack
        .until("the customer's message", |p| {
            p.iter().any(|m| {
                m.body["thread_ts"] == ts.as_str()
                    && m.body["text"].as_str().unwrap().contains("Hello? Anyone?")
            })
        })
        .await;

    // Someone without a Baton account is told so, and nothing changes.
    let (status, _) = slack_calls(&app, &channel, click_claim("U_STRANGER", &handoff), true, None).await;
    assert_eq!(status, StatusCode::OK);
    slack
        .until("the refusal", |p| {
            p.iter().any(|m| m.body["text"].as_str().is_some_and(|t| t.contains("no Baton account")))
        })
        .await;
    assert_eq!(app.handoff(&handoff, &admin.token).await["state"], "queued");

    // Ana claims it from Slack: the chat is hers, and the post says so.
    let (status, body) = slack_calls(&app, &channel, click_claim("U_ANA", &handoff), true, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let claimed = app.handoff(&handoff, &admin.token).await;
    assert_eq!(
        (claimed["state"].as_str(), claimed["assignee"]["id"].as_str()),
        (Some("live"), Some(ana.id.as_str()))
    );
    slack
        .until("the updated post", |p| {
            p.iter().any(|m| {
                m.method == "chat.update"
                    && m.body["ts"] == ts.as_str()
                    && m.body["blocks"].to_string().contains("Claimed by")
            })
        })
        .await;

    // Her reply in the thread reaches the customer, once, and is not posted back.
    for _ in 0..2 {
        let (status, _) = slack_calls(
            &app,
            &channel,
            thread_reply("U_ANA", &ts, "Hi Rosa, I'm looking into it.", "Ev01"),
            false,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let messages = app.messages(contact.id, &contact.token).await;
        let replies = messages.iter().filter(|m| m["text"] == "Hi Rosa, I'm looking into it.").count();
        if replies == 1 {
            let reply = messages.iter().find(|m| m["text"] == "Hi Rosa, I'm looking into it.").unwrap();
            assert_eq!(reply["author"]["kind"], "user");
            break;
        }
        assert!(replies < 2 && tokio::time::Instant::now() < deadline, "{messages:#?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    // A reply from the inbox shows in the thread too.
    let inbox_reply = json!({"text": "Found it: it is at the depot."});
    let (status, _) =
        app.post(&format!("/v1/conversations/{}/messages", contact.id), Some(&ana.token), inbox_reply).await;
    assert_eq!(status, StatusCode::CREATED);
    slack
        .until("the inbox reply", |p| {
            p.iter().any(|m| m.body["text"].as_str().is_some_and(|t| t.contains("at the depot")))
        })
        .await;
    app.consumers_caught_up().await;
    let echoed = slack
        .posted()
        .iter()
        .filter(|m| m.body["text"].as_str().is_some_and(|t| t.contains("I'm looking into it")))
        .count();
    assert_eq!(echoed, 0, "a reply written in Slack is not posted back");

    let close = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&ana.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    slack
        .until("the closed post", |p| {
            p.iter().any(|m| m.method == "chat.update" && m.body["blocks"].to_string().contains("Closed"))
        })
        .await;
    app.shutdown().await;
}

async fn slack_calls_that_are_not_slack_s_change_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    app.online_agent("ana@example.com").await;
    let (slack, api_url) = FakeSlack::start().await;
    slack.user("U_ANA", "ana@example.com");
    let channel = slack_channel(&app, &admin.token, &api_url).await;
    let contact = app.open_conversation(json!({"contact": {"name": "Rosa"}})).await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    slack.until("the handoff", |p| !p.is_empty()).await;

    // Signed with another secret, signed five minutes too early, or not at all.
    let body = click_claim("U_ANA", &handoff);
    let now = app.state.now().as_unix_seconds();
    let wrong = {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"another secret").unwrap();
        mac.update(format!("v0:{now}:{body}").as_bytes());
        format!("v0={}", mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>())
    };
    for signature in [wrong, fake_slack::signature(now - 600, &body), String::new()] {
        let (status, answer) = slack_calls(&app, &channel, body.clone(), true, Some(signature)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    }
    let (status, answer) = slack_calls(&app, &channel, "{not json".into(), false, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(app.handoff(&handoff, &admin.token).await["state"], "queued", "nobody claimed it");
    app.shutdown().await;
}

async fn a_rate_limited_slack_is_tried_again_and_a_restart_posts_the_handoff_once(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let _ana = app.online_agent("ana@example.com").await;
    let (slack, api_url) = FakeSlack::start().await;
    slack_channel(&app, &admin.token, &api_url).await;
    slack.rate_limit();
    let contact = app.open_conversation(json!({"contact": {"name": "Rosa"}})).await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();

    // Slack turns the post away (429, Retry-After): Baton keeps trying, nothing is posted.
    let turned_away = |at_least: u32| {
        let slack = slack.clone();
        async move {
            let deadline = tokio::time::Instant::now() + PATIENCE;
            while slack.turned_away() < at_least {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "Baton stopped trying: {}",
                    slack.turned_away()
                );
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    turned_away(2).await;
    assert!(slack.posted().is_empty(), "{:#?}", slack.posted());

    // A restart while Slack still refuses loses nothing: it is tried again, and posted once
    // the limit lifts.
    let app = app.restart().await;
    turned_away(slack.turned_away() + 1).await;
    slack.lift_rate_limit();
    let is_root = |m: &fake_slack::Posted| {
        m.method == "chat.postMessage"
            && m.body["thread_ts"].is_null()
            && m.body["blocks"].to_string().contains(&handoff)
    };
    slack.until("the handoff, once the limit lifted", |posted| posted.iter().any(is_root)).await;
    // Once the consumers have taken every event, the handoff's thread exists once.
    app.consumers_caught_up().await;
    let roots = slack.posted().iter().filter(|m| is_root(m)).count();
    assert_eq!(roots, 1, "posted once: {:#?}", slack.posted());
}
