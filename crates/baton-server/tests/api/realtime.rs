//! Websockets: nothing lost, nothing doubled, and nobody reads another's conversation.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Socket, TestApp};

crate::on_both_backends!(
    reconnect_with_after_gets_exactly_what_was_missed,
    idempotent_sends_store_one_message,
    a_contact_token_opens_only_its_own_conversation,
);

/// Reads `message.created` frames until `last_seq`, returning their seqs in arrival order.
async fn seqs_until(socket: &mut Socket, last_seq: i64) -> Vec<i64> {
    let mut seqs = Vec::new();
    while seqs.last() != Some(&last_seq) {
        let (kind, data) = socket.next().await;
        if kind == "message.created" {
            seqs.push(data["seq"].as_i64().unwrap());
        }
    }
    seqs
}

async fn reconnect_with_after_gets_exactly_what_was_missed(app: TestApp) {
    let contact = app.start_conversation().await;
    let mut first = app.contact_socket(&contact, 0).await;
    for n in 0..3 {
        app.say(&contact, &format!("question {n} about shipping")).await;
    }
    app.bot_idle(contact.id).await;
    // greeting + 3 questions + 3 answers
    assert_eq!(seqs_until(&mut first, 7).await, (1..=7).collect::<Vec<_>>());
    first.close().await;

    // While disconnected, the conversation goes on.
    for n in 0..4 {
        app.say(&contact, &format!("offline question {n} about returns")).await;
    }
    app.bot_idle(contact.id).await;

    // Reconnect while more is being said: the replay and the live stream must join cleanly.
    let mut second = app.contact_socket(&contact, 7).await;
    let more = async {
        for n in 0..3 {
            app.say(&contact, &format!("late question {n} about hours")).await;
        }
        app.bot_idle(contact.id).await;
    };
    let (seqs, ()) = tokio::join!(seqs_until(&mut second, 21), more);
    assert_eq!(seqs, (8..=21).collect::<Vec<_>>(), "every missed message once, in order");
    let stored = app.messages(contact.id, &contact.token).await;
    let seqs: Vec<i64> = stored.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=21).collect::<Vec<_>>(), "{stored:#?}");
    second.close().await;
    app.shutdown().await;
}

async fn idempotent_sends_store_one_message(app: TestApp) {
    let contact = app.start_conversation().await;
    let path = format!("/v1/conversations/{}/messages", contact.id);
    let body = json!({"text": "hello there", "client_id": "widget-42"});
    let (first_status, first) = app.post(&path, Some(&contact.token), body.clone()).await;
    let (second_status, second) = app.post(&path, Some(&contact.token), body).await;
    assert_eq!(first_status, StatusCode::CREATED, "{first}");
    assert_eq!(second_status, StatusCode::OK, "{second}");
    assert_eq!(first, second);
    app.bot_idle(contact.id).await;
    let hellos = app
        .messages(contact.id, &contact.token)
        .await
        .into_iter()
        .filter(|m| m["text"] == "hello there")
        .count();
    assert_eq!(hellos, 1);
    app.shutdown().await;
}

async fn a_contact_token_opens_only_its_own_conversation(app: TestApp) {
    let mine = app.start_conversation().await;
    let theirs = app.start_conversation().await;
    let mine_token = Some(mine.token.as_str());
    for path in
        [format!("/v1/conversations/{}", theirs.id), format!("/v1/conversations/{}/messages", theirs.id)]
    {
        let (status, problem) = app.get(&path, mine_token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {problem}");
        assert_eq!(problem["code"], "not_found");
    }
    let (status, _) = app
        .post(&format!("/v1/conversations/{}/messages", theirs.id), mine_token, json!({"text": "hi"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        app.post(&format!("/v1/conversations/{}/handoff", theirs.id), mine_token, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, problem) = app.get(&format!("/v1/conversations/{}", theirs.id), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _) = app.get(&format!("/v1/conversations/{}", theirs.id), Some("ct_forged")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let url = format!(
        "{}/v1/conversations/{}/ws?token={}",
        app.base.replacen("http", "ws", 1),
        theirs.id,
        mine.token
    );
    let refused = tokio_tungstenite::connect_async(url).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 404)
        }
        other => panic!("the websocket must be refused: {other:?}"),
    }
    let theirs_messages = app.messages(theirs.id, &theirs.token).await;
    assert_eq!(theirs_messages.len(), 1, "only the greeting: {theirs_messages:?}");
    app.shutdown().await;
}
