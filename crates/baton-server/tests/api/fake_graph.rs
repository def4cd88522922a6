//! A local stand-in for Meta's Graph API, as its public documentation describes the WhatsApp
//! Cloud API's messages endpoint: `POST /{version}/{phone_number_id}/messages` with a bearer
//! access token and `{"messaging_product": "whatsapp", "to", "type": "text", "text": {"body"}}`,
//! answered with `{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}`
//! or an error object `{"error": {"message", "type", "code", "fbtrace_id"}}`.
//!
//! Template messages (`"type": "template"`, `template: {name, language: {code}, components:
//! [{type: "body", parameters: [{type: "text", text}]}]}`) are accepted only for the templates
//! the test approved ([`FakeGraph::approve`]), with as many values as the body has variables
//! (errors 132001 and 132000 otherwise), and recorded with the body filled in.
//!
//! Files are uploaded first (`POST /{version}/{phone_number_id}/media`, multipart with
//! `messaging_product`, `type` and `file`, answered with `{"id"}`), then sent as an `image`,
//! `audio`, `video` or `document` message naming that id; the fake keeps the uploaded bytes.
//!
//! It also signs notifications the way Meta does (`X-Hub-Signature-256`), with its own HMAC
//! code, not Baton's.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::PATIENCE;

pub const ACCESS_TOKEN: &str = "EAAG-test-access-token";
pub const APP_SECRET: &str = "test-app-secret";
pub const VERIFY_TOKEN: &str = "verify-me-please";
pub const PHONE_NUMBER_ID: &str = "106540352242922";

/// One message Baton sent, as the fake received it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub phone_number_id: String,
    pub to: String,
    pub text: String,
    /// The template's name and language, for a template message.
    pub template: Option<(String, String)>,
    /// For a file: its kind (`image`, `document`…), name, type and the bytes uploaded.
    pub file: Option<SentFile>,
    /// The id the fake answered with.
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct SentFile {
    pub kind: String,
    pub filename: Option<String>,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

/// An uploaded file: its type and bytes.
type Upload = (String, Vec<u8>);

#[derive(Clone, Default)]
pub struct FakeGraph {
    /// Files uploaded to the media endpoint: id → type and bytes.
    uploads: Arc<Mutex<std::collections::HashMap<String, Upload>>>,
    sent: Arc<Mutex<Vec<Sent>>>,
    /// Answers to give instead of accepting, one per request, in order.
    failures: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
    /// Every request, accepted or not.
    requests: Arc<AtomicU64>,
    /// Its own address, for the media URLs it hands out.
    base: Arc<Mutex<String>>,
    /// Approved templates: name, language, body with `{{n}}` variables.
    templates: Arc<Mutex<Vec<(String, String, String)>>>,
}

/// The one file the fake serves as media: a 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `GET /{version}/{media-id}`: the media's short-lived URL (here, on the fake itself).
async fn media_url(
    State(fake): State<FakeGraph>,
    Path((_version, media_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if bearer != format!("Bearer {ACCESS_TOKEN}") {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token");
    }
    let url = format!("{}/files/{media_id}", fake.base.lock().unwrap());
    Json(json!({"messaging_product": "whatsapp", "url": url, "mime_type": "image/png",
        "sha256": "unused", "file_size": PNG.len(), "id": media_id}))
    .into_response()
}

/// The media's bytes, for the same token.
async fn media_file(headers: HeaderMap) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if bearer != format!("Bearer {ACCESS_TOKEN}") {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    ([("content-type", "image/png")], PNG).into_response()
}

impl FakeGraph {
    /// Starts it; returns it and its base URL (the channel's `graph_url`).
    pub async fn start() -> (Self, String) {
        let fake = Self::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        *fake.base.lock().unwrap() = url.clone();
        let app = Router::new()
            .route("/{version}/{phone_number_id}/messages", post(messages))
            .route("/{version}/{phone_number_id}/media", post(upload))
            .route("/{version}/{media_id}", axum::routing::get(media_url))
            .route("/files/{media_id}", axum::routing::get(media_file))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, url)
    }

    /// The next request is answered with a Graph API error of `code`.
    pub fn fail_next(&self, status: u16, code: i64, message: &str) {
        let body = json!({"error": {"message": format!("(#{code}) {message}"), "type": "OAuthException",
            "code": code, "fbtrace_id": "AbCdEf123"}});
        self.failures.lock().unwrap().push_back((StatusCode::from_u16(status).unwrap(), body));
    }

    /// Approves a template, as WhatsApp Manager would.
    pub fn approve(&self, name: &str, language: &str, body: &str) {
        self.templates.lock().unwrap().push((name.into(), language.into(), body.into()));
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// Waits until what was sent satisfies `enough`.
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

fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    let body =
        json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}});
    (status, Json(body)).into_response()
}

