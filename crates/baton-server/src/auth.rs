//! Who is calling. Contacts hold a token for their one conversation (`ct_…`); users hold a
//! session token from login (`us_…`); an external bot holds its bot's API key (`bk_…`). Only a SHA-256 hash of either is stored, so a leaked
//! database does not leak working tokens. Passwords are hashed with argon2.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use baton_core::ids::ConversationId;
use baton_core::user::{Role, User};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, SharedState};

pub const CONTACT_TOKEN_PREFIX: &str = "ct_";
pub const SESSION_TOKEN_PREFIX: &str = "us_";
pub const BOT_KEY_PREFIX: &str = "bk_";
pub const PASSWORD_LINK_PREFIX: &str = "pl_";

/// A fresh random token with a prefix that says what it is for.
pub fn new_token(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Argon2 takes tens of milliseconds of CPU and 19 MiB of memory by design, so it runs on the
/// blocking pool, never on the threads that serve requests and websockets, and at most two at
/// a time, so a burst of logins queues instead of taking every core.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

async fn with_hashing_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let _slot = HASHING.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    with_hashing_slot(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))
    })
    .await?
}

pub async fn verify_password(password: String, hash: String) -> bool {
    with_hashing_slot(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// The bearer token of a request: the `Authorization` header, or the `token` query parameter
/// that browsers must use for websockets (they cannot set headers there).
pub fn bearer_token(headers: &HeaderMap, query_token: Option<&str>) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
        .map(|token| token.trim().to_owned())
        .or_else(|| query_token.map(str::to_owned))
}

pub const MISSING: ApiError = ApiError::Unauthorized { detail: "send `Authorization: Bearer <token>`" };

pub async fn user_for_token(state: &AppState, token: &str) -> ApiResult<User> {
    if !token.starts_with(SESSION_TOKEN_PREFIX) {
        return Err(ApiError::Unauthorized { detail: "this endpoint needs a user session token" });
    }
    state
        .store
        .session_user(&hash_token(token), state.now(), state.settings.session_rules())
        .await?
        .ok_or(ApiError::Unauthorized { detail: "the session token is unknown or has ended" })
}

/// A logged-in user.
pub struct CurrentUser(pub User);

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.0.role == Role::Admin
    }
}

impl FromRequestParts<SharedState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers, None).ok_or(MISSING)?;
        user_for_token(state, &token).await.map(Self)
    }
}

/// An external bot, calling with its bot's API key.
pub struct CurrentBot(pub baton_store::Bot);

impl FromRequestParts<SharedState> for CurrentBot {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers, None).ok_or(MISSING)?;
        if !token.starts_with(BOT_KEY_PREFIX) {
            return Err(ApiError::Unauthorized { detail: "this endpoint needs a bot API key" });
        }
        state
            .store
            .bot_by_api_key(&hash_token(&token))
            .await?
            .map(Self)
            .ok_or(ApiError::Unauthorized { detail: "the bot API key is unknown or was replaced" })
    }
}

/// An admin, or 403.
pub struct Admin(pub User);

impl FromRequestParts<SharedState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role != Role::Admin {
            return Err(ApiError::Forbidden { code: "admin_only", detail: "only admins can do this".into() });
        }
        Ok(Self(user))
    }
}

/// Who is acting on a conversation.
pub enum Caller {
    Contact,
    User(User),
}

/// The caller of a conversation endpoint. A contact token for another conversation gets the
/// same 404 as a conversation that does not exist, so tokens reveal nothing about others; a
/// user gets 403 for a conversation routed to other people (`service::access`).
pub async fn conversation_caller(
    state: &AppState,
    token: Option<String>,
    conversation: ConversationId,
) -> ApiResult<Caller> {
    let token = token.ok_or(MISSING)?;
    if token.starts_with(SESSION_TOKEN_PREFIX) {
        let user = user_for_token(state, &token).await?;
        let Some(conversation) = state.store.conversation(conversation).await? else {
            return Err(ApiError::NotFound { what: "conversation" });
        };
        crate::service::access::conversation(state, &user, &conversation).await?;
        return Ok(Caller::User(user));
    }
    let hash = hash_token(&token);
    if state.contact_tokens.holds(conversation, &hash) {
        return Ok(Caller::Contact);
    }
    match state.store.conversation_token_hash(conversation).await? {
        Some(stored) if stored == hash => {
            state.contact_tokens.remember(conversation, hash);
            Ok(Caller::Contact)
        }
        _ => Err(ApiError::NotFound { what: "conversation" }),
    }
}

/// Contact tokens checked in the last minute, so a contact who sends many messages is looked
/// up once, not on every request. Safe to keep: a conversation's token never changes and a
/// conversation is never deleted. Only tokens that matched are kept.
#[derive(Default)]
pub struct ContactTokens {
    checked: std::sync::Mutex<std::collections::HashMap<ConversationId, (String, std::time::Instant)>>,
}

impl ContactTokens {
    const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(60);
    /// Past this many, entries that expired are dropped (and all, if none had).
    const MAX_ENTRIES: usize = 100_000;

    fn holds(&self, conversation: ConversationId, hash: &str) -> bool {
        let checked = self.checked.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        checked.get(&conversation).is_some_and(|(known, at)| known == hash && at.elapsed() < Self::KEPT_FOR)
    }

    fn remember(&self, conversation: ConversationId, hash: String) {
        let mut checked = self.checked.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if checked.len() >= Self::MAX_ENTRIES {
            checked.retain(|_, (_, at)| at.elapsed() < Self::KEPT_FOR);
            if checked.len() >= Self::MAX_ENTRIES {
                checked.clear();
            }
        }
        checked.insert(conversation, (hash, std::time::Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_prefixed() {
        let a = new_token(CONTACT_TOKEN_PREFIX);
        let b = new_token(CONTACT_TOKEN_PREFIX);
        assert!(a.starts_with("ct_"));
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert_eq!(hash_token("x").len(), 64);
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_password() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(verify_password("correct horse".into(), hash.clone()).await);
        assert!(!verify_password("wrong horse".into(), hash).await);
        assert!(!verify_password("correct horse".into(), "not a hash".into()).await);
    }

    #[test]
    fn bearer_comes_from_the_header_or_the_query() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers, Some("q")), Some("q".into()));
        headers.insert(header::AUTHORIZATION, "Bearer h".parse().unwrap());
        assert_eq!(bearer_token(&headers, Some("q")), Some("h".into()));
        assert_eq!(bearer_token(&HeaderMap::new(), None), None);
    }
}
