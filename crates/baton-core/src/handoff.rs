//! The control state machine of one handoff.
//!
//! ```text
//!  request ──▶ gathering ──▶ queued ──offer──▶ offered ──accept──▶ live ──close──▶ closed
//!      │            │          │ ▲                │ decline/expire
//!      │            │          │ └────────────────┘
//!      │            ▼          ▼
//!      └──────▶  offline ──lead──▶ ticket ──close──▶ closed
//! ```
//! `claim` takes a queued (or offline) handoff straight to `live`: the broadcast strategy,
//! where every eligible user sees the handoff and the first claim wins. A manual takeover
//! creates a handoff that starts `live`. Every function here is pure: it returns the new
//! handoff and the events it produced, or a [`DomainError`] for a move the state does not
//! allow; nothing is ever silently ignored. Repeating a claim or accept you already won
//! succeeds with no events, so a retried request is harmless.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::event::EventKind;
use crate::ids::{ConversationId, HandoffId, UserId};
use crate::routing::Target;
use crate::time::Timestamp;
use crate::values::{Email, Rating};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffState {
    Gathering,
    Queued,
    Offered,
    Live,
    Offline,
    Ticket,
    Closed,
}

impl HandoffState {
    pub const ALL: [HandoffState; 7] =
        [Self::Gathering, Self::Queued, Self::Offered, Self::Live, Self::Offline, Self::Ticket, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gathering => "gathering",
            Self::Queued => "queued",
            Self::Offered => "offered",
            Self::Live => "live",
            Self::Offline => "offline",
            Self::Ticket => "ticket",
            Self::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }

    pub fn is_open(self) -> bool {
        self != Self::Closed
    }
}

impl fmt::Display for HandoffState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a handoff was requested.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    ExplicitRequest,
    Frustration,
    ForbiddenTopic,
    AiDecision,
    BotFailure,
    ManualTakeover,
    Api,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

/// A user as a handoff remembers them: the name is kept so transcripts and lists need no join.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInfo {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Contact details left while nobody was available.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub email: Email,
    pub name: Option<String>,
    pub message: Option<String>,
}

/// Why the trigger engine decided to hand off, kept so the person who takes over sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the person taking over reads first: why, what the contact said, their mood.
    #[serde(default)]
    pub summary: Option<String>,
    /// The forbidden topic that triggered the handoff, if that was the trigger.
    #[serde(default)]
    pub topic: Option<String>,
    /// The contact's frustration (0 to 1) at the message that triggered it.
    #[serde(default)]
    pub frustration: Option<f32>,
    /// What fired, e.g. `{"name": "all_caps", "detail": "", "weight": 0.3}`.
    #[serde(default)]
    pub signals: Vec<SignalRecord>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRecord {
    pub name: String,
    pub detail: String,
    pub weight: f32,
}

/// One episode of human involvement in a conversation, from request to close.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub id: HandoffId,
    pub conversation_id: ConversationId,
    pub state: HandoffState,
    pub trigger: Trigger,
    pub reason: String,
    pub language: Option<String>,
    pub priority: Priority,
    pub contact: ContactInfo,
    /// The user who has (live) or is being offered (offered) the conversation.
    pub assignee: Option<UserRef>,
    pub offer_expires_at: Option<Timestamp>,
    pub requested_at: Timestamp,
    pub queued_at: Option<Timestamp>,
    pub assigned_at: Option<Timestamp>,
    pub first_response_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub lead: Option<Lead>,
    pub feedback_requested: bool,
    pub rating: Option<Rating>,
    pub comment: Option<String>,
    #[serde(flatten, default)]
    pub evidence: Evidence,
    /// Information gathered for the team (policy field key → value).
    #[serde(default)]
    pub gathered: BTreeMap<String, String>,
    /// While gathering: the key of the field the contact was just asked for.
    #[serde(default)]
    pub asking: Option<String>,
    /// Users who declined it or let an offer of it expire in this round of offers: routing
    /// does not offer it to them again until everyone eligible has had their turn.
    #[serde(default)]
    pub declined_by: Vec<UserId>,
    /// Whom it is routed to instead of the policy's targets: set by a transfer to a team or by
    /// widening after nobody accepted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<String>>))]
    pub targets: Option<Vec<Target>>,
    /// Whether the no-accept fallback already widened it, so the next timeout goes offline.
    #[serde(default)]
    pub widened: bool,
}

/// What a new handoff needs to know about the moment it is requested.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: HandoffId,
    pub conversation_id: ConversationId,
    pub trigger: Trigger,
    pub reason: String,
    pub language: Option<String>,
    pub priority: Priority,
    pub contact: ContactInfo,
    pub evidence: Evidence,
    /// What is already known of the information to gather.
    pub gathered: BTreeMap<String, String>,
    /// The first missing field to ask for; `Some` starts the handoff in `gathering`.
    pub ask: Option<String>,
    /// Whether an eligible human can take it now (presence, schedule, capacity).
    pub humans_available: bool,
}

