//! A local stand-in for Twilio's Messages API, as its public documentation describes it:
//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP basic auth with the account SID
//! and auth token, a form with `To`, `From` (or `MessagingServiceSid`), `Body` (at most 1,600
//! characters) and `StatusCallback`, answered 201 with the message resource (`sid`, `status`…)
//! or an error `{"code", "message", "more_info", "status"}`.
//!
//! It also signs webhooks the way Twilio does (`X-Twilio-Signature`), with its own code.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha1::Sha1;

use crate::helpers::PATIENCE;

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "test-auth-token-0123";
pub const FROM: &str = "+14155550100";

/// One message Baton sent, as the fake received it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub to: String,
    pub from: String,
    pub body: String,
    pub status_callback: String,
    pub sid: String,
}

#[derive(Clone, Default)]
pub struct FakeTwilio {
    sent: Arc<Mutex<Vec<Sent>>>,
    failures: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
}

impl FakeTwilio {
    pub async fn start() -> (Self, String) {
        let fake = Self::default();
        let app = Router::new()
            .route("/2010-04-01/Accounts/{account}/Messages.json", post(messages))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, url)
    }

    /// The next request is answered with a Twilio error.
    pub fn fail_next(&self, status: u16, code: i64, message: &str) {
        let body = json!({"code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status});
        self.failures.lock().unwrap().push_back((StatusCode::from_u16(status).unwrap(), body));
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub async fn until(&self, what: &str, enough: impl Fn(&[Sent]) -> bool) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let sent = self.sent();
            if enough(&sent) {
                return sent;
            }
            assert!(tokio::time::Instant::now() < deadline, "never sent {what}: {sent:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message, "more_info": "", "status": status.as_u16()})))
        .into_response()
}

async fn messages(
    State(fake): State<FakeTwilio>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let expected = format!("Basic {}", BASE64.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}")));
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if account != ACCOUNT_SID || auth != expected {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let is_form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let field = |name: &str| form.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
    if let Some((status, error)) = fake.failures.lock().unwrap().pop_front() {
        return (status, Json(error)).into_response();
    }
    let (to, from, text) = (field("To"), field("From"), field("Body"));
    if !is_form || !to.starts_with('+') || from.is_empty() {
        return error(StatusCode::BAD_REQUEST, 21604, "A 'To' and a 'From' phone number are required.");
    }
    if text.is_empty() || text.chars().count() > 1600 {
        return error(
            StatusCode::BAD_REQUEST,
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        );
    }
    let sid = format!("SM{:032x}", fake.sent.lock().unwrap().len() + 1);
    fake.sent.lock().unwrap().push(Sent {
        to: to.clone(),
        from: from.clone(),
        body: text.clone(),
        status_callback: field("StatusCallback"),
        sid: sid.clone(),
    });
    let resource = json!({"sid": sid, "account_sid": ACCOUNT_SID, "to": to, "from": from, "body": text,
        "status": "queued", "num_segments": "1", "direction": "outbound-api"});
    (StatusCode::CREATED, Json(resource)).into_response()
}

/// `X-Twilio-Signature` for a call of `url` with `fields`, as Twilio computes it.
pub fn signature(url: &str, fields: &[(&str, &str)]) -> String {
    let mut sorted = fields.to_vec();
    sorted.sort();
    let mut data = url.to_owned();
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(AUTH_TOKEN.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}
