//! What routing reads from the store at one moment, and the routes and queue built from it.

use std::collections::HashMap;

use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::{BotId, HandoffId, TeamId, UserId};
use baton_core::policy::Policy;
use baton_core::routing::{
    Agent, Assignment, Queue, QueuedHandoff, Reach, Roster, Route, RouteId, Target, TeamKey, UserKey, eta,
};
use baton_core::time::Timestamp;
use baton_store::{Bot, OpenHandoff, RosterEntry, Team};

use crate::error::ApiResult;
use crate::state::AppState;

/// How many recent assignments the waiting-time estimate reads.
const WAIT_SAMPLES: i64 = 200;

pub struct Snapshot {
    pub now: Timestamp,
    bots: HashMap<BotId, Bot>,
    default_capacity: u32,
    teams: Vec<Team>,
    users: Vec<RosterEntry>,
    pub open: Vec<OpenHandoff>,
    pub roster: Roster,
    pub queue: Queue,
    /// The route of every open handoff but gathering ones, queued or not.
    routes: HashMap<HandoffId, Route>,
    /// Recent waits from queued to taken: who took it, and the seconds it waited.
    waits: Vec<(UserId, u32)>,
}

impl Snapshot {
    pub async fn load(state: &AppState) -> ApiResult<Self> {
        let open = state.store.open_handoffs().await?;
        Self::read(state, Some(open)).await
    }

    /// [`Self::load`] with one open handoff only: enough for its route and the teams it
    /// reaches (which no other handoff changes), not for queue places or agents' loads, and
    /// without reading every open handoff for one.
    pub async fn load_one(state: &AppState, handoff: HandoffId) -> ApiResult<Self> {
        let open = state.store.open_handoffs_among(&[handoff]).await?;
        Self::read(state, Some(open)).await
    }

    /// [`Self::load`] for routing, which decides again and again: `known` keeps the open
    /// handoffs between decisions, and only those whose version moved (or that are new) are
    /// read again, so a decision over a queue of thousands reads ids and versions, not
    /// thousands of handoffs.
    pub async fn load_known(
        state: &AppState,
        known: &mut HashMap<HandoffId, OpenHandoff>,
    ) -> ApiResult<Self> {
        let versions = state.store.open_handoff_versions().await?;
        let current: HashMap<HandoffId, i64> = versions.into_iter().collect();
        known.retain(|id, _| current.contains_key(id));
        let stale: Vec<HandoffId> = current
            .iter()
            .filter(|&(id, version)| known.get(id).is_none_or(|open| open.handoff.version != *version))
            .map(|(id, _)| *id)
            .collect();
        for id in &stale {
            // Closed since the versions were read, unless read again below.
            known.remove(id);
        }
        for open in state.store.open_handoffs_among(&stale).await? {
            known.insert(open.handoff.value.id, open);
        }
        let mut open: Vec<OpenHandoff> = known.values().cloned().collect();
        // As `Store::open_handoffs` orders them: oldest request first (a UUID's order is its
        // text's, which the store sorts).
        open.sort_by_key(|open| (open.handoff.value.requested_at, open.handoff.value.id));
        Self::read(state, Some(open)).await
    }

    /// Who is on duty and within hours, without the open handoffs and past waits: enough to
    /// tell whether a new handoff would find someone, at a fraction of the cost.
    pub async fn load_roster(state: &AppState) -> ApiResult<Self> {
        Self::read(state, None).await
    }

