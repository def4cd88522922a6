//! The assignment section of a bot's policy, with its defaults and validation.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::queue::Route;
use super::target::{Reach, Target};
use crate::time::Timestamp;

/// The key of [`Assignment::targets`] that covers every language without its own entry.
pub const ANY_LANGUAGE: &str = "*";

/// How a queued handoff finds its user.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Every eligible user sees the handoff; the first to claim it wins.
    #[default]
    Broadcast,
    /// One eligible user at a time is offered it, whoever was assigned least recently first.
    RoundRobin,
    /// One eligible user at a time is offered it, whoever holds the fewest live chats first.
    LeastBusy,
}

impl Strategy {
    /// Whether handoffs go through `offered` (one user at a time) rather than being shown to
    /// everyone eligible.
    pub fn offers(self) -> bool {
        self != Self::Broadcast
    }
}

/// The assignment section of a bot's policy: whom its handoffs go to, by which strategy, and
/// how much one user may hold.
///
/// ```json
/// {
///   "targets": {"de": ["team:berlin"], "*": ["team:support", "user:ana@example.com"]},
///   "strategy": "round_robin",
///   "capacity": 10,
///   "offer_ttl_seconds": 60
/// }
/// ```
/// Every field has a default, so `{}` is valid: every user sees every handoff (`broadcast`).
/// A conversation's language picks its targets; `"*"` covers every other language and
/// conversations whose language is not known yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Assignment {
    /// Conversation language (ISO 639-1) or `"*"` → whom to send the handoff to. Empty: all
    /// users.
    pub targets: BTreeMap<String, Vec<Target>>,
    pub strategy: Strategy,
    /// Live chats one user may hold before automatic assignment passes them over; a user's
    /// own setting replaces it.
    pub capacity: u32,
    /// How long an offer waits for an answer before it moves on to the next user.
    pub offer_ttl_seconds: u32,
}

impl Default for Assignment {
    fn default() -> Self {
        Self {
            targets: BTreeMap::new(),
            strategy: Strategy::Broadcast,
            capacity: Self::DEFAULT_CAPACITY,
            offer_ttl_seconds: Self::DEFAULT_OFFER_TTL_SECONDS,
        }
    }
}

impl Assignment {
    pub const DEFAULT_CAPACITY: u32 = 10;
    /// Long enough to finish a sentence in another chat before answering.
    pub const DEFAULT_OFFER_TTL_SECONDS: u32 = 60;
    /// Nobody answers more live chats than this well; a higher number is a typo.
    pub const CAPACITY: RangeInclusive<u32> = 1..=100;
    /// Shorter offers expire before a person can react; longer ones leave a contact waiting
    /// for someone who is not there.
    pub const OFFER_TTL_SECONDS: RangeInclusive<u32> = 5..=3600;

    /// The targets for a conversation in `language`: its own entry, else `"*"`, else everyone.
    pub fn targets_for(&self, language: Option<&str>) -> &[Target] {
        const EVERYONE: &[Target] = &[Target::All];
        language
            .and_then(|language| self.targets.get(language))
            .or_else(|| self.targets.get(ANY_LANGUAGE))
            .map_or(EVERYONE, Vec::as_slice)
    }

    /// The route of a handoff in `language`. `resolve` turns a target's names into ids; a
    /// target it cannot resolve (a deleted team, a user who left) is dropped, and a route with
    /// no target left reaches nobody, so its handoffs wait in the queue.
    pub fn route(&self, language: Option<&str>, mut resolve: impl FnMut(&Target) -> Option<Reach>) -> Route {
        let reach = self.targets_for(language).iter().filter_map(|target| match target {
            Target::All => Some(Reach::Everyone),
            other => resolve(other),
        });
        Route::new(reach, language, self.strategy)
    }

    /// When an offer made at `now` expires.
    pub fn offer_expires_at(&self, now: Timestamp) -> Timestamp {
        now.plus_millis(i64::from(self.offer_ttl_seconds) * 1_000)
    }

    /// What is wrong with this section, if anything: one message naming the field, for a 422.
    pub fn problem(&self) -> Option<String> {
        self.targets_problem()
            .or_else(|| {
                (!Self::CAPACITY.contains(&self.capacity)).then(|| {
                    let (min, max) = (Self::CAPACITY.start(), Self::CAPACITY.end());
                    format!("capacity: must be between {min} and {max} live chats")
                })
            })
            .or_else(|| {
                (!Self::OFFER_TTL_SECONDS.contains(&self.offer_ttl_seconds)).then(|| {
                    let (min, max) = (Self::OFFER_TTL_SECONDS.start(), Self::OFFER_TTL_SECONDS.end());
                    format!("offer_ttl_seconds: must be between {min} and {max}")
                })
            })
    }

