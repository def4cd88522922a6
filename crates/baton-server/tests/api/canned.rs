//! Canned responses: personal and shared saved replies, rendered for a conversation.

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Agent, TestApp};

crate::on_both_backends!(saved_replies_are_personal_or_shared_and_filled_in_for_the_chat);

async fn save(app: &TestApp, who: &Agent, body: Value) -> (StatusCode, Value) {
    app.post("/v1/canned-responses", Some(&who.token), body).await
}

fn shortcuts_and_texts(list: &Value, field: &str) -> Vec<(String, String)> {
    list["canned_responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["shortcut"].as_str().unwrap().to_owned(), r[field].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

async fn saved_replies_are_personal_or_shared_and_filled_in_for_the_chat(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let bea = app.online_agent("bea@example.com").await;

    let (status, mine) = save(
        &app,
        &ana,
        json!({"shortcut": "/Greet", "text": "Hi {{contact.name}}, this is {{user.name}}."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    assert_eq!((mine["shortcut"].as_str(), mine["shared"].as_bool()), (Some("greet"), Some(false)));
    assert_eq!(mine["owner_id"], ana.id.as_str());
    let (status, problem) = save(&app, &ana, json!({"shortcut": "x", "text": "y", "shared": true})).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin_only")), "{problem}");

    for body in [
        json!({"shortcut": "greet", "text": "Hello {{contact.name}}!", "shared": true}),
        json!({"shortcut": "greet", "text": "Hallo {{contact.name}}!", "language": "de", "shared": true}),
        json!({"shortcut": "bye", "text": "Thanks for writing, {{contact.name}}.", "shared": true}),
    ] {
        let (status, body) = save(&app, &admin, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, problem) =
        save(&app, &admin, json!({"shortcut": "greet", "text": "again", "shared": true})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("shortcut_taken")),
        "{problem}"
    );
    for (body, field) in [
        (json!({"shortcut": "two words", "text": "x"}), "shortcut:"),
        (json!({"shortcut": "a", "text": "Hi {{contact.nmae}}"}), "text:"),
        (json!({"shortcut": "a", "text": " "}), "text:"),
        (json!({"shortcut": "a", "text": "x", "language": "xx"}), "language:"),
    ] {
        let (status, problem) = save(&app, &ana, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{problem}");
    }

    let (_, all) = app.get("/v1/canned-responses", Some(&ana.token)).await;
    assert_eq!(all["canned_responses"].as_array().unwrap().len(), 4, "the team's three and Ana's own: {all}");
    let (_, beas) = app.get("/v1/canned-responses", Some(&bea.token)).await;
    assert_eq!(beas["canned_responses"].as_array().unwrap().len(), 3, "not Ana's own: {beas}");

    // In Cleo's German chat: Ana's own greeting before the team's, filled in.
    let cleo = app.open_conversation(json!({"contact": {"name": "Cleo"}, "locale": "de-DE"})).await;
    app.ask_for_human(&cleo).await;
    let path = format!("/v1/canned-responses?conversation_id={}", cleo.id);
    let (status, offered) = app.get(&path, Some(&ana.token)).await;
    assert_eq!(status, StatusCode::OK, "{offered}");
    assert_eq!(
        shortcuts_and_texts(&offered, "rendered"),
        [
            ("bye".into(), "Thanks for writing, Cleo.".into()),
            ("greet".into(), "Hi Cleo, this is Ana.".into())
        ]
    );
    let (_, for_bea) = app.get(&path, Some(&bea.token)).await;
    assert_eq!(
        shortcuts_and_texts(&for_bea, "rendered")[1],
        ("greet".into(), "Hallo Cleo!".into()),
        "the German variant"
    );

    // Only Ana changes hers; only admins change the team's.
    let mine_path = format!("/v1/canned-responses/{}", mine["id"].as_str().unwrap());
    let edit = json!({"shortcut": "greet", "text": "Hey {{contact.name}}!"});
    let (status, _) = app.put(&mine_path, Some(&bea.token), edit.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, edited) = app.put(&mine_path, Some(&ana.token), edit).await;
    assert_eq!(
        (status, edited["text"].as_str()),
        (StatusCode::OK, Some("Hey {{contact.name}}!")),
        "{edited}"
    );
    let shared_id =
        all["canned_responses"].as_array().unwrap().iter().find(|r| r["shortcut"] == "bye").unwrap()["id"]
            .clone();
    let shared_path = format!("/v1/canned-responses/{}", shared_id.as_str().unwrap());
    let (status, _) = app
        .put(&shared_path, Some(&bea.token), json!({"shortcut": "bye", "text": "x", "shared": true}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.request(Method::DELETE, &shared_path, Some(&ana.token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.request(Method::DELETE, &mine_path, Some(&ana.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, offered) = app.get(&path, Some(&ana.token)).await;
    assert_eq!(shortcuts_and_texts(&offered, "rendered")[1], ("greet".into(), "Hallo Cleo!".into()));

    // A deleted user's own replies go with them.
    let (status, _) = save(&app, &bea, json!({"shortcut": "mine", "text": "only Bea's"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        app.request(Method::DELETE, &format!("/v1/users/{}", bea.id), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let left = app.state.store.canned_responses_for(bea.id.parse().unwrap()).await.unwrap();
    assert!(left.iter().all(|r| r.shared), "{left:?}");
    app.shutdown().await;
}
