//! Slack, for the team: the Web API calls Baton makes and the calls Slack makes to the
//! channel's webhook.
//!
//! - **Signatures.** Slack signs every call: `X-Slack-Signature: v0=<hex HMAC-SHA256 of
//!   "v0:{X-Slack-Request-Timestamp}:{raw body}", keyed with the app's signing secret>`. A call
//!   more than five minutes old is refused too, so a recorded one cannot be replayed.
//! - **Interactivity** (the Claim button): a form with one field, `payload`, holding a
//!   `block_actions` JSON document: who clicked (`user.id`) and the action's `value` (the
//!   handoff's id).
//! - **Events API**: JSON. `url_verification` is answered with its `challenge`;
//!   `event_callback` with a `message` event in a thread (`thread_ts`) by a person (no
//!   `bot_id`, no `subtype`) is a team member's reply.
//! - **Web API**: `chat.postMessage`, `chat.update` and `users.info` (for the clicker's email,
//!   which names their Baton account), each with the bot token as a bearer. Slack answers
//!   errors with HTTP 200 and `{"ok": false, "error"}`, and rate limits with 429.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use baton_core::channel::SlackSettings;
use baton_core::time::Timestamp;

use super::{Refused, decode_hex};

/// How old a signed call may be, in seconds.
const MAX_AGE_SECONDS: i64 = 300;

/// Checks a call's signature and age.
pub fn verify_signature(
    signing_secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: Timestamp,
) -> Result<(), Refused> {
    let timestamp = timestamp.ok_or(Refused::BadSignature)?;
    let seconds: i64 = timestamp.parse().map_err(|_| Refused::BadSignature)?;
    if (now.as_unix_seconds() - seconds).abs() > MAX_AGE_SECONDS {
        return Err(Refused::BadSignature);
    }
    let hex = signature.and_then(|s| s.strip_prefix("v0=")).ok_or(Refused::BadSignature)?;
    let expected = decode_hex(hex).ok_or(Refused::BadSignature)?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(signing_secret.as_bytes()).map_err(|_| Refused::BadSignature)?;
    mac.update(format!("v0:{timestamp}:").as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| Refused::BadSignature)
}

/// What Slack's call was.
#[derive(Debug, PartialEq, Eq)]
pub enum Call {
    /// Slack checks the events URL.
    UrlVerification { challenge: String },
    /// Someone clicked Claim on a handoff's message.
    Claim { slack_user: String, handoff: String },
    /// Someone wrote in a thread.
    ThreadReply { slack_user: String, thread_ts: String, text: String, event_id: String },
    /// Anything else (Baton's own posts, other events): acknowledged, nothing done.
    Ignored,
}

/// Reads a call: a form with `payload` (interactivity) or a JSON document (events).
pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Call, Refused> {
    let malformed = |why: String| Refused::Malformed(why);
    let document: Value = if content_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
    {
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|e| malformed(format!("the form: {e}")))?;
        let payload = fields
            .into_iter()
            .find(|(name, _)| name == "payload")
            .ok_or_else(|| malformed("the form has no payload".into()))?
            .1;
        serde_json::from_str(&payload).map_err(|e| malformed(format!("the payload: {e}")))?
    } else {
        serde_json::from_slice(body).map_err(|e| malformed(format!("the body: {e}")))?
    };
    let text = |value: &Value| value.as_str().map(str::to_owned);
    match document["type"].as_str() {
        Some("url_verification") => Ok(Call::UrlVerification {
            challenge: text(&document["challenge"]).ok_or_else(|| malformed("no challenge".into()))?,
        }),
        Some("block_actions") => {
            let slack_user = text(&document["user"]["id"]).ok_or_else(|| malformed("no user".into()))?;
            let claim = document["actions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|action| action["action_id"] == "claim")
                .and_then(|action| text(&action["value"]));
            Ok(claim.map_or(Call::Ignored, |handoff| Call::Claim { slack_user, handoff }))
        }
        Some("event_callback") => {
            let event = &document["event"];
            let by_a_person = event["bot_id"].is_null() && event["subtype"].is_null();
            match (event["type"].as_str(), text(&event["thread_ts"]), text(&event["user"]), by_a_person) {
                (Some("message"), Some(thread_ts), Some(slack_user), true) => Ok(Call::ThreadReply {
                    slack_user,
                    thread_ts,
                    text: text(&event["text"]).unwrap_or_default(),
                    event_id: text(&document["event_id"]).unwrap_or_default(),
                }),
                _ => Ok(Call::Ignored),
            }
        }
        Some(_) => Ok(Call::Ignored),
        None => Err(malformed("no type".into())),
    }
}

