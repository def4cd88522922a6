//! Users: the humans who log in to answer conversations.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::time::Timestamp;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Answers conversations and manages the workspace.
    Admin,
    /// Answers conversations.
    Agent,
}

/// Whether a user wants to receive conversations right now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Online,
    Away,
    Offline,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

text_enum!(Role { Admin => "admin", Agent => "agent" });
text_enum!(Presence { Online => "online", Away => "away", Offline => "offline" });

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Presence,
    /// The names of the teams they belong to, sorted.
    pub teams: Vec<String>,
    /// The languages they answer in (ISO 639-1); empty: any.
    pub languages: Vec<String>,
    /// The most live chats automatic assignment gives them; `None`: the policy's capacity.
    pub capacity: Option<u32>,
    /// A disabled user cannot log in and is never routed a conversation.
    #[serde(default)]
    pub disabled: bool,
    pub created_at: Timestamp,
}

impl User {
    /// A display name for a user created from just an email: its local part, capitalised.
    pub fn name_from_email(email: &str) -> String {
        let local = email.split('@').next().unwrap_or(email);
        let mut chars = local.chars();
        chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for role in [Role::Admin, Role::Agent] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for presence in [Presence::Online, Presence::Away, Presence::Offline] {
            assert_eq!(Presence::parse(presence.as_str()), Some(presence));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn name_from_email_uses_the_local_part() {
        assert_eq!(User::name_from_email("ana.silva@example.com"), "Ana.silva");
        assert_eq!(User::name_from_email("x"), "X");
    }
}
