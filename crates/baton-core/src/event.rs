//! Events: what happened, as the outbox stores it and every consumer reads it.
//!
//! [`Event`] is the one typed record of a change: a serde-tagged enum (`{"type", "data"}`)
//! with one payload per kind. The store writes it in the same transaction as the change it
//! describes; the consumers (websockets, routing, webhooks, email, metrics) each read the
//! outbox from their own cursor. [`EventKind`] is the name alone, for subscriptions and
//! filters; `typing` is a kind without an event, because typing indicators go to open sockets
//! only and are never stored.

use serde::{Deserialize, Serialize};

use crate::handoff::{ContactInfo, Handoff, UserRef};
use crate::ids::{BotId, ConversationId, DeliveryId, HandoffId, TeamId, UserId, WebhookId};
use crate::message::Message;
use crate::time::Timestamp;
use crate::user::{Presence, Role};
use crate::values::Rating;

/// One stored event. Handoff events carry the whole handoff as it is after the change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum Event {
    #[serde(rename = "conversation.started")]
    ConversationStarted(ConversationStarted),
    #[serde(rename = "message.created")]
    MessageCreated(Message),
    #[serde(rename = "handoff.requested")]
    HandoffRequested(Box<Handoff>),
    #[serde(rename = "handoff.gathering")]
    HandoffGathering(Box<Handoff>),
    #[serde(rename = "handoff.queued")]
    HandoffQueued(Box<Handoff>),
    #[serde(rename = "handoff.queue_updated")]
    HandoffQueueUpdated(QueuePlaceChanged),
    #[serde(rename = "handoff.offered")]
    HandoffOffered(Box<Handoff>),
    #[serde(rename = "handoff.declined")]
    HandoffDeclined(Box<Handoff>),
    #[serde(rename = "handoff.expired")]
    HandoffExpired(Box<Handoff>),
    #[serde(rename = "handoff.assigned")]
    HandoffAssigned(Box<Handoff>),
    #[serde(rename = "handoff.transferred")]
    HandoffTransferred(Box<Handoff>),
    #[serde(rename = "handoff.offline")]
    HandoffOffline(Box<Handoff>),
    #[serde(rename = "lead.captured")]
    LeadCaptured(Box<Handoff>),
    #[serde(rename = "handoff.closed")]
    HandoffClosed(Box<Handoff>),
    #[serde(rename = "conversation.returned_to_bot")]
    ConversationReturnedToBot(HandoffReference),
    #[serde(rename = "feedback.requested")]
    FeedbackRequested(HandoffReference),
    #[serde(rename = "feedback.received")]
    FeedbackReceived(FeedbackReceived),
    #[serde(rename = "sla.breached")]
    SlaBreached(SlaBreached),
    #[serde(rename = "user.status_changed")]
    UserStatusChanged(UserStatusChanged),
    #[serde(rename = "bot.created")]
    BotCreated(BotChanged),
    #[serde(rename = "bot.updated")]
    BotUpdated(BotChanged),
    #[serde(rename = "team.created")]
    TeamCreated(TeamChanged),
    #[serde(rename = "team.updated")]
    TeamUpdated(TeamChanged),
    #[serde(rename = "team.deleted")]
    TeamDeleted(TeamChanged),
    #[serde(rename = "user.created")]
    UserCreated(UserChanged),
    #[serde(rename = "user.updated")]
    UserUpdated(UserChanged),
    #[serde(rename = "user.deleted")]
    UserDeleted(UserChanged),
    #[serde(rename = "handoff.reclaimed")]
    HandoffReclaimed(Box<Handoff>),
    /// The contact chose, while waiting, to get the answer by email: the handoff keeps its
    /// place, and holds the address as its `lead`.
    #[serde(rename = "handoff.follow_up_chosen")]
    FollowUpChosen(Box<Handoff>),
    #[serde(rename = "handoff.first_reply_overdue")]
    FirstReplyOverdue(FirstReplyOverdue),
    #[serde(rename = "handoff.unanswered")]
    ContactUnanswered(ContactUnanswered),
    #[serde(rename = "webhook.failing")]
    WebhookFailing(WebhookFailing),
    /// An outside helpdesk (Freshchat) could not take a handoff; Baton's fallback applies.
    #[serde(rename = "handoff.failed")]
    HandoffFailed(HandoffFailed),
}

/// Why an outside helpdesk did not take a handoff.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffFailed {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    /// The helpdesk, as a channel kind (`freshchat`).
    pub helpdesk: String,
    /// What went wrong, in words (the API's error, a timeout, nobody assigned in time).
    pub reason: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationStarted {
    pub conversation_id: ConversationId,
    pub bot_id: BotId,
    pub contact: ContactInfo,
}