/// What a Web API call came to.
#[derive(Debug)]
pub enum ApiError {
    /// Worth trying again: a rate limit, an outage, no answer.
    Transient(String),
    Permanent(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transient(why) | Self::Permanent(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ApiError {}

/// Calls a Web API method with a JSON body (or, for reads, a query) and returns its answer.
async fn call(
    http: &baton_ai::outbound::Outbound,
    settings: &SlackSettings,
    method: &str,
    body: Option<&Value>,
    query: &[(&str, &str)],
) -> Result<Value, ApiError> {
    let url = format!("{}/{method}", settings.api_url.trim_end_matches('/'));
    let request = match body {
        Some(_) => http.post(&url),
        None => http.get(&url),
    }
    .map_err(|blocked| ApiError::Permanent(format!("api_url may not be called: {blocked}")))?;
    let request = request.bearer_auth(&settings.bot_token).timeout(std::time::Duration::from_secs(10));
    let request = match body {
        Some(body) => request.json(body),
        None => request.query(query),
    };
    let response = request.send().await.map_err(|e| ApiError::Transient(format!("{method}: {e}")))?;
    let status = response.status();
    if status.as_u16() == 429 || status.is_server_error() {
        return Err(ApiError::Transient(format!("{method}: Slack answered {status}")));
    }
    let answer: Value = response.json().await.map_err(|e| ApiError::Transient(format!("{method}: {e}")))?;
    if answer["ok"] == true {
        Ok(answer)
    } else {
        let error = answer["error"].as_str().unwrap_or("no error given");
        Err(ApiError::Permanent(format!("{method}: {error}")))
    }
}

/// Posts a message (in a thread, with `thread_ts`); returns its `ts`.
pub async fn post_message(
    http: &baton_ai::outbound::Outbound,
    settings: &SlackSettings,
    text: &str,
    blocks: Option<Value>,
    thread_ts: Option<&str>,
) -> Result<String, ApiError> {
    let mut body = json!({"channel": settings.channel, "text": text, "unfurl_links": false});
    if let Some(blocks) = blocks {
        body["blocks"] = blocks;
    }
    if let Some(thread_ts) = thread_ts {
        body["thread_ts"] = json!(thread_ts);
    }
    let answer = call(http, settings, "chat.postMessage", Some(&body), &[]).await?;
    answer["ts"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Permanent("chat.postMessage: no ts".into()))
}

/// Replaces a message's text and blocks.
pub async fn update_message(
    http: &baton_ai::outbound::Outbound,
    settings: &SlackSettings,
    ts: &str,
    text: &str,
    blocks: Value,
) -> Result<(), ApiError> {
    let body = json!({"channel": settings.channel, "ts": ts, "text": text, "blocks": blocks});
    call(http, settings, "chat.update", Some(&body), &[]).await.map(drop)
}

/// The email of a Slack user, which names their Baton account.
pub async fn user_email(
    http: &baton_ai::outbound::Outbound,
    settings: &SlackSettings,
    user: &str,
) -> Result<Option<String>, ApiError> {
    let answer = call(http, settings, "users.info", None, &[("user", user)]).await?;
    Ok(answer["user"]["profile"]["email"].as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("v0:{timestamp}:").as_bytes());
        mac.update(body);
        format!("v0={}", mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    #[test]
    fn signatures_cover_the_time_and_the_body_and_expire() {
        let now = Timestamp::from_millis(1_700_000_000_000);
        let body = br#"{"type":"url_verification","challenge":"abc"}"#;
        let good = sign("secret", "1700000000", body);
        assert_eq!(verify_signature("secret", Some("1700000000"), Some(&good), body, now), Ok(()));
        assert!(verify_signature("other", Some("1700000000"), Some(&good), body, now).is_err());
        assert!(verify_signature("secret", Some("1700000001"), Some(&good), body, now).is_err());
        let old = sign("secret", "1699999000", body);
        assert!(verify_signature("secret", Some("1699999000"), Some(&old), body, now).is_err(), "too old");
        assert!(verify_signature("secret", None, Some(&good), body, now).is_err());
    }

    #[test]
    fn calls_are_told_apart() {
        let verification = br#"{"type":"url_verification","challenge":"3eZbrw1a"}"#;
        assert_eq!(
            parse(Some("application/json"), verification),
            Ok(Call::UrlVerification { challenge: "3eZbrw1a".into() })
        );
        let click = serde_json::json!({"type": "block_actions", "user": {"id": "U1"},
            "actions": [{"action_id": "claim", "value": "h-1", "type": "button"}]});
        let form = serde_urlencoded::to_string([("payload", click.to_string())]).unwrap();
        assert_eq!(
            parse(Some("application/x-www-form-urlencoded"), form.as_bytes()),
            Ok(Call::Claim { slack_user: "U1".into(), handoff: "h-1".into() })
        );
        let reply = serde_json::json!({"type": "event_callback", "event_id": "Ev1", "event": {"type": "message",
            "user": "U2", "text": "On it", "ts": "2.0", "thread_ts": "1.0", "channel": "C1"}});
        assert_eq!(
            parse(Some("application/json"), reply.to_string().as_bytes()),
            Ok(Call::ThreadReply {
                slack_user: "U2".into(),
                thread_ts: "1.0".into(),
                text: "On it".into(),
                event_id: "Ev1".into()
            })
        );
        let own = serde_json::json!({"type": "event_callback", "event": {"type": "message", "bot_id": "B1",
            "user": "U9", "text": "x", "thread_ts": "1.0"}});
        assert_eq!(parse(Some("application/json"), own.to_string().as_bytes()), Ok(Call::Ignored));
        assert!(parse(Some("application/json"), b"[]").is_err());
    }
}
