//! One error type for the HTTP API, rendered as RFC 9457 problem+json with a stable `code`.
//! Internal errors are logged with their cause and shown to the client only as a 500.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use baton_core::DomainError;
use baton_store::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("authentication required")]
    Unauthorized { detail: &'static str },
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("request body is larger than the limit")]
    PayloadTooLarge,
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{detail}")]
    Unavailable { detail: String },
    /// A rate limit: try again after `retry_after`.
    #[error("{detail}")]
    TooManyRequests { retry_after: std::time::Duration, detail: String },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The problem+json body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// Stable, machine-readable error code.
    pub code: &'static str,
}

impl ApiError {
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict { code, detail: detail.into() }
    }

    /// 422 `validation_failed`: a value the request sent is not acceptable; `detail` names it.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Self::Unprocessable { code: "validation_failed", detail: detail.into() }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest { code, detail: detail.into() }
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::Unauthorized { .. } => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code),
            Self::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::UnsupportedMediaType { .. } => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Self::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let detail = match &self {
            Self::Internal(error) => {
                tracing::error!(error = ?error, "request failed");
                "something went wrong on our side; it has been logged".to_owned()
            }
            Self::Unauthorized { detail } => (*detail).to_owned(),
            other => other.to_string(),
        };
        let mut response = problem_response(status, code, detail);
        if let Self::TooManyRequests { retry_after, .. } = &self {
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

/// `detail` as a sentence: capitalised and ending in a full stop ("another user already has
/// this handoff" → "Another user already has this handoff."). A detail that names its field
/// first ("name: must be 1 to 200 characters") keeps the field as written, since it is the key
/// a client looks for, and only gains the full stop.
pub fn sentence(detail: &str) -> String {
    let detail = detail.trim();
    if detail.is_empty() {
        return String::new();
    }
    let names_a_field = detail.split_once(": ").is_some_and(|(field, _)| !field.contains(' '));
    let mut text = detail.to_owned();
    if !names_a_field {
        let mut chars = detail.chars();
        if let Some(first) = chars.next().filter(char::is_ascii_lowercase) {
            text = first.to_ascii_uppercase().to_string() + chars.as_str();
        }
    }
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

fn problem_response(status: StatusCode, code: &'static str, detail: String) -> Response {
    let detail = sentence(&detail);
    let problem = Problem {
        kind: format!("urn:baton:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        detail,
        code,
    };
    let mut response = (status, axum::Json(problem)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/problem+json"));
    response
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        let detail = error.to_string();
        match error {
            DomainError::Invalid { .. } => Self::Unprocessable { code: "validation_failed", detail },
            DomainError::AlreadyAssigned => Self::Conflict { code: "already_assigned", detail },
            DomainError::IllegalTransition { .. } => Self::Conflict { code: "illegal_transition", detail },
            DomainError::OfferNotExpired => Self::Conflict { code: "offer_not_expired", detail },
            DomainError::FeedbackNotPending => Self::Conflict { code: "feedback_not_pending", detail },
            DomainError::NotAssignee => Self::Forbidden { code: "not_assignee", detail },
            DomainError::NotOfferedToYou => Self::Forbidden { code: "not_offered_to_you", detail },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(detail) => Self::conflict("conflict", detail),
            StoreError::NotFound => Self::NotFound { what: "resource" },
            other => Self::Internal(other.into()),
        }
    }
}

/// `axum::Json` whose rejections are problem+json, and which refuses control characters in
/// any string of the body (see [`control_character_in_json`]) before anything reads it.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType {
                detail: "send the body as JSON with `Content-Type: application/json`".into(),
            });
        }
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(ApiError::PayloadTooLarge),
            Err(e) => return Err(ApiError::bad_request("bad_body", e.body_text())),
        };
        parse_json(&bytes).map(Self)
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .is_some_and(|mime| {
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// Parses a JSON request body, with the same problems [`ApiJson`] gives.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if let Some(c) = control_character_in_json(bytes) {
        return Err(ApiError::Unprocessable {
            code: "control_character",
            detail: format!(
                "text must not contain the control character U+{c:04X} (only tabs and line breaks are allowed)"
            ),
        });
    }
    match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(value)) => Ok(value),
        Err(JsonRejection::JsonDataError(e)) => {
            Err(ApiError::Unprocessable { code: "invalid_body", detail: e.body_text() })
        }
        Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::bad_request("malformed_json", e.body_text())),
        Err(other) => Err(ApiError::bad_request("bad_body", other.body_text())),
    }
}