/// A waiting contact's place in the queue and expected wait, when either changed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePlaceChanged {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    /// 1 is next.
    pub position: usize,
    pub eta_seconds: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffReference {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackReceived {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub rating: Option<Rating>,
    pub comment: Option<String>,
}

/// A live chat's assignee has not answered within the team's first-response time.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaBreached {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub assignee: UserRef,
    pub assigned_at: Timestamp,
    pub first_response_sla_seconds: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserStatusChanged {
    pub user_id: UserId,
    pub name: String,
    pub status: Presence,
}

/// A bot was created or its settings changed; read it from `GET /v1/bots/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotChanged {
    pub bot_id: BotId,
    pub name: String,
}

/// A team was created, changed (settings or members) or deleted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamChanged {
    pub team_id: TeamId,
    pub name: String,
}

/// A user was created, changed (account, role, routing, disabled) or deleted.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChanged {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
}

/// The assignee of a live chat has not replied within the policy's
/// `watchdog.first_reply_seconds` of taking it: a reminder to them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstReplyOverdue {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub assignee: UserRef,
    pub assigned_at: Timestamp,
    pub first_reply_seconds: u32,
}

/// A contact in a live chat has waited `unanswered_alert_seconds` for an answer: an alert for
/// the admins.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactUnanswered {
    pub conversation_id: ConversationId,
    pub handoff_id: HandoffId,
    pub assignee: Option<UserRef>,
    /// When the first message still unanswered was sent.
    pub waiting_since: Timestamp,
    pub unanswered_alert_seconds: u32,
}

/// A webhook delivery was given up after its last retry; the endpoint is marked failing until
/// a delivery to it succeeds again.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookFailing {
    pub webhook_id: WebhookId,
    pub url: String,
    pub delivery_id: DeliveryId,
    /// The event the failed delivery carried.
    pub event_type: String,
    pub attempts: u32,
    /// The last attempt's HTTP status, if the endpoint answered at all.
    pub response_code: Option<u16>,
    /// What went wrong on the last attempt, in words.
    pub error: String,
}

impl Event {
    pub fn kind(&self) -> EventKind {
        match self {
            Self::ConversationStarted(_) => EventKind::ConversationStarted,
            Self::MessageCreated(_) => EventKind::MessageCreated,
            Self::HandoffRequested(_) => EventKind::HandoffRequested,
            Self::HandoffGathering(_) => EventKind::HandoffGathering,
            Self::HandoffQueued(_) => EventKind::HandoffQueued,
            Self::HandoffQueueUpdated(_) => EventKind::HandoffQueueUpdated,
            Self::HandoffOffered(_) => EventKind::HandoffOffered,
            Self::HandoffDeclined(_) => EventKind::HandoffDeclined,
            Self::HandoffExpired(_) => EventKind::HandoffExpired,
            Self::HandoffAssigned(_) => EventKind::HandoffAssigned,
            Self::HandoffTransferred(_) => EventKind::HandoffTransferred,
            Self::HandoffOffline(_) => EventKind::HandoffOffline,
            Self::LeadCaptured(_) => EventKind::LeadCaptured,
            Self::HandoffClosed(_) => EventKind::HandoffClosed,
            Self::ConversationReturnedToBot(_) => EventKind::ConversationReturnedToBot,
            Self::FeedbackRequested(_) => EventKind::FeedbackRequested,
            Self::FeedbackReceived(_) => EventKind::FeedbackReceived,
            Self::SlaBreached(_) => EventKind::SlaBreached,
            Self::UserStatusChanged(_) => EventKind::UserStatusChanged,
            Self::BotCreated(_) => EventKind::BotCreated,
            Self::BotUpdated(_) => EventKind::BotUpdated,
            Self::TeamCreated(_) => EventKind::TeamCreated,
            Self::TeamUpdated(_) => EventKind::TeamUpdated,
            Self::TeamDeleted(_) => EventKind::TeamDeleted,
            Self::UserCreated(_) => EventKind::UserCreated,
            Self::UserUpdated(_) => EventKind::UserUpdated,
            Self::UserDeleted(_) => EventKind::UserDeleted,
            Self::HandoffReclaimed(_) => EventKind::HandoffReclaimed,
            Self::FollowUpChosen(_) => EventKind::FollowUpChosen,
            Self::FirstReplyOverdue(_) => EventKind::FirstReplyOverdue,
            Self::ContactUnanswered(_) => EventKind::ContactUnanswered,
            Self::WebhookFailing(_) => EventKind::WebhookFailing,
            Self::HandoffFailed(_) => EventKind::HandoffFailed,
        }
    }

