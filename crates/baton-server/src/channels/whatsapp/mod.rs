//! WhatsApp Cloud API: the webhook Meta calls, and the Graph API messages endpoint Baton
//! calls.
//!
//! - **Verification.** When the webhook is subscribed, Meta sends
//!   `GET …?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; the answer is the
//!   challenge, only if the token is the channel's `verify_token`.
//! - **Signatures.** Every POST carries `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
//!   raw body, keyed with the app secret>`; anything else is refused before it is read.
//! - **Notifications.** `entry[].changes[].value` holds `messages` (what contacts wrote, with
//!   their profile in `contacts`), `statuses` (sent, delivered, read, failed, for messages
//!   Baton sent) and, for a number also used in the WhatsApp Business app, `message_echoes`
//!   (field `smb_message_echoes`: what a person sent from the business phone).
//! - **Sending** ([`send`]). `POST {graph_url}/{version}/{phone_number_id}/messages` with the
//!   access token as a bearer; the answer's `messages[0].id` (a `wamid`) is what later
//!   statuses name.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

use baton_core::channel::{SendStatus, WhatsappSettings};

use super::{Refused, decode_hex, same_secret};

mod send;
pub use send::{send_file, send_template, send_text};

/// Checks `X-Hub-Signature-256` against the raw body.
pub fn verify_signature(app_secret: &str, header: Option<&str>, body: &[u8]) -> Result<(), Refused> {
    let hex = header.and_then(|h| h.strip_prefix("sha256=")).ok_or(Refused::BadSignature)?;
    let expected = decode_hex(hex).ok_or(Refused::BadSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).map_err(|_| Refused::BadSignature)?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| Refused::BadSignature)
}

/// The challenge to echo back when Meta verifies the webhook, if the request is that and its
/// token is right.
pub fn challenge<'a>(
    settings: &WhatsappSettings,
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&'a str>,
) -> Option<&'a str> {
    let token_matches = token.is_some_and(|t| same_secret(t.as_bytes(), settings.verify_token.as_bytes()));
    (mode == Some("subscribe") && token_matches).then_some(challenge).flatten()
}

/// What one webhook call told Baton, in the order it came.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Notification {
    pub messages: Vec<Incoming>,
    pub statuses: Vec<StatusReport>,
    pub echoes: Vec<Echo>,
}

/// A contact's message.
#[derive(Debug, PartialEq, Eq)]
pub struct Incoming {
    /// WhatsApp's id for it (`wamid…`): a repeated notification carries the same.
    pub id: String,
    /// The contact's WhatsApp id: their phone number's digits.
    pub from: String,
    pub profile_name: Option<String>,
    /// What Baton stores: the text, or for media a line naming it (and its caption), kept
    /// when the file itself cannot be fetched or is not allowed.
    pub text: String,
    /// A picture, voice message, video, document or sticker, to fetch from the Graph API.
    pub media: Option<Media>,
}

/// A file a contact sent: its Graph API id, and what WhatsApp says of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Media {
    pub id: String,
    pub mime_type: String,
    /// The file's name: a document's own, else one made from the kind and type.
    pub name: String,
    pub caption: Option<String>,
}

fn media(kind: &str, rest: &serde_json::Map<String, serde_json::Value>) -> Option<Media> {
    if !matches!(kind, "image" | "video" | "audio" | "document" | "sticker") {
        return None;
    }
    let part = rest.get(kind)?;
    let field = |name: &str| part.get(name).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty());
    let mime_type = field("mime_type").unwrap_or("application/octet-stream").to_owned();
    let extension = match mime_type.split(';').next().unwrap_or("").trim() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        "application/pdf" => "pdf",
        _ => "bin",
    };
    Some(Media {
        id: field("id")?.to_owned(),
        name: field("filename").map_or_else(|| format!("{kind}.{extension}"), str::to_owned),
        mime_type,
        caption: field("caption").map(str::to_owned),
    })
}

