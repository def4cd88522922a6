//! What the durable timers wait for: one variant per kind, so setting a timer and reacting
//! when it fires are both checked by the compiler. The store keeps a deadline as its kind's
//! name and its subject (a user, a handoff), at most one per pair.

use crate::ids::{HandoffId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deadline {
    /// An online user's inbox has been closed for the presence grace period: they are away.
    PresenceGrace(UserId),
    /// A live chat's contact may have gone quiet for `contact_inactive_minutes`.
    ContactInactive(HandoffId),
    /// An offer's time to answer runs out: the next user gets it.
    OfferExpiry(HandoffId),
    /// Nobody accepted a queued handoff within the policy's `waiting.timeout_seconds`.
    NoAccept(HandoffId),
    /// A live handoff's first human reply is due (the team's first-response SLA).
    FirstResponseSla(HandoffId),
    /// Office hours open or close somewhere: who is on duty changes.
    OfficeHours,
    /// The assignee has not replied within the policy's `watchdog.first_reply_seconds`.
    FirstReply(HandoffId),
    /// ... nor within `waiting.reassign_after_seconds`: the chat goes back to the queue.
    Reclaim(HandoffId),
    /// A contact in a live chat has waited `watchdog.unanswered_alert_seconds` for an answer.
    ContactUnanswered(HandoffId),
    /// A queued handoff may have waited long enough to mail the users it is routed to.
    EmailWaiting(HandoffId),
    /// A queued handoff has waited its teams' first-response time: their admins hear of it.
    EmailUnclaimed(HandoffId),
    /// An outside helpdesk has had a handoff for its `assign_timeout_seconds`: unless one of
    /// its agents took it, the handoff fails over to Baton.
    HelpdeskUnassigned(HandoffId),
}

const OFFICE_HOURS: &str = "office_hours";

impl Deadline {
    /// The kind's name, as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PresenceGrace(_) => "presence_grace",
            Self::ContactInactive(_) => "contact_inactive",
            Self::OfferExpiry(_) => "offer_expiry",
            Self::NoAccept(_) => "no_accept",
            Self::FirstResponseSla(_) => "first_response_sla",
            Self::OfficeHours => OFFICE_HOURS,
            Self::FirstReply(_) => "first_reply",
            Self::Reclaim(_) => "reclaim",
            Self::ContactUnanswered(_) => "contact_unanswered",
            Self::EmailWaiting(_) => "email_waiting",
            Self::EmailUnclaimed(_) => "email_unclaimed",
            Self::HelpdeskUnassigned(_) => "helpdesk_unassigned",
        }
    }

    /// What it is about, as stored.
    pub fn subject(&self) -> String {
        match (self, self.handoff()) {
            (Self::PresenceGrace(user), _) => user.to_string(),
            (_, Some(handoff)) => handoff.to_string(),
            (_, None) => OFFICE_HOURS.to_owned(),
        }
    }

    /// The handoff it is about, if it is about one.
    pub fn handoff(&self) -> Option<HandoffId> {
        match *self {
            Self::ContactInactive(id)
            | Self::OfferExpiry(id)
            | Self::NoAccept(id)
            | Self::FirstResponseSla(id)
            | Self::FirstReply(id)
            | Self::Reclaim(id)
            | Self::ContactUnanswered(id)
            | Self::EmailWaiting(id)
            | Self::EmailUnclaimed(id)
            | Self::HelpdeskUnassigned(id) => Some(id),
            Self::PresenceGrace(_) | Self::OfficeHours => None,
        }
    }

    /// The deadline a stored kind and subject name; `None` for a kind this version does not
    /// know or a subject that does not parse.
    pub fn parse(kind: &str, subject: &str) -> Option<Self> {
        let handoff = || subject.parse::<HandoffId>().ok();
        Some(match kind {
            "presence_grace" => Self::PresenceGrace(subject.parse().ok()?),
            "contact_inactive" => Self::ContactInactive(handoff()?),
            "offer_expiry" => Self::OfferExpiry(handoff()?),
            "no_accept" => Self::NoAccept(handoff()?),
            "first_response_sla" => Self::FirstResponseSla(handoff()?),
            OFFICE_HOURS => Self::OfficeHours,
            "first_reply" => Self::FirstReply(handoff()?),
            "reclaim" => Self::Reclaim(handoff()?),
            "contact_unanswered" => Self::ContactUnanswered(handoff()?),
            "email_waiting" => Self::EmailWaiting(handoff()?),
            "email_unclaimed" => Self::EmailUnclaimed(handoff()?),
            "helpdesk_unassigned" => Self::HelpdeskUnassigned(handoff()?),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    #[test]
    fn every_deadline_reads_back_from_its_kind_and_subject() {
        let at = Timestamp::from_millis(1_000);
        let (user, handoff) = (UserId::new_v7(at, [1; 10]), HandoffId::new_v7(at, [2; 10]));
        let all = [
            Deadline::PresenceGrace(user),
            Deadline::ContactInactive(handoff),
            Deadline::OfferExpiry(handoff),
            Deadline::NoAccept(handoff),
            Deadline::FirstResponseSla(handoff),
            Deadline::OfficeHours,
            Deadline::FirstReply(handoff),
            Deadline::Reclaim(handoff),
            Deadline::ContactUnanswered(handoff),
            Deadline::EmailWaiting(handoff),
            Deadline::EmailUnclaimed(handoff),
            Deadline::HelpdeskUnassigned(handoff),
        ];
        let kinds: std::collections::HashSet<&str> = all.iter().map(Deadline::kind).collect();
        assert_eq!(kinds.len(), all.len(), "one name per kind");
        for deadline in all {
            assert_eq!(Deadline::parse(deadline.kind(), &deadline.subject()), Some(deadline));
        }
        assert_eq!(Deadline::parse("no_accept", "not-an-id"), None);
        assert_eq!(Deadline::parse("retired_kind", &handoff.to_string()), None);
    }
}