async fn messages(
    State(fake): State<FakeGraph>,
    Path((_version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    fake.requests.fetch_add(1, Ordering::SeqCst);
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if bearer != format!("Bearer {ACCESS_TOKEN}") {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token");
    }
    if let Some((status, error)) = fake.failures.lock().unwrap().pop_front() {
        return (status, Json(error)).into_response();
    }
    let to = body["to"].as_str().unwrap_or_default().to_owned();
    if body["messaging_product"] != "whatsapp" || to.is_empty() {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    }
    let (text, template) = match body["type"].as_str() {
        Some("text") => {
            let text = body["text"]["body"].as_str().unwrap_or_default().to_owned();
            if text.is_empty() || text.chars().count() > 4096 {
                return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
            }
            (text, None)
        }
        Some("template") => match fake.fill(&body["template"]) {
            Ok(filled) => filled,
            Err(error) => return error,
        },
        Some(kind @ ("image" | "audio" | "video" | "document")) => {
            let media_id = body[kind]["id"].as_str().unwrap_or_default();
            let Some((mime_type, bytes)) = fake.uploads.lock().unwrap().get(media_id).cloned() else {
                return graph_error(StatusCode::BAD_REQUEST, 131053, "(#131053) Media upload error");
            };
            let filename = body[kind]["filename"].as_str().map(str::to_owned);
            let text = format!("[{kind}] {}", filename.clone().unwrap_or_default());
            let file = SentFile { kind: kind.to_owned(), filename, mime_type, bytes };
            let id = format!("wamid.OUT{}", fake.sent.lock().unwrap().len() + 1);
            let sent = Sent {
                phone_number_id,
                to: to.clone(),
                text,
                template: None,
                file: Some(file),
                id: id.clone(),
            };
            fake.sent.lock().unwrap().push(sent);
            return Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": id}]}))
            .into_response();
        }
        _ => return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter"),
    };
    let id = format!("wamid.OUT{}", fake.sent.lock().unwrap().len() + 1);
    let sent = Sent { phone_number_id, to: to.clone(), text, template, file: None, id: id.clone() };
    fake.sent.lock().unwrap().push(sent);
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": id}]}))
        .into_response()
}

/// `POST /{version}/{phone_number_id}/media`: a multipart upload (`messaging_product`,
/// `type`, `file`), read here with its own small parser; answers the media id.
async fn upload(State(fake): State<FakeGraph>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if bearer != format!("Bearer {ACCESS_TOKEN}") {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token");
    }
    if let Some((status, error)) = fake.failures.lock().unwrap().pop_front() {
        return (status, Json(error)).into_response();
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    };
    let delimiter = format!("--{}", boundary.trim_matches('"'));
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    for part in split_bytes(&body, delimiter.as_bytes()) {
        let Some(split) = part.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&part[..split]).to_string();
        let content = part[split + 4..].strip_suffix(b"\r\n").unwrap_or(&part[split + 4..]).to_vec();
        let Some(name) = head.split("name=\"").nth(1).and_then(|rest| rest.split('"').next()) else {
            continue;
        };
        if name == "file" {
            file = Some(content);
        } else {
            fields.insert(name.to_owned(), String::from_utf8_lossy(&content).to_string());
        }
    }
    let (Some(bytes), Some("whatsapp"), Some(mime_type)) =
        (file, fields.get("messaging_product").map(String::as_str), fields.get("type"))
    else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    };
    let mut uploads = fake.uploads.lock().unwrap();
    let id = format!("media-{}", uploads.len() + 1);
    uploads.insert(id.clone(), (mime_type.clone(), bytes));
    Json(json!({"id": id})).into_response()
}

