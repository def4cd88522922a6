//! Waiting for a human: what the contact is told (availability, place in line, expected
//! wait), and what happens when nobody accepts in time, across a restart too.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};
use crate::routing::{act, assignee};

crate::on_both_backends!(
    settings = crate::helpers::steady_presence;
    a_waiting_contact_is_told_their_place_and_the_expected_wait,
    the_no_accept_timeout_survives_a_restart_and_hands_back_to_the_bot,
    the_no_accept_timeout_survives_a_restart_and_goes_offline,
    nobody_accepting_widens_to_the_fallback_targets_once,
    a_contact_silent_while_details_are_gathered_is_not_left_waiting,
    places_count_everyone_waiting_for_the_same_people,
);

/// The texts of the system messages in `contact`'s transcript, in order.
pub async fn system_lines(app: &TestApp, contact: &Contact) -> Vec<String> {
    app.messages(contact.id, &contact.token)
        .await
        .iter()
        .filter(|m| m["author"]["kind"] == "system")
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

/// Whether the last system messages are the offline message and the lead prompt.
pub async fn told_offline(app: &TestApp, contact: &Contact) -> bool {
    let english = baton_core::catalog::messages("en");
    system_lines(app, contact).await.ends_with(&[english.offline, english.lead_prompt])
}

/// Whether the contact was told, truthfully, that nobody took the chat in time (and not that
/// the team is offline), then offered to leave their details.
pub async fn told_nobody_in_time(app: &TestApp, contact: &Contact) -> bool {
    let english = baton_core::catalog::messages("en");
    let lines = system_lines(app, contact).await;
    lines.ends_with(&[english.nobody_in_time, english.lead_prompt]) && !lines.contains(&english.offline)
}

async fn a_waiting_contact_is_told_their_place_and_the_expected_wait(app: TestApp) {
    let bot = app.bot_with_policy(json!({})).await;
    let contacts = [
        app.conversation_with(&bot).await,
        app.conversation_with(&bot).await,
        app.conversation_with(&bot).await,
    ];
    let availability = app.conversation(&contacts[0]).await["availability"].clone();
    assert_eq!(availability["humans_available"], false, "nobody is online: {availability}");
    assert!(availability["expected_reply_seconds"].is_null(), "{availability}");
    assert!(availability["next_open_at"].is_null(), "no office hours to wait for: {availability}");

    let agent = app.online_agent("ana@example.com").await;
    let conversation = app.conversation(&contacts[0]).await;
    let availability = &conversation["availability"];
    assert_eq!(availability["humans_available"], true, "{availability}");
    assert_eq!(availability["expected_reply_seconds"], 120, "two minutes before anything is measured");
    assert!(availability["next_open_at"].is_null(), "{availability}");
    assert!(conversation["queue"].is_null(), "no handoff yet: {conversation}");

    let mut widget = app.contact_socket(&contacts[2], 0).await;
    let mut handoffs = Vec::new();
    for contact in &contacts {
        handoffs.push(app.ask_for_human(contact).await["id"].as_str().unwrap().to_owned());
    }
    let update = widget.until("handoff.queue_updated", |_| true).await;
    assert_eq!(update["handoff_id"], handoffs[2].as_str(), "{update}");
    assert_eq!(update["conversation_id"], contacts[2].id.to_string());
    assert_eq!(
        (update["position"].clone(), update["eta_seconds"].clone()),
        (json!(3), json!(360)),
        "{update}"
    );
    let third = app.conversation(&contacts[2]).await;
    assert_eq!(third["queue"], json!({"position": 3, "eta_seconds": 360}), "{third}");
    assert_eq!(third["availability"]["expected_reply_seconds"], 360, "{third}");
    assert_eq!(app.conversation(&contacts[0]).await["queue"], json!({"position": 1, "eta_seconds": 120}));
    let told = system_lines(&app, &contacts[2]).await;
    let place = "You're number 3 in line; the expected wait is about 6 min.";
    assert_eq!(told.iter().filter(|line| *line == place).count(), 1, "{told:?}");

    // The two ahead are taken: the third contact is next.
    for handoff in &handoffs[..2] {
        let (status, claimed) = act(&app, &agent, handoff, "claim").await;
        assert_eq!(status, StatusCode::OK, "{claimed}");
    }
    // Both the update and the line come, in either order.
    let next = "You're next in line; someone will be with you in a moment.";
    let (mut update, mut told_next) = (None, false);
    while update.is_none() || !told_next {
        match widget.next().await {
            (kind, data) if kind == "handoff.queue_updated" && data["position"] == 1 => update = Some(data),
            (kind, data) if kind == "message.created" && data["text"] == next => told_next = true,
            _ => {}
        }
    }
    assert_eq!(update.unwrap()["eta_seconds"], 120);
    assert_eq!(app.conversation(&contacts[2]).await["queue"], json!({"position": 1, "eta_seconds": 120}));
    assert!(app.conversation(&contacts[0]).await["queue"].is_null(), "no longer queued");
    let told = system_lines(&app, &contacts[2]).await;
    assert_eq!(told.iter().filter(|line| *line == next).count(), 1, "{told:?}");
    assert_eq!(told.iter().filter(|line| line.starts_with("You're number")).count(), 1, "{told:?}");
    app.shutdown().await;
}

/// A handoff queued with a two-minute no-accept timeout and `fallback`, the server restarted
/// half-way; returns the restarted app once the timeout has passed, and the contact.
async fn timeout_across_a_restart(app: TestApp, fallback: &str) -> (TestApp, Contact, String) {
    let bot = app.bot_with_policy(json!({"waiting": {"timeout_seconds": 120, "fallback": fallback}})).await;
    let agent = app.online_agent("ana@example.com").await;
    let contact = app.conversation_with(&bot).await;
    let handoff = app.ask_for_human(&contact).await;
    assert_eq!(handoff["state"], "queued", "{handoff}");
    app.later(Duration::from_secs(60)).await;
    assert_eq!(app.conversation(&contact).await["state"], "queued");

    let app = app.restart().await;
    app.later(Duration::from_secs(59)).await;
    assert_eq!(app.conversation(&contact).await["state"], "queued", "119 s: not yet");
    app.later(Duration::from_secs(2)).await;
    let (status, me) = app.get("/v1/me/status", Some(&agent.token)).await;
    assert_eq!((status, me["status"].clone()), (StatusCode::OK, json!("online")), "still online: {me}");
    (app, contact, handoff["id"].as_str().unwrap().to_owned())
}

async fn the_no_accept_timeout_survives_a_restart_and_hands_back_to_the_bot(app: TestApp) {
    let (app, contact, id) = timeout_across_a_restart(app, "bot").await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let handoff = app.handoff(&id, &admin.token).await;
    assert_eq!(handoff["state"], "closed", "{handoff}");
    assert_eq!(handoff["feedback_requested"], false);
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    assert_eq!(conversation["owner"]["kind"], "bot");
    let messages = app.messages(contact.id, &contact.token).await;
    let last = messages.last().unwrap();
    assert_eq!(last["author"]["kind"], "bot", "{messages:?}");
    assert!(
        last["text"]
            .as_str()
            .unwrap()
            .starts_with("Sorry, nobody from our team could take your conversation"),
        "{last}"
    );
    app.shutdown().await;
}

async fn the_no_accept_timeout_survives_a_restart_and_goes_offline(app: TestApp) {
    let (app, contact, _) = timeout_across_a_restart(app, "offline").await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "offline", "{conversation}");
    assert!(told_nobody_in_time(&app, &contact).await, "{:?}", system_lines(&app, &contact).await);
    app.shutdown().await;
}

