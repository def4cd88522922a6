//! Rate limits: how often one client may try a password, start conversations, or send
//! messages. Each is a GCRA limiter from `governor`, keyed by what is being protected:
//!
//! | limit | key | default per minute (and burst) |
//! | --- | --- | --- |
//! | login attempts | the account's email | 10 |
//! | login attempts | the client's address | 30 |
//! | new conversations | the client's address | 60 |
//! | messages | the conversation | 60 |
//! | messages | the token sending them (contact or user) | 120 |
//! | messages | the client's address | 300 |
//!
//! An IPv6 client counts by its /64 ([`client_key`]), since one machine may use any address
//! in it.
//!
//! A refused request gets 429 problem+json with `Retry-After` (whole seconds) and changes
//! nothing. Keys not seen for a while are forgotten (`forget_idle`), so memory stays bounded
//! by the clients of the last few minutes. The client's address is the TCP peer: behind a
//! reverse proxy, every client shares the proxy's, so raise the per-address limits there.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use baton_core::ids::ConversationId;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The limits, per minute; each is also the burst a client may spend at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitSettings {
    /// Off: no rate limits at all (a load test against the server, say).
    pub enabled: bool,
    pub login_per_account_per_minute: u32,
    pub login_per_address_per_minute: u32,
    pub conversations_per_address_per_minute: u32,
    pub messages_per_conversation_per_minute: u32,
    pub messages_per_token_per_minute: u32,
    /// Across every conversation a client address holds (one client cannot multiply its
    /// allowance by opening more conversations).
    pub messages_per_address_per_minute: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            login_per_account_per_minute: 10,
            login_per_address_per_minute: 30,
            conversations_per_address_per_minute: 60,
            messages_per_conversation_per_minute: 60,
            messages_per_token_per_minute: 120,
            messages_per_address_per_minute: 300,
        }
    }
}

impl LimitSettings {
    pub fn validate(&self) -> anyhow::Result<()> {
        let all = [
            self.login_per_account_per_minute,
            self.login_per_address_per_minute,
            self.conversations_per_address_per_minute,
            self.messages_per_conversation_per_minute,
            self.messages_per_token_per_minute,
            self.messages_per_address_per_minute,
        ];
        if all.contains(&0) {
            anyhow::bail!(
                "limits: every limit must be at least 1 per minute (set limits.enabled = false to turn them off)"
            );
        }
        Ok(())
    }
}

/// The client's address (the TCP peer), when the server's own accept loop recorded it.
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(peer.map(|info| info.0.ip())))
    }
}

/// The key a client address is counted under: an IPv4 address itself, an IPv6 client by its
/// /64 (one machine or home is given a whole /64, so a single address is free to change).
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

fn keyed<K: Hash + Eq + Clone>(per_minute: u32) -> DefaultKeyedRateLimiter<K> {
    RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN)))
}

/// Every limiter; `None` when limits are off.
pub struct RateLimits {
    login_account: DefaultKeyedRateLimiter<String>,
    login_address: DefaultKeyedRateLimiter<IpAddr>,
    conversations: DefaultKeyedRateLimiter<IpAddr>,
    messages_conversation: DefaultKeyedRateLimiter<ConversationId>,
    messages_token: DefaultKeyedRateLimiter<String>,
    messages_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl RateLimits {
    pub fn new(settings: &LimitSettings) -> Option<Self> {
        settings.enabled.then(|| Self {
            login_account: keyed(settings.login_per_account_per_minute),
            login_address: keyed(settings.login_per_address_per_minute),
            conversations: keyed(settings.conversations_per_address_per_minute),
            messages_conversation: keyed(settings.messages_per_conversation_per_minute),
            messages_token: keyed(settings.messages_per_token_per_minute),
            messages_address: keyed(settings.messages_per_address_per_minute),
        })
    }

    /// A login attempt for `email` from `address`.
    pub fn login(&self, address: Option<IpAddr>, email: &str) -> Result<(), ApiError> {
        if let Some(address) = address {
            check(&self.login_address, &client_key(address), "login attempts from your address")?;
        }
        check(&self.login_account, &email.trim().to_lowercase(), "login attempts for this account")
    }

    /// A new conversation from `address`.
    pub fn new_conversation(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        match address {
            Some(address) => {
                check(&self.conversations, &client_key(address), "new conversations from your address")
            }
            None => Ok(()),
        }
    }

    /// A message into `conversation`, sent with `token` from `address`.
    pub fn message(
        &self,
        address: Option<IpAddr>,
        conversation: ConversationId,
        token: &str,
    ) -> Result<(), ApiError> {
        if let Some(address) = address {
            check(&self.messages_address, &client_key(address), "messages from your address")?;
        }
        check(&self.messages_conversation, &conversation, "messages in this conversation")?;
        check(&self.messages_token, &crate::auth::hash_token(token), "messages from you")
    }

    /// Forgets keys whose limiters are back to full, so idle clients cost no memory.
    pub fn forget_idle(&self) {
        self.login_account.retain_recent();
        self.login_address.retain_recent();
        self.conversations.retain_recent();
        self.messages_conversation.retain_recent();
        self.messages_token.retain_recent();
        self.messages_address.retain_recent();
        self.login_account.shrink_to_fit();
        self.login_address.shrink_to_fit();
        self.conversations.shrink_to_fit();
        self.messages_conversation.shrink_to_fit();
        self.messages_token.shrink_to_fit();
        self.messages_address.shrink_to_fit();
    }
}

fn check<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    what: &str,
) -> Result<(), ApiError> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::TooManyRequests {
            retry_after: wait.max(Duration::from_secs(1)),
            detail: format!("Too many {what}. Please wait a moment and try again."),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_the_limit_is_refused_with_the_wait() {
        let limits =
            RateLimits::new(&LimitSettings { login_per_account_per_minute: 3, ..LimitSettings::default() })
                .unwrap();
        for _ in 0..3 {
            limits.login(None, "ana@example.com").unwrap();
        }
        let Err(ApiError::TooManyRequests { retry_after, .. }) = limits.login(None, " ANA@example.com")
        else {
            panic!("the fourth attempt in a minute is refused");
        };
        assert!(
            retry_after >= Duration::from_secs(1) && retry_after <= Duration::from_secs(20),
            "{retry_after:?}"
        );
        limits.login(None, "ben@example.com").expect("another account has its own limit");
        assert!(RateLimits::new(&LimitSettings { enabled: false, ..LimitSettings::default() }).is_none());
    }
}