/// The parts of a multipart body between `delimiter`s.
fn split_bytes<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(delimiter.len()).position(|w| w == delimiter) {
        parts.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    parts.into_iter().skip(1).map(|p| p.strip_prefix(b"\r\n").unwrap_or(p)).collect()
}

impl FakeGraph {
    /// An approved template's body with the request's values, as the customer would read it.
    #[allow(clippy::result_large_err)]
    fn fill(&self, template: &Value) -> Result<(String, Option<(String, String)>), Response> {
        let name = template["name"].as_str().unwrap_or_default();
        let language = template["language"]["code"].as_str().unwrap_or_default();
        let approved = self.templates.lock().unwrap().clone();
        let Some((_, _, body)) = approved.iter().find(|(n, l, _)| n == name && l == language) else {
            return Err(graph_error(
                StatusCode::NOT_FOUND,
                132001,
                "(#132001) Template name does not exist in the translation",
            ));
        };
        let values: Vec<String> = template["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["type"] == "body")
            .flat_map(|c| c["parameters"].as_array().cloned().unwrap_or_default())
            .map(|p| p["text"].as_str().filter(|_| p["type"] == "text").unwrap_or_default().to_owned())
            .collect();
        let variables = (1..=20).filter(|n| body.contains(&format!("{{{{{n}}}}}"))).count();
        if values.len() != variables || values.iter().any(|v| v.is_empty()) {
            return Err(graph_error(
                StatusCode::BAD_REQUEST,
                132000,
                "(#132000) Number of parameters does not match the expected number of params",
            ));
        }
        let mut filled = body.clone();
        for (i, value) in values.iter().enumerate() {
            filled = filled.replace(&format!("{{{{{}}}}}", i + 1), value);
        }
        Ok((filled, Some((name.to_owned(), language.to_owned()))))
    }
}

/// `X-Hub-Signature-256` for `body`, as Meta computes it.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// A notification of one text message from `from` (named `name`).
pub fn text_message(from: &str, name: &str, id: &str, text: &str) -> Value {
    notification(json!({
        "contacts": [{"profile": {"name": name}, "wa_id": from}],
        "messages": [{"from": from, "id": id, "timestamp": "1733500000", "type": "text", "text": {"body": text}}],
    }))
}

/// A notification of a picture `from` sent, with its caption.
pub fn image_message(from: &str, id: &str, media_id: &str, caption: &str) -> Value {
    notification(json!({
        "contacts": [{"profile": {"name": "Rosa"}, "wa_id": from}],
        "messages": [{"from": from, "id": id, "timestamp": "1733500000", "type": "image",
            "image": {"id": media_id, "mime_type": "image/png", "sha256": "unused", "caption": caption}}],
    }))
}

/// A notification of a status of a message Baton sent.
pub fn status(id: &str, status: &str, recipient: &str) -> Value {
    notification(json!({
        "statuses": [{"id": id, "status": status, "timestamp": "1733500001", "recipient_id": recipient}],
    }))
}

/// A notification that a person sent `text` to `to` from the business phone (the WhatsApp
/// Business app on a number also on the Cloud API): field `smb_message_echoes`.
pub fn echo(to: &str, id: &str, text: &str) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "smb_message_echoes",
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "message_echoes": [{"from": "15550783881", "to": to, "id": id, "timestamp": "1733500002",
                "type": "text", "text": {"body": text}}],
        },
    }]}]})
}

fn notification(mut value: Value) -> Value {
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID});
    json!({"object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]})
}
