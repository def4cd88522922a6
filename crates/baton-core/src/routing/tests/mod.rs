//! Scenarios of the routing decision, and properties checked against a plain O(H·A)
//! statement of the same rules.

mod eligibility;
mod offers;
mod properties;
mod queue;

use uuid::Uuid;

use super::*;
use crate::handoff::Priority;
use crate::ids::{HandoffId, TeamId, UserId};
use crate::time::Timestamp;
use crate::user::Presence;

pub(super) fn user(n: u32) -> UserId {
    UserId::from_uuid(Uuid::from_u128(0x1000_0000_0000 + u128::from(n)))
}

pub(super) fn handoff(n: u32) -> HandoffId {
    HandoffId::from_uuid(Uuid::from_u128(0x2000_0000_0000 + u128::from(n)))
}

pub(super) fn team(n: u32) -> TeamId {
    TeamId::from_uuid(Uuid::from_u128(0x3000_0000_0000 + u128::from(n)))
}

pub(super) fn at(millis: i64) -> Timestamp {
    Timestamp::from_millis(millis)
}

pub(super) fn online(n: u32) -> Agent {
    Agent::new(user(n), Presence::Online)
}

/// Handoff `n`, requested at `n` ms, normal priority.
pub(super) fn queued(n: u32, route: RouteId) -> QueuedHandoff {
    QueuedHandoff {
        id: handoff(n),
        priority: Priority::Normal,
        requested_at: at(i64::from(n)),
        route,
        declined_by: Vec::new(),
    }
}

/// A queue of handoffs `1..=count` on one route to everyone.
pub(super) fn queue_to_everyone(count: u32, strategy: Strategy) -> (Queue, RouteId) {
    let mut queue = Queue::new();
    let route = queue.route(Route::new([Reach::Everyone], None, strategy));
    queue.extend((1..=count).map(|n| queued(n, route)));
    (queue, route)
}

/// Everyone's teams open, capacity 10 unless the agent says otherwise.
pub(super) fn roster(agents: &[Agent]) -> Roster {
    Roster::new(agents.to_vec(), Assignment::DEFAULT_CAPACITY, |_| true)
}

/// The users offered something, in offer order.
pub(super) fn offered_users(decision: &Decision) -> Vec<UserId> {
    decision.offers.iter().map(|offer| offer.user).collect()
}

/// Every offer accepted at `now`: the handoff leaves the queue, its user gains a live chat.
pub(super) fn accept(queue: &mut Queue, agents: &mut [Agent], decision: &Decision, now: Timestamp) {
    for offer in &decision.offers {
        queue.remove(offer.handoff).expect("offers are of queued handoffs");
        let agent = agents.iter_mut().find(|agent| agent.id == offer.user).expect("offers go to agents");
        agent.live += 1;
        agent.last_assigned_at = Some(now);
    }
}
