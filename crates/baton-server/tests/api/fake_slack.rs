//! A local stand-in for Slack's Web API, as its public documentation describes the methods
//! Baton calls: `chat.postMessage` and `chat.update` (JSON bodies), `users.info` (a query),
//! each with the bot token as a bearer, answered `{"ok": true, …}` or `{"ok": false, "error"}`.
//! A rate limit is HTTP 429 with `Retry-After` (seconds), as Slack answers a method called too
//! often ([`FakeSlack::rate_limit`]). It also signs calls the way Slack does
//! (`X-Slack-Signature`, `v0`), with its own code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::PATIENCE;

pub const BOT_TOKEN: &str = "xoxb-test-0001";
pub const SIGNING_SECRET: &str = "slack-signing-secret";
pub const CHANNEL: &str = "C0TEAM";

/// A call Baton made: its method and body.
#[derive(Debug, Clone)]
pub struct Posted {
    pub method: String,
    pub body: Value,
    /// The `ts` the fake gave a new message.
    pub ts: Option<String>,
}

#[derive(Clone, Default)]
pub struct FakeSlack {
    posted: Arc<Mutex<Vec<Posted>>>,
    /// While set, `chat.postMessage` answers 429; how many calls it turned away.
    rate_limited: Arc<Mutex<Option<u32>>>,
    emails: Arc<Mutex<HashMap<String, String>>>,
}

impl FakeSlack {
    pub async fn start() -> (Self, String) {
        let fake = Self::default();
        let app = Router::new()
            .route("/api/chat.postMessage", post(post_message))
            .route("/api/chat.update", post(update))
            .route("/api/users.info", get(users_info))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, url)
    }

    /// From now on `chat.postMessage` is rate limited, until [`lift_rate_limit`](Self::lift_rate_limit).
    pub fn rate_limit(&self) {
        *self.rate_limited.lock().unwrap() = Some(0);
    }

    /// Ends the rate limit; how many calls it turned away.
    pub fn lift_rate_limit(&self) -> u32 {
        self.rate_limited.lock().unwrap().take().unwrap_or(0)
    }

    /// How many calls the rate limit has turned away so far.
    pub fn turned_away(&self) -> u32 {
        self.rate_limited.lock().unwrap().unwrap_or(0)
    }

    /// A Slack user and the email on their profile.
    pub fn user(&self, id: &str, email: &str) {
        self.emails.lock().unwrap().insert(id.to_owned(), email.to_owned());
    }

    pub fn posted(&self) -> Vec<Posted> {
        self.posted.lock().unwrap().clone()
    }

    pub async fn until(&self, what: &str, enough: impl Fn(&[Posted]) -> bool) -> Vec<Posted> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let posted = self.posted();
            if enough(&posted) {
                return posted;
            }
            assert!(tokio::time::Instant::now() < deadline, "never posted {what}: {posted:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {BOT_TOKEN}"))
}

async fn post_message(
    State(fake): State<FakeSlack>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !authorized(&headers) {
        return Json(json!({"ok": false, "error": "invalid_auth"})).into_response();
    }
    if let Some(turned_away) = fake.rate_limited.lock().unwrap().as_mut() {
        *turned_away += 1;
        let limited = Json(json!({"ok": false, "error": "ratelimited"}));
        return (axum::http::StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], limited).into_response();
    }
    post_message_accepted(fake, body).into_response()
}

fn post_message_accepted(fake: FakeSlack, body: Value) -> Json<Value> {
    if body["channel"] != CHANNEL {
        return Json(json!({"ok": false, "error": "channel_not_found"}));
    }
    if body["text"].as_str().is_none_or(str::is_empty) {
        return Json(json!({"ok": false, "error": "no_text"}));
    }
    let mut posted = fake.posted.lock().unwrap();
    let ts = format!("1700000000.{:06}", posted.len() + 1);
    posted.push(Posted { method: "chat.postMessage".into(), body: body.clone(), ts: Some(ts.clone()) });
    Json(json!({"ok": true, "channel": CHANNEL, "ts": ts, "message": {"text": body["text"], "ts": ts}}))
}

async fn update(State(fake): State<FakeSlack>, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    if !authorized(&headers) {
        return Json(json!({"ok": false, "error": "invalid_auth"}));
    }
    fake.posted.lock().unwrap().push(Posted { method: "chat.update".into(), body: body.clone(), ts: None });
    Json(json!({"ok": true, "channel": body["channel"], "ts": body["ts"]}))
}

async fn users_info(
    State(fake): State<FakeSlack>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    if !authorized(&headers) {
        return Json(json!({"ok": false, "error": "invalid_auth"}));
    }
    let id = query.get("user").cloned().unwrap_or_default();
    match fake.emails.lock().unwrap().get(&id) {
        Some(email) => Json(json!({"ok": true, "user": {"id": id, "profile": {"email": email}}})),
        None => Json(json!({"ok": false, "error": "user_not_found"})),
    }
}

/// `X-Slack-Signature` for a call at `timestamp` (unix seconds) with `body`, as Slack signs.
pub fn signature(timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SIGNING_SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>())
}
