//! Bad input gets a clear 4xx problem+json and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

crate::on_both_backends!(bad_input_is_refused_and_stores_nothing, ops_endpoints_answer);

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
