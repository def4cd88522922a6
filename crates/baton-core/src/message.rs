//! Messages: what the contact, the bot, a user or Baton itself (`system`) wrote. A *note* is a
//! message only users see.

use serde::{Deserialize, Serialize};

use crate::ids::{ConversationId, MessageId, UserId};
use crate::time::Timestamp;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    Contact,
    Bot,
    User,
    System,
}

impl AuthorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contact => "contact",
            Self::Bot => "bot",
            Self::User => "user",
            Self::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Contact, Self::Bot, Self::User, Self::System].into_iter().find(|kind| kind.as_str() == text)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub kind: AuthorKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Author {
    pub fn of_kind(kind: AuthorKind) -> Self {
        Self { kind, id: None, name: None }
    }

    pub fn user(id: UserId, name: impl Into<String>) -> Self {
        Self { kind: AuthorKind::User, id: Some(id), name: Some(name.into()) }
    }
}

impl Message {
    /// The message as the conversation's contact sees it: a team member by their name, not
    /// their user id.
    pub fn for_contact(mut self) -> Self {
        self.author.id = None;
        self
    }
}

/// A stored message. `seq` is gap-free per conversation, starting at 1.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub seq: i64,
    pub author: Author,
    pub text: String,
    pub note: bool,
    pub created_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The file this message sends; its text is the file's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<crate::attachment::AttachmentRef>,
    /// The WhatsApp template this message is sent as (its text is the filled body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<crate::channel::TemplateUse>,
}
