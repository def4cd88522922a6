//! The decision against the rules written the slow, obvious way: for each handoff in queue
//! order, every agent is checked. Random rosters and queues must get exactly the same offers,
//! audiences and "declined by everyone" from both.

// proptest's `Strategy` (a value generator) is renamed: `Strategy` here is routing's.
use proptest::prelude::{Just, ProptestConfig, any, prop, prop_assert, prop_assert_eq, prop_oneof, proptest};
use proptest::strategy::Strategy as Generate;

use super::*;

const LANGUAGES: [&str; 3] = ["en", "de", "fr"];

#[derive(Debug, Clone)]
struct World {
    agents: Vec<Agent>,
    open: [bool; 3],
    capacity: u32,
    routes: Vec<Route>,
    /// (priority, requested_at, route index, bit i: agent i declined it)
    handoffs: Vec<(u8, i64, usize, u16)>,
}

fn agent() -> impl Generate<Value = Agent> {
    // Mostly online agents with no offer pending, so that several compete for each handoff.
    let pending_offers = prop_oneof![3 => Just(0u32), 1 => Just(1u32)];
    (0..5u8, 0..8u8, 0..8u8, 0..4u32, pending_offers, prop::option::of(1..5u32), prop::option::of(0..4i64))
        .prop_map(|(presence, languages, teams, live, pending_offers, capacity, last)| Agent {
            id: user(0),
            presence: [
                Presence::Online,
                Presence::Online,
                Presence::Online,
                Presence::Away,
                Presence::Offline,
            ][usize::from(presence)],
            languages: (0..3)
                .filter(|i| languages & (1 << i) != 0)
                .map(|i| LANGUAGES[i].to_owned())
                .collect(),
            teams: (0..3).filter(|i| teams & (1 << i) != 0).map(|i| team(i + 1)).collect(),
            live,
            pending_offers,
            capacity,
            last_assigned_at: last.map(at),
        })
}

fn route() -> impl Generate<Value = Route> {
    let strategy =
        prop_oneof![Just(Strategy::Broadcast), Just(Strategy::RoundRobin), Just(Strategy::LeastBusy)];
    (0..4usize, prop::option::of(0..3usize), strategy).prop_map(|(reach, language, strategy)| {
        let reach = match reach {
            0 => vec![Reach::Everyone],
            1 => vec![Reach::Team(team(1))],
            2 => vec![Reach::Team(team(2)), Reach::Team(team(3))],
            _ => vec![Reach::User(user(2)), Reach::Team(team(3))],
        };
        Route::new(reach, language.map(|i| LANGUAGES[i]), strategy)
    })
}

fn world() -> impl Generate<Value = World> {
    (
        prop::collection::vec(agent(), 0..12),
        any::<[bool; 3]>(),
        1..4u32,
        prop::collection::vec(route(), 1..5),
        prop::collection::vec((0..4u8, 0..20i64, 0..5usize, any::<u16>()), 0..40),
    )
        .prop_map(|(mut agents, open, capacity, routes, handoffs)| {
            for (i, agent) in agents.iter_mut().enumerate() {
                agent.id = user(i as u32);
            }
            World { agents, open, capacity, routes, handoffs }
        })
}

impl World {
    fn team_open(&self) -> impl Fn(TeamId) -> bool + use<> {
        let open = self.open;
        move |id| (1..=3).any(|n| team(n) == id && open[n as usize - 1])
    }

