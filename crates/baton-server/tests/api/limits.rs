//! Rate limits: a burst of logins, new conversations or messages past the limit gets 429 with
//! `Retry-After`, and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TestApp};

async fn limited_app() -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.limits.enabled = true;
        settings.limits.login_per_account_per_minute = 5;
        settings.limits.login_per_address_per_minute = 8;
        settings.limits.conversations_per_address_per_minute = 10;
        settings.limits.messages_per_conversation_per_minute = 6;
        settings.limits.messages_per_token_per_minute = 6;
    })
    .await
}

/// POSTs `body` to `path` `times` times; the statuses, and the last refusal's `Retry-After`.
async fn burst(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    times: usize,
    body: serde_json::Value,
) -> (Vec<u16>, Option<String>) {
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..times {
        let mut request = app.client.post(format!("{}{path}", app.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(response.headers()["content-type"], "application/problem+json");
            let problem: serde_json::Value = response.json().await.unwrap();
            assert_eq!(problem["code"], "rate_limited", "{problem}");
        }
    }
    (statuses, retry_after)
}

fn seconds(retry_after: Option<String>) -> u64 {
    let value = retry_after.expect("a Retry-After header");
    let seconds: u64 = value.parse().expect("whole seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
    seconds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_limited_per_account_and_per_address() {
    let app = limited_app().await;
    app.agent("ana@example.com", baton_core::user::Role::Agent).await; // one login
    let wrong = json!({"email": "ana@example.com", "password": "not the password"});
    let (statuses, retry_after) = burst(&app, "/v1/auth/login", None, 8, wrong).await;
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 4, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 4, "{statuses:?}");
    seconds(retry_after);
    // The right password is refused too while the account is limited: guessing gains nothing.
    let right = json!({"email": "ana@example.com", "password": "correct horse battery"});
    let (statuses, _) = burst(&app, "/v1/auth/login", None, 1, right).await;
    assert_eq!(statuses, [429]);
    // Other accounts from the same address: the per-address limit (8) is nearly spent.
    let other = json!({"email": "ben@example.com", "password": "whatever it is"});
    let (statuses, _) = burst(&app, "/v1/auth/login", None, 3, other).await;
    assert!(statuses.contains(&429), "{statuses:?}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_conversations_and_messages_are_limited() {
    let app = limited_app().await;
    let (statuses, retry_after) = burst(&app, "/v1/conversations", None, 14, json!({})).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 4, "{statuses:?}");
    seconds(retry_after);

    // One conversation created directly (the address's allowance is spent).
    let (conversation, token) = baton_server::service::conversations::start(
        &app.state,
        None,
        Default::default(),
        Default::default(),
        None,
    )
    .await
    .unwrap();
    let path = format!("/v1/conversations/{}/messages", conversation.id);
    let (statuses, retry_after) = burst(&app, &path, Some(&token), 9, json!({"text": "hello?"})).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 6, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3, "{statuses:?}");
    seconds(retry_after);
    let stored = app.state.store.messages_after(conversation.id, 0, true, 100).await.unwrap();
    let from_contact = stored.iter().filter(|m| m.text == "hello?").count();
    assert_eq!(from_contact, 6, "refused messages were not stored");
    app.shutdown().await;
}
