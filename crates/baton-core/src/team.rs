//! Teams: groups of users a policy routes handoffs to, each with its own office hours, the
//! strategy that picks a member when a handoff is transferred to it, a first-response SLA,
//! and the phone number its calls are forwarded to.

use serde::{Deserialize, Serialize};

use crate::routing::Strategy;
use crate::schedule::Schedule;

/// What a team is configured with; every field has a default, so `{}` is valid: always open,
/// the bot policy's strategy, no SLA.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamSettings {
    /// When the team takes conversations; `None`: around the clock. Outside it, its members
    /// are not offered the handoffs routed to the team.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub schedule: Option<Schedule>,
    /// How a handoff transferred to this team picks its member; `None`: broadcast.
    pub strategy: Option<Strategy>,
    /// How long a live handoff may wait for its first human reply before `sla.breached`.
    pub first_response_sla_seconds: Option<u32>,
    /// The team's own phone number (E.164): calls to a Voice channel whose handoff is routed
    /// to the team ring here instead of the channel's `forward_to`.
    pub phone: Option<String>,
}

impl TeamSettings {
    /// An SLA shorter than this cannot be met by a person; longer than a day is a typo.
    pub const SLA_SECONDS: std::ops::RangeInclusive<u32> = 10..=86_400;
    pub const MAX_NAME_CHARS: usize = crate::routing::Target::MAX_NAME_CHARS;

    /// What is wrong with these settings, if anything: one message naming the field.
    pub fn problem(&self) -> Option<String> {
        if let Some(problem) = self.schedule.as_ref().and_then(Schedule::problem) {
            return Some(format!("schedule: {problem}"));
        }
        if let Some(phone) = &self.phone
            && phone.strip_prefix('+').and_then(crate::channel::phone_address).is_none()
        {
            return Some("phone: a number in E.164 form (+4930123456)".into());
        }
        match self.first_response_sla_seconds {
            Some(seconds) if !Self::SLA_SECONDS.contains(&seconds) => Some(format!(
                "first_response_sla_seconds: must be from {} seconds to {} hours",
                Self::SLA_SECONDS.start(),
                Self::SLA_SECONDS.end() / 3600
            )),
            _ => None,
        }
    }

    /// Whether `name` is acceptable as a team's name: 1 to 100 characters, and not an id or a
    /// target's text, so `team:<name>` always means this team.
    pub fn name_problem(name: &str) -> Option<String> {
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.chars().count() > Self::MAX_NAME_CHARS {
            return Some(format!("name: must be 1 to {} characters", Self::MAX_NAME_CHARS));
        }
        if trimmed.parse::<crate::ids::TeamId>().is_ok() || trimmed.contains(':') {
            return Some("name: must not look like an id or contain ':'".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_field_by_field() {
        assert_eq!(TeamSettings::default().problem(), None);
        let late = TeamSettings { first_response_sla_seconds: Some(5), ..TeamSettings::default() };
        assert!(late.problem().unwrap().starts_with("first_response_sla_seconds"));
        let parsed: TeamSettings =
            serde_json::from_str(r#"{"schedule": {"timezone": "Europe/Berlin"}, "strategy": "round_robin"}"#)
                .unwrap();
        assert_eq!(parsed.strategy, Some(Strategy::RoundRobin));
        assert!(serde_json::from_str::<TeamSettings>(r#"{"sla": 1}"#).is_err());
        let phone = |number: &str| TeamSettings { phone: Some(number.into()), ..TeamSettings::default() };
        assert_eq!(phone("+4940555000").problem(), None);
        assert!(phone("040 555000").problem().unwrap().starts_with("phone"));
    }

    #[test]
    fn a_name_must_be_usable_in_a_target() {
        assert_eq!(TeamSettings::name_problem("Berlin support"), None);
        assert!(TeamSettings::name_problem("  ").is_some());
        assert!(TeamSettings::name_problem("a:b").is_some());
        assert!(TeamSettings::name_problem("0190b0b0-0000-7000-8000-000000000000").is_some());
        assert!(TeamSettings::name_problem(&"x".repeat(101)).is_some());
    }
}