    /// Everything but the open handoffs, which are `open` (`None`: without the queue).
    async fn read(state: &AppState, open: Option<Vec<OpenHandoff>>) -> ApiResult<Self> {
        let with_queue = open.is_some();
        let now = state.now();
        let bots: HashMap<BotId, Bot> =
            state.store.bots().await?.into_iter().map(|bot| (bot.id, bot)).collect();
        let default_capacity = bots
            .values()
            .find(|bot| bot.is_default)
            .map_or(Assignment::DEFAULT_CAPACITY, |bot| bot.settings.policy.assignment.capacity);
        let teams = state.store.teams().await?;
        let users = state.store.roster().await?;
        let open = match open {
            Some(open) => without_helpdesk_handoffs(state, open).await?,
            None => Vec::new(),
        };
        let recent =
            if with_queue { state.store.recent_assignments(WAIT_SAMPLES).await? } else { Vec::new() };
        let waits = recent
            .iter()
            .filter_map(|handoff| {
                let (user, queued, taken) =
                    (handoff.assignee.as_ref()?, handoff.queued_at?, handoff.assigned_at?);
                let seconds = u32::try_from(taken.millis_since(queued).max(0) / 1000).unwrap_or(u32::MAX);
                Some((user.id, seconds))
            })
            .collect();
        let team_open: HashMap<TeamId, bool> = teams
            .iter()
            .map(|team| (team.id, team.settings.schedule.as_ref().is_none_or(|s| s.is_open(now))))
            .collect();
        let mut held: HashMap<UserId, (u32, u32)> = HashMap::new();
        for open in &open {
            let handoff = &open.handoff.value;
            if let Some(assignee) = &handoff.assignee {
                let (live, offered) = held.entry(assignee.id).or_default();
                match handoff.state {
                    HandoffState::Live => *live += 1,
                    HandoffState::Offered => *offered += 1,
                    _ => {}
                }
            }
        }
        let agents = users
            .iter()
            .map(|entry| {
                let (live, pending_offers) = held.get(&entry.user.id).copied().unwrap_or_default();
                Agent {
                    id: entry.user.id,
                    presence: entry.user.status,
                    languages: entry.user.languages.clone(),
                    teams: entry.team_ids.clone(),
                    live,
                    pending_offers,
                    capacity: entry.user.capacity,
                    last_assigned_at: entry.last_assigned_at,
                }
            })
            .collect();
        let roster =
            Roster::new(agents, default_capacity, |team| team_open.get(&team).copied().unwrap_or(false));
        let mut snapshot = Self {
            now,
            bots,
            default_capacity,
            teams,
            users,
            open,
            roster,
            queue: Queue::new(),
            routes: HashMap::new(),
            waits,
        };
        snapshot.build_queue();
        Ok(snapshot)
    }

    fn build_queue(&mut self) {
        let mut routes = HashMap::new();
        let mut queued = Vec::new();
        for open in &self.open {
            let handoff = &open.handoff.value;
            if handoff.state == HandoffState::Gathering {
                continue;
            }
            let Some(policy) = self.policy(open.bot_id) else { continue };
            let route = self.route(handoff, policy);
            if handoff.state == HandoffState::Queued {
                queued.push((handoff.clone(), route.clone()));
            }
            routes.insert(handoff.id, route);
        }
        let mut queue = Queue::new();
        let handoffs: Vec<QueuedHandoff> = queued
            .into_iter()
            .map(|(handoff, route)| QueuedHandoff {
                id: handoff.id,
                priority: handoff.priority,
                requested_at: handoff.requested_at,
                route: queue.route(route),
                declined_by: handoff.declined_by,
            })
            .collect();
        queue.extend(handoffs);
        self.queue = queue;
        self.routes = routes;
    }

    pub fn policy(&self, bot: BotId) -> Option<&Policy> {
        self.bots.get(&bot).map(|bot| &bot.settings.policy)
    }

    pub fn default_capacity(&self) -> u32 {
        self.default_capacity
    }

