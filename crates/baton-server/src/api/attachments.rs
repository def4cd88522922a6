//! Files in a conversation: sending one (the raw bytes as the body, its type as
//! `Content-Type`), and fetching one. Both accept the contact's token or a user's session, with
//! the same rules as messages; the file comes back only to those who may read the conversation.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_core::ids::{AttachmentId, ConversationId};
use baton_core::message::Message;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{bearer_token, conversation_caller};
use crate::error::{ApiError, ApiPath, ApiQuery, ApiResult, Problem};
use crate::limits::ClientAddress;
use crate::service::{Sent, attachments};
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// The file's name, shown as the message's text.
    pub name: String,
    /// As for messages: a repeated `client_id` returns the first send's message.
    pub client_id: Option<String>,
}

/// Sends a file as a message of its own (the contact, or the user holding the conversation).
/// The body is the file; `Content-Type` its type. 413 past `[attachments].max_bytes`, 415 for
/// a type not allowed, 422 `attachment_mismatch` for an image whose bytes say otherwise.
#[utoipa::path(post, path = "/v1/conversations/{id}/attachments", tag = "contact",
    params(("id" = String, Path), Upload), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 200, body = Message), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(state): State<SharedState>,
    ApiPath(id): ApiPath<ConversationId>,
    ApiQuery(upload): ApiQuery<Upload>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let caller = conversation_caller(&state, bearer_token(&headers, None), id).await?;
    if let (Some(limits), Some(token)) = (&state.limits, bearer_token(&headers, None)) {
        limits.message(address, id, &token)?;
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let limit = usize::try_from(state.settings.attachments.max_bytes).unwrap_or(usize::MAX);
    let bytes =
        axum::body::to_bytes(body, limit.saturating_add(1)).await.map_err(|_| ApiError::PayloadTooLarge)?;
    let sent =
        attachments::send(&state, id, &caller, &upload.name, content_type, bytes.to_vec(), upload.client_id)
            .await?;
    Ok(match sent {
        Sent::New(message) => (StatusCode::CREATED, Json(message)),
        Sent::Repeated(message) => (StatusCode::OK, Json(message)),
    })
}

/// RFC 5987's `filename*` value for `name`.
fn encoded_name(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A file of the conversation. Images are shown inline, other files downloaded; either way the
/// browser runs nothing from it.
#[utoipa::path(get, path = "/v1/conversations/{id}/attachments/{attachment_id}", tag = "contact",
    params(("id" = String, Path), ("attachment_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream"), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn download(
    State(state): State<SharedState>,
    ApiPath((id, attachment_id)): ApiPath<(ConversationId, AttachmentId)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    conversation_caller(&state, bearer_token(&headers, None), id).await?;
    let (reference, bytes) = attachments::open(&state, id, attachment_id).await?;
    let disposition = if reference.is_image() { "inline" } else { "attachment" };
    let mut response = bytes.into_response();
    let response_headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, reference.content_type.clone()),
        (header::CONTENT_DISPOSITION, format!("{disposition}; filename*={}", encoded_name(&reference.name))),
        (header::CACHE_CONTROL, "private, max-age=3600".into()),
        (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".into()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response_headers.insert(name, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_percent_encoded_for_the_header() {
        assert_eq!(super::encoded_name("factura año.pdf"), "UTF-8''factura%20a%C3%B1o.pdf");
    }
}
