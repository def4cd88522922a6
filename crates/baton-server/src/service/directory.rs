//! The directory every user picks from when transferring a chat (and an admin when assigning
//! one): the people with their presence and load, and the teams.

use baton_core::ids::{TeamId, UserId};
use baton_core::user::{Presence, User};

use super::presence;
use super::routing::Snapshot;
use crate::error::ApiResult;
use crate::state::AppState;

pub struct Person {
    pub user: User,
    /// Whether they have an inbox open now.
    pub connected: bool,
    /// Live chats they hold now.
    pub live: u32,
    /// The most live chats automatic assignment gives them.
    pub capacity: u32,
}

pub struct TeamEntry {
    pub id: TeamId,
    pub name: String,
    pub members: usize,
    /// Members online now.
    pub online: usize,
}

/// Every enabled user, online first then by name, and every team by name.
pub async fn read(state: &AppState) -> ApiResult<(Vec<Person>, Vec<TeamEntry>)> {
    let snapshot = Snapshot::load(state).await?;
    let live =
        |id: UserId| snapshot.roster.agents().iter().find(|agent| agent.id == id).map_or(0, |a| a.live);
    let mut people: Vec<Person> = snapshot
        .users()
        .iter()
        .filter(|entry| !entry.user.disabled)
        .map(|entry| Person {
            connected: presence::inbox_open(state, entry.user.id),
            live: live(entry.user.id),
            capacity: entry.user.capacity.unwrap_or(snapshot.default_capacity()),
            user: entry.user.clone(),
        })
        .collect();
    let rank = |p: &Person| match p.user.status {
        Presence::Online => 0,
        Presence::Away => 1,
        Presence::Offline => 2,
    };
    people.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.user.name.cmp(&b.user.name)));
    let teams = snapshot
        .teams()
        .iter()
        .map(|team| TeamEntry {
            online: people
                .iter()
                .filter(|p| p.user.status == Presence::Online && team.members.contains(&p.user.id))
                .count(),
            members: team.members.len(),
            id: team.id,
            name: team.name.clone(),
        })
        .collect();
    Ok((people, teams))
}
