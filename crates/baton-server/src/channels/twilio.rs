//! SMS through Twilio: the webhook Twilio calls for each incoming message and each status of a
//! message Baton sent, and the Messages API Baton sends with.
//!
//! - **Signatures.** Every webhook carries `X-Twilio-Signature`: the base64 HMAC-SHA1, keyed
//!   with the account's auth token, of the full URL Twilio called followed by every POST
//!   parameter's name and value, sorted by name. Behind a proxy the URL Baton sees is not the
//!   one Twilio called, so the check accepts the URL under `public_url` and the one the
//!   `Host` header names (https or http); a forger still needs the auth token.
//! - **Incoming.** Form fields `MessageSid`, `From`, `Body`, `NumMedia`; answered with empty
//!   TwiML, since Baton answers later through the API.
//! - **Statuses.** The same webhook (it is each message's `StatusCallback`), with
//!   `MessageStatus` (`sent`, `delivered`, `undelivered`, `failed`…) and `ErrorCode`.
//! - **Sending.** `POST {api_url}/2010-04-01/Accounts/{AccountSid}/Messages.json`, basic auth
//!   with the account SID and auth token, form fields `To`, `From` (or `MessagingServiceSid`),
//!   `Body`, `StatusCallback`; the answer's `sid` is what statuses name. Answers longer than
//!   Twilio's 1,600 characters go as several messages (`baton_core::sms::split`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use baton_core::channel::{SendStatus, SmsSettings};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use super::{Refused, SendOutcome, same_secret, unanswered};

/// What a webhook call was about.
#[derive(Debug, PartialEq, Eq)]
pub enum Notification {
    Incoming {
        sid: String,
        from: String,
        text: String,
    },
    Status {
        sid: String,
        status: SendStatus,
        error: Option<String>,
    },
    /// A status Baton keeps no record of (`queued`, `sending`, `accepted`…).
    Other,
}

/// The form fields of a call, in the order sent.
pub fn fields(body: &[u8]) -> Result<Vec<(String, String)>, Refused> {
    serde_urlencoded::from_bytes(body).map_err(|e| Refused::Malformed(format!("the form does not read: {e}")))
}

/// The signature Twilio sends for a call of `url` with `fields`.
pub fn signature(auth_token: &str, url: &str, fields: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes any key");
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    BASE64.encode(mac.finalize().into_bytes())
}

/// Checks `X-Twilio-Signature` against each URL Twilio may have called.
pub fn verify_signature(
    auth_token: &str,
    header: Option<&str>,
    urls: &[String],
    fields: &[(String, String)],
) -> Result<(), Refused> {
    let header = header.ok_or(Refused::BadSignature)?;
    let matches = urls.iter().any(|url| {
        let expected = signature(auth_token, url, fields);
        same_secret(expected.as_bytes(), header.as_bytes())
    });
    if matches { Ok(()) } else { Err(Refused::BadSignature) }
}

/// Reads a call's fields.
pub fn parse(fields: &[(String, String)]) -> Result<Notification, Refused> {
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let sid = field("MessageSid")
        .or_else(|| field("SmsSid"))
        .ok_or_else(|| Refused::Malformed("MessageSid is missing".into()))?
        .to_owned();
    if let Some(status) = field("MessageStatus").filter(|_| field("Body").is_none()) {
        let status = match status {
            "sent" => SendStatus::Sent,
            "delivered" => SendStatus::Delivered,
            "read" => SendStatus::Read,
            "undelivered" | "failed" => SendStatus::Failed,
            _ => return Ok(Notification::Other),
        };
        let error = field("ErrorCode").filter(|c| !c.is_empty()).map(|code| format!("Twilio error {code}"));
        return Ok(Notification::Status { sid, status, error });
    }
    let from = field("From").ok_or_else(|| Refused::Malformed("From is missing".into()))?.to_owned();
    let body = field("Body").unwrap_or("").trim();
    let media: usize = field("NumMedia").and_then(|n| n.parse().ok()).unwrap_or(0);
    let text = match (body.is_empty(), media) {
        (_, 0) => body.to_owned(),
        (true, 1) => "[sent a picture or file]".to_owned(),
        (true, n) => format!("[sent {n} pictures or files]"),
        (false, 1) => format!("[sent a picture or file] {body}"),
        (false, n) => format!("[sent {n} pictures or files] {body}"),
    };
    Ok(Notification::Incoming { sid, from, text })
}

