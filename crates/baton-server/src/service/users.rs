//! Users, sessions and presence, and the first-start setup.

use baton_core::ids::{TeamId, UserId};
use baton_core::notification::NotificationPrefs;
use baton_core::policy::BotSettings;
use baton_core::user::{Presence, Role, User};
use baton_core::values::Email;
use baton_core::values::optional_text;
use baton_store::{AccountChanges, Bot, NewUser, StoreError};

use super::audit;
use super::teams;
pub use super::teams::Routing;
use crate::realtime::sessions::SessionEnd;

use crate::auth::{
    PASSWORD_LINK_PREFIX, SESSION_TOKEN_PREFIX, hash_password, hash_token, new_token, verify_password,
};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const MIN_PASSWORD_CHARS: usize = 8;

pub const NAME_MAX_CHARS: usize = 100;

/// A new user's account.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub team: Option<String>,
    /// What contacts see ("Ana has joined the conversation"); from the email when absent.
    pub name: Option<&'a str>,
    /// Their languages and capacity; `None`: any language, the policy's capacity.
    pub routing: Option<Routing>,
    /// The teams they join (besides `team`, by name, which the command line gives).
    pub teams: Vec<TeamId>,
}

/// Creates a user, naming them after their email.
pub async fn add_user(
    state: &AppState,
    email: &str,
    password: &str,
    role: Role,
    team: Option<String>,
) -> ApiResult<User> {
    let account = NewAccount { email, password, role, team, name: None, routing: None, teams: Vec::new() };
    create_account(state, None, account).await
}

fn checked_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("password: must be at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::Unprocessable {
            code: "validation_failed",
            detail: format!("password: must be at most {MAX_PASSWORD_CHARS} characters"),
        });
    }
    Ok(())
}

/// Argon2 takes any length, but hashing a megabyte of password is a way to burn CPU.
pub const MAX_PASSWORD_CHARS: usize = 256;

fn checked_name(name: &str) -> ApiResult<String> {
    optional_text("name", Some(name), NAME_MAX_CHARS)?.ok_or_else(|| ApiError::Unprocessable {
        code: "validation_failed",
        detail: "name: must not be empty".into(),
    })
}

/// Creates a user; `by` is the admin who does (`None`: Baton itself, or its command line).
pub async fn create_account(state: &AppState, by: Option<&User>, account: NewAccount<'_>) -> ApiResult<User> {
    let email = Email::parse(account.email)?;
    checked_password(account.password)?;
    let name = match account.name {
        Some(name) => checked_name(name)?,
        None => User::name_from_email(email.as_str()),
    };
    // Everything is checked before anything is written: a refused account leaves no trace.
    let routing = account.routing.map(teams::checked_routing).transpose()?;
    let known_teams = teams::existing_teams(state, &account.teams).await?;
    let (password, role, team) = (account.password, account.role, account.team);
    let user = NewUser {
        id: state.new_id(),
        name,
        email: email.as_str().to_lowercase(),
        role,
        password_hash: hash_password(password.to_owned()).await?,
        team,
        created_at: state.now(),
    };
    let mut user = state.store.create_user(user).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::conflict("email_taken", "a user with this email already exists"),
        other => other.into(),
    })?;
    if let Some(routing) = routing {
        state.store.set_user_routing(user.id, &routing.languages, routing.capacity).await?;
    }
    if !account.teams.is_empty() {
        teams::place_in_teams(state, &known_teams, user.id, &account.teams).await?;
    }
    user = state.store.user(user.id).await?.unwrap_or(user);
    audit::record(state, by, "user.created", None, Some(&user)).await?;
    Ok(user)
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
    if !verify_password(password.to_owned(), hash.clone()).await {
        return Err(REJECTED);
    }
    let verified = hash;
    if user.disabled {
        return Err(ApiError::Forbidden {
            code: "account_disabled",
            detail: "this account is disabled; ask an admin to enable it".into(),
        });
    }
    let token = new_token(SESSION_TOKEN_PREFIX);
    if !state.store.create_session(&hash_token(&token), user.id, state.now(), &verified).await? {
        // The password changed (or the user was disabled) while it was being checked.
        return Err(REJECTED);
    }
    Ok((token, user))
}

pub async fn logout(state: &AppState, token: &str) -> ApiResult<()> {
    let hash = hash_token(token);
    state.store.delete_session(&hash).await?;
    state.session_ends.announce(SessionEnd::Token(hash));
    Ok(())
}

/// What an admin changes of another user (or their own name).
#[derive(Debug, Default)]
pub struct AccountUpdate {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub routing: Option<Routing>,
    /// Exactly the teams they belong to afterwards.
    pub teams: Option<Vec<TeamId>>,
    pub notifications: Option<NotificationPrefs>,
}

