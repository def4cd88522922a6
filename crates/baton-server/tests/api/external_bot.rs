//! An external bot behind a signed webhook: Baton delivers each contact message with a
//! Standard Webhooks signature (checked here independently of Baton's code), and the bot
//! answers in its response or later through the bot API with its key.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::user::Role;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::ai_backends::create_bot;
use crate::helpers::TestApp;

crate::on_both_backends!(an_external_bot_answers_now_or_through_the_api, a_failing_external_bot_hands_off);

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One delivery as the external bot received it.
#[derive(Debug, Clone)]
pub struct Delivery {
    id: String,
    signed: bool,
    body: Value,
}

#[derive(Clone, Default)]
pub struct ExternalBot {
    deliveries: Arc<Mutex<Vec<Delivery>>>,
}

impl ExternalBot {
    pub async fn start() -> (Self, String) {
        let bot = Self::default();
        let app = Router::new().route("/hook", post(receive)).with_state(bot.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (bot, url)
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.deliveries.lock().unwrap().clone()
    }
}

/// Verifies the signature as the Standard Webhooks specification describes it.
fn verify(headers: &HeaderMap, body: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (id, timestamp, signatures) =
        (header("webhook-id"), header("webhook-timestamp"), header("webhook-signature"));
    let Ok(seconds) = timestamp.parse::<u64>() else { return false };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    if now.abs_diff(seconds) > 300 {
        return false;
    }
    let key = BASE64.decode(SECRET.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let expected = format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()));
    signatures.split(' ').any(|signature| signature == expected)
}

async fn receive(State(bot): State<ExternalBot>, headers: HeaderMap, body: String) -> Response {
    let signed = verify(&headers, &body);
    let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    bot.deliveries.lock().unwrap().push(Delivery { id, signed, body: parsed.clone() });
    if !signed {
        return AxumStatus::UNAUTHORIZED.into_response();
    }
    let text = parsed["data"]["text"].as_str().unwrap_or_default();
    if text.contains("right now") {
        axum::Json(json!({"text": "Here is your answer at once."})).into_response()
    } else if text.contains("broken") {
        (AxumStatus::INTERNAL_SERVER_ERROR, "internal error").into_response()
    } else {
        AxumStatus::ACCEPTED.into_response()
    }
}

async fn external_bot(app: &TestApp) -> (ExternalBot, String, String) {
    let (external, url) = ExternalBot::start().await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let settings = json!({
        "backend": {"kind": "webhook", "url": url, "secret": SECRET, "timeout_ms": 2000},
        "policy": {"availability_check": false},
    });
    let bot = create_bot(app, &admin.token, settings).await;
    let (status, key) = app.post(&format!("/v1/bots/{bot}/api-key"), Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let key = key["api_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("bk_"));
    (external, bot, key)
}

async fn an_external_bot_answers_now_or_through_the_api(app: TestApp) {
    let (external, _bot, key) = external_bot(&app).await;
    let contact = app.conversation_with(&_bot).await;

    app.say(&contact, "I need an answer right now").await;
    app.bot_idle(contact.id).await;
    let delivery = external.deliveries().pop().unwrap();
    assert!(delivery.signed, "{delivery:?}");
    assert_eq!(delivery.body["type"], "message.created");
    assert_eq!(delivery.body["data"]["conversation_id"], contact.id.to_string());
    assert_eq!(delivery.body["data"]["text"], "I need an answer right now");
    let last = app.messages(contact.id, &contact.token).await.pop().unwrap();
    assert_eq!(
        (last["author"]["kind"].as_str(), last["text"].as_str()),
        (Some("bot"), Some("Here is your answer at once."))
    );

    // Acknowledged now, answered later through the API.
    app.say(&contact, "What about my order?").await;
    app.bot_idle(contact.id).await;
    assert_eq!(app.messages(contact.id, &contact.token).await.pop().unwrap()["author"]["kind"], "contact");
    let path = format!("/v1/bot/conversations/{}/messages", contact.id);
    let (status, message) =
        app.post(&path, Some(&key), json!({"text": "Your order ships today.", "client_id": "a1"})).await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    assert_eq!(message["author"]["kind"], "bot");
    let (status, _) =
        app.post(&path, Some(&key), json!({"text": "Your order ships today.", "client_id": "a1"})).await;
    assert_eq!(status, StatusCode::OK, "a repeated client_id is not written twice");

    // Keys are checked, and a bot reaches only its own conversations.
    let (status, problem) = app.post(&path, Some("bk_wrong"), json!({"text": "x"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _) = app.post(&path, Some(&contact.token), json!({"text": "x"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let other = app.start_conversation().await;
    let (status, _) = app
        .post(&format!("/v1/bot/conversations/{}/messages", other.id), Some(&key), json!({"text": "x"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.post(&path, Some(&key), json!({"text": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The external bot hands off; after that it may not write.
    let handoff_path = format!("/v1/bot/conversations/{}/handoff", contact.id);
    let (status, handoff) = app
        .post(
            &handoff_path,
            Some(&key),
            json!({"reason_code": "missing_knowledge", "reason": "Order questions need the warehouse.",
                   "priority": "high", "message": "Un momento, le paso con el equipo."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{handoff}");
    assert_eq!(handoff["trigger"], "ai_decision");
    assert_eq!(handoff["priority"], "high");
    assert_eq!(handoff["state"], "queued");
    let (status, problem) = app.post(&path, Some(&key), json!({"text": "still here"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "not_bot_owned");
    let (status, _) = app.post(&handoff_path, Some(&key), json!({"reason_code": "nonsense"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let texts: Vec<String> = app
        .messages(contact.id, &contact.token)
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(texts.contains(&"Un momento, le paso con el equipo.".to_owned()), "{texts:?}");
    assert!(!texts.contains(&"still here".to_owned()));
}

async fn a_failing_external_bot_hands_off(app: TestApp) {
    let (external, bot, _key) = external_bot(&app).await;
    let contact = app.conversation_with(&bot).await;
    app.say(&contact, "this will be broken").await;
    app.bot_idle(contact.id).await;
    let deliveries = external.deliveries();
    assert_eq!(deliveries.len(), 2, "one retry");
    assert_eq!(deliveries[0].id, deliveries[1].id, "a retry carries the same webhook-id");
    let handoff = &app.conversation(&contact).await["handoff"];
    assert_eq!(handoff["trigger"], "bot_failure");
    assert!(handoff["reason"].as_str().unwrap().contains("500"), "{handoff}");
}