/// Twilio error codes that mean "later": too many requests, and queue overflows.
const TRANSIENT_CODES: [i64; 3] = [20429, 30001, 14107];

/// Sends one message of at most 1,600 characters to `to` (E.164).
pub async fn send_sms(
    http: &baton_ai::outbound::Outbound,
    settings: &SmsSettings,
    to: &str,
    body: &str,
    status_callback: &str,
    timeout: std::time::Duration,
) -> SendOutcome {
    let url = format!(
        "{}/2010-04-01/Accounts/{}/Messages.json",
        settings.api_url.trim_end_matches('/'),
        settings.account_sid
    );
    let sender = if settings.from.starts_with("MG") { "MessagingServiceSid" } else { "From" };
    let form =
        [("To", to), (sender, settings.from.as_str()), ("Body", body), ("StatusCallback", status_callback)];
    let encoded = match serde_urlencoded::to_string(form) {
        Ok(encoded) => encoded,
        Err(e) => return SendOutcome::Permanent { response_code: None, error: format!("the form: {e}") },
    };
    let request = match http.post(&url) {
        Ok(request) => request,
        Err(blocked) => {
            return SendOutcome::Permanent {
                response_code: None,
                error: format!("api_url may not be called: {blocked}"),
            };
        }
    };
    let response = request
        .basic_auth(&settings.account_sid, Some(&settings.auth_token))
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encoded)
        .send()
        .await;
    let response = match response {
        Ok(response) => response,
        Err(error) => return unanswered(&error, timeout),
    };
    let status = response.status();
    let code = status.as_u16();
    let answer: serde_json::Value = response.json().await.unwrap_or_default();
    if status.is_success() {
        return match answer["sid"].as_str() {
            Some(sid) => SendOutcome::Sent { provider_id: sid.to_owned(), response_code: code },
            None => SendOutcome::Permanent {
                response_code: Some(code),
                error: "Twilio accepted the message but gave no sid".into(),
            },
        };
    }
    let error_code = answer["code"].as_i64();
    let message = answer["message"].as_str().unwrap_or("no error message");
    let error = match error_code {
        Some(error_code) => format!("Twilio answered {status}: {message} (code {error_code})"),
        None => format!("Twilio answered {status}: {message}"),
    };
    if code == 429 || status.is_server_error() || error_code.is_some_and(|c| TRANSIENT_CODES.contains(&c)) {
        SendOutcome::Transient { response_code: Some(code), error }
    } else {
        SendOutcome::Permanent { response_code: Some(code), error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_signature_is_twilios_documented_example() {
        // Twilio's own example: this URL, these parameters and the auth token 12345.
        let fields = pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(signature("12345", url, &fields), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        let urls = vec!["https://elsewhere.example/x".to_owned(), url.to_owned()];
        assert_eq!(verify_signature("12345", Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ="), &urls, &fields), Ok(()));
        assert_eq!(
            verify_signature("other", Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ="), &urls, &fields),
            Err(Refused::BadSignature)
        );
        assert_eq!(verify_signature("12345", None, &urls, &fields), Err(Refused::BadSignature));
    }

    #[test]
    fn twiml_escapes_what_it_says_and_calls() {
        let forward =
            twiml::forward("Hi <there> & welcome", "+4930123456", "https://b.example/w?step=dialed&x=\"1\"");
        assert!(forward.contains("<Say>Hi &lt;there&gt; &amp; welcome</Say>"), "{forward}");
        assert!(
            forward.contains(r#"action="https://b.example/w?step=dialed&amp;x=&quot;1&quot;""#),
            "{forward}"
        );
        assert!(forward.contains(">+4930123456</Dial>"));
        let call = voice_call(&pairs(&[("CallSid", "CA1"), ("From", "+49151"), ("RecordingDuration", "35")]))
            .unwrap();
        assert_eq!((call.recording_seconds, call.dial_status), (Some(35), None));
        assert!(voice_call(&pairs(&[("From", "+49151")])).is_err());
    }

    #[test]
    fn incoming_messages_and_statuses_are_told_apart() {
        let incoming = parse(&pairs(&[
            ("MessageSid", "SM1"),
            ("From", "+4915112345678"),
            ("Body", "hi there"),
            ("NumMedia", "0"),
            ("SmsStatus", "received"),
        ]));
        assert_eq!(
            incoming,
            Ok(Notification::Incoming {
                sid: "SM1".into(),
                from: "+4915112345678".into(),
                text: "hi there".into()
            })
        );
        let picture =
            parse(&pairs(&[("MessageSid", "SM2"), ("From", "+1"), ("Body", ""), ("NumMedia", "1")]));
        assert!(
            matches!(picture, Ok(Notification::Incoming { text, .. }) if text == "[sent a picture or file]")
        );
        let failed =
            parse(&pairs(&[("MessageSid", "SM3"), ("MessageStatus", "undelivered"), ("ErrorCode", "30003")]));
        assert_eq!(
            failed,
            Ok(Notification::Status {
                sid: "SM3".into(),
                status: SendStatus::Failed,
                error: Some("Twilio error 30003".into())
            })
        );
        assert_eq!(
            parse(&pairs(&[("MessageSid", "SM4"), ("MessageStatus", "queued")])),
            Ok(Notification::Other)
        );
        assert!(parse(&pairs(&[("From", "+1")])).is_err());
    }
}

/// A call of a Twilio Voice number's webhook: the call, who placed it, and what came of the
/// step Baton asked for (`DialCallStatus` after forwarding, the recording after voicemail).
#[derive(Debug, PartialEq, Eq)]
pub struct VoiceCall {
    pub call_sid: String,
    pub from: String,
    pub dial_status: Option<String>,
    pub recording_url: Option<String>,
    pub recording_seconds: Option<u32>,
}

pub fn voice_call(fields: &[(String, String)]) -> Result<VoiceCall, Refused> {
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    Ok(VoiceCall {
        call_sid: field("CallSid").ok_or_else(|| Refused::Malformed("CallSid is missing".into()))?,
        from: field("From").ok_or_else(|| Refused::Malformed("From is missing".into()))?,
        dial_status: field("DialCallStatus"),
        recording_url: field("RecordingUrl"),
        recording_seconds: field("RecordingDuration").and_then(|d| d.parse().ok()),
    })
}

/// TwiML, with every text escaped for XML.
pub mod twiml {
    fn escape(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    }

    /// Says `greeting`, then rings `number`; Twilio calls `action` with how it went.
    pub fn forward(greeting: &str, number: &str, action: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>{}</Say><Dial action="{}" timeout="20">{}</Dial></Response>"#,
            escape(greeting),
            escape(action),
            escape(number)
        )
    }

    /// Says `prompt`, then records up to two minutes; Twilio calls `action` with the recording.
    pub fn voicemail(prompt: &str, action: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>{}</Say><Record action="{}" maxLength="120" playBeep="true"/></Response>"#,
            escape(prompt),
            escape(action)
        )
    }

    pub fn goodbye(words: Option<&str>) -> String {
        match words {
            Some(words) => format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>{}</Say><Hangup/></Response>"#,
                escape(words)
            ),
            None => r#"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"#.to_owned(),
        }
    }
}
