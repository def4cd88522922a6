//! The roster: the users who could take handoffs, as routing sees them at one moment.

use std::ops::Range;

use super::assignment::Strategy;
use super::queue::Route;
use super::target::Reach;
use crate::ids::{TeamId, UserId};
use crate::time::Timestamp;
use crate::user::Presence;

/// A user as routing sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub id: UserId,
    pub presence: Presence,
    /// The languages they answer in (ISO 639-1). Empty: any language, so a team that never
    /// set languages still gets every conversation.
    pub languages: Vec<String>,
    pub teams: Vec<TeamId>,
    /// Live chats they hold now.
    pub live: u32,
    /// Offers waiting for their answer.
    pub pending_offers: u32,
    /// Their own limit of live chats, replacing the policy's.
    pub capacity: Option<u32>,
    /// When they were last offered or given a handoff; round robin serves whoever has waited
    /// longest, and `None` (never) comes first.
    pub last_assigned_at: Option<Timestamp>,
}

impl Agent {
    /// A user with nothing on their plate, in no team, speaking any language.
    pub fn new(id: UserId, presence: Presence) -> Self {
        Self {
            id,
            presence,
            languages: Vec::new(),
            teams: Vec::new(),
            live: 0,
            pending_offers: 0,
            capacity: None,
            last_assigned_at: None,
        }
    }
}

/// Where a user stands for routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    OffDuty,
    /// On duty, at capacity.
    Full,
    /// On duty with room, but an offer waits for their answer.
    Answering,
    /// On duty, with room and no offer pending.
    Free,
}

impl Standing {
    pub(super) fn on_duty(self) -> bool {
        self != Self::OffDuty
    }

    pub(super) fn has_room(self) -> bool {
        matches!(self, Self::Answering | Self::Free)
    }
}

/// The agents, with what the decision needs worked out once.
///
/// A user is **on duty** when they are online and, if they belong to teams, at least one of
/// their teams is open now (its office hours are the caller's business: it passes a plain
/// "is this team open" answer). Away and offline users get nothing. A team target reaches a
/// member only while that team is open; `all` and user targets reach every on-duty user.
///
/// A user has **room** while their live chats plus their pending offers are below their
/// capacity, and is **free** for an offer when they have room and no offer waiting for their
/// answer: offers are answered one at a time, so a contact never waits on someone who is
/// still looking at another offer, and pending offers count against capacity so two offers
/// can never together push someone past it.
#[derive(Debug, Clone)]
pub struct Roster {
    agents: Vec<Agent>,
    standing: Vec<Standing>,
    /// The open teams of every agent, one after the other; `open_team_spans[i]` is agent i's.
    open_teams: Vec<TeamId>,
    open_team_spans: Vec<Range<u32>>,
    /// Free agents in the order each strategy serves them.
    round_robin: Vec<u32>,
    least_busy: Vec<u32>,
}

impl Roster {
    /// `default_capacity` applies to agents without their own; `team_open` says whether a
    /// team takes conversations now (its schedule), asked once per agent and team.
    pub fn new(mut agents: Vec<Agent>, default_capacity: u32, team_open: impl Fn(TeamId) -> bool) -> Self {
        let count = u32::try_from(agents.len()).expect("fewer than 2³² agents");
        let mut standing = Vec::with_capacity(agents.len());
        let mut open_teams = Vec::new();
        let mut open_team_spans = Vec::with_capacity(agents.len());
        for agent in &mut agents {
            for language in &mut agent.languages {
                language.make_ascii_lowercase();
            }
            let start = open_teams.len() as u32;
            open_teams.extend(agent.teams.iter().copied().filter(|&team| team_open(team)));
            let span = start..open_teams.len() as u32;
            let on_duty = agent.presence == Presence::Online && (agent.teams.is_empty() || !span.is_empty());
            let capacity = agent.capacity.unwrap_or(default_capacity);
            standing.push(if !on_duty {
                Standing::OffDuty
            } else if agent.live.saturating_add(agent.pending_offers) >= capacity {
                Standing::Full
            } else if agent.pending_offers > 0 {
                Standing::Answering
            } else {
                Standing::Free
            });
            open_team_spans.push(span);
        }
        let mut round_robin: Vec<u32> =
            (0..count).filter(|&i| standing[i as usize] == Standing::Free).collect();
        let mut least_busy = round_robin.clone();
        // Both orders are fixed for one decision: a free agent takes at most one offer in it.
        round_robin.sort_unstable_by_key(|&i| {
            let agent = &agents[i as usize];
            (agent.last_assigned_at, agent.id)
        });
        least_busy.sort_unstable_by_key(|&i| {
            let agent = &agents[i as usize];
            (agent.live, agent.last_assigned_at, agent.id)
        });
        Self { agents, standing, open_teams, open_team_spans, round_robin, least_busy }
    }

    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    pub(super) fn standing(&self, agent: usize) -> Standing {
        self.standing[agent]
    }