/// Fetches a contact's file: the Graph API names a short-lived URL for the media id, which is
/// read with the same token. Its bytes and type, or why not.
pub async fn download(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    media_id: &str,
    timeout: std::time::Duration,
) -> Result<(Vec<u8>, String), String> {
    let base = settings.graph_url.trim_end_matches('/');
    let url = format!("{base}/{}/{media_id}", settings.api_version);
    let request = http.get(&url).map_err(|blocked| format!("graph_url may not be called: {blocked}"))?;
    let response = request.bearer_auth(&settings.access_token).timeout(timeout).send().await;
    let answer: serde_json::Value = match response {
        Ok(response) if response.status().is_success() => response.json().await.map_err(|e| e.to_string())?,
        Ok(response) => return Err(format!("the Graph API answered {} for the media", response.status())),
        Err(error) => return Err(format!("the media could not be looked up: {error}")),
    };
    let (Some(file_url), mime_type) = (answer["url"].as_str(), answer["mime_type"].as_str()) else {
        return Err("the Graph API gave no URL for the media".into());
    };
    let request =
        http.get(file_url).map_err(|blocked| format!("the media URL may not be called: {blocked}"))?;
    let response = request.bearer_auth(&settings.access_token).timeout(timeout).send().await;
    match response {
        Ok(response) if response.status().is_success() => {
            let bytes = response.bytes().await.map_err(|e| e.to_string())?;
            Ok((bytes.to_vec(), mime_type.unwrap_or("application/octet-stream").to_owned()))
        }
        Ok(response) => Err(format!("the media URL answered {}", response.status())),
        Err(error) => Err(format!("the media could not be fetched: {error}")),
    }
}

/// The provider's word on a message Baton sent.
#[derive(Debug, PartialEq, Eq)]
pub struct StatusReport {
    pub id: String,
    pub status: SendStatus,
    pub error: Option<String>,
}

/// A message a person sent from the business phone itself.
#[derive(Debug, PartialEq, Eq)]
pub struct Echo {
    pub id: String,
    /// The contact it went to.
    pub to: String,
    pub text: String,
}

#[derive(Deserialize)]
struct Payload {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize, Default)]
struct Value {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<ContactEntry>,
    #[serde(default)]
    messages: Vec<MessageEntry>,
    #[serde(default)]
    statuses: Vec<StatusEntry>,
    #[serde(default)]
    message_echoes: Vec<EchoEntry>,
}

#[derive(Deserialize)]
struct Metadata {
    phone_number_id: String,
}

#[derive(Deserialize)]
struct ContactEntry {
    wa_id: String,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct MessageEntry {
    id: String,
    from: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<TextBody>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct TextBody {
    body: String,
}

#[derive(Deserialize)]
struct StatusEntry {
    id: String,
    status: String,
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Deserialize)]
struct EchoEntry {
    id: String,
    to: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<TextBody>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

/// Reads a notification for the business number `phone_number_id`; changes about another
/// number of the same account are left out.
pub fn parse(body: &[u8], phone_number_id: &str) -> Result<Notification, Refused> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| Refused::Malformed(e.to_string()))?;
    if payload.object != "whatsapp_business_account" {
        return Err(Refused::Malformed(format!(
            "object '{}' is not whatsapp_business_account",
            payload.object
        )));
    }
    let mut notification = Notification::default();
    for value in payload.entry.into_iter().flat_map(|e| e.changes).map(|c| c.value) {
        if value.metadata.as_ref().is_some_and(|m| m.phone_number_id != phone_number_id) {
            continue;
        }
        for message in value.messages {
            let profile_name = value
                .contacts
                .iter()
                .find(|c| c.wa_id == message.from)
                .and_then(|c| c.profile.as_ref()?.name.clone());
            let text = content(&message.kind, message.text.as_ref(), &message.rest);
            let media = media(&message.kind, &message.rest);
            notification.messages.push(Incoming {
                id: message.id,
                from: message.from,
                profile_name,
                text,
                media,
            });
        }
        for status in value.statuses {
            let Some(reported) = sent_status(&status.status) else { continue };
            let error = status.errors.first().map(|e| {
                let title = e.title.as_deref().unwrap_or("undeliverable");
                e.code.map_or_else(|| title.to_owned(), |code| format!("{title} ({code})"))
            });
            notification.statuses.push(StatusReport { id: status.id, status: reported, error });
        }
        for echo in value.message_echoes {
            let text = content(&echo.kind, echo.text.as_ref(), &echo.rest);
            notification.echoes.push(Echo { id: echo.id, to: echo.to, text });
        }
    }
    Ok(notification)
}

fn sent_status(status: &str) -> Option<SendStatus> {
    match status {
        "sent" => Some(SendStatus::Sent),
        "delivered" => Some(SendStatus::Delivered),
        "read" => Some(SendStatus::Read),
        "failed" => Some(SendStatus::Failed),
        _ => None,
    }
}

