//! Answering offers, transferring live chats and releasing them back to the bot.

use axum::Json;
use axum::extract::State;
use baton_core::handoff::Handoff;
use baton_core::ids::{ConversationId, HandoffId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Admin, CurrentUser};
use crate::error::{ApiJson, ApiPath, ApiResult, Problem};
use crate::service::{handoffs, transfers};
use crate::state::SharedState;

/// Accepts an offer made to you (round robin, least busy): the chat is yours.
#[utoipa::path(post, path = "/v1/handoffs/{id}/accept", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Handoff), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::accept(&state, id, &user).await?))
}

/// Declines an offer made to you: the next eligible user is offered it at once.
#[utoipa::path(post, path = "/v1/handoffs/{id}/decline", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Handoff), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::decline(&state, id, &user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferForm {
    /// `user:<id or email>` or `team:<name or id>`.
    pub to: String,
    /// For whoever takes the chat; shown to users only.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignForm {
    /// Who takes it.
    pub user_id: baton_core::ids::UserId,
}

/// Gives a waiting handoff (queued, offered to someone, offline or a ticket) to a user of the
/// admin's choosing: it goes live with them at once (admins). 409 when it is live or closed
/// (a live chat is transferred instead).
#[utoipa::path(post, path = "/v1/handoffs/{id}/assign", tag = "admin", params(("id" = String, Path)),
    request_body = AssignForm, security(("bearer" = [])), responses((status = 200, body = Handoff),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn assign(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<HandoffId>,
    ApiJson(form): ApiJson<AssignForm>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::assign(&state, id, form.user_id).await?))
}

/// Transfers a live chat (yours, or any as an admin) to a user, or to a team's queue.
#[utoipa::path(post, path = "/v1/handoffs/{id}/transfer", tag = "user", params(("id" = String, Path)),
    request_body = TransferForm, security(("bearer" = [])), responses((status = 200, body = Handoff),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn transfer(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
    ApiJson(form): ApiJson<TransferForm>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(transfers::transfer(&state, id, &user, &form.to, form.note).await?))
}

/// Gives a live chat back to the bot (without asking for feedback).
#[utoipa::path(post, path = "/v1/conversations/{id}/release", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Handoff), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn release(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(transfers::release(&state, id, &user).await?))
}
