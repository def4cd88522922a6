//! Bad input gets a clear 4xx problem+json and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

crate::on_both_backends!(
    bad_input_is_refused_and_stores_nothing,
    ops_endpoints_answer,
    control_characters_are_refused_everywhere_and_invisible_text_is_empty,
    bot_settings_are_range_checked_and_fit_in_a_message,
    a_websocket_after_beyond_the_end_still_gets_new_messages,
);

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: String,
) -> (StatusCode, String, Value) {
    let response = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.json().await.unwrap_or(Value::Null))
}

async fn bad_input_is_refused_and_stores_nothing(app: TestApp) {
    let agent = app.agent("qa@example.com", baton_core::user::Role::Admin).await;
    let contact = app.start_conversation().await;
    let messages = format!("/v1/conversations/{}/messages", contact.id);
    let json_type = "application/json";
    let cases: Vec<(Method, String, &str, String, u16, &str)> = vec![
        (Method::POST, messages.clone(), json_type, "{\"text\": ".into(), 400, "malformed_json"),
        (Method::POST, messages.clone(), json_type, "{}".into(), 422, "invalid_body"),
        (Method::POST, messages.clone(), json_type, "{\"text\": 5}".into(), 422, "invalid_body"),
        (
            Method::POST,
            messages.clone(),
            json_type,
            "{\"text\": \"hi\", \"extra\": 1}".into(),
            422,
            "invalid_body",
        ),
        (
            Method::POST,
            messages.clone(),
            json_type,
            json!({"text": "   "}).to_string(),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            messages.clone(),
            json_type,
            json!({"text": "x".repeat(4001)}).to_string(),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            messages.clone(),
            json_type,
            json!({"text": "hi", "client_id": ""}).to_string(),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            messages.clone(),
            json_type,
            json!({"text": "x".repeat(70_000)}).to_string(),
            413,
            "payload_too_large",
        ),
        (
            Method::POST,
            messages.clone(),
            "text/plain",
            json!({"text": "hi"}).to_string(),
            415,
            "unsupported_media_type",
        ),
        (
            Method::POST,
            "/v1/conversations/not-a-uuid/messages".into(),
            json_type,
            json!({"text": "hi"}).to_string(),
            400,
            "invalid_id",
        ),
        (
            Method::POST,
            format!("/v1/conversations/{}/feedback", contact.id),
            json_type,
            json!({"rating": 6}).to_string(),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            format!("/v1/conversations/{}/feedback", contact.id),
            json_type,
            json!({"rating": 3}).to_string(),
            409,
            "feedback_not_pending",
        ),
        (
            Method::POST,
            format!("/v1/conversations/{}/lead", contact.id),
            json_type,
            json!({"email": "a@b.co"}).to_string(),
            409,
            "not_offline",
        ),
        (
            Method::POST,
            "/v1/conversations".into(),
            json_type,
            json!({"contact": {"email": "nope"}}).to_string(),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            "/v1/conversations".into(),
            json_type,
            json!({"bot_id": "0190e1a2-0000-7000-8000-000000000000"}).to_string(),
            422,
            "unknown_bot",
        ),
        (
            Method::POST,
            "/v1/conversations".into(),
            json_type,
            json!({"bot_id": "nope"}).to_string(),
            422,
            "invalid_body",
        ),
        (Method::DELETE, messages.clone(), json_type, String::new(), 405, "method_not_allowed"),
        (Method::GET, "/v1/nothing-here".into(), json_type, String::new(), 404, "not_found"),
    ];
    for (method, path, content_type, body, status, code) in cases {
        let (got, got_type, problem) =
            raw(&app, method.clone(), &path, &contact.token, content_type, body).await;
        assert_eq!(got.as_u16(), status, "{method} {path}: {problem}");
        assert_eq!(got_type, "application/problem+json", "{method} {path}");
        assert_eq!(problem["code"], code, "{method} {path}: {problem}");
        assert_eq!(problem["status"], status, "{problem}");
        assert!(!problem["detail"].as_str().unwrap_or("").is_empty(), "{problem}");
    }
    let user_cases: Vec<(Method, &str, Value, u16, &str)> = vec![
        (Method::GET, "/v1/handoffs?state=sleeping", Value::Null, 400, "invalid_query"),
        (Method::PUT, "/v1/me/status", json!({"status": "busy"}), 422, "invalid_body"),
        (
            Method::POST,
            "/v1/handoffs/0190e1a2-0000-7000-8000-000000000000/claim",
            json!({}),
            404,
            "not_found",
        ),
        (
            Method::POST,
            "/v1/users",
            json!({"email": "x@example.com", "password": "short", "role": "agent"}),
            422,
            "validation_failed",
        ),
        (
            Method::POST,
            "/v1/users",
            json!({"email": "qa@example.com", "password": "long enough", "role": "agent"}),
            409,
            "email_taken",
        ),
    ];
    for (method, path, body, status, code) in user_cases {
        let body = if body.is_null() { None } else { Some(body) };
        let (got, problem) = app.request(method.clone(), path, Some(&agent.token), body).await;
        assert_eq!(got.as_u16(), status, "{method} {path}: {problem}");
        assert_eq!(problem["code"], code, "{method} {path}: {problem}");
    }
    let (status, problem) = app
        .post("/v1/auth/login", None, json!({"email": "qa@example.com", "password": "wrong password"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _) = app.get("/v1/me", Some("us_not-a-session")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Nothing was stored: only the greeting, no handoff, and no extra conversation or user.
    app.bot_idle(contact.id).await;
    assert_eq!(app.messages(contact.id, &contact.token).await.len(), 1);
    assert_eq!(app.conversation(&contact).await["state"], "bot");
    assert_eq!(app.state.store.count_users().await.unwrap(), 1, "only qa");
    app.shutdown().await;
}

async fn ops_endpoints_answer(app: TestApp) {
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    let (status, ready) = app.get("/readyz", None).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert_eq!(ready["coordinating"], true, "a lone server does the coordinating work: {ready}");
    let (status, spec) = app.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/conversations",
        "/v1/conversations/{id}/messages",
        "/v1/handoffs/{id}/claim",
        "/v1/auth/login",
        "/v1/ws",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    for (path, kind) in [
        ("/widget.js", "javascript"),
        ("/demo", "html"),
        ("/inbox", "html"),
        ("/assets/inbox.js", "javascript"),
    ] {
        let response = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.contains(kind), "{path}: {content_type}");
        assert!(!response.text().await.unwrap().is_empty());
    }
    app.shutdown().await;
}

async fn control_characters_are_refused_everywhere_and_invisible_text_is_empty(app: TestApp) {
    let admin = app.agent("qa@example.com", baton_core::user::Role::Admin).await;
    let contact = app.start_conversation().await;
    let messages = format!("/v1/conversations/{}/messages", contact.id);
    let from_contact =
        |messages: Vec<Value>| messages.into_iter().filter(|m| m["author"]["kind"] == "contact").count();
    assert_eq!(from_contact(app.messages(contact.id, &admin.token).await), 0);
    let cases: Vec<(&str, Option<&str>, Value)> = vec![
        ("/v1/conversations", None, json!({"contact": {"name": "Ana\u{0}"}})),
        ("/v1/conversations", None, json!({"locale": "en\u{0}"})),
        ("/v1/auth/login", None, json!({"email": "qa@example.com\u{0}", "password": "x"})),
        (&messages, Some(&contact.token), json!({"text": "hello\u{0}world"})),
        (&messages, Some(&contact.token), json!({"text": "bell \u{7}"})),
        (&messages, Some(&contact.token), json!({"text": "c1 \u{85}"})),
        (&messages, Some(&contact.token), json!({"text": "hi", "client_id": "a\u{0}"})),
        ("/v1/teams", Some(&admin.token), json!({"name": "ops\u{0}"})),
    ];
    for (path, token, body) in cases {
        let (status, problem) = app.post(path, token, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}: {problem}");
        assert_eq!(problem["code"], "control_character", "{problem}");
    }
    for blank in ["\u{200B}", " \u{FEFF}\u{2060} ", "\u{3164}"] {
        let (status, problem) = app.post(&messages, Some(&contact.token), json!({"text": blank})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blank:?}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("empty"), "{problem}");
    }
    // Tabs and line breaks are text.
    app.say(&contact, "line one\r\nline two\twith a tab").await;
    let stored = from_contact(app.messages(contact.id, &admin.token).await);
    assert_eq!(stored, 1, "only the good message was stored");
    app.shutdown().await;
}

async fn bot_settings_are_range_checked_and_fit_in_a_message(app: TestApp) {
    let admin = app.agent("qa@example.com", baton_core::user::Role::Admin).await;
    let long = "x".repeat(4_001);
    let cases = [
        (
            json!({"policy": {"preset": "advanced", "triggers": {"frustration_threshold": 7}}}),
            "frustration_threshold",
        ),
        (
            json!({"policy": {"preset": "advanced", "triggers": {"frustration_threshold": -0.5}}}),
            "frustration_threshold",
        ),
        (json!({"policy": {"triggers": {"bot_failure_threshold": 100000}}}), "bot_failure_threshold"),
        (json!({"greeting": long}), "greeting"),
        (json!({"faq": [{"keywords": ["a"], "answer": long}]}), "faq[0].answer"),
        (json!({"policy": {"messages": {"en": {"closing": long}}}}), "messages.en.closing"),
    ];
    for (settings, field) in cases {
        let (status, problem) =
            app.post("/v1/bots", Some(&admin.token), json!({"name": "bad", "settings": settings})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(field), "{field}: {problem}");
    }
    let (_, bots) = app.get("/v1/bots", Some(&admin.token)).await;
    assert_eq!(bots.as_array().map(Vec::len), Some(1), "only the demo bot: {bots}");
    app.shutdown().await;
}

async fn a_websocket_after_beyond_the_end_still_gets_new_messages(app: TestApp) {
    let contact = app.start_conversation().await;
    let mut socket = app.contact_socket(&contact, 1_000).await;
    app.say(&contact, "are you there?").await;
    let message = socket.message_from("contact").await;
    assert_eq!(message["text"], "are you there?");
    app.shutdown().await;
}
