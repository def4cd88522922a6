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
        problem_response(status, code, detail)
    }
}

fn problem_response(status: StatusCode, code: &'static str, detail: String) -> Response {
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

/// `axum::Json` whose rejections are problem+json.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => {
                    ApiError::Unprocessable { code: "invalid_body", detail: e.body_text() }
                }
                JsonRejection::JsonSyntaxError(e) => ApiError::bad_request("malformed_json", e.body_text()),
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType {
                    detail: "send the body as JSON with `Content-Type: application/json`".into(),
                },
                JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::PayloadTooLarge
                }
                other => ApiError::bad_request("bad_body", other.body_text()),
            }),
        }
    }
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
