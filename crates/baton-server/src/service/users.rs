//! Users, sessions and presence, and the first-start setup.

use baton_core::policy::BotSettings;
use baton_core::user::{Presence, Role, User};
use baton_core::values::Email;
use baton_store::{Bot, NewUser, StoreError};

use crate::auth::{SESSION_TOKEN_PREFIX, hash_password, hash_token, new_token, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const MIN_PASSWORD_CHARS: usize = 8;

/// Creates a user; the name is taken from the email.
pub async fn add_user(
    state: &AppState,
    email: &str,
    password: &str,
    role: Role,
    team: Option<String>,
) -> ApiResult<User> {
    let email = Email::parse(email)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("password: must be at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    let user = NewUser {
        id: state.new_id(),
        name: User::name_from_email(email.as_str()),
        email: email.as_str().to_lowercase(),
        role,
        password_hash: hash_password(password.to_owned()).await?,
        team,
        created_at: state.now(),
    };
    state.store.create_user(user).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::conflict("email_taken", "a user with this email already exists"),
        other => other.into(),
    })
}

/// Checks the password and opens a session. An unknown email gets the same answer, after the
/// same work (a password check against a stand-in hash), as a wrong password, so neither the
/// answer nor its timing tells which emails exist.
pub async fn login(state: &AppState, email: &str, password: &str) -> ApiResult<(String, User)> {
    const REJECTED: ApiError = ApiError::Unauthorized { detail: "the email or password is wrong" };
    static STAND_IN_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let Some((user, hash)) = state.store.user_credentials(&email.trim().to_lowercase()).await? else {
        let stand_in = STAND_IN_HASH.get_or_try_init(|| hash_password(generate_password())).await?;
        verify_password(password.to_owned(), stand_in.clone()).await;
        return Err(REJECTED);
    };
    if !verify_password(password.to_owned(), hash).await {
        return Err(REJECTED);
    }
    let token = new_token(SESSION_TOKEN_PREFIX);
    state.store.create_session(&hash_token(&token), user.id, state.now()).await?;
    Ok((token, user))
}

pub async fn logout(state: &AppState, token: &str) -> ApiResult<()> {
    Ok(state.store.delete_session(&hash_token(token)).await?)
}

pub async fn set_status(state: &AppState, user: &User, status: Presence) -> ApiResult<User> {
    let user = state.store.set_user_status(user.id, status, state.now()).await?;
    state.outbox_ready.notify_one();
    super::routing::reroute_after(state).await;
    Ok(user)
}

/// What first start created, to be shown once.
pub struct FirstStart {
    pub admin_email: String,
    pub admin_password: String,
}

pub const FIRST_ADMIN_EMAIL: &str = "admin@baton.local";

/// The demo bot, on a database with no bot yet.
pub async fn ensure_default_bot(state: &AppState) -> ApiResult<()> {
    if state.store.default_bot().await?.is_none() {
        let bot = Bot {
            id: state.new_id(),
            name: "Demo bot".into(),
            is_default: true,
            settings: BotSettings::demo(),
            created_at: state.now(),
        };
        state.store.create_bot(bot).await?;
    }
    Ok(())
}

/// On a database with no user yet: an admin with a generated password, to be shown once.
pub async fn create_first_admin(state: &AppState) -> ApiResult<Option<FirstStart>> {
    if state.store.count_users().await? > 0 {
        return Ok(None);
    }
    let password = generate_password();
    add_user(state, FIRST_ADMIN_EMAIL, &password, Role::Admin, None).await?;
    Ok(Some(FirstStart { admin_email: FIRST_ADMIN_EMAIL.into(), admin_password: password }))
}

/// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 20] = rand::random();
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
