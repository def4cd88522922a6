//! Who sees and acts on what: agents within their routes, admins everywhere, contacts only
//! their own view; and two moves of one chat at once.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Agent, TestApp};
use crate::routing::act;

crate::on_both_backends!(
    agents_see_and_act_only_within_their_routes,
    the_inbox_socket_carries_only_what_the_agent_may_see,
    inbox_sockets_follow_a_chat_transferred_to_another_team,
    users_cannot_speak_for_the_contact,
    the_contact_sees_only_what_is_theirs,
    of_two_simultaneous_transfers_exactly_one_wins,
);

/// Two teams, each with one online agent, and a bot that routes to `sales` only.
async fn two_teams(app: &TestApp) -> (Agent, Agent, Agent, String) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let sam = app.online_agent("sam@example.com").await;
    let tess = app.online_agent("tess@example.com").await;
    for (name, member) in [("sales", &sam), ("tech", &tess)] {
        let team = json!({"name": name, "members": [member.id]});
        let (status, body) = app.post("/v1/teams", Some(&admin.token), team).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let bot = app.bot_with_policy(json!({"assignment": {"targets": {"*": ["team:sales"]}}})).await;
    (admin, sam, tess, bot)
}

fn ids(list: &Value) -> Vec<&str> {
    list["handoffs"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect()
}

async fn agents_see_and_act_only_within_their_routes(app: TestApp) {
    let (admin, sam, tess, bot) = two_teams(&app).await;
    let contact = app.conversation_with(&bot).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let conversation = format!("/v1/conversations/{}", contact.id);

    // Tess (tech) sees none of it and can do nothing with it.
    let (_, list) = app.get("/v1/handoffs", Some(&tess.token)).await;
    assert!(!ids(&list).contains(&id.as_str()), "{list}");
    let (status, _) = app.get(&format!("/v1/handoffs/{id}"), Some(&tess.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for action in ["claim", "close"] {
        let (status, body) = act(&app, &tess, &id, action).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}: {body}");
    }
    for path in [conversation.clone(), format!("{conversation}/messages")] {
        let (status, body) = app.get(&path, Some(&tess.token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(body["code"], "not_yours", "{body}");
    }
    for (path, body) in [
        (format!("{conversation}/notes"), json!({"text": "peeking"})),
        (format!("{conversation}/takeover"), json!({})),
        (format!("{conversation}/messages"), json!({"text": "hello"})),
    ] {
        let (status, answer) = app.post(&path, Some(&tess.token), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
    }
    let handoff = app.handoff(&id, &admin.token).await;
    assert_eq!(handoff["state"], "queued", "nothing changed: {handoff}");
    let messages = app.messages(contact.id, &admin.token).await;
    assert!(messages.iter().all(|m| m["text"] != "peeking"), "{messages:?}");

    // Sam (sales) and the admin see it; Sam takes it, writes a note, and closes it.
    for who in [&sam, &admin] {
        let (_, list) = app.get("/v1/handoffs", Some(&who.token)).await;
        assert!(ids(&list).contains(&id.as_str()), "{list}");
        let (status, _) = app.get(&conversation, Some(&who.token)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = act(&app, &sam, &id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        app.post(&format!("{conversation}/notes"), Some(&sam.token), json!({"text": "ok"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Transferred to Tess, it is hers to see and to close.
    let (status, body) = app
        .post(
            &format!("/v1/handoffs/{id}/transfer"),
            Some(&sam.token),
            json!({"to": "user:tess@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.get(&conversation, Some(&tess.token)).await;
    assert_eq!(status, StatusCode::OK, "transferred to her");
    let (status, body) = act(&app, &tess, &id, "close").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, closed) = app.get("/v1/handoffs?state=closed", Some(&tess.token)).await;
    assert!(ids(&closed).contains(&id.as_str()), "her closed chat: {closed}");

    // Moved to the tech team's queue, a sales chat leaves the view of sales, whole.
    let moved = app.conversation_with(&bot).await;
    let moved_id = app.ask_for_human(&moved).await["id"].as_str().unwrap().to_owned();
    assert_eq!(act(&app, &sam, &moved_id, "claim").await.0, StatusCode::OK);
    let (status, body) = app
        .post(&format!("/v1/handoffs/{moved_id}/transfer"), Some(&sam.token), json!({"to": "team:tech"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = format!("/v1/conversations/{}", moved.id);
    for (who, expected) in [(&sam, StatusCode::FORBIDDEN), (&tess, StatusCode::OK)] {
        assert_eq!(app.get(&path, Some(&who.token)).await.0, expected, "{}", who.name);
        assert_eq!(app.get(&format!("{path}/messages"), Some(&who.token)).await.0, expected, "{}", who.name);
    }
    let (status, _) =
        app.post(&format!("{path}/notes"), Some(&sam.token), json!({"text": "still mine?"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A conversation the bot still has: visible to the bot's targets only.
    let quiet = app.conversation_with(&bot).await;
    let path = format!("/v1/conversations/{}", quiet.id);
    assert_eq!(app.get(&path, Some(&sam.token)).await.0, StatusCode::OK);
    assert_eq!(app.get(&path, Some(&tess.token)).await.0, StatusCode::FORBIDDEN);
    app.shutdown().await;
}

async fn the_inbox_socket_carries_only_what_the_agent_may_see(app: TestApp) {
    let (_admin, sam, tess, bot) = two_teams(&app).await;
    let everyone = app.bot_with_policy(json!({})).await;
    let mut tess_inbox = app.inbox_socket(&tess).await;
    let mut sam_inbox = app.inbox_socket(&sam).await;

    let hidden = app.conversation_with(&bot).await;
    app.say(&hidden, "a secret for sales").await;
    app.ask_for_human(&hidden).await;
    let open = app.conversation_with(&everyone).await;
    app.say(&open, "anyone there").await;

    // Tess's first contact message is the open one's: nothing of the sales chat came before it.
    let first = tess_inbox.until("message.created", |m| m["author"]["kind"] == "contact").await;
    assert_eq!(first["text"], "anyone there", "{first}");
    // Sam, in sales, gets all of it.
    let secret = sam_inbox.until("message.created", |m| m["author"]["kind"] == "contact").await;
    assert_eq!(secret["text"], "a secret for sales");
    let handoff = sam_inbox.until("handoff.queued", |_| true).await;
    assert_eq!(handoff["conversation_id"], hidden.id.to_string());
    app.shutdown().await;
}

async fn inbox_sockets_follow_a_chat_transferred_to_another_team(app: TestApp) {
    let (_admin, sam, tess, bot) = two_teams(&app).await;
    let mut sam_inbox = app.inbox_socket(&sam).await;
    let mut tess_inbox = app.inbox_socket(&tess).await;
    let moved = app.conversation_with(&bot).await;
    app.say(&moved, "first, for sales").await;
    let id = app.ask_for_human(&moved).await["id"].as_str().unwrap().to_owned();
    assert_eq!(act(&app, &sam, &id, "claim").await.0, StatusCode::OK);
    let (status, body) =
        app.post(&format!("/v1/handoffs/{id}/transfer"), Some(&sam.token), json!({"to": "team:tech"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.say(&moved, "then, for tech").await;
    let stays = app.conversation_with(&bot).await;
    app.say(&stays, "another, for sales").await;

    let contact = |m: &Value| m["author"]["kind"] == "contact";
    // Sam's inbox had the chat until the transfer, and only the other sales chat after it.
    assert_eq!(sam_inbox.until("message.created", contact).await["text"], "first, for sales");
    assert_eq!(sam_inbox.until("message.created", contact).await["text"], "another, for sales");
    // Tess's inbox gets the chat from the transfer on, and nothing of sales before or after.
    let transferred = tess_inbox.until("handoff.transferred", |_| true).await;
    assert_eq!(transferred["conversation_id"], moved.id.to_string(), "{transferred}");
    assert_eq!(tess_inbox.until("message.created", contact).await["text"], "then, for tech");
    app.say(&moved, "and once more").await;
    assert_eq!(tess_inbox.until("message.created", contact).await["text"], "and once more");
    app.shutdown().await;
}

async fn users_cannot_speak_for_the_contact(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let contact = app.start_conversation().await;
    for (path, body) in
        [("feedback", json!({"rating": 1})), ("lead", json!({"email": "someone@example.com"}))]
    {
        let (status, answer) =
            app.post(&format!("/v1/conversations/{}/{path}", contact.id), Some(&admin.token), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
        assert_eq!(answer["code"], "contact_only");
    }
    app.shutdown().await;
}

async fn the_contact_sees_only_what_is_theirs(app: TestApp) {
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let contact = app.conversation_with(&bot).await;
    let mut widget = app.contact_socket(&contact, 0).await;
    let handoff_id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let offered = app.handoff(&handoff_id, &ana.token).await;
    let first = if offered["assignee"]["id"] == ana.id.as_str() { &ana } else { &ben };
    let (status, body) = act(&app, first, &handoff_id, "decline").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let internal =
        [ana.id.as_str(), ben.id.as_str(), "declined_by", "summary", "signals", "frustration", "targets"];
    let shown = app.contact_view(&contact).await;
    let text = shown.to_string();
    for word in internal {
        assert!(!text.contains(word), "{word} shown to the contact: {shown}");
    }
    assert_eq!(shown["state"], "offered", "offered to the other agent: {shown}");
    assert!(shown["handoff"]["assignee"].is_null(), "an offer is not an answer: {shown}");
    assert!(shown["availability"].is_object(), "{shown}");

    // Live: the contact learns who answers, by name.
    let taker = if first.id == ana.id { &ben } else { &ana };
    let (status, body) = act(&app, taker, &handoff_id, "accept").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shown = app.contact_view(&contact).await;
    assert_eq!(shown["handoff"]["assignee"], json!({"name": taker.name}), "{shown}");
    assert!(!shown.to_string().contains(taker.id.as_str()), "{shown}");
    assert!(shown.get("owner").is_none(), "{shown}");

    // The widget's frames about the handoff carry the same view.
    let frame = widget.until("handoff.assigned", |_| true).await;
    let text = frame.to_string();
    for word in internal {
        assert!(!text.contains(word), "{word} in a contact frame: {frame}");
    }
    assert_eq!(frame["assignee"]["name"], taker.name.as_str());

    // Messages from the team carry the person's name, not their user id.
    let (status, _) = app
        .post(
            &format!("/v1/conversations/{}/messages", contact.id),
            Some(&taker.token),
            json!({"text": "Hello!"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let reply = widget.message_from("user").await;
    assert_eq!(reply["author"], json!({"kind": "user", "name": taker.name}), "{reply}");
    let listed = app.messages(contact.id, &contact.token).await;
    assert!(!serde_json::to_string(&listed).unwrap().contains(taker.id.as_str()), "{listed:?}");
    app.shutdown().await;
}

async fn of_two_simultaneous_transfers_exactly_one_wins(app: TestApp) {
    let ana = app.online_agent("ana@example.com").await;
    app.online_agent("ben@example.com").await;
    app.online_agent("cleo@example.com").await;
    for _ in 0..5 {
        let contact = app.start_conversation().await;
        let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
        let (status, body) = act(&app, &ana, &id, "claim").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let path = format!("/v1/handoffs/{id}/transfer");
        let (first, second) = tokio::join!(
            app.post(&path, Some(&ana.token), json!({"to": "user:ben@example.com"})),
            app.post(&path, Some(&ana.token), json!({"to": "user:cleo@example.com"})),
        );
        let wins = [&first, &second].iter().filter(|(status, _)| *status == StatusCode::OK).count();
        assert_eq!(wins, 1, "{first:?} {second:?}");
        let loser = if first.0 == StatusCode::OK { &second } else { &first };
        assert_eq!(loser.0, StatusCode::FORBIDDEN, "{loser:?}");
        assert_eq!(loser.1["code"], "not_assignee", "{loser:?}");
    }
    app.shutdown().await;
}