    /// Where `handoff` goes: its own targets (a transfer, a widening) or its policy's for its
    /// language; a team target's strategy applies to handoffs sent to that team.
    pub fn route(&self, handoff: &Handoff, policy: &Policy) -> Route {
        let language = handoff.language.as_deref();
        match &handoff.targets {
            Some(targets) => {
                let strategy = targets
                    .iter()
                    .filter_map(|target| self.team(target)?.settings.strategy)
                    .next()
                    .unwrap_or(policy.assignment.strategy);
                Route::new(targets.iter().filter_map(|target| self.resolve(target)), language, strategy)
            }
            None => policy.assignment.route(language, |target| self.resolve(target)),
        }
    }

    /// The route a new handoff in `language` would take.
    pub fn route_for_language(&self, policy: &Policy, language: Option<&str>) -> Route {
        policy.assignment.route(language, |target| self.resolve(target))
    }

    /// Every user, with their teams.
    pub fn users(&self) -> &[RosterEntry] {
        &self.users
    }

    /// Every team, by name.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// The route of an open handoff, as built for this snapshot.
    pub fn route_of(&self, handoff: HandoffId) -> Option<&Route> {
        self.routes.get(&handoff)
    }

    fn team(&self, target: &Target) -> Option<&Team> {
        match target {
            Target::Team(TeamKey::Id(id)) => self.teams.iter().find(|team| team.id == *id),
            Target::Team(TeamKey::Name(name)) => self.teams.iter().find(|team| team.name == *name),
            _ => None,
        }
    }

    pub fn resolve(&self, target: &Target) -> Option<Reach> {
        match target {
            Target::All => Some(Reach::Everyone),
            Target::Team(_) => self.team(target).map(|team| Reach::Team(team.id)),
            Target::User(UserKey::Id(id)) => {
                self.users.iter().any(|entry| entry.user.id == *id).then_some(Reach::User(*id))
            }
            Target::User(UserKey::Email(email)) => self
                .users
                .iter()
                .find(|entry| entry.user.email.eq_ignore_ascii_case(email.as_str()))
                .map(|entry| Reach::User(entry.user.id)),
        }
    }

    pub fn user_name(&self, id: UserId) -> Option<&str> {
        self.users.iter().find(|entry| entry.user.id == id).map(|entry| entry.user.name.as_str())
    }

    pub fn is_online(&self, id: UserId) -> bool {
        self.users
            .iter()
            .any(|entry| entry.user.id == id && entry.user.status == baton_core::user::Presence::Online)
    }

    /// The strictest first-response SLA among `user`'s teams.
    pub fn sla_seconds(&self, user: UserId) -> Option<u32> {
        let entry = self.users.iter().find(|entry| entry.user.id == user)?;
        self.teams
            .iter()
            .filter(|team| entry.team_ids.contains(&team.id))
            .filter_map(|team| team.settings.first_response_sla_seconds)
            .min()
    }

    /// The teams `route` reaches, and the strictest first-response SLA among them.
    pub fn route_teams(&self, route: &Route) -> (Vec<TeamId>, Option<u32>) {
        let teams: Vec<TeamId> = route
            .reach()
            .iter()
            .filter_map(|reach| match reach {
                Reach::Team(team) => Some(*team),
                _ => None,
            })
            .collect();
        let sla = self
            .teams
            .iter()
            .filter(|team| teams.contains(&team.id))
            .filter_map(|team| team.settings.first_response_sla_seconds)
            .min();
        (teams, sla)
    }

    /// Whether the bot of `policy` takes handoffs now: within its office hours, or told to
    /// queue outside them too.
    pub fn within_hours(&self, policy: &Policy) -> bool {
        !policy.offline_outside_hours || policy.schedule.as_ref().is_none_or(|s| s.is_open(self.now))
    }

    /// Whether a handoff on `route` would find someone: the bot within hours, and (if the
    /// policy checks) an eligible user on duty.
    pub fn humans_available(&self, policy: &Policy, route: &Route) -> bool {
        self.within_hours(policy) && (!policy.availability_check || self.roster.anyone_on_duty(route))
    }

