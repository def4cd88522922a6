//! Webhook endpoints as the domain sees them: which events an endpoint hears, and when a
//! delivery that failed is tried again.
//!
//! Deliveries follow [Standard Webhooks](https://www.standardwebhooks.com/): each is signed
//! with the endpoint's `whsec_` secret and carries a `webhook-id` that stays the same across
//! retries, so a receiver can drop repeats. What is sent, and when, is decided here; the
//! sending is the server's.

use serde::{Deserialize, Serialize};

use crate::event::EventKind;

/// The events an endpoint subscribes to: names of event kinds, or `"*"` for every kind.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subscription(Vec<String>);

/// Every event, including kinds added later.
pub const ALL_EVENTS: &str = "*";

impl Subscription {
    /// Checks the names: each must be `"*"` or a stored event kind; at least one.
    pub fn parse(names: Vec<String>) -> Result<Self, String> {
        let mut names: Vec<String> = names.into_iter().map(|name| name.trim().to_owned()).collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            return Err("events: name at least one event, or \"*\" for all".into());
        }
        for name in &names {
            let known = name == ALL_EVENTS || EventKind::from_name(name).is_some_and(EventKind::is_stored);
            if !known {
                return Err(format!("events: '{name}' is not an event Baton sends (see the event list)"));
            }
        }
        Ok(Self(names))
    }

    pub fn matches(&self, kind: EventKind) -> bool {
        kind.is_stored() && self.0.iter().any(|name| name == ALL_EVENTS || name == kind.name())
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }
}

/// Where a delivery stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not yet accepted by the endpoint; waiting for its (next) attempt.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Every attempt failed; only a manual retry sends it again.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed].into_iter().find(|status| status.as_str() == text)
    }
}

/// An endpoint's health: failing after a delivery was given up, active again after a success.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointHealth {
    Active,
    Failing,
}

impl EndpointHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Failing => "failing",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Active, Self::Failing].into_iter().find(|health| health.as_str() == text)
    }
}

/// The pauses before each retry, in seconds: the first attempt goes at once, the n-th retry
/// `delays[n - 1]` after the attempt before it; once they are used up the delivery fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RetrySchedule(Vec<u64>);

impl Default for RetrySchedule {
    /// Standard Webhooks' recommendation: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, so the
    /// last attempt is a little over a day after the first.
    fn default() -> Self {
        Self(vec![5, 300, 1800, 7200, 18000, 36000, 36000])
    }
}

impl RetrySchedule {
    pub fn new(delays: Vec<u64>) -> Result<Self, String> {
        if delays.contains(&0) {
            return Err("webhooks.retry_schedule_seconds: every pause must be at least 1 second".into());
        }
        Ok(Self(delays))
    }

    /// After `attempts` failed attempts, how long to wait before the next; `None`: give up.
    pub fn delay_after(&self, attempts: u32) -> Option<std::time::Duration> {
        let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
        self.0.get(index).map(|&seconds| std::time::Duration::from_secs(seconds))
    }

    pub fn delays(&self) -> &[u64] {
        &self.0
    }

    /// How many attempts a delivery gets in all.
    pub fn attempts(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX - 1) + 1
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_subscription_names_stored_kinds_or_everything() {
        let some = Subscription::parse(vec!["handoff.queued".into(), " handoff.closed ".into()]).unwrap();
        assert!(some.matches(EventKind::HandoffQueued) && some.matches(EventKind::HandoffClosed));
        assert!(!some.matches(EventKind::MessageCreated));
        let all = Subscription::parse(vec!["*".into()]).unwrap();
        assert!(all.matches(EventKind::WebhookFailing) && all.matches(EventKind::TeamDeleted));
        assert!(!all.matches(EventKind::Typing), "typing is never stored, so never sent");
        assert!(Subscription::parse(vec![]).is_err());
        assert!(Subscription::parse(vec!["typing".into()]).unwrap_err().contains("'typing'"));
        assert!(Subscription::parse(vec!["handoff.queud".into()]).unwrap_err().contains("handoff.queud"));
    }

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let schedule = RetrySchedule::default();
        assert_eq!(schedule.attempts(), 8);
        assert_eq!(schedule.delay_after(0), None, "no attempt made, nothing to wait for");
        assert_eq!(schedule.delay_after(1), Some(Duration::from_secs(5)));
        assert_eq!(schedule.delay_after(7), Some(Duration::from_secs(36000)));
        assert_eq!(schedule.delay_after(8), None, "the eighth failure is the last");
        let total: u64 = (1..8).filter_map(|n| schedule.delay_after(n)).map(|d| d.as_secs()).sum();
        assert!((86_400..=36 * 3600).contains(&total), "about a day: {total}");
        assert!(RetrySchedule::new(vec![1, 0]).is_err());
        assert_eq!(RetrySchedule::new(vec![]).unwrap().attempts(), 1);
    }
}
