//! Targets: whom a policy sends handoffs to, as an admin writes them (`"team:berlin"`,
//! `"user:ana@example.com"`, `"all"`), and as routing uses them once names are resolved
//! ([`Reach`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{TeamId, UserId};
use crate::values::Email;

/// Whom a policy sends handoffs to. Written as text: `"all"`, `"team:<name or id>"` or
/// `"user:<id or email>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every user.
    All,
    /// The members of one team.
    Team(TeamKey),
    /// One user.
    User(UserKey),
}

/// A team as a policy names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamKey {
    Id(TeamId),
    Name(String),
}

/// A user as a policy names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserKey {
    Id(UserId),
    Email(Email),
}

/// A target with its names resolved to ids: what routing matches users against.
///
/// A policy names teams and users the way people know them; the ids they stand for live in
/// the database. Keeping the two apart lets a policy be validated without a database, and
/// lets a renamed or deleted team be noticed when the policy is applied rather than silently
/// routing to nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reach {
    Everyone,
    Team(TeamId),
    User(UserId),
}

/// Why a target's text was refused; the message is meant for the admin who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a target: {reason}")]
pub struct TargetError {
    pub text: String,
    pub reason: &'static str,
}

impl Target {
    /// The longest team name accepted; longer text is more likely a paste accident.
    pub const MAX_NAME_CHARS: usize = 100;

    pub fn parse(text: &str) -> Result<Self, TargetError> {
        let error = |reason| TargetError { text: text.to_owned(), reason };
        let text = text.trim();
        if text == "all" {
            return Ok(Self::All);
        }
        let Some((kind, key)) = text.split_once(':') else {
            return Err(error(r#"write "all", "team:<name or id>" or "user:<id or email>""#));
        };
        let key = key.trim();
        match kind.trim() {
            "team" => {
                if key.is_empty() {
                    Err(error("name the team after team:"))
                } else if key.chars().count() > Self::MAX_NAME_CHARS {
                    Err(error("a team name is at most 100 characters"))
                } else if let Ok(id) = key.parse() {
                    Ok(Self::Team(TeamKey::Id(id)))
                } else {
                    Ok(Self::Team(TeamKey::Name(key.to_owned())))
                }
            }
            "user" => {
                if let Ok(id) = key.parse() {
                    Ok(Self::User(UserKey::Id(id)))
                } else {
                    Email::parse(key)
                        .map(|email| Self::User(UserKey::Email(email)))
                        .map_err(|_| error("name the user by id or email after user:"))
                }
            }
            _ => Err(error(r#"the kind is "team" or "user", as in "team:support""#)),
        }
    }

    /// Whether this target is every user.
    pub fn is_all(&self) -> bool {
        matches!(self, Self::All)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Team(TeamKey::Id(id)) => write!(f, "team:{id}"),
            Self::Team(TeamKey::Name(name)) => write!(f, "team:{name}"),
            Self::User(UserKey::Id(id)) => write!(f, "user:{id}"),
            Self::User(UserKey::Email(email)) => write!(f, "user:{}", email.as_str()),
        }
    }
}

impl FromStr for Target {
    type Err = TargetError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_print_back() {
        for text in ["all", "team:berlin", "team:Customer Care", "user:ana@example.com"] {
            let target = Target::parse(text).unwrap();
            assert_eq!(target.to_string(), text);
        }
        let id = "01890f3e-7c3a-7d4e-8f00-000000000001";
        assert!(matches!(Target::parse(&format!("team:{id}")), Ok(Target::Team(TeamKey::Id(_)))));
        assert!(matches!(Target::parse(&format!("user:{id}")), Ok(Target::User(UserKey::Id(_)))));
        assert_eq!(Target::parse(" team: berlin ").unwrap(), Target::parse("team:berlin").unwrap());
    }

    #[test]
    fn bad_targets_say_what_to_write() {
        let reason = |text: &str| Target::parse(text).unwrap_err().to_string();
        assert!(reason("everyone").contains(r#""team:<name or id>""#));
        assert!(reason("group:berlin").contains(r#"the kind is "team" or "user""#));
        assert!(reason("team:").contains("name the team"));
        assert!(reason("user:ana").contains("by id or email"));
        assert!(reason(&format!("team:{}", "x".repeat(101))).contains("at most 100"));
    }

    #[test]
    fn targets_are_strings_in_json() {
        let targets: Vec<Target> = serde_json::from_str(r#"["all", "team:support"]"#).unwrap();
        assert_eq!(serde_json::to_string(&targets).unwrap(), r#"["all","team:support"]"#);
        let error = serde_json::from_str::<Vec<Target>>(r#"["team"]"#).unwrap_err().to_string();
        assert!(error.contains("'team' is not a target"), "{error}");
    }
}
