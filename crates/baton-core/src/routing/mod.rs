//! Routing: which user a queued handoff goes to.
//!
//! A bot's policy has an [`Assignment`] section: its **targets** per conversation language
//! (`{"de": ["team:berlin"], "*": ["team:support"]}`; everyone by default), its **strategy**
//! and the users' **capacity**. Routing is a pure decision over plain data the caller reads
//! from the store at one moment:
//!
//! 1. the [`Queue`]: every `queued` handoff with its priority, when it was requested, the
//!    users who already declined it, and its [`Route`] (the targets resolved to ids, the
//!    language the user must speak, the strategy), built with [`Assignment::route`];
//! 2. the [`Roster`]: every user with their presence, languages, teams, live chats, pending
//!    offers, capacity and when they were last assigned, plus whether each team is open now
//!    (its schedule, answered by the caller, so this module knows nothing of time zones);
//! 3. [`decide`] → a [`Decision`]: the offers to make, who sees each broadcast handoff, and
//!    which handoffs everyone eligible has declined.
//!
//! ```text
//!  queue (priority desc, requested_at asc)      roster (on duty, room, order per strategy)
//!            │                                              │
//!            └──────────────▶ decide ◀──────────────────────┘
//!                               │
//!       offers (round_robin, least_busy) · audiences (broadcast) · declined by everyone
//! ```
//!
//! **Strategies.** `broadcast` (the default) shows a handoff to every eligible user and the
//! first claim wins. `round_robin` and `least_busy` offer it to one user at a time, through
//! the `offered` state: the least recently assigned user, or the one with the fewest live
//! chats (then the least recently assigned; then the user id, so ties never depend on the
//! order rows were read). Accepting makes it live; declining or letting the offer expire puts
//! it back at its place in the queue and the next decision offers it to the next user. When
//! everyone eligible has declined it, it stays queued at its place, offered to nobody again in
//! that waiting period (a user who comes on duty may still be offered it), claimable by any
//! eligible user until the no-accept timeout, and is reported in
//! [`Decision::declined_by_everyone`].
//!
//! **Capacity.** Automatic assignment never gives a user more than their capacity: live chats
//! and pending offers both count, and a user answers one offer at a time. A handoff whose
//! users are all full stays queued.
//!
//! **When to decide.** The decision is cheap (well under a millisecond for 10,000 queued
//! handoffs and 1,000 users; see `benches/routing.rs`), so the server runs it after anything
//! that changes its inputs: a handoff queued, declined or expired; a user coming online or
//! closing a chat. That is what makes the queue drain to a user the moment they have room.
//!
//! **Place in queue.** The queue is kept in order, so a handoff's [`Position`] is where it
//! stands, overall and on its route ([`Queue::positions`] lists them all in one pass); what a
//! contact is told is their place among the handoffs that compete for the same people
//! ([`places`]).

mod assignment;
mod decide;
pub mod eta;
mod places;
mod queue;
mod roster;
mod target;
#[cfg(test)]
mod tests;

pub use assignment::{ANY_LANGUAGE, Assignment, Strategy};
pub use decide::{Decision, Offer, decide};
pub use places::{place, places};
pub use queue::{Position, Queue, QueuedHandoff, Route, RouteId};
pub use roster::{Agent, Roster};
pub use target::{Reach, Target, TargetError, TeamKey, UserKey};
