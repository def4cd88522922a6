//! Freshchat's API (v2) as Baton uses it to hand a handoff over, and its webhooks.
//!
//! Baton creates a Freshchat user for the contact (`POST /users`, with the contact's id as
//! `reference_id`), opens a conversation in the configured Freshchat channel with the
//! transcript as its first message (`POST /conversations`), and relays the contact's later
//! messages (`POST /conversations/{id}/messages`). Every call carries the account's API token
//! as a bearer token. Freshchat calls back with `message_create`, `conversation_assignment`
//! and `conversation_resolution`, signed in `X-Freshchat-Signature`: an RSA (PKCS#1 v1.5,
//! SHA-256) signature of the raw body, checked with the public key from Freshchat's webhook
//! settings.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::channel::FreshchatSettings;
use serde_json::{Value, json};

use super::{Refused, SendOutcome, unanswered};

/// What a call to Freshchat came to, when it did not give what was asked.
#[derive(Debug)]
pub struct ApiFailure(pub String);

/// A Freshchat call that Baton acts on.
#[derive(Debug, PartialEq, Eq)]
pub enum Notification {
    /// An agent wrote in the conversation (private notes are not passed on).
    AgentMessage {
        conversation: String,
        id: String,
        text: String,
    },
    /// The conversation was assigned to an agent (or a group).
    Assigned {
        conversation: String,
    },
    Resolved {
        conversation: String,
    },
    /// Anything else (the user's own messages, reopenings): answered, nothing done.
    Other,
}

/// The key's DER bytes (an RSAPublicKey), from a PEM of either form Freshchat shows
/// (`BEGIN PUBLIC KEY`, a SubjectPublicKeyInfo, or `BEGIN RSA PUBLIC KEY`, PKCS#1, which
/// Freshchat also uses to label a SubjectPublicKeyInfo).
pub fn rsa_key(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect::<String>()
        .replace("-----BEGIN RSA PUBLIC KEY-----", "")
        .replace("-----END RSA PUBLIC KEY-----", "")
        .replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = BASE64.decode(body).ok()?;
    Some(subject_public_key(&der).unwrap_or(der))
}

/// The RSAPublicKey inside a SubjectPublicKeyInfo; `None` when `der` is not one.
fn subject_public_key(der: &[u8]) -> Option<Vec<u8>> {
    // SEQUENCE { SEQUENCE { algorithm }, BIT STRING { 0 unused bits, RSAPublicKey } }
    let (tag, outer, _) = der_item(der)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, _, rest) = der_item(outer)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, bits, _) = der_item(rest)?;
    if tag != 0x03 || bits.first() != Some(&0) {
        return None;
    }
    Some(bits[1..].to_vec())
}

