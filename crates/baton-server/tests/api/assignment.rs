//! Picking people: the directory everyone transfers from, and an admin assigning a waiting
//! handoff to a chosen user.

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

crate::on_both_backends!(an_admin_assigns_a_waiting_handoff_and_the_directory_shows_the_load);

async fn person<'a>(directory: &'a Value, name: &str) -> &'a Value {
    directory["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("{name} listed"))
}

async fn an_admin_assigns_a_waiting_handoff_and_the_directory_shows_the_load(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let bea = app.online_agent("bea@example.com").await;
    let cara = app.agent("cara@example.com", Role::Agent).await;
    let (status, _) =
        app.post("/v1/teams", Some(&admin.token), json!({"name": "support", "members": [bea.id]})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        app.put(&format!("/v1/users/{}", cara.id), Some(&admin.token), json!({"disabled": true})).await;
    assert_eq!(status, StatusCode::OK);

    let (status, directory) = app.get("/v1/directory", Some(&ana.token)).await;
    assert_eq!(status, StatusCode::OK, "{directory}");
    let names: Vec<&str> =
        directory["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ana", "Bea", "Admin"], "online first, the disabled left out");
    let beas = person(&directory, "Bea").await;
    assert_eq!(
        (beas["status"].as_str(), beas["live"].as_u64(), beas["capacity"].as_u64()),
        (Some("online"), Some(0), Some(10))
    );
    assert_eq!(beas["teams"], json!(["support"]));
    assert_eq!(
        directory["teams"],
        json!([{"id": directory["teams"][0]["id"], "name": "support", "members": 1, "online": 1}])
    );

    // A queued handoff, given to Bea by the admin.
    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let path = format!("/v1/handoffs/{}/assign", handoff["id"].as_str().unwrap());
    let (status, problem) = app.post(&path, Some(&ana.token), json!({"user_id": bea.id})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    for (user, why) in
        [(cara.id.as_str(), "is disabled"), ("0190b0b0-0000-7000-8000-000000000000", "no such user")]
    {
        let (status, problem) = app.post(&path, Some(&admin.token), json!({"user_id": user})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains(why), "{problem}");
    }
    let (status, assigned) = app.post(&path, Some(&admin.token), json!({"user_id": bea.id})).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(
        (assigned["state"].as_str(), assigned["assignee"]["id"].as_str()),
        (Some("live"), Some(bea.id.as_str()))
    );
    let (status, problem) = app.post(&path, Some(&admin.token), json!({"user_id": ana.id})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a live chat is transferred instead: {problem}");
    let (_, directory) = app.get("/v1/directory", Some(&ana.token)).await;
    assert_eq!(person(&directory, "Bea").await["live"], 1);
    let said = app.messages(contact.id, &contact.token).await;
    assert!(
        said.iter().any(|m| m["text"].as_str().is_some_and(|t| t.contains("Bea"))),
        "the contact is told: {said:?}"
    );

    // An offered one (round robin) is taken from the offer.
    let round_robin = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let other = app.conversation_with(&round_robin).await;
    let asked = app.ask_for_human(&other).await;
    let offered = app.handoff(asked["id"].as_str().unwrap(), &admin.token).await;
    assert_eq!(offered["state"], "offered", "{offered}");
    let offered_to = offered["assignee"]["id"].as_str().unwrap().to_owned();
    let to = if offered_to == ana.id { &bea } else { &ana };
    let path = format!("/v1/handoffs/{}/assign", offered["id"].as_str().unwrap());
    let (status, assigned) = app.post(&path, Some(&admin.token), json!({"user_id": to.id})).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["assignee"]["id"], to.id.as_str());
    let (status, _) = app.request(Method::GET, "/v1/directory", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}
