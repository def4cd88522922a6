//! Canned responses: saved replies for the composer, the team's shared ones and your own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_core::canned::CannedResponse;
use baton_core::ids::{CannedId, ConversationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiPath, ApiQuery, ApiResult, Problem};
use crate::service::canned::{self, CannedForm};
use crate::state::SharedState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CannedFilter {
    /// Only the replies to offer in this conversation (one per shortcut: yours before the
    /// team's, its language before any), each with `rendered` filled in for it.
    pub conversation_id: Option<ConversationId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedView {
    #[serde(flatten)]
    pub response: CannedResponse,
    /// The text with `{{contact.name}}`, `{{contact.email}}` and `{{user.name}}` filled in,
    /// when a conversation was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedList {
    pub canned_responses: Vec<CannedView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedBody {
    /// Typed after `/` in the composer: lowercase letters, digits, `-`, `_` (a leading `/` is
    /// dropped).
    pub shortcut: String,
    /// Up to 4,000 characters; may hold `{{contact.name}}`, `{{contact.email}}`, `{{user.name}}`.
    pub text: String,
    /// For conversations in this language only (ISO 639-1); any language when absent.
    pub language: Option<String>,
    /// Shared with the whole team (admins only); yours alone otherwise.
    #[serde(default)]
    pub shared: bool,
}

impl From<CannedBody> for CannedForm {
    fn from(body: CannedBody) -> Self {
        Self { shortcut: body.shortcut, text: body.text, language: body.language, shared: body.shared }
    }
}

/// The team's shared replies and yours.
#[utoipa::path(get, path = "/v1/canned-responses", tag = "user", params(CannedFilter), security(("bearer" = [])),
    responses((status = 200, body = CannedList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn list_canned(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(filter): ApiQuery<CannedFilter>,
) -> ApiResult<Json<CannedList>> {
    let listed = canned::list(&state, &user, filter.conversation_id).await?;
    let canned_responses =
        listed.into_iter().map(|l| CannedView { response: l.response, rendered: l.rendered }).collect();
    Ok(Json(CannedList { canned_responses }))
}

/// Saves a reply: yours, or the team's (`shared`, admins). 409 `shortcut_taken` when the
/// shortcut is used in that language already.
#[utoipa::path(post, path = "/v1/canned-responses", tag = "user", request_body = CannedBody, security(("bearer" = [])),
    responses((status = 201, body = CannedResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_canned(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<CannedBody>,
) -> ApiResult<(StatusCode, Json<CannedResponse>)> {
    Ok((StatusCode::CREATED, Json(canned::create(&state, &user, body.into()).await?)))
}

/// Changes a saved reply (yours, or a shared one as an admin).
#[utoipa::path(put, path = "/v1/canned-responses/{id}", tag = "user", params(("id" = String, Path)),
    request_body = CannedBody, security(("bearer" = [])),
    responses((status = 200, body = CannedResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_canned(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<CannedId>,
    ApiJson(body): ApiJson<CannedBody>,
) -> ApiResult<Json<CannedResponse>> {
    Ok(Json(canned::update(&state, &user, id, body.into()).await?))
}

/// Deletes a saved reply (yours, or a shared one as an admin).
#[utoipa::path(delete, path = "/v1/canned-responses/{id}", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn delete_canned(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<CannedId>,
) -> ApiResult<StatusCode> {
    canned::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