/// A command on an existing handoff.
#[derive(Debug, Clone)]
pub enum Command {
    /// While gathering: record an answer (if any) and the field asked next.
    Gather {
        key: String,
        value: Option<String>,
        next: Option<String>,
    },
    /// Gathering is done (or given up); route the handoff.
    FinishGathering {
        humans_available: bool,
    },
    /// Offline, but a human became available: put it back in the queue.
    Requeue,
    Offer {
        user: UserRef,
        expires_at: Timestamp,
    },
    Accept {
        user: UserId,
    },
    Decline {
        user: UserId,
    },
    ExpireOffer,
    /// The offered user went away: the offer ends now, without counting as a decline.
    WithdrawOffer,
    /// Nobody can take it (no one eligible is left, or nobody accepted in time): offline,
    /// where the contact can leave their details.
    GoOffline,
    /// Nobody took it (in time): the bot has the conversation again, and the episode ends.
    ReturnToBot,
    /// Nobody accepted in time: route it to `targets` instead, keeping its place.
    Widen {
        targets: Vec<Target>,
    },
    /// The assignee hands a live chat to a team: it waits in the queue for one of `targets`.
    TransferToQueue {
        targets: Vec<Target>,
    },
    /// Broadcast strategy: the first eligible user to claim wins.
    Claim {
        user: UserRef,
    },
    /// An admin gives a waiting handoff (queued, offered to someone, offline or a ticket) to
    /// `user`: it goes live with them, and an offer pending is withdrawn.
    Assign {
        user: UserRef,
    },
    CaptureLead {
        lead: Lead,
    },
    /// While waiting in the queue, the contact leaves an address to be answered at instead of
    /// waiting in the chat.
    FollowUpBy {
        lead: Lead,
    },
    /// While waiting in the queue, the contact chooses to be answered on a messenger they gave
    /// (the route itself is kept beside the handoff): the handoff keeps its state and place.
    FollowUpOnMessenger,
    /// A caller nobody could answer left a voicemail: a ticket for the team to call back.
    TakeVoicemail,
    Transfer {
        to: UserRef,
    },
    /// The assignee of a live chat has not replied in time: it goes back to the queue and
    /// is not offered to them again in this waiting period.
    Reclaim {
        silent: UserId,
    },
    /// The first human reply in a live handoff.
    RecordFirstResponse,
    /// Close the episode; `by` must be the assignee of a live handoff unless `as_admin`.
    Close {
        by: UserId,
        as_admin: bool,
        request_feedback: bool,
    },
    RecordFeedback {
        rating: Rating,
        comment: Option<String>,
    },
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Self::Gather { .. } => "gather information",
            Self::FinishGathering { .. } => "finish gathering",
            Self::Requeue => "be requeued",
            Self::Offer { .. } => "be offered",
            Self::Accept { .. } => "be accepted",
            Self::Decline { .. } => "be declined",
            Self::ExpireOffer => "expire an offer",
            Self::WithdrawOffer => "withdraw an offer",
            Self::GoOffline => "go offline",
            Self::ReturnToBot => "return to the bot",
            Self::Widen { .. } => "be widened",
            Self::TransferToQueue { .. } => "be transferred to a team",
            Self::Claim { .. } => "be claimed",
            Self::Assign { .. } => "be assigned",
            Self::CaptureLead { .. } => "capture a lead",
            Self::FollowUpBy { .. } => "take an address to follow up at",
            Self::FollowUpOnMessenger => "be followed up on a messenger",
            Self::TakeVoicemail => "take a voicemail",
            Self::Transfer { .. } => "be transferred",
            Self::Reclaim { .. } => "be taken back from a silent assignee",
            Self::RecordFirstResponse => "record a first response",
            Self::Close { .. } => "be closed",
            Self::RecordFeedback { .. } => "receive feedback",
        }
    }
}

/// The result of a successful command.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub handoff: Handoff,
    pub events: Vec<EventKind>,
}

impl Handoff {
    /// Open a handoff. It starts in `gathering` when details are missing, otherwise it is
    /// routed at once: `queued` if a human is available, `offline` if not.
    pub fn request(request: Request, now: Timestamp) -> Transition {
        let mut handoff = Handoff {
            id: request.id,
            conversation_id: request.conversation_id,
            state: HandoffState::Gathering,
            trigger: request.trigger,
            reason: request.reason,
            language: request.language,
            priority: request.priority,
            contact: request.contact,
            assignee: None,
            offer_expires_at: None,
            requested_at: now,
            queued_at: None,
            assigned_at: None,
            first_response_at: None,
            closed_at: None,
            lead: None,
            feedback_requested: false,
            rating: None,
            comment: None,
            evidence: request.evidence,
            gathered: request.gathered,
            asking: request.ask,
            declined_by: Vec::new(),
            targets: None,
            widened: false,
        };
        let mut events = vec![EventKind::HandoffRequested];
        if handoff.asking.is_some() {
            events.push(EventKind::HandoffGathering);
        } else {
            events.push(handoff.route(request.humans_available, now));
        }
        Transition { handoff, events }
    }