/// An admin renames, changes the role of, disables or enables a user. Disabling ends their
/// sessions (their inbox closes), sets them offline and re-routes what was offered to them.
pub async fn update_account(
    state: &AppState,
    by: &User,
    id: UserId,
    update: AccountUpdate,
) -> ApiResult<User> {
    if id == by.id && (update.disabled == Some(true) || update.role.is_some_and(|role| role != by.role)) {
        return Err(ApiError::conflict(
            "not_yourself",
            "you cannot disable yourself or change your own role",
        ));
    }
    // Everything is checked before anything is written: a refused change leaves no trace.
    let name = update.name.as_deref().map(checked_name).transpose()?;
    let routing = update.routing.map(teams::checked_routing).transpose()?;
    if let Some(prefs) = &update.notifications {
        prefs.validate().map_err(|detail| ApiError::Unprocessable { code: "validation_failed", detail })?;
    }
    let known_teams = match &update.teams {
        Some(ids) => Some(teams::existing_teams(state, ids).await?),
        None => None,
    };
    let changes = AccountChanges { name, role: update.role, disabled: update.disabled };
    let before = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    let user = state.store.update_account(id, &changes).await?.ok_or(ApiError::NotFound { what: "user" })?;
    if let Some(routing) = routing {
        state.store.set_user_routing(id, &routing.languages, routing.capacity).await?;
    }
    if let (Some(known), Some(ids)) = (known_teams, &update.teams) {
        teams::place_in_teams(state, &known, id, ids).await?;
    }
    if let Some(prefs) = update.notifications {
        set_notification_prefs(state, by, id, prefs).await?;
    }
    if update.role.is_some_and(|role| role != before.role) {
        // A changed role changes what every open inbox of theirs may carry: they log in again.
        state.store.delete_sessions_of(id, None).await?;
        state.session_ends.announce(SessionEnd::User { user: id, except: None });
    }
    if update.disabled == Some(true) {
        state.session_ends.announce(SessionEnd::User { user: id, except: None });
        if user.status != Presence::Offline {
            state.store.set_user_status(id, Presence::Offline, state.now()).await?;
        }
    }
    let after = state.store.user(id).await?.unwrap_or(user);
    audit::record(state, Some(by), "user.updated", Some(&before), Some(&after)).await?;
    Ok(after)
}

/// A user renames themselves.
pub async fn rename_self(state: &AppState, user: &User, name: &str) -> ApiResult<User> {
    let changes = AccountChanges { name: Some(checked_name(name)?), ..AccountChanges::default() };
    state.store.update_account(user.id, &changes).await?.ok_or(ApiError::NotFound { what: "user" })
}

/// How a user wants to hear of waiting chats by email.
pub async fn notification_prefs(state: &AppState, id: UserId) -> ApiResult<NotificationPrefs> {
    state.store.notification_prefs(id).await?.ok_or(ApiError::NotFound { what: "user" })
}

/// `by` changes how the user `id` (themselves, or anyone for an admin) hears of waiting chats
/// by email; an admin's change to someone else's is audited.
pub async fn set_notification_prefs(
    state: &AppState,
    by: &User,
    id: UserId,
    prefs: NotificationPrefs,
) -> ApiResult<NotificationPrefs> {
    prefs.validate().map_err(|detail| ApiError::Unprocessable { code: "validation_failed", detail })?;
    let user = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    let before = notification_prefs(state, id).await?;
    if !state.store.set_notification_prefs(id, &prefs).await? {
        return Err(ApiError::NotFound { what: "user" });
    }
    if by.id != id {
        let json = |prefs: &NotificationPrefs| serde_json::to_value(prefs).unwrap_or_default();
        let changes = baton_core::audit::diff(&json(&before), &json(&prefs));
        let subject = audit::Audited::subject(&user);
        audit::record_changes(state, Some(by), "user.notifications_changed", subject, changes).await?;
    }
    Ok(prefs)
}

/// An admin deletes a user: not themselves, and not while the user holds live chats (transfer
/// or close those first). Their sessions end and their inbox closes.
pub async fn delete_account(state: &AppState, by: &User, id: UserId) -> ApiResult<()> {
    if id == by.id {
        return Err(ApiError::conflict("not_yourself", "you cannot delete yourself"));
    }
    let open = state.store.open_handoffs().await?;
    let holds = open.iter().any(|open| {
        let handoff = &open.handoff.value;
        handoff.state == baton_core::handoff::HandoffState::Live
            && handoff.assignee.as_ref().is_some_and(|assignee| assignee.id == id)
    });
    if holds {
        return Err(ApiError::conflict(
            "has_live_chats",
            "this user has live chats: transfer or close them before deleting the user",
        ));
    }
    let before = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    if !state.store.delete_user(id).await? {
        return Err(ApiError::NotFound { what: "user" });
    }
    audit::record(state, Some(by), "user.deleted", Some(&before), None).await?;
    state.session_ends.announce(SessionEnd::User { user: id, except: None });
    Ok(())
}