    /// The conversation the event belongs to, if any (configuration and presence belong to none).
    pub fn conversation_id(&self) -> Option<ConversationId> {
        match self {
            Self::ConversationStarted(e) => Some(e.conversation_id),
            Self::MessageCreated(m) => Some(m.conversation_id),
            Self::HandoffRequested(h)
            | Self::HandoffGathering(h)
            | Self::HandoffQueued(h)
            | Self::HandoffOffered(h)
            | Self::HandoffDeclined(h)
            | Self::HandoffExpired(h)
            | Self::HandoffAssigned(h)
            | Self::HandoffTransferred(h)
            | Self::HandoffOffline(h)
            | Self::LeadCaptured(h)
            | Self::HandoffClosed(h)
            | Self::HandoffReclaimed(h)
            | Self::FollowUpChosen(h) => Some(h.conversation_id),
            Self::FirstReplyOverdue(e) => Some(e.conversation_id),
            Self::ContactUnanswered(e) => Some(e.conversation_id),
            Self::HandoffQueueUpdated(e) => Some(e.conversation_id),
            Self::ConversationReturnedToBot(e) | Self::FeedbackRequested(e) => Some(e.conversation_id),
            Self::FeedbackReceived(e) => Some(e.conversation_id),
            Self::SlaBreached(e) => Some(e.conversation_id),
            Self::HandoffFailed(e) => Some(e.conversation_id),
            Self::UserStatusChanged(_)
            | Self::BotCreated(_)
            | Self::BotUpdated(_)
            | Self::TeamCreated(_)
            | Self::TeamUpdated(_)
            | Self::TeamDeleted(_)
            | Self::UserCreated(_)
            | Self::UserUpdated(_)
            | Self::UserDeleted(_)
            | Self::WebhookFailing(_) => None,
        }
    }

    /// The whole handoff, for the events that carry one.
    pub fn handoff(&self) -> Option<&Handoff> {
        match self {
            Self::HandoffRequested(h)
            | Self::HandoffGathering(h)
            | Self::HandoffQueued(h)
            | Self::HandoffOffered(h)
            | Self::HandoffDeclined(h)
            | Self::HandoffExpired(h)
            | Self::HandoffAssigned(h)
            | Self::HandoffTransferred(h)
            | Self::HandoffOffline(h)
            | Self::LeadCaptured(h)
            | Self::HandoffClosed(h)
            | Self::HandoffReclaimed(h)
            | Self::FollowUpChosen(h) => Some(h),
            _ => None,
        }
    }

    /// The event a handoff's state machine announced with `kind`, carrying `handoff` (after
    /// the change). `None` for kinds the state machine does not produce.
    pub fn of_handoff(kind: EventKind, handoff: &Handoff) -> Option<Self> {
        let whole = || Box::new(handoff.clone());
        let reference = HandoffReference { conversation_id: handoff.conversation_id, handoff_id: handoff.id };
        Some(match kind {
            EventKind::HandoffRequested => Self::HandoffRequested(whole()),
            EventKind::HandoffGathering => Self::HandoffGathering(whole()),
            EventKind::HandoffQueued => Self::HandoffQueued(whole()),
            EventKind::HandoffOffered => Self::HandoffOffered(whole()),
            EventKind::HandoffDeclined => Self::HandoffDeclined(whole()),
            EventKind::HandoffExpired => Self::HandoffExpired(whole()),
            EventKind::HandoffAssigned => Self::HandoffAssigned(whole()),
            EventKind::HandoffTransferred => Self::HandoffTransferred(whole()),
            EventKind::HandoffOffline => Self::HandoffOffline(whole()),
            EventKind::LeadCaptured => Self::LeadCaptured(whole()),
            EventKind::HandoffClosed => Self::HandoffClosed(whole()),
            EventKind::HandoffReclaimed => Self::HandoffReclaimed(whole()),
            EventKind::FollowUpChosen => Self::FollowUpChosen(whole()),
            EventKind::ConversationReturnedToBot => Self::ConversationReturnedToBot(reference),
            EventKind::FeedbackRequested => Self::FeedbackRequested(reference),
            EventKind::FeedbackReceived => Self::FeedbackReceived(FeedbackReceived {
                conversation_id: handoff.conversation_id,
                handoff_id: handoff.id,
                rating: handoff.rating,
                comment: handoff.comment.clone(),
            }),
            _ => return None,
        })
    }

