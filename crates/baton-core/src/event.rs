//! Event names, shared by websocket frames and (later) webhooks. The outbox stores the name
//! with a JSON payload; clients switch on the name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "conversation.started")]
    ConversationStarted,
    #[serde(rename = "message.created")]
    MessageCreated,
    #[serde(rename = "handoff.requested")]
    HandoffRequested,
    #[serde(rename = "handoff.gathering")]
    HandoffGathering,
    #[serde(rename = "handoff.queued")]
    HandoffQueued,
    #[serde(rename = "handoff.queue_updated")]
    HandoffQueueUpdated,
    #[serde(rename = "handoff.offered")]
    HandoffOffered,
    #[serde(rename = "handoff.declined")]
    HandoffDeclined,
    #[serde(rename = "handoff.expired")]
    HandoffExpired,
    #[serde(rename = "handoff.assigned")]
    HandoffAssigned,
    #[serde(rename = "handoff.transferred")]
    HandoffTransferred,
    #[serde(rename = "handoff.offline")]
    HandoffOffline,
    #[serde(rename = "lead.captured")]
    LeadCaptured,
    #[serde(rename = "handoff.external")]
    HandoffExternal,
    #[serde(rename = "handoff.failed")]
    HandoffFailed,
    #[serde(rename = "handoff.closed")]
    HandoffClosed,
    #[serde(rename = "conversation.returned_to_bot")]
    ConversationReturnedToBot,
    #[serde(rename = "feedback.requested")]
    FeedbackRequested,
    #[serde(rename = "feedback.received")]
    FeedbackReceived,
    #[serde(rename = "sla.breached")]
    SlaBreached,
    #[serde(rename = "user.status_changed")]
    UserStatusChanged,
    #[serde(rename = "typing")]
    Typing,
}

impl EventKind {
    pub const ALL: [EventKind; 22] = [
        Self::ConversationStarted,
        Self::MessageCreated,
        Self::HandoffRequested,
        Self::HandoffGathering,
        Self::HandoffQueued,
        Self::HandoffQueueUpdated,
        Self::HandoffOffered,
        Self::HandoffDeclined,
        Self::HandoffExpired,
        Self::HandoffAssigned,
        Self::HandoffTransferred,
        Self::HandoffOffline,
        Self::LeadCaptured,
        Self::HandoffExternal,
        Self::HandoffFailed,
        Self::HandoffClosed,
        Self::ConversationReturnedToBot,
        Self::FeedbackRequested,
        Self::FeedbackReceived,
        Self::SlaBreached,
        Self::UserStatusChanged,
        Self::Typing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::ConversationStarted => "conversation.started",
            Self::MessageCreated => "message.created",
            Self::HandoffRequested => "handoff.requested",
            Self::HandoffGathering => "handoff.gathering",
            Self::HandoffQueued => "handoff.queued",
            Self::HandoffQueueUpdated => "handoff.queue_updated",
            Self::HandoffOffered => "handoff.offered",
            Self::HandoffDeclined => "handoff.declined",
            Self::HandoffExpired => "handoff.expired",
            Self::HandoffAssigned => "handoff.assigned",
            Self::HandoffTransferred => "handoff.transferred",
            Self::HandoffOffline => "handoff.offline",
            Self::LeadCaptured => "lead.captured",
            Self::HandoffExternal => "handoff.external",
            Self::HandoffFailed => "handoff.failed",
            Self::HandoffClosed => "handoff.closed",
            Self::ConversationReturnedToBot => "conversation.returned_to_bot",
            Self::FeedbackRequested => "feedback.requested",
            Self::FeedbackReceived => "feedback.received",
            Self::SlaBreached => "sla.breached",
            Self::UserStatusChanged => "user.status_changed",
            Self::Typing => "typing",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Events a contact may see on their own conversation's stream; the rest are for users.
    pub fn visible_to_contact(self) -> bool {
        !matches!(
            self,
            Self::UserStatusChanged
                | Self::HandoffOffered
                | Self::HandoffDeclined
                | Self::HandoffExpired
                | Self::SlaBreached
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_name(kind.name()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(kind.name()));
        }
        assert_eq!(EventKind::from_name("nope"), None);
    }
}
