//! Conversation history: full-text search with filters and paging over every conversation the
//! caller may see, closed ones included, and a conversation's handoff episodes.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Contact, TestApp};
use crate::routing::act;

crate::on_both_backends!(closed_conversations_are_found_by_words_ids_and_filters_within_access);

fn ids(page: &Value) -> Vec<&str> {
    page["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect()
}

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, page) = app.get(&format!("/v1/conversations?{query}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    page
}

async fn closed_conversations_are_found_by_words_ids_and_filters_within_access(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let sam = app.online_agent("sam@example.com").await;
    let tess = app.online_agent("tess@example.com").await;
    let mut teams = Vec::new();
    for (name, member) in [("sales", &sam), ("tech", &tess)] {
        let (status, team) =
            app.post("/v1/teams", Some(&admin.token), json!({"name": name, "members": [member.id]})).await;
        assert_eq!(status, StatusCode::CREATED, "{team}");
        teams.push(team["id"].as_str().unwrap().to_owned());
    }
    let sales_bot = app.bot_with_policy(json!({"assignment": {"targets": {"*": ["team:sales"]}}})).await;

    // Rosa's parcel: handed to Sam, answered, closed and rated 4.
    let rosa: Contact = app
        .open_conversation(
            json!({"bot_id": sales_bot, "contact": {"name": "Rosa Marques", "email": "rosa@example.com"}}),
        )
        .await;
    app.say(&rosa, "My parcel never arrived").await;
    let handoff = app.ask_for_human(&rosa).await;
    let handoff_id = handoff["id"].as_str().unwrap().to_owned();
    let (status, body) = act(&app, &sam, &handoff_id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let path = format!("/v1/conversations/{}/messages", rosa.id);
    let (status, body) = app
        .post(&path, Some(&sam.token), json!({"text": "Sorry about the parcel, a new one ships today"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = act(&app, &sam, &handoff_id, "close").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let feedback = format!("/v1/conversations/{}/feedback", rosa.id);
    let (status, body) = app.post(&feedback, Some(&rosa.token), json!({"rating": 4})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Another chat that never left the bot.
    let other = app.start_conversation().await;
    app.say(&other, "Do you sell gift cards?").await;
    app.consumers_caught_up().await;
    let rosa_id = rosa.id.to_string();
    let other_id = other.id.to_string();

    // Words in any message, the newest matching one shown; the contact's name and email; ids.
    let page = search(&app, &admin.token, "query=parcel").await;
    assert_eq!(ids(&page), [rosa_id.as_str()], "{page}");
    let found = &page["conversations"][0];
    // The newest message with the word: the closing summary, a team note quoting the reply.
    let excerpt = found["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("Sorry about the parcel"), "{excerpt}");
    assert_eq!(found["state"], "bot");
    assert_eq!(found["contact"], json!({"name": "Rosa Marques", "email": "rosa@example.com"}));
    let episode = &found["handoffs"][0];
    assert_eq!(
        (episode["id"].as_str(), episode["state"].as_str(), episode["rating"].as_u64()),
        (Some(handoff_id.as_str()), Some("closed"), Some(4))
    );
    assert_eq!(episode["assignee"]["id"], sam.id.as_str());
    assert_eq!(page["next_cursor"], Value::Null);
    for query in ["query=PARC", "query=rosa%40example.com", "query=marques", &format!("query={handoff_id}")] {
        assert_eq!(ids(&search(&app, &admin.token, query).await), [rosa_id.as_str()], "{query}");
    }
    assert!(ids(&search(&app, &admin.token, "query=parcel+gift").await).is_empty());
    assert_eq!(ids(&search(&app, &admin.token, "query=gift").await), [other_id.as_str()]);

    // Filters: state, person, team, trigger, rating, days.
    let today = app.state.now().to_rfc3339()[..10].to_owned();
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("state=closed".into(), vec![&rosa_id]),
        ("state=bot".into(), vec![&other_id]),
        ("state=open".into(), vec![]),
        (format!("user={}", sam.id), vec![&rosa_id]),
        (format!("user={}", tess.id), vec![]),
        (format!("team={}", teams[0]), vec![&rosa_id]),
        (format!("team={}", teams[1]), vec![]),
        ("trigger=explicit_request".into(), vec![&rosa_id]),
        ("trigger=frustration".into(), vec![]),
        ("rating=4".into(), vec![&rosa_id]),
        ("rating=5".into(), vec![]),
        ("priority=normal&state=closed".into(), vec![&rosa_id]),
        (format!("from={today}&to={today}"), vec![&other_id, &rosa_id]),
        ("to=2020-01-01".into(), vec![]),
    ];
    for (query, expected) in cases {
        assert_eq!(ids(&search(&app, &admin.token, &query).await), expected, "{query}");
    }

    // Paging: one at a time, newest activity first, each once.
    let mut seen = Vec::new();
    let mut query = "limit=1".to_owned();
    loop {
        let page = search(&app, &admin.token, &query).await;
        seen.extend(ids(&page).into_iter().map(str::to_owned));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("limit=1&cursor={cursor}"),
            None => break,
        }
        assert!(seen.len() <= 3, "the pages end: {seen:?}");
    }
    assert_eq!(seen, [other_id.clone(), rosa_id.clone()]);

    // Agents find only what they may see: Sam his team's chat, Tess (tech) nothing of it.
    assert_eq!(ids(&search(&app, &sam.token, "query=parcel").await), [rosa_id.as_str()]);
    assert!(ids(&search(&app, &tess.token, "query=parcel").await).is_empty());
    assert!(!ids(&search(&app, &tess.token, "limit=100").await).contains(&rosa_id.as_str()));

    // The episodes of one conversation, in full.
    let episodes = format!("/v1/conversations/{rosa_id}/handoffs");
    let (status, body) = app.get(&episodes, Some(&sam.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["handoffs"].as_array().unwrap().len(), 1);
    assert_eq!(
        (body["handoffs"][0]["id"].as_str(), body["handoffs"][0]["rating"].as_u64()),
        (Some(handoff_id.as_str()), Some(4))
    );
    let (status, body) = app.get(&episodes, Some(&tess.token)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_yours")));
    let (status, _) = app.get(&episodes, Some(&rosa.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a contact's token is not a user's");

    // Bad input: a clear problem, nothing else.
    for (query, status) in [
        ("state=nope", StatusCode::UNPROCESSABLE_ENTITY),
        ("rating=9", StatusCode::UNPROCESSABLE_ENTITY),
        ("cursor=garbage", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=101", StatusCode::UNPROCESSABLE_ENTITY),
        ("from=2026-13-01", StatusCode::UNPROCESSABLE_ENTITY),
        ("from=2026-02-02&to=2026-02-01", StatusCode::UNPROCESSABLE_ENTITY),
        ("trigger=whim", StatusCode::BAD_REQUEST),
        ("user=not-an-id", StatusCode::BAD_REQUEST),
        ("colour=red", StatusCode::BAD_REQUEST),
    ] {
        let (got, problem) = app.get(&format!("/v1/conversations?{query}"), Some(&admin.token)).await;
        assert_eq!(got, status, "{query}: {problem}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{query}: {problem}");
    }
    let long = "x".repeat(201);
    let (status, _) = app.get(&format!("/v1/conversations?query={long}"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/v1/conversations", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