    /// When someone could next take a handoff on `route`, if nobody can now: the bot's next
    /// opening when it is closed, else the earliest opening of a team the route names.
    pub fn next_open_at(&self, policy: &Policy, route: &Route) -> Option<Timestamp> {
        if let Some(schedule) = &policy.schedule
            && !schedule.is_open(self.now)
        {
            return schedule.next_open(self.now);
        }
        if self.roster.anyone_on_duty(route) {
            return None;
        }
        route
            .reach()
            .iter()
            .filter_map(|reach| match reach {
                Reach::Team(id) => self.teams.iter().find(|team| team.id == *id),
                _ => None,
            })
            .filter_map(|team| team.settings.schedule.as_ref()?.next_open(self.now))
            .min()
    }

    /// The typical wait of handoffs on `route`: the median over what its users recently took.
    pub fn typical_wait(&self, route: &Route) -> u32 {
        let waits: Vec<u32> = self
            .waits
            .iter()
            .filter(|(user, _)| self.roster.reaches_user(*user, route))
            .map(|&(_, seconds)| seconds)
            .collect();
        eta::typical_wait(&waits)
    }

    /// The expected wait at `position` on `route`.
    pub fn eta_seconds(&self, route: &Route, position: usize) -> u32 {
        eta::eta_seconds(position, self.typical_wait(route), self.roster.on_duty_count(route))
    }

    /// How many handoffs wait on the same route as a new one on `route` would.
    pub fn waiting_on(&self, route: &Route) -> usize {
        let id: Option<RouteId> = self
            .queue
            .handoffs()
            .iter()
            .map(|handoff| handoff.route)
            .find(|&id| self.queue.route_by_id(id) == Some(route));
        id.map_or(0, |id| self.queue.waiting(id))
    }

    /// The next moment any office hours open or close: routing looks again then.
    pub fn next_boundary(&self) -> Option<Timestamp> {
        let bot_schedules = self.bots.values().filter_map(|bot| bot.settings.policy.schedule.as_ref());
        let team_schedules = self.teams.iter().filter_map(|team| team.settings.schedule.as_ref());
        bot_schedules
            .chain(team_schedules)
            // `next_open` of an open schedule (and `next_close` of a closed one) is now itself.
            .filter_map(|schedule| {
                if schedule.is_open(self.now) {
                    schedule.next_close(self.now)
                } else {
                    schedule.next_open(self.now)
                }
            })
            .filter(|&boundary| boundary > self.now)
            .min()
    }
}

/// Leaves out the waiting handoffs an outside helpdesk holds (those of a bot with an enabled
/// Freshchat channel): they are not Baton's to offer or send offline, until the helpdesk
/// fails them (`service::helpdesk`).
async fn without_helpdesk_handoffs(state: &AppState, open: Vec<OpenHandoff>) -> ApiResult<Vec<OpenHandoff>> {
    let channels = state.store.channels().await?;
    let bots: std::collections::HashSet<BotId> = channels
        .iter()
        .filter(|channel| channel.enabled && channel.kind() == baton_core::channel::ChannelKind::Freshchat)
        .map(|channel| channel.bot_id)
        .collect();
    if bots.is_empty() {
        return Ok(open);
    }
    let theirs: std::collections::HashSet<HandoffId> = open
        .iter()
        .filter(|open| {
            bots.contains(&open.bot_id)
                && matches!(open.handoff.value.state, HandoffState::Queued | HandoffState::Offered)
        })
        .map(|open| open.handoff.value.id)
        .collect();
    if theirs.is_empty() {
        return Ok(open);
    }
    let ids: Vec<HandoffId> = theirs.iter().copied().collect();
    let failed: std::collections::HashSet<HandoffId> =
        state.store.failed_helpdesk_handoffs(&ids).await?.into_iter().collect();
    Ok(open
        .into_iter()
        .filter(|open| !theirs.contains(&open.handoff.value.id) || failed.contains(&open.handoff.value.id))
        .collect())
}
