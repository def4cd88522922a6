//! Teams, and what routing knows of each user: admins manage both.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baton_core::ids::{TeamId, UserId};
use baton_core::team::TeamSettings;
use baton_core::user::User;
use baton_store::Team;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::{ApiJson, ApiPath, ApiResult, Problem};
use crate::service::{presence, teams};
use crate::state::SharedState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub id: TeamId,
    pub name: String,
    pub settings: TeamSettings,
    pub members: Vec<UserId>,
}

impl From<Team> for TeamView {
    fn from(team: Team) -> Self {
        Self { id: team.id, name: team.name, settings: team.settings, members: team.members }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamForm {
    /// Unique; handoffs are routed to it as `team:<name>`.
    pub name: String,
    /// Office hours, strategy for transfers to it, first-response SLA; defaults when left out.
    #[serde(default)]
    pub settings: TeamSettings,
    /// Ignored by `PUT`, which leaves members as they are.
    #[serde(default)]
    pub members: Vec<UserId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersForm {
    pub members: Vec<UserId>,
}

/// Every team, by name.
#[utoipa::path(get, path = "/v1/teams", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<TeamView>), (status = 403, body = Problem)))]
pub async fn list_teams(State(state): State<SharedState>, _admin: Admin) -> ApiResult<Json<Vec<TeamView>>> {
    Ok(Json(state.store.teams().await?.into_iter().map(TeamView::from).collect()))
}

/// Creates a team.
#[utoipa::path(post, path = "/v1/teams", tag = "admin", request_body = TeamForm, security(("bearer" = [])),
    responses((status = 201, body = TeamView), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_team(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiJson(form): ApiJson<TeamForm>,
) -> ApiResult<(StatusCode, Json<TeamView>)> {
    let team = teams::create(&state, &admin, &form.name, form.settings, form.members).await?;
    Ok((StatusCode::CREATED, Json(team.into())))
}

/// One team.
#[utoipa::path(get, path = "/v1/teams/{id}", tag = "admin", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_team(
    State(state): State<SharedState>,
    _admin: Admin,
    ApiPath(id): ApiPath<TeamId>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(teams::get(&state, id).await?.into()))
}

/// Renames and reconfigures a team (members stay).
#[utoipa::path(put, path = "/v1/teams/{id}", tag = "admin", params(("id" = String, Path)), request_body = TeamForm,
    security(("bearer" = [])), responses((status = 200, body = TeamView), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_team(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<TeamId>,
    ApiJson(form): ApiJson<TeamForm>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(teams::update(&state, &admin, id, &form.name, form.settings).await?.into()))
}

/// Deletes a team; its handoffs' targets naming it reach nobody until the policy changes.
#[utoipa::path(delete, path = "/v1/teams/{id}", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_team(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<TeamId>,
) -> ApiResult<StatusCode> {
    teams::delete(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a team's members.
#[utoipa::path(put, path = "/v1/teams/{id}/members", tag = "admin", params(("id" = String, Path)),
    request_body = MembersForm, security(("bearer" = [])), responses((status = 200, body = TeamView),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_members(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<TeamId>,
    ApiJson(form): ApiJson<MembersForm>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(teams::set_members(&state, &admin, id, form.members).await?.into()))
}

/// A user as the console lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserListing {
    #[serde(flatten)]
    pub user: User,
    /// Whether they have an inbox open on this server right now.
    pub connected: bool,
}

/// Every user, oldest first, with whether each has an inbox open now.
#[utoipa::path(get, path = "/v1/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserListing>), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<SharedState>,
    _admin: Admin,
) -> ApiResult<Json<Vec<UserListing>>> {
    let users = state.store.users().await?;
    let listed = users
        .into_iter()
        .map(|user| UserListing { connected: presence::inbox_open(&state, user.id), user })
        .collect();
    Ok(Json(listed))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingForm {
    /// ISO 639-1 codes the user answers in; empty: any language.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Their own limit of live chats; `null`: the policy's.
    #[serde(default)]
    pub capacity: Option<u32>,
}

/// Sets the languages a user answers in and their capacity.
#[utoipa::path(put, path = "/v1/users/{id}/routing", tag = "admin", params(("id" = String, Path)),
    request_body = RoutingForm, security(("bearer" = [])), responses((status = 200, body = User),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_user_routing(
    State(state): State<SharedState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<UserId>,
    ApiJson(form): ApiJson<RoutingForm>,
) -> ApiResult<Json<User>> {
    Ok(Json(teams::set_routing(&state, &admin, id, form.languages, form.capacity).await?))
}
