//! Webhooks through the real thing: endpoints made over the API, deliveries POSTed to a
//! receiver on this machine that checks each Standard Webhooks signature itself (not with
//! Baton's code), retries on the test clock, and a restart in the middle of them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::user::Role;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{PATIENCE, TestApp};

crate::on_both_backends!(
    settings = |settings| settings.webhooks.retry_schedule_seconds = vec![60, 600];
    the_handoff_loop_reaches_an_endpoint_signed_once_and_in_order,
    a_failing_endpoint_is_retried_then_marked_failing_and_the_admin_told,
    a_delivery_waiting_for_its_retry_survives_a_restart,
    endpoints_are_checked_and_managed_by_admins_only,
);

/// One request as the receiver saw it.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: i64,
    /// Whether `webhook-signature` holds the signature computed here with the secret.
    signed: bool,
    body: Value,
}

/// An HTTP endpoint that records every delivery and answers 204, or 500 while failing.
#[derive(Clone, Default)]
struct Receiver {
    secret: Arc<Mutex<String>>,
    failing: Arc<AtomicBool>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start() -> (Self, String) {
        let receiver = Self::default();
        let app = Router::new().route("/events", post(receive)).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/events", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    fn set_secret(&self, secret: &str) {
        *self.secret.lock().unwrap() = secret.to_owned();
    }