/// One DER item: its tag, its contents, and what follows it.
fn der_item(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let bytes = usize::from(first & 0x7f);
        if bytes == 0 || bytes > 4 || rest.len() < bytes {
            return None;
        }
        let length = rest[..bytes].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (length, &rest[bytes..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// Checks `X-Freshchat-Signature` (base64) over the raw body.
pub fn verify_signature(public_key: &str, header: Option<&str>, body: &[u8]) -> Result<(), Refused> {
    let key = rsa_key(public_key).ok_or(Refused::BadSignature)?;
    let signature = header.and_then(|h| BASE64.decode(h.trim()).ok()).ok_or(Refused::BadSignature)?;
    ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, key)
        .verify(body, &signature)
        .map_err(|_| Refused::BadSignature)
}

/// Reads a webhook call.
pub fn parse(body: &[u8]) -> Result<Notification, Refused> {
    let call: Value =
        serde_json::from_slice(body).map_err(|e| Refused::Malformed(format!("not JSON: {e}")))?;
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let data = &call["data"];
    Ok(match call["action"].as_str().unwrap_or_default() {
        "message_create" => {
            let message = &data["message"];
            let from_agent = message["actor_type"] == "agent" || call["actor"]["actor_type"] == "agent";
            let private = message["message_type"] == "private";
            let (Some(conversation), Some(id)) = (text(&message["conversation_id"]), text(&message["id"]))
            else {
                return Err(Refused::Malformed("message_create without conversation_id or id".into()));
            };
            let parts = message["message_parts"].as_array().cloned().unwrap_or_default();
            let words: Vec<String> = parts
                .iter()
                .filter_map(|part| text(&part["text"]["content"]))
                .filter(|t| !t.trim().is_empty())
                .collect();
            if !from_agent || private || words.is_empty() {
                Notification::Other
            } else {
                Notification::AgentMessage { conversation, id, text: words.join("\n") }
            }
        }
        "conversation_assignment" => {
            let assignment = &data["assignment"];
            let assigned = assignment["to_agent_id"].as_str().is_some_and(|id| !id.is_empty());
            match text(&assignment["conversation"]["conversation_id"]) {
                Some(conversation) if assigned => Notification::Assigned { conversation },
                Some(_) => Notification::Other,
                None => {
                    return Err(Refused::Malformed("conversation_assignment without a conversation".into()));
                }
            }
        }
        "conversation_resolution" => match text(&data["resolve"]["conversation"]["conversation_id"]) {
            Some(conversation) => Notification::Resolved { conversation },
            None => return Err(Refused::Malformed("conversation_resolution without a conversation".into())),
        },
        _ => Notification::Other,
    })
}

fn url(settings: &FreshchatSettings, path: &str) -> String {
    format!("{}{path}", settings.api_url.trim_end_matches('/'))
}

/// POSTs `body` to `path`; the answer's JSON when Freshchat took it.
async fn post(
    http: &baton_ai::outbound::Outbound,
    settings: &FreshchatSettings,
    path: &str,
    body: &Value,
    timeout: Duration,
) -> Result<(u16, Value), SendOutcome> {
    let request = http.post(&url(settings, path)).map_err(|blocked| SendOutcome::Permanent {
        response_code: None,
        error: format!("api_url may not be called: {blocked}"),
    })?;
    let response = request
        .bearer_auth(&settings.api_token)
        .timeout(timeout)
        .json(body)
        .send()
        .await
        .map_err(|error| unanswered(&error, timeout))?;
    let status = response.status();
    let code = status.as_u16();
    let answer: Value = response.json().await.unwrap_or_default();
    if status.is_success() {
        return Ok((code, answer));
    }
    let error =
        format!("Freshchat answered {code}: {}", answer["message"].as_str().unwrap_or("no reason given"));
    Err(if code == 429 || status.is_server_error() {
        SendOutcome::Transient { response_code: Some(code), error }
    } else {
        SendOutcome::Permanent { response_code: Some(code), error }
    })
}

fn failure(outcome: SendOutcome) -> ApiFailure {
    ApiFailure(match outcome {
        SendOutcome::Transient { error, .. } | SendOutcome::Permanent { error, .. } => error,
        SendOutcome::Sent { .. } => "no answer".into(),
    })
}

/// The contact as a Freshchat user; its id.
pub async fn create_user(
    http: &baton_ai::outbound::Outbound,
    settings: &FreshchatSettings,
    reference_id: &str,
    name: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
    timeout: Duration,
) -> Result<String, ApiFailure> {
    let mut user = json!({"reference_id": reference_id, "first_name": name.unwrap_or("Customer")});
    if let Some(email) = email {
        user["email"] = json!(email);
    }
    if let Some(phone) = phone {
        user["phone"] = json!(phone);
    }
    let (_, answer) = post(http, settings, "/users", &user, timeout).await.map_err(failure)?;
    answer["id"].as_str().map(str::to_owned).ok_or_else(|| ApiFailure("Freshchat gave the user no id".into()))
}

fn message(settings: &FreshchatSettings, user: &str, text: &str) -> Value {
    json!({
        "message_parts": [{"text": {"content": text}}],
        "channel_id": settings.channel_id,
        "message_type": "normal",
        "actor_type": "user",
        "actor_id": user,
    })
}

/// Opens a conversation for `user` in the configured channel, `text` its first message; its id.
pub async fn create_conversation(
    http: &baton_ai::outbound::Outbound,
    settings: &FreshchatSettings,
    user: &str,
    text: &str,
    timeout: Duration,
) -> Result<String, ApiFailure> {
    let body = json!({
        "status": "new",
        "channel_id": settings.channel_id,
        "users": [{"id": user}],
        "messages": [message(settings, user, text)],
    });
    let (_, answer) = post(http, settings, "/conversations", &body, timeout).await.map_err(failure)?;
    answer["conversation_id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| ApiFailure("Freshchat gave the conversation no id".into()))
}

/// Relays a contact's message into the Freshchat conversation.
pub async fn send_message(
    http: &baton_ai::outbound::Outbound,
    settings: &FreshchatSettings,
    conversation: &str,
    user: &str,
    text: &str,
    timeout: Duration,
) -> SendOutcome {
    let path = format!("/conversations/{conversation}/messages");
    match post(http, settings, &path, &message(settings, user, text), timeout).await {
        Ok((code, answer)) => SendOutcome::Sent {
            provider_id: answer["id"].as_str().unwrap_or_default().to_owned(),
            response_code: code,
        },
        Err(outcome) => outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_read_as_freshchat_documents_them() {
        let message = json!({"actor": {"actor_type": "agent", "actor_id": "a1"}, "action": "message_create",
            "data": {"message": {"id": "m1", "conversation_id": "c1", "actor_type": "agent", "message_type": "normal",
            "message_parts": [{"text": {"content": "Hello"}}]}}});
        assert_eq!(
            parse(message.to_string().as_bytes()),
            Ok(Notification::AgentMessage {
                conversation: "c1".into(),
                id: "m1".into(),
                text: "Hello".into()
            })
        );
        let mut private = message.clone();
        private["data"]["message"]["message_type"] = json!("private");
        assert_eq!(parse(private.to_string().as_bytes()), Ok(Notification::Other));
        let resolved = json!({"action": "conversation_resolution",
            "data": {"resolve": {"resolver": "agent", "conversation": {"conversation_id": "c1", "status": "resolved"}}}});
        assert_eq!(
            parse(resolved.to_string().as_bytes()),
            Ok(Notification::Resolved { conversation: "c1".into() })
        );
        assert!(matches!(parse(b"not json"), Err(Refused::Malformed(_))));
    }

    #[test]
    fn a_signature_without_a_key_or_header_is_refused() {
        assert_eq!(verify_signature("nonsense", Some("AAAA"), b"{}"), Err(Refused::BadSignature));
        let key = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----";
        assert_eq!(verify_signature(key, None, b"{}"), Err(Refused::BadSignature));
    }
}