/// An admin (`by`; `None`: the command line) sets a user's password (one they forgot); every
/// session of theirs ends.
pub async fn reset_password(
    state: &AppState,
    by: Option<&User>,
    id: UserId,
    password: &str,
) -> ApiResult<()> {
    checked_password(password)?;
    let user = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    let hash = hash_password(password.to_owned()).await?;
    if !state.store.set_password_hash(id, &hash).await? {
        return Err(ApiError::NotFound { what: "user" });
    }
    audit::record_changes(state, by, "user.password_reset", audit::Audited::subject(&user), Vec::new())
        .await?;
    state.store.delete_sessions_of(id, None).await?;
    state.session_ends.announce(SessionEnd::User { user: id, except: None });
    Ok(())
}

/// How long a link to set a password works.
pub const PASSWORD_LINK_HOURS: i64 = 72;

/// A one-time link for a user to set their password: an invitation for a user just created,
/// or a reset an admin hands over without choosing the password. It replaces any earlier link.
pub struct PasswordLink {
    /// `<public_url>/set-password#token=…`, or the path alone when `public_url` is not set
    /// (the console completes it with its own address). The token sits in the fragment, which
    /// browsers do not send, so it never reaches a log.
    pub url: String,
    pub expires_at: baton_core::time::Timestamp,
}

pub async fn create_password_link(state: &AppState, by: &User, id: UserId) -> ApiResult<PasswordLink> {
    let user = state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })?;
    let token = new_token(PASSWORD_LINK_PREFIX);
    let now = state.now();
    let expires_at = now.plus_millis(PASSWORD_LINK_HOURS * 3_600_000);
    if !state.store.replace_password_link(id, &hash_token(&token), expires_at, now).await? {
        return Err(ApiError::NotFound { what: "user" });
    }
    let subject = audit::Audited::subject(&user);
    audit::record_changes(state, Some(by), "user.password_link_created", subject, Vec::new()).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let url = format!("{base}/set-password#token={token}");
    Ok(PasswordLink { url, expires_at })
}

/// Someone with a link sets the password of its user; the link stops working and every
/// session of the user ends.
pub async fn set_password_with_link(state: &AppState, token: &str, password: &str) -> ApiResult<User> {
    checked_password(password)?;
    let invalid = || ApiError::Forbidden {
        code: "link_invalid",
        detail: "this link has been used or has expired; ask an admin for a new one".into(),
    };
    if !token.starts_with(PASSWORD_LINK_PREFIX) {
        return Err(invalid());
    }
    let hash = hash_password(password.to_owned()).await?;
    let id =
        state.store.use_password_link(&hash_token(token), state.now(), &hash).await?.ok_or_else(invalid)?;
    state.session_ends.announce(SessionEnd::User { user: id, except: None });
    state.store.user(id).await?.ok_or(ApiError::NotFound { what: "user" })
}

/// A user changes their own password, proving they know the current one; their other
/// sessions end, the one they used stays.
pub async fn change_own_password(
    state: &AppState,
    user: &User,
    token: &str,
    current: &str,
    new: &str,
) -> ApiResult<()> {
    let Some((_, stored)) = state.store.user_credentials(&user.email).await? else {
        return Err(ApiError::NotFound { what: "user" });
    };
    if !verify_password(current.to_owned(), stored).await {
        return Err(ApiError::Forbidden {
            code: "wrong_password",
            detail: "current_password: that is not your current password".into(),
        });
    }
    checked_password(new)?;
    let hash = hash_password(new.to_owned()).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    let keep = hash_token(token);
    state.store.delete_sessions_of(user.id, Some(&keep)).await?;
    state.session_ends.announce(SessionEnd::User { user: user.id, except: Some(keep) });
    Ok(())
}

/// The sessions that have expired are deleted (their sockets close by themselves).
pub async fn forget_expired_sessions(state: &AppState) -> ApiResult<u64> {
    Ok(state.store.delete_expired_sessions(state.now(), state.settings.session_rules()).await?)
}

pub async fn set_status(state: &AppState, user: &User, status: Presence) -> ApiResult<User> {
    let user = state.store.set_user_status(user.id, status, state.now()).await?;
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
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 20] = rand::random();
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