/// The text of a message: its body, or for media, a line saying what was sent with its
/// caption or file name, so the team and the bot see that something came.
fn content(kind: &str, text: Option<&TextBody>, rest: &serde_json::Map<String, serde_json::Value>) -> String {
    if let Some(text) = text {
        return text.body.clone();
    }
    let part = rest.get(kind);
    let field = |name: &str| part.and_then(|p| p.get(name)).and_then(|v| v.as_str()).map(str::trim);
    let what = match kind {
        "image" => "an image",
        "video" => "a video",
        "audio" => "a voice message",
        "document" => "a document",
        "sticker" => "a sticker",
        "location" => "a location",
        "contacts" => "a contact card",
        "button" => return field("text").unwrap_or("").to_owned(),
        "interactive" => {
            let reply = part.and_then(|p| p.get("button_reply").or_else(|| p.get("list_reply")));
            return reply.and_then(|r| r.get("title")).and_then(|t| t.as_str()).unwrap_or("").to_owned();
        }
        _ => "a message Baton cannot show",
    };
    match field("caption").filter(|c| !c.is_empty()).or_else(|| field("filename")) {
        Some(caption) => format!("[sent {what}] {caption}"),
        None => format!("[sent {what}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        let bytes = mac.finalize().into_bytes();
        format!("sha256={}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    #[test]
    fn signatures_are_checked_against_the_raw_body() {
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let good = sign("app-secret", body);
        assert_eq!(verify_signature("app-secret", Some(&good), body), Ok(()));
        assert_eq!(verify_signature("other", Some(&good), body), Err(Refused::BadSignature));
        assert_eq!(verify_signature("app-secret", Some("sha256=zz"), body), Err(Refused::BadSignature));
        assert_eq!(verify_signature("app-secret", None, body), Err(Refused::BadSignature));
        let mut changed = body.to_vec();
        changed.push(b' ');
        assert_eq!(verify_signature("app-secret", Some(&good), &changed), Err(Refused::BadSignature));
    }

    #[test]
    fn a_notification_gives_messages_statuses_and_echoes_of_this_number() {
        let body = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [
                {"field": "messages", "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550001111", "phone_number_id": "1055"},
                    "contacts": [{"profile": {"name": "Ana"}, "wa_id": "4915100000001"}],
                    "messages": [
                        {"from": "4915100000001", "id": "wamid.A", "timestamp": "1", "type": "text",
                         "text": {"body": "hello"}},
                        {"from": "4915100000001", "id": "wamid.B", "timestamp": "2", "type": "image",
                         "image": {"id": "m1", "mime_type": "image/jpeg", "caption": "the box"}}
                    ],
                    "statuses": [{"id": "wamid.OUT", "status": "failed", "timestamp": "3",
                        "recipient_id": "4915100000001", "errors": [{"code": 131047, "title": "Re-engagement message"}]}]
                }},
                {"field": "smb_message_echoes", "value": {
                    "metadata": {"phone_number_id": "1055"},
                    "message_echoes": [{"from": "15550001111", "to": "4915100000001", "id": "wamid.E",
                        "timestamp": "4", "type": "text", "text": {"body": "I'll take this one"}}]
                }},
                {"field": "messages", "value": {
                    "metadata": {"phone_number_id": "9999"},
                    "messages": [{"from": "1", "id": "wamid.X", "timestamp": "1", "type": "text", "text": {"body": "other number"}}]
                }}
            ]}]
        });
        let parsed = parse(body.to_string().as_bytes(), "1055").unwrap();
        assert_eq!(parsed.messages.len(), 2);
        assert_eq!(parsed.messages[0].profile_name.as_deref(), Some("Ana"));
        assert_eq!(parsed.messages[0].text, "hello");
        assert_eq!(parsed.messages[1].text, "[sent an image] the box");
        let media = parsed.messages[1].media.as_ref().unwrap();
        assert_eq!((media.id.as_str(), media.name.as_str()), ("m1", "image.jpg"));
        assert_eq!(media.caption.as_deref(), Some("the box"));
        assert_eq!(parsed.messages[0].media, None);
        assert_eq!(parsed.statuses[0].status, SendStatus::Failed);
        assert_eq!(parsed.statuses[0].error.as_deref(), Some("Re-engagement message (131047)"));
        assert_eq!(parsed.echoes[0].text, "I'll take this one");
        assert!(parse(br#"{"object":"page","entry":[]}"#, "1055").is_err());
        assert!(parse(b"not json", "1055").is_err());
    }

    #[test]
    fn verification_needs_the_mode_and_the_token() {
        let settings = WhatsappSettings {
            phone_number_id: "1".into(),
            access_token: "t".into(),
            app_secret: "s".into(),
            verify_token: "verify-me".into(),
            graph_url: "https://graph.facebook.com".into(),
            api_version: "v21.0".into(),
            templates: Vec::new(),
            display_phone_number: String::new(),
        };
        assert_eq!(challenge(&settings, Some("subscribe"), Some("verify-me"), Some("42")), Some("42"));
        assert_eq!(challenge(&settings, Some("subscribe"), Some("wrong"), Some("42")), None);
        assert_eq!(challenge(&settings, None, Some("verify-me"), Some("42")), None);
    }
}
