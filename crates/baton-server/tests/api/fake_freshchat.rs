//! A local stand-in for Freshchat's API v2, as its public documentation describes it: bearer
//! token auth; `POST /v2/users` answering the user with its `id`; `POST /v2/conversations`
//! (`channel_id`, `users`, `messages` with `message_parts`) answering its `conversation_id`;
//! `POST /v2/conversations/{id}/messages` answering the message with its `id`; errors as
//! `{"code", "status", "message"}`.
//!
//! It also signs webhooks as Freshchat does (`X-Freshchat-Signature`: RSA PKCS#1 v1.5 with
//! SHA-256 over the raw body, base64), with a key pair made for the run by `openssl`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use crate::helpers::PATIENCE;

pub const API_TOKEN: &str = "freshchat-test-token";
pub const CHANNEL_ID: &str = "9f0e4d8c-topic";

/// What Baton asked of Freshchat.
#[derive(Debug, Clone)]
pub enum Call {
    User { id: String, body: Value },
    Conversation { id: String, body: Value },
    Message { conversation: String, body: Value },
}

#[derive(Clone, Default)]
pub struct FakeFreshchat {
    calls: Arc<Mutex<Vec<Call>>>,
    failures: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
}

/// An RSA key pair for signing webhooks: the private key (PKCS#1 DER) and the public key as
/// the PEM Freshchat shows.
pub struct SigningKey {
    private: Vec<u8>,
    pub public_pem: String,
}

impl SigningKey {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private.der");
        let run = |args: &[&str]| {
            let out = std::process::Command::new("openssl").args(args).output().expect("openssl");
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        let path = private.to_str().unwrap();
        run(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-outform",
            "DER",
            "-out",
            path,
        ]);
        let public = run(&["pkey", "-inform", "DER", "-in", path, "-pubout"]);
        Self { private: std::fs::read(&private).unwrap(), public_pem: String::from_utf8(public).unwrap() }
    }

    /// `X-Freshchat-Signature` for `body`.
    pub fn sign(&self, body: &[u8]) -> String {
        let pair = ring::signature::RsaKeyPair::from_der(&self.private).unwrap();
        let mut signature = vec![0; pair.public().modulus_len()];
        let rng = ring::rand::SystemRandom::new();
        pair.sign(&ring::signature::RSA_PKCS1_SHA256, &rng, body, &mut signature).unwrap();
        BASE64.encode(signature)
    }
}

impl FakeFreshchat {
    pub async fn start() -> (Self, String) {
        let fake = Self::default();
        let app = Router::new()
            .route("/v2/users", post(users))
            .route("/v2/conversations", post(conversations))
            .route("/v2/conversations/{id}/messages", post(messages))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v2", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, url)
    }

    /// The next request is answered with a Freshchat error.
    pub fn fail_next(&self, status: u16, message: &str) {
        let body = json!({"code": status, "status": "FAILED", "message": message});
        self.failures.lock().unwrap().push_back((StatusCode::from_u16(status).unwrap(), body));
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    pub async fn until(&self, what: &str, enough: impl Fn(&[Call]) -> bool) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let calls = self.calls();
            if enough(&calls) {
                return calls;
            }
            assert!(tokio::time::Instant::now() < deadline, "never {what}: {calls:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Checks what every call must carry; the failure to answer when it does not.
    fn refused(&self, headers: &HeaderMap) -> Option<Response> {
        let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
        if auth != Some(&format!("Bearer {API_TOKEN}")) {
            let body = json!({"code": 401, "status": "UNAUTHORIZED", "message": "Invalid token"});
            return Some((StatusCode::UNAUTHORIZED, Json(body)).into_response());
        }
        self.failures.lock().unwrap().pop_front().map(|(status, body)| (status, Json(body)).into_response())
    }
}

fn text_of(message: &Value) -> Option<&str> {
    message["message_parts"][0]["text"]["content"].as_str()
}

async fn users(State(fake): State<FakeFreshchat>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refused) = fake.refused(&headers) {
        return refused;
    }
    if body["reference_id"].as_str().is_none_or(str::is_empty) {
        return (StatusCode::BAD_REQUEST, Json(json!({"code": 400, "message": "reference_id"})))
            .into_response();
    }
    let mut calls = fake.calls.lock().unwrap();
    let id = format!("user-{}", calls.len() + 1);
    calls.push(Call::User { id: id.clone(), body: body.clone() });
    let mut user = body;
    user["id"] = json!(id);
    (StatusCode::CREATED, Json(user)).into_response()
}

async fn conversations(
    State(fake): State<FakeFreshchat>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = fake.refused(&headers) {
        return refused;
    }
    let valid = body["channel_id"] == CHANNEL_ID
        && body["users"][0]["id"].is_string()
        && body["messages"].as_array().is_some_and(|m| m.iter().all(|m| text_of(m).is_some()));
    if !valid {
        return (StatusCode::BAD_REQUEST, Json(json!({"code": 400, "message": "invalid conversation"})))
            .into_response();
    }
    let mut calls = fake.calls.lock().unwrap();
    let id = format!("conversation-{}", calls.len() + 1);
    calls.push(Call::Conversation { id: id.clone(), body: body.clone() });
    (StatusCode::CREATED, Json(json!({"conversation_id": id, "status": "new", "channel_id": CHANNEL_ID})))
        .into_response()
}

async fn messages(
    State(fake): State<FakeFreshchat>,
    Path(conversation): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = fake.refused(&headers) {
        return refused;
    }
    if text_of(&body).is_none() || body["actor_type"] != "user" || !body["actor_id"].is_string() {
        return (StatusCode::BAD_REQUEST, Json(json!({"code": 400, "message": "invalid message"})))
            .into_response();
    }
    let mut calls = fake.calls.lock().unwrap();
    let id = format!("message-{}", calls.len() + 1);
    calls.push(Call::Message { conversation, body: body.clone() });
    (StatusCode::CREATED, Json(json!({"id": id}))).into_response()
}

/// Freshchat's webhook bodies.
pub fn agent_message(conversation: &str, id: &str, text: &str) -> Value {
    json!({"actor": {"actor_type": "agent", "actor_id": "agent-7"}, "action": "message_create",
        "action_time": "2026-12-07T10:00:00.000Z",
        "data": {"message": {"message_parts": [{"text": {"content": text}}], "app_id": "app-1",
            "actor_id": "agent-7", "id": id, "channel_id": CHANNEL_ID, "conversation_id": conversation,
            "message_type": "normal", "actor_type": "agent", "created_time": "2026-12-07T10:00:00.000Z"}}})
}

pub fn assignment(conversation: &str) -> Value {
    json!({"actor": {"actor_type": "agent", "actor_id": "agent-7"}, "action": "conversation_assignment",
        "action_time": "2026-12-07T10:00:00.000Z",
        "data": {"assignment": {"assignor": "agent", "assignor_id": "agent-7", "to_agent_id": "agent-7",
            "to_group_id": "", "from_agent_id": "", "from_group_id": "",
            "conversation": {"conversation_id": conversation, "channel_id": CHANNEL_ID, "status": "assigned"}}}})
}

pub fn resolution(conversation: &str) -> Value {
    json!({"actor": {"actor_type": "agent", "actor_id": "agent-7"}, "action": "conversation_resolution",
        "action_time": "2026-12-07T10:00:00.000Z",
        "data": {"resolve": {"resolver": "agent", "resolver_id": "agent-7",
            "conversation": {"conversation_id": conversation, "channel_id": CHANNEL_ID, "status": "resolved"}}}})
}
