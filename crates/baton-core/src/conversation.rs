//! Who may write into a conversation right now, and the state a client sees.
//!
//! Ownership is derived from the open handoff (see [`Owner::for_handoff`]) and stored with the
//! conversation so that a reply can be checked against it atomically when it is written: a bot
//! answer computed while a user was claiming the chat is dropped, never sent.

use serde::{Deserialize, Serialize};

use crate::handoff::{Handoff, HandoffState};
use crate::ids::UserId;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Owner {
    Bot,
    User {
        user_id: UserId,
    },
    /// Nobody answers: the contact waits for a human and the bot stays silent.
    None,
}

impl Owner {
    /// The owner a conversation has while `handoff` is its open handoff (or none is open).
    pub fn for_handoff(handoff: Option<&Handoff>) -> Self {
        let Some(handoff) = handoff else {
            return Self::Bot;
        };
        match (handoff.state, handoff.assignee.as_ref()) {
            (HandoffState::Live, Some(assignee)) => Self::User { user_id: assignee.id },
            (HandoffState::Queued | HandoffState::Offered, _) => Self::None,
            // The bot asks the gathering questions, and keeps helping while the team is away.
            _ => Self::Bot,
        }
    }

    pub fn kind_str(self) -> &'static str {
        match self {
            Self::Bot => "bot",
            Self::User { .. } => "user",
            Self::None => "none",
        }
    }

    pub fn user_id(self) -> Option<UserId> {
        match self {
            Self::User { user_id } => Some(user_id),
            _ => None,
        }
    }

    pub fn from_parts(kind: &str, user_id: Option<UserId>) -> Option<Self> {
        match (kind, user_id) {
            ("bot", _) => Some(Self::Bot),
            ("none", _) => Some(Self::None),
            ("user", Some(user_id)) => Some(Self::User { user_id }),
            _ => None,
        }
    }
}

/// The state of a conversation as clients see it: `bot` when no handoff is open, otherwise the
/// open handoff's state.
pub fn conversation_state(open: Option<&Handoff>) -> &'static str {
    open.filter(|h| h.state.is_open()).map_or("bot", |h| h.state.as_str())
}