async fn nobody_accepting_widens_to_the_fallback_targets_once(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let fay = app.online_agent("fay@example.com").await;
    let sam = app.online_agent("sam@example.com").await;
    for (name, member) in [("first", &fay), ("support", &sam)] {
        let (status, team) =
            app.post("/v1/teams", Some(&admin.token), json!({"name": name, "members": [member.id]})).await;
        assert_eq!(status, StatusCode::CREATED, "{team}");
    }
    let bot = app
        .bot_with_policy(json!({
            "assignment": {"targets": {"*": ["team:first"]}, "strategy": "round_robin", "offer_ttl_seconds": 3600},
            "waiting": {"timeout_seconds": 60, "fallback": {"widen": ["team:support"]}},
        }))
        .await;
    let contact = app.conversation_with(&bot).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let offered = |handoff: &Value, to: &str| handoff["state"] == "offered" && assignee(handoff) == to;
    let handoff = app.handoff(&id, &admin.token).await;
    assert!(offered(&handoff, &fay.id), "{handoff}");

    app.later(Duration::from_secs(59)).await;
    let handoff = app.handoff(&id, &admin.token).await;
    assert!(offered(&handoff, &fay.id), "not yet: {handoff}");
    app.later(Duration::from_secs(2)).await;
    let handoff = app.handoff(&id, &admin.token).await;
    assert!(offered(&handoff, &sam.id), "widened to support: {handoff}");
    assert_eq!(handoff["widened"], true);
    assert_eq!(handoff["targets"], json!(["team:support"]));

    // Widened once only: the next timeout goes offline.
    app.later(Duration::from_secs(61)).await;
    assert_eq!(app.conversation(&contact).await["state"], "offline");
    assert!(told_nobody_in_time(&app, &contact).await, "{:?}", system_lines(&app, &contact).await);
    app.shutdown().await;
}