    /// Free agents in the order `strategy` offers to them (empty for broadcast).
    pub(super) fn offer_order(&self, strategy: Strategy) -> &[u32] {
        match strategy {
            Strategy::Broadcast => &[],
            Strategy::RoundRobin => &self.round_robin,
            Strategy::LeastBusy => &self.least_busy,
        }
    }

    pub(super) fn free_count(&self) -> usize {
        self.round_robin.len()
    }

    /// Whether `route` reaches agent `index` (a target names them, through an open team if
    /// by team) and they speak its language. Says nothing of presence or capacity.
    pub(super) fn reaches(&self, index: usize, route: &Route) -> bool {
        let agent = &self.agents[index];
        let speaks = route.language().is_none_or(|language| {
            agent.languages.is_empty() || agent.languages.iter().any(|spoken| spoken == language)
        });
        speaks
            && route.reach().iter().any(|reach| match *reach {
                Reach::Everyone => true,
                Reach::Team(team) => {
                    let span = &self.open_team_spans[index];
                    self.open_teams[span.start as usize..span.end as usize].contains(&team)
                }
                Reach::User(user) => agent.id == user,
            })
    }

    /// Whether `user` is on duty and eligible for handoffs on `route`, capacity aside: for
    /// checking a claim, or showing a handoff in their inbox.
    pub fn may_take(&self, user: UserId, route: &Route) -> bool {
        self.agents
            .iter()
            .position(|agent| agent.id == user)
            .is_some_and(|index| self.standing[index].on_duty() && self.reaches(index, route))
    }

    /// How many users on duty are eligible for `route`, busy or not.
    pub fn on_duty_count(&self, route: &Route) -> usize {
        (0..self.agents.len())
            .filter(|&index| self.standing[index].on_duty() && self.reaches(index, route))
            .count()
    }

    /// Whether `route` reaches `user` (through an open team if by team), on duty or not: whose
    /// past waits tell how long the route's handoffs wait.
    pub fn reaches_user(&self, user: UserId, route: &Route) -> bool {
        self.agents.iter().position(|agent| agent.id == user).is_some_and(|index| self.reaches(index, route))
    }

    /// Whether `route` is meant for `user`, whatever the time and their presence: a target
    /// names them or a team they belong to (open now or not), and they speak its language.
    /// This is what they may see in their inbox; [`may_take`](Self::may_take) is what they may
    /// be given now.
    pub fn routes_to(&self, user: UserId, route: &Route) -> bool {
        let Some(agent) = self.agents.iter().find(|agent| agent.id == user) else {
            return false;
        };
        let speaks = route.language().is_none_or(|language| {
            agent.languages.is_empty() || agent.languages.iter().any(|spoken| spoken == language)
        });
        speaks
            && route.reach().iter().any(|reach| match *reach {
                Reach::Everyone => true,
                Reach::Team(team) => agent.teams.contains(&team),
                Reach::User(id) => agent.id == id,
            })
    }

    /// Whether anyone on duty is eligible for `route`, busy or not: whether a new handoff on
    /// it should queue (someone will get to it) or go offline.
    pub fn anyone_on_duty(&self, route: &Route) -> bool {
        (0..self.agents.len()).any(|index| self.standing[index].on_duty() && self.reaches(index, route))
    }
}
