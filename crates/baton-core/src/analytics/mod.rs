//! Analytics: how handoffs go, in figures a support manager reads (see `docs/analytics.md`
//! for each figure's definition).
//!
//! The server keeps one [`HandoffFact`] per handoff, folded from its events as they happen
//! ([`HandoffFact::observe`]), and rolls the facts up per UTC day into [`DailyStats`] rows
//! keyed by bot, team, assignee, trigger and outcome, with a [`Histogram`] of the time to a
//! human per day, bot and team. A report ([`Report`]) adds rows up, so a year of handoffs
//! answers from a few hundred thousand small rows at most, not millions of handoffs.

mod histogram;
mod report;

use serde::{Deserialize, Serialize};

pub use histogram::Histogram;
pub use report::{
    Bucket, CsatStats, GroupSums, Offers, Outcomes, Percentiles, Ratings, Report, ReportInput, SeriesPoint,
    SeriesSums, Sla, Sums, TeamRow, UserRow,
};

use crate::event::Event;
use crate::handoff::{Handoff, Priority, Trigger};
use crate::ids::{BotId, ConversationId, HandoffId, TeamId, UserId};
use crate::time::Timestamp;

pub const DAY_MS: i64 = 86_400_000;
pub const HOUR_MS: i64 = 3_600_000;

/// Where a handoff ended up; each handoff has exactly one, checked in this order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A person took it (claimed or accepted), whatever happened after.
    Human,
    /// Nobody took it live; the contact left their details, which became a ticket.
    Ticket,
    /// Nobody was available: the contact got the offline message and left no details.
    Offline,
    /// Nobody took it in time and the bot had the conversation back.
    ReturnedToBot,
    /// Closed while it waited (the contact went away, or it was closed by hand).
    Abandoned,
    /// Still waiting: gathering details, queued or offered.
    Waiting,
}

impl Outcome {
    pub const ALL: [Outcome; 6] =
        [Self::Human, Self::Ticket, Self::Offline, Self::ReturnedToBot, Self::Abandoned, Self::Waiting];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Ticket => "ticket",
            Self::Offline => "offline",
            Self::ReturnedToBot => "returned_to_bot",
            Self::Abandoned => "abandoned",
            Self::Waiting => "waiting",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|outcome| outcome.as_str() == text)
    }
}

/// What analytics keeps of one handoff.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffFact {
    pub handoff_id: HandoffId,
    pub conversation_id: ConversationId,
    /// Filled in by the store from the conversation.
    pub bot_id: Option<BotId>,
    /// The team it is counted under: its assignee's first team, else the first team it was
    /// routed to (see [`HandoffFact::observe`]'s caller).
    pub team_id: Option<TeamId>,
    pub assignee_id: Option<UserId>,
    pub trigger: Trigger,
    pub topic: Option<String>,
    /// Why an AI handed off (`missing_knowledge`, …).
    pub reason_code: Option<String>,
    pub priority: Priority,
    pub requested_at: Timestamp,
    pub queued_at: Option<Timestamp>,
    /// When a person took it.
    pub assigned_at: Option<Timestamp>,
    pub first_response_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// When it stopped waiting in the queue (taken, offline, back to the bot, closed).
    pub left_queue_at: Option<Timestamp>,
    pub went_offline: bool,
    pub lead: bool,
    pub returned_to_bot: bool,
    pub offers: u32,
    pub accepts: u32,
    pub declines: u32,
    pub expiries: u32,
    pub rating: Option<u8>,
    /// The first-response SLA of its team, if it has one.
    pub sla_seconds: Option<u32>,
}

impl HandoffFact {
    /// A fact from the handoff as an event carried it.
    fn from_handoff(handoff: &Handoff) -> Self {
        let reason_code = handoff
            .evidence
            .signals
            .iter()
            .find(|signal| signal.name == "ai_decision")
            .map(|signal| signal.detail.clone());
        Self {
            handoff_id: handoff.id,
            conversation_id: handoff.conversation_id,
            bot_id: None,
            team_id: None,
            assignee_id: None,
            trigger: handoff.trigger,
            topic: handoff.evidence.topic.clone(),
            reason_code,
            priority: handoff.priority,
            requested_at: handoff.requested_at,
            queued_at: None,
            assigned_at: None,
            first_response_at: None,
            closed_at: None,
            left_queue_at: None,
            went_offline: false,
            lead: false,
            returned_to_bot: false,
            offers: 0,
            accepts: 0,
            declines: 0,
            expiries: 0,
            rating: None,
            sla_seconds: None,
        }
    }