    fn targets_problem(&self) -> Option<String> {
        for (language, targets) in &self.targets {
            if language != ANY_LANGUAGE && !crate::catalog::LANGUAGES.contains(&language.as_str()) {
                return Some(format!(
                    "targets: '{language}' is not a language; use one of {}, or \"*\" for any other",
                    crate::catalog::LANGUAGES.join(", ")
                ));
            }
            if targets.is_empty() {
                return Some(format!("targets.{language}: name at least one target"));
            }
            if targets.len() > 1 && targets.iter().any(Target::is_all) {
                return Some(format!("targets.{language}: \"all\" already includes everyone; list it alone"));
            }
            let repeated =
                targets.iter().enumerate().find_map(|(i, t)| targets[..i].contains(t).then_some(t));
            if let Some(twice) = repeated {
                return Some(format!("targets.{language}: '{twice}' is listed twice"));
            }
        }
        // Without a fallback, a conversation in another language (or one whose language is not
        // known yet) would wait for nobody; make the admin say whom it goes to.
        (!self.targets.is_empty() && !self.targets.contains_key(ANY_LANGUAGE)).then(|| {
            "targets: add \"*\" for conversations in other or unknown languages (\"*\": [\"all\"] for everyone)"
                .to_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Assignment {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_empty_section_broadcasts_to_everyone() {
        let assignment = parse("{}");
        assert_eq!(assignment, Assignment::default());
        assert_eq!(assignment.strategy, Strategy::Broadcast);
        assert_eq!(assignment.capacity, 10);
        assert_eq!(assignment.targets_for(Some("de")), &[Target::All]);
        assert_eq!(assignment.problem(), None);
    }

    #[test]
    fn a_language_picks_its_targets_and_star_covers_the_rest() {
        let assignment =
            parse(r#"{"targets": {"de": ["team:berlin"], "*": ["team:support"]}, "strategy": "least_busy"}"#);
        let team = |name: &str| vec![Target::parse(&format!("team:{name}")).unwrap()];
        assert_eq!(assignment.targets_for(Some("de")), team("berlin"));
        assert_eq!(assignment.targets_for(Some("fr")), team("support"));
        assert_eq!(assignment.targets_for(None), team("support"));
        assert_eq!(assignment.strategy, Strategy::LeastBusy);
        assert_eq!(assignment.problem(), None);
    }

    #[test]
    fn problems_name_the_field() {
        let problem = |json: &str| parse(json).problem().unwrap();
        assert!(problem(r#"{"targets": {"xx": ["all"], "*": ["all"]}}"#).starts_with("targets: 'xx'"));
        assert!(problem(r#"{"targets": {"*": []}}"#).starts_with("targets.*: name at least"));
        assert!(problem(r#"{"targets": {"*": ["all", "team:a"]}}"#).contains("list it alone"));
        assert!(problem(r#"{"targets": {"*": ["team:a", "team:a"]}}"#).contains("'team:a' is listed twice"));
        assert!(problem(r#"{"targets": {"de": ["team:berlin"]}}"#).contains(r#"add "*""#));
        assert!(problem(r#"{"capacity": 0}"#).starts_with("capacity: must be between 1 and 100"));
        assert!(problem(r#"{"offer_ttl_seconds": 1}"#).starts_with("offer_ttl_seconds:"));
    }

    #[test]
    fn unknown_fields_and_strategies_are_refused() {
        assert!(serde_json::from_str::<Assignment>(r#"{"capacty": 3}"#).is_err());
        assert!(serde_json::from_str::<Assignment>(r#"{"strategy": "random"}"#).is_err());
        let error = serde_json::from_str::<Assignment>(r#"{"targets": {"*": ["teams:x"]}}"#).unwrap_err();
        assert!(error.to_string().contains("'teams:x' is not a target"), "{error}");
    }

    #[test]
    fn offers_expire_after_the_ttl() {
        let assignment = Assignment { offer_ttl_seconds: 30, ..Assignment::default() };
        assert_eq!(
            assignment.offer_expires_at(Timestamp::from_millis(1_000)),
            Timestamp::from_millis(31_000)
        );
    }
}