/// The first control character (other than tab, line feed and carriage return) in any
/// string of a JSON document, written escaped (`\u0000`) or raw (C1 controls are valid raw
/// UTF-8 in JSON). PostgreSQL cannot store U+0000 at all and nobody types the others, so
/// refusing them at the door keeps every field of every request clean on both databases.
pub fn control_character_in_json(bytes: &[u8]) -> Option<u32> {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'u') => {
                let code = bytes
                    .get(i + 2..i + 6)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok());
                if let Some(c) =
                    code.and_then(char::from_u32).filter(|&c| baton_core::values::is_forbidden_control(c))
                {
                    return Some(c as u32);
                }
                i += 6;
            }
            // Any other escape is two bytes; skipping both keeps `\\u0000` (a backslash, then
            // the letters u0000) from reading as an escape.
            b'\\' => i += 2,
            // U+0080..U+009F in UTF-8.
            0xC2 if bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)) => {
                return Some(u32::from(bytes[i + 1]));
            }
            _ => i += 1,
        }
    }
    None
}

/// `axum::extract::Path` whose rejections are problem+json: an id that does not parse names
/// nothing, so it is a 400 with the reason.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|rejection: PathRejection| ApiError::bad_request("invalid_id", rejection.body_text()))
    }
}

/// `axum::extract::Query` whose rejections are problem+json.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection: QueryRejection| {
                ApiError::bad_request("invalid_query", rejection.body_text())
            })
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Rewrites error responses produced outside the handlers (axum's own rejections, such as a
/// websocket endpoint called without an upgrade) as problem+json, so every 4xx and 5xx has
/// the same shape.
pub async fn problems_everywhere(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::UPGRADE_REQUIRED => "upgrade_required",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let detail = if status.is_server_error() || text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text.trim().to_owned()
    };
    let mut rewritten = problem_response(status, code, detail);
    for (name, value) in parts.headers.iter().filter(|(name, _)| *name == header::ALLOW) {
        rewritten.headers_mut().insert(name, value.clone());
    }
    rewritten
}

/// A handler that panicked: the client gets a plain 500 problem, the log gets the panic.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "a request handler panicked");
    problem_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "something went wrong on our side; it has been logged".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::control_character_in_json;

    #[test]
    fn details_read_as_sentences() {
        use super::sentence;
        assert_eq!(sentence("name: must be 1 to 200 characters"), "name: must be 1 to 200 characters.");
        assert_eq!(sentence("text must not be empty"), "Text must not be empty.");
        assert_eq!(
            sentence("policy.waiting.timeout_seconds: at most 86400"),
            "policy.waiting.timeout_seconds: at most 86400."
        );
        assert_eq!(sentence("Too many messages. Please wait."), "Too many messages. Please wait.");
        assert_eq!(
            sentence("another user already has this handoff"),
            "Another user already has this handoff."
        );
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn control_characters_are_found_escaped_or_raw_but_not_in_escaped_backslashes() {
        assert_eq!(control_character_in_json(br#"{"text": "a\u0000b"}"#), Some(0));
        assert_eq!(control_character_in_json(br#"{"text": "\u001B[31m"}"#), Some(0x1B));
        assert_eq!(control_character_in_json("{\"text\": \"\u{85}\"}".as_bytes()), Some(0x85));
        assert_eq!(control_character_in_json(br#"{"text": "a\\u0000"}"#), None, "a backslash, then u0000");
        assert_eq!(control_character_in_json(br#"{"text": "tab\tnew\nline\r\u00e9\u20ac"}"#), None);
        assert_eq!(control_character_in_json("{\"text\": \"é€\"}".as_bytes()), None);
    }
}
