//! What the contact meets once the team is done or away: a rating they type is taken as one,
//! a message while their ticket is open joins the ticket, where a user may still answer, and a
//! live chat they walked away from closes instead of holding the agent's place.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Contact, TestApp};
use crate::waiting::system_lines;

crate::on_both_backends!(
    settings = |settings| {
        settings.contact_inactive_minutes = 30;
        crate::helpers::steady_presence(settings);
    };
    a_typed_rating_is_the_rating_in_the_conversations_language,
    a_message_while_a_ticket_is_open_joins_it_and_a_user_may_answer_live,
    inactive_chats_close_and_free_the_agents_place,
);

/// A contact whose live chat with `agent` was just closed, asking for a rating.
async fn rated_chat(app: &TestApp, token: &str, locale: &str) -> Contact {
    let contact = app.open_conversation(json!({"locale": locale})).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post(&format!("/v1/handoffs/{id}/claim"), Some(token), json!({})).await.0, StatusCode::OK);
    assert_eq!(app.post(&format!("/v1/handoffs/{id}/close"), Some(token), json!({})).await.0, StatusCode::OK);
    assert_eq!(app.conversation(&contact).await["feedback_pending"], true);
    contact
}

async fn a_typed_rating_is_the_rating_in_the_conversations_language(app: TestApp) {
    let ana = app.online_agent("ana@example.com").await;
    for (locale, typed, rating) in
        [("en-GB", "5", 5), ("es-ES", "cuatro", 4), ("de-DE", "★★★", 3), ("en-US", "five", 5)]
    {
        let contact = rated_chat(&app, &ana.token, locale).await;
        app.say(&contact, typed).await;
        app.bot_idle(contact.id).await;
        let latest = app.state.store.latest_handoff(contact.id).await.unwrap().unwrap().value;
        assert_eq!(latest.rating.map(|r| r.value()), Some(rating), "{locale} {typed}");
        let messages = app.messages(contact.id, &contact.token).await;
        let thanks = baton_core::catalog::messages(&locale[..2]).feedback_thanks;
        assert_eq!(messages.iter().filter(|m| m["text"] == thanks.as_str()).count(), 1, "{messages:?}");
        let last = messages.last().unwrap();
        assert_eq!(last["text"], thanks.as_str(), "the thanks, not the bot's I-can't-help: {messages:?}");
        assert_eq!(app.conversation(&contact).await["feedback_pending"], false);
        // The widget's stars now find nothing pending, and say nothing twice.
        let path = format!("/v1/conversations/{}/feedback", contact.id);
        let (status, _) = app.post(&path, Some(&contact.token), json!({"rating": 1})).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    // Something else entirely is answered as usual, and the rating stays pending.
    let contact = rated_chat(&app, &ana.token, "en-GB").await;
    app.say(&contact, "How long does shipping take?").await;
    app.bot_idle(contact.id).await;
    assert_eq!(app.conversation(&contact).await["feedback_pending"], true);
    let last = app.messages(contact.id, &contact.token).await.last().unwrap().clone();
    assert!(last["text"].as_str().unwrap().contains("ship"), "{last}");
    app.shutdown().await;
}

async fn a_message_while_a_ticket_is_open_joins_it_and_a_user_may_answer_live(app: TestApp) {
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    assert_eq!(handoff["state"], "offline", "nobody is online");
    let id = handoff["id"].as_str().unwrap().to_owned();
    let lead = json!({"email": "ana.customer@example.com", "message": "My parcel is late"});
    let (status, ticket) =
        app.post(&format!("/v1/conversations/{}/lead", contact.id), Some(&contact.token), lead).await;
    assert_eq!((status, ticket["state"].as_str()), (StatusCode::OK, Some("ticket")), "{ticket}");

    for text in ["Hello? Is anyone there?", "It is order 4417"] {
        app.say(&contact, text).await;
        app.bot_idle(contact.id).await;
    }
    let added = baton_core::catalog::messages("en").ticket_added;
    let lines = system_lines(&app, &contact).await;
    assert_eq!(lines.iter().filter(|line| **line == added).count(), 1, "told once for the run: {lines:?}");
    let messages = app.messages(contact.id, &contact.token).await;
    let greeting = messages[0]["text"].clone();
    assert_eq!(
        messages.iter().filter(|m| m["text"] == greeting).count(),
        1,
        "no second greeting: {messages:?}"
    );
    assert!(
        messages.iter().all(|m| m["author"]["kind"] != "bot" || m["seq"] == 1),
        "the bot stays out: {messages:?}"
    );

    // Ana sees the ticket with the messages, claims it and answers in the chat.
    let (status, claimed) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!((status, claimed["state"].as_str()), (StatusCode::OK, Some("live")), "{claimed}");
    let path = format!("/v1/conversations/{}/messages", contact.id);
    let (status, _) =
        app.post(&path, Some(&ana.token), json!({"text": "Hi, Ana here: I see order 4417."})).await;
    assert_eq!(status, StatusCode::CREATED);
    let shown = app.contact_view(&contact).await;
    assert_eq!(shown["state"], "live");
    assert_eq!(shown["handoff"]["assignee"]["name"], ana.name.as_str());
    app.shutdown().await;
}

/// Waits until the server counts `count` open widgets for `contact` (it learns of a socket
/// opening or closing a moment after the client does).
async fn widgets_open(app: &TestApp, contact: &Contact, count: usize) {
    let deadline = tokio::time::Instant::now() + crate::helpers::PATIENCE;
    while baton_server::service::inactivity::open_widgets(&app.state, contact.id) != count {
        assert!(tokio::time::Instant::now() < deadline, "the server did not count {count} open widgets");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// With `contact_inactive_minutes` at 30, a live chat whose contact went quiet.
async fn inactive_chats_close_and_free_the_agents_place(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let path = format!("/v1/users/{}/routing", ana.id);
    assert_eq!(app.put(&path, Some(&admin.token), json!({"capacity": 1})).await.0, StatusCode::OK);
    let bot = app
        .bot_with_policy(
            json!({"assignment": {"strategy": "round_robin"}, "waiting": {"timeout_seconds": 0}}),
        )
        .await;
    let accept = |id: String| {
        let (app, token) = (&app, ana.token.clone());
        async move { app.post(&format!("/v1/handoffs/{id}/accept"), Some(&token), json!({})).await.0 }
    };

    // A contact who keeps writing keeps the chat; one with the widget open does too.
    let talker = app.conversation_with(&bot).await;
    let id = app.ask_for_human(&talker).await["id"].as_str().unwrap().to_owned();
    assert_eq!(accept(id.clone()).await, StatusCode::OK);
    let waiting = app.conversation_with(&bot).await;
    let next = app.ask_for_human(&waiting).await["id"].as_str().unwrap().to_owned();
    app.later(Duration::from_secs(25 * 60)).await;
    app.say(&talker, "still here, checking the order").await;
    app.later(Duration::from_secs(25 * 60)).await;
    assert_eq!(app.handoff(&id, &ana.token).await["state"], "live", "wrote 25 minutes ago");
    let widget = app.contact_socket(&talker, 0).await;
    widgets_open(&app, &talker, 1).await;
    app.later(Duration::from_secs(40 * 60)).await;
    assert_eq!(app.handoff(&id, &ana.token).await["state"], "live", "the widget is open");
    assert_eq!(app.handoff(&next, &admin.token).await["state"], "queued", "Ana is full");

    // The widget closes and nothing more comes: 30 minutes on, the chat closes with a note,
    // and Ana's place goes to whoever waits.
    widget.close().await;
    // The server learns of the close a moment later; the 30 minutes count from then.
    widgets_open(&app, &talker, 0).await;
    app.later(Duration::from_secs(29 * 60)).await;
    assert_eq!(app.handoff(&id, &ana.token).await["state"], "live", "not yet");
    app.later(Duration::from_secs(2 * 60)).await;
    let closed = app.handoff(&id, &ana.token).await;
    assert_eq!(closed["state"], "closed", "{closed}");
    assert_eq!(closed["feedback_requested"], false, "nobody is there to rate it");
    let notes: Vec<serde_json::Value> =
        app.messages(talker.id, &ana.token).await.into_iter().filter(|m| m["note"] == true).collect();
    assert!(
        notes.iter().any(|n| n["text"].as_str().unwrap().starts_with("Closed automatically")),
        "{notes:?}"
    );
    let offered = app.handoff(&next, &ana.token).await;
    assert_eq!(
        (offered["state"].as_str(), offered["assignee"]["id"].as_str()),
        (Some("offered"), Some(ana.id.as_str()))
    );
    app.shutdown().await;
}