    fn fail(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `enough` holds of what was received.
    async fn until(&self, what: &str, enough: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let received = self.received();
            if enough(&received) {
                return received;
            }
            assert!(tokio::time::Instant::now() < deadline, "never received {what}: {received:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The signature as the Standard Webhooks specification defines it: HMAC-SHA256, keyed with
/// the base64 after `whsec_`, over `id.timestamp.body`, sent as `v1,<base64>` (several may be
/// sent, separated by spaces).
fn signed(secret: &str, headers: &HeaderMap, body: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let Some(key) = secret.strip_prefix("whsec_").and_then(|key| BASE64.decode(key).ok()) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{body}", header("webhook-id"), header("webhook-timestamp")).as_bytes());
    let expected = format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()));
    header("webhook-signature").split(' ').any(|signature| signature == expected)
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> Response {
    let secret = receiver.secret.lock().unwrap().clone();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    receiver.received.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or(-1),
        signed: signed(&secret, &headers, &body),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    });
    if receiver.failing.load(Ordering::SeqCst) {
        (AxumStatus::INTERNAL_SERVER_ERROR, "database down").into_response()
    } else {
        AxumStatus::NO_CONTENT.into_response()
    }
}

/// `POST /v1/webhooks` as `admin`; returns the endpoint's id, and gives the receiver its secret.
async fn subscribe(app: &TestApp, admin: &str, receiver: &Receiver, url: &str, events: Value) -> String {
    let (status, created) = app
        .post("/v1/webhooks", Some(admin), json!({"url": url, "events": events, "description": "CRM"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{created}");
    receiver.set_secret(secret);
    created["id"].as_str().unwrap().to_owned()
}

async fn deliveries(app: &TestApp, admin: &str, webhook: &str) -> Vec<Value> {
    let (status, page) = app.get(&format!("/v1/webhooks/{webhook}/deliveries"), Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["deliveries"].as_array().unwrap().clone()
}

/// Moves the clock on and sends what came due (the server's sender may take some first).
async fn later(app: &TestApp, by: Duration) {
    app.clock.advance(by);
    baton_server::webhooks::sender::deliver_due(&app.state).await.unwrap();
}

fn types(received: &[Received]) -> Vec<String> {
    received.iter().map(|r| r.body["type"].as_str().unwrap_or_default().to_owned()).collect()
}

async fn the_handoff_loop_reaches_an_endpoint_signed_once_and_in_order(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let before = app.start_conversation().await;
    let (receiver, url) = Receiver::start().await;
    let webhook = subscribe(&app, &admin.token, &receiver, &url, json!(["*"])).await;

    let agent = app.online_agent("ana@example.com").await;
    let contact = app.start_conversation().await;
    app.say(&contact, "Where is my parcel?").await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let claim = app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let reply = json!({"text": "Hi, I'm Ana."});
    app.post(&format!("/v1/conversations/{}/messages", contact.id), Some(&agent.token), reply).await;
    let close = app.post(&format!("/v1/handoffs/{handoff}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    let rated = app
        .post(
            &format!("/v1/conversations/{}/feedback", contact.id),
            Some(&contact.token),
            json!({"rating": 5}),
        )
        .await;
    assert_eq!(rated.0, StatusCode::OK, "{}", rated.1);

    let received =
        receiver.until("feedback.received", |r| types(r).contains(&"feedback.received".into())).await;
    assert!(received.iter().all(|r| r.signed), "every delivery verifies: {received:#?}");
    let mut ids: Vec<&str> = received.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), received.len(), "each event once");
    let now = app.state.now().as_millis() / 1000;
    assert!(received.iter().all(|r| (now - r.timestamp).abs() < 60), "webhook-timestamp is unix seconds");
    let first = &received[0].body;
    assert!(first["timestamp"].as_str().unwrap().ends_with('Z'), "{first}");
    assert!(
        received.iter().all(|r| r.body["data"]["conversation_id"] != before.id.to_string()),
        "what happened before the endpoint existed is not sent"
    );
    let agent_created = received.iter().find(|r| r.body["type"] == "user.created").expect("user.created");
    assert_eq!(agent_created.body["data"]["user_id"], agent.id.as_str());

    // The conversation's events arrive in the order they happened.
    let mine: Vec<&Received> =
        received.iter().filter(|r| r.body["data"]["conversation_id"] == contact.id.to_string()).collect();
    let kinds = types(&mine.iter().map(|r| (*r).clone()).collect::<Vec<_>>());
    let position =
        |kind: &str| kinds.iter().position(|k| k == kind).unwrap_or_else(|| panic!("{kind} in {kinds:?}"));
    let lifecycle = [
        "conversation.started",
        "handoff.queued",
        "handoff.assigned",
        "handoff.closed",
        "conversation.returned_to_bot",
        "feedback.requested",
        "feedback.received",
    ];
    let positions: Vec<usize> = lifecycle.iter().map(|kind| position(kind)).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{kinds:?}");
    let seqs: Vec<i64> = mine
        .iter()
        .filter(|r| r.body["type"] == "message.created")
        .map(|r| r.body["data"]["seq"].as_i64().unwrap())
        .collect();
    assert!(seqs.len() >= 4 && seqs.windows(2).all(|pair| pair[0] < pair[1]), "messages in order: {seqs:?}");
    let closed = mine.iter().find(|r| r.body["type"] == "handoff.closed").unwrap();
    assert_eq!(closed.body["data"]["id"], handoff.as_str(), "handoff events carry the handoff");
    assert_eq!(closed.body["data"]["assignee"]["name"], agent.name);

    // The delivery list tells the same story, once each attempt is recorded.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let listed = loop {
        let listed = deliveries(&app, &admin.token, &webhook).await;
        if listed.iter().all(|d| d["status"] == "delivered") || tokio::time::Instant::now() > deadline {
            break listed;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(listed.len(), receiver.received().len(), "{listed:#?}");
    assert!(
        listed.iter().all(|d| d["status"] == "delivered" && d["attempts"] == 1 && d["response_code"] == 204)
    );
    assert!(listed.iter().all(|d| d["latency_ms"].is_u64() && d["next_attempt_at"].is_null()));
    let event_ids: Vec<i64> = listed.iter().map(|d| d["event_id"].as_i64().unwrap()).collect();
    assert!(event_ids.windows(2).all(|pair| pair[0] > pair[1]), "newest first: {event_ids:?}");
    app.shutdown().await;
}

async fn a_failing_endpoint_is_retried_then_marked_failing_and_the_admin_told(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let mut admin_inbox = app.inbox_socket(&admin).await;
    let mut agent_inbox = app.inbox_socket(&agent).await;
    let (receiver, url) = Receiver::start().await;
    receiver.fail(true);
    let webhook = subscribe(&app, &admin.token, &receiver, &url, json!(["team.created"])).await;
    let (status, team) = app.post("/v1/teams", Some(&admin.token), json!({"name": "Billing"})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");

    receiver.until("the first attempt", |r| r.len() == 1).await;
    let first = app_until(&app, &admin.token, &webhook, |d| d["attempts"] == 1).await;
    assert_eq!((first["status"].as_str(), first["attempts"].as_u64()), (Some("pending"), Some(1)), "{first}");
    assert_eq!(first["response_code"], 500);
    assert!(first["error"].as_str().unwrap().contains("database down"), "{first}");
    let wait = first["next_attempt_at"].as_i64().unwrap() - first["last_attempt_at"].as_i64().unwrap();
    assert_eq!(wait, 60_000, "the first retry a minute later, as configured");

    // Not before its time.
    later(&app, Duration::from_secs(30)).await;
    assert_eq!(receiver.received().len(), 1);
    later(&app, Duration::from_secs(31)).await;
    receiver.until("the second attempt", |r| r.len() == 2).await;
    app_until(&app, &admin.token, &webhook, |d| d["attempts"] == 2).await;
    later(&app, Duration::from_secs(601)).await;
    let attempts = receiver.until("the last attempt", |r| r.len() == 3).await;
    assert!(attempts.iter().all(|a| a.signed && a.id == attempts[0].id), "one webhook-id for every attempt");
    assert!(attempts.iter().all(|a| a.body == attempts[0].body), "the same body every time");
    assert_eq!(attempts[0].body["data"]["name"], "Billing");

    // Given up: the endpoint is failing, and the admins' inboxes say so.
    let failing = admin_inbox.until("webhook.failing", |_| true).await;
    assert_eq!(failing["webhook_id"], webhook.as_str());
    assert_eq!((failing["attempts"].as_u64(), failing["response_code"].as_u64()), (Some(3), Some(500)));
    let given_up = deliveries(&app, &admin.token, &webhook).await.remove(0);
    assert_eq!(given_up["status"], "failed", "{given_up}");
    let (_, endpoint) = app.get(&format!("/v1/webhooks/{webhook}"), Some(&admin.token)).await;
    assert_eq!(endpoint["status"], "failing");
    later(&app, Duration::from_secs(36_000)).await;
    assert_eq!(receiver.received().len(), 3, "no attempt after the last");
    // An agent's inbox does not carry it: what it saw up to a later event holds no such thing.
    let away =
        app.request(Method::PUT, "/v1/me/status", Some(&agent.token), Some(json!({"status": "away"}))).await;
    assert_eq!(away.0, StatusCode::OK, "{}", away.1);
    let mut seen = Vec::new();
    loop {
        let (kind, data) = agent_inbox.next().await;
        seen.push(kind.clone());
        if kind == "user.status_changed" && data["status"] == "away" {
            break;
        }
    }
    assert!(!seen.contains(&"webhook.failing".to_string()), "{seen:?}");

    // Fixed, and retried by hand: delivered, and the endpoint is active again.
    receiver.fail(false);
    let path = format!("/v1/webhooks/{webhook}/deliveries/{}/retry", given_up["id"].as_str().unwrap());
    let (status, retried) = app.post(&path, Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{retried}");
    let again = receiver.until("the manual retry", |r| r.len() >= 4).await;
    assert_eq!(again[3].id, attempts[0].id);
    let delivered = app_until(&app, &admin.token, &webhook, |d| d["status"] == "delivered").await;
    assert_eq!(delivered["attempts"], 4);
    let (_, endpoint) = app.get(&format!("/v1/webhooks/{webhook}"), Some(&admin.token)).await;
    assert_eq!(endpoint["status"], "active");
    let (status, missing) = app
        .post(
            &format!("/v1/webhooks/{webhook}/deliveries/{}/retry", uuid::Uuid::now_v7()),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    app.shutdown().await;
}

/// Waits until the newest delivery of `webhook` satisfies `done`.
async fn app_until(app: &TestApp, admin: &str, webhook: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let newest = deliveries(app, admin, webhook).await.remove(0);
        if done(&newest) {
            return newest;
        }
        assert!(tokio::time::Instant::now() < deadline, "{newest}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_delivery_waiting_for_its_retry_survives_a_restart(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (receiver, url) = Receiver::start().await;
    receiver.fail(true);
    let webhook =
        subscribe(&app, &admin.token, &receiver, &url, json!(["bot.created", "team.created"])).await;
    let (status, body) = app.post("/v1/teams", Some(&admin.token), json!({"name": "Billing"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    receiver.until("the first attempt", |r| r.len() == 1).await;
    app_until(&app, &admin.token, &webhook, |d| d["attempts"] == 1).await;

    let app = app.restart().await;
    receiver.fail(false);
    later(&app, Duration::from_secs(61)).await;
    let received = receiver.until("the retry after the restart", |r| r.len() == 2).await;
    assert_eq!(received[0].id, received[1].id);
    assert!(received[1].signed);
    let delivered = app_until(&app, &admin.token, &webhook, |d| d["status"] == "delivered").await;
    assert_eq!(delivered["attempts"], 2);
    app.shutdown().await;
}

async fn endpoints_are_checked_and_managed_by_admins_only(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.agent("ana@example.com", Role::Agent).await;
    let good = json!({"url": "https://crm.example/hooks", "events": ["handoff.queued"]});
    let (status, refused) = app.post("/v1/webhooks", Some(&agent.token), good.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (_, listed) = app.get("/v1/webhooks", Some(&admin.token)).await;
    assert_eq!(listed, json!([]));

    for (body, expect) in [
        (json!({"url": "ftp://crm.example/hooks", "events": ["*"]}), "url"),
        (json!({"url": "https://crm.example/hooks", "events": []}), "events"),
        (json!({"url": "https://crm.example/hooks", "events": ["handoff.queud"]}), "handoff.queud"),
        (json!({"url": "https://crm.example/hooks", "events": ["typing"]}), "typing"),
        (
            json!({"url": "https://crm.example/hooks", "events": ["*"], "description": "x".repeat(501)}),
            "description",
        ),
    ] {
        let (status, problem) = app.post("/v1/webhooks", Some(&admin.token), body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains(expect), "{problem}");
    }
    let (status, problem) = app
        .post(
            "/v1/webhooks",
            Some(&admin.token),
            json!({"url": "https://crm.example", "events": ["*"], "secret": "mine"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused: {problem}");
    let (_, listed) = app.get("/v1/webhooks", Some(&admin.token)).await;
    assert_eq!(listed, json!([]), "nothing refused was made");

    let (status, created) = app.post("/v1/webhooks", Some(&admin.token), good).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(BASE64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap().len(), 32);
    let (_, shown) = app.get(&format!("/v1/webhooks/{id}"), Some(&admin.token)).await;
    assert!(shown.get("secret").is_none(), "the secret is shown once: {shown}");
    assert_eq!((shown["status"].as_str(), shown["enabled"].as_bool()), (Some("active"), Some(true)));

    let changed = json!({"url": "https://crm.example/v2", "events": ["*"], "enabled": false});
    let (status, updated) = app.put(&format!("/v1/webhooks/{id}"), Some(&admin.token), changed).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        (updated["url"].as_str(), updated["events"].clone()),
        (Some("https://crm.example/v2"), json!(["*"]))
    );
    assert_eq!(updated["enabled"], false);
    let (status, rotated) =
        app.post(&format!("/v1/webhooks/{id}/rotate-secret"), Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    assert!(
        rotated["secret"].as_str().unwrap().starts_with("whsec_") && rotated["secret"] != secret.as_str()
    );

    let (status, _) =
        app.request(Method::DELETE, &format!("/v1/webhooks/{id}"), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, gone) = app.get(&format!("/v1/webhooks/{id}"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    let (status, gone) = app.get(&format!("/v1/webhooks/{id}/deliveries"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    app.shutdown().await;

    // Where outgoing calls are kept to public addresses, so are endpoints.
    let guarded = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |settings| {
        settings.outbound.allow_private_addresses = false;
    })
    .await;
    let admin = guarded.agent("admin@example.com", Role::Admin).await;
    for url in ["http://127.0.0.1:9000/hooks", "http://169.254.169.254/latest", "http://[::1]/hooks"] {
        let (status, problem) =
            guarded.post("/v1/webhooks", Some(&admin.token), json!({"url": url, "events": ["*"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {problem}");
        assert!(problem["detail"].as_str().unwrap().contains("private"), "{problem}");
    }
    guarded.shutdown().await;
}
