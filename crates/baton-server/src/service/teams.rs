//! Teams and what routing knows of each user (languages, capacity), managed by admins. Every
//! change is routed at once: a new member with room takes from the queue immediately.

use baton_core::ids::{TeamId, UserId};
use baton_core::routing::Assignment;
use baton_core::team::TeamSettings;
use baton_core::user::User;
use baton_store::{StoreError, Team};

use super::audit;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn checked(name: &str, settings: &TeamSettings) -> ApiResult<String> {
    if let Some(problem) = TeamSettings::name_problem(name).or_else(|| settings.problem()) {
        return Err(ApiError::invalid(problem));
    }
    Ok(name.trim().to_owned())
}

fn name_taken(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::conflict("team_exists", "a team with this name exists"),
        StoreError::NotFound => ApiError::invalid("members: every member must be an existing user"),
        other => other.into(),
    }
}

pub async fn create(
    state: &AppState,
    by: &User,
    name: &str,
    settings: TeamSettings,
    mut members: Vec<UserId>,
) -> ApiResult<Team> {
    let name = checked(name, &settings)?;
    members.sort_unstable();
    members.dedup();
    let team = Team { id: state.new_id(), name, settings, members, created_at: state.now() };
    state.store.create_team(&team).await.map_err(name_taken)?;
    audit::record(state, Some(by), "team.created", None, Some(&team)).await?;
    Ok(team)
}

pub async fn get(state: &AppState, id: TeamId) -> ApiResult<Team> {
    state.store.team(id).await?.ok_or(ApiError::NotFound { what: "team" })
}

pub async fn update(
    state: &AppState,
    by: &User,
    id: TeamId,
    name: &str,
    settings: TeamSettings,
) -> ApiResult<Team> {
    let name = checked(name, &settings)?;
    let before = get(state, id).await?;
    let team = state.store.update_team(id, &name, &settings).await.map_err(name_taken)?;
    let team = team.ok_or(ApiError::NotFound { what: "team" })?;
    audit::record(state, Some(by), "team.updated", Some(&before), Some(&team)).await?;
    Ok(team)
}

pub async fn delete(state: &AppState, by: &User, id: TeamId) -> ApiResult<()> {
    let before = get(state, id).await?;
    if !state.store.delete_team(id).await? {
        return Err(ApiError::NotFound { what: "team" });
    }
    audit::record(state, Some(by), "team.deleted", Some(&before), None).await?;
    Ok(())
}

pub async fn set_members(
    state: &AppState,
    by: &User,
    id: TeamId,
    mut members: Vec<UserId>,
) -> ApiResult<Team> {
    members.sort_unstable();
    members.dedup();
    let before = get(state, id).await?;
    let team = state.store.set_team_members(id, &members).await.map_err(name_taken)?;
    let team = team.ok_or(ApiError::NotFound { what: "team" })?;
    audit::record(state, Some(by), "team.members_changed", Some(&before), Some(&team)).await?;
    Ok(team)
}

/// The most languages one user may list; more is a paste accident.
const MAX_LANGUAGES: usize = 50;

/// What routing knows of a user: the languages they answer in and their own capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    /// ISO 639-1 codes; empty: any language.
    pub languages: Vec<String>,
    /// `None`: the policy's capacity.
    pub capacity: Option<u32>,
}

/// Sets the languages a user answers in (ISO 639-1; empty: any) and their own capacity.
pub async fn set_routing(
    state: &AppState,
    by: &User,
    id: UserId,
    languages: Vec<String>,
    capacity: Option<u32>,
) -> ApiResult<User> {
    let routing = checked_routing(Routing { languages, capacity })?;
    let before = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    let user = state.store.set_user_routing(id, &routing.languages, routing.capacity).await?;
    let user = user.ok_or(ApiError::NotFound { what: "user" })?;
    audit::record(state, Some(by), "user.routing_changed", Some(&before), Some(&user)).await?;
    Ok(user)
}

/// The routing as given, normalised (lowercase, sorted, no repeats), or what is wrong with it.
pub fn checked_routing(routing: Routing) -> ApiResult<Routing> {
    let Routing { languages, capacity } = routing;
    let mut languages: Vec<String> = languages.iter().map(|l| l.trim().to_ascii_lowercase()).collect();
    languages.sort_unstable();
    languages.dedup();
    if languages.len() > MAX_LANGUAGES {
        return Err(ApiError::invalid(format!("languages: at most {MAX_LANGUAGES}")));
    }
    if let Some(bad) = languages.iter().find(|l| l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase())) {
        return Err(ApiError::invalid(format!("languages: '{bad}' is not a two-letter ISO 639-1 code")));
    }
    if let Some(capacity) = capacity
        && !Assignment::CAPACITY.contains(&capacity)
    {
        let (min, max) = (Assignment::CAPACITY.start(), Assignment::CAPACITY.end());
        return Err(ApiError::invalid(format!("capacity: must be between {min} and {max} live chats")));
    }
    Ok(Routing { languages, capacity })
}

/// The teams named, or `teams: …` naming one that does not exist.
pub async fn existing_teams(state: &AppState, ids: &[TeamId]) -> ApiResult<Vec<Team>> {
    let teams = state.store.teams().await?;
    if let Some(unknown) = ids.iter().find(|id| !teams.iter().any(|team| team.id == **id)) {
        return Err(ApiError::invalid(format!("teams: no team has the id {unknown}")));
    }
    Ok(teams)
}

/// Makes `user` a member of exactly the teams in `ids` (checked with [`existing_teams`]).
pub async fn place_in_teams(state: &AppState, teams: &[Team], user: UserId, ids: &[TeamId]) -> ApiResult<()> {
    for team in teams {
        let wanted = ids.contains(&team.id);
        if team.members.contains(&user) == wanted {
            continue;
        }
        let mut members: Vec<UserId> =
            team.members.iter().copied().filter(|member| *member != user).collect();
        if wanted {
            members.push(user);
            members.sort_unstable();
        }
        state.store.set_team_members(team.id, &members).await.map_err(name_taken)?;
    }
    Ok(())
}