    /// A user takes a bot-owned conversation directly: the handoff starts `live`.
    pub fn take_over(
        id: HandoffId,
        conversation_id: ConversationId,
        user: UserRef,
        contact: ContactInfo,
        now: Timestamp,
    ) -> Transition {
        let mut transition = Self::request(
            Request {
                id,
                conversation_id,
                trigger: Trigger::ManualTakeover,
                reason: format!("{} took over the conversation", user.name),
                language: None,
                priority: Priority::Normal,
                contact,
                evidence: Evidence::default(),
                gathered: BTreeMap::new(),
                ask: None,
                humans_available: true,
            },
            now,
        );
        let handoff = &mut transition.handoff;
        handoff.state = HandoffState::Live;
        handoff.assignee = Some(user);
        handoff.assigned_at = Some(now);
        transition.events = vec![EventKind::HandoffRequested, EventKind::HandoffAssigned];
        transition
    }

    fn route(&mut self, humans_available: bool, now: Timestamp) -> EventKind {
        if humans_available {
            self.state = HandoffState::Queued;
            self.queued_at = Some(now);
            EventKind::HandoffQueued
        } else {
            self.state = HandoffState::Offline;
            EventKind::HandoffOffline
        }
    }

    fn go_live(&mut self, user: UserRef, now: Timestamp) {
        self.state = HandoffState::Live;
        self.assignee = Some(user);
        self.offer_expires_at = None;
        self.assigned_at = Some(now);
    }

    fn back_to_queue(&mut self) {
        self.state = HandoffState::Queued;
        self.assignee = None;
        self.offer_expires_at = None;
    }

    /// Ends the pending offer as turned down by its user.
    fn turned_down(&mut self) {
        if let Some(user) = self.assignee_id()
            && !self.declined_by.contains(&user)
        {
            self.declined_by.push(user);
        }
        self.back_to_queue();
    }

    fn assignee_id(&self) -> Option<UserId> {
        self.assignee.as_ref().map(|user| user.id)
    }