    /// The fact after `event`, given the fact before it (`None`: not seen yet). `None` when
    /// the event says nothing about a handoff. Counting events (offers, declines) must be
    /// observed once each: the store applies an event only past the fact's last event id.
    pub fn observe(previous: Option<&HandoffFact>, event: &Event) -> Option<HandoffFact> {
        use Event as E;
        let handoff = match event {
            E::ConversationReturnedToBot(reference) => {
                let mut fact = previous.filter(|fact| fact.handoff_id == reference.handoff_id)?.clone();
                // A live chat closed by its person also hands back to the bot; that one reached a human.
                fact.returned_to_bot = fact.assigned_at.is_none();
                return Some(fact);
            }
            E::FeedbackReceived(feedback) => {
                let mut fact = previous.filter(|fact| fact.handoff_id == feedback.handoff_id)?.clone();
                fact.rating = feedback.rating.map(|rating| rating.value());
                return Some(fact);
            }
            other => other.handoff()?,
        };
        let mut fact = previous.cloned().unwrap_or_else(|| Self::from_handoff(handoff));
        fact.priority = handoff.priority;
        fact.queued_at = fact.queued_at.or(handoff.queued_at);
        fact.first_response_at = fact.first_response_at.or(handoff.first_response_at);
        fact.closed_at = handoff.closed_at;
        fact.lead |= handoff.lead.is_some();
        if handoff.assigned_at.is_some() && handoff.assignee.is_some() {
            // Kept from the first time a person took it: time to human is to the first.
            fact.assigned_at = fact.assigned_at.or(handoff.assigned_at);
            fact.assignee_id = handoff.assignee.as_ref().map(|user| user.id);
        }
        match event {
            E::HandoffOffered(_) => fact.offers += 1,
            E::HandoffDeclined(_) => fact.declines += 1,
            E::HandoffExpired(_) => fact.expiries += 1,
            E::HandoffOffline(_) => fact.went_offline = true,
            E::HandoffAssigned(_)
                if previous.is_some_and(|p| p.offers > p.accepts + p.declines + p.expiries) =>
            {
                fact.accepts += 1
            }
            _ => {}
        }
        let waiting = matches!(
            event,
            E::HandoffQueued(_) | E::HandoffOffered(_) | E::HandoffDeclined(_) | E::HandoffExpired(_)
        );
        if !waiting && fact.queued_at.is_some() && fact.left_queue_at.is_none() {
            fact.left_queue_at = Some(event_time(handoff));
        }
        Some(fact)
    }

    pub fn outcome(&self) -> Outcome {
        if self.assigned_at.is_some() {
            Outcome::Human
        } else if self.lead {
            Outcome::Ticket
        } else if self.went_offline {
            Outcome::Offline
        } else if self.returned_to_bot {
            Outcome::ReturnedToBot
        } else if self.closed_at.is_some() {
            Outcome::Abandoned
        } else {
            Outcome::Waiting
        }
    }

    /// Milliseconds from the request to the first person taking it.
    pub fn time_to_human_ms(&self) -> Option<i64> {
        Some(self.assigned_at?.as_millis() - self.requested_at.as_millis())
    }

    /// Whether the first reply came within the team's SLA after it was taken; `None` when
    /// there is no SLA or nobody took it.
    pub fn within_sla(&self, now: Timestamp) -> Option<bool> {
        let sla_ms = i64::from(self.sla_seconds?) * 1000;
        let assigned = self.assigned_at?.as_millis();
        match self.first_response_at {
            Some(reply) => Some(reply.as_millis() - assigned <= sla_ms),
            // Not answered yet: missed once the SLA has passed, undecided before.
            None if now.as_millis() - assigned > sla_ms => Some(false),
            None => None,
        }
    }

    /// How long it waited in the queue, up to `now` if it still does.
    pub fn queue_wait_ms(&self, now: Timestamp) -> i64 {
        let Some(queued) = self.queued_at else { return 0 };
        let left = self.left_queue_at.unwrap_or(now);
        (left.as_millis() - queued.as_millis()).max(0)
    }

    /// The UTC day (days since 1970-01-01) it was requested on.
    pub fn day(&self) -> i64 {
        self.requested_at.as_millis().div_euclid(DAY_MS)
    }
}

/// The latest moment the handoff's timestamps show: when the event that carried it happened.
fn event_time(handoff: &Handoff) -> Timestamp {
    [handoff.closed_at, handoff.assigned_at, handoff.queued_at, Some(handoff.requested_at)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(handoff.requested_at)
}

/// The figures of one group of handoffs requested on one UTC day, with the same bot, team,
/// assignee, trigger and outcome: what the daily roll-up stores and reports add up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DailyStats {
    pub handoffs: u64,
    pub time_to_human_ms_sum: i64,
    pub humans: u64,
    pub sla_total: u64,
    pub sla_met: u64,
    pub offers: u64,
    pub accepts: u64,
    pub declines: u64,
    pub expiries: u64,
    pub queue_wait_ms: i64,
    /// Ratings 1 to 5 (index 0 is 1 star).
    pub ratings: [u64; 5],
}

impl DailyStats {
    /// Adds another group's figures to these.
    pub fn add(&mut self, other: &DailyStats) {
        self.handoffs += other.handoffs;
        self.time_to_human_ms_sum += other.time_to_human_ms_sum;
        self.humans += other.humans;
        self.sla_total += other.sla_total;
        self.sla_met += other.sla_met;
        self.offers += other.offers;
        self.accepts += other.accepts;
        self.declines += other.declines;
        self.expiries += other.expiries;
        self.queue_wait_ms += other.queue_wait_ms;
        for (sum, n) in self.ratings.iter_mut().zip(other.ratings) {
            *sum += n;
        }
    }

    /// The figures of these facts (all of one group).
    pub fn of(facts: &[HandoffFact], now: Timestamp) -> Self {
        let mut stats = Self::default();
        for fact in facts {
            stats.handoffs += 1;
            if let Some(ms) = fact.time_to_human_ms() {
                stats.humans += 1;
                stats.time_to_human_ms_sum += ms;
            }
            if let Some(met) = fact.within_sla(now) {
                stats.sla_total += 1;
                stats.sla_met += u64::from(met);
            }
            stats.offers += u64::from(fact.offers);
            stats.accepts += u64::from(fact.accepts);
            stats.declines += u64::from(fact.declines);
            stats.expiries += u64::from(fact.expiries);
            stats.queue_wait_ms += fact.queue_wait_ms(now);
            if let Some(rating) = fact.rating.filter(|r| (1..=5).contains(r)) {
                stats.ratings[usize::from(rating - 1)] += 1;
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests;