async fn a_contact_silent_while_details_are_gathered_is_not_left_waiting(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    app.online_agent("ana@example.com").await;
    let bot = app
        .bot_with_policy(json!({
            "waiting": {"timeout_seconds": 120},
            "gather": [{"key": "order", "label": "order number", "kind": "number", "required": true}],
        }))
        .await;
    let contact = app.conversation_with(&bot).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    assert_eq!(app.handoff(&id, &admin.token).await["state"], "gathering");
    app.later(Duration::from_secs(119)).await;
    assert_eq!(app.handoff(&id, &admin.token).await["state"], "gathering", "not yet");
    app.later(Duration::from_secs(2)).await;
    let handoff = app.handoff(&id, &admin.token).await;
    assert_eq!(handoff["state"], "closed", "ended by the timeout: {handoff}");
    assert_eq!(app.conversation(&contact).await["state"], "bot");
    let (_, open) = app.get("/v1/handoffs", Some(&admin.token)).await;
    assert!(!open.to_string().contains(&id), "no longer waiting: {open}");
    app.shutdown().await;
}

async fn places_count_everyone_waiting_for_the_same_people(app: TestApp) {
    // One agent who answers every language, busy with a chat of her own at capacity 1.
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let path = format!("/v1/users/{}/routing", ana.id);
    assert_eq!(app.put(&path, Some(&admin.token), json!({"capacity": 1})).await.0, StatusCode::OK);
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let busy = app.open_conversation(json!({"bot_id": bot, "locale": "en"})).await;
    let id = app.ask_for_human(&busy).await["id"].as_str().unwrap().to_owned();
    assert_eq!(act(&app, &ana, &id, "accept").await.0, StatusCode::OK);

    let mut waiting = Vec::new();
    for locale in ["en-GB", "es-ES", "zh-CN"] {
        let contact = app.open_conversation(json!({"bot_id": bot, "locale": locale})).await;
        let handoff = app.ask_for_human(&contact).await;
        assert_eq!(handoff["state"], "queued", "{handoff}");
        waiting.push((contact, handoff["id"].as_str().unwrap().to_owned()));
    }
    let (_, listed) = app.get("/v1/handoffs?state=queued", Some(&ana.token)).await;
    for (place, (contact, id)) in waiting.iter().enumerate() {
        let shown = app.contact_view(contact).await;
        assert_eq!(shown["queue"]["position"], place + 1, "{shown}");
        assert_eq!(listed["places"][id]["position"], place + 1, "the inbox shows the same: {listed}");
        let told = system_lines(&app, contact).await;
        let expected = [
            format!("number {} in line", place + 1),
            format!("número {} en la cola", place + 1),
            format!("第 {} 位", place + 1),
        ];
        assert!(told.iter().any(|line| line.contains(&expected[place])), "{} in {told:?}", expected[place]);
    }
    app.shutdown().await;
}