    fn queue(&self) -> Queue {
        let mut queue = Queue::new();
        let ids: Vec<RouteId> = self.routes.iter().map(|route| queue.route(route.clone())).collect();
        let priorities = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];
        queue.extend(self.handoffs.iter().enumerate().map(
            |(n, &(priority, requested_at, route, declined))| {
                QueuedHandoff {
                    id: handoff(n as u32),
                    priority: priorities[usize::from(priority)],
                    requested_at: at(requested_at),
                    route: ids[route % ids.len()],
                    declined_by: (0..self.agents.len())
                        .filter(|i| declined & (1 << i) != 0)
                        .map(|i| user(i as u32))
                        .collect(),
                }
            },
        ));
        queue
    }

    fn on_duty(&self, agent: &Agent) -> bool {
        let open = self.team_open();
        agent.presence == Presence::Online && (agent.teams.is_empty() || agent.teams.iter().any(|&t| open(t)))
    }

    fn room(&self, agent: &Agent) -> bool {
        agent.live + agent.pending_offers < agent.capacity.unwrap_or(self.capacity)
    }

    fn reaches(&self, agent: &Agent, route: &Route) -> bool {
        let open = self.team_open();
        let speaks = match route.language() {
            None => true,
            Some(language) => agent.languages.is_empty() || agent.languages.iter().any(|l| l == language),
        };
        speaks
            && route.reach().iter().any(|reach| match *reach {
                Reach::Everyone => true,
                Reach::Team(t) => agent.teams.contains(&t) && open(t),
                Reach::User(u) => agent.id == u,
            })
    }

    /// The offers and the handoffs declined by everyone, by their definition.
    fn expected(&self, queue: &Queue) -> (Vec<Offer>, Vec<HandoffId>) {
        let mut offers = Vec::new();
        let mut declined_by_everyone = Vec::new();
        let mut taken = vec![false; self.agents.len()];
        for queued in queue.handoffs() {
            let route = queue.route_by_id(queued.route).unwrap();
            if !route.strategy().offers() {
                continue;
            }
            let eligible: Vec<usize> = (0..self.agents.len())
                .filter(|&i| self.on_duty(&self.agents[i]) && self.reaches(&self.agents[i], route))
                .collect();
            if !eligible.is_empty()
                && eligible.iter().all(|&i| queued.declined_by.contains(&self.agents[i].id))
            {
                declined_by_everyone.push(queued.id);
            }
            let best = eligible
                .into_iter()
                .filter(|&i| {
                    let agent = &self.agents[i];
                    !taken[i]
                        && self.room(agent)
                        && agent.pending_offers == 0
                        && !queued.declined_by.contains(&agent.id)
                })
                .min_by_key(|&i| {
                    let agent = &self.agents[i];
                    let busy = if route.strategy() == Strategy::LeastBusy { agent.live } else { 0 };
                    (busy, agent.last_assigned_at, agent.id)
                });
            if let Some(i) = best {
                taken[i] = true;
                offers.push(Offer { handoff: queued.id, user: self.agents[i].id });
            }
        }
        (offers, declined_by_everyone)
    }

    fn expected_audience(&self, queue: &Queue, route: RouteId) -> Vec<UserId> {
        let route_def = queue.route_by_id(route).unwrap();
        if route_def.strategy().offers() || queue.waiting(route) == 0 {
            return Vec::new();
        }
        let eligible =
            |agent: &&Agent| self.on_duty(agent) && self.room(agent) && self.reaches(agent, route_def);
        self.agents.iter().filter(eligible).map(|agent| agent.id).collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn the_decision_follows_its_definition(world in world()) {
        let queue = world.queue();
        let roster = Roster::new(world.agents.clone(), world.capacity, world.team_open());
        let decision = decide(&queue, &roster);
        let (offers, declined_by_everyone) = world.expected(&queue);
        prop_assert_eq!(&decision.offers, &offers);
        prop_assert_eq!(&decision.declined_by_everyone, &declined_by_everyone);
        for route in world.routes.iter().map(|route| queue.clone().route(route.clone())) {
            prop_assert_eq!(decision.audience(route), world.expected_audience(&queue, route));
        }
    }

    #[test]
    fn capacity_holds_through_offers_accepts_declines_and_closes(
        mut world in world(),
        answers in prop::collection::vec(0..4u8, 64),
    ) {
        for agent in &mut world.agents {
            let capacity = agent.capacity.unwrap_or(world.capacity);
            agent.live = agent.live.min(capacity);
            agent.pending_offers = 0;
        }
        let mut queue = world.queue();
        let mut answers = answers.into_iter().cycle();
        for round in 0..12 {
            let roster = Roster::new(world.agents.clone(), world.capacity, world.team_open());
            let decision = decide(&queue, &roster);
            for offer in &decision.offers {
                let agent = world.agents.iter_mut().find(|agent| agent.id == offer.user).unwrap();
                agent.pending_offers += 1;
                prop_assert!(agent.live + agent.pending_offers <= agent.capacity.unwrap_or(world.capacity));
                agent.last_assigned_at = Some(at(100 + round));
                let mut queued = queue.remove(offer.handoff).unwrap();
                agent.pending_offers -= 1;
                match answers.next().unwrap() {
                    0 | 1 => agent.live += 1,
                    _ => {
                        queued.declined_by.push(agent.id);
                        queue.push(queued);
                    }
                }
            }
            // Some chats end between decisions.
            for agent in &mut world.agents {
                if answers.next() == Some(0) {
                    agent.live = agent.live.saturating_sub(1);
                }
            }
        }
    }
}
