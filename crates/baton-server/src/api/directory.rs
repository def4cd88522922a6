//! The directory of people and teams, for picking whom to transfer (or assign) a chat to.

use axum::Json;
use axum::extract::State;
use baton_core::ids::{TeamId, UserId};
use baton_core::user::{Presence, Role};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::{ApiResult, Problem};
use crate::service::directory;
use crate::state::SharedState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryPerson {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub status: Presence,
    /// An inbox of theirs is open now.
    pub connected: bool,
    /// Live chats they hold now, and the most automatic assignment gives them.
    pub live: u32,
    pub capacity: u32,
    /// Their teams' names.
    pub teams: Vec<String>,
    pub languages: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryTeam {
    pub id: TeamId,
    pub name: String,
    pub members: usize,
    /// Members online now.
    pub online: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Directory {
    /// Enabled users, online first.
    pub users: Vec<DirectoryPerson>,
    pub teams: Vec<DirectoryTeam>,
}

/// The people (presence, live chats and capacity, teams, languages) and teams anyone may
/// transfer a chat to.
#[utoipa::path(get, path = "/v1/directory", tag = "user", security(("bearer" = [])),
    responses((status = 200, body = Directory), (status = 401, body = Problem)))]
pub async fn directory(State(state): State<SharedState>, _user: CurrentUser) -> ApiResult<Json<Directory>> {
    let (people, teams) = directory::read(&state).await?;
    let users = people
        .into_iter()
        .map(|p| DirectoryPerson {
            id: p.user.id,
            name: p.user.name,
            role: p.user.role,
            status: p.user.status,
            connected: p.connected,
            live: p.live,
            capacity: p.capacity,
            teams: p.user.teams,
            languages: p.user.languages,
        })
        .collect();
    let teams = teams
        .into_iter()
        .map(|t| DirectoryTeam { id: t.id, name: t.name, members: t.members, online: t.online })
        .collect();
    Ok(Json(Directory { users, teams }))
}
