//! Sending to WhatsApp: texts, approved templates and files, each a `POST` to the Graph API's
//! messages endpoint; a file is first uploaded to the number's media endpoint, and the message
//! names the media id it got. Graph API errors are read once ([`failure`]): rate limits and
//! outages are worth another attempt, anything else is final.

use baton_core::attachment::AttachmentRef;
use baton_core::channel::{TemplateUse, WhatsappSettings};

use crate::channels::{SendOutcome, unanswered};

/// Graph API error codes that mean "later": unknown and service errors, call and throughput
/// rate limits, and the per-recipient pair rate limit.
const TRANSIENT_CODES: [i64; 7] = [1, 2, 4, 80007, 130429, 131000, 131056];

/// Sends `text` to `to` through the messages endpoint.
pub async fn send_text(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    to: &str,
    text: &str,
    timeout: std::time::Duration,
) -> SendOutcome {
    let content = serde_json::json!({ "type": "text", "text": { "preview_url": false, "body": text } });
    send(http, settings, to, content, timeout).await
}

/// Sends an approved template to `to`, its body's variables filled in order: the one kind of
/// message WhatsApp delivers outside the 24-hour window.
pub async fn send_template(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    to: &str,
    template: &TemplateUse,
    timeout: std::time::Duration,
) -> SendOutcome {
    let parameters: Vec<_> = template
        .parameters
        .iter()
        .map(|value| serde_json::json!({ "type": "text", "text": value }))
        .collect();
    let mut body = serde_json::json!({
        "name": template.name,
        "language": { "policy": "deterministic", "code": template.language },
    });
    if !parameters.is_empty() {
        body["components"] = serde_json::json!([{ "type": "body", "parameters": parameters }]);
    }
    send(http, settings, to, serde_json::json!({ "type": "template", "template": body }), timeout).await
}

/// What WhatsApp plays or shows of a file of this type: pictures, voice and video in the
/// formats it takes, anything else as a document.
fn media_kind(content_type: &str) -> &'static str {
    match content_type.split(';').next().unwrap_or("").trim() {
        "image/jpeg" | "image/png" => "image",
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => "audio",
        "video/mp4" | "video/3gpp" => "video",
        _ => "document",
    }
}

/// Sends a file a team member attached: uploaded to the number's media endpoint, then sent as
/// an image, voice message, video or document (with its name) naming the media id.
pub async fn send_file(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    to: &str,
    file: &AttachmentRef,
    bytes: Vec<u8>,
    timeout: std::time::Duration,
) -> SendOutcome {
    let part = match reqwest::multipart::Part::bytes(bytes)
        .file_name(file.name.clone())
        .mime_str(&file.content_type)
    {
        Ok(part) => part,
        Err(error) => {
            return SendOutcome::Permanent {
                response_code: None,
                error: format!("the file's type: {error}"),
            };
        }
    };
    let form = reqwest::multipart::Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", file.content_type.clone())
        .part("file", part);
    let (status, answer) = match post(http, settings, "media", timeout, |r| r.multipart(form)).await {
        Ok(answer) => answer,
        Err(outcome) => return outcome,
    };
    let Some(media_id) = answer["id"].as_str() else {
        return SendOutcome::Permanent {
            response_code: Some(status.as_u16()),
            error: "the Graph API took the file but gave no media id".into(),
        };
    };
    let kind = media_kind(&file.content_type);
    let mut media = serde_json::json!({ "id": media_id });
    if kind == "document" {
        media["filename"] = serde_json::json!(file.name);
    }
    send(http, settings, to, serde_json::json!({ "type": kind, kind: media }), timeout).await
}

/// Posts one message (`content`: its `type` and the part that type names) to the messages
/// endpoint and reads WhatsApp's answer.
async fn send(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    to: &str,
    content: serde_json::Value,
    timeout: std::time::Duration,
) -> SendOutcome {
    let mut body = serde_json::json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
    });
    if let (Some(body), serde_json::Value::Object(content)) = (body.as_object_mut(), content) {
        body.extend(content);
    }
    let (status, answer) = match post(http, settings, "messages", timeout, |r| r.json(&body)).await {
        Ok(answer) => answer,
        Err(outcome) => return outcome,
    };
    let code = status.as_u16();
    match answer.pointer("/messages/0/id").and_then(|id| id.as_str()) {
        Some(id) => SendOutcome::Sent { provider_id: id.to_owned(), response_code: code },
        None => SendOutcome::Permanent {
            response_code: Some(code),
            error: "the Graph API accepted the message but gave no message id".into(),
        },
    }
}

/// `POST`s to one of the business number's endpoints (`messages`, `media`) with the access
/// token, the body `with_body` adds, and the request timeout: the status and JSON answer of an
/// accepted call, else what the failure comes to.
async fn post(
    http: &baton_ai::outbound::Outbound,
    settings: &WhatsappSettings,
    endpoint: &str,
    timeout: std::time::Duration,
    with_body: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, serde_json::Value), SendOutcome> {
    let url = format!(
        "{}/{}/{}/{endpoint}",
        settings.graph_url.trim_end_matches('/'),
        settings.api_version,
        settings.phone_number_id
    );
    let request = http.post(&url).map_err(|blocked| SendOutcome::Permanent {
        response_code: None,
        error: format!("graph_url may not be called: {blocked}"),
    })?;
    let request = with_body(request.bearer_auth(&settings.access_token).timeout(timeout));
    let response = request.send().await.map_err(|error| unanswered(&error, timeout))?;
    let status = response.status();
    let answer: serde_json::Value = response.json().await.unwrap_or_default();
    if status.is_success() { Ok((status, answer)) } else { Err(failure(status, &answer)) }
}

/// A Graph API refusal: worth another attempt for rate limits and outages, final otherwise.
fn failure(status: reqwest::StatusCode, answer: &serde_json::Value) -> SendOutcome {
    let code = status.as_u16();
    let error_code = answer.pointer("/error/code").and_then(|c| c.as_i64());
    let message = answer.pointer("/error/message").and_then(|m| m.as_str()).unwrap_or("no error message");
    let error = match error_code {
        Some(error_code) => format!("the Graph API answered {status}: {message} (code {error_code})"),
        None => format!("the Graph API answered {status}: {message}"),
    };
    let transient = status.as_u16() == 429
        || status.is_server_error()
        || error_code.is_some_and(|c| TRANSIENT_CODES.contains(&c));
    if transient {
        SendOutcome::Transient { response_code: Some(code), error }
    } else {
        SendOutcome::Permanent { response_code: Some(code), error }
    }
}
