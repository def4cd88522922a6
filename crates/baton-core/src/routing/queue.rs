//! The queue: handoffs waiting for a user, kept in the order they are served.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::assignment::Strategy;
use super::target::Reach;
use crate::handoff::Priority;
use crate::ids::{HandoffId, UserId};
use crate::time::Timestamp;

/// To whom and how a kind of handoff is routed. Built by
/// [`Assignment::route`](super::Assignment::route), or directly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    reach: Vec<Reach>,
    language: Option<String>,
    strategy: Strategy,
}

impl Route {
    /// A route to whomever `reach` names who speaks `language` (anyone when `None`). Equal
    /// routes compare equal however their targets were listed.
    pub fn new(reach: impl IntoIterator<Item = Reach>, language: Option<&str>, strategy: Strategy) -> Self {
        let mut reach: Vec<Reach> = reach.into_iter().collect();
        if reach.contains(&Reach::Everyone) {
            reach = vec![Reach::Everyone];
        }
        reach.sort_unstable();
        reach.dedup();
        let language = language
            .map(|language| language.trim().to_ascii_lowercase())
            .filter(|language| !language.is_empty());
        Self { reach, language, strategy }
    }

    pub fn reach(&self) -> &[Reach] {
        &self.reach
    }

    /// The language the user must speak, if any.
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }
}

/// A route's number within one [`Queue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteId(u32);

impl RouteId {
    pub(super) fn index(self) -> usize {
        self.0 as usize
    }
}

/// A handoff in the `queued` state, as routing sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedHandoff {
    pub id: HandoffId,
    pub priority: Priority,
    pub requested_at: Timestamp,
    /// From [`Queue::route`] on the same queue.
    pub route: RouteId,
    /// Users who declined it or let an offer of it expire: it is not offered to them again.
    pub declined_by: Vec<UserId>,
}

impl QueuedHandoff {
    /// Queue order: `Less` when `self` is served before `other`.
    pub fn queue_order(&self, other: &Self) -> Ordering {
        other
            .priority
            .cmp(&self.priority)
            .then(self.requested_at.cmp(&other.requested_at))
            .then(self.id.cmp(&other.id))
    }
}

/// A handoff's place in the queue, counting from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Among every queued handoff.
    pub overall: usize,
    /// Among handoffs on the same route: those waiting for the same people. What a contact
    /// is told, since a long queue in another language does not hold them up.
    pub in_route: usize,
}

/// The queued handoffs, in queue order, and their routes.
///
/// **Order.** Higher priority first; within a priority, whoever has waited longest (earliest
/// `requested_at`); the handoff id breaks the last ties so the order never depends on how
/// the rows happened to be read. A decline or an expired offer does not change a handoff's
/// place: it goes back to where it was, usually the head.
///
/// **Routes.** Handoffs that go to the same people in the same way share a [`Route`]: whom
/// they reach, the language the user must speak, and the strategy. The queue keeps each
/// distinct route once and gives handoffs a small [`RouteId`]; the decision then works out
/// once per route, not once per handoff, who can take it. In practice there are a handful
/// of routes (bots × languages) and thousands of handoffs.
#[derive(Debug, Clone, Default)]
pub struct Queue {
    routes: Vec<Route>,
    route_ids: HashMap<Route, RouteId>,
    /// Always in queue order.
    handoffs: Vec<QueuedHandoff>,
    /// How many queued handoffs each route has.
    waiting: Vec<usize>,
}

impl Queue {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `route` in this queue, the same for every equal route.
    pub fn route(&mut self, route: Route) -> RouteId {
        if let Some(&id) = self.route_ids.get(&route) {
            return id;
        }
        let id = RouteId(u32::try_from(self.routes.len()).expect("fewer than 2³² distinct routes"));
        self.routes.push(route.clone());
        self.route_ids.insert(route, id);
        self.waiting.push(0);
        id
    }

    pub fn route_by_id(&self, id: RouteId) -> Option<&Route> {
        self.routes.get(id.index())
    }

    pub(super) fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// Add one handoff at its place. Cheap when handoffs come in queue order (as a store's
    /// `ORDER BY priority DESC, requested_at` returns them): each lands at the end.
    pub fn push(&mut self, handoff: QueuedHandoff) {
        debug_assert!(handoff.route.index() < self.routes.len(), "a route of another queue");
        self.count(handoff.route, true);
        let place = match self.handoffs.last() {
            Some(last) if last.queue_order(&handoff).is_gt() => {
                self.handoffs.partition_point(|queued| queued.queue_order(&handoff).is_lt())
            }
            _ => self.handoffs.len(),
        };
        self.handoffs.insert(place, handoff);
    }

    /// Add many handoffs in any order: one sort, linear when they were already in order.
    pub fn extend(&mut self, handoffs: impl IntoIterator<Item = QueuedHandoff>) {
        let handoffs = handoffs.into_iter();
        self.handoffs.reserve(handoffs.size_hint().0);
        for handoff in handoffs {
            debug_assert!(handoff.route.index() < self.routes.len(), "a route of another queue");
            self.count(handoff.route, true);
            self.handoffs.push(handoff);
        }
        self.handoffs.sort_by(QueuedHandoff::queue_order);
    }

    /// Take a handoff out (claimed, offered, closed).
    pub fn remove(&mut self, id: HandoffId) -> Option<QueuedHandoff> {
        let index = self.handoffs.iter().position(|queued| queued.id == id)?;
        let handoff = self.handoffs.remove(index);
        self.count(handoff.route, false);
        Some(handoff)
    }

    fn count(&mut self, route: RouteId, added: bool) {
        if let Some(waiting) = self.waiting.get_mut(route.index()) {
            if added {
                *waiting += 1;
            } else {
                *waiting -= 1;
            }
        }
    }

    /// The handoffs in queue order.
    pub fn handoffs(&self) -> &[QueuedHandoff] {
        &self.handoffs
    }

    pub fn len(&self) -> usize {
        self.handoffs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.handoffs.is_empty()
    }

    /// How many handoffs wait on `route`.
    pub fn waiting(&self, route: RouteId) -> usize {
        self.waiting.get(route.index()).copied().unwrap_or(0)
    }

    pub(super) fn waiting_per_route(&self) -> &[usize] {
        &self.waiting
    }

    /// Every handoff with its place, in queue order: one pass, for announcing the queue to
    /// everyone waiting after it changed.
    pub fn positions(&self) -> impl Iterator<Item = (&QueuedHandoff, Position)> + '_ {
        let mut seen = vec![0; self.routes.len()];
        self.handoffs.iter().enumerate().map(move |(index, handoff)| {
            let in_route = seen.get_mut(handoff.route.index()).map_or(0, |count| {
                *count += 1;
                *count
            });
            (handoff, Position { overall: index + 1, in_route })
        })
    }

    /// One handoff's place: a scan up to it, with no allocation.
    pub fn position(&self, id: HandoffId) -> Option<Position> {
        let index = self.handoffs.iter().position(|queued| queued.id == id)?;
        let route = self.handoffs[index].route;
        let ahead_in_route = self.handoffs[..index].iter().filter(|queued| queued.route == route).count();
        Some(Position { overall: index + 1, in_route: ahead_in_route + 1 })
    }
}