    /// Apply `command` at `now`.
    pub fn apply(&self, command: Command, now: Timestamp) -> Result<Transition, DomainError> {
        use HandoffState as S;
        let illegal = || DomainError::IllegalTransition { from: self.state, command: command.name() };
        let mut next = self.clone();
        let events = match (&command, self.state) {
            (Command::Gather { key, value, next: asking }, S::Gathering) => {
                if let Some(value) = value {
                    next.gathered.insert(key.clone(), value.clone());
                }
                next.asking = asking.clone();
                vec![EventKind::HandoffGathering]
            }
            (Command::FinishGathering { humans_available }, S::Gathering) => {
                next.asking = None;
                vec![next.route(*humans_available, now)]
            }
            // A new waiting period: whoever declined before may be offered it again.
            (Command::Requeue, S::Offline) => {
                next.declined_by.clear();
                vec![next.route(true, now)]
            }
            (Command::Offer { user, expires_at }, S::Queued) => {
                next.state = S::Offered;
                next.assignee = Some(user.clone());
                next.offer_expires_at = Some(*expires_at);
                vec![EventKind::HandoffOffered]
            }
            (Command::Accept { user }, S::Offered) if self.assignee_id() == Some(*user) => {
                let user = self.assignee.clone().ok_or_else(illegal)?;
                next.go_live(user, now);
                vec![EventKind::HandoffAssigned]
            }
            (Command::Accept { user }, S::Live) if self.assignee_id() == Some(*user) => vec![],
            (Command::Decline { user }, S::Offered) if self.assignee_id() == Some(*user) => {
                next.turned_down();
                vec![EventKind::HandoffDeclined]
            }
            (Command::Accept { .. } | Command::Decline { .. }, S::Offered) => {
                return Err(DomainError::NotOfferedToYou);
            }
            (Command::ExpireOffer, S::Offered) => {
                if self.offer_expires_at.is_some_and(|at| now < at) {
                    return Err(DomainError::OfferNotExpired);
                }
                next.turned_down();
                vec![EventKind::HandoffExpired]
            }
            (Command::WithdrawOffer, S::Offered) => {
                next.back_to_queue();
                vec![EventKind::HandoffExpired]
            }
            (Command::GoOffline, S::Queued | S::Offered) => {
                next.back_to_queue();
                next.state = S::Offline;
                vec![EventKind::HandoffOffline]
            }
            (Command::ReturnToBot, S::Gathering | S::Queued | S::Offered | S::Offline) => {
                next.back_to_queue();
                next.state = S::Closed;
                next.asking = None;
                next.closed_at = Some(now);
                vec![EventKind::HandoffClosed, EventKind::ConversationReturnedToBot]
            }
            (Command::Widen { targets }, S::Queued | S::Offered) => {
                next.back_to_queue();
                next.targets = Some(targets.clone());
                next.widened = true;
                next.declined_by.clear();
                next.queued_at = Some(now);
                vec![EventKind::HandoffQueued]
            }
            (Command::TransferToQueue { targets }, S::Live) => {
                next.back_to_queue();
                next.targets = Some(targets.clone());
                next.declined_by.clear();
                next.assigned_at = None;
                next.first_response_at = None;
                next.queued_at = Some(now);
                vec![EventKind::HandoffTransferred, EventKind::HandoffQueued]
            }
            // A ticket too: the contact may still be there, and answering live beats an email.
            (Command::Claim { user }, S::Queued | S::Offline | S::Ticket) => {
                next.go_live(user.clone(), now);
                vec![EventKind::HandoffAssigned]
            }
            (Command::Claim { user }, S::Offered) if self.assignee_id() == Some(user.id) => {
                next.go_live(user.clone(), now);
                vec![EventKind::HandoffAssigned]
            }
            (Command::Claim { user }, S::Live) if self.assignee_id() == Some(user.id) => vec![],
            (Command::Claim { .. }, S::Offered | S::Live) => {
                return Err(DomainError::AlreadyAssigned);
            }
            (Command::Assign { user }, S::Queued | S::Offered | S::Offline | S::Ticket) => {
                next.go_live(user.clone(), now);
                next.declined_by.clear();
                vec![EventKind::HandoffAssigned]
            }
            (Command::CaptureLead { lead }, S::Offline) => {
                next.state = S::Ticket;
                next.lead = Some(lead.clone());
                vec![EventKind::LeadCaptured]
            }
            // Waiting, the contact would rather be answered by email: the handoff keeps its
            // state and place; the team's replies go to the address while the chat is closed.
            (Command::FollowUpBy { lead }, S::Queued | S::Offered) => {
                next.lead = Some(lead.clone());
                vec![EventKind::FollowUpChosen]
            }
            (Command::FollowUpOnMessenger, S::Queued | S::Offered) => vec![EventKind::FollowUpChosen],
            // The caller's number is the conversation's address: the ticket needs no email.
            (Command::TakeVoicemail, S::Queued | S::Offered | S::Offline) => {
                next.state = S::Ticket;
                next.assignee = None;
                next.offer_expires_at = None;
                vec![EventKind::LeadCaptured]
            }
            (Command::Transfer { to }, S::Live) => {
                next.go_live(to.clone(), now);
                next.first_response_at = None;
                vec![EventKind::HandoffTransferred]
            }
            (Command::Reclaim { silent }, S::Live) if self.first_response_at.is_none() => {
                if self.assignee_id() != Some(*silent) {
                    return Err(DomainError::NotAssignee);
                }
                next.back_to_queue();
                if !next.declined_by.contains(silent) {
                    next.declined_by.push(*silent);
                }
                next.assigned_at = None;
                next.queued_at = Some(now);
                vec![EventKind::HandoffReclaimed, EventKind::HandoffQueued]
            }
            (Command::RecordFirstResponse, S::Live) => {
                if self.first_response_at.is_none() {
                    next.first_response_at = Some(now);
                }
                vec![]
            }
            (Command::Close { by, as_admin, request_feedback }, state) if state.is_open() => {
                if state == S::Live && !as_admin && self.assignee_id() != Some(*by) {
                    return Err(DomainError::NotAssignee);
                }
                next.state = S::Closed;
                next.offer_expires_at = None;
                next.closed_at = Some(now);
                let mut events = vec![EventKind::HandoffClosed];
                // Only a live chat hands the conversation back; a human who talked with the
                // contact is what feedback is about.
                if state == S::Live {
                    events.push(EventKind::ConversationReturnedToBot);
                    if *request_feedback {
                        next.feedback_requested = true;
                        events.push(EventKind::FeedbackRequested);
                    }
                }
                events
            }
            (Command::RecordFeedback { rating, comment }, S::Closed) => {
                if !self.feedback_requested || self.rating.is_some() {
                    return Err(DomainError::FeedbackNotPending);
                }
                next.rating = Some(*rating);
                next.comment = comment.clone();
                vec![EventKind::FeedbackReceived]
            }
            (Command::RecordFeedback { .. }, _) => return Err(DomainError::FeedbackNotPending),
            _ => return Err(illegal()),
        };
        Ok(Transition { handoff: next, events })
    }
}

#[cfg(test)]
#[path = "handoff_tests.rs"]
mod tests;
