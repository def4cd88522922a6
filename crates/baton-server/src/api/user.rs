//! Endpoints for users: login, presence, the handoff queue, and working a conversation.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::{ConversationId, HandoffId};
use baton_core::message::Message;
use baton_core::user::{Presence, Role, User};
use baton_core::values::MessageText;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{CurrentUser, MISSING, bearer_token};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult, Problem};
use crate::limits::ClientAddress;
use crate::service::{access, handoffs, users};
use crate::state::SharedState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: User,
}

/// Logs a user in.
#[utoipa::path(post, path = "/v1/auth/login", tag = "user", request_body = Credentials,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<SharedState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<Credentials>,
) -> ApiResult<Json<Session>> {
    if let Some(limits) = &state.limits {
        limits.login(address, &body.email)?;
    }
    let (token, user) = users::login(&state, &body.email, &body.password).await?;
    Ok(Json(Session { token, user }))
}

/// Ends the session of the token used.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "user", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(
    State(state): State<SharedState>,
    _user: CurrentUser,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let token = bearer_token(&headers, None).ok_or(MISSING)?;
    users::logout(&state, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
#[utoipa::path(get, path = "/v1/me", tag = "user", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = Problem)))]
pub async fn me(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub status: Presence,
}

/// The logged-in user's presence.
#[utoipa::path(get, path = "/v1/me/status", tag = "user", security(("bearer" = [])),
    responses((status = 200, body = Status), (status = 401, body = Problem)))]
pub async fn get_status(CurrentUser(user): CurrentUser) -> Json<Status> {
    Json(Status { status: user.status })
}

/// Sets the logged-in user's presence: only `online` users receive handoffs.
#[utoipa::path(put, path = "/v1/me/status", tag = "user", request_body = Status, security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn put_status(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<Status>,
) -> ApiResult<Json<User>> {
    Ok(Json(users::set_status(&state, &user, body.status).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserForm {
    pub email: String,
    /// At least 8 characters. Leave it out to invite the user instead: they set their own
    /// with the link from `POST /v1/users/{id}/password-link`.
    pub password: Option<String>,
    pub role: Role,
    pub team: Option<String>,
    /// The display name contacts see ("Ana has joined the conversation"); from the email
    /// when absent.
    pub name: Option<String>,
    /// Their languages and capacity; any language and the policy's capacity when absent.
    pub routing: Option<super::teams::RoutingForm>,
    /// Teams they join, by id.
    #[serde(default)]
    pub teams: Vec<baton_core::ids::TeamId>,
}

/// Creates a user (admins only).
#[utoipa::path(post, path = "/v1/users", tag = "admin", request_body = NewUserForm, security(("bearer" = [])),
    responses((status = 201, body = User), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<SharedState>,
    caller: CurrentUser,
    ApiJson(body): ApiJson<NewUserForm>,
) -> ApiResult<(StatusCode, Json<User>)> {
    if !caller.is_admin() {
        return Err(ApiError::Forbidden {
            code: "admin_only",
            detail: "only admins can create users".into(),
        });
    }
    let password = body.password.unwrap_or_else(users::generate_password);
    let account = users::NewAccount {
        email: &body.email,
        password: &password,
        role: body.role,
        team: body.team,
        name: body.name.as_deref(),
        routing: body.routing.map(|r| users::Routing { languages: r.languages, capacity: r.capacity }),
        teams: body.teams,
    };
    let user = users::create_account(&state, Some(&caller.0), account).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HandoffFilter {
    /// Only handoffs in this state; all open ones when absent.
    state: Option<HandoffState>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandoffList {
    pub handoffs: Vec<Handoff>,
    /// Each queued handoff's place in line and expected wait, as its contact was told.
    pub places: std::collections::BTreeMap<HandoffId, crate::service::routing::QueuePlace>,
}

/// Handoffs the caller may see (`service::access`), oldest request first (closed ones newest
/// first), at most 500.
#[utoipa::path(get, path = "/v1/handoffs", tag = "user", params(HandoffFilter), security(("bearer" = [])),
    responses((status = 200, body = HandoffList), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_handoffs(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(filter): ApiQuery<HandoffFilter>,
) -> ApiResult<Json<HandoffList>> {
    let all = state.store.list_handoffs(filter.state, 500).await?;
    let handoffs = access::visible_handoffs(&state, &user, all).await?;
    let places = if handoffs.iter().any(|h| h.state == HandoffState::Queued) {
        crate::service::routing::queue_places(&state).await?
    } else {
        Default::default()
    };
    let places = places.into_iter().filter(|(id, _)| handoffs.iter().any(|h| h.id == *id)).collect();
    Ok(Json(HandoffList { handoffs, places }))
}

/// One handoff.
#[utoipa::path(get, path = "/v1/handoffs/{id}", tag = "user", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Handoff), (status = 404, body = Problem)))]
pub async fn get_handoff(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
) -> ApiResult<Json<Handoff>> {
    let handoff = state.store.handoff(id).await?.ok_or(ApiError::NotFound { what: "handoff" })?;
    access::handoff(&state, &user, &handoff.value).await?;
    Ok(Json(handoff.value))
}

/// Claims a waiting handoff: exactly one concurrent claim wins, the others get 409.
#[utoipa::path(post, path = "/v1/handoffs/{id}/claim", tag = "user", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Handoff), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn claim(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::claim(&state, id, &user).await?))
}

/// Closes a handoff. A live chat returns to the bot, which asks the contact for feedback.
#[utoipa::path(post, path = "/v1/handoffs/{id}/close", tag = "user", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Handoff), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn close(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<HandoffId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::close(&state, id, &user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteForm {
    pub text: String,
}

/// Adds a note: visible to users only.
#[utoipa::path(post, path = "/v1/conversations/{id}/notes", tag = "user", params(("id" = String, Path)),
    request_body = NoteForm, security(("bearer" = [])),
    responses((status = 201, body = Message), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_note(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(body): ApiJson<NoteForm>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let text = MessageText::parse(body.text)?;
    Ok((StatusCode::CREATED, Json(handoffs::note(&state, id, &user, text).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Draft {
    /// For the agent to edit and send; nothing has been sent.
    pub text: String,
}

/// A reply drafted by the bot's LLM from the conversation, the details gathered and the bot's
/// instructions and FAQ, in the contact's language, for the agent to edit and send. 409
/// `no_llm` when the bot has no LLM backend (the conversation's `copilot` is false), 503 when
/// the LLM fails.
#[utoipa::path(post, path = "/v1/conversations/{id}/draft", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Draft), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 503, body = Problem)))]
pub async fn draft(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Json<Draft>> {
    Ok(Json(Draft { text: crate::service::copilot::draft(&state, &user, id).await? }))
}

/// Takes the conversation: claims its waiting handoff, or starts a live one.
#[utoipa::path(post, path = "/v1/conversations/{id}/takeover", tag = "user", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Handoff), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn take_over(
    State(state): State<SharedState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Json<Handoff>> {
    Ok(Json(handoffs::take_over(&state, id, &user).await?))
}
