//! A waiting contact's place in line: one more than the handoffs ahead of theirs that wait
//! for any of the same people.
//!
//! Counting only the handoffs on the same route undercounts: with one agent who answers every
//! language, an English, a Spanish and a Chinese handoff are on three routes, yet they wait for
//! the same person, so they are first, second and third, not three times first. Counting
//! every handoff overcounts: a long German queue for the Berlin team holds up nobody waiting
//! for the London team. Two routes compete when some user is meant for both
//! ([`Roster::routes_to`]: team membership and languages, whatever the hours or presence, so
//! a place does not jump when someone steps away); a route that reaches nobody competes only
//! with itself.
//!
//! The work is one pass over the queue with a count per route, plus the routes' overlaps
//! (routes² × users), and routes are few (bots × languages).

use super::queue::{Queue, QueuedHandoff};
use super::roster::Roster;

/// Which routes compete with which, by route index.
fn competing_routes(queue: &Queue, roster: &Roster) -> Vec<Vec<usize>> {
    let routes = queue.routes();
    let reached: Vec<Vec<bool>> = routes
        .iter()
        .map(|route| roster.agents().iter().map(|agent| roster.routes_to(agent.id, route)).collect())
        .collect();
    (0..routes.len())
        .map(|a| {
            (0..routes.len())
                .filter(|&b| a == b || reached[a].iter().zip(&reached[b]).any(|(x, y)| *x && *y))
                .collect()
        })
        .collect()
}

/// Every queued handoff with its place, in queue order.
pub fn places<'q>(queue: &'q Queue, roster: &Roster) -> Vec<(&'q QueuedHandoff, usize)> {
    let competing = competing_routes(queue, roster);
    let mut ahead = vec![0usize; queue.routes().len()];
    queue
        .handoffs()
        .iter()
        .map(|handoff| {
            let route = handoff.route.index();
            let place = 1 + competing[route].iter().map(|&other| ahead[other]).sum::<usize>();
            ahead[route] += 1;
            (handoff, place)
        })
        .collect()
}

/// One handoff's place, if it is queued.
pub fn place(queue: &Queue, roster: &Roster, id: crate::ids::HandoffId) -> Option<usize> {
    places(queue, roster).into_iter().find(|(handoff, _)| handoff.id == id).map(|(_, place)| place)
}
