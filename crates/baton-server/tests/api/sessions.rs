//! Sessions end, and take their websockets with them: at logout, when they expire, and when
//! an admin disables or deletes the user or resets their password. Accounts are managed over
//! the API and from the command line.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Agent, TestApp};

crate::on_both_backends!(settings = |settings| {
        settings.session_idle_minutes = 60;
        settings.session_max_days = 1;
    };
    logout_ends_the_session_and_closes_its_inbox,
    sessions_expire_when_idle_and_when_old,
    disabling_deleting_and_resetting_end_every_session,
    users_change_their_own_name_and_password,
    display_names_are_chosen_and_shown_to_contacts,
);

const PASSWORD: &str = "correct horse battery";

async fn login(app: &TestApp, email: &str, password: &str) -> (StatusCode, serde_json::Value) {
    app.post("/v1/auth/login", None, json!({"email": email, "password": password})).await
}

async fn me(app: &TestApp, token: &str) -> StatusCode {
    app.get("/v1/me", Some(token)).await.0
}

/// The code a session-ended close carries: the client should log in again.
const SESSION_ENDED: Option<u16> = Some(4401);

async fn logout_ends_the_session_and_closes_its_inbox(app: TestApp) {
    let ana = app.online_agent("ana@example.com").await;
    let (_, second) = login(&app, "ana@example.com", PASSWORD).await;
    let second = second["token"].as_str().unwrap().to_owned();
    let mut inbox = app.inbox_socket(&ana).await;
    let other_inbox_agent = Agent { token: second.clone(), ..ana.clone() };
    let mut other = app.inbox_socket(&other_inbox_agent).await;
    let (status, _) = app.post("/v1/auth/logout", Some(&ana.token), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(inbox.closed_by_server().await, SESSION_ENDED);
    assert_eq!(me(&app, &ana.token).await, StatusCode::UNAUTHORIZED);
    // Her other session (another tab, another machine) goes on.
    assert_eq!(me(&app, &second).await, StatusCode::OK);
    let contact = app.start_conversation().await;
    app.say(&contact, "still there?").await;
    let message = other.message_from("contact").await;
    assert_eq!(message["text"], "still there?");
    app.shutdown().await;
}

async fn sessions_expire_when_idle_and_when_old(app: TestApp) {
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let (_, fresh) = login(&app, "ana@example.com", PASSWORD).await;
    let fresh = fresh["token"].as_str().unwrap().to_owned();
    let mut inbox = app.inbox_socket(&Agent { token: fresh.clone(), ..ana.clone() }).await;
    // Fifty minutes idle: still fine; used now and then, the session lives on. (Each step
    // waits for the open inbox to check its session, which it does every second.)
    for _ in 0..2 {
        app.clock.advance(Duration::from_secs(50 * 60));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(me(&app, &ana.token).await, StatusCode::OK);
    }
    // The open inbox counted as use of its session; left for an hour, the unused one ended.
    assert_eq!(me(&app, &fresh).await, StatusCode::OK, "an open inbox keeps its session");
    app.clock.advance(Duration::from_secs(61 * 60));
    assert_eq!(me(&app, &ana.token).await, StatusCode::UNAUTHORIZED, "an hour unused");
    // A day after login, every session ends, used or not, and its socket closes.
    app.clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(inbox.closed_by_server().await, SESSION_ENDED);
    assert_eq!(me(&app, &fresh).await, StatusCode::UNAUTHORIZED);
    let (status, _) = login(&app, "ana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "logging in again works");
    app.shutdown().await;
}

async fn disabling_deleting_and_resetting_end_every_session(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let cleo = app.online_agent("cleo@example.com").await;

    // Disabled: the inbox closes, the token stops working, login is refused, routing skips her.
    let mut inbox = app.inbox_socket(&ana).await;
    let path = format!("/v1/users/{}", ana.id);
    let (status, user) = app.put(&path, Some(&admin.token), json!({"disabled": true})).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!((user["disabled"].as_bool(), user["status"].as_str()), (Some(true), Some("offline")));
    assert_eq!(inbox.closed_by_server().await, SESSION_ENDED);
    assert_eq!(me(&app, &ana.token).await, StatusCode::UNAUTHORIZED);
    let (status, problem) = login(&app, "ana@example.com", PASSWORD).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("account_disabled")));
    let (status, user) = app.put(&path, Some(&admin.token), json!({"disabled": false})).await;
    assert_eq!((status, user["disabled"].as_bool()), (StatusCode::OK, Some(false)));
    assert_eq!(login(&app, "ana@example.com", PASSWORD).await.0, StatusCode::OK);

    // A reset password: every session ends; the old password stops, the new one works.
    let mut inbox = app.inbox_socket(&ben).await;
    let reset = format!("/v1/users/{}/password", ben.id);
    let (status, body) = app.put(&reset, Some(&admin.token), json!({"password": "a new secret"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(inbox.closed_by_server().await, SESSION_ENDED);
    assert_eq!(me(&app, &ben.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&app, "ben@example.com", PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&app, "ben@example.com", "a new secret").await.0, StatusCode::OK);

    // Deleted: not while holding a live chat, then gone with their sessions.
    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let claim = format!("/v1/handoffs/{}/claim", handoff["id"].as_str().unwrap());
    assert_eq!(app.post(&claim, Some(&cleo.token), json!({})).await.0, StatusCode::OK);
    let mut inbox = app.inbox_socket(&cleo).await;
    let path = format!("/v1/users/{}", cleo.id);
    let (status, problem) = app.request(Method::DELETE, &path, Some(&admin.token), None).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("has_live_chats")));
    let close = format!("/v1/handoffs/{}/close", handoff["id"].as_str().unwrap());
    assert_eq!(app.post(&close, Some(&cleo.token), json!({})).await.0, StatusCode::OK);
    let (status, _) = app.request(Method::DELETE, &path, Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(inbox.closed_by_server().await, SESSION_ENDED);
    assert_eq!(me(&app, &cleo.token).await, StatusCode::UNAUTHORIZED);
    let (_, users) = app.get("/v1/users", Some(&admin.token)).await;
    assert!(users.to_string().contains("ana@example.com") && !users.to_string().contains("cleo@"), "{users}");

    // Nobody may do this to themselves, and agents to nobody.
    let own = format!("/v1/users/{}", admin.id);
    assert_eq!(app.put(&own, Some(&admin.token), json!({"disabled": true})).await.0, StatusCode::CONFLICT);
    assert_eq!(app.request(Method::DELETE, &own, Some(&admin.token), None).await.0, StatusCode::CONFLICT);
    let other = format!("/v1/users/{}", ben.id);
    assert_eq!(app.put(&other, Some(&ana.token), json!({"name": "x"})).await.0, StatusCode::UNAUTHORIZED);
    let (_, ana_again) = login(&app, "ana@example.com", PASSWORD).await;
    let ana_token = ana_again["token"].as_str().unwrap();
    assert_eq!(app.put(&other, Some(ana_token), json!({"name": "x"})).await.0, StatusCode::FORBIDDEN);
    // A new role changes what her inbox may carry: she logs in again.
    let path = format!("/v1/users/{}", ana.id);
    let (status, user) = app.put(&path, Some(&admin.token), json!({"role": "admin"})).await;
    assert_eq!((status, user["role"].as_str()), (StatusCode::OK, Some("admin")));
    assert_eq!(me(&app, ana_token).await, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}

async fn users_change_their_own_name_and_password(app: TestApp) {
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let (_, other) = login(&app, "ana@example.com", PASSWORD).await;
    let other = other["token"].as_str().unwrap().to_owned();
    let (status, user) = app.put("/v1/me", Some(&ana.token), json!({"name": "Ana Lima"})).await;
    assert_eq!((status, user["name"].as_str()), (StatusCode::OK, Some("Ana Lima")));
    let (status, _) = app.put("/v1/me", Some(&ana.token), json!({"name": " \u{200B} "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, problem) =
        app.put("/v1/me/password", Some(&ana.token), change("wrong one", "brand new pw")).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::FORBIDDEN, Some("wrong_password")));
    let (status, _) = app.put("/v1/me/password", Some(&ana.token), change(PASSWORD, "short")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.put("/v1/me/password", Some(&ana.token), change(PASSWORD, "brand new pw")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &ana.token).await, StatusCode::OK, "the session used stays");
    assert_eq!(me(&app, &other).await, StatusCode::UNAUTHORIZED, "the others end");
    assert_eq!(login(&app, "ana@example.com", "brand new pw").await.0, StatusCode::OK);
    app.shutdown().await;
}

async fn display_names_are_chosen_and_shown_to_contacts(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let form = json!({"email": "a.lima@example.com", "password": PASSWORD, "role": "agent", "name": "Ana"});
    let (status, user) = app.post("/v1/users", Some(&admin.token), form).await;
    assert_eq!((status, user["name"].as_str()), (StatusCode::CREATED, Some("Ana")), "{user}");
    let (_, session) = login(&app, "a.lima@example.com", PASSWORD).await;
    let token = session["token"].as_str().unwrap();
    let contact = app.start_conversation().await;
    let handoff = app.ask_for_human(&contact).await;
    let claim = format!("/v1/handoffs/{}/claim", handoff["id"].as_str().unwrap());
    assert_eq!(app.post(&claim, Some(token), json!({})).await.0, StatusCode::OK);
    let messages = app.messages(contact.id, &contact.token).await;
    assert!(messages.iter().any(|m| m["text"] == "Ana has joined the conversation."), "{messages:?}");
    let shown = app.contact_view(&contact).await;
    assert_eq!(shown["handoff"]["assignee"]["name"], "Ana");
    app.shutdown().await;
}