    /// The payload alone, as JSON (the `data` of a frame or a webhook body).
    pub fn data(&self) -> serde_json::Value {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut fields)) => fields.remove("data").unwrap_or_default(),
            _ => serde_json::Value::Null,
        }
    }

    /// Reads an event back from its stored kind and payload.
    pub fn from_parts(kind: &str, data: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "type": kind, "data": data }))
    }
}

/// An event's name alone: what webhooks subscribe to and frames are switched on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[serde(rename = "bot.created")]
    BotCreated,
    #[serde(rename = "bot.updated")]
    BotUpdated,
    #[serde(rename = "team.created")]
    TeamCreated,
    #[serde(rename = "team.updated")]
    TeamUpdated,
    #[serde(rename = "team.deleted")]
    TeamDeleted,
    #[serde(rename = "user.created")]
    UserCreated,
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.deleted")]
    UserDeleted,
    #[serde(rename = "handoff.reclaimed")]
    HandoffReclaimed,
    #[serde(rename = "handoff.follow_up_chosen")]
    FollowUpChosen,
    #[serde(rename = "handoff.first_reply_overdue")]
    FirstReplyOverdue,
    #[serde(rename = "handoff.unanswered")]
    ContactUnanswered,
    #[serde(rename = "webhook.failing")]
    WebhookFailing,
    #[serde(rename = "handoff.failed")]
    HandoffFailed,
    #[serde(rename = "typing")]
    Typing,
}

impl EventKind {
    pub const ALL: [EventKind; 34] = [
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
        Self::HandoffClosed,
        Self::ConversationReturnedToBot,
        Self::FeedbackRequested,
        Self::FeedbackReceived,
        Self::SlaBreached,
        Self::UserStatusChanged,
        Self::BotCreated,
        Self::BotUpdated,
        Self::TeamCreated,
        Self::TeamUpdated,
        Self::TeamDeleted,
        Self::UserCreated,
        Self::UserUpdated,
        Self::UserDeleted,
        Self::HandoffReclaimed,
        Self::FollowUpChosen,
        Self::FirstReplyOverdue,
        Self::ContactUnanswered,
        Self::WebhookFailing,
        Self::HandoffFailed,
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
            Self::HandoffClosed => "handoff.closed",
            Self::ConversationReturnedToBot => "conversation.returned_to_bot",
            Self::FeedbackRequested => "feedback.requested",
            Self::FeedbackReceived => "feedback.received",
            Self::SlaBreached => "sla.breached",
            Self::UserStatusChanged => "user.status_changed",
            Self::BotCreated => "bot.created",
            Self::BotUpdated => "bot.updated",
            Self::TeamCreated => "team.created",
            Self::TeamUpdated => "team.updated",
            Self::TeamDeleted => "team.deleted",
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserDeleted => "user.deleted",
            Self::HandoffReclaimed => "handoff.reclaimed",
            Self::FollowUpChosen => "handoff.follow_up_chosen",
            Self::FirstReplyOverdue => "handoff.first_reply_overdue",
            Self::ContactUnanswered => "handoff.unanswered",
            Self::WebhookFailing => "webhook.failing",
            Self::HandoffFailed => "handoff.failed",
            Self::Typing => "typing",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether events of this kind are stored (and so reach webhooks); typing is not.
    pub fn is_stored(self) -> bool {
        self != Self::Typing
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
                | Self::BotCreated
                | Self::BotUpdated
                | Self::TeamCreated
                | Self::TeamUpdated
                | Self::TeamDeleted
                | Self::UserCreated
                | Self::UserUpdated
                | Self::UserDeleted
                | Self::HandoffReclaimed
                | Self::FirstReplyOverdue
                | Self::ContactUnanswered
                | Self::WebhookFailing
                | Self::HandoffFailed
        )
    }

    /// Events only admins may see: they name the system's configuration, not a conversation.
    pub fn for_admins_only(self) -> bool {
        matches!(self, Self::WebhookFailing | Self::ContactUnanswered)
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

    #[test]
    fn an_event_is_stored_as_its_kind_and_payload_and_read_back() {
        let event = Event::TeamCreated(TeamChanged {
            team_id: TeamId::from_uuid(uuid::Uuid::from_u128(7)),
            name: "Billing".into(),
        });
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["type"], "team.created");
        assert_eq!(event.kind().name(), "team.created");
        assert_eq!(event.data()["name"], "Billing");
        assert_eq!(Event::from_parts(event.kind().name(), event.data()).unwrap(), event);
        assert!(Event::from_parts("team.created", serde_json::json!({"name": 1})).is_err());
        assert_eq!(event.conversation_id(), None);
    }
}
