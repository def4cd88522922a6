//! An external bot (Rasa, Botpress, custom) behind a signed webhook.
//!
//! Each contact message the bot must answer is POSTed to the bot's URL as a
//! [Standard Webhooks](https://www.standardwebhooks.com/) delivery: headers `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 over
//! `id.timestamp.body`, keyed with the secret after `whsec_`), body
//! `{"type": "message.created", "timestamp", "data": {...}}`. The id is the same for every
//! attempt at one message, so the receiver can drop repeats.
//!
//! The external bot answers in either of two ways:
//! - at once, in the response body: `{"text": "..."}` to answer, `{"cannot_help": "..."}` to
//!   say it cannot, or `{"handoff": {"reason_code", "reason", "priority", "message",
//!   "summary", "gathered": {...}}}` to hand off;
//! - later, through the bot API (`POST /v1/bot/conversations/{id}/messages|handoff` with the
//!   bot's API key), answering the delivery with an empty 2xx.

use std::collections::BTreeMap;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::backend::{ReasonCode, WebhookSettings};
use baton_core::handoff::Priority;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;

use crate::{AiBackend, AiError, AiHandoff, Reply, Turn};

/// How many earlier messages a delivery carries.
const HISTORY: usize = 20;

pub struct ExternalBot {
    settings: WebhookSettings,
    http: crate::outbound::Outbound,
}

impl ExternalBot {
    pub fn new(settings: WebhookSettings, http: crate::outbound::Outbound) -> Self {
        Self { settings, http }
    }
}

/// The `webhook-signature` header value for one delivery; `None` if the secret is not a
/// `whsec_` base64 key.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = BASE64.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Some(format!("v1,{}", BASE64.encode(mac.finalize().into_bytes())))
}

/// A line of the conversation as a delivery carries it.
#[derive(Debug, Serialize)]
struct Line<'a> {
    author: &'static str,
    text: &'a str,
}

/// What an external bot may answer a delivery with.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    text: Option<String>,
    cannot_help: Option<String>,
    handoff: Option<HandoffAnswer>,
}

/// An external bot's request for a human; the bot API takes the same shape.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffAnswer {
    pub reason_code: Option<ReasonCode>,
    #[serde(default)]
    pub reason: String,
    pub priority: Option<Priority>,
    pub message: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub gathered: BTreeMap<String, String>,
}

impl From<HandoffAnswer> for AiHandoff {
    fn from(answer: HandoffAnswer) -> Self {
        let text = |t: Option<String>| t.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        Self {
            reason_code: answer.reason_code.unwrap_or(ReasonCode::Other),
            reason: answer.reason,
            priority: answer.priority,
            message: text(answer.message),
            gathered: answer.gathered,
            summary: text(answer.summary),
        }
    }
}

#[async_trait]
impl AiBackend for ExternalBot {
    async fn reply(&self, turn: Turn<'_>) -> Result<Reply, AiError> {
        let seq = turn.history.last().map_or(0, |m| m.seq);
        let history: Vec<Line> = turn
            .history
            .iter()
            .rev()
            .take(HISTORY)
            .rev()
            // The team's internal notes stay internal; Baton's own (a closed handoff's summary)
            // tell the bot what happened.
            .filter(|m| !m.note || m.author.kind == baton_core::message::AuthorKind::System)
            .map(|m| Line { author: m.author.kind.as_str(), text: &m.text })
            .collect();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        let body = json!({
            "type": "message.created",
            "timestamp": now,
            "data": {
                "conversation_id": turn.conversation_id,
                "seq": seq,
                "text": turn.text,
                "language": turn.language,
                "may_hand_off": turn.may_hand_off,
                "history": history,
            },
        });
        let body = serde_json::to_vec(&body).map_err(|e| AiError::Malformed(e.to_string()))?;
        let id = format!("msg_{}_{seq}", turn.conversation_id);
        let signature = sign(&self.settings.secret, &id, now, &body)
            .ok_or_else(|| AiError::Unreachable("the webhook secret is not a whsec_ key".into()))?;
        let mut response = self
            .http
            .post(&self.settings.url)
            .map_err(AiError::blocked)?
            .timeout(std::time::Duration::from_millis(self.settings.timeout_ms))
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", now.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(AiError::from_reqwest)?;
        let status = response.status();
        if !status.is_success() {
            let text = crate::error_body(&mut response).await;
            return Err(AiError::Status {
                status: status.as_u16(),
                detail: text.chars().take(300).collect(),
            });
        }
        let text = String::from_utf8_lossy(&crate::answer_body(&mut response).await?).into_owned();
        if text.trim().is_empty() {
            return Ok(Reply::Deferred);
        }
        let answer: Answer = serde_json::from_str(&text)
            .map_err(|e| AiError::Malformed(format!("the external bot's answer is not understood: {e}")))?;
        if [&answer.text, &answer.cannot_help].into_iter().flatten().any(|t| t.trim().is_empty()) {
            return Err(AiError::Malformed("the external bot's answer is blank".into()));
        }
        match (answer.handoff, answer.text, answer.cannot_help) {
            (Some(handoff), _, _) if turn.may_hand_off => Ok(Reply::HandOff(handoff.into())),
            (Some(handoff), text, _) => {
                // Handing off is not possible now: say what the bot wanted to say instead.
                let said = text.or(handoff.message).or(handoff.summary);
                said.map(Reply::CannotHelp)
                    .ok_or_else(|| AiError::Malformed("a handoff is not possible now".into()))
            }
            (None, Some(text), _) => Ok(Reply::Answer(text)),
            (None, None, Some(text)) => Ok(Reply::CannotHelp(text)),
            (None, None, None) => Ok(Reply::Deferred),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example from the Standard Webhooks specification's reference implementations.
    #[test]
    fn signs_like_the_specification() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert_eq!(sign("not-a-secret", "id", 1, body), None);
    }
}
